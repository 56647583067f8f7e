"""Writes wine.csv from the wine table that scikit-learn ships (python3-sklearn), with its column names."""
import os

SRC = "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv"
NAMES = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
    "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
    "od280_od315_of_diluted_wines", "proline",
]
lines = open(SRC).read().strip().split("\n")
n, d = (int(v) for v in lines[0].split(",")[:2])
assert d == len(NAMES) and len(lines) == n + 1
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "wine.csv"), "w") as f:
    f.write(",".join(NAMES) + ",cultivar\n")
    for line in lines[1:]:
        v = line.split(",")
        f.write(",".join(v[:d]) + ",class_" + v[d] + "\n")
