"""Run a learner's code safely: a time limit, warnings kept quiet, and *their* failing line.

``run_learner_code(func, *args)`` calls ``func(*args)`` and always returns a ``Run``:
the value, or the exception it raised, or ``timed_out=True`` when it ran past the time
limit. On Linux the call runs in a child process made with ``fork`` (so closures and
functions defined in a notebook run as they are): the child sends back what the function
returned or raised, and when the time is up it is killed, whatever it is doing (a loop
that catches every exception, a long sum inside numpy's C code). The learner's function
therefore cannot change the checker's own state either. Where a child process is not
possible (Windows, macOS, or ``fork`` failing) the call runs in a helper thread, with a
one-time note that a function stuck inside C code cannot be stopped there.

``pristine()`` puts back numpy's, math's and this package's functions as they were when
the exercises were imported, for as long as a check runs: a learner who replaced
``np.tanh`` in the notebook cannot change the reference answer. ``where_in_learner_code(exc)``
names the line of the learner's own code that raised, skipping this package's frames,
numpy's and the standard library's.

>>> run_learner_code(lambda a: a + 1, 1).value
2
>>> type(run_learner_code(lambda: 1 / 0).error).__name__
'ZeroDivisionError'
"""

from __future__ import annotations

import builtins
import ctypes
import gc
import io
import math
import os
import pickle
import select
import signal
import sys
import sysconfig
import threading
import time
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import _validate, activations, cells
from .._validate import describe
from . import _cellmath

TIME_LIMIT_ENV = "LSTM_GRU_COURSE_TIME_LIMIT"
DEFAULT_TIME_LIMIT = 5.0
_time_limit: float | None = None


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
    return run_learner_calls(func, [args], seconds=seconds)[0]


def run_learner_calls(func, calls, seconds: float | None = None) -> list:
    """``func(*args)`` for each ``args`` in ``calls``, in one child process: a ``Run`` each.

    Each call has the time limit to itself. After a call that timed out (or a child that
    died) the remaining entries are None: those calls were not made.
    """
    seconds = time_limit() if seconds is None else seconds
    calls = [tuple(args) for args in calls]
    if _in_child:  # a check inside the learner's own code
        return [_recorded(lambda a=args: _plain(func, a)) for args in calls]
    reason = _why_no_child()
    if reason is None:
        try:
            return _in_child_process(func, calls, seconds)
        except OSError as exc:  # fork or pipe refused: too many processes, ...
            reason = f"a child process could not be started ({describe_error(exc)})"
    _note_fallback(reason)
    runs = []
    for args in calls:
        runs.append(_recorded(lambda a=args: _in_thread(func, a, seconds)))
        _restore_pristine_if_active()  # whatever the function changed in this process
        if runs[-1].timed_out:
            break
    return runs + [None] * (len(calls) - len(runs))


def _recorded(call) -> Run:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = call()
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


# ------------------------------------------------------------ in a child process

_in_child = False
_use_child_process = True  # tests switch it off to exercise the fallback
_fallback_noted = False
_OUTPUT_LIMIT = 20_000


def _why_no_child() -> str | None:
    """None when a child process can run the learner's function, else why not."""
    if not _use_child_process:
        return "child processes are switched off"
    if not hasattr(os, "fork"):
        return "this system has no fork"
    if not sys.platform.startswith("linux"):
        return f"fork is not safe with numpy on {sys.platform}"
    return None


def _note_fallback(reason: str) -> None:
    global _fallback_noted
    if _fallback_noted:
        return
    _fallback_noted = True
    print(
        f"Note: the checkers run your functions inside this kernel ({reason}). A "
        f"function that stays inside a long numpy or C call cannot be stopped at the "
        f"time limit there; if a check never returns, interrupt or restart the kernel.",
        file=sys.stderr,
    )


