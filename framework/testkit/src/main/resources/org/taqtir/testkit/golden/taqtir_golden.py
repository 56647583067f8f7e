"""Golden loss values for a Taqtir strategy, in the JSON format org.taqtir.testkit.GoldenLosses reads.

Write your strategy's formula a second time here, in NumPy and float64, from the paper (explicit
loops where the Java code uses matrix tricks), and let this module draw the inputs and write the
file your test reads with GoldenLosses.assertMatches(MyTest.class, "/golden/losses.json").

Get this module from the testkit jar (it ships inside):

    java -cp taqtir-testkit-VERSION.jar org.taqtir.testkit.GoldenScript > src/test/python/taqtir_golden.py

A generator, src/test/python/golden.py:

    import numpy as np
    import taqtir_golden as tg

    def my_kd(s, t, temperature):                      # the formula, float64
        logq = tg.log_softmax(s / temperature)
        logp = tg.log_softmax(t / temperature)
        return temperature ** 2 * (np.exp(logp) * (logp - logq)).sum() / len(s)

    rng = np.random.default_rng(1)
    cases = []
    for temperature in [1.0, 4.0]:
        s, t, y = tg.logits_case(rng, b=6, c=5)
        cases.append(tg.case("my-kd", {"temperature": temperature}, s, t, y,
                             my_kd(s, t, temperature)))
    # float32, as in training: compute the reference from the float32-rounded inputs
    s, t, y = tg.logits_case(rng, b=128, c=100, decimals=3)
    cases.append(tg.case("my-kd", {}, s, t, y, my_kd(tg.f32(s), tg.f32(t), 4.0), dtype="float32"))
    tg.write("src/test/resources/golden/losses.json", cases, generator="src/test/python/golden.py")

Run it with python3 (NumPy needed) and commit the JSON: the Java tests then need no Python.
"""
import json
import os

import numpy as np


def log_softmax(z):
    """Row-wise log-softmax of a (B, C) array, max-shifted."""
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def softmax(z):
    """Row-wise softmax of a (B, C) array."""
    return np.exp(log_softmax(z))


def onehot(y, c):
    """(B, C) one-hot rows of the labels y."""
    return np.eye(c)[y]


def f32(a):
    """The values a float32 case feeds the strategy, as float64 (for the reference)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def logits_case(rng, b=6, c=5, scale_s=2.0, scale_t=3.0, decimals=None):
    """Student logits, teacher logits (Gaussian, scaled) and labels for a batch of b samples.

    decimals rounds the logits (shorter JSON for large cases)."""
    s = rng.normal(size=(b, c)) * scale_s
    t = rng.normal(size=(b, c)) * scale_t
    y = rng.integers(0, c, size=b)
    if decimals is not None:
        s, t = np.round(s, decimals), np.round(t, decimals)
    return s, t, y


def case(strategy, params, s, t, y, loss, sf=None, tf=None, epoch=0, note="", dtype=None,
         tolerance=None):
    """One golden case. sf / tf: {tap: array (B, ...)} student / teacher features.

    params holds the parameters that differ from the defaults; dtype "float32" makes the test
    round the inputs to float32; tolerance is relative (default 1e-5, of max(1, |loss|))."""

    def feats(d):
        return {k: {"shape": list(v.shape[1:]), "values": v.ravel().tolist()}
                for k, v in (d or {}).items()}

    out = {
        "strategy": strategy,
        "params": params,
        "note": note,
        "epoch": epoch,
        "classes": int(s.shape[1]),
        "student_logits": s.ravel().tolist(),
        "teacher_logits": t.ravel().tolist(),
        "labels": [int(v) for v in y],
        "student_features": feats(sf),
        "teacher_features": feats(tf),
        "loss": float(loss),
    }
    if dtype is not None:
        out["dtype"] = dtype
    if tolerance is not None:
        out["tolerance"] = float(tolerance)
    return out


def write(path, cases, generator):
    """Writes the cases as the JSON GoldenLosses.assertMatches reads."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"generator": generator, "cases": cases}, f)
        f.write("\n")
    print(path, len(cases), "cases")
