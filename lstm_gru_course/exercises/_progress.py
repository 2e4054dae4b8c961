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

import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
        f"there is no home folder to keep your progress in (HOME is {raw!r}); set the "
        f"environment variable {ENV_VAR} to a file such as /tmp/progress.json."
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
            f"{ENV_VAR} leads to {path}, which is a folder, not a file; point it at a "
            f".json file or at a folder without a progress.json folder inside."
        )
    return path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
            f"your progress cannot be saved in {path.parent} "
            f"({_short(exc)}); set {ENV_VAR} to a file in a folder you "
            f"can write to."
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
        raise ValueError("it is not a progress file")
    version = data.get("version", VERSION)
    if type(version) is not int or version != VERSION:
        raise ValueError(
            f"it has version {json.dumps(version)[:20]}, and this course reads "
            f"version {VERSION}: it may come from a newer version of the course"
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
    print(f"Warning: {text}", file=sys.stderr)


def _set_aside(path: Path, reason: str) -> None:
    """Rename an unreadable progress file to a backup and say so in one line."""
    if not path.is_file():
        raise ProgressError(f"{path} is not a file; point {ENV_VAR} at a .json file.")
    backup = _free_name(path, "corrupt")
    try:
        os.replace(path, backup)
    except OSError as exc:
        raise ProgressError(
            f"your progress file {path} could not be read ({reason}) and "
            f"could not be moved aside ({_short(exc)}); fix its permissions "
            f"or set {ENV_VAR} to another file."
        ) from exc
    _warn(
        f"your progress file {path} could not be read ({reason}); it was kept as "
        f"{backup.name} and a fresh one was started."
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
            f"{path} is a folder, not a progress file; point {ENV_VAR} at a .json file."
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Stored()
    except OSError as exc:  # e.g. no permission to read it
        if not writing:
            raise ProgressError(
                f"your progress file {path} cannot be read ({_short(exc)})."
            ) from exc
        _set_aside(path, _short(exc))
        return Stored()
    try:
        return _parse(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        reason = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else _short(exc)
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
                f"your progress file {path} held an entry this course could not read "
                f"({', '.join(replaced)}); the file as it was is kept as {backup.name}."
            )
        try:
            _write(path, {**kept, **entries}, stored.extra)
        except OSError as exc:
            if isinstance(exc, ProgressError):
                raise
            raise ProgressError(
                f"your progress cannot be saved to {path} ({_short(exc)}); "
                f"set {ENV_VAR} to a file in a folder you can write to."
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
                f"your progress was not reset: a backup of {path} could "
                f"not be made ({_short(exc)})."
            ) from exc
        entries = {k: v for k, v in stored.entries.items() if not chosen(k)}
        kept = {k: v for k, v in stored.unreadable.items() if not chosen(k)}
        try:
            _write(path, {**kept, **entries}, stored.extra)
        except OSError as exc:
            raise ProgressError(
                f"your progress could not be reset in {path} ({_short(exc)})."
            ) from exc
        return len(gone), backup
