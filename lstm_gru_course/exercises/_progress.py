"""Your exercise progress: one small JSON file per learner, written so nothing is lost.

Where it lives: ``~/.lstm_gru_course/progress.json``, or wherever the environment
variable LSTM_GRU_COURSE_PROGRESS points (a ``.json`` file, or a folder that will hold
``progress.json``). The file looks like::

    {"version": 1,
     "exercises": {"lstm.forget_gate": {"attempts": 3, "done": true,
                                        "solution_viewed": false,
                                        "last_attempt": "2025-01-31T10:00:00+00:00"}}}

How it stays safe:
- every change happens under an exclusive lock (``fcntl.flock`` on ``progress.json.lock``)
  and re-reads the file first, so two kernels checking at once both keep their results;
- the new content goes to a temporary file in the same folder, is flushed and
  ``fsync``-ed, then renamed over the old file in one step: a crash leaves the old file
  or the new one, never half of one (stale temporary files are removed on the next write);
- a file that cannot be read as progress (broken JSON, or a ``version`` this course does
  not know) is renamed to ``progress.json.corrupt-<time>`` and a fresh one is started,
  with a one-line warning;
- an entry this reader does not understand (``"attempts": "3"``, ``"done": "yes"``, a
  list, ...) is written back exactly as it was, and fields it does not know are carried
  along; if a new result would replace such an entry, a copy of the whole file is kept
  as ``progress.json.corrupt-<time>`` first, with a warning;
- ``reset()`` keeps the file it replaces as ``progress.json.backup-<time>``;
- reading needs no write permission: in a read-only folder the file is read without the
  lock (a writer only ever renames a complete file into place). Every failure that a
  learner can meet is a ``ProgressError`` with a sentence saying what to do.
"""

from __future__ import annotations

import json  # noqa: F401  (tests replace _progress.json.dump: the same module object)
import os
from datetime import UTC, datetime
from pathlib import Path

from ..i18n import _
from ._progress_file import (  # noqa: F401  (re-exported: they live on as _progress's)
    _KNOWN_TOP,
    _TYPES,
    ENV_VAR,
    FILE_NAME,
    VERSION,
    ProgressError,
    Stored,
    _copy_aside,
    _locked,
    _read,
    _short,
    _warn,
    _write,
)


def _home() -> Path:
    """The learner's home folder; never ``/`` because HOME happens to be empty."""
    raw = os.environ.get("HOME", "")
    if raw.strip() and os.path.isabs(raw) and Path(raw) != Path(Path(raw).anchor):
        return Path(raw)
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, OSError):
        entry = ""
    if entry and os.path.isabs(entry) and Path(entry) != Path(Path(entry).anchor):
        return Path(entry)
    if os.name == "nt":
        try:
            return Path.home()
        except RuntimeError:
            pass
    raise ProgressError(
        _(
            "there is no home folder to keep your progress in (HOME is {home}); set the "
            "environment variable {variable} to a file such as /tmp/progress.json."
        ).format(home=repr(raw), variable=ENV_VAR)
    )


def progress_path() -> Path:
    """The progress file in use: LSTM_GRU_COURSE_PROGRESS, else ~/.lstm_gru_course/progress.json.

    Raises ProgressError when there is no usable place (no home folder, or the variable
    names a folder called ``progress.json``).
    """
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return _home() / ".lstm_gru_course" / FILE_NAME
    path = Path(raw).expanduser()
    if path.is_dir():  # an existing folder, whatever its name
        path = path / FILE_NAME
    elif path.suffix != ".json":
        path = path / FILE_NAME
    if path.is_dir():
        raise ProgressError(
            _(
                "{variable} leads to {path}, which is a folder, not a file; point it at a "
                ".json file or at a folder without a progress.json folder inside."
            ).format(variable=ENV_VAR, path=path)
        )
    return path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def update(change) -> Path | None:
    """Apply ``change(entries)`` to the stored progress under the lock, and save it.

    ``entries`` maps an exercise key to its entry dict; ``change`` edits it in place.
    Entries the reader could not understand are written back as they were, unless
    ``change`` gives the same key a new entry (then the old file is first copied to
    ``progress.json.corrupt-<time>``, with a warning).
    Returns the path of that copy, if one was made. Raises OSError (ProgressError) when
    the file cannot be written.
    """
    path = progress_path()
    with _locked(path):
        stored = _read(path)
        entries = stored.entries
        change(entries)
        kept, replaced = {}, []
        for key, raw in stored.unreadable.items():
            if key in entries:
                replaced.append(key)
            else:
                kept[key] = raw
        backup = None
        if replaced:
            backup = _copy_aside(path, "corrupt")
            _warn(
                _(
                    "your progress file {path} held an entry this course could not read "
                    "({keys}); the file as it was is kept as {backup}."
                ).format(path=path, keys=", ".join(replaced), backup=backup.name)
            )
        try:
            _write(path, {**kept, **entries}, stored.extra)
        except OSError as exc:
            if isinstance(exc, ProgressError):
                raise
            raise ProgressError(
                _(
                    "your progress cannot be saved to {path} ({reason}); "
                    "set {variable} to a file in a folder you can write to."
                ).format(path=path, reason=_short(exc), variable=ENV_VAR)
            ) from exc
        return backup


def load() -> dict:
    """Every stored entry, ``{"lstm.forget_gate": {"attempts": 3, "done": True, ...}}``.

    Entries this reader does not understand are left out (and left in the file).
    """
    path = progress_path()
    with _locked(path, writing=False):
        return _read(path, writing=False).entries


def _blank() -> dict:
    return {"attempts": 0, "done": False, "solution_viewed": False}


def record_attempt(key: str, correct: bool) -> None:
    """Count one checked attempt at exercise ``key``; mark it done if it was correct."""

    def change(entries):
        entry = entries.setdefault(key, _blank())
        entry["attempts"] += 1
        entry["last_attempt"] = _now()
        if correct and not entry["done"]:
            entry["done"] = True
            entry["first_done"] = entry["last_attempt"]

    update(change)


def record_solution_viewed(key: str) -> None:
    """Remember that the solution of ``key`` was shown."""

    def change(entries):
        entries.setdefault(key, _blank())["solution_viewed"] = True

    update(change)


def reset(prefix: str | None = None) -> tuple[int, Path | None]:
    """Forget every entry (or those whose key starts with ``prefix``).

    Returns how many were removed and where the file was kept before (a copy named
    ``progress.json.backup-<time>``, made only when something was removed).
    """

    def chosen(key):
        return prefix is None or key.startswith(prefix)

    path = progress_path()
    with _locked(path):
        stored = _read(path)
        gone = [k for k in [*stored.entries, *stored.unreadable] if chosen(k)]
        if not gone:
            return 0, None
        try:
            backup = _copy_aside(path, "backup")
        except OSError as exc:
            raise ProgressError(
                _(
                    "your progress was not reset: a backup of {path} could not be made ({reason})."
                ).format(path=path, reason=_short(exc))
            ) from exc
        entries = {k: v for k, v in stored.entries.items() if not chosen(k)}
        kept = {k: v for k, v in stored.unreadable.items() if not chosen(k)}
        try:
            _write(path, {**kept, **entries}, stored.extra)
        except OSError as exc:
            raise ProgressError(
                _("your progress could not be reset in {path} ({reason}).").format(
                    path=path, reason=_short(exc)
                )
            ) from exc
        return len(gone), backup
