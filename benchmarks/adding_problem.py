"""Adding problem at T=50: LSTM and GRU learn it, the tanh RNN stays at chance.

Reproduces the claim of issue 3 ("Done when"): trained with ``lstm_gru_course.train``,
the LSTM and the GRU end below 10% of the chance-level MSE while the tanh RNN stays
near chance. Each model is trained from several seeds on fresh batches of the Le et al.
(2015) form (values in [0, 1], one marker in each half, target X1 + X2; predicting the
mean gives MSE 1/6) and scored on one held-out test batch shared by all runs.

Run from the repository root (about 1-2 minutes on one core with the defaults):

    .venv/bin/python benchmarks/adding_problem.py
    .venv/bin/python benchmarks/adding_problem.py --length 100 --steps 4000 --seeds 0 1

Prints one row per run and a verdict; exits with status 1 when the claim does not hold.
Numpy is limited to one thread unless OMP_NUM_THREADS / OPENBLAS_NUM_THREADS are set.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402  (after the thread settings, which numpy reads on import)

from lstm_gru_course.layers import GRU, LSTM, RNN  # noqa: E402
from lstm_gru_course.tasks import ADDING_CHANCE_MSE, adding_problem  # noqa: E402
from lstm_gru_course.train import Linear, evaluate, train  # noqa: E402

MODELS = {"lstm": LSTM, "gru": GRU, "rnn": RNN}
TEST_SEED = 2**20  # the held-out test batch, the same for every run


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=50, help="sequence length T (50)")
    parser.add_argument("--form", choices=("le", "hochreiter"), default="le")
    parser.add_argument("--hidden", type=int, default=32, help="hidden size H (32)")
    parser.add_argument("--batch", type=int, default=64, help="training batch size (64)")
    parser.add_argument("--steps", type=int, default=2000, help="training steps (2000)")
    parser.add_argument("--lr", type=float, default=0.01, help="Adam learning rate (0.01)")
    parser.add_argument("--clip", type=float, default=1.0, help="max gradient norm (1.0)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--test-size", type=int, default=2000, help="held-out sequences")
    parser.add_argument("--models", nargs="+", choices=tuple(MODELS), default=list(MODELS))
    parser.add_argument("--progress", action="store_true", help="tqdm bar (terminal only)")
    return parser.parse_args(argv)


def first_step_below(losses, level, window=50):
    """First step where the mean training loss of the last ``window`` steps is below ``level``."""
    if len(losses) < window:
        return None
    running = np.convolve(losses, np.ones(window) / window, mode="valid")
    below = np.nonzero(running < level)[0]
    return int(below[0]) + window - 1 if below.size else None


def run(args):
    chance = ADDING_CHANCE_MSE[args.form]
    test = adding_problem(args.length, args.test_size, seed=TEST_SEED, form=args.form)
    print(
        f"Adding problem ({args.form} form), T={args.length}: hidden {args.hidden}, batch "
        f"{args.batch}, {args.steps} steps of Adam (lr {args.lr}), clip {args.clip}, "
        f"float64, numpy {np.__version__}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}"
    )
    print(
        f"chance-level MSE (always predict the mean) = {chance:.4f}; test batch of "
        f"{args.test_size} held-out sequences (seed {TEST_SEED})"
    )
    print()
    header = (
        f"{'model':<6}{'seed':>5}{'test MSE':>11}{'/ chance':>10}"
        f"{'train MSE (last 100)':>22}{'step < 10% chance':>19}{'wall s':>9}"
    )
    print(header)
    print("-" * len(header))
    ratios = {}
    for name in args.models:
        for seed in args.seeds:
            layer = MODELS[name](2, args.hidden, seed=seed)
            readout = Linear(args.hidden, 1, seed=1000 + seed)
            start = time.perf_counter()
            history = train(
                layer,
                readout,
                lambda rng: adding_problem(args.length, args.batch, seed=rng, form=args.form),
                steps=args.steps,
                lr=args.lr,
                clip=args.clip,
                seed=seed,
                progress=args.progress,
            )
            seconds = time.perf_counter() - start
            test_mse, _ = evaluate(layer, readout, test)
            ratios.setdefault(name, []).append(test_mse / chance)
            reached = first_step_below(history.loss, 0.1 * chance)
            print(
                f"{name.upper():<6}{seed:>5}{test_mse:>11.5f}{test_mse / chance:>10.4f}"
                f"{history.loss[-100:].mean():>22.5f}"
                f"{'never' if reached is None else reached:>19}{seconds:>9.1f}",
                flush=True,
            )
    print()
    passed = True
    for name, values in ratios.items():
        if name == "rnn":
            ok = min(values) > 0.5
            claim = "stays near chance (every seed above 50% of chance)"
        else:
            ok = max(values) < 0.1
            claim = "below 10% of chance (every seed)"
        passed &= ok
        worst = max(values) if name != "rnn" else min(values)
        print(
            f"{name.upper():<5} test MSE / chance: median {np.median(values):.4f}, "
            f"{'worst' if name != 'rnn' else 'best'} {worst:.4f} -> {claim}: "
            f"{'yes' if ok else 'NO'}"
        )
    return passed


def main(argv=None):
    return 0 if run(parse_args(argv)) else 1


if __name__ == "__main__":
    sys.exit(main())
