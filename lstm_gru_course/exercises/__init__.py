"""Self-checking exercises for every chapter, and your progress through them.

One module per chapter: ``short_term_memory``, ``rnn``, ``tanh``, ``sigmoid``, ``lstm``
(chapters 5a and 5b), ``gru``, ``compare`` (chapter 7), ``applications`` (chapter 8),
``bptt`` (appendix A) and ``conventions`` (appendix B). Each exercise has ``check(answer)``, ``hint(n)`` and ``solution()``::

    from lstm_gru_course.exercises import lstm as ex, ____
    ex.forget_gate                     # the question
    ex.forget_gate.check(forget_gate)  # all checks passed / not yet, with a pointed message
    ex.forget_gate.hint()              # hint 1; hint(2) is more direct
    ex.forget_gate.solution()          # only when you ask
    ex.progress()                      # this chapter; progress() below for the whole course
    overview()                         # every chapter at a glance: done / attempted / not started

Results are saved in one JSON file (``progress_file()`` says where; the environment
variable LSTM_GRU_COURSE_PROGRESS moves it). ``____`` is the blank of starter code.
"""

from __future__ import annotations

import importlib

from ..i18n import _
from . import _progress
from ._cells import grade
from ._core import CHAPTERS, ____, chapter_title, progress_text
from ._guard import set_time_limit, time_limit

__all__ = [
    "progress",
    "overview",
    "reset_progress",
    "progress_file",
    "set_time_limit",
    "time_limit",
    "grade",
    "CHAPTERS",
    "____",
]


def _load_chapters() -> None:
    for chapter in CHAPTERS:
        importlib.import_module(f"{__name__}.{chapter}")


def progress() -> None:
    """Print your progress in every chapter: chapter, exercise, done, attempts."""
    _load_chapters()
    print(progress_text(list(CHAPTERS)))


def overview(entries=None):
    """The whole course at a glance: each chapter's exercises done / attempted / not started.

    In Jupyter it shows as a small table (HTML); ``print(overview())`` gives plain text.
    ``entries`` (a dict like the progress file's) shows someone else's progress instead.
    """
    from ._overview import overview as _overview

    return _overview(entries)


def progress_file():
    """The path of your progress file (it is created at your first check).

    Where no place can be found (no home folder, or LSTM_GRU_COURSE_PROGRESS names a
    folder that cannot hold it), it prints why and returns None.
    """
    try:
        return _progress.progress_path()
    except OSError as exc:
        print(_("No progress file: {reason}").format(reason=exc))
        return None


def reset_progress(chapter: str | None = None) -> None:
    """Forget your results: all of them, or one chapter's (e.g. ``reset_progress("lstm")``).

    The file as it was is kept as ``progress.json.backup-<time>`` next to it, and the
    message says where, so one call never loses anything.
    """
    if chapter is not None and chapter not in CHAPTERS:
        names = ", ".join(repr(c) for c in CHAPTERS)
        raise ValueError(f"chapter must be one of {names} or None, but received {chapter!r}.")
    try:
        removed, backup = _progress.reset(None if chapter is None else chapter + ".")
    except OSError as exc:  # _progress.ProgressError: a sentence saying what to do
        print(_("Progress not reset: {reason}").format(reason=exc))
        return
    if chapter is None:
        text = (
            _("Progress reset: {count} exercise record removed.")
            if removed == 1
            else _("Progress reset: {count} exercise records removed.")
        )
    else:
        text = (
            _("Progress reset in chapter {chapter}: {count} exercise record removed.")
            if removed == 1
            else _("Progress reset in chapter {chapter}: {count} exercise records removed.")
        )
    print(text.format(count=removed, chapter=chapter_title(chapter) if chapter else ""))
    if backup is not None:
        original = backup.with_name(backup.name.rsplit(".backup-", 1)[0])
        print(
            _(
                "The file as it was is kept as {backup}; to undo, copy it back over {original}."
            ).format(backup=backup, original=original)
        )
