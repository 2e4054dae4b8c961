"""nbgrader assignments from the exercise definitions: generate the release version, then
autograde three submissions (the solutions, the blank starter, one with known mistakes).

nbgrader is a teacher's extra (requirements-teach.txt); `make test` installs it."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "nbgrader", reason="nbgrader is a teacher's extra: pip install -r requirements-teach.txt"
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_assignments  # noqa: E402

from lstm_gru_course.exercises import compare  # noqa: E402

CHAPTER = "compare"
BIN = Path(sys.executable).parent


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", OPENBLAS_NUM_THREADS="1"
    )
    env["LSTM_GRU_COURSE_PROGRESS"] = str(course / "progress.json")
    run = subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("nbgrader-course")
    make_assignments.write_course(out, [CHAPTER], make_assignments.POINTS)
    return out


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def answer_cells(nb: dict) -> dict:
    """grade_id -> the answer cell (nbgrader's solution cells)."""
    return {
        c["metadata"]["nbgrader"]["grade_id"]: c
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("solution")
    }


def test_nbgrader_release_has_starter_code_and_no_solution(course):
    source = load(course / "source" / CHAPTER / f"{CHAPTER}.ipynb")
    release = load(course / "release" / CHAPTER / f"{CHAPTER}.ipynb")
    text = json.dumps(release)
    assert "BEGIN SOLUTION" in json.dumps(source)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    for problem in compare.EXERCISES:
        if not problem.checked:
            continue
        cell = "".join(answer_cells(release)[f"{problem.name}_answer"]["source"])
        assert cell.startswith(problem.starter_code), problem.name
        for line in problem.solution_code.splitlines():
            if line.strip() and line.strip() not in problem.starter_code:
                assert line.strip() not in cell, (problem.name, line)
    tests = [
        c
        for c in release["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
        and not c["metadata"]["nbgrader"].get("solution")
    ]
    points = {
        c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"] for c in tests
    }
    assert points == {
        "count_parameters_check": 3,
        "step_time_check": 1,
        "always_x_check": 1,
        "what_mattered_check": 1,
    }


def submit(course: Path, student: str, answers: dict) -> None:
    """The release notebook with ``answers`` (name -> code) in the answer cells."""
    nb = load(course / "release" / CHAPTER / f"{CHAPTER}.ipynb")
    cells = answer_cells(nb)
    for name, code in answers.items():
        cells[f"{name}_answer"]["source"] = code
    folder = course / "submitted" / student / CHAPTER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{CHAPTER}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def test_nbgrader_autograde_full_zero_and_partial_marks_with_the_checkers_message(course):
    solutions = {p.name: p.solution_code for p in compare.EXERCISES if p.checked}
    submit(course, "solutions", solutions)
    submit(course, "blank", {})
    mistakes = dict(solutions)
    mistakes["count_parameters"] = (
        "def count_parameters(gates, input_size, hidden_size):\n"
        "    return gates * hidden_size * (input_size + hidden_size)"
    )
    mistakes["always_x"] = "answer = 0.5"
    submit(course, "mistakes", mistakes)

    nbgrader(course, "autograde", CHAPTER)
    nbgrader(course, "generate_feedback", CHAPTER)

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {
            s: gradebook.find_submission(CHAPTER, s).score
            for s in ("solutions", "blank", "mistakes")
        }
        max_score = gradebook.find_assignment(CHAPTER).max_score
    assert max_score == 6
    assert scores == {"solutions": 6, "blank": 0, "mistakes": 2}

    def words(name):  # the feedback page's text, with the checker's line breaks undone
        page = (course / "feedback" / name / CHAPTER / f"{CHAPTER}.html").read_text()
        return " ".join(html.unescape(page).split())

    no_biases = next(m.message for m in compare.count_parameters.mistakes if m.id == "no_biases")
    one_half = next(m.message for m in compare.always_x.mistakes if m.id == "one_half")
    for message in (no_biases, one_half):
        assert " ".join(message.split()) in words("mistakes"), message
    assert "compare.count_parameters: Not attempted yet." in words("blank")
    assert "✓ compare.what_mattered: Correct!" in words("solutions")
