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

from ..i18n import N_, _
from ._core import (
    _NOTHING,
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Outcome,
    Problem,
    has_blank,
    is_blank,
    join,
    tr,
    wrap,
)
from ._guard import describe_answer, safe_text


def _read_number(answer):
    """(float, None) or (None, what is wrong with ``answer`` as a number)."""
    if isinstance(answer, (bool, np.bool_)):
        return None, _("You gave the boolean {answer}; the answer is a number.").format(
            answer=answer
        )
    if isinstance(answer, (str, bytes)):
        return None, _("You gave {answer}; give the number itself, without quotes.").format(
            answer=describe_answer(answer)
        )
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(())[()]
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return None, _("You gave the complex number {answer}; the answer is a real number.").format(
            answer=answer
        )
    if not isinstance(answer, (numbers.Real, decimal.Decimal)):
        return None, _("You gave {answer}; the answer is a single number.").format(
            answer=describe_answer(answer)
        )
    try:
        value = float(answer)
    except (OverflowError, ValueError, TypeError, ArithmeticError):
        return None, _("Your number is too large to be the answer.")
    if not np.isfinite(value):
        return None, _("You gave {answer}; the answer is a finite number.").format(answer=value)
    return value, None


def _read_shape(answer):
    """(tuple of ints, None) or (None, what is wrong with ``answer`` as a shape)."""
    if isinstance(answer, np.ndarray):
        return None, _(
            "You gave {answer}; give its shape (a tuple such as (3, 4)), not the array itself."
        ).format(answer=describe_answer(answer))
    if isinstance(answer, (str, bytes)):
        return None, _(
            "You gave {answer}; give the tuple itself, such as (3, 4), without quotes."
        ).format(answer=describe_answer(answer))
    if isinstance(answer, numbers.Integral) and not isinstance(answer, (bool, np.bool_)):
        return None, _(
            "You gave the number {number}; a shape is a tuple, such as ({number},)."
        ).format(number=safe_text(answer, 40))
    if not isinstance(answer, (tuple, list)):
        return None, _("You gave {answer}; a shape is a tuple such as (3, 4).").format(
            answer=describe_answer(answer)
        )
    sizes = []
    for size in answer:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, numbers.Integral):
            return None, _(
                "Every entry of a shape is a whole number, but yours holds {entry}."
            ).format(entry=describe_answer(size))
        sizes.append(int(size))
    return tuple(sizes), None


def _read_array(answer):
    """(float array, None) or (None, what is wrong with ``answer`` as an array)."""
    if isinstance(answer, (str, bytes, dict, set)) or callable(answer):
        return None, _("You gave {answer}; the answer is an array of numbers.").format(
            answer=describe_answer(answer)
        )
    try:
        arr = np.asarray(answer)
    except Exception:
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        return None, _("You gave {answer}; the answer is an array of numbers.").format(
            answer=describe_answer(answer)
        )
    return arr.astype(float), None


_READERS = {"number": _read_number, "shape": _read_shape, "array": _read_array}


# One rule for every value answer, stated under each question by ``rule()``: a whole
# number (a count) exactly, any other number to four significant digits (a relative
# tolerance of 1e-3 accepts every correct rounding to four digits), a shape exactly.
VALUE_RTOL = 1e-3
RULES = {
    "whole": N_("(Answer rule: a count, so give the whole number exactly.)"),
    "number": N_("(Answer rule: four significant digits are enough.)"),
    "array": N_("(Answer rule: four significant digits are enough for each number.)"),
    "shape": N_("(Answer rule: a tuple of whole numbers, such as (3, 4).)"),
}


