#!/usr/bin/env python3
"""Golden values for Taqtir's token-level language-model distillation losses, from an independent
NumPy implementation in float64.

Each divergence is written from its paper's definition, position by position with explicit loops
over (b, t) and plain sums over the vocabulary (the Java code works on whole (B, T, V) arrays with
log-sum-exp tricks). Cases cover: dense distributions, temperature, padded positions (label -1,
which must contribute nothing), peaked logits (+-30: probabilities that underflow in float32), and
a teacher given as its top-k tokens plus a tail bucket. Writes
plugins/strategies-lm/src/test/resources/golden/lm-losses.json, which GoldenLmLossesTest reads.
Python with NumPy is needed only to regenerate:

    python3 plugins/strategies-lm/golden/golden_lm_losses.py      # from the repository root
"""
import json
import math
import os

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "plugins/strategies-lm/src/test/resources/golden/lm-losses.json")
rng = np.random.default_rng(20261207)


def log_softmax(z):
    m = max(z)
    lse = m + math.log(sum(math.exp(v - m) for v in z))
    return [v - lse for v in z]


def kl(logp, logq):
    return sum(math.exp(a) * (a - b) for a, b in zip(logp, logq))


def log_mix(loga, wa, logb, wb):
    """log(wa * exp(loga) + wb * exp(logb)), element-wise."""
    out = []
    for a, b in zip(loga, logb):
        x, y = a + math.log(wa), b + math.log(wb)
        m = max(x, y)
        out.append(m + math.log(math.exp(x - m) + math.exp(y - m)))
    return out


def divergence(strategy, params, ls, lt):
    """One position's divergence of the student's (ls) and the teacher's (lt) log-probabilities."""
    if strategy == "forward-kl":
        return kl(lt, ls)
    if strategy == "reverse-kl":
        return kl(ls, lt)
    if strategy == "symmetric-kl":
        return kl(lt, ls) + kl(ls, lt)
    if strategy == "tvd":
        return 0.5 * sum(abs(math.exp(a) - math.exp(b)) for a, b in zip(lt, ls))
    if strategy == "jsd":
        beta = params.get("beta", 0.5)
        if beta == 0:
            return kl(lt, ls)
        if beta == 1:
            return kl(ls, lt)
        lm = log_mix(lt, beta, ls, 1 - beta)
        return beta * kl(lt, lm) + (1 - beta) * kl(ls, lm)
    if strategy == "skew-forward-kl":
        lam = params.get("lambda", 0.1)
        return kl(lt, log_mix(lt, lam, ls, 1 - lam)) if lam > 0 else kl(lt, ls)
    if strategy == "uld":
        # Boizard et al. 2024: L1 between the probabilities sorted in descending order
        ps = sorted((math.exp(a) for a in ls), reverse=True)
        pt = sorted((math.exp(a) for a in lt), reverse=True)
        return sum(abs(a - b) for a, b in zip(ps, pt))
    if strategy == "skew-reverse-kl":
        lam = params.get("lambda", 0.1)
        return kl(ls, log_mix(ls, lam, lt, 1 - lam)) if lam > 0 else kl(ls, lt)
    raise SystemExit("unknown " + strategy)


def buckets(logp, ids):
    """The k + 1 buckets: log-probabilities at ids, and the log of the rest's total probability."""
    rest = [v for i, v in enumerate(logp) if i not in set(ids)]
    m = max(rest)
    tail = m + math.log(sum(math.exp(v - m) for v in rest))
    return [logp[i] for i in ids] + [tail]


def loss(strategy, params, s, t, labels, top_k):
    b, tt, v = s.shape
    if strategy == "sequence-kd":
        # next-token cross-entropy on the (generated) labels, padding excluded
        terms = [-log_softmax(list(s[i, j]))[labels[i][j]]
                 for i in range(b) for j in range(tt) if labels[i][j] >= 0]
        return sum(terms) / max(1, len(terms))
    if strategy == "on-policy":
        # the divergence it delegates to, on whatever batch it is given
        return loss(params.get("divergence", "jsd"), params, s, t, labels, top_k)
    temperature = params.get("temperature", 1.0)
    total, count = 0.0, 0
    for i in range(b):
        for j in range(tt):
            if labels[i][j] < 0:
                continue
            ls = log_softmax([x / temperature for x in s[i, j]])
            lt = log_softmax([x / temperature for x in t[i, j]])
            if top_k:
                ids = sorted(range(v), key=lambda k: (-lt[k], k))[:top_k]
                ls, lt = buckets(ls, ids), buckets(lt, ids)
            total += divergence(strategy, params, ls, lt)
            count += 1
    scale = 1.0 if strategy in ("tvd", "uld") else temperature ** 2
    return scale * total / max(1, count)


def top_k_targets(t, k):
    """The teacher's top-k ids (descending probability, ties to the lower id), log-probs, tail."""
    b, tt, v = t.shape
    ids, logp, tail = [], [], []
    for i in range(b):
        for j in range(tt):
            lt = log_softmax(list(t[i, j]))
            order = sorted(range(v), key=lambda x: (-lt[x], x))[:k]
            bk = buckets(lt, order)
            ids += order
            logp += bk[:-1]
            tail.append(bk[-1])
    return ids, logp, tail