class _Opaque:
    """Stands for a returned value that could not be sent back from the child process."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class ChildStopped(RuntimeError):
    """The child process running the learner's function ended without an answer."""


def _pack(kind, payload, warns, out, err) -> bytes:
    """Pickle what the child has to say, replacing what cannot travel by a description."""
    try:
        data = pickle.dumps((kind, payload, warns, out, err), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)  # it must also come back in one piece
        return data
    except BaseException:
        pass
    if kind == "value":
        stand_in = ("opaque", type(payload).__name__, describe_answer(payload))
    else:
        exc, where = payload
        base = next(
            (k for k in type(exc).__mro__ if getattr(builtins, k.__name__, None) is k), Exception
        )
        stand_in = ("error_like", type(exc).__name__, base.__name__, safe_text(exc, 300), where)
    return pickle.dumps(("stand_in", stand_in, warns, out, err))


def _child_main(func, calls, fd) -> None:
    """Runs in the child: make each call, send each outcome through ``fd`` as it comes."""
    global _in_child
    _in_child = True
    for args in calls:
        out, err = io.StringIO(), io.StringIO()
        sys.stdout, sys.stderr = out, err
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                kind, payload = "value", func(*args)
            except BaseException as exc:  # SystemExit, KeyboardInterrupt, anything
                kind, payload = "error", (exc, where_in_learner_code(exc))
        warns = [safe_text(w.message) for w in caught]
        data = _pack(
            kind, payload, warns, out.getvalue()[:_OUTPUT_LIMIT], err.getvalue()[:_OUTPUT_LIMIT]
        )
        view = memoryview(len(data).to_bytes(8, "little") + data)
        while view:
            view = view[os.write(fd, view) :]


