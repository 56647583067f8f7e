#!/usr/bin/env python3
"""The plain-PyTorch twin of one Taqtir language-model benchmark workload (docs/performance.md).

Trains what the Taqtir run traced (-Dtaqtir.trace.dir): the same character GPT or LSTM language
model, from the same initial values (init.npz, in DJL's parameter order), on the same windows in
the same order (permutations.npz), with next-token cross-entropy averaged over every position,
torch.optim.Adam and a constant learning rate, as the Taqtir run did. Written the way a researcher
writes it in PyTorch: nn.Embedding, nn.LayerNorm, nn.Linear, F.gelu, nn.LSTM, F.cross_entropy.

Prints one JSON object: per-epoch seconds, mean loss and validation loss, the loss of each of the
first steps, tokens per second and the peak RSS of this process.

Usage: pytorch_lm_peer.py SPEC.json  (fields: see main())
"""
import json
import math
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

STEPS_KEPT = 50
CHUNK = 256


class Gpt(nn.Module):
    """Pre-LayerNorm causal transformer, the layout of Taqtir's GptBlock (untied head, no dropout)."""

    def __init__(self, vocab, context, width, layers, heads, mlp):
        super().__init__()
        self.heads = heads
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(context, width)
        self.blocks = nn.ModuleList()
        for _ in range(layers):
            self.blocks.append(nn.ModuleDict({
                "norm1": nn.LayerNorm(width), "qkv": nn.Linear(width, 3 * width),
                "projection": nn.Linear(width, width), "norm2": nn.LayerNorm(width),
                "up": nn.Linear(width, mlp * width), "down": nn.Linear(mlp * width, width)}))
        self.final_norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def djl_order(self):
        """The parameters in the order DJL lists them (LayerNorm: gamma, beta; Linear: W, b)."""
        out = [self.tokens.weight, self.positions.weight]
        for b in self.blocks:
            for name in ("norm1", "qkv", "projection", "norm2", "up", "down"):
                out += [b[name].weight, b[name].bias]
        return out + [self.final_norm.weight, self.final_norm.bias, self.head.weight,
                      self.head.bias]

    def forward(self, ids):
        b, t = ids.shape
        x = self.tokens(ids) + self.positions(torch.arange(t))
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        d = x.shape[-1]
        hd = d // self.heads
        for blk in self.blocks:
            q, k, v = blk["qkv"](blk["norm1"](x)).chunk(3, dim=-1)
            q, k, v = (z.reshape(b, t, self.heads, hd).transpose(1, 2) for z in (q, k, v))
            att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(hd) + mask, dim=-1)
            x = x + blk["projection"]((att @ v).transpose(1, 2).reshape(b, t, d))
            x = x + blk["down"](F.gelu(blk["up"](blk["norm2"](x))))
        return self.head(self.final_norm(x))


class Lstm(nn.Module):
    """Embedding, LSTM layers (batch first), linear head: Taqtir's LstmLmBlock."""

    def __init__(self, vocab, width, state, layers):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.lstm = nn.LSTM(width, state, num_layers=layers, batch_first=True)
        self.head = nn.Linear(state, vocab)
        self.layers = layers

    def djl_order(self):
        """DJL's recurrent block lists, per layer: i2h weight, h2h weight, i2h bias, h2h bias."""
        out = [self.tokens.weight]
        for i in range(self.layers):
            out += [getattr(self.lstm, n % i) for n in
                    ("weight_ih_l%d", "weight_hh_l%d", "bias_ih_l%d", "bias_hh_l%d")]
        return out + [self.head.weight, self.head.bias]

    def forward(self, ids):
        h, _ = self.lstm(self.tokens(ids))
        return self.head(h)


def build(spec, vocab):
    a = spec["arch"]
    if a["id"] == "gpt":
        return Gpt(vocab, spec["window"], a["width"], a["layers"], a["heads"], a.get("mlp", 4))
    if a["id"] == "lstm-lm":
        return Lstm(vocab, a["width"], a["state"], a.get("layers", 1))
    raise SystemExit("unknown architecture " + a["id"])


def load_into(params, npz):
    arrays = [npz["p%03d" % i] for i in range(len(npz.files))]
    if len(arrays) != len(params):
        raise SystemExit("init has %d arrays, the model %d" % (len(arrays), len(params)))
    with torch.no_grad():
        for p, a in zip(params, arrays):
            if tuple(p.shape) != a.shape:
                raise SystemExit("shape %s vs %s" % (tuple(p.shape), a.shape))
            p.copy_(torch.from_numpy(a))


def mean_loss(model, x, y):
    total, count = 0.0, 0
    with torch.no_grad():
        for a in range(0, x.shape[0], CHUNK):
            logits = model(x[a:a + CHUNK])
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                     y[a:a + CHUNK].reshape(-1), reduction="sum").item()
            count += y[a:a + CHUNK].numel()
    return total / count


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(spec.get("threads", 2))
    torch.set_num_interop_threads(1)
    data = np.load(spec["data"])
    window = spec["window"]
    x = torch.from_numpy(data["train_x"].astype(np.int64))
    y = torch.from_numpy(data["train_y"].astype(np.int64)).reshape(-1, window)
    val_x = torch.from_numpy(data["val_x"].astype(np.int64))
    val_y = torch.from_numpy(data["val_y"].astype(np.int64)).reshape(-1, window)
    vocab = spec["vocabulary"]
    model = build(spec, vocab)
    load_into(model.djl_order(), np.load(spec["init"]))
    perms = np.load(spec["permutations"])
    opt = torch.optim.Adam(model.parameters(), lr=spec["lr"], betas=(0.9, 0.999), eps=1e-8)
    n = x.shape[0]
    batch = min(spec["batch"], n)
    steps = (n + batch - 1) // batch
    epochs, first_steps = [], []
    for epoch in range(spec["epochs"]):
        model.train()
        start = time.perf_counter()
        perm = torch.from_numpy(perms["epoch%d" % epoch].astype(np.int64))
        ex, ey = x[perm], y[perm]
        loss_sum = 0.0
        for s in range(steps):
            a, b = s * batch, min(n, (s + 1) * batch)
            logits = model(ex[a:b])
            loss = F.cross_entropy(logits.reshape(-1, vocab), ey[a:b].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit("diverged at epoch %d step %d" % (epoch, s))
            if len(first_steps) < STEPS_KEPT:
                first_steps.append(value)
            loss_sum += value
        seconds = time.perf_counter() - start
        model.eval()
        epochs.append({"epoch": epoch, "seconds": seconds, "train_loss": loss_sum / steps,
                       "val_loss": mean_loss(model, val_x, val_y),
                       "tokens_per_second": n * window / seconds})
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"epochs": epochs, "first_steps": first_steps,
                      "parameters": sum(p.numel() for p in model.parameters()),
                      "peak_rss_mb": peak_kb / 1024.0, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
