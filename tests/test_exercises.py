"""Every exercise: its solution passes, its starter code is "not attempted", every known
mistake gets its own message, and the messages say what a learner needs (and no more)."""

from __future__ import annotations

import importlib
import signal
import sys
import threading
import time

import numpy as np
import pytest

import lstm_gru_course.exercises as exercises
from lstm_gru_course import cells
from lstm_gru_course.exercises import (
    ____,
    _cellmath,
    _core,
    gru,
    lstm,
    rnn,
    short_term_memory,
    sigmoid,
    tanh,
)
from lstm_gru_course.exercises._function import FunctionProblem
from lstm_gru_course.exercises._kinds import ChoiceProblem, ThoughtProblem, ValueProblem

for _chapter in exercises.CHAPTERS:
    importlib.import_module(f"lstm_gru_course.exercises.{_chapter}")
PROBLEMS = [p for chapter in exercises.CHAPTERS for p in _core._REGISTRY[chapter]]
IDS = [p.key for p in PROBLEMS]
MISTAKES = [
    (p, m) for p in PROBLEMS if not isinstance(p, ChoiceProblem) for m in getattr(p, "mistakes", ())
]


@pytest.fixture(autouse=True)
def progress_in_tmp(tmp_path, monkeypatch):
    """Never touch a real learner's progress file."""
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path))
    exercises.set_time_limit(None)
    yield tmp_path
    exercises.set_time_limit(None)


def run_code(code: str) -> dict:
    namespace = {"np": np, "____": ____}
    exec(code, namespace)
    return namespace


def answer_in(problem, code):
    namespace = run_code(code)
    return namespace[problem.name] if isinstance(problem, FunctionProblem) else namespace["answer"]


# ------------------------------------------------------------------ the course's exercises


def test_every_chapter_has_at_least_three_exercises_of_mixed_kinds():
    for chapter in exercises.CHAPTERS:
        problems = _core._REGISTRY[chapter]
        assert len(problems) >= 3, chapter
        assert len({type(p) for p in problems}) >= 3, chapter
    for module in (lstm, gru):
        assert sum(isinstance(p, FunctionProblem) for p in module.EXERCISES) >= 2


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_the_shown_solution_passes_its_own_check(problem):
    if isinstance(problem, ThoughtProblem):
        assert problem.explanation and problem.evaluate().status == "not attempted"
        return
    outcome = problem.evaluate(answer_in(problem, problem.solution_code))
    assert outcome.status == "correct", outcome.message
    if isinstance(problem, FunctionProblem):
        assert outcome.message.startswith("All checks passed on ")


@pytest.mark.parametrize(
    "problem", [p for p in PROBLEMS if isinstance(p, FunctionProblem)], ids=lambda p: p.key
)
def test_the_reference_passes_and_the_cases_cover_edge_cases(problem):
    assert len(problem.cases) >= 3
    assert problem.evaluate(problem.reference).status == "correct"


@pytest.mark.parametrize("problem", [p for p in PROBLEMS if p.starter_code], ids=lambda p: p.key)
def test_the_starter_code_is_not_attempted(problem):
    outcome = problem.evaluate(answer_in(problem, problem.starter_code))
    assert outcome.status == "not attempted", outcome.message


@pytest.mark.parametrize(
    "problem, mistake", MISTAKES, ids=[f"{p.key}-{m.id}-{k}" for k, (p, m) in enumerate(MISTAKES)]
)
def test_every_known_mistake_is_recognised(problem, mistake):
    wrong = mistake.variant
    outcome = problem.evaluate(
        wrong() if callable(wrong) and isinstance(problem, ValueProblem) else wrong
    )
    assert outcome.status == "incorrect"
    assert outcome.mistake == mistake.id, outcome.message
    assert mistake.message in outcome.message


@pytest.mark.parametrize(
    "problem", [p for p in PROBLEMS if isinstance(p, ChoiceProblem)], ids=lambda p: p.key
)
def test_every_option_explains_itself(problem):
    messages = set()
    for letter in problem.options:
        outcome = problem.evaluate(f" ({letter.upper()}) ")
        assert outcome.correct == (letter == problem.answer)
        assert problem.feedback[letter] in outcome.message
        messages.add(outcome.message)
    assert len(messages) == len(problem.options)


