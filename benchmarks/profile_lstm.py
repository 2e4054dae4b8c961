"""Where the LSTM kernels spend their time: a line profile grouped into categories.

    python benchmarks/profile_lstm.py                 # float32, the three benchmark sizes
    python benchmarks/profile_lstm.py --dtype float64 --lines   # the costliest lines too
    python benchmarks/profile_lstm.py --kernels old.py           # another _kernels.py

For each size it runs ``_kernels.lstm_forward`` + ``lstm_backward`` under a small line
profiler on this thread's CPU time (``sys.settrace``; no dependency) and sorts every
line of the two kernels into one category:

- **matmul**: a line that calls ``dot``/``matmul`` (or a helper built on them);
- **elementwise**: a line of ufunc arithmetic or a copy (``tanh``, ``multiply``, ``+=``...);
- **loop**: the ``for`` line itself, i.e. Python's iteration and the per-step views;
- **alloc/setup**: everything else (allocations, weight reordering, calls into helpers
  such as the backward's coefficient pass).

The tracer adds its own cost to every line executed; that cost is measured with a loop
of empty lines and subtracted, which is exact enough when a line costs much more than
the tracer (batch 32 and up) and unreliable at batch 1, where the untraced time and the
number of numpy calls per step printed beside the shares are what to read.

Run with ``OPENBLAS_NUM_THREADS=1`` to match ``bench_layers.py --threads 1``.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import re
import statistics
import sys
import time

import numpy as np

from lstm_gru_course import _kernels

SIZES = [(32, 100, 32, 128), (1, 1000, 8, 64), (128, 50, 64, 256)]  # (B, T, I, H)

_MATMUL = re.compile(
    r"\b(dot|matmul)\(|_gate_planes\(|_weight_grad\(|_gather\(|"
    r"_project_inputs\(|_times_weights\("
)
_ELEMENTWISE = re.compile(
    r"\b(tanh|exp|multiply|add|subtract|divide|sum|copyto|negative)\("
    r"|[-+*/]=|\*\*| [-+*/] "
)


def _category(source):
    code = source.split("#")[0].strip()
    if (
        code.startswith("for ")
        or code.startswith("zip(")
        or code.endswith("):")
        and not code.startswith(("if", "else", "def"))
    ):
        return "loop"
    if _MATMUL.search(code):
        return "matmul"
    if code.startswith(("if ", "else", "return", "def ")):
        return "alloc/setup"
    if _ELEMENTWISE.search(code) and "np.empty" not in code and "np.full" not in code:
        return "elementwise"
    return "alloc/setup"


def _inputs(B, T, I, H, dtype, seed=0):
    rng = np.random.default_rng(seed)
    bound = 1 / np.sqrt(H)
    X = rng.normal(size=(T, B, I)).astype(dtype)
    d_out = rng.normal(size=(T, B, H)).astype(dtype)
    W_ih = rng.uniform(-bound, bound, (4 * H, I)).astype(dtype)
    W_hh = rng.uniform(-bound, bound, (4 * H, H)).astype(dtype)
    b_ih = rng.uniform(-bound, bound, 4 * H).astype(dtype)
    b_hh = rng.uniform(-bound, bound, 4 * H).astype(dtype)
    states = [np.zeros((B, H), dtype), np.zeros((B, H), dtype)]
    return X, d_out, W_ih, W_hh, b_ih, b_hh, states


def run_once(args):
    X, d_out, W_ih, W_hh, b_ih, b_hh, states = args
    with np.errstate(over="ignore", under="ignore"):
        _, cache = _kernels.lstm_forward(X, states, W_ih, W_hh, b_ih, b_hh)
        _kernels.lstm_backward(cache, d_out, [np.zeros_like(s) for s in states], W_ih, W_hh)


def untraced_ms(args, repeats):
    run_once(args)
    return 1e3 * statistics.median(_cpu_timed(lambda: run_once(args)) for _ in range(repeats))


class LineTimer:
    """A line profiler on this thread's CPU time (``sys.settrace``, no dependency).

    CPU time rather than wall time, because on a machine shared with other work a
    time slice lost to another process would otherwise land on whatever line was
    running. Time spent in functions that are not profiled goes to the calling line.
    """

    def __init__(self, *functions):
        self.codes = {f.__code__: f.__name__ for f in functions}
        self.times, self.hits = {}, {}
        self._clock = time.thread_time_ns

    def _local(self, frame, event, arg):
        now = self._clock()
        key = self._current
        if key is not None:
            self.times[key] = self.times.get(key, 0) + now - self._last
        if event == "line":
            self._current = (frame.f_code, frame.f_lineno)
            self.hits[self._current] = self.hits.get(self._current, 0) + 1
        else:  # return
            self._current = None
        self._last = self._clock()
        return self._local

    def _global(self, frame, event, arg):
        if frame.f_code in self.codes:
            self._current, self._last = None, self._clock()
            return self._local
        return None

    def runcall(self, f, *args):
        self._current = None
        sys.settrace(self._global)
        try:
            return f(*args)
        finally:
            sys.settrace(None)


def _tracing_cost_per_line():
    """CPU seconds the tracer adds to one executed line (a loop of trivial lines)."""

    def empty_lines(n):
        for _ in range(n):
            pass

    plain = min(_cpu_timed(lambda: empty_lines(100000)) for _ in range(3))
    timer = LineTimer(empty_lines)
    traced = min(_cpu_timed(lambda: timer.runcall(empty_lines, 100000)) for _ in range(3))
    return max(0.0, (traced - plain) / 200000)  # 2 lines per iteration


def _cpu_timed(f):
    start = time.thread_time()
    f()
    return time.thread_time() - start


def profile(size, dtype, repeats, show_lines):
    B, T, I, H = size
    args = _inputs(B, T, I, H, dtype)
    funcs = [_kernels.lstm_forward, _kernels.lstm_backward]
    plain = untraced_ms(args, repeats)
    timer = LineTimer(*funcs)
    run_once(args)
    for _ in range(repeats):
        timer.runcall(run_once, args)
    per_category, calls, lines = {}, 0, []
    tracing = _tracing_cost_per_line.cost
    sources = {}
    for f in funcs:
        text, first = inspect.getsourcelines(f)
        sources[f.__code__] = dict(enumerate(text, start=first))
    for (code, lineno), ns in timer.times.items():
        hits = timer.hits.get((code, lineno), 0) / repeats
        seconds = ns * 1e-9 / repeats
        text = sources[code].get(lineno, "").rstrip()
        cat = _category(text)
        corrected = max(0.0, seconds - hits * tracing)
        per_category[cat] = per_category.get(cat, 0.0) + corrected
        if cat in ("matmul", "elementwise"):
            calls += hits
        lines.append((code.co_name, lineno, hits, 1e3 * corrected, cat, text.strip()))
    traced_total = sum(per_category.values())
    print(
        f"\nLSTM {np.dtype(dtype).name} B{B} T{T} I{I} H{H}: forward+backward "
        f"{plain:.2f} ms CPU untraced (median of {repeats}); traced, less the tracer's "
        f"own cost: {1e3 * traced_total:.2f} ms; lines of numpy calls per step: "
        f"{calls / T:.1f}"
    )
    for cat in ("matmul", "elementwise", "loop", "alloc/setup"):
        value = per_category.get(cat, 0.0)
        print(f"  {cat:12} {1e3 * value:8.2f} ms  {100 * value / traced_total:5.1f}%")
    if show_lines:
        for name, lineno, hits, ms, cat, text in sorted(lines, key=lambda r: -r[3])[:25]:
            print(f"    {ms:7.2f} ms {hits:7.0f}x {cat:11} {name}:{lineno} {text[:70]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--lines", action="store_true", help="also list the costliest lines")
    parser.add_argument(
        "--kernels",
        metavar="FILE",
        help="profile another version of _kernels.py (e.g. one saved with "
        "`git show REV:lstm_gru_course/_kernels.py > old.py`)",
    )
    args = parser.parse_args(argv)
    if args.kernels:
        global _kernels
        spec = importlib.util.spec_from_file_location("kernels_under_test", args.kernels)
        _kernels = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_kernels)
        print(f"kernels from {args.kernels}")
    _tracing_cost_per_line.cost = _tracing_cost_per_line()
    print(
        f"numpy {np.__version__}; tracer's CPU cost per traced line "
        f"{1e9 * _tracing_cost_per_line.cost:.0f} ns (subtracted)"
    )
    for size in SIZES:
        profile(size, np.dtype(args.dtype).type, args.repeats, args.lines)


if __name__ == "__main__":
    main()
