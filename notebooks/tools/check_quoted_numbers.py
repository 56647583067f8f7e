#!/usr/bin/python3
"""Checks that the numbers quoted in the course's prose match the notebooks' committed outputs.

The quotes are listed in quoted-numbers.json (next to this file); NotebookQuotedNumbersTest in
framework/cli runs the same check in the test suite. Usage: check_quoted_numbers.py [NOTEBOOKS_DIR]
"""
import json
import os
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))


def text(value):
    """A notebook field that is a string or a list of strings (nbformat allows both)."""
    return "".join(value) if isinstance(value, list) else (value or "")


def only_cell(cells, kind, snippet, notebook):
    hits = [c for c in cells if c["cell_type"] == kind and snippet in text(c["source"])]
    if len(hits) != 1:
        raise AssertionError(f"{notebook}: {len(hits)} {kind} cells contain {snippet!r}, expected 1")
    return hits[0]


def outputs_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if "text" in o:
            parts.append(text(o["text"]))
        elif "text/plain" in o.get("data", {}):
            parts.append(text(o["data"]["text/plain"]))
    return "\n".join(parts)


def check(quote, notebooks_dir):
    """Returns None when the quote matches its output, else what is wrong."""
    name = quote["notebook"]
    with open(os.path.join(notebooks_dir, name), encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    prose = text(only_cell(cells, "markdown", quote["prose_cell"], name)["source"])
    m = re.search(quote["prose"], prose)
    if not m:
        return f"the prose no longer matches /{quote['prose']}/"
    quoted = m.group(1).replace(",", "")
    out = outputs_text(only_cell(cells, "code", quote["output_cell"], name))
    n = re.search(quote["output"], out)
    if not n:
        return f"the outputs no longer match /{quote['output']}/"
    decimals = len(quoted.split(".")[1]) if "." in quoted else 0
    value = (Decimal(n.group(1)) * Decimal(quote["scale"])).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if value != Decimal(quoted):
        return f"the prose says {m.group(1)}, the outputs say {n.group(1)} (x{quote['scale']} = {value})"
    return None


def main():
    notebooks_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..")
    with open(os.path.join(HERE, "quoted-numbers.json"), encoding="utf-8") as f:
        quotes = json.load(f)["quotes"]
    failed = 0
    for q in quotes:
        why = check(q, notebooks_dir)
        print(("FAIL " if why else "ok   ") + q["notebook"] + ": " + q["what"] + (": " + why if why else ""))
        failed += why is not None
    print(f"{len(quotes) - failed} of {len(quotes)} quoted numbers match their outputs")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
