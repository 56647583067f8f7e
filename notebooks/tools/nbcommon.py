"""Shared helpers for building the course notebooks (see build_notebooks.py)."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "taqtir", "display_name": "Taqtir (Java)", "language": "java"}
LANGUAGE_INFO = {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}


def md(text):
    return new_markdown_cell(text.strip("\n"))


def code(text):
    return new_code_cell(text.strip("\n"))


def notebook(cells, min_images, rtl=False):
    """A notebook whose metadata says how many PNG outputs its run must produce."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    nb.metadata["taqtir"] = {"min_images": min_images}
    if rtl:
        nb.metadata["taqtir"]["direction"] = "rtl"
    return nb


def write(nb, path):
    nbformat.validate(nb)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
