#!/usr/bin/env python3
"""The plain-PyTorch twin of one Taqtir benchmark workload (docs/performance.md).

Trains what the Taqtir run traced (-Dtaqtir.trace.dir): the same MLP, from the same initial
values (init.npz), on the same batches in the same order (permutations.npz), with the same loss,
SGD-with-momentum update and learning-rate schedule, and selects the epoch with the best
validation accuracy, as the Taqtir run did. Written the way a researcher writes it in PyTorch
(nn.Linear, F.cross_entropy, F.kl_div(..., reduction="batchmean"), torch.optim.SGD), with the
training set resident in one uint8 tensor, gathered by the permutation once per epoch.

Prints one JSON object: per-epoch seconds, mean loss and validation accuracy, the selected
epoch's test accuracy, the teacher-output precompute time and the peak RSS of this process.

Usage: pytorch_peer.py SPEC.json  (fields: see main())
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

CHUNK = 1000


class Mlp(nn.Module):
    """784 -> hidden... -> classes with ReLU; returns the logits and every hidden activation."""

    def __init__(self, widths, inputs, classes):
        super().__init__()
        dims = [inputs] + list(widths)
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims, dims[1:]))
        self.output = nn.Linear(dims[-1], classes)

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        taps = {}
        for i, layer in enumerate(self.hidden):
            x = F.relu(layer(x))
            taps["hidden%d" % (i + 1)] = x
        return self.output(x), taps


def load_into(model, npz, extra=()):
    """Copies DJL's parameter order (per layer: weight (out, in), bias) into the model."""
    arrays = [npz["p%03d" % i] for i in range(len(npz.files))]
    params = list(model.parameters()) + list(extra)
    if len(arrays) != len(params):
        raise SystemExit("init has %d arrays, the model %d" % (len(arrays), len(params)))
    with torch.no_grad():
        for p, a in zip(params, arrays):
            if tuple(p.shape) != a.shape:
                raise SystemExit("shape %s vs %s" % (tuple(p.shape), a.shape))
            p.copy_(torch.from_numpy(a))


def lr_at(spec, epoch):
    base = spec["lr"]
    if spec.get("schedule", "constant") == "cosine":
        return (base * (1 + math.cos(math.pi * epoch / spec["epochs"]))) / 2
    return base


def decode(x):
    return x.float() / 255.0


def logits_of(model, x):
    out = []
    with torch.no_grad():
        for a in range(0, x.shape[0], CHUNK):
            out.append(model(decode(x[a:a + CHUNK]))[0])
    return torch.cat(out)


