"""The exercise kinds, the outcome of a check, and how both are shown.

Checking is kept apart from showing (as in Kaggle's learntools): ``problem.evaluate(answer)``
is pure, never raises and returns an ``Outcome`` (correct / incorrect / not attempted,
plus a message); ``problem.check(answer)`` evaluates, records the attempt in the progress
file and prints the outcome as plain text, the same every run.

The kinds build on ``Problem``: ``ValueProblem``, ``ChoiceProblem`` and
``ThoughtProblem`` in ``_kinds``, ``FunctionProblem`` in ``_function``.

>>> Outcome(CORRECT, "Correct!").correct, is_blank(____), has_blank([1, ____])
(True, True, True)
"""

from __future__ import annotations

import numbers
import re
import textwrap
from dataclasses import dataclass

import numpy as np

from . import _progress
from ._guard import describe_answer, describe_error, pristine

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"

CHAPTERS = {
    "short_term_memory": "1. Short-term memory",
    "rnn": "2. The recurrent network",
    "tanh": "3. tanh",
    "sigmoid": "4. Sigmoid and gates",
    "lstm": "5. The LSTM",
    "gru": "6. The GRU",
    "compare": "7. LSTM or GRU?",
    "applications": "8. Applications",
    "bptt": "A. Backpropagation through time",
    "conventions": "B. Conventions across libraries",
}

_REGISTRY: dict[str, list] = {}
_NOTHING = object()
_MARKS = {CORRECT: "✓", INCORRECT: "✗", NOT_ATTEMPTED: "○"}
_LEADS = {CORRECT: "", INCORRECT: "Not yet. ", NOT_ATTEMPTED: "Not attempted yet. "}


@dataclass(frozen=True)
class Outcome:
    """The result of one check: ``status`` is "correct", "incorrect" or "not attempted".

    ``mistake`` names the known mistake that was recognised, if any (e.g. "gate_order").
    """

    status: str
    message: str
    mistake: str | None = None

    @property
    def correct(self) -> bool:
        return self.status == CORRECT


@dataclass(frozen=True)
class Mistake:
    """A known mistake: its id, the message a learner gets, and the wrong answer it gives.

    ``variant`` is the wrong value itself (or a function of no arguments returning it)
    for a ``ValueProblem``, and a function of the same arguments returning the wrong
    output for a ``FunctionProblem``.
    """

    id: str
    message: str
    variant: object


class Blank:
    """The ``____`` placeholder of starter code: every checker reads it as "not attempted"."""

    __array_ufunc__ = None  # numpy hands operations on ____ back to Python, which refuses

    def __repr__(self) -> str:
        return "____"


____ = Blank()


def is_blank(value) -> bool:
    """True for the things starter code leaves in place: ``____``, ``...`` and None."""
    return value is None or value is Ellipsis or type(value) is Blank


