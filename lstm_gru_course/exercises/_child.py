"""The forked child process that runs a learner's function for ``_guard``.

The child sends back what the function returned or raised (pickled, or described when it
cannot travel), and the parent kills it when the time is up. ``_guard.run_learner_calls``
decides whether a child process can be used; this module only runs one.
"""

from __future__ import annotations

import builtins
import gc
import io
import math
import os
import pickle
import select
import signal
import sys
import time
import warnings
from dataclasses import dataclass, field

from ..i18n import _
from ._learner_text import _mark_where, describe_answer, safe_text, where_in_learner_code

_in_child = False  # True inside the child process
_OUTPUT_LIMIT = 20_000


@dataclass
class Run:
    """What happened when learner code ran."""

    value: object = None
    error: BaseException | None = None
    timed_out: bool = False
    warnings: list[str] = field(default_factory=list)


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
        how = _("it was stopped by signal {signal}").format(signal=os.WTERMSIG(status))
    else:
        how = _("its exit code was {code}").format(code=os.waitstatus_to_exitcode(status))
    return Run(
        error=ChildStopped(
            _(
                "the process running your function ended before it returned ({how}); does "
                "your code call os._exit, or crash the interpreter?"
            ).format(how=how)
        )
    )


def _unpack(data: bytes) -> Run:
    try:
        kind, payload, warns, out, err = pickle.loads(data)
    except BaseException:  # e.g. a class that only the child knew
        return Run(value=_Opaque(_("an object that could not be sent back from your function")))
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
        _kind, name, text = payload
        return Run(value=type(name, (_Opaque,), {})(text), warnings=warns)
    _kind, name, base, text, where = payload
    base_class = getattr(builtins, base, Exception)
    try:
        exc = type(name, (base_class,), {})(text)
    except BaseException:
        exc = type(name, (Exception,), {})(text)
    _mark_where(exc, where)
    return Run(error=exc, warnings=warns)
