#!/usr/bin/python3
"""Writes the course notebooks' cells (prose + code) from the sources in this folder.

The code cells of each notebook live in nbNN.py and are shared by all its editions (nbNN_en.py,
nbNN_ar.py hold the prose). After building, execute them on the Taqtir kernel to fill the outputs:
`bin/notebooks` (see notebooks/README.md). Usage: build_notebooks.py [OUT_DIR [NAME.ipynb ...]]
or build_notebooks.py --copy-outputs EXECUTED.ipynb OTHER_EDITION.ipynb
"""
import importlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nbcommon import code, md, notebook, write  # noqa: E402

# (file name, code module, prose module, right-to-left)
NOTEBOOKS = [
    ("01-soft-targets.ipynb", "nb01", "nb01_en", False),
    ("01-soft-targets.ar.ipynb", "nb01", "nb01_ar", True),
    ("02-response-kd.ipynb", "nb02", "nb02_en", False),
    ("02-response-kd.ar.ipynb", "nb02", "nb02_ar", True),
    ("03-feature-kd.ipynb", "nb03", "nb03_en", False),
    ("04-relation-kd.ipynb", "nb04", "nb04_en", False),
    ("05-what-we-lose.ipynb", "nb05", "nb05_en", False),
    ("05-what-we-lose.ar.ipynb", "nb05", "nb05_ar", True),
    ("06-loss-statement.ipynb", "nb06", "nb06_en", False),
    ("06-loss-statement.ar.ipynb", "nb06", "nb06_ar", True),
    ("07-cascade.ipynb", "nb07", "nb07_en", False),
    ("07-cascade.ar.ipynb", "nb07", "nb07_ar", True),
    ("08-own-strategy.ipynb", "nb08", "nb08_en", False),
    ("09-tabular.ipynb", "nb09", "nb09_en", False),
    ("10-when-kd-helps.ipynb", "nb10", "nb10_en", False),
    ("10-when-kd-helps.ar.ipynb", "nb10", "nb10_ar", True),
    ("11-lm-forward-reverse-kl.ipynb", "nb11", "nb11_en", False),
    ("11-lm-forward-reverse-kl.ar.ipynb", "nb11", "nb11_ar", True),
    ("12-lm-what-we-lose.ipynb", "nb12", "nb12_en", False),
    ("12-lm-what-we-lose.ar.ipynb", "nb12", "nb12_ar", True),
]


def build(code_mod, prose_mod, rtl):
    c = importlib.import_module(code_mod)
    p = importlib.import_module(prose_mod)
    cells = [md(p.TITLE)]
    for name in c.CELLS:
        text = getattr(p, name, None)
        if text:
            cells.append(md(wrap_rtl(text) if rtl else text))
        cells.append(code(getattr(c, name)))
    cells.append(md(wrap_rtl(p.END) if rtl else p.END))
    if rtl:
        cells[0] = md(wrap_rtl(p.TITLE))
    return notebook(cells, c.MIN_IMAGES, rtl)


ARABIC_INDIC_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
# an inline code span (not a fenced block: those start a line with three backticks)
INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")


def wrap_rtl(text):
    """Right-to-left prose: a div with dir=rtl (Jupyter and GitHub render markdown inside it). Inline
    code is isolated left-to-right (`<bdi dir="ltr">`), so that `a: [1, 2]` or a path keeps its order
    inside Arabic sentences. The course writes numbers in one digit style (0-9, as the outputs and
    formulas do): Arabic-Indic digits in the prose are refused."""
    bad = ARABIC_INDIC_DIGITS.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise SystemExit(f"Arabic prose, line {line} of a cell: digit {bad.group()!r}; write 0-9")
    text = INLINE_CODE.sub(lambda m: '<bdi dir="ltr">`' + m.group(1) + "`</bdi>", text.strip("\n"))
    return '<div dir="rtl">\n\n' + text + "\n\n</div>"


def copy_outputs(src, dst):
    """Gives dst (another edition of the same notebook) the outputs of an executed src, cell by cell;
    the code cells must be identical, which is how the editions are built."""
    import nbformat

    a = nbformat.read(src, as_version=4)
    b = nbformat.read(dst, as_version=4)
    ca = [c for c in a.cells if c.cell_type == "code"]
    cb = [c for c in b.cells if c.cell_type == "code"]
    if [c.source for c in ca] != [c.source for c in cb]:
        raise SystemExit(f"{dst}: its code cells differ from {src}'s; rebuild it first")
    for x, y in zip(ca, cb):
        y.outputs = x.outputs
        y.execution_count = x.execution_count
    write(b, dst)
    print("copied outputs", src, "->", dst)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--copy-outputs":
        copy_outputs(sys.argv[2], sys.argv[3])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    only = set(sys.argv[2:])
    for name, code_mod, prose_mod, rtl in NOTEBOOKS:
        if only and name not in only:
            continue
        write(build(code_mod, prose_mod, rtl), os.path.join(out, name))
        print("wrote", name)


if __name__ == "__main__":
    main()