def accuracy(logits, y):
    return (logits.argmax(1) == y).float().mean().item()


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(spec.get("threads", 2))
    torch.set_num_interop_threads(1)
    data = np.load(spec["data"])
    x = torch.from_numpy(data["train_x"])
    y = torch.from_numpy(data["train_y"].astype(np.int64))
    val_x = torch.from_numpy(data["val_x"])
    val_y = torch.from_numpy(data["val_y"].astype(np.int64))
    test_x = torch.from_numpy(data["test_x"])
    test_y = torch.from_numpy(data["test_y"].astype(np.int64))
    classes = int(max(y.max(), val_y.max(), test_y.max())) + 1
    n, inputs = x.shape[0], x.shape[1]

    model = Mlp(spec["hidden"], inputs, classes)
    terms = spec["terms"]
    regressor = []
    for t in terms:
        if t["id"] == "fitnets":
            ds, dt = t["student_dim"], t["teacher_dim"]
            regressor = [nn.Parameter(torch.zeros(ds, dt)), nn.Parameter(torch.zeros(dt))]
    load_into(model, np.load(spec["init"]), regressor)
    perms = np.load(spec["permutations"])

    teacher = None
    teacher_taps = sorted({t["teacher_layer"] for t in terms if "teacher_layer" in t})
    cached = {}
    precompute = 0.0
    if spec.get("teacher"):
        teacher = Mlp(spec["teacher_hidden"], inputs, classes)
        load_into(teacher, np.load(spec["teacher"]))
        teacher.eval()
        if spec["teacher_outputs"] == "cached":
            t0 = time.perf_counter()
            parts = {"logits": []}
            for tap in teacher_taps:
                parts[tap] = []
            with torch.no_grad():
                for a in range(0, n, CHUNK):
                    logits, taps = teacher(decode(x[a:a + CHUNK]))
                    parts["logits"].append(logits)
                    for tap in teacher_taps:
                        parts[tap].append(taps[tap])
            cached = {k: torch.cat(v) for k, v in parts.items()}
            precompute = time.perf_counter() - t0

    params = list(model.parameters()) + regressor
    opt = torch.optim.SGD(params, lr=spec["lr"], momentum=spec["momentum"])
    batch = min(spec["batch"], n)
    steps = (n + batch - 1) // batch
    epochs = []
    best_val, best_epoch, best_state = -1.0, -1, None
    for epoch in range(spec["epochs"]):
        lr = lr_at(spec, epoch)
        for g in opt.param_groups:
            g["lr"] = lr
        start = time.perf_counter()
        perm = torch.from_numpy(perms["epoch%d" % epoch].astype(np.int64))
        ex, ey = x[perm], y[perm]
        et = {k: v[perm] for k, v in cached.items()}
        loss_sum = 0.0
        for s in range(steps):
            a, b = s * batch, min(n, (s + 1) * batch)
            bx, by = decode(ex[a:b]), ey[a:b]
            if teacher is None:
                t_out = None
            elif cached:
                t_out = {k: v[a:b] for k, v in et.items()}
            else:
                with torch.no_grad():
                    t_logits, t_taps = teacher(bx)
                t_out = dict(t_taps, logits=t_logits)
            s_logits, s_taps = model(bx)
            loss = 0.0
            for t in terms:
                loss = loss + t.get("weight", 1.0) * term_loss(t, s_logits, s_taps, t_out, by,
                                                               regressor)
            opt.zero_grad()
            loss.backward()
            opt.step()
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit("diverged at epoch %d step %d" % (epoch, s))
            loss_sum += value
        seconds = time.perf_counter() - start
        val = accuracy(logits_of(model, val_x), val_y)
        epochs.append({"epoch": epoch, "seconds": seconds, "train_loss": loss_sum / steps,
                       "val_acc": val})
        if val > best_val:
            best_val, best_epoch = val, epoch
            best_state = [p.detach().clone() for p in model.parameters()]
    with torch.no_grad():
        for p, v in zip(model.parameters(), best_state):
            p.copy_(v)
    test = accuracy(logits_of(model, test_x), test_y)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"epochs": epochs, "best_epoch": best_epoch, "test_acc": test,
                      "precompute_seconds": precompute, "peak_rss_mb": peak_kb / 1024.0,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


def term_loss(t, s_logits, s_taps, t_out, y, regressor):
    kind = t["id"]
    if kind == "labels-only":
        return F.cross_entropy(s_logits, y)
    if kind == "hinton-kd":
        temp, alpha = t["temperature"], t["alpha"]
        soft = F.kl_div(F.log_softmax(s_logits / temp, dim=1),
                        F.softmax(t_out["logits"] / temp, dim=1),
                        reduction="batchmean") * (temp * temp)
        return alpha * soft + (1 - alpha) * F.cross_entropy(s_logits, y)
    if kind == "fitnets":
        mapped = s_taps[t["student_layer"]] @ regressor[0] + regressor[1]
        return F.mse_loss(mapped, t_out[t["teacher_layer"]])
    if kind == "sp":
        fs, ft = s_taps[t["student_layer"]], t_out[t["teacher_layer"]]
        gs = F.normalize(fs @ fs.t(), dim=1, eps=1e-12)
        gt = F.normalize(ft @ ft.t(), dim=1, eps=1e-12)
        return (gt - gs).pow(2).sum() / (fs.shape[0] * fs.shape[0])
    raise SystemExit("unknown term " + kind)


if __name__ == "__main__":
    main()
