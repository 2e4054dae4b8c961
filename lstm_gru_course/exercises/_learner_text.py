"""Describing learner things without ever raising: their values, errors and failing line.

``where_in_learner_code(exc)`` names the line of the learner's own code that raised,
skipping this package's frames, numpy's and the standard library's. Split out of
``_guard``, which re-exports these names.
"""

from __future__ import annotations

import numbers
import os
import sysconfig
import traceback
from pathlib import Path

import numpy as np

from ..i18n import _

_ABSENT = object()

_WHERE = "_lstm_gru_course_where"


def _mark_where(exc, where) -> None:
    try:
        setattr(exc, _WHERE, where)
    except BaseException:
        pass


def safe_text(value, limit: int = 200) -> str:
    try:
        text = str(value)
    except BaseException:
        text = f"<{type(value).__name__} that cannot be printed>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_answer(value) -> str:
    """``_validate.describe`` in the learner's language, never raising, at most a line."""
    try:
        text = _describe(value)
    except BaseException:
        text = _("an object of type {name}").format(name=type(value).__name__)
    return text if len(text) <= 100 else text[:97] + "..."


def _describe(value) -> str:
    """The words of ``_validate.describe`` (the same in English), translated."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape} and dtype {dtype}").format(
            shape=value.shape, dtype=value.dtype
        )
    if isinstance(value, (list, tuple)):
        return _("a {kind} of length {length}").format(kind=type(value).__name__, length=len(value))
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return _("the string {text}").format(text=repr(shown))
    if isinstance(value, (bool, np.bool_)):
        return _("the boolean {value}").format(value=value)
    if isinstance(value, numbers.Number):
        return _("the number {value}").format(value=repr(value))
    return _("an object of type {name}").format(name=type(value).__name__)


def describe_error(exc: BaseException) -> str:
    """``ZeroDivisionError: division by zero``: the exception's name and message."""
    name = type(exc).__name__
    message = safe_text(exc, limit=300)
    return f"{name}: {message}" if message else name


_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
_SKIPPED_DIRS = tuple(
    {
        _PACKAGE_DIR,
        *(
            str(Path(p).resolve())
            for key, p in sysconfig.get_paths().items()
            if key in ("stdlib", "platstdlib", "purelib", "platlib")
        ),
    }
)


def _is_learner_file(filename: str) -> bool:
    if filename.startswith("<frozen"):
        return False
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        return True
    return not any(resolved == d or resolved.startswith(d + os.sep) for d in _SKIPPED_DIRS)


def where_in_learner_code(exc: BaseException) -> tuple[str, str] | None:
    """(``"in forget_gate, line 3"``, ``"f = sigmoid(a)"``) for the deepest learner frame.

    Frames of this package, of numpy and of the standard library are skipped, so a shape
    error raised deep inside numpy points at the learner's line that called it. In a
    notebook the line number counts from the top of the cell.
    """
    known = getattr(exc, _WHERE, _ABSENT)  # found in the child process, before pickling
    if known is not _ABSENT:
        return known
    try:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if _is_learner_file(f.filename)
        ]
    except BaseException:
        return None
    if not frames:
        return None
    frame = frames[-1]
    in_cell = "ipykernel" in frame.filename or frame.filename.startswith("<")
    if in_cell:
        where = _("in {function}, line {line} of its cell")
    else:
        where = _("in {function}, line {line} of {file}")
    where = where.format(
        function=frame.name, line=frame.lineno, file=os.path.basename(frame.filename)
    )
    return where, (frame.line or "").strip()
