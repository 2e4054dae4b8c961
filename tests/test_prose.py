"""Prose comes in small steps: no markdown cell of a chapter is over 300 words.

Words are whitespace-separated tokens; display maths ($$ ... $$ blocks) and table rows
(lines starting with |) are not counted. Run this file as a script to list every
markdown cell with its word count, longest first.
"""

import json
import re
import sys
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
MAX_WORDS = 300


def prose_words(source):
    """Number of words in a markdown cell's source, without display maths and tables."""
    text = re.sub(r"\$\$.*?\$\$", " ", source, flags=re.S)
    lines = [line for line in text.split("\n") if not line.lstrip().startswith("|")]
    return len(" ".join(lines).split())


def markdown_cells(path):
    """(index, source) of every markdown cell of the notebook at ``path``."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells)
            if c["cell_type"] == "markdown"]


NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def test_the_count_skips_display_maths_and_tables():
    cell = "One two three.\n\n$$\na + b = c\n$$\n\n| x | y |\n|---|---|\n| 1 | 2 |\nfour"
    assert prose_words(cell) == 4
    assert prose_words("word " * 301) == 301


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_prose_cell_over_300_words(path):
    long = [(i, n) for i, src in markdown_cells(path)
            if (n := prose_words(src)) > MAX_WORDS]
    assert not long, (
        f"{path.name}: markdown cells (0-based index, words) over {MAX_WORDS} words: "
        f"{long}. Split them with a figure, a code call or a heading, or move asides "
        "into an admonition or a dropdown."
    )


if __name__ == "__main__":
    rows = [(prose_words(src), p.name, i) for p in NOTEBOOKS for i, src in markdown_cells(p)]
    for n, name, i in sorted(rows, reverse=True)[: int(sys.argv[1]) if len(sys.argv) > 1 else 25]:
        print(f"{n:5d}  {name}  cell {i}")
