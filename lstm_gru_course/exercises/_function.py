"""Exercises where the learner writes a function, checked on sample cases.

A ``FunctionProblem`` calls the learner's function on each ``Case`` (fresh copies of
the inputs, under the time limit) and compares what it returns with the reference
(computed with ``lstm_gru_course.cells`` where possible), with a tolerance. When the
result is wrong it runs each known ``Mistake`` on the same inputs: if the learner's
result matches one, the learner gets that mistake's own message. Since only sample
cases are tried, success reads "all checks passed", not "correct".

>>> import numpy as np
>>> double = FunctionProblem(
...     "demo", "double", "Return twice x.", params=("x",), returns=("y",),
...     reference=lambda x: 2 * x, cases=[Case("x = [1, 2]", lambda: (np.array([1., 2.]),))],
...     hints=["Multiply."], solution="def double(x):\\n    return 2 * x", register=False)
>>> double.evaluate(lambda x: x + x).message
'All checks passed on 1 sample case: x = [1, 2].'
"""

from __future__ import annotations

import copy
import inspect
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..i18n import N_, _
from ._core import CORRECT, INCORRECT, NOT_ATTEMPTED, Outcome, Problem, has_blank, is_blank, tr
from ._guard import (
    describe_answer,
    describe_error,
    run_learner_calls,
    time_limit,
    where_in_learner_code,
)
from ._text import inputs_text, sample_text


@dataclass(frozen=True)
class Case:
    """One sample case: a description for messages and a function making the arguments."""

    description: str
    make_args: Callable[[], tuple]


@dataclass(frozen=True)
class ErrorHint:
    """A known mistake that shows up as an exception: ``matches(exc)`` recognises it."""

    id: str
    message: str
    matches: Callable[[BaseException], bool]


def _as_float_array(value):
    """``value`` as a float array, or None if it is not an array of real numbers."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        return None
    try:
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            return None
        return arr.astype(float)
    except Exception:
        return None


def _uses_blank(func) -> bool:
    """True if the function's code still names the ``____`` placeholder."""
    try:
        code = getattr(func, "__code__", None)
    except Exception:  # an object whose attribute lookup itself fails
        return False
    stack = [code] if isinstance(code, types.CodeType) else []
    while stack:
        code = stack.pop()
        if "____" in code.co_names:
            return True
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return False