class ValueProblem(Problem):
    """Compute a value: ``answer_type`` is "number", "shape" or "array"."""

    kind = N_("a value to compute")
    check_with = N_("your answer")

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
            "number": _("It expects a number."),
            "shape": _("It expects a shape, a tuple of whole numbers."),
            "array": _("It expects an array of numbers."),
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
            return tr(RULES["whole"])
        return tr(RULES[self.answer_type])

    def _whole(self) -> bool:
        return self.answer_type == "number" and float(self.expected()).is_integer()

    def _question_text(self) -> str:
        return f"{wrap(tr(self.question))}\n{wrap(self.rule())}"

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
            return Outcome(
                NOT_ATTEMPTED, _("Replace each ____ with your answer, then check again.")
            )
        got, problem = _READERS[self.answer_type](answer)
        if problem:
            return Outcome(INCORRECT, problem)
        expected = self.expected()
        if self._matches(got, expected):
            return Outcome(CORRECT, join(_("Correct!"), tr(self.explanation)).rstrip())
        for mistake in self.mistakes:
            wrong = self._normalise(
                mistake.variant() if callable(mistake.variant) else mistake.variant
            )
            if self._matches(got, wrong):
                return Outcome(INCORRECT, tr(mistake.message), mistake.id)
        return Outcome(INCORRECT, self._generic(got, expected))

    def _generic(self, got, expected) -> str:
        tip = _(" Try .hint() for a nudge.")
        if self.answer_type == "shape":
            if len(got) != len(expected):
                return (
                    _(
                        "You gave a shape with {count} dimensions, {shape}; the answer has {want}."
                    ).format(count=len(got), shape=safe_text(got, 60), want=len(expected))
                    + tip
                )
            return (
                _(
                    "You gave the shape {shape}: the number of dimensions is right, "
                    "the sizes are not."
                ).format(shape=safe_text(got, 60))
                + tip
            )
        if self.answer_type == "array":
            if got.shape != expected.shape:
                return (
                    _("You gave an array of shape {shape}; the answer has shape {want}.").format(
                        shape=got.shape, want=expected.shape
                    )
                    + tip
                )
            off = int(np.sum(~np.isclose(got, expected, rtol=self.rtol, atol=self.atol)))
            return (
                _(
                    "Your array has the right shape, {shape}, but {off} of {size} values are off."
                ).format(shape=got.shape, off=off, size=got.size)
                + tip
            )
        number = f"{got:.6g}"
        if expected != 0 and np.isclose(got, -expected, rtol=self.rtol, atol=self.atol):
            return (
                _("You gave {number}: the size is right but the sign is not.").format(number=number)
                + tip
            )
        if expected != 0 and np.isclose(got, 100 * expected, rtol=self.rtol):
            return (
                _("You gave {number}, which looks like a percentage; give a fraction.").format(
                    number=number
                )
                + tip
            )
        if self._whole():
            return (
                _("You gave {number}; that is not the expected count.").format(number=f"{got:.10g}")
                + tip
            )
        return (
            _(
                "You gave {number}; that is not the expected number (compared with a "
                "relative tolerance of {rtol})."
            ).format(number=number, rtol=f"{self.rtol:g}")
            + tip
        )


# ------------------------------------------------------------------ choices and thoughts


class ChoiceProblem(Problem):
    """Pick the true statement by its letter; every option explains itself when chosen."""

    kind = N_("a choice between statements")
    check_with = N_("your letter")

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
        return _("{letters} or {last}").format(letters=", ".join(letters[:-1]), last=letters[-1])

    def _expects(self) -> str:
        return _("It expects one letter: {letters}.").format(letters=self._letters())

    def _evaluate(self, answer) -> Outcome:
        if is_blank(answer):
            return Outcome(
                NOT_ATTEMPTED,
                _(
                    "Replace ____ with the letter of your choice ({letters}), then check again."
                ).format(letters=self._letters(quoted=True)),
            )
        letter = None
        if isinstance(answer, str):
            text = str.__str__(answer)  # a plain str: a subclass's __eq__ or strip cannot bend it
            cleaned = text.strip().strip("().").strip().lower()
            if cleaned in self.options:
                letter = cleaned
            else:
                letter = next(
                    (
                        k
                        for k, v in self.options.items()
                        if text.strip().lower() in (v.lower(), tr(v).lower())
                    ),
                    None,
                )
        if letter is None:
            return Outcome(
                INCORRECT,
                _("Answer with one letter, {letters}, as a string; you gave {answer}.").format(
                    letters=self._letters(), answer=describe_answer(answer)
                ),
            )
        if letter == self.answer:
            return Outcome(CORRECT, join(_("Correct!"), tr(self.feedback[letter])))
        return Outcome(
            INCORRECT,
            join(_("({letter}) is not it.").format(letter=letter), tr(self.feedback[letter])),
            f"option {letter}",
        )

    def solution_text(self) -> str:
        extra = f"\n\n{wrap(tr(self.explanation))}" if self.explanation else ""
        title = _("Solution to {key}:").format(key=self.key)
        answer = _("({letter}) {option}: {feedback}").format(
            letter=self.answer,
            # the option's own full stop would sit right before the colon: "(a) ... .: ..."
            option=tr(self.options[self.answer]).rstrip(".。"),
            feedback=tr(self.feedback[self.answer]),
        )
        return f"{title}\n\n    {self.solution_code}\n\n{wrap(answer)}{extra}"

    def _question_text(self) -> str:
        options = "\n".join(wrap(f"  ({k}) {tr(v)}") for k, v in self.options.items())
        return f"{wrap(tr(self.question))}\n{options}"


class ThoughtProblem(Problem):
    """A question to think about: no check, a model answer behind .solution()."""

    kind = N_("a question to think about")
    checked = False

    def __init__(self, chapter, name, question, *, model_answer, **kwargs):
        kwargs.setdefault("starter", "")
        super().__init__(chapter, name, question, explanation=model_answer, **kwargs)

    def _evaluate(self, answer) -> Outcome:
        return Outcome(
            NOT_ATTEMPTED,
            _(
                "There is nothing to check here: think it through, "
                "write your answer down, then compare it with .solution()."
            ),
        )

    def evaluate(self, answer=None) -> Outcome:
        return self._evaluate(answer)

    def __repr__(self) -> str:
        return f"{self.key}: {tr(self.kind)}\n\n{self._question_text()}\n\n" + wrap(
            _("Think it through, then compare with a model answer: .solution().")
        )
