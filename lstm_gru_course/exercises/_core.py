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
import textwrap
from dataclasses import dataclass

import numpy as np

from ..i18n import N_, _
from . import _progress
from ._guard import describe_answer, describe_error, pristine
from ._text import (  # noqa: F401  (re-exported: the names live on as _core's)
    Template,
    join,
    ljust,
    rjust,
    tr,
    width,
    wrap,
)

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"

CHAPTERS = {
    "short_term_memory": N_("1. Short-term memory"),
    "rnn": N_("2. The recurrent network"),
    "tanh": N_("3. tanh"),
    "sigmoid": N_("4. Sigmoid and gates"),
    "lstm": N_("5. The LSTM"),
    "gru": N_("6. The GRU"),
    "compare": N_("7. LSTM or GRU?"),
    "applications": N_("8. Applications"),
    "bptt": N_("A. Backpropagation through time"),
    "conventions": N_("B. Conventions across libraries"),
}

_REGISTRY: dict[str, list] = {}
_NOTHING = object()
_MARKS = {CORRECT: "✓", INCORRECT: "✗", NOT_ATTEMPTED: "○"}
_LEADS = {CORRECT: "", INCORRECT: N_("Not yet. "), NOT_ATTEMPTED: N_("Not attempted yet. ")}


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


def chapter_title(chapter: str) -> str:
    """The title of ``chapter`` (a module name such as "lstm") in the current language."""
    return tr(CHAPTERS[chapter])


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


class Problem:
    """One exercise: a question, hints, a solution, and a check."""

    kind = N_("an exercise")
    check_with = N_("your answer")
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
                    _("Pass {what} to check it: .check({argument}).").format(
                        what=tr(self.check_with), argument=self._argument()
                    ),
                )
            with pristine():
                return self._evaluate(answer)
        except KeyboardInterrupt:
            raise
        except BaseException:  # whatever the answer does, the learner gets a sentence
            return Outcome(
                INCORRECT,
                _("This checker could not make sense of {answer}. {expects}").format(
                    answer=describe_answer(answer), expects=self._expects()
                ),
            )

    def _evaluate(self, answer) -> Outcome:
        raise NotImplementedError

    def _expects(self) -> str:
        return _("It expects {what}.").format(what=tr(self.check_with))

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
                note = "\n" + _not_saved(exc)
        print(render(self, outcome) + note)

    def hint(self, n=1) -> None:
        """Print hint ``n`` (1 = gentlest); later hints are more direct."""
        print(self.hint_text(n))

    def hint_text(self, n=1) -> str:
        """The text ``hint(n)`` prints."""
        count = len(self.hints)
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
            if count == 1:
                return _(
                    "This exercise has one hint: ask for it with .hint(1). You gave {answer}."
                ).format(answer=describe_answer(n))
            return _(
                "Ask for a hint by its number, from 1 to {count}: .hint(1) is the "
                "gentlest. You gave {answer}."
            ).format(count=count, answer=describe_answer(n))
        number = min(int(n), count)
        if n <= count:
            text = ""
        elif count == 1:
            text = _("This exercise has only one hint; here it is.") + "\n"
        else:
            text = _("There are only {count} hints; here is the last one.").format(count=count)
            text += "\n"
        text += _("Hint {number} of {count} for {key}: {hint}").format(
            number=number, count=count, key=self.key, hint=tr(self.hints[number - 1])
        )
        if number < count:
            text += "\n" + _("(For a more direct hint: .hint({next}).)").format(next=number + 1)
        return wrap(text)

    def solution(self) -> None:
        """Print a worked solution (it counts as "solution seen" in your progress)."""
        note = ""
        try:
            _progress.record_solution_viewed(self.key)
        except Exception as exc:
            note = "\n" + _not_saved(exc)
        print(self.solution_text() + note)

    def solution_text(self) -> str:
        """The text ``solution()`` prints."""
        parts = [_("Solution to {key}:").format(key=self.key)]
        if self.solution_code:
            parts.append(textwrap.indent(self.solution_code.strip("\n"), "    "))
        if self.explanation:
            parts.append(wrap(tr(self.explanation)))
        return "\n\n".join(parts)

    def _question_text(self) -> str:
        return wrap(tr(self.question))

    def __repr__(self) -> str:
        usage = _(
            "Check it with .check({argument}); .hint() gives a hint, .solution() a solution."
        ).format(argument=self._argument())
        return f"{self.key}: {tr(self.kind)}\n\n{self._question_text()}\n\n{wrap(usage)}"


def render(problem: Problem, outcome: Outcome) -> str:
    """The plain text a learner sees for ``outcome``: a mark, the exercise and the message."""
    mark = _MARKS.get(outcome.status, "?")
    lead = tr(_LEADS.get(outcome.status, ""))
    return wrap(f"{mark} {problem.key}: {join(lead, outcome.message) if lead else outcome.message}")


def _not_saved(exc) -> str:
    """The note under a reply when the progress file could not be written."""
    return _("(Your progress could not be saved: {error}.)").format(
        error=describe_error(exc).rstrip(".。")
    )


# ------------------------------------------------------------------ progress table


def progress_text(chapters) -> str:
    """The progress table (chapter, exercise, done, attempts) for ``chapters``, as text."""
    note = ""
    try:
        entries = _progress.load()
    except Exception as exc:
        entries, note = (
            {},
            "\n"
            + _("(Your progress file could not be read: {error}.)").format(
                error=describe_error(exc).rstrip(".。")
            ),
        )
    rows, done, checked, read, thoughts = [], 0, 0, 0, 0
    for chapter in chapters:
        for problem in _REGISTRY.get(chapter, []):
            entry = entries.get(problem.key, {})
            if not problem.checked:
                thoughts += 1
                seen = bool(entry.get("solution_viewed"))
                read += seen
                # Translators: the "done" column of the progress table: the model answer
                # of a question to think about was read, or not.
                rows.append((chapter, problem.name, _("read") if seen else _("no"), "-"))
            else:
                checked += 1
                done += bool(entry.get("done"))
                rows.append(
                    (
                        chapter,
                        problem.name,
                        _("yes") if entry.get("done") else _("no"),
                        str(entry.get("attempts", 0)),
                    )
                )
    # Translators: the column headings of the progress table (short: they set its width).
    header = (_("chapter"), _("exercise"), _("done"), _("attempts"))
    widths = [max(width(r[k]) for r in [header, *rows]) for k in range(4)]

    def line(row):
        return "  ".join(
            [
                ljust(row[0], widths[0]),
                ljust(row[1], widths[1]),
                ljust(row[2], widths[2]),
                rjust(row[3], widths[3]),
            ]
        ).rstrip()

    table = [line(header), line(tuple("-" * w for w in widths)), *map(line, rows)]
    table.append(
        _(
            "Done: {done} of {checked} checked exercises; model answers read: {read} of {thoughts}."
        ).format(done=done, checked=checked, read=read, thoughts=thoughts)
    )
    return "\n".join(table) + note
