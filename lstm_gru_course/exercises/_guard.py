"""Run a learner's code safely: a time limit, warnings kept quiet, and *their* failing line.

``run_learner_code(func, *args)`` calls ``func(*args)`` and always returns a ``Run``:
the value, or the exception it raised, or ``timed_out=True`` when it ran past the time
limit. In the main thread (a Jupyter kernel runs cells there) the limit is a
``SIGALRM`` timer that raises inside the learner's loop; elsewhere the call runs in a
helper thread that is interrupted when the time is up. ``where_in_learner_code(exc)``
names the line of the learner's own code that raised, skipping this package's frames,
numpy's and the standard library's.

>>> run_learner_code(lambda a: a + 1, 1).value
2
>>> type(run_learner_code(lambda: 1 / 0).error).__name__
'ZeroDivisionError'
"""

from __future__ import annotations

import ctypes
import math
import os
import signal
import sysconfig
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .._validate import describe

TIME_LIMIT_ENV = "LSTM_GRU_COURSE_TIME_LIMIT"
DEFAULT_TIME_LIMIT = 5.0
_time_limit: float | None = None
_inside_guard = False


class TimeLimitExceeded(BaseException):
    """Raised inside learner code that runs past the time limit.

    A ``BaseException`` so that a learner's ``except Exception:`` does not swallow it.
    """


def set_time_limit(seconds) -> None:
    """Set how long (in seconds) one call of a learner's function may run; None resets.

    The default is 5 s, or the number in the environment variable
    LSTM_GRU_COURSE_TIME_LIMIT.

    >>> set_time_limit(2); time_limit()
    2.0
    >>> set_time_limit(None)
    """
    global _time_limit
    if seconds is None:
        _time_limit = None
        return
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"seconds must be a positive number, but received {describe(seconds)}.")
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"seconds must be a positive, finite number, but received {seconds}.")
    _time_limit = float(seconds)


def time_limit() -> float:
    """The time limit in force, in seconds."""
    if _time_limit is not None:
        return _time_limit
    try:
        value = float(os.environ.get(TIME_LIMIT_ENV, ""))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return value if math.isfinite(value) and value > 0 else DEFAULT_TIME_LIMIT


@dataclass
class Run:
    """What happened when learner code ran."""

    value: object = None
    error: BaseException | None = None
    timed_out: bool = False
    warnings: list[str] = field(default_factory=list)


def run_learner_code(func, *args, seconds: float | None = None) -> Run:
    """Call ``func(*args)`` under the time limit; never raises (except KeyboardInterrupt)."""
    seconds = time_limit() if seconds is None else seconds
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if _inside_guard:
            run = _plain(func, args)
        elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            run = _with_alarm(func, args, seconds)
        else:
            run = _in_thread(func, args, seconds)
    run.warnings = [safe_text(w.message) for w in caught]
    return run


def _plain(func, args) -> Run:
    try:
        return Run(value=func(*args))
    except KeyboardInterrupt:
        raise
    except TimeLimitExceeded:
        raise
    except BaseException as exc:  # the learner's code may raise anything, SystemExit included
        return Run(error=exc)


def _on_alarm(signum, frame):
    if _inside_guard:
        raise TimeLimitExceeded


def _with_alarm(func, args, seconds) -> Run:
    global _inside_guard
    previous = signal.getsignal(signal.SIGALRM)
    signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    # Fire once at the limit, then every 0.1 s in case the learner's code catches it.
    old_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        _inside_guard = True
        run = _plain(func, args)
    except TimeLimitExceeded:
        _inside_guard = False
        run = Run(timed_out=True)
    finally:
        _inside_guard = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if old_delay > 0:
            left = old_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
    return run


def _in_thread(func, args, seconds) -> Run:
    box: dict = {}

    def target():
        try:
            box["value"] = func(*args)
        except TimeLimitExceeded:
            box["timed_out"] = True
        except BaseException as exc:
            box["error"] = exc

    worker = threading.Thread(target=target, name="lstm-gru-course-check", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        # Raise TimeLimitExceeded inside the worker at its next Python instruction.
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(TimeLimitExceeded))
        worker.join(0.5)
        return Run(timed_out=True)
    if box.get("timed_out"):
        return Run(timed_out=True)
    return Run(value=box.get("value"), error=box.get("error"))


# ------------------------------------------------------------ describing learner things


def safe_text(value, limit: int = 200) -> str:
    try:
        text = str(value)
    except BaseException:
        text = f"<{type(value).__name__} that cannot be printed>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_answer(value) -> str:
    """``_validate.describe``, but never raising and never longer than a line."""
    try:
        text = describe(value)
    except BaseException:
        text = f"an object of type {type(value).__name__}"
    return text if len(text) <= 100 else text[:97] + "..."


def describe_error(exc: BaseException) -> str:
    """``ZeroDivisionError: division by zero``: the exception's name and message."""
    name = type(exc).__name__
    message = safe_text(exc, limit=300)
    return f"{name}: {message}" if message else name


_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
_SKIPPED_DIRS = tuple(
    {_PACKAGE_DIR, *(str(Path(p).resolve()) for key, p in sysconfig.get_paths().items()
                     if key in ("stdlib", "platstdlib", "purelib", "platlib"))}
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
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if _is_learner_file(f.filename)]
    except BaseException:
        return None
    if not frames:
        return None
    frame = frames[-1]
    where = f"in {frame.name}, line {frame.lineno}"
    in_cell = "ipykernel" in frame.filename or frame.filename.startswith("<")
    where += " of its cell" if in_cell else f" of {os.path.basename(frame.filename)}"
    return where, (frame.line or "").strip()