def has_blank(value) -> bool:
    """True if ``value`` is ``____`` or a list, tuple or array with ``____`` among its items."""
    if type(value) is Blank:
        return True
    if isinstance(value, (list, tuple)):
        return any(type(v) is Blank for v in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(type(v) is Blank for v in value.flat)
    return False


_SHORT_GROUP = re.compile(r"\([^()\s]{1,12}(?: [^()\s]{1,12}){1,3}\)")  # "(4H, I)", "(B, H)"


def wrap(text: str, width: int = 76) -> str:
    """Wrap each paragraph of ``text`` at ``width`` (the book's code column fits ~78);
    never break words, `code in backticks` or short groups in parentheses such as shapes.
    An indented paragraph (a choice's option) keeps its continuation lines indented."""
    lines = []
    for paragraph in text.split("\n"):
        pieces = paragraph.split("`")  # odd pieces are code: glue their spaces together
        glued = "`".join(p.replace(" ", "\u00a0") if k % 2 else p for k, p in enumerate(pieces))
        glued = _SHORT_GROUP.sub(lambda m: m.group(0).replace(" ", "\u00a0"), glued)
        indent = len(paragraph) - len(paragraph.lstrip(" "))
        filled = textwrap.fill(
            glued,
            width,
            break_long_words=False,
            break_on_hyphens=False,
            subsequent_indent=" " * (indent + 4) if indent else "",
        )
        lines.append(filled.replace("\u00a0", " ") if paragraph else "")
    return "\n".join(lines)


class Problem:
    """One exercise: a question, hints, a solution, and a check."""

    kind = "an exercise"
    check_with = "your answer"
    checked = True  # False for questions without a check (they count as "read", not "done")

    def __init__(
        self,
        chapter,
        name,
        question,
        *,
        hints,
        solution="",
        explanation="",
        starter="answer = ____",
        register=True,
    ):
        if not hints:
            raise ValueError(f"exercise {chapter}.{name} needs at least one hint.")
        self.chapter, self.name, self.question = chapter, name, question
        self.hints = tuple(hints)
        self.solution_code, self.explanation, self.starter_code = solution, explanation, starter
        if register:
            _REGISTRY.setdefault(chapter, []).append(self)

    @property
    def key(self) -> str:
        return f"{self.chapter}.{self.name}"

    # ---- checking (pure) and showing

    def evaluate(self, answer=_NOTHING) -> Outcome:
        """Check ``answer`` without printing or saving anything. Never raises.

        The check runs with numpy's and the package's functions as they were when the
        exercises were imported (``_guard.pristine``), so a learner's ``np.tanh = ...``
        cannot change the reference answer.
        """
        try:
            if answer is _NOTHING:
                return Outcome(
                    NOT_ATTEMPTED,
                    f"Pass {self.check_with} to check it: .check({self._argument()}).",
                )
            with pristine():
                return self._evaluate(answer)
        except KeyboardInterrupt:
            raise
        except BaseException:  # whatever the answer does, the learner gets a sentence
            return Outcome(
                INCORRECT,
                f"This checker could not make sense of "
                f"{describe_answer(answer)}. {self._expects()}",
            )

    def _evaluate(self, answer) -> Outcome:
        raise NotImplementedError

    def _expects(self) -> str:
        return f"It expects {self.check_with}."

    def _argument(self) -> str:
        """What the learner passes to check(), as written in the starter code."""
        return "answer"

    def check(self, answer=_NOTHING) -> None:
        """Check ``answer``, record the attempt in your progress file and print the result."""
        outcome = self.evaluate(answer)
        note = ""
        if outcome.status != NOT_ATTEMPTED:
            try:
                _progress.record_attempt(self.key, outcome.correct)
            except Exception as exc:
                note = f"\n(Your progress could not be saved: {describe_error(exc).rstrip('.')}.)"
        print(render(self, outcome) + note)

    def hint(self, n=1) -> None:
        """Print hint ``n`` (1 = gentlest); later hints are more direct."""
        print(self.hint_text(n))

    def hint_text(self, n=1) -> str:
        """The text ``hint(n)`` prints."""
        count = len(self.hints)
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
            return (
                f"Ask for a hint by its number, from 1 to {count}: .hint(1) is the "
                f"gentlest. You gave {describe_answer(n)}."
            )
        number = min(int(n), count)
        text = "" if n <= count else f"There are only {count} hints; here is the last one.\n"
        text += f"Hint {number} of {count} for {self.key}: {self.hints[number - 1]}"
        if number < count:
            text += f"\n(For a more direct hint: .hint({number + 1}).)"
        return wrap(text)

    def solution(self) -> None:
        """Print a worked solution (it counts as "solution seen" in your progress)."""
        note = ""
        try:
            _progress.record_solution_viewed(self.key)
        except Exception as exc:
            note = f"\n(Your progress could not be saved: {describe_error(exc).rstrip('.')}.)"
        print(self.solution_text() + note)

    def solution_text(self) -> str:
        """The text ``solution()`` prints."""
        parts = [f"Solution to {self.key}:"]
        if self.solution_code:
            parts.append(textwrap.indent(self.solution_code.strip("\n"), "    "))
        if self.explanation:
            parts.append(wrap(self.explanation))
        return "\n\n".join(parts)

    def _question_text(self) -> str:
        return wrap(self.question)

    def __repr__(self) -> str:
        usage = (
            f"Check it with .check({self._argument()}); "
            f".hint() gives a hint, .solution() a solution."
        )
        return f"{self.key}: {self.kind}\n\n{self._question_text()}\n\n{wrap(usage)}"


def render(problem: Problem, outcome: Outcome) -> str:
    """The plain text a learner sees for ``outcome``: a mark, the exercise and the message."""
    mark = _MARKS.get(outcome.status, "?")
    return wrap(f"{mark} {problem.key}: {_LEADS.get(outcome.status, '')}{outcome.message}")


# ------------------------------------------------------------------ progress table


def progress_text(chapters) -> str:
    """The progress table (chapter, exercise, done, attempts) for ``chapters``, as text."""
    note = ""
    try:
        entries = _progress.load()
    except Exception as exc:
        entries, note = (
            {},
            f"\n(Your progress file could not be read: {describe_error(exc).rstrip('.')}.)",
        )
    rows, done, checked, read, thoughts = [], 0, 0, 0, 0
    for chapter in chapters:
        for problem in _REGISTRY.get(chapter, []):
            entry = entries.get(problem.key, {})
            if not problem.checked:
                thoughts += 1
                seen = bool(entry.get("solution_viewed"))
                read += seen
                rows.append((chapter, problem.name, "read" if seen else "no", "-"))
            else:
                checked += 1
                done += bool(entry.get("done"))
                rows.append(
                    (
                        chapter,
                        problem.name,
                        "yes" if entry.get("done") else "no",
                        str(entry.get("attempts", 0)),
                    )
                )
    header = ("chapter", "exercise", "done", "attempts")
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(4)]

    def line(row):
        return "  ".join(
            [
                row[0].ljust(widths[0]),
                row[1].ljust(widths[1]),
                row[2].ljust(widths[2]),
                row[3].rjust(widths[3]),
            ]
        ).rstrip()

    table = [line(header), line(tuple("-" * w for w in widths)), *map(line, rows)]
    table.append(
        f"Done: {done} of {checked} checked exercises; model answers read: {read} of {thoughts}."
    )
    return "\n".join(table) + note
