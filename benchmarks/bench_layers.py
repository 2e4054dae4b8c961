"""Time the package's RNN/LSTM/GRU against torch.nn on the CPU, and print ratios.

    python benchmarks/bench_layers.py            # full table (a few minutes)
    python benchmarks/bench_layers.py --quick    # fewer repeats, shorter sequences
    python benchmarks/bench_layers.py --openblas-coretype ""   # let OpenBLAS pick kernels

Each thread count runs in its own subprocess, because OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS must be set before numpy and torch are imported. Inside a subprocess,
all implementations of one configuration are timed interleaved (ours, torch, naive,
ours, torch, naive, ...) and the median of the runs is reported, so the ratios are
fair even on a noisy, shared machine. Ratios < 1 mean the package is faster.

Columns: fwd = forward in training mode (ours keeps its cache, torch builds its graph),
f+b = forward + backward (all parameter gradients, dx and the initial-state gradient),
np/torch = ours / torch, naive/tuned = a straightforward 40-line numpy LSTM / ours.
torch is needed only here; the package never imports it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

SIZES = [(32, 100, 32, 128), (1, 1000, 8, 64), (128, 50, 64, 256)]  # (B, T, I, H)
QUICK_SIZES = [(32, 100, 32, 128), (1, 300, 8, 64), (128, 50, 64, 256)]


def naive_lstm_forward_backward(x, d_out, W_ih, W_hh, b_ih, b_hh):
    """A straightforward numpy LSTM, forward and BPTT, for the naive-vs-tuned column.

    It already has the standard layout tricks (gates fused in one matrix, input
    projections before the loop, weight gradients after it) but no tuning: a new
    array for every intermediate, sigmoid and tanh as written, no precomputation.
    """
    import numpy as np

    def sigmoid(a):
        return 1.0 / (1.0 + np.exp(-a))

    T, B, _ = x.shape
    H = W_hh.shape[1]
    h, c = np.zeros((B, H), x.dtype), np.zeros((B, H), x.dtype)
    xa = (x.reshape(T * B, -1) @ W_ih.T + b_ih + b_hh).reshape(T, B, 4 * H)
    cache, hs = [], []
    for t in range(T):
        a = xa[t] + h @ W_hh.T
        i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H : 2 * H]), sigmoid(a[:, 3 * H :])
        g = np.tanh(a[:, 2 * H : 3 * H])
        c_prev, h_prev = c, h
        c = f * c_prev + i * g
        tc = np.tanh(c)
        h = o * tc
        cache.append((i, f, g, o, c_prev, tc))
        hs.append(h_prev)
    dA = np.empty((T, B, 4 * H), x.dtype)
    dh, dc = np.zeros((B, H), x.dtype), np.zeros((B, H), x.dtype)
    for t in reversed(range(T)):
        i, f, g, o, c_prev, tc = cache[t]
        dh = dh + d_out[t]
        dc = dc + dh * o * (1 - tc**2)
        dA[t] = np.concatenate(
            [
                dc * g * i * (1 - i),
                dc * c_prev * f * (1 - f),
                dc * i * (1 - g**2),
                dh * tc * o * (1 - o),
            ],
            axis=1,
        )
        dc = dc * f
        dh = dA[t] @ W_hh
    dA2 = dA.reshape(T * B, 4 * H)
    dW_ih = dA2.T @ x.reshape(T * B, -1)
    dW_hh = dA2.T @ np.stack(hs).reshape(T * B, H)
    db = dA2.sum(axis=0)
    return (dA2 @ W_ih).reshape(x.shape), dW_ih, dW_hh, db


def cells_lstm_forward_backward(x, d_out, W_ih, W_hh, b_ih, b_hh):
    """The reference the kernels started from: ``cells.lstm_step`` and
    ``cells.lstm_step_backward`` called once per time step, gradients summed in a loop.
    """
    import numpy as np

    from lstm_gru_course.cells import lstm_step, lstm_step_backward

    T, B, _ = x.shape
    H = W_hh.shape[1]
    h, c = np.zeros((B, H), x.dtype), np.zeros((B, H), x.dtype)
    caches = []
    for t in range(T):
        h, c, cache = lstm_step(x[t], h, c, W_ih, W_hh, b_ih, b_hh)
        caches.append(cache)
    grads = {
        name: np.zeros_like(p)
        for name, p in (
            ("weight_ih", W_ih),
            ("weight_hh", W_hh),
            ("bias_ih", b_ih),
            ("bias_hh", b_hh),
        )
    }
    dx = np.empty_like(x)
    dh, dc = np.zeros((B, H), x.dtype), np.zeros((B, H), x.dtype)
    for t in reversed(range(T)):
        step = lstm_step_backward(dh + d_out[t], dc, caches[t])
        dx[t], dh, dc = step["x"], step["h_prev"], step["c_prev"]
        for name in grads:
            grads[name] += step[name]
    return dx, grads


def _matmul_peak(np, dtype, clock, repeats=5, n=1024):
    """FLOP/s of one n x n matmul, best of ``repeats``, on ``clock`` (as the rows)."""
    a = np.random.default_rng(0).normal(size=(n, n)).astype(dtype)
    b = a.T.copy()
    a @ b
    best = min(_timed(lambda: a @ b, clock) for _ in range(repeats))
    return 2 * n**3 / best


def _timed(f, clock):
    start = clock()
    f()
    return clock() - start


def _blas_description(np):
    """Which BLAS numpy uses and, for OpenBLAS, which CPU kernels it runs."""
    try:
        from threadpoolctl import threadpool_info

        infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            i = infos[0]
            return f"{i['internal_api']} {i['version']}, kernels {i.get('architecture')}"
    except ImportError:
        pass
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    forced = os.environ.get("OPENBLAS_CORETYPE")
    kernels = "chosen by OpenBLAS" if not forced else f"OPENBLAS_CORETYPE={forced}"
    return f"{blas['name']} {blas['version']}, kernels {kernels}"


def worker(threads, quick, clock="cpu", repeats=None):
    """Run in a subprocess whose thread environment is already set; print JSON rows."""
    import numpy as np
    import torch

    from lstm_gru_course.analysis.speed import median_times  # the package's one timer
    from lstm_gru_course.layers import GRU, LSTM, RNN

    torch.set_num_threads(threads)
    clock = "wall" if threads > 1 else clock  # CPU time sums threads: 1 only
    print(
        json.dumps(
            {
                "meta": f"numpy {np.__version__} ({_blas_description(np)}); "
                f"torch {torch.__version__}; {threads} thread(s); "
                f"{clock} time"
            }
        ),
        flush=True,
    )
    repeats = repeats or (5 if quick else 11)
    rows = []
    for B, T, I, H in QUICK_SIZES if quick else SIZES:
        for dtype in (np.float32, np.float64):
            tdtype = torch.float32 if dtype == np.float32 else torch.float64
            rng = np.random.default_rng(0)
            x = rng.normal(size=(T, B, I)).astype(dtype)
            d_out = rng.normal(size=(T, B, H)).astype(dtype)
            for cls, tcls in ((LSTM, torch.nn.LSTM), (GRU, torch.nn.GRU), (RNN, torch.nn.RNN)):
                ours = cls(I, H, seed=0, dtype=dtype)
                theirs = tcls(I, H).to(tdtype)
                theirs.load_state_dict(
                    {k: torch.from_numpy(v) for k, v in ours.state_dict().items()}
                )
                tx = torch.from_numpy(x).requires_grad_()
                td = torch.from_numpy(d_out)

                def ours_fb():
                    outputs, _ = ours.forward(x)
                    ours.backward(d_out)

                def torch_fwd():
                    theirs(tx)

                def torch_fb():
                    theirs.zero_grad(set_to_none=True)
                    tx.grad = None
                    theirs(tx)[0].backward(td)

                funcs = {
                    "ours_fwd": lambda: ours.forward(x),
                    "torch_fwd": torch_fwd,
                    "ours_fb": ours_fb,
                    "torch_fb": torch_fb,
                }
                if cls is LSTM:
                    p = [ours.params[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
                    funcs["naive_fb"] = lambda: naive_lstm_forward_backward(x, d_out, *p)
                    funcs["cells_fb"] = lambda: cells_lstm_forward_backward(x, d_out, *p)
                timer = time.process_time if clock == "cpu" else time.perf_counter
                t = median_times(funcs, repeats, clock=timer)
                row = {
                    "layer": cls.__name__,
                    "B": B,
                    "T": T,
                    "I": I,
                    "H": H,
                    "dtype": np.dtype(dtype).name,
                    "threads": threads,
                    **t,
                }
                if (
                    cls is LSTM
                    and (B, T, I, H) == SIZES[0]
                    and dtype == np.float32
                    and threads == 1
                ):
                    flops = 3 * 2 * T * B * 4 * H * (I + H)  # forward: 1/3 of the matmuls
                    row["peak_fraction"] = flops / t["ours_fb"] / _matmul_peak(np, dtype, timer)
                rows.append(row)
                print(json.dumps(row), flush=True)


def print_table(rows, metas):
    for meta in metas:
        print(meta)
    header = (
        f"{'layer':5} {'B':>4} {'T':>5} {'I':>3} {'H':>4} {'dtype':7} {'thr':>3} | "
        f"{'ours fwd':>9} {'torch fwd':>9} {'ratio':>6} | {'ours f+b':>9} "
        f"{'torch f+b':>9} {'ratio':>6} | {'naive/tuned':>11} {'cells/tuned':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        naive = f"{r['naive_fb'] / r['ours_fb']:11.2f}" if "naive_fb" in r else " " * 11
        if "cells_fb" in r:
            naive += f" {r['cells_fb'] / r['ours_fb']:11.2f}"
        print(
            f"{r['layer']:5} {r['B']:>4} {r['T']:>5} {r['I']:>3} {r['H']:>4} "
            f"{r['dtype']:7} {r['threads']:>3} | {r['ours_fwd'] * 1e3:7.2f}ms "
            f"{r['torch_fwd'] * 1e3:7.2f}ms {r['ours_fwd'] / r['torch_fwd']:6.2f} | "
            f"{r['ours_fb'] * 1e3:7.2f}ms {r['torch_fb'] * 1e3:7.2f}ms "
            f"{r['ours_fb'] / r['torch_fb']:6.2f} | {naive}"
        )
    for r in rows:
        if "peak_fraction" in r:
            print(
                f"\nLSTM forward+backward at (B{r['B']},T{r['T']},I{r['I']},H{r['H']}) "
                f"{r['dtype']}, {r['threads']} thread(s): {100 * r['peak_fraction']:.0f}% "
                f"of this machine's {r['dtype']} matmul peak (one 1024x1024 matmul)"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, T=300 at batch 1")
    parser.add_argument(
        "--threads",
        type=int,
        nargs="+",
        default=[1, 2],
        help="thread counts to compare (default: 1 2)",
    )
    parser.add_argument(
        "--openblas-coretype",
        metavar="NAME",
        help="set OPENBLAS_CORETYPE for the runs ('' = let OpenBLAS detect "
        "the CPU); default: the environment's setting",
    )
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="time one-thread runs in CPU seconds of the process (default; "
        "steadier on a shared machine) or wall seconds; runs with more "
        "threads always use wall time",
    )
    parser.add_argument(
        "--repeats", type=int, help="rounds per configuration (default 11, 5 with --quick)"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.quick, args.clock, args.repeats)
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("The benchmark compares with torch.nn: pip install torch==2.13.0 (CPU build).")
    rows, metas = [], []
    for threads in args.threads:
        env = dict(
            os.environ,
            OPENBLAS_NUM_THREADS=str(threads),
            OMP_NUM_THREADS=str(threads),
            MKL_NUM_THREADS=str(threads),
        )
        if args.openblas_coretype is not None:
            env["OPENBLAS_CORETYPE"] = args.openblas_coretype
        command = [sys.executable, os.path.abspath(__file__), "--worker", str(threads)]
        command += ["--quick"] if args.quick else []
        command += ["--clock", args.clock]
        command += ["--repeats", str(args.repeats)] if args.repeats else []
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"benchmark worker ({threads} threads) failed:\n{done.stderr}")
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                if "meta" in record:
                    metas.append(record["meta"])
                else:
                    rows.append(record)
    print_table(rows, metas)


if __name__ == "__main__":
    main()
