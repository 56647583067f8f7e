"""Writes diabetes.csv from the unscaled diabetes tables that scikit-learn ships (python3-sklearn)."""
import gzip
import os

SRC = "/usr/lib/python3/dist-packages/sklearn/datasets/data"
raw = [l.split() for l in gzip.open(os.path.join(SRC, "diabetes_data_raw.csv.gz"), "rt") if l.strip()]
target = [float(l) for l in gzip.open(os.path.join(SRC, "diabetes_target.csv.gz"), "rt") if l.strip()]
assert len(raw) == len(target) == 442
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "diabetes.csv"), "w") as f:
    f.write("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression\n")
    for r, t in zip(raw, target):
        f.write(",".join(r) + "," + ("%g" % t) + "\n")
