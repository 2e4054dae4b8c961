"""How long do the layers take? One timing function for the book and the benchmark script.

- :func:`median_times`: interleaved timing of several functions, median of each; the
  one timer of the package, which ``benchmarks/bench_layers.py`` imports too;
- :func:`time_layers`: forward + backward of RNN, LSTM and GRU at a few sizes, the
  package's layers and, when torch is importable, ``torch.nn``'s with the same weights;
- :func:`machine_info` and :func:`speed_report`: where a run happened, and the timings
  with the machine and versions, for the results file.

Timings on a shared machine vary by tens of percent from run to run: compare ratios
measured in one run, never numbers from different runs.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from .. import __version__
from .._train_support import _one_blas_thread
from .._validate import positive_int
from .conventions import KINDS, new_layer

__all__ = ["SPEED_SIZES", "median_times", "time_layers", "machine_info", "speed_report"]

#: (B, T, I, H) sizes timed by :func:`time_layers`: one sequence, a small and a large batch.
SPEED_SIZES = ((1, 100, 32, 64), (32, 100, 32, 128), (128, 50, 64, 256))


def median_times(
    funcs: dict[str, Callable[[], object]],
    repeats: int,
    warmup: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Median seconds of each function in ``funcs`` (name -> function of no arguments).

    Every function runs once per round, ``repeats`` rounds, interleaved (a, b, a, b,
    ...), so a slow moment of the machine hits all of them alike; with ``warmup``, one
    untimed round first (allocations, caches, oneDNN's kernel choice). ``clock``: wall
    time by default; ``time.process_time`` (CPU time) for one-thread runs on a machine
    shared with other work, where wall time also counts the slices other processes took.

    >>> times = median_times({"sum": lambda: sum(range(100))}, repeats=3)
    >>> list(times), times["sum"] > 0
    (['sum'], True)
    """
    repeats = positive_int("repeats", repeats)
    if not isinstance(funcs, dict) or not all(callable(f) for f in funcs.values()):
        raise TypeError(
            "funcs must be a dict name -> function of no arguments, "
            f"but received {type(funcs).__name__}."
        )
    if warmup:
        for f in funcs.values():
            f()
    times = {name: [] for name in funcs}
    for _ in range(repeats):
        for name, f in funcs.items():
            start = clock()
            f()
            times[name].append(clock() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def _torch_available() -> bool:
    """True when torch can be imported (it is only a test oracle, never needed)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _torch_twin(layer):
    """The float64 ``torch.nn`` layer of the same kind, with ``layer``'s weights."""
    import torch

    twin = getattr(torch.nn, type(layer).__name__)(layer.input_size, layer.hidden_size)
    twin = twin.to(torch.float64)
    twin.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    return twin


def _torch_forward_backward(twin, x):
    """A function running forward + backward of the torch.nn layer ``twin`` on x (T, B, I)."""
    import torch

    def run():
        inputs = torch.from_numpy(x).requires_grad_(True)
        twin.zero_grad()
        outputs, _ = twin(inputs)
        outputs.backward(torch.ones_like(outputs))

    return run


def time_layers(
    sizes=SPEED_SIZES, repeats: int = 5, use_torch: bool = True, clock: str = "cpu"
) -> list[dict]:
    """Median time of forward + backward (ms) of RNN, LSTM and GRU at each size, float64.

    The package's layers, and ``torch.nn``'s with the same weights when torch is
    importable and ``use_torch`` is true (else ``torch_ms`` is None; asked for torch when
    it is not installed, it prints one line saying so and times the package's layers).
    Implementations are timed with :func:`median_times`, interleaved, ``repeats`` times
    each after one warm-up round.

    ``clock="cpu"`` (the default) counts the CPU seconds of this process with numpy's
    BLAS and torch held to one thread each (threadpoolctl, when installed, and
    ``torch.set_num_threads``; both restored afterwards): the work each layer does, which
    other programs running on a busy machine barely change. ``clock="wall"`` counts
    elapsed seconds with the thread settings left as they are.

    Returns rows ``{"size": "B32 T100 I32 H128", "model", "package_ms", "torch_ms"}``.
    """
    repeats = positive_int("repeats", repeats)
    if clock not in _CLOCKS:
        raise ValueError(f'clock must be "cpu" or "wall", but received {clock!r}.')
    if use_torch and not _torch_available():
        print(
            "torch is not installed: timing the package's layers only (torch_ms is None). "
            "To compare with torch.nn: pip install torch, or see benchmarks/bench_layers.py."
        )
        use_torch = False
    with _timing_threads(clock, use_torch):
        return _time_sizes(sizes, repeats, use_torch, _CLOCKS[clock])


#: the clocks :func:`time_layers` can read: CPU seconds of the process, or elapsed seconds
_CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


@contextlib.contextmanager
def _timing_threads(clock: str, use_torch: bool):
    """For CPU time: numpy's BLAS and torch on one thread while timing, restored after."""
    if clock != "cpu":
        yield
        return
    torch_threads = None
    if use_torch:
        import torch

        torch_threads = torch.get_num_threads()
        torch.set_num_threads(1)
    try:
        with _one_blas_thread():
            yield
    finally:
        if torch_threads is not None:
            torch.set_num_threads(torch_threads)


def _time_sizes(sizes, repeats, use_torch, clock) -> list[dict]:
    """The rows of :func:`time_layers`, timed with ``clock``."""
    rows = []
    for size in sizes:
        B, T, I, H = (positive_int("sizes entry", v) for v in size)
        x = np.random.default_rng(0).normal(size=(T, B, I))
        for kind in KINDS:
            layer = new_layer(kind, I, H, seed=0)

            def package(layer=layer):
                outputs, _ = layer.forward(x)
                layer.backward(np.ones_like(outputs))

            funcs = {"package": package}
            if use_torch:
                funcs["torch"] = _torch_forward_backward(_torch_twin(layer), x)
            times = median_times(funcs, repeats, clock=clock)
            ms = {name: 1000 * t for name, t in times.items()}
            rows.append(
                {
                    "size": f"B{B} T{T} I{I} H{H}",
                    "model": kind.upper(),
                    "package_ms": ms["package"],
                    "torch_ms": ms.get("torch"),
                }
            )
    return rows


def machine_info() -> dict:
    """Where a run happened: CPU, cores, load, Python and numpy versions, BLAS threads."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    threads = {
        k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS") if k in os.environ
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_at_start": load,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "lstm_gru_course": __version__,
        "blas_threads": threads,
    }


def speed_report(repeats: int = 5) -> dict:
    """Timings of :func:`time_layers` with the machine and versions, for the results file."""
    try:
        import torch

        versions = {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}
    except ImportError:
        versions = {"torch": None}
    start = time.perf_counter()
    rows = time_layers(sizes=SPEED_SIZES, repeats=repeats)
    return {
        "machine": {**machine_info(), **versions},
        "repeats": repeats,
        "dtype": "float64",
        "clock": "cpu",
        "rows": rows,
        "seconds": round(time.perf_counter() - start, 1),
    }
