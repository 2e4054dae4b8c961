"""Write the course's exercises as an nbgrader course folder: one assignment per chapter.

    python tools/make_assignments.py                       # every chapter, into _build/nbgrader
    python tools/make_assignments.py --chapters lstm gru   # only these
    python tools/make_assignments.py --points function=4,value=1,choice=1 --out my-course

Everything comes from the exercise definitions in ``lstm_gru_course.exercises`` (the same
ones the book's notebooks show):

- ``source/<chapter>/<chapter>.ipynb``: the teacher's version. For each checked exercise,
  a read-only cell with the question, an answer cell holding the starter code followed by
  the solution between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, and a read-only
  autograder test cell worth the exercise's points, which calls the same checker as the
  book (``lstm_gru_course.exercises.grade``: it prints the checker's reply, and fails with
  it, so the reply is the student's feedback).
- ``release/<chapter>/<chapter>.ipynb``: made by ``nbgrader generate_assignment``: the
  solutions removed, the starter code left for the student.
- ``nbgrader_config.py``: the course folder's settings (what replaces a solution).

nbgrader is a teacher's extra: ``pip install -r requirements-teach.txt``. Without it the
source version is still written and the script says how to make the release.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lstm_gru_course.exercises import CHAPTERS, _cells, _core  # noqa: E402
from lstm_gru_course.exercises._function import FunctionProblem  # noqa: E402
from lstm_gru_course.exercises._kinds import ChoiceProblem, ValueProblem  # noqa: E402

POINTS = {"function": 3, "value": 1, "choice": 1}
STUB = "# Replace every ____ above with your answer, then run this cell."
CONFIG = f"""# nbgrader settings for the LSTM & GRU course (written by tools/make_assignments.py).
c = get_config()  # noqa: F821
# The starter code stays in the student's cell; only the solution after it is removed.
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# The checkers stop a learner's endless loop themselves; this is the cell's outer limit.
c.ExecutePreprocessor.timeout = 120
"""


def kind(problem) -> str:
    if isinstance(problem, FunctionProblem):
        return "function"
    if isinstance(problem, ValueProblem):
        return "value"
    if isinstance(problem, ChoiceProblem):
        return "choice"
    raise ValueError(f"{problem.key} is not a checked exercise")


def parse_points(text: str) -> dict:
    points = dict(POINTS)
    for part in filter(None, (text or "").split(",")):
        name, _, value = part.partition("=")
        if name.strip() not in POINTS or not value.strip().isdigit():
            raise SystemExit(
                f"--points takes kind=number pairs for the kinds "
                f"{', '.join(POINTS)}, such as function=4,value=1; got {part!r}."
            )
        points[name.strip()] = int(value)
    return points


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def problems_of(chapter: str) -> list:
    importlib.import_module(f"lstm_gru_course.exercises.{chapter}")
    return [p for p in _core._REGISTRY.get(chapter, []) if p.checked]


def answer_source(problem) -> str:
    """Starter code, then the solution between nbgrader's markers (source version only)."""
    return (
        f"{problem.starter_code}\n\n### BEGIN SOLUTION\n"
        f"{_cells.solution_source(problem)}\n### END SOLUTION"
    )


def test_source(problem) -> str:
    return f"grade(ex.{problem.name}, {problem._argument()})"


def chapter_notebook(chapter: str, points: dict) -> nbformat.NotebookNode:
    """The source (teacher's) notebook of one chapter's assignment."""
    title = CHAPTERS[chapter]
    problems = problems_of(chapter)
    total = sum(points[kind(p)] for p in problems)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            f"# {title}: exercises\n\n{len(problems)} exercises, {total} points. In each answer "
            f"cell, replace every `____` with your own code or answer and run the cell; the "
            f"cell after it (read-only) runs the same checker as the book and is what the "
            f"grader runs. `ex.<name>.hint()` gives a hint. Run the first cell first.",
            metadata=_meta("intro", locked=True),
        )
    )
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"import numpy as np\n{_cells.import_line(chapter)}\n"
            f"from lstm_gru_course.exercises import grade",
            metadata=_meta("setup", locked=True),
        )
    )
    for number, problem in enumerate(problems, 1):
        worth = points[kind(problem)]
        question = problem._question_text()
        nb.cells.append(
            nbformat.v4.new_markdown_cell(
                f"## Exercise {number}: `{problem.name}` ({worth} point{'s' if worth != 1 else ''})"
                f"\n\n```text\n{question}\n```",
                metadata=_meta(f"{problem.name}_question", locked=True),
            )
        )
        nb.cells.append(
            nbformat.v4.new_code_cell(
                answer_source(problem), metadata=_meta(f"{problem.name}_answer", solution=True)
            )
        )
        nb.cells.append(
            nbformat.v4.new_code_cell(
                test_source(problem),
                metadata=_meta(f"{problem.name}_check", grade=True, locked=True, points=worth),
            )
        )
    nbformat.validate(nb)
    return nb


def tool_env() -> dict:
    """The environment for nbgrader: its own bin folder first (it calls ``alembic``)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def write_course(out: Path, chapters, points, release: bool = True) -> list[Path]:
    """Write the course folder; returns the source notebooks written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    written = []
    for chapter in chapters:
        folder = out / "source" / chapter
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        path = folder / f"{chapter}.ipynb"
        nbformat.write(chapter_notebook(chapter, points), path)
        written.append(path)
    if release:
        nbgrader = shutil.which("nbgrader", path=str(Path(sys.executable).parent)) or shutil.which(
            "nbgrader"
        )
        if nbgrader is None:
            print(
                "nbgrader is not installed, so only the source version was written. For the "
                "release version: pip install -r requirements-teach.txt, then run this again."
            )
            return written
        for chapter in chapters:
            run = subprocess.run(
                [nbgrader, "generate_assignment", chapter, "--force"],
                cwd=out,
                capture_output=True,
                text=True,
                env=tool_env(),
            )
            if run.returncode != 0:
                raise SystemExit(
                    f"nbgrader generate_assignment {chapter} failed:\n{run.stdout}{run.stderr}"
                )
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "nbgrader")
    parser.add_argument(
        "--chapters", nargs="+", default=list(CHAPTERS), help=f"some of: {' '.join(CHAPTERS)}"
    )
    parser.add_argument("--points", default="", help="e.g. function=3,value=1,choice=1")
    parser.add_argument(
        "--no-release",
        action="store_true",
        help="write the source version only (no nbgrader needed)",
    )
    args = parser.parse_args(argv)
    unknown = [c for c in args.chapters if c not in CHAPTERS]
    if unknown:
        raise SystemExit(
            f"unknown chapter(s) {', '.join(unknown)}; choose from {', '.join(CHAPTERS)}."
        )
    points = parse_points(args.points)
    written = write_course(args.out, args.chapters, points, release=not args.no_release)
    total = sum(points[kind(p)] for c in args.chapters for p in problems_of(c))
    print(f"{len(written)} assignments, {total} points in all, in {args.out}")


if __name__ == "__main__":
    main()