@pytest.mark.parametrize(
    "problem", [p for p in PROBLEMS if isinstance(p, ChoiceProblem)], ids=lambda p: p.key
)
def test_a_choice_solution_names_its_answer_without_a_stop_before_the_colon(problem):
    text = " ".join(problem.solution_text().split())  # as printed, line breaks aside
    option = " ".join(problem.options[problem.answer].split())
    assert f"({problem.answer}) {option.rstrip('.')}: " in text, text
    assert ".:" not in text, text


def test_each_mistake_id_has_one_message_per_problem_and_differs_from_the_others():
    for problem in PROBLEMS:
        by_id = {}
        for mistake in getattr(problem, "mistakes", ()):
            by_id.setdefault(mistake.id, set()).add(mistake.message)
        assert all(len(messages) == 1 for messages in by_id.values()), problem.key
        assert len({next(iter(m)) for m in by_id.values()}) == len(by_id), problem.key


# ------------------------------------------------------------------ the six classic mistakes


def _sig(a):
    return 1 / (1 + np.exp(-a))


def test_gate_order_swapped():
    def forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        H = h_prev.shape[-1]
        return _sig(x @ weight_ih[:H].T + bias_ih[:H] + h_prev @ weight_hh[:H].T + bias_hh[:H])

    def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        a = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh
        f, i, g, o = np.split(a, 4, axis=-1)  # f and i read in swapped order
        c = _sig(f) * c_prev + _sig(i) * np.tanh(g)
        return _sig(o) * np.tanh(c), c

    for problem, func in ((lstm.forget_gate, forget_gate), (lstm.lstm_step, lstm_step)):
        outcome = problem.evaluate(func)
        assert outcome.mistake == "gate_order" and "order i, f, g, o" in outcome.message


def test_plus_instead_of_concatenation():
    outcome = rnn.combine.evaluate(lambda h_prev, x: h_prev + x)
    assert outcome.mistake == "plus_not_concatenation"
    assert "np.concatenate([h_prev, x], axis=-1)" in outcome.message

    def article_cell(prev_ct, prev_ht, x, weight, bias):
        combine = prev_ht + x  # the article's trap
        a = combine @ weight.T + bias
        it, ft, gt, ot = np.split(a, 4, axis=-1)
        ct = _sig(ft) * prev_ct + _sig(it) * np.tanh(gt)
        return _sig(ot) * np.tanh(ct), ct

    outcome = lstm.article_cell.evaluate(article_cell)
    assert outcome.mistake == "plus_not_concatenation"
    assert "ValueError" in outcome.message and "combine @ weight.T + bias" in outcome.message


def test_h_and_c_swapped_on_return():
    solution = run_code(lstm.lstm_step.solution_code)["lstm_step"]
    outcome = lstm.lstm_step.evaluate(lambda *args: solution(*args)[::-1])
    assert outcome.mistake == "h_c_swapped" and "return (h, c)" in outcome.message
    article = run_code(lstm.article_cell.solution_code)["article_cell"]
    assert lstm.article_cell.evaluate(lambda *a: article(*a)[::-1]).mistake == "h_c_swapped"


def test_gru_z_and_one_minus_z_reversed():
    def gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        gi_r, gi_z, gi_n = np.split(x @ weight_ih.T + bias_ih, 3, axis=-1)
        gh_r, gh_z, gh_n = np.split(h_prev @ weight_hh.T + bias_hh, 3, axis=-1)
        r, z = _sig(gi_r + gh_r), _sig(gi_z + gh_z)
        n = np.tanh(gi_n + r * gh_n)
        return z * n + (1 - z) * h_prev  # Olah's convention

    for problem, func in (
        (gru.gru_step, gru_step),
        (gru.blend, lambda z, n, h_prev: z * n + (1 - z) * h_prev),
    ):
        outcome = problem.evaluate(func)
        assert outcome.mistake == "z_reversed" and "(1 - z) * n + z * h_prev" in outcome.message


