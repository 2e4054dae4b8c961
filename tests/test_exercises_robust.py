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
    st.none(), st.just(____), st.just(...), st.booleans(), st.integers(),
    st.integers(min_value=10 ** 400, max_value=10 ** 401), st.floats(),
    st.complex_numbers(), st.text(max_size=8), st.binary(max_size=8), st.fractions(),
    st.decimals(), st.sampled_from(["a", "B", " (c) ", "e", "0.5", "(7, 4, 5)"]),
    st.builds(Hostile), st.builds(HostileCallable),
    hnp.arrays(st.sampled_from([np.float64, np.int64, np.bool_, np.complex128,
                                np.dtype("U3"), np.dtype(object)]),
               hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    # float32 with explicit 32-bit elements: hypothesis's default one can overflow.
    hnp.arrays(np.float32, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
               elements=st.floats(width=32)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=6,
)


def _returning(value):
    return lambda *args, **kwargs: value


callables = st.one_of(
    values.map(_returning),
    st.sampled_from([len, int, abs, sum, type, object, np.zeros, np.asarray, np.tanh,
                     lambda: None, lambda x: x, lambda *a: a, lambda *a: a[0], lambda *a: a[::-1],
                     lambda *a: 1 / 0, lambda *a: [a[0]], lambda *a: iter([]),
                     lambda *a: np.full(1000, np.inf), lambda *a: {"h": 1},
                     lambda *a: (yield a), Exits()]),
)
specials = st.sampled_from([None, ____, ..., Hostile(), HostileCallable(), Exits(), "",
                            float("nan"), float("inf"), 10 ** 5000, np.array(____), [____]])
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
    for answer in (None, "x", [1, 2], Hostile(), HostileCallable(), Exits(), lambda: 1,
                   np.zeros((2, 3)), float("nan"), 10 ** 5000):
        assert problem.check(answer) is None
    problem.hint(0)
    problem.hint(None)
    problem.hint(10 ** 100)
    out = capsys.readouterr().out
    assert out.count("\n") >= 13 and "Traceback" not in out