def case(strategy, params, note, b=2, tt=3, v=7, scale_s=2.0, scale_t=3.0, pad=(), top_k=0):
    s = rng.normal(0, scale_s, (b, tt, v))
    t = rng.normal(0, scale_t, (b, tt, v))
    labels = rng.integers(0, v, (b, tt))
    for i, j in pad:
        labels[i][j] = -1
    c = {"strategy": strategy, "params": params, "note": note, "batch": b, "time": tt,
         "vocabulary": v, "student_logits": s.ravel().tolist(),
         "teacher_logits": t.ravel().tolist(), "labels": labels.ravel().tolist(), "top_k": top_k,
         "loss": loss(strategy, params, s, t, labels, top_k)}
    if top_k:
        ids, logp, tail = top_k_targets(t, top_k)
        c.update({"top_k_ids": ids, "top_k_log_probs": logp, "top_k_tail": tail})
    return c


def aligned_case(note, v_student, v_teacher, b=2, tt=4):
    """uld against a teacher with its own vocabulary: its sorted probabilities (the k largest, k =
    the smaller vocabulary) at the positions where a teacher token begins; zero padding."""
    s = rng.normal(0, 2.0, (b, tt, v_student))
    t_own = rng.normal(0, 3.0, (b, tt, v_teacher))
    labels = rng.integers(0, v_student, (b, tt))
    labels[1][0] = -1
    k = min(v_student, v_teacher)
    sorted_mask = rng.integers(0, 2, (b, tt))
    sorted_mask[0][1] = 1
    sorted_t, total, count = [], 0.0, 0
    for i in range(b):
        for j in range(tt):
            pt = sorted((math.exp(a) for a in log_softmax(list(t_own[i, j]))), reverse=True)[:k]
            sorted_t += pt
            if labels[i][j] < 0 or not sorted_mask[i][j]:
                continue
            ps = sorted((math.exp(a) for a in log_softmax(list(s[i, j]))), reverse=True)
            value = sum(abs(ps[n] - pt[n]) for n in range(k)) + sum(ps[k:])
            value += max(0.0, 1.0 - sum(pt))
            total += value
            count += 1
    return {"strategy": "uld", "params": {}, "note": note, "batch": b, "time": tt,
            "vocabulary": v_student, "student_logits": s.ravel().tolist(),
            "teacher_logits": rng.normal(0, 1.0, (b, tt, v_student)).ravel().tolist(),
            "labels": labels.ravel().tolist(), "top_k": 0,
            "aligned_sorted": sorted_t, "aligned_sorted_mask": sorted_mask.ravel().tolist(),
            "aligned_k": k, "loss": total / max(1, count)}


def main():
    cases = []
    every = ["forward-kl", "reverse-kl", "jsd", "skew-forward-kl", "skew-reverse-kl",
             "symmetric-kl", "tvd"]
    for sid in every:
        cases.append(case(sid, {}, "defaults"))
        cases.append(case(sid, {"temperature": 2.0}, "temperature 2"))
        cases.append(case(sid, {}, "padded positions", pad=((0, 2), (1, 0))))
        cases.append(case(sid, {}, "peaked logits (+-30)", scale_s=15.0, scale_t=15.0))
        cases.append(case(sid, {}, "top-4 teacher with tail", top_k=4, pad=((1, 1),)))
    for beta in (0.0, 0.1, 0.9, 1.0):
        cases.append(case("jsd", {"beta": beta}, "beta %g" % beta))
    for lam in (0.0, 0.5):
        cases.append(case("skew-forward-kl", {"lambda": lam}, "lambda %g" % lam))
        cases.append(case("skew-reverse-kl", {"lambda": lam}, "lambda %g" % lam))
    cases.append(case("sequence-kd", {}, "cross-entropy"))
    cases.append(case("sequence-kd", {}, "padded prompt positions", pad=((0, 0), (0, 1), (1, 0))))
    cases.append(case("sequence-kd", {}, "peaked logits (+-30)", scale_s=15.0))
    cases.append(case("on-policy", {}, "defaults (jsd beta 0.5)", pad=((0, 0),)))
    cases.append(case("on-policy", {"divergence": "reverse-kl"}, "reverse-kl"))
    cases.append(case("on-policy", {"divergence": "forward-kl", "temperature": 2.0}, "forward-kl T 2"))
    cases.append(case("on-policy", {"divergence": "jsd", "beta": 0.9}, "jsd beta 0.9"))
    # appended last, so that the cases above draw the same numbers as before
    cases.append(case("uld", {}, "defaults (same vocabulary)"))
    cases.append(case("uld", {}, "padded positions", pad=((0, 2), (1, 0))))
    cases.append(case("uld", {}, "peaked logits (+-30)", scale_s=15.0, scale_t=15.0))
    cases.append(case("uld", {"temperature": 2.0}, "temperature 2"))
    cases.append(aligned_case("own tokenizer, teacher vocabulary larger", 6, 11))
    cases.append(aligned_case("own tokenizer, teacher vocabulary smaller", 9, 5))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"generator": "plugins/strategies-lm/golden/golden_lm_losses.py",
                   "cases": cases}, f)
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