def test_sigmoid_and_tanh_swapped():
    def rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        return _sig(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)

    def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        i, f, g, o = np.split(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh, 4, -1)
        c = np.tanh(f) * c_prev + np.tanh(i) * _sig(g)
        return np.tanh(o) * _sig(c), c

    for problem, func in (
        (rnn.rnn_step, rnn_step),
        (lstm.lstm_step, lstm_step),
        (sigmoid.sigmoid, np.tanh),
        (sigmoid.apply_gate, lambda p, v: np.tanh(p) * v),
    ):
        assert problem.evaluate(func).mistake == "sigmoid_tanh_swapped", problem.key


def test_missing_bias():
    def forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        H = h_prev.shape[-1]
        return _sig(
            x @ weight_ih[H : 2 * H].T + h_prev @ weight_hh[H : 2 * H].T + bias_ih[H : 2 * H]
        )

    def rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        return np.tanh(x @ weight_ih.T + h_prev @ weight_hh.T)

    for problem, func in ((lstm.forget_gate, forget_gate), (rnn.rnn_step, rnn_step)):
        outcome = problem.evaluate(func)
        assert outcome.mistake == "missing_bias" and "bias" in outcome.message


# ------------------------------------------------------------------ what the messages say


def test_an_exception_names_its_type_and_the_learners_own_line():
    def forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        H = h_prev.shape[-1]
        return weight_ih[H:2 * H] @ x  # wrong orientation: a shape error  # fmt: skip

    outcome = lstm.forget_gate.evaluate(forget_gate)
    line = forget_gate.__code__.co_firstlineno + 2
    assert outcome.status == "incorrect" and outcome.mistake is None
    assert "ValueError" in outcome.message and "matmul" in outcome.message
    assert f"in forget_gate, line {line} of test_exercises.py" in outcome.message
    assert "return weight_ih[H:2 * H] @ x" in outcome.message
    for internal in ("_function.py", "_guard.py", "make_args", "cell_inputs", "Traceback"):
        assert internal not in outcome.message


def test_the_line_is_found_in_a_helper_of_the_learner_and_inside_package_calls():
    def helper(a):
        return cells.rnn_step(a, a, a, a, a, a)  # the package raises; blame this line

    outcome = rnn.rnn_step.evaluate(lambda x, h, wi, wh, bi, bh: helper(x))
    assert (
        "in helper, line" in outcome.message
        and "cells.rnn_step(a, a, a, a, a, a)" in outcome.message
    )
    assert "cells.py" not in outcome.message


def test_a_wrong_result_says_shape_or_values_without_showing_the_expected_array():
    reference = lstm.forget_gate.reference
    args = lstm.forget_gate.cases[0].make_args()
    expected = reference(*args)
    outcome = lstm.forget_gate.evaluate(lambda *a: reference(*a) + 0.01)
    assert outcome.status == "incorrect" and "8 of 8 values are off" in outcome.message
    assert "Your first values: [" in outcome.message
    for value in expected.ravel():
        assert f"{value:.4g}" not in outcome.message
    outcome = lstm.forget_gate.evaluate(lambda *a: reference(*a).T)
    assert (
        "should have shape (2, 4), that is (batch, hidden), but yours has shape (4, 2)"
        in outcome.message
        and "transposed" in outcome.message
    )
    outcome = lstm.forget_gate.evaluate(lambda *a: "f")
    assert "should be a numpy array of shape (2, 4)" in outcome.message
    assert "the string 'f'" in outcome.message
    outcome = lstm.forget_gate.evaluate(lambda *a: np.full((2, 4), np.nan))
    assert "contains NaN in 8 of 8 entries" in outcome.message
    outcome = lstm.lstm_step.evaluate(lambda *a: np.zeros((2, 4)))
    assert "should return 2 arrays, (h, c), as a tuple" in outcome.message


