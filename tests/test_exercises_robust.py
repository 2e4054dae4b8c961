"""No checker ever raises, whatever a learner passes in: hypothesis throws arbitrary
Python objects (and functions returning them) at every exercise."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lstm_gru_course.exercises as exercises
from lstm_gru_course.exercises import ____, _core

for _chapter in exercises.CHAPTERS:
    importlib.import_module(f"lstm_gru_course.exercises.{_chapter}")
PROBLEMS = [p for chapter in exercises.CHAPTERS for p in _core._REGISTRY[chapter]]
STATUSES = {"correct", "incorrect", "not attempted"}


@pytest.fixture(autouse=True)
def progress_in_tmp(tmp_path, monkeypatch):
    """Never touch a real learner's progress file."""
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path))
    exercises.set_time_limit(None)
    yield tmp_path
    exercises.set_time_limit(None)


class Hostile:
    """Every protocol a checker might touch raises."""

    def _fail(self, *args, **kwargs):
        raise RuntimeError("hostile")

    __eq__ = __lt__ = __len__ = __iter__ = __float__ = __int__ = __index__ = _fail
    __bool__ = __repr__ = __str__ = __array__ = __getitem__ = __add__ = __radd__ = _fail
    __hash__ = None

    def __getattr__(self, name):
        if name.startswith(("_repr_", "__")):  # hypothesis's own reports look these up
            raise AttributeError(name)
        raise RuntimeError(f"hostile {name}")


class HostileCallable(Hostile):
    def __call__(self, *args, **kwargs):
        raise RuntimeError("hostile call")


class Exits:
    """A function that ends the interpreter, as a careless ``sys.exit()`` would."""

    def __call__(self, *args):
        sys.exit(3)


scalars = st.one_of(
    st.none(),
    st.just(____),
    st.just(...),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**400, max_value=10**401),
    st.floats(),
    st.complex_numbers(),
    st.text(max_size=8),
    st.binary(max_size=8),
    st.fractions(),
    st.decimals(),
    st.sampled_from(["a", "B", " (c) ", "e", "0.5", "(7, 4, 5)"]),
    st.builds(Hostile),
    st.builds(HostileCallable),
    hnp.arrays(
        st.sampled_from(
            [np.float64, np.int64, np.bool_, np.complex128, np.dtype("U3"), np.dtype(object)]
        ),
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
    ),
    # float32 with explicit 32-bit elements: hypothesis's default one can overflow.
    hnp.arrays(
        np.float32,
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
        elements=st.floats(width=32),
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=6,
)


def _returning(value):
    return lambda *args, **kwargs: value


callables = st.one_of(
    values.map(_returning),
    st.sampled_from(
        [
            len,
            int,
            abs,
            sum,
            type,
            object,
            np.zeros,
            np.asarray,
            np.tanh,
            lambda: None,
            lambda x: x,
            lambda *a: a,
            lambda *a: a[0],
            lambda *a: a[::-1],
            lambda *a: 1 / 0,
            lambda *a: [a[0]],
            lambda *a: iter([]),
            lambda *a: np.full(1000, np.inf),
            lambda *a: {"h": 1},
            lambda *a: (yield a),
            Exits(),
        ]
    ),
)
specials = st.sampled_from(
    [
        None,
        ____,
        ...,
        Hostile(),
        HostileCallable(),
        Exits(),
        "",
        float("nan"),
        float("inf"),
        10**5000,
        np.array(____),
        [____],
    ]
)
anything = st.one_of(specials, values, callables)


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.key for p in PROBLEMS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=anything)
def test_no_checker_raises_whatever_it_is_given(problem, answer):
    outcome = problem.evaluate(answer)
    assert outcome.status in STATUSES
    assert isinstance(outcome.message, str) and outcome.message
    assert "Traceback" not in outcome.message


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.key for p in PROBLEMS])
def test_check_prints_and_returns_none_for_hostile_answers(problem, capsys):
    for answer in (
        None,
        "x",
        [1, 2],
        Hostile(),
        HostileCallable(),
        Exits(),
        lambda: 1,
        np.zeros((2, 3)),
        float("nan"),
        10**5000,
    ):
        assert problem.check(answer) is None
    problem.hint(0)
    problem.hint(None)
    problem.hint(10**100)
    out = capsys.readouterr().out
    assert out.count("\n") >= 13 and "Traceback" not in out


# ------------------------------------------------------------------ the time limit holds


import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from lstm_gru_course import cells  # noqa: E402
from lstm_gru_course.exercises import _guard, gru, rnn, sigmoid  # noqa: E402


def _stuck_in_c(z, n, h_prev):
    return sum(range(10**11))  # one C call: no signal handler runs until it ends


def _catches_everything(z, n, h_prev):
    while True:
        try:
            time.sleep(0.01)
        except BaseException:  # swallows TimeLimitExceeded, again and again
            pass


@pytest.mark.parametrize("func", [_stuck_in_c, _catches_everything])
def test_the_time_limit_holds_for_any_function(func):
    exercises.set_time_limit(0.5)
    start = time.monotonic()
    outcome = gru.blend.evaluate(func)
    assert time.monotonic() - start < 3
    assert outcome.status == "incorrect" and "still running after 0.5 s" in outcome.message
    assert not [t for t in threading.enumerate() if t.name == "lstm-gru-course-check"]


