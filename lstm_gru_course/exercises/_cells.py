"""The notebook cells of an exercise, made from its definition (one source for both).

The book's notebooks and the nbgrader assignments (``tools/make_assignments.py``) take
their exercise cells from here, and a test compares every stored check cell with
``check_cell``, so the starter code a learner sees cannot drift from the package's.

>>> from lstm_gru_course.exercises import compare as ex
>>> print(check_cell(ex.step_time))
answer = ____
ex.step_time.check(answer)
"""

from __future__ import annotations

from ._function import FunctionProblem


def import_line(chapter: str) -> str:
    """The line that makes ``ex`` and the blank ``____`` available."""
    return f"from lstm_gru_course.exercises import {chapter} as ex, ____"


def question_cell(problem, first: bool = False) -> str:
    """The cell showing the question: ``ex.<name>`` (after the import in the first one)."""
    show = f"ex.{problem.name}"
    return f"{import_line(problem.chapter)}\n\n{show}" if first else show


def check_call(problem) -> str:
    return f"ex.{problem.name}.check({problem._argument()})"


def check_cell(problem) -> str:
    """The starter code followed by the check (a blank line after a function)."""
    gap = "\n\n" if isinstance(problem, FunctionProblem) else "\n"
    return f"{problem.starter_code}{gap}{check_call(problem)}"


def solution_source(problem) -> str:
    """The solution as code that defines what the check reads (``answer`` or the function)."""
    code = problem.solution_code.strip("\n")
    return code


def grade(problem, answer) -> None:
    """For autograders (nbgrader's test cells): print the checker's reply to ``answer``
    and raise AssertionError with that reply unless it passed. Saves no progress.

    >>> from lstm_gru_course.exercises import compare as ex
    >>> grade(ex.step_time, 1.8)                        # doctest: +ELLIPSIS
    ✓ compare.step_time: Correct! ...
    """
    from ._core import render

    outcome = problem.evaluate(answer)
    reply = render(problem, outcome)
    print(reply)
    if not outcome.correct:
        raise AssertionError(reply)
