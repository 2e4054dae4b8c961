"""Coursework across the book: starter code has one source, every chapter and appendix
has checked exercises, value questions state one answer rule, the progress overview, the
autograder's ``grade`` and the assignment maker's source notebooks (no nbgrader needed)."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

import lstm_gru_course.exercises as exercises
from lstm_gru_course.exercises import _cells, _core, _overview
from lstm_gru_course.exercises._kinds import RULES, ValueProblem

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
for _chapter in exercises.CHAPTERS:
    importlib.import_module(f"lstm_gru_course.exercises.{_chapter}")
PROBLEMS = {p.key: p for chapter in exercises.CHAPTERS for p in _core._REGISTRY[chapter]}
IMPORT = re.compile(r"from lstm_gru_course\.exercises import (\w+) as ex\b")
NOTEBOOKS = [
    "01-short-term-memory",
    "02-recurrent-networks",
    "03-tanh",
    "04-sigmoid-and-gates",
    "05a-lstm-gates",
    "05b-lstm-memory",
    "06-gru",
    "07-lstm-or-gru",
    "08-applications",
    "appendix-a-bptt",
    "appendix-b-conventions",
]


@pytest.fixture(autouse=True)
def progress_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path))


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def check_cells(stem):
    """(problem, stored source) for every cell of the notebook that calls .check(."""
    nb = json.loads((BOOK / f"{stem}.ipynb").read_text(encoding="utf-8"))
    chapter, found = None, []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = _text(cell["source"])
        match = IMPORT.search(source)
        chapter = match.group(1) if match else chapter
        for name in re.findall(r"\bex\.(\w+)\.check\(", source):
            found.append((PROBLEMS[f"{chapter}.{name}"], source))
    return found


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_every_chapter_and_appendix_has_three_checks_whose_starter_code_is_the_definitions(stem):
    found = check_cells(stem)
    assert len(found) >= 3, f"{stem} has {len(found)} .check( calls"
    for problem, source in found:
        assert source == _cells.check_cell(problem), (
            f"{stem}: the cell checking {problem.key} differs from its definition; "
            f"expected:\n{_cells.check_cell(problem)}\ngot:\n{source}"
        )


def test_every_value_question_states_the_one_answer_rule():
    values = [p for p in PROBLEMS.values() if isinstance(p, ValueProblem)]
    assert len(values) >= 10
    for problem in values:
        shown = repr(problem)
        assert problem.rule() in shown and problem.rule() in RULES.values(), problem.key
        assert "significant digits" not in problem.question, problem.key  # said once, by the rule


def test_the_rule_holds_four_digits_pass_and_counts_are_exact():
    short = PROBLEMS["short_term_memory.shrinking_gradient"]
    assert short.evaluate(0.0009766).correct  # 0.5 ** 10 to four digits
    assert not short.evaluate(0.00098).correct  # three digits
    count = PROBLEMS["rnn.parameter_count"]
    assert count.evaluate(640).correct and not count.evaluate(641).correct
    assert "exactly" in count.rule()


def test_the_overview_counts_each_chapter_and_renders_as_html_and_text():
    entries = {
        "bptt.lstm_backward": {"attempts": 3, "done": True},
        "bptt.gru_backward": {"attempts": 2, "done": False},
        "lstm.forget_bias": {"solution_viewed": True},
        "junk": "not an entry",
    }
    view = exercises.overview(entries)
    rows = {r.chapter: r for r in view.rows}
    assert list(rows) == list(exercises.CHAPTERS)
    bptt = rows["bptt"]
    assert (bptt.count("done"), bptt.count("attempted"), bptt.count("not started")) == (1, 1, 3)
    assert rows["lstm"].read == 1
    text = str(view)
    assert "A. Backpropagation through time" in text and "○✓✗○" in text
    page = view._repr_html_()
    assert page.startswith("<table") and "<script" not in page
    assert 'title="bptt.lstm_backward: done"' in page
    checked = sum(p.checked for p in PROBLEMS.values())
    assert f"Done 1 of {checked} checked exercises; attempted 1" in text


def test_the_overview_reads_the_progress_file_and_survives_a_broken_one(tmp_path, capsys):
    exercises.overview()  # no file yet: all not started
    PROBLEMS["compare.step_time"].check(1.8)
    PROBLEMS["compare.always_x"].check(0.5)
    row = next(r for r in exercises.overview().rows if r.chapter == "compare")
    assert (row.count("done"), row.count("attempted")) == (1, 1)
    (tmp_path / "progress.json").write_text("{ broken")
    view = exercises.overview()
    assert view.totals()["done"] == 0
    with pytest.raises(TypeError, match="entries must be a dict"):
        exercises.overview(["not", "a", "dict"])


def test_the_book_page_shows_the_overview_of_its_example_entries():
    page = (BOOK / "exercises.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"<!-- example entries: (.*?) -->", page, re.S).group(1))
    assert _overview.overview(example)._repr_html_() in page


def test_the_book_page_shows_the_real_progress_table_of_its_example(tmp_path, capsys):
    """The page's example of ex.progress() is what the package prints for the results in
    its rows: every exercise with attempts gets them (done when it says yes)."""
    page = (BOOK / "exercises.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(chapter  exercise.*?\nDone: [^\n]*)\n```", page, re.S).group(1)
    entries = {}
    for chapter, name, done, attempts in re.findall(
        r"^(\w+) +(\w+) +(yes|no) +(\d+)$", shown, re.M
    ):
        if int(attempts):
            entries[f"{chapter}.{name}"] = {
                "attempts": int(attempts),
                "done": done == "yes",
                "solution_viewed": False,
            }
    assert entries, "the page's example shows no attempts"
    (tmp_path / "progress.json").write_text(json.dumps({"version": 1, "exercises": entries}))
    chapter = shown.splitlines()[2].split()[0]
    importlib.import_module(f"lstm_gru_course.exercises.{chapter}").progress()
    assert capsys.readouterr().out.strip() == shown.strip()


def test_grade_prints_the_reply_and_fails_with_it_unless_right(capsys):
    step = PROBLEMS["compare.step_time"]
    exercises.grade(step, 1.8)
    assert capsys.readouterr().out.startswith("✓ compare.step_time: Correct!")
    with pytest.raises(AssertionError, match="Not yet"):
        exercises.grade(step, 2.4 * 4 / 3)
    with pytest.raises(AssertionError, match="Not attempted yet"):
        exercises.grade(step, exercises.____)


def test_the_assignment_source_notebooks_mark_solutions_and_points(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    import make_assignments

    written = make_assignments.write_course(
        tmp_path,
        list(exercises.CHAPTERS),
        make_assignments.parse_points("function=4"),
        release=False,
    )
    assert len(written) == len(exercises.CHAPTERS)
    nb = nbformat.read(tmp_path / "source" / "bptt" / "bptt.ipynb", as_version=4)
    nbformat.validate(nb)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    answers = [c for c, m in zip(nb.cells, meta) if m.get("solution")]
    tests = {m["grade_id"]: m["points"] for m in meta if m.get("grade")}
    assert tests == {
        "param_grads_check": 4,
        "lstm_backward_check": 4,
        "gru_backward_check": 4,
        "cell_path_check": 1,
        "weight_sum_check": 1,
    }
    for cell in answers:
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    namespace: dict = {}
    for cell in nb.cells:  # the source version runs: every check passes with the solutions
        if cell.cell_type == "code":
            exec(cell.source, namespace)
    with pytest.raises(SystemExit, match="--points"):
        make_assignments.parse_points("function=lots")