def test_a_closure_defined_in_the_notebook_runs_and_prints(capsys):
    blend_weight = 1.0

    def blend(z, n, h_prev):
        print("debugging", z.shape)
        return blend_weight * ((1 - z) * n + z * h_prev)

    assert gru.blend.evaluate(blend).correct
    assert "debugging" in capsys.readouterr().out


def test_errors_from_the_child_keep_their_type_message_and_line():
    class Odd(Exception):
        def __init__(self, a, b):  # cannot be rebuilt from its args
            super().__init__(f"odd {a} {b}")

    def blend(z, n, h_prev):
        raise Odd(1, 2)

    outcome = gru.blend.evaluate(blend)
    assert "Your function raised Odd" in outcome.message and "odd 1 2" in outcome.message
    assert "raise Odd(1, 2)" in outcome.message


def test_values_that_cannot_travel_and_a_dying_child_get_sentences():
    outcome = gru.blend.evaluate(lambda z, n, h_prev: (v for v in z))
    assert outcome.status == "incorrect" and "generator" in outcome.message
    outcome = gru.blend.evaluate(lambda z, n, h_prev: os._exit(3))
    assert outcome.status == "incorrect" and "exit code was 3" in outcome.message


def test_the_learners_function_cannot_change_the_checkers_state():
    def blend(z, n, h_prev):
        np.tanh = lambda a: a  # inside the check: a child's business
        return (1 - z) * n + z * h_prev

    real_tanh = np.tanh
    assert gru.blend.evaluate(blend).correct
    assert np.tanh is real_tanh


def test_the_fallback_in_this_process_stops_python_loops_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(_guard, "_use_child_process", False)
    monkeypatch.setattr(_guard, "_fallback_noted", False)
    exercises.set_time_limit(0.3)

    def spin(z, n, h_prev):
        while True:
            pass

    outcome = gru.blend.evaluate(spin)
    assert "still running after 0.3 s" in outcome.message
    time.sleep(0.1)
    assert not [t for t in threading.enumerate() if t.name == "lstm-gru-course-check"]
    assert gru.blend.evaluate(lambda z, n, h_prev: (1 - z) * n + z * h_prev).correct
    err = capsys.readouterr().err
    assert err.count("Note: the checkers run your functions inside this kernel") == 1


# ------------------------------------------------------------------ verdicts stay honest


def _no_tanh_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    return np.tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)


@pytest.mark.parametrize("in_child", [True, False])
def test_replacing_numpy_or_the_package_does_not_change_the_reference(monkeypatch, in_child):
    monkeypatch.setattr(_guard, "_use_child_process", in_child)
    monkeypatch.setattr(_guard, "_fallback_noted", True)
    rnn.rnn_step._cache.clear()  # the reference is computed afresh
    identity = lambda a: a  # noqa: E731
    monkeypatch.setattr(np, "tanh", identity)  # the learner's notebook: no tanh at all
    monkeypatch.setattr(cells, "rnn_step", lambda *a: (a[0], None))
    outcome = rnn.rnn_step.evaluate(_no_tanh_step)
    assert outcome.correct, outcome.message  # the learner's np.tanh is real again
    assert np.tanh is identity  # ... and theirs afterwards

    def cheat(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        np.tanh = identity  # replaced during the check itself
        return x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh

    rnn.rnn_step._cache.clear()
    assert not rnn.rnn_step.evaluate(cheat).correct
    rnn.rnn_step._cache.clear()


class Agreeable(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    def strip(self, *args):
        return "b"

    def lower(self):
        return "b"


def test_a_str_subclass_cannot_talk_its_way_to_correct():
    assert not sigmoid.why_sigmoid.evaluate(Agreeable("a")).correct
    assert sigmoid.why_sigmoid.evaluate(Agreeable("b")).correct


def test_np_tanh_replaced_in_the_notebook_does_not_let_a_no_tanh_step_pass(monkeypatch):
    rnn.rnn_step._cache.clear()
    monkeypatch.setattr(np, "tanh", lambda a: a)
    outcome = rnn.rnn_step.evaluate(
        lambda x, h_prev, w_ih, w_hh, b_ih, b_hh: x @ w_ih.T + b_ih + h_prev @ w_hh.T + b_hh
    )
    assert outcome.status == "incorrect" and outcome.mistake == "no_squashing"
    rnn.rnn_step._cache.clear()


def test_one_child_per_check_and_no_child_left_behind(monkeypatch):
    forks = []
    real_fork = os.fork

    def counting_fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(_guard.os, "fork", counting_fork)
    for _ in range(3):
        assert rnn.rnn_step.evaluate(_no_tanh_step).correct  # five cases each
    assert len(forks) == 3
    deadline = time.monotonic() + 10
    while _guard._UNREAPED and time.monotonic() < deadline:
        time.sleep(0.05)
        _guard._reap_finished()
    assert _guard._UNREAPED == []
    for pid in forks:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie
