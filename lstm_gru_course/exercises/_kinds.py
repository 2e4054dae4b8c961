"""The simpler exercise kinds: a value to compute, a choice, a question to think about.

``ValueProblem`` reads the answer as a number, a shape or an array (refusing strings,
booleans and the like with a sentence), compares it with a tolerance, and recognises
known wrong values. ``ChoiceProblem`` takes a letter and explains whichever option was
picked. ``ThoughtProblem`` has no check, only a model answer.

>>> from lstm_gru_course.exercises import ____
>>> q = ValueProblem("demo", "half", "What is 1/2?", expected=0.5, hints=["Divide."],
...                  solution="answer = 0.5", register=False)
>>> q.evaluate(0.5).status, q.evaluate(____).status, q.evaluate("0.5").status
('correct', 'not attempted', 'incorrect')
"""

from __future__ import annotations

import decimal
import numbers

import numpy as np

from ._core import (
    _NOTHING,
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Outcome,
    Problem,
    has_blank,
    is_blank,
    wrap,
)
from ._guard import describe_answer, safe_text


def _read_number(answer):
    """(float, None) or (None, what is wrong with ``answer`` as a number)."""
    if isinstance(answer, (bool, np.bool_)):
        return None, f"You gave the boolean {answer}; the answer is a number."
    if isinstance(answer, (str, bytes)):
        return None, (
            f"You gave {describe_answer(answer)}; give the number itself, without quotes."
        )
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(())[()]
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return None, f"You gave the complex number {answer}; the answer is a real number."
    if not isinstance(answer, (numbers.Real, decimal.Decimal)):
        return None, f"You gave {describe_answer(answer)}; the answer is a single number."
    try:
        value = float(answer)
    except (OverflowError, ValueError, TypeError, ArithmeticError):
        return None, "Your number is too large to be the answer."
    if not np.isfinite(value):
        return None, f"You gave {value}; the answer is a finite number."
    return value, None


def _read_shape(answer):
    """(tuple of ints, None) or (None, what is wrong with ``answer`` as a shape)."""
    if isinstance(answer, np.ndarray):
        return None, (
            f"You gave {describe_answer(answer)}; give its shape (a tuple such as "
            f"(3, 4)), not the array itself."
        )
    if isinstance(answer, (str, bytes)):
        return None, (
            f"You gave {describe_answer(answer)}; give the tuple itself, such as "
            f"(3, 4), without quotes."
        )
    if isinstance(answer, numbers.Integral) and not isinstance(answer, (bool, np.bool_)):
        return None, (
            f"You gave the number {safe_text(answer, 40)}; a shape is a tuple, such "
            f"as ({safe_text(answer, 40)},)."
        )
    if not isinstance(answer, (tuple, list)):
        return None, f"You gave {describe_answer(answer)}; a shape is a tuple such as (3, 4)."
    sizes = []
    for size in answer:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, numbers.Integral):
            return None, (
                f"Every entry of a shape is a whole number, but yours holds "
                f"{describe_answer(size)}."
            )
        sizes.append(int(size))
    return tuple(sizes), None


def _read_array(answer):
    """(float array, None) or (None, what is wrong with ``answer`` as an array)."""
    if isinstance(answer, (str, bytes, dict, set)) or callable(answer):
        return None, f"You gave {describe_answer(answer)}; the answer is an array of numbers."
    try:
        arr = np.asarray(answer)
    except Exception:
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        return None, f"You gave {describe_answer(answer)}; the answer is an array of numbers."
    return arr.astype(float), None


_READERS = {"number": _read_number, "shape": _read_shape, "array": _read_array}


# One rule for every value answer, stated under each question by ``rule()``: a whole
# number (a count) exactly, any other number to four significant digits (a relative
# tolerance of 1e-3 accepts every correct rounding to four digits), a shape exactly.
VALUE_RTOL = 1e-3
RULES = {
    "whole": "(Answer rule: a count, so give the whole number exactly.)",
    "number": "(Answer rule: four significant digits are enough.)",
    "array": "(Answer rule: four significant digits are enough for each number.)",
    "shape": "(Answer rule: a tuple of whole numbers, such as (3, 4).)",
}


class ValueProblem(Problem):
    """Compute a value: ``answer_type`` is "number", "shape" or "array"."""

    kind = "a value to compute"
    check_with = "your answer"

    def __init__(
        self,
        chapter,
        name,
        question,
        *,
        expected,
        answer_type="number",
        mistakes=(),
        rtol=VALUE_RTOL,
        atol=1e-12,
        **kwargs,
    ):
        super().__init__(chapter, name, question, **kwargs)
        if answer_type not in ("number", "shape", "array"):
            raise ValueError(
                f"answer_type must be 'number', 'shape' or 'array', but received {answer_type!r}."
            )
        self.answer_type, self.mistakes = answer_type, tuple(mistakes)
        self._expected_source, self._expected = expected, _NOTHING
        self.rtol, self.atol = rtol, atol

    def _expects(self) -> str:
        return {
            "number": "It expects a number.",
            "shape": "It expects a shape, a tuple of whole numbers.",
            "array": "It expects an array of numbers.",
        }[self.answer_type]

    def expected(self):
        """The expected value (computed once, on first use)."""
        if self._expected is _NOTHING:
            source = self._expected_source
            value = source() if callable(source) else source
            self._expected = self._normalise(value)
        return self._expected

    def _normalise(self, value):
        got, problem = _READERS[self.answer_type](value)
        if problem:
            raise ValueError(f"{self.key}: a reference value is malformed: {problem}")
        return got

    def rule(self) -> str:
        """The answer rule shown under the question (the same for every value answer)."""
        if self.answer_type == "number" and self._whole():
            return RULES["whole"]
        return RULES[self.answer_type]

    def _whole(self) -> bool:
        return self.answer_type == "number" and float(self.expected()).is_integer()

    def _question_text(self) -> str:
        return f"{wrap(self.question)}\n{wrap(self.rule())}"

    def _matches(self, got, target) -> bool:
        if self.answer_type == "shape":
            return got == target
        if self._whole():
            return got == target
        if self.answer_type == "array" and got.shape != target.shape:
            return False
        return bool(np.allclose(got, target, rtol=self.rtol, atol=self.atol))

    def _evaluate(self, answer) -> Outcome:
        if is_blank(answer) or has_blank(answer):
            return Outcome(NOT_ATTEMPTED, "Replace each ____ with your answer, then check again.")
        got, problem = _READERS[self.answer_type](answer)
        if problem:
            return Outcome(INCORRECT, problem)
        expected = self.expected()
        if self._matches(got, expected):
            return Outcome(CORRECT, f"Correct! {self.explanation}".rstrip())
        for mistake in self.mistakes:
            wrong = self._normalise(
                mistake.variant() if callable(mistake.variant) else mistake.variant
            )
            if self._matches(got, wrong):
                return Outcome(INCORRECT, mistake.message, mistake.id)
        return Outcome(INCORRECT, self._generic(got, expected))

    def _generic(self, got, expected) -> str:
        tip = " Try .hint() for a nudge."
        if self.answer_type == "shape":
            if len(got) != len(expected):
                return (
                    f"You gave a shape with {len(got)} dimensions, {safe_text(got, 60)}; the answer has "
                    f"{len(expected)}.{tip}"
                )
            return (
                f"You gave the shape {safe_text(got, 60)}: the number of dimensions is right, "
                f"the sizes are not.{tip}"
            )
        if self.answer_type == "array":
            if got.shape != expected.shape:
                return f"You gave an array of shape {got.shape}; the answer has shape {expected.shape}.{tip}"
            off = int(np.sum(~np.isclose(got, expected, rtol=self.rtol, atol=self.atol)))
            return f"Your array has the right shape, {got.shape}, but {off} of {got.size} values are off.{tip}"
        if expected != 0 and np.isclose(got, -expected, rtol=self.rtol, atol=self.atol):
            return f"You gave {got:.6g}: the size is right but the sign is not.{tip}"
        if expected != 0 and np.isclose(got, 100 * expected, rtol=self.rtol):
            return f"You gave {got:.6g}, which looks like a percentage; give a fraction.{tip}"
        if self._whole():
            return f"You gave {got:.10g}; that is not the expected count.{tip}"
        return (
            f"You gave {got:.6g}; that is not the expected number (compared with a "
            f"relative tolerance of {self.rtol:g}).{tip}"
        )


