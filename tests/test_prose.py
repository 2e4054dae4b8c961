"""Prose comes in small steps: no markdown cell of a chapter is over 300 words.

Directive options (``:class: tip``) sit directly under the ``:::{admonition} Title`` line;
anywhere else MyST shows them as literal text (e.g. after a title wrapped onto a second
line, or after a blank line).

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
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def test_the_count_skips_display_maths_and_tables():
    cell = "One two three.\n\n$$\na + b = c\n$$\n\n| x | y |\n|---|---|\n| 1 | 2 |\nfour"
    assert prose_words(cell) == 4
    assert prose_words("word " * 301) == 301


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_prose_cell_over_300_words(path):
    long = [(i, n) for i, src in markdown_cells(path) if (n := prose_words(src)) > MAX_WORDS]
    assert not long, (
        f"{path.name}: markdown cells (0-based index, words) over {MAX_WORDS} words: "
        f"{long}. Split them with a figure, a code call or a heading, or move asides "
        "into an admonition or a dropdown."
    )


DIRECTIVE = re.compile(r"^\s*(:{3,}|`{3,})\{[\w-]+\}")
OPTION = re.compile(r"^\s*:[a-z][\w-]*:(\s|$)")


def misplaced_options(source):
    """Lines of ``source`` (1-based) that look like a directive option but are not in
    the block of options directly under a ``:::{...}`` or ```` ```{...} ```` line."""
    lines = source.split("\n")
    bad = []
    for i, line in enumerate(lines):
        if not DIRECTIVE.match(line):
            continue
        j = i + 1
        while j < len(lines) and OPTION.match(lines[j]):
            j += 1  # the option block, directly under the directive line
        while (
            j < len(lines)
            and not DIRECTIVE.match(lines[j])
            and not re.match(r"^\s*(:{3,}|`{3,})\s*$", lines[j])
        ):
            if OPTION.match(lines[j]):
                bad.append(j + 1)
            j += 1
    return bad


def test_misplaced_options_are_found():
    good = ":::{admonition} Title\n:class: tip\n:name: q1\n\nText {cite:t}`x`.\n:::"
    assert misplaced_options(good) == []
    assert misplaced_options("```{bibliography}\n:all:\n```") == []
    wrapped = ":::{admonition} A long title\nwrapped\n:class: tip\n\nText.\n:::"
    assert misplaced_options(wrapped) == [3]
    after_blank = ":::{dropdown} Title\n\n:open:\nText.\n:::"
    assert misplaced_options(after_blank) == [3]
    assert misplaced_options("```{note}\nText\n:class: tip\n```") == [3]


SOURCES = NOTEBOOKS + sorted(BOOK.glob("*.md"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_directive_options_sit_under_the_directive_line(path):
    if path.suffix == ".ipynb":
        cells = markdown_cells(path)
    else:
        cells = [(None, path.read_text(encoding="utf-8"))]
    bad = [(i, n) for i, src in cells if (lines := misplaced_options(src)) for n in lines]
    assert not bad, (
        f"{path.name}: (cell index, line) with a directive option that MyST will show as "
        f"text: {bad}. Keep the title on the directive line and put the options on the "
        "lines directly under it, before the blank line."
    )


if __name__ == "__main__":
    rows = [(prose_words(src), p.name, i) for p in NOTEBOOKS for i, src in markdown_cells(p)]
    for n, name, i in sorted(rows, reverse=True)[: int(sys.argv[1]) if len(sys.argv) > 1 else 25]:
        print(f"{n:5d}  {name}  cell {i}")
