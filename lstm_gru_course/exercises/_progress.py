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
- a file that cannot be read as progress is renamed to ``progress.json.corrupt-<time>``
  and a fresh one is started, with a one-line warning.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the re-read before each write still merges
    fcntl = None

ENV_VAR = "LSTM_GRU_COURSE_PROGRESS"
FILE_NAME = "progress.json"
VERSION = 1


def progress_path() -> Path:
    """The progress file in use: LSTM_GRU_COURSE_PROGRESS, else ~/.lstm_gru_course/progress.json."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return Path.home() / ".lstm_gru_course" / FILE_NAME
    path = Path(raw).expanduser()
    return path if path.suffix == ".json" else path / FILE_NAME


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _locked(path: Path):
    """Hold the exclusive lock that guards ``path`` (a sibling ``.lock`` file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _clean_entry(value) -> dict | None:
    """A well-formed entry, or None for anything that is not one."""
    if not isinstance(value, dict):
        return None
    attempts = value.get("attempts", 0)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
        return None
    entry = {"attempts": attempts, "done": value.get("done") is True,
             "solution_viewed": value.get("solution_viewed") is True}
    for key in ("last_attempt", "first_done"):
        if isinstance(value.get(key), str):
            entry[key] = value[key]
    return entry


def _parse(text: str) -> dict:
    """The exercises dict stored in ``text``; ValueError if it is not a progress file."""
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        raise ValueError("it is not a progress file")
    entries = {}
    for key, value in data["exercises"].items():
        entry = _clean_entry(value)
        if entry is not None:
            entries[key] = entry
    return entries


def _set_aside(path: Path, reason: str) -> None:
    """Rename an unreadable progress file to a backup and say so in one line."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, backup)
    print(f"Warning: your progress file {path} could not be read ({reason}); it was kept "
          f"as {backup.name} and a fresh one was started.", file=sys.stderr)


def _read(path: Path) -> dict:
    """The exercises dict in ``path`` (call with the lock held)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:  # e.g. no permission to read it: keep it aside, start afresh
        _set_aside(path, _short(exc))
        return {}
    try:
        return _parse(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        reason = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else _short(exc)
        _set_aside(path, reason)
        return {}


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files left by a writer that died (only ever called under the lock)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass


def _write(path: Path, entries: dict) -> None:
    """Atomically replace ``path``: temporary file, flush, fsync, rename, fsync the folder."""
    _remove_stale_temporaries(path)
    data = {"version": VERSION, "exercises": entries}
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


def update(change) -> None:
    """Apply ``change(entries)`` to the stored progress under the lock, and save it.

    ``entries`` maps an exercise key to its entry dict; ``change`` edits it in place.
    Raises OSError when the file cannot be written.
    """
    path = progress_path()
    with _locked(path):
        entries = _read(path)
        change(entries)
        _write(path, entries)


def load() -> dict:
    """Every stored entry, ``{"lstm.forget_gate": {"attempts": 3, "done": True, ...}}``."""
    path = progress_path()
    with _locked(path):
        return _read(path)


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


def reset(prefix: str | None = None) -> int:
    """Forget every entry (or those whose key starts with ``prefix``); return how many."""
    removed = []

    def change(entries):
        for key in list(entries):
            if prefix is None or key.startswith(prefix):
                removed.append(entries.pop(key))

    update(change)
    return len(removed)
