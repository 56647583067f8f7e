#!/usr/bin/env python3
"""Golden loss values for Taqtir's strategies from an independent NumPy implementation.

Each strategy is written here from its paper / reference code in float64 with explicit loops where
the Java code uses matrix tricks (RKD's angles from difference vectors, adaptive pooling by windows,
NST's kernel by channel pairs). Inputs come from a seeded generator; inputs and expected losses are
written to JSON under each plugin's src/test/resources/golden/, which the Java tests read
(org.taqtir.testkit.GoldenLosses). Python is needed only to regenerate:

    python3 framework/testkit/golden/golden_losses.py      # from the repository root
"""
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# the generic part (input generator, JSON writer) ships in the testkit jar for outside plugins
sys.path.insert(0, os.path.join(ROOT, "framework/testkit/src/main/resources/org/taqtir/testkit/golden"))
import taqtir_golden as tg  # noqa: E402
from taqtir_golden import case, f32, log_softmax, onehot, softmax  # noqa: E402,F401

rng = np.random.default_rng(20240917)
# float32 precision cases draw from their own generator, so the cases above keep their inputs
rng32 = np.random.default_rng(20261207)


def zscore(z):
    c = z - z.mean(axis=1, keepdims=True)
    std = np.sqrt((c ** 2).sum(axis=1, keepdims=True) / (z.shape[1] - 1))
    return c / (std + 1e-7)


# ---------------------------------------------------------------- response-based
def hinton_kd(s, t, y, temperature, alpha, standardize):
    zs, zt = (zscore(s), zscore(t)) if standardize else (s, t)
    logq = log_softmax(zs / temperature)
    logp = log_softmax(zt / temperature)
    kl = (np.exp(logp) * (logp - logq)).sum() / len(s)
    ce = -(log_softmax(s) * onehot(y, s.shape[1])).sum() / len(s)
    return (1 - alpha) * ce + alpha * temperature ** 2 * kl


def kl(p, q):
    return sum(pi * (np.log(pi) - np.log(qi)) for pi, qi in zip(p, q) if pi > 0)


def dkd(s, t, y, alpha, beta, temperature, warmup, standardize, epoch):
    if standardize:
        s, t = zscore(s), zscore(t)
    total = 0.0
    for i in range(len(s)):
        q = softmax(s[i : i + 1] / temperature)[0]
        p = softmax(t[i : i + 1] / temperature)[0]
        g = y[i]
        others = [c for c in range(len(q)) if c != g]
        tckd = kl([p[g], p[others].sum()], [q[g], q[others].sum()])
        ph = p[others] / p[others].sum()
        qh = q[others] / q[others].sum()
        total += alpha * tckd + beta * kl(ph, qh)
    w = min((epoch + 1) / warmup, 1.0) if warmup > 0 else 1.0
    return w * temperature ** 2 * total / len(s)


def pearson(a, b):
    a = a - a.mean()
    b = b - b.mean()
    return (a * b).sum() / (np.sqrt((a * a).sum()) * np.sqrt((b * b).sum()) + 1e-8)


def dist(s, t, beta, gamma, tau):
    ys, yt = softmax(s / tau), softmax(t / tau)
    inter = 1 - np.mean([pearson(ys[i], yt[i]) for i in range(len(s))])
    intra = 1 - np.mean([pearson(ys[:, c], yt[:, c]) for c in range(s.shape[1])])
    return tau ** 2 * (beta * inter + gamma * intra)


def nkd(s, t, y, gamma, temperature):
    total = 0.0
    for i in range(len(s)):
        g = y[i]
        others = [c for c in range(s.shape[1]) if c != g]
        logy = log_softmax(s[i : i + 1])[0]
        tp = softmax(t[i : i + 1])[0]
        that = softmax(t[i : i + 1, others] / temperature)[0]
        logshat = log_softmax(s[i : i + 1, others] / temperature)[0]
        total += tp[g] * logy[g] + gamma * temperature ** 2 * (that * logshat).sum()
    return -total / len(s)


# ---------------------------------------------------------------- feature-based
def flat(f):
    return f.reshape(len(f), -1)


def fitnets_identity(fs, ft):
    return ((flat(fs) - flat(ft)) ** 2).mean()


def pkt(fs, ft, eps=1e-7):
    def cond(f):
        f = flat(f)
        unit = f / (np.linalg.norm(f, axis=1, keepdims=True) + eps)
        k = (unit @ unit.T + 1) / 2
        return k / k.sum(axis=1, keepdims=True)

    q, p = cond(fs), cond(ft)
    return (p * np.log((p + eps) / (q + eps))).mean()


