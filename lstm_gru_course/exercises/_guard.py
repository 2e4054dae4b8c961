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

import ctypes
import math
import os
import sys
import threading
import warnings
from contextlib import contextmanager

import numpy as np

from .. import _validate, activations, cells
from .._validate import describe
from ..i18n import _
from . import _cellmath, _child
from ._child import (  # noqa: F401  (re-exported: the names live on as _guard's)
    _UNREAPED,
    ChildStopped,
    Run,
    _in_child_process,
    _reap_finished,
)
from ._learner_text import (  # noqa: F401  (re-exported)
    describe_answer,
    describe_error,
    safe_text,
    where_in_learner_code,
)

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
    if _child._in_child:  # a check inside the learner's own code
        return [_recorded(lambda a=args: _plain(func, a)) for args in calls]
    reason = _why_no_child()
    if reason is None:
        try:
            return _in_child_process(func, calls, seconds)
        except OSError as exc:  # fork or pipe refused: too many processes, ...
            reason = _("a child process could not be started ({error})").format(
                error=describe_error(exc)
            )
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


# ------------------------------------------------------------ child process or not

_use_child_process = True  # tests switch it off to exercise the fallback
_fallback_noted = False


def _why_no_child() -> str | None:
    """None when a child process can run the learner's function, else why not."""
    if not _use_child_process:
        return _("child processes are switched off")
    if not hasattr(os, "fork"):
        return _("this system has no fork")
    if not sys.platform.startswith("linux"):
        return _("fork is not safe with numpy on {platform}").format(platform=sys.platform)
    return None


def _note_fallback(reason: str) -> None:
    global _fallback_noted
    if _fallback_noted:
        return
    _fallback_noted = True
    print(
        _(
            "Note: the checkers run your functions inside this kernel ({reason}). A "
            "function that stays inside a long numpy or C call cannot be stopped at the "
            "time limit there; if a check never returns, interrupt or restart the kernel."
        ).format(reason=reason),
        file=sys.stderr,
    )


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
        for _attempt in range(20):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(worker.ident), ctypes.py_object(TimeLimitExceeded)
            )
            worker.join(0.05)
            if not worker.is_alive():
                break
        if worker.is_alive():
            print(
                _(
                    "Warning: your function could not be stopped (it is inside a long C or "
                    "numpy call) and goes on running in the background; restart the kernel "
                    "if everything gets slow."
                ),
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