def test_returning_none_or_raising_not_implemented_is_not_attempted():
    def not_yet(*args):
        raise NotImplementedError

    assert lstm.lstm_step.evaluate(not_yet).status == "not attempted"
    outcome = lstm.lstm_step.evaluate(lambda *args: None)
    assert outcome.status == "not attempted" and "forget a return statement" in outcome.message
    assert rnn.combine.evaluate(lambda h, x: ____).status == "not attempted"


def test_wrong_signatures_and_non_functions_are_explained():
    outcome = lstm.forget_gate.evaluate(lambda x, h: x)
    assert "takes (x, h), but the checker calls it with 6 arguments" in outcome.message
    outcome = lstm.forget_gate.evaluate(np.zeros((2, 4)))
    assert "pass the function itself, without calling it" in outcome.message
    assert lstm.forget_gate.evaluate().status == "not attempted"


def test_value_answers_of_the_wrong_type_get_a_sentence():
    q = tanh.times_three
    assert "without quotes" in q.evaluate("0.971").message
    assert "boolean" in q.evaluate(True).message
    assert "single number" in q.evaluate([0.971]).message
    assert q.evaluate(np.array([0.97103])).correct and q.evaluate(0.9710).correct
    assert "sign is not" in q.evaluate(-0.97103).message
    shape = rnn.output_shape
    assert (
        shape.evaluate([7, 4, 5]).correct and shape.evaluate(np.array([7, 4, 5]).tolist()).correct
    )
    assert "give its shape" in shape.evaluate(np.zeros((7, 4, 5))).message
    assert "(7,)" in shape.evaluate(7).message
    assert (
        "3 dimensions" in shape.evaluate((1, 2)).message
        or "2 dimensions" in shape.evaluate((1, 2)).message
    )
    assert lstm.cell_update.evaluate([0.8, -1.0, 0.6]).correct
    assert lstm.cell_update.evaluate(np.array([____, 1, 2], dtype=object)).status == "not attempted"


def test_asking_past_the_last_hint_reads_well_for_one_hint_and_for_several():
    from lstm_gru_course.exercises import short_term_memory

    one = short_term_memory.why_forget
    assert len(one.hints) == 1
    past = one.hint_text(2)
    assert past.startswith("This exercise has only one hint; here it is.")
    assert "Hint 1 of 1 for short_term_memory.why_forget" in past
    assert "hints" not in past.split("\n")[0] and "(For a more direct hint" not in past
    assert one.hint_text(1).startswith("Hint 1 of 1")
    assert "This exercise has one hint: ask for it with .hint(1)" in one.hint_text(0)
    several = lstm.forget_gate
    assert len(several.hints) == 3
    assert several.hint_text(9).startswith("There are only 3 hints; here is the last one.")
    assert "from 1 to 3" in several.hint_text("two")


def test_a_numpy_warning_is_mentioned_but_a_correct_answer_still_passes():
    outcome = sigmoid.sigmoid.evaluate(lambda a: 1 / (1 + np.exp(-a)))
    assert outcome.correct and "overflow" in outcome.message


def test_check_hint_solution_and_repr_print_plain_deterministic_text(capsys):
    problem = lstm.forget_gate
    for _ in range(2):
        problem.check(run_code(problem.starter_code)["forget_gate"])
        problem.hint()
        problem.hint(2)
        problem.hint(9)
        problem.hint("two")
    first, second = np.array_split(np.array(capsys.readouterr().out.splitlines()), 2)
    assert list(first) == list(second)
    text = "\n".join(first)
    assert text.startswith("○ lstm.forget_gate: Not attempted yet.")
    assert "Hint 2 of 3" in text and "There are only 3 hints" in text and "from 1 to 3" in text
    problem.solution()
    assert "Solution to lstm.forget_gate:\n\n    import numpy as np" in capsys.readouterr().out
    for p in PROBLEMS:
        assert repr(p).startswith(f"{p.key}: ") and "0x" not in repr(p)
    problem.check(run_code(problem.solution_code)["forget_gate"])
    assert capsys.readouterr().out.startswith("✓ lstm.forget_gate: All checks passed on 5 sample")


# ------------------------------------------------------------------ the time limit