def adaptive_avg_pool(a, h, w):
    """PyTorch's adaptive_avg_pool2d by explicit windows."""
    b, c, hin, win = a.shape
    out = np.zeros((b, c, h, w))
    for i in range(h):
        r0, r1 = (i * hin) // h, -((-(i + 1) * hin) // h)
        for j in range(w):
            c0, c1 = (j * win) // w, -((-(j + 1) * win) // w)
            out[:, :, i, j] = a[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
    return out


def common_size(fs, ft):
    h = min(fs.shape[2], ft.shape[2])
    w = min(fs.shape[3], ft.shape[3])
    if fs.shape[2:] != (h, w):
        fs = adaptive_avg_pool(fs, h, w)
    if ft.shape[2:] != (h, w):
        ft = adaptive_avg_pool(ft, h, w)
    return fs, ft


def normalize_rows(x):
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def at(fs, ft, p, beta):
    """Zagoruyko & Komodakis' utils.py: at(x) = normalize(x.pow(p).mean(1).view(B,-1))."""
    fs, ft = common_size(fs, ft)

    def amap(a):
        return normalize_rows((np.abs(a) ** p).mean(axis=1).reshape(len(a), -1))

    return beta / 2 * ((amap(fs) - amap(ft)) ** 2).mean()


def nst(fs, ft, beta):
    fs, ft = common_size(fs, ft)
    s = normalize_rows(fs.reshape(fs.shape[0], fs.shape[1], -1))
    t = normalize_rows(ft.reshape(ft.shape[0], ft.shape[1], -1))
    total = 0.0
    for i in range(len(s)):

        def kmean(x, y):
            return np.mean([[np.dot(a, b) ** 2 for b in y] for a in x])

        total += kmean(t[i], t[i]) + kmean(s[i], s[i]) - 2 * kmean(s[i], t[i])
    return beta * total / len(s)


# ---------------------------------------------------------------- relation-based
def sp(fs, ft):
    def g(f):
        f = flat(f)
        return normalize_rows(f @ f.T)

    b = len(fs)
    return ((g(ft) - g(fs)) ** 2).sum() / b ** 2


def huber(x):
    a = np.abs(x)
    return np.where(a < 1, 0.5 * x * x, a - 0.5)


def rkd(fs, ft, wd, wa):
    def psi_d(e):
        b = len(e)
        d = np.array([[np.linalg.norm(e[i] - e[j]) for j in range(b)] for i in range(b)])
        mu = d[~np.eye(b, dtype=bool)].mean()
        return d / mu

    def psi_a(e):
        b = len(e)
        out = np.zeros((b, b, b))
        for i in range(b):
            for j in range(b):
                for k in range(b):
                    u, v = e[j] - e[i], e[k] - e[i]
                    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
                    out[i, j, k] = 0.0 if nu == 0 or nv == 0 else np.dot(u, v) / (nu * nv)
        return out

    es, et = flat(fs), flat(ft)
    return wd * huber(psi_d(es) - psi_d(et)).mean() + wa * huber(psi_a(es) - psi_a(et)).mean()


def cc(fs, ft, gamma):
    def corr(f):
        f = normalize_rows(flat(f))
        b = len(f)
        return np.array(
            [[np.exp(-gamma * ((f[i] - f[j]) ** 2).sum()) for j in range(b)] for i in range(b)]
        )

    b = len(fs)
    return ((corr(ft) - corr(fs)) ** 2).sum() / b ** 2


# ---------------------------------------------------------------- cases
def logits_case(b=6, c=5, scale_s=2.0, scale_t=3.0):
    return tg.logits_case(rng, b, c, scale_s, scale_t)


def response_cases():
    out = []
    for temperature, alpha, std in [(4.0, 0.9, False), (2.0, 0.5, False), (4.0, 0.9, True)]:
        s, t, y = logits_case()
        p = {"temperature": temperature, "alpha": alpha, "standardize": std}
        out.append(case("hinton-kd", p, s, t, y, hinton_kd(s, t, y, temperature, alpha, std)))
    for a, b, temp, warm, std, epoch in [
        (1.0, 8.0, 4.0, 0, False, 0),
        (1.0, 8.0, 4.0, 20, False, 4),
        (0.5, 2.0, 2.0, 0, True, 0),
    ]:
        s, t, y = logits_case()
        p = {"alpha": a, "beta": b, "temperature": temp, "warmup_epochs": warm, "standardize": std}
        out.append(case("dkd", p, s, t, y, dkd(s, t, y, a, b, temp, warm, std, epoch), epoch=epoch))
    for beta, gamma, tau in [(1.0, 1.0, 1.0), (2.0, 0.5, 4.0)]:
        s, t, y = logits_case()
        out.append(case("dist", {"beta": beta, "gamma": gamma, "tau": tau}, s, t, y, dist(s, t, beta, gamma, tau)))
    for gamma, temperature in [(1.5, 1.0), (1.0, 2.0)]:
        s, t, y = logits_case()
        p = {"gamma": gamma, "temperature": temperature}
        out.append(case("nkd", p, s, t, y, nkd(s, t, y, gamma, temperature)))
    return out + float32_cases()


def float32_cases():
    """Float32 inputs, as in training: where a float32 formula loses digits (cancelling sums)."""
    out = []
    # student = teacher: the KL is 0; a cross-entropy sum minus an entropy sum is not
    for b, c, temperature, tol in [(6, 5, 4.0, 1e-7), (128, 100, 20.0, 1e-7)]:
        s, _, y = tg.logits_case(rng32, b, c, scale_s=3.0, decimals=2)
        p = {"temperature": temperature, "alpha": 1.0}
        note = "student = teacher, float32: exactly 0"
        out.append(case("hinton-kd", p, s, s, y, 0.0, note=note, dtype="float32", tolerance=tol))
    # DKD's target-class term (β = 0 isolates it) needs log(1 - p_gt) from a max-shifted
    # log-sum-exp. As the mean of v - logSoftmax(v) over logits masked with -1000 (float32 spacing
    # 6e-5 at 1000) it was off by 1e-5 to 5e-5 on batches of a student near its teacher (torch
    # float32, 18 draws); max-shifted, by < 1.5e-6.
    for b, c, noise in [(4, 5, 1.0), (6, 8, 0.5)]:
        _, t, y = tg.logits_case(rng32, b, c, decimals=2)
        s = np.round(t + noise * rng32.normal(size=t.shape), 2)
        p = {"alpha": 1.0, "beta": 0.0, "temperature": 4.0, "warmup_epochs": 0}
        loss = dkd(f32(s), f32(t), y, 1.0, 0.0, 4.0, 0, False, 0)
        note = "float32, %dx%d, TCKD only, student near teacher" % (b, c)
        out.append(case("dkd", p, s, t, y, loss, note=note, dtype="float32", tolerance=3e-6))
    return out


def maps(b, c, h, w, relu=True):
    a = rng.normal(size=(b, c, h, w))
    return np.maximum(a, 0) if relu else a


def feature_cases():
    out = []
    b = 4
    s, t, y = logits_case(b=b)
    fs, ft = rng.normal(size=(b, 7)), rng.normal(size=(b, 7))
    p = {"student_layer": "hs", "teacher_layer": "ht", "regressor": "none"}
    out.append(case("fitnets", p, s, t, y, fitnets_identity(fs, ft), {"hs": fs}, {"ht": ft}))
    fs, ft = rng.normal(size=(b, 6)), rng.normal(size=(b, 9))
    p = {"student_layer": "hs", "teacher_layer": "ht"}
    out.append(case("pkt", p, s, t, y, pkt(fs, ft), {"hs": fs}, {"ht": ft}))
    for (sc, tc, sh, th, pw, note) in [
        ((3, 5, 5), (6, 5, 5), None, None, 2.0, "channel counts differ"),
        ((4, 7, 7), (8, 3, 3), None, None, 2.0, "student 7x7 pooled to 3x3 (uneven windows)"),
        ((2, 4, 6), (5, 6, 9), None, None, 3.0, "teacher 6x9 pooled to 4x6, p = 3"),
    ]:
        fs, ft = maps(b, *sc), maps(b, *tc)
        p = {"student_layer": "bs", "teacher_layer": "bt", "p": pw, "beta": 1000.0}
        out.append(case("at", p, s, t, y, at(fs, ft, pw, 1000.0), {"bs": fs}, {"bt": ft}, note=note))
    for (sc, tc, beta, note) in [
        ((3, 4, 4), (5, 4, 4), 50.0, "channel counts differ"),
        ((4, 6, 6), (6, 4, 4), 50.0, "student 6x6 pooled to 4x4"),
        ((2, 3, 5), (3, 7, 5), 10.0, "teacher 7x5 pooled to 3x5"),
    ]:
        fs, ft = maps(b, *sc), maps(b, *tc)
        p = {"student_layer": "bs", "teacher_layer": "bt", "beta": beta}
        out.append(case("nst", p, s, t, y, nst(fs, ft, beta), {"bs": fs}, {"bt": ft}, note=note))
    return out


def relation_cases():
    out = []
    b = 5
    s, t, y = logits_case(b=b)
    fs, ft = rng.normal(size=(b, 6)), rng.normal(size=(b, 10))
    p = {"student_layer": "hs", "teacher_layer": "ht"}
    out.append(case("sp", p, s, t, y, sp(fs, ft), {"hs": fs}, {"ht": ft}))
    p = {"student_layer": "hs", "teacher_layer": "ht", "distance_weight": 25.0, "angle_weight": 50.0}
    out.append(case("rkd", p, s, t, y, rkd(fs, ft, 25.0, 50.0), {"hs": fs}, {"ht": ft}))
    p = {"student_layer": "hs", "teacher_layer": "ht", "gamma": 0.4}
    out.append(case("cc", p, s, t, y, cc(fs, ft, 0.4), {"hs": fs}, {"ht": ft}))
    return out


def write(plugin, cases):
    d = os.path.join(ROOT, "plugins", plugin, "src", "test", "resources", "golden")
    tg.write(os.path.join(d, "losses.json"), cases, "framework/testkit/golden/golden_losses.py")
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write(
            "`losses.json`: inputs and expected losses from an independent NumPy implementation.\n"
            "Regenerate from the repository root with `python3 framework/testkit/golden/golden_losses.py`.\n"
        )


write("strategies-response", response_cases())
write("strategies-feature", feature_cases())
write("strategies-relation", relation_cases())
