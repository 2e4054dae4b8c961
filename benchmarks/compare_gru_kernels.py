"""Time versions of the GRU kernels against each other and the LSTM's, interleaved.

    git show REV:lstm_gru_course/_kernels.py > /tmp/old_kernels.py
    OPENBLAS_NUM_THREADS=1 python benchmarks/compare_gru_kernels.py /tmp/old_kernels.py

Calls ``gru_forward`` + ``gru_backward`` (with d_outputs, no layer checks) of the
package's kernels and of every ``_kernels.py`` given (loaded as a module of the package,
so that its relative imports resolve), and the package's ``lstm_forward`` +
``lstm_backward`` on the same data, one thread, CPU time, interleaved rounds; prints the
median ms of each and every GRU's ratio to the LSTM. ``--split`` also times the forward
alone (the backward is the difference). ``--layers`` times the layers instead,
``GRU(...).forward(x)`` + ``backward(ones)`` as chapter 7's speed experiment does (input
checks included), with ``layers._kernels`` swapped for each version. Only ratios of one
run mean much on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

# the sizes of chapter 7's speed experiment (B, T, I, H) and those of bench_layers.py
SIZES = {
    "B1": (1, 100, 32, 64),
    "B32": (32, 100, 32, 128),
    "B128": (128, 50, 64, 256),
    "B1T1000": (1, 1000, 8, 64),
}


def _load(path, name):
    spec = importlib.util.spec_from_file_location(f"lstm_gru_course.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kernels", nargs="*", help="other versions of _kernels.py")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=["B1", "B32", "B128"])
    parser.add_argument(
        "--dtypes", nargs="+", choices=("float64", "float32"), default=["float64", "float32"]
    )
    parser.add_argument("--reset", choices=("after", "before"), default="after")
    parser.add_argument("--split", action="store_true", help="also time the forward alone")
    parser.add_argument("--layers", action="store_true", help="time the layers, not kernels")
    args = parser.parse_args(argv)

    import numpy as np

    from lstm_gru_course import _kernels, layers

    versions = {"gru": _kernels}
    for i, path in enumerate(args.kernels):
        versions[f"gru[{Path(path).stem}]"] = _load(path, f"_kernels_gru_version_{i}")
    for dtype_name in args.dtypes:
        dtype = np.dtype(dtype_name)
        for size in args.sizes:
            B, T, I, H = SIZES[size]
            rng = np.random.default_rng(0)
            x = rng.normal(size=(T, B, I)).astype(dtype)
            d_out = rng.normal(size=(T, B, H)).astype(dtype)
            zeros = np.zeros((B, H), dtype)
            s = 1 / np.sqrt(H)
            gru_w = [
                rng.uniform(-s, s, size=n).astype(dtype)
                for n in [(3 * H, I), (3 * H, H), 3 * H, 3 * H]
            ]
            lstm_w = [
                rng.uniform(-s, s, size=n).astype(dtype)
                for n in [(4 * H, I), (4 * H, H), 4 * H, 4 * H]
            ]

            if args.layers:
                gru_layer = layers.GRU(I, H, seed=0, dtype=dtype, reset=args.reset)
                lstm_layer = layers.LSTM(I, H, seed=0, dtype=dtype)
                ones = np.ones((T, B, H), dtype)

            def gru(module, backward=True):
                def run():
                    if args.layers:
                        layers._kernels = module
                        gru_layer.forward(x)
                        if backward:
                            gru_layer.backward(ones)
                        layers._kernels = _kernels
                        return
                    _, cache = module.gru_forward(x, [zeros], *gru_w, args.reset)
                    if backward:
                        module.gru_backward(cache, d_out, [zeros], gru_w[0], gru_w[1])

                return run

            def lstm(backward=True):
                def run():
                    if args.layers:
                        lstm_layer.forward(x)
                        if backward:
                            lstm_layer.backward(ones)
                        return
                    _, cache = _kernels.lstm_forward(x, [zeros, zeros], *lstm_w)
                    if backward:
                        _kernels.lstm_backward(cache, d_out, [zeros, zeros], *lstm_w[:2])

                return run

            funcs = {name: gru(module) for name, module in versions.items()}
            funcs["lstm"] = lstm()
            if args.split:
                funcs.update({f"{n} fwd": gru(m, False) for n, m in versions.items()})
                funcs["lstm fwd"] = lstm(False)
            for func in funcs.values():  # warm-up
                func()
            times = {name: [] for name in funcs}
            for _ in range(args.repeats):  # interleaved rounds
                for name, func in funcs.items():
                    start = time.process_time()
                    func()
                    times[name].append(time.process_time() - start)
            ms = {name: float(np.median(t)) * 1e3 for name, t in times.items()}
            cells = []
            for name, value in ms.items():
                base = "lstm fwd" if name.endswith("fwd") else "lstm"
                ratio = "" if name.startswith("lstm") else f" ({value / ms[base]:.2f})"
                cells.append(f"{name} {value:.2f}{ratio}")
            print(f"{dtype_name} {size} B{B} T{T} I{I} H{H}:", "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
