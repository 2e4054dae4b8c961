"""Time versions of the LSTM kernels against each other and torch.nn.LSTM, interleaved.

    git show REV:lstm_gru_course/_kernels_lstm.py > /tmp/old.py   # since the split
    git show REV:lstm_gru_course/_kernels.py > /tmp/older.py      # before it
    python benchmarks/compare_kernels.py /tmp/old.py --repeats 21

Calls ``lstm_forward`` + ``lstm_backward`` directly (no layer checks) for the package's
kernels and every file given (a whole ``_kernels.py`` of before the split, or an
``_kernels_lstm.py``, loaded as a module of the package so that its relative imports of
``_kernels_base`` resolve), float32, one thread, CPU time, at the three sizes
of ``bench_layers.py``; prints the median ms and the ratio to torch. On a shared machine
only differences seen in several runs count (a 2-3% change needs about 20 repeats).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

SIZES = {"B32": (32, 100, 32, 128), "B1": (1, 1000, 8, 64), "B128": (128, 50, 64, 256)}


def _load(path, name):
    # a dotted name inside the package: ``from ._kernels_base import ...`` then resolves
    spec = importlib.util.spec_from_file_location(f"lstm_gru_course.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "kernels", nargs="*", help="other versions of _kernels.py or _kernels_lstm.py"
    )
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=list(SIZES))
    args = parser.parse_args(argv)

    import numpy as np
    import torch

    from lstm_gru_course import _kernels

    torch.set_num_threads(1)
    versions = {"package": _kernels}
    for i, path in enumerate(args.kernels):
        versions[Path(path).name] = _load(path, f"_kernels_version_{i}")
    for size in args.sizes:
        B, T, I, H = SIZES[size]
        rng = np.random.default_rng(0)
        f32 = np.float32
        x = rng.normal(size=(T, B, I)).astype(f32)
        d_out = rng.normal(size=(T, B, H)).astype(f32)
        layer = torch.nn.LSTM(I, H)
        W_ih, W_hh, b_ih, b_hh = (p.detach().numpy().copy() for p in layer.parameters())
        zeros = np.zeros((B, H), f32)
        tx, td = torch.from_numpy(x).requires_grad_(), torch.from_numpy(d_out)

        def ours(module):
            def run():
                _, cache = module.lstm_forward(x, [zeros, zeros], W_ih, W_hh, b_ih, b_hh)
                module.lstm_backward(cache, d_out, [zeros, zeros], W_ih, W_hh)

            return run

        def theirs():
            layer.zero_grad(set_to_none=True)
            tx.grad = None
            layer(tx)[0].backward(td)

        funcs = {name: ours(module) for name, module in versions.items()}
        funcs["torch"] = theirs
        for func in funcs.values():  # warm-up
            func()
        times = {name: [] for name in funcs}
        for _ in range(args.repeats):  # interleaved rounds
            for name, func in funcs.items():
                start = time.process_time()
                func()
                times[name].append(time.process_time() - start)
        median = {name: float(np.median(t)) * 1e3 for name, t in times.items()}
        print(
            size,
            "  ".join(
                f"{name} {ms:.2f} ms ({ms / median['torch']:.2f})" for name, ms in median.items()
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
