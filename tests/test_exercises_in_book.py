"""Every registered exercise appears in the book: the exercise registry is tied to the
stored notebooks, so a learner who does every exercise in the book can reach full marks."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

import lstm_gru_course.exercises as exercises
from lstm_gru_course.exercises import _core

BOOK = Path(__file__).resolve().parent.parent / "book"
for _chapter in exercises.CHAPTERS:
    importlib.import_module(f"lstm_gru_course.exercises.{_chapter}")
PROBLEMS = [p for chapter in exercises.CHAPTERS for p in _core._REGISTRY[chapter]]
IMPORT = re.compile(r"from lstm_gru_course\.exercises import (\w+) as ex\b")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _exercise_cells() -> dict[str, list[dict]]:
    """chapter -> the code cells of the notebook(s) that import its exercises as ``ex``."""
    found: dict[str, list[dict]] = {}
    for path in sorted(BOOK.glob("*.ipynb")):
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        chapters = {m for c in cells for m in IMPORT.findall(_text(c["source"]))}
        for chapter in chapters:
            found.setdefault(chapter, []).extend(cells)
    return found


CELLS = _exercise_cells()


def _outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(_text(out.get("text", "")))
        parts.append(_text(out.get("data", {}).get("text/plain", "")))
    return "".join(parts)


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.key for p in PROBLEMS])
def test_every_registered_exercise_is_asked_and_checked_in_a_stored_notebook_cell(problem):
    cells = CELLS.get(problem.chapter)
    assert cells, f"no notebook imports the {problem.chapter} exercises as ex"
    shown = [
        c
        for c in cells
        if _text(c["source"]).strip() == f"ex.{problem.name}"
        or _text(c["source"]).strip().endswith(f"\nex.{problem.name}")
    ]
    assert shown, f"{problem.key}: no cell shows the question (ex.{problem.name})"
    assert any(_outputs(c).startswith(f"{problem.key}: {problem.kind}") for c in shown), (
        f"{problem.key}: the question cell has no stored output"
    )
    if not problem.checked:
        return
    calls = [c for c in cells if f"ex.{problem.name}.check(" in _text(c["source"])]
    assert calls, f"{problem.key}: no cell calls ex.{problem.name}.check(...)"
    replies = [_outputs(c) for c in calls]
    assert any(r.startswith(f"○ {problem.key}: Not attempted yet.") for r in replies), (
        f"{problem.key}: the stored reply is not the checker's answer to the starter code"
    )


def test_every_check_in_the_book_names_a_registered_exercise():
    known = {p.key for p in PROBLEMS}
    for chapter, cells in CELLS.items():
        for cell in cells:
            for name in re.findall(r"\bex\.(\w+)\.check\(", _text(cell["source"])):
                assert f"{chapter}.{name}" in known, f"{chapter}.{name} is not registered"


def test_full_marks_are_reachable_from_the_book():
    checked = [p for p in PROBLEMS if p.checked]
    in_book = [
        p
        for p in checked
        if any(f"ex.{p.name}.check(" in _text(c["source"]) for c in CELLS.get(p.chapter, []))
    ]
    assert len(in_book) == len(checked)
