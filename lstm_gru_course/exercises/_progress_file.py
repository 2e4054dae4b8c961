"""The progress file on disk for ``_progress``: locking, reading, safe writing.

Every change happens under an exclusive lock (``fcntl.flock`` on ``progress.json.lock``);
the new content is written to a temporary file, flushed, ``fsync``-ed and renamed into
place; an unreadable file is set aside as ``progress.json.corrupt-<time>``. See the
``_progress`` docstring for the whole story; ``_progress`` re-exports the public names.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..i18n import _

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the re-read before each write still merges
    fcntl = None

ENV_VAR = "LSTM_GRU_COURSE_PROGRESS"
FILE_NAME = "progress.json"
VERSION = 1
_KNOWN_TOP = ("version", "exercises")
_TYPES = {
    "attempts": int,
    "done": bool,
    "solution_viewed": bool,
    "last_attempt": str,
    "first_done": str,
}


class ProgressError(OSError):
    """The progress file cannot be found, read or written; the message says what to do."""


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(path: Path, tag: str) -> Path:
    stamp = _stamp()
    target = path.with_name(f"{path.name}.{tag}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{tag}-{stamp}-{n}")
    return target


@contextmanager
def _locked(path: Path, *, writing: bool = True):
    """Hold the exclusive lock that guards ``path`` (a sibling ``.lock`` file).

    A reader that cannot create the lock file (a read-only folder) reads without it:
    writers replace the file by an atomic rename, so a reader never sees half a file.
    """
    lock = path.with_name(path.name + ".lock")
    try:
        if writing:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if not writing:
            yield
            return
        raise ProgressError(
            _(
                "your progress cannot be saved in {folder} ({reason}); set {variable} to a "
                "file in a folder you can write to."
            ).format(folder=path.parent, reason=_short(exc), variable=ENV_VAR)
        ) from exc
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _is_count(value) -> bool:
    return type(value) is int and value >= 0


def _clean_entry(value) -> dict | None:
    """A well-formed entry (unknown fields carried along), or None if it is not one."""
    if not isinstance(value, dict):
        return None
    for key, kind in _TYPES.items():
        if key in value and not (
            _is_count(value[key]) if kind is int else type(value[key]) is kind
        ):
            return None
    entry = dict(value)
    entry.setdefault("attempts", 0)
    entry.setdefault("done", False)
    entry.setdefault("solution_viewed", False)
    return entry


@dataclass
class Stored:
    """What a progress file holds: readable entries, and what is kept as it was."""

    entries: dict = field(default_factory=dict)
    unreadable: dict = field(default_factory=dict)  # key -> the raw entry, written back
    extra: dict = field(default_factory=dict)  # unknown top-level fields


def _parse(text: str) -> Stored:
    """The progress stored in ``text``; ValueError if it is not a progress file."""
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        raise ValueError(_("it is not a progress file"))
    version = data.get("version", VERSION)
    if type(version) is not int or version != VERSION:
        raise ValueError(
            _(
                "it has version {version}, and this course reads version {ours}: it may "
                "come from a newer version of the course"
            ).format(version=json.dumps(version)[:20], ours=VERSION)
        )
    stored = Stored(extra={k: v for k, v in data.items() if k not in _KNOWN_TOP})
    for key, value in data["exercises"].items():
        entry = _clean_entry(value)
        if entry is None:
            stored.unreadable[key] = value
        else:
            stored.entries[key] = entry
    return stored


def _warn(text: str) -> None:
    print(_("Warning: {text}").format(text=text), file=sys.stderr)


def _set_aside(path: Path, reason: str) -> None:
    """Rename an unreadable progress file to a backup and say so in one line."""
    if not path.is_file():
        raise ProgressError(
            _("{path} is not a file; point {variable} at a .json file.").format(
                path=path, variable=ENV_VAR
            )
        )
    backup = _free_name(path, "corrupt")
    try:
        os.replace(path, backup)
    except OSError as exc:
        raise ProgressError(
            _(
                "your progress file {path} could not be read ({reason}) and could not be "
                "moved aside ({error}); fix its permissions or set {variable} to another file."
            ).format(path=path, reason=reason, error=_short(exc), variable=ENV_VAR)
        ) from exc
    _warn(
        _(
            "your progress file {path} could not be read ({reason}); it was kept as "
            "{backup} and a fresh one was started."
        ).format(path=path, reason=reason, backup=backup.name)
    )


def _copy_aside(path: Path, tag: str) -> Path:
    """Copy ``path`` to a timestamped sibling (the original stays in place)."""
    backup = _free_name(path, tag)
    shutil.copy2(path, backup)
    return backup


def _read(path: Path, *, writing: bool = True) -> Stored:
    """The progress in ``path``. A writer (lock held) sets an unreadable file aside; a
    reader only reports it, so reading never needs write permission."""
    if path.is_dir():
        raise ProgressError(
            _("{path} is a folder, not a progress file; point {variable} at a .json file.").format(
                path=path, variable=ENV_VAR
            )
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Stored()
    except OSError as exc:  # e.g. no permission to read it
        if not writing:
            raise ProgressError(
                _("your progress file {path} cannot be read ({reason}).").format(
                    path=path, reason=_short(exc)
                )
            ) from exc
        _set_aside(path, _short(exc))
        return Stored()
    try:
        return _parse(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        reason = _("not valid JSON") if isinstance(exc, json.JSONDecodeError) else _short(exc)
        if not writing:
            try:
                _set_aside(path, reason)
            except ProgressError as unmovable:
                _warn(str(unmovable))
        else:
            _set_aside(path, reason)
        return Stored()


def _short(exc: BaseException) -> str:
    text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(
        exc
    ).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files left by a writer that died (only ever called under the lock)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass


def _write(path: Path, entries: dict, extra: dict | None = None) -> None:
    """Atomically replace ``path``: temporary file, flush, fsync, rename, fsync the folder."""
    _remove_stale_temporaries(path)
    data = {**(extra or {}), "version": VERSION, "exercises": entries}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