def _spin(*args):
    while True:
        try:
            time.sleep(0.005)
        except Exception:  # a learner's broad except must not swallow the time limit
            pass


def test_an_endless_loop_is_stopped_in_the_main_thread():
    exercises.set_time_limit(0.3)
    handler = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    outcome = gru.blend.evaluate(_spin)
    assert time.monotonic() - start < 3
    assert outcome.status == "incorrect" and "still running after 0.3 s" in outcome.message
    assert "set_time_limit" in outcome.message
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_endless_loop_is_stopped_outside_the_main_thread():
    exercises.set_time_limit(0.3)
    box = {}
    worker = threading.Thread(target=lambda: box.update(o=gru.blend.evaluate(_spin)))
    worker.start()
    worker.join(5)
    assert not worker.is_alive() and "still running after 0.3 s" in box["o"].message


def test_the_time_limit_is_configurable(monkeypatch):
    monkeypatch.setenv("LSTM_GRU_COURSE_TIME_LIMIT", "1.5")
    assert exercises.time_limit() == 1.5
    exercises.set_time_limit(2)
    assert exercises.time_limit() == 2.0
    with pytest.raises(ValueError, match="seconds must be a positive"):
        exercises.set_time_limit(-1)
    with pytest.raises(TypeError, match="seconds must be a positive number"):
        exercises.set_time_limit("5")


# ------------------------------------------------------------------ the mistake arithmetic


def test_the_hand_written_cells_agree_with_the_package_when_no_mistake_is_made():
    x, h, c, wi, wh, bi, bh = _cellmath.cell_inputs(4, 3, 2, 5, seed=1, lstm=True)
    expected = cells.lstm_step(x, h, c, wi, wh, bi, bh)
    np.testing.assert_allclose(
        _cellmath.lstm_variant(x, h, c, wi, wh, bi, bh), expected[:2], rtol=1e-12
    )
    args = _cellmath.cell_inputs(3, 3, 2, 5, seed=2)
    for reset in ("after", "before"):
        np.testing.assert_allclose(
            _cellmath.gru_variant(*args, reset=reset),
            cells.gru_step(*args, reset=reset)[0],
            rtol=1e-12,
        )
    args = _cellmath.cell_inputs(1, 3, 2, 5, seed=3)
    np.testing.assert_allclose(_cellmath.rnn_variant(*args), cells.rnn_step(*args)[0], rtol=1e-12)


def test_importing_the_exercises_needs_neither_matplotlib_nor_ipywidgets():
    import subprocess

    code = (
        "import sys; import lstm_gru_course.exercises as e; e._load_chapters(); "
        "print(any(m in sys.modules for m in ('matplotlib', 'ipywidgets')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_shrinking_gradient_names_a_rounded_answer():
    """0.00098 is what chapter 1 prints for 0.5**10: a rounding, not a wrong method, gets
    a targeted message (review R6); four digits pass."""
    q = short_term_memory.shrinking_gradient
    assert q.evaluate(0.5**10).correct and q.evaluate(0.0009766).correct
    assert q.evaluate(0.00098).mistake == "rounded"
    assert q.evaluate(0.001).mistake == "rounded"
    assert q.evaluate(0.5 * 10).mistake == "times_not_power"


def test_derivative_product_accepts_the_factor_rounded_to_four_digits():
    """0.4200**20 is 0.12% above the exact product: the power multiplies the rounding,
    so the allowed four-digit rounding of tanh'(1) must pass (review R4); the mistakes
    are still caught."""
    q = tanh.derivative_product
    exact = (1 - np.tanh(1.0) ** 2) ** 20
    assert q.evaluate(exact).correct and q.evaluate(2.914e-8).correct
    assert q.evaluate(0.4200**20).correct and q.evaluate(0.41995**20).correct
    assert q.evaluate(0.42005**20).correct
    assert not q.evaluate(1.02 * exact).correct
    assert q.evaluate(np.tanh(1.0) ** 20).mistake == "tanh_not_derivative"
    assert q.evaluate(0.42 * 20).mistake == "times_not_power"