def _in_child_process(func, calls, seconds) -> list:
    # No flush of sys.stdout first (in a kernel it waits for the IO thread): the child
    # never writes to the parent's streams and leaves with os._exit, which flushes nothing.
    read_fd, write_fd = os.pipe()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # "process is multi-threaded"
            pid = os.fork()
    except BaseException:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:  # the child
        try:
            gc.disable()  # a collection would touch (and copy) every page
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _child_main(func, calls, write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    runs, buffer, ended, status = [], b"", None, 0
    poller = select.poll()
    poller.register(read_fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    deadline = time.monotonic() + seconds
    try:
        while len(runs) < len(calls):
            while len(buffer) >= 8 and len(buffer) >= 8 + int.from_bytes(buffer[:8], "little"):
                size = int.from_bytes(buffer[:8], "little")
                runs.append(_unpack(buffer[8 : 8 + size]))
                buffer = buffer[8 + size :]
                deadline = time.monotonic() + seconds  # the next call's own time limit
            if len(runs) == len(calls):
                break
            left = deadline - time.monotonic()
            if left <= 0:
                ended = "timed out"
                break
            if poller.poll(max(1, math.ceil(left * 1000))):
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    ended = "died"
                    break
                buffer += chunk
    finally:
        os.close(read_fd)
        if len(runs) < len(calls) and ended != "died":  # timed out or interrupted
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if ended == "died":
            status = _reap(pid, block=True)
        else:
            _UNREAPED.append(pid)  # reaped later: its exit costs the check nothing
        _reap_finished()
    if ended == "timed out":
        runs.append(Run(timed_out=True))
    elif ended == "died":
        runs.append(_died(status))
    return runs + [None] * (len(calls) - len(runs))


_UNREAPED: list = []


def _reap(pid, block=False):
    """The exit status of child ``pid`` once it has ended, else None (never raises)."""
    try:
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:  # someone else reaped it
        return 0
    return status if done else None


def _reap_finished() -> None:
    """Collect the children of earlier checks that have ended since (no zombies left)."""
    for pid in list(_UNREAPED):
        if _reap(pid) is not None:
            _UNREAPED.remove(pid)


def _died(status) -> Run:
    if os.WIFSIGNALED(status):
        how = f"it was stopped by signal {os.WTERMSIG(status)}"
    else:
        how = f"its exit code was {os.waitstatus_to_exitcode(status)}"
    return Run(
        error=ChildStopped(
            f"the process running your function ended before it returned ({how}); does "
            f"your code call os._exit, or crash the interpreter?"
        )
    )


def _unpack(data: bytes) -> Run:
    try:
        kind, payload, warns, out, err = pickle.loads(data)
    except BaseException:  # e.g. a class that only the child knew
        return Run(value=_Opaque("an object that could not be sent back from your function"))
    if out:
        sys.stdout.write(out)
    if err:
        sys.stderr.write(err)
    if kind == "value":
        return Run(value=payload, warnings=warns)
    if kind == "error":
        exc, where = payload
        _mark_where(exc, where)
        return Run(error=exc, warnings=warns)
    if payload[0] == "opaque":
        _, name, text = payload
        return Run(value=type(name, (_Opaque,), {})(text), warnings=warns)
    _, name, base, text, where = payload
    base_class = getattr(builtins, base, Exception)
    try:
        exc = type(name, (base_class,), {})(text)
    except BaseException:
        exc = type(name, (Exception,), {})(text)
    _mark_where(exc, where)
    return Run(error=exc, warnings=warns)


_WHERE = "_lstm_gru_course_where"


def _mark_where(exc, where) -> None:
    try:
        setattr(exc, _WHERE, where)
    except BaseException:
        pass


# ------------------------------------------------------------ in a thread (the fallback)


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
        # Raise TimeLimitExceeded inside the worker at its next Python instruction, and
        # keep raising it for a while in case the learner's code catches it.
        for _ in range(20):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(worker.ident), ctypes.py_object(TimeLimitExceeded)
            )
            worker.join(0.05)
            if not worker.is_alive():
                break
        if worker.is_alive():
            print(
                "Warning: your function could not be stopped (it is inside a long C or "
                "numpy call) and goes on running in the background; restart the kernel "
                "if everything gets slow.",
                file=sys.stderr,
            )
        return Run(timed_out=True)
    if box.get("timed_out"):
        return Run(timed_out=True)
    return Run(value=box.get("value"), error=box.get("error"))


# ------------------------------------------------------------ pristine functions

_ABSENT = object()


def _snapshot(modules) -> list:
    return [
        (module, {k: v for k, v in vars(module).items() if not k.startswith("__")})
        for module in modules
    ]


_PRISTINE = _snapshot([np, np.linalg, math, _validate, activations, cells, _cellmath])
_pristine_depth = 0


def _restore() -> list:
    """Put every snapshotted function back; return what was there instead."""
    changed = []
    for module, names in _PRISTINE:
        current = vars(module)
        for name, value in names.items():
            now = current.get(name, _ABSENT)
            if now is not value:
                changed.append((module, name, now))
                setattr(module, name, value)
    return changed


def _restore_pristine_if_active() -> None:
    if _pristine_depth:
        _restore_pristine_stack[-1].extend(_restore())


_restore_pristine_stack: list = []


@contextmanager
def pristine():
    """numpy's, math's and the package's functions as they were at import, for a check.

    What the learner had put in their place is put back afterwards.
    """
    global _pristine_depth
    _restore_pristine_stack.append(_restore())
    _pristine_depth += 1
    try:
        yield
    finally:
        _pristine_depth -= 1
        for module, name, value in reversed(_restore_pristine_stack.pop()):
            if value is _ABSENT:
                try:
                    delattr(module, name)
                except AttributeError:
                    pass
            else:
                setattr(module, name, value)


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
    where = f"in {frame.name}, line {frame.lineno}"
    in_cell = "ipykernel" in frame.filename or frame.filename.startswith("<")
    where += " of its cell" if in_cell else f" of {os.path.basename(frame.filename)}"
    return where, (frame.line or "").strip()