class FunctionProblem(Problem):
    """Write a function with parameters ``params`` returning the arrays named ``returns``."""

    kind = N_("a function to write")
    check_with = N_("your function")

    def __init__(
        self,
        chapter,
        name,
        question,
        *,
        params,
        returns,
        reference,
        cases,
        mistakes=(),
        error_hints=(),
        shapes=None,
        rtol=1e-5,
        atol=1e-8,
        **kwargs,
    ):
        super().__init__(chapter, name, question, **kwargs)
        self.params, self.returns = tuple(params), tuple(returns)
        self.reference, self.cases = reference, tuple(cases)
        self.mistakes, self.error_hints = tuple(mistakes), tuple(error_hints)
        self.shapes = dict(shapes or {})  # output name -> words, e.g. "(batch, hidden)"
        self.rtol, self.atol = rtol, atol
        self._cache: dict = {}

    def _expects(self) -> str:
        return _("It expects a function {name}({params}).").format(
            name=self.name, params=", ".join(self.params)
        )

    def _argument(self) -> str:
        return self.name

    # ---- reference outputs, computed once per case

    def _outputs(self, raw):
        """A raw return value as a tuple of float arrays, or None if it is not one."""
        if len(self.returns) == 1:
            arr = _as_float_array(raw)
            return None if arr is None else (arr,)
        if not isinstance(raw, (tuple, list)) or len(raw) != len(self.returns):
            return None
        arrays = tuple(_as_float_array(v) for v in raw)
        return None if any(a is None for a in arrays) else arrays

    def _args(self, index):
        return self._cached(("args", index), self.cases[index].make_args)

    def _expected(self, index):
        return self._cached(
            ("expected", index), lambda: self._outputs(self.reference(*self._args(index)))
        )

    def _variant(self, mistake, index):
        def compute():
            try:
                return self._outputs(mistake.variant(*self._args(index)))
            except Exception:  # a variant may not apply to every shape (e.g. x + h_prev)
                return None

        return self._cached(("variant", id(mistake), index), compute)

    def _cached(self, key, compute):
        if key not in self._cache:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")  # the checker's own sums stay quiet
                self._cache[key] = compute()
        return self._cache[key]

    def _close(self, outputs, expected) -> bool:
        if outputs is None:
            return False
        return all(
            a.shape == b.shape
            and bool(np.all(np.isfinite(a)))
            and bool(np.allclose(a, b, rtol=self.rtol, atol=self.atol))
            for a, b in zip(outputs, expected)
        )

    # ---- the check

    def _signature_problem(self, func) -> str | None:
        try:
            signature = inspect.signature(func)
        except Exception:  # builtins and odd callables: just call them and see
            return None
        try:
            signature.bind(*self.params)
            return None
        except TypeError:
            pass
        try:
            theirs = str(signature)
        except Exception:
            theirs = "(...)"
        return _(
            "Your function takes {theirs}, but the checker calls it with "
            "{count} arguments: ({params})."
        ).format(theirs=theirs, count=len(self.params), params=", ".join(self.params))

    def _evaluate(self, func) -> Outcome:
        if is_blank(func):
            return Outcome(
                NOT_ATTEMPTED,
                _("Write the function {name} and pass it: .check({name}).").format(name=self.name),
            )
        if not callable(func):
            extra = (
                _(" It looks like a result: pass the function itself, without calling it.")
                if _as_float_array(func) is not None
                else ""
            )
            return Outcome(
                INCORRECT,
                _("Pass your function itself, as in .check({name}); you gave {answer}.").format(
                    name=self.name, answer=describe_answer(func)
                )
                + extra,
            )
        if _uses_blank(func):
            return Outcome(
                NOT_ATTEMPTED,
                _(
                    "Your function still contains ____: replace every "
                    "____ with your own code, then check again."
                ),
            )
        problem = self._signature_problem(func)
        if problem:
            return Outcome(INCORRECT, problem)
        noticed = []
        # All cases in one child process (one fork per check), each under the time limit.
        runs = run_learner_calls(
            func, [copy.deepcopy(self._args(index)) for index in range(len(self.cases))]
        )
        for index, case in enumerate(self.cases):
            outcome = self._check_case(runs[index], index, case, noticed)
            if outcome is not None:
                return outcome
        count = len(self.cases)
        message = (
            _("All checks passed on {count} sample cases: {cases}.")
            if count > 1
            else _("All checks passed on {count} sample case: {cases}.")
        ).format(
            count=count,
            # Translators: the separator between the sample cases listed after a pass.
            cases=_("; ").join(tr(c.description) for c in self.cases),
        )
        if noticed:
            description, warning = noticed[0]
            message += _(
                ' One thing to look at: numpy warned "{warning}" on the case '
                "{case}. The values were still right, but it is worth knowing why."
            ).format(warning=warning, case=tr(description))
        return Outcome(CORRECT, message)

    def _check_case(self, run, index, case, noticed) -> Outcome | None:
        """None if the learner's ``run`` on ``case`` is right, else the outcome to report."""
        on_case = _("on the sample case {case}").format(case=tr(case.description))
        inputs = inputs_text(self.params, self._args(index))
        if run.timed_out:
            return Outcome(
                INCORRECT,
                _(
                    "Your function was still running after {seconds} s "
                    "{on_case}. Is there a loop that never ends? (If it is only slow, "
                    "allow more time with lstm_gru_course.exercises.set_time_limit(seconds).)"
                ).format(seconds=f"{time_limit():g}", on_case=on_case),
            )
        if run.error is not None:
            return self._error_outcome(run.error, on_case, inputs)
        if is_blank(run.value) or has_blank(run.value):
            if run.value is None:
                return Outcome(
                    NOT_ATTEMPTED,
                    _(
                        "Your function returned None. If you have not "
                        "written it yet, that is expected; if you have, did you forget "
                        "a return statement?"
                    ),
                )
            return Outcome(
                NOT_ATTEMPTED, _("Your function returned ____: replace it with your result.")
            )
        expected = self._expected(index)
        outputs = self._outputs(run.value)
        if self._close(outputs, expected):
            noticed.extend((case.description, w) for w in run.warnings)
            return None
        for mistake in self.mistakes:
            wrong = self._variant(mistake, index)
            if (
                wrong is not None
                and not self._close(wrong, expected)
                and self._close(outputs, wrong)
            ):
                return Outcome(
                    INCORRECT,
                    tr(mistake.message) + _(" (Seen {on_case}.)").format(on_case=on_case),
                    mistake.id,
                )
        return Outcome(
            INCORRECT,
            self._explain(run.value, expected)
            + _(" (Seen {on_case}; {inputs}.)").format(on_case=on_case, inputs=inputs),
        )

    def _error_outcome(self, error, on_case, inputs) -> Outcome:
        if isinstance(error, NotImplementedError):
            return Outcome(
                NOT_ATTEMPTED,
                _("Your function raises NotImplementedError: write its body, then check again."),
            )
        where = where_in_learner_code(error)
        raised = (
            _("Your function raised {error} {on_case}, {where}:")
            if where
            else _("Your function raised {error} {on_case}.")
        )
        lines = [
            raised.format(error=type(error).__name__, on_case=on_case, where=where and where[0])
        ]
        if where and where[1]:
            lines.append(f"    {where[1]}")
        lines.append(describe_error(error))
        lines.append(_("({inputs}.)").format(inputs=inputs[0].upper() + inputs[1:]))
        for hint in self.error_hints:
            try:
                matched = hint.matches(error)
            except Exception:
                matched = False
            if matched:
                return Outcome(INCORRECT, "\n".join([*lines, tr(hint.message)]), hint.id)
        return Outcome(INCORRECT, "\n".join(lines))

    def _explain(self, value, expected) -> str:
        """What is wrong with ``value``, in words, without showing the expected values."""
        names = self.returns
        if len(names) == 1:
            return self._explain_array(names[0], value, expected[0])
        listed = ", ".join(names)
        if not isinstance(value, (tuple, list)):
            return _(
                "Your function should return {count} arrays, ({listed}), as a tuple; "
                "it returned {answer}."
            ).format(count=len(names), listed=listed, answer=describe_answer(value))
        if len(value) != len(names):
            return _(
                "Your function should return {count} arrays, ({listed}); it returned {got} values."
            ).format(count=len(names), listed=listed, got=len(value))
        for name, got, target in zip(names, value, expected):
            arr = _as_float_array(got)
            if arr is None or arr.shape != target.shape or not self._close((arr,), (target,)):
                return self._explain_array(name, got, target)
        return _("Your result is not what was expected.")

    def _explain_array(self, name, got, target) -> str:
        words = self.shapes.get(name)
        shape = f"{target.shape}" + (
            _(", that is {words},").format(words=tr(words)) if words else ""
        )
        arr = _as_float_array(got)
        if arr is None:
            return _(
                "{name} should be a numpy array of shape {shape} but your function "
                "returned {answer}."
            ).format(name=name, shape=shape, answer=describe_answer(got))
        if arr.shape != target.shape:
            text = _("{name} should have shape {shape} but yours has shape {got}.").format(
                name=name, shape=shape, got=arr.shape
            )
            if arr.ndim == 2 and arr.shape == target.shape[::-1]:
                text += _(" It looks transposed.")
            return text
        finite = np.isfinite(arr)
        if not finite.all():
            what = "NaN" if np.isnan(arr).any() else "inf"
            return _(
                "{name} contains {what} in {count} of {size} entries; "
                "look for a division by zero or an overflowing exp."
            ).format(name=name, what=what, count=int((~finite).sum()), size=arr.size)
        off = ~np.isclose(arr, target, rtol=self.rtol, atol=self.atol)
        biggest = float(np.max(np.abs(arr - target)))
        return _(
            "{name} has the right shape, {shape}, but {off} of {size} "
            "values are off (by up to {biggest}). Your first values: {first}."
        ).format(
            name=name,
            shape=arr.shape,
            off=int(off.sum()),
            size=arr.size,
            biggest=f"{biggest:.3g}",
            first=sample_text(arr),
        )