# ------------------------------------------------------------------ choices and thoughts


class ChoiceProblem(Problem):
    """Pick the true statement by its letter; every option explains itself when chosen."""

    kind = "a choice between statements"
    check_with = "your letter"

    def __init__(self, chapter, name, question, *, options, answer, feedback, **kwargs):
        kwargs.setdefault("solution", f'answer = "{answer}"')
        letters = ", ".join(f'"{k}"' for k in options)
        kwargs.setdefault("starter", f"answer = ____   # one of {letters}")
        super().__init__(chapter, name, question, **kwargs)
        if answer not in options or set(feedback) != set(options):
            raise ValueError(f"{self.key}: the answer and the feedback must match the options.")
        self.options, self.answer, self.feedback = dict(options), answer, dict(feedback)

    def _letters(self, quoted: bool = False) -> str:
        letters = [f'"{k}"' if quoted else k for k in self.options]
        return ", ".join(letters[:-1]) + " or " + letters[-1]

    def _expects(self) -> str:
        return f"It expects one letter: {self._letters()}."

    def _evaluate(self, answer) -> Outcome:
        if is_blank(answer):
            return Outcome(
                NOT_ATTEMPTED,
                "Replace ____ with the letter of your choice "
                f"({self._letters(quoted=True)}), then check again.",
            )
        letter = None
        if isinstance(answer, str):
            text = str.__str__(answer)  # a plain str: a subclass's __eq__ or strip cannot bend it
            cleaned = text.strip().strip("().").strip().lower()
            if cleaned in self.options:
                letter = cleaned
            else:
                letter = next(
                    (k for k, v in self.options.items() if text.strip().lower() == v.lower()), None
                )
        if letter is None:
            return Outcome(
                INCORRECT,
                f"Answer with one letter, {self._letters()}, as a "
                f"string; you gave {describe_answer(answer)}.",
            )
        if letter == self.answer:
            return Outcome(CORRECT, f"Correct! {self.feedback[letter]}")
        return Outcome(
            INCORRECT, f"({letter}) is not it. {self.feedback[letter]}", f"option {letter}"
        )

    def solution_text(self) -> str:
        extra = f"\n\n{wrap(self.explanation)}" if self.explanation else ""
        return (
            f"Solution to {self.key}:\n\n    {self.solution_code}\n\n"
            f"{wrap(f'({self.answer}) {self.options[self.answer]}: {self.feedback[self.answer]}')}"
            f"{extra}"
        )

    def _question_text(self) -> str:
        options = "\n".join(wrap(f"  ({k}) {v}") for k, v in self.options.items())
        return f"{wrap(self.question)}\n{options}"


class ThoughtProblem(Problem):
    """A question to think about: no check, a model answer behind .solution()."""

    kind = "a question to think about"
    checked = False

    def __init__(self, chapter, name, question, *, model_answer, **kwargs):
        kwargs.setdefault("starter", "")
        super().__init__(chapter, name, question, explanation=model_answer, **kwargs)

    def _evaluate(self, answer) -> Outcome:
        return Outcome(
            NOT_ATTEMPTED,
            "There is nothing to check here: think it through, "
            "write your answer down, then compare it with .solution().",
        )

    def evaluate(self, answer=None) -> Outcome:
        return self._evaluate(answer)

    def __repr__(self) -> str:
        return (
            f"{self.key}: {self.kind}\n\n{self._question_text()}\n\n"
            f"{wrap('Think it through, then compare with a model answer: .solution().')}"
        )
