"""What the tests of lstm_gru_course.analysis (and of the experiments command) share."""

from __future__ import annotations

import numpy as np

from lstm_gru_course.analysis.race import Scale

#: A chapter-7 scale small enough for a test: two models, one point, 20 steps (seconds).
TINY = Scale(
    points=(("first_symbol", 3),),
    models=("RNN", "LSTM, forget bias 3"),
    seeds=(0,),
    hidden_size=4,
    batch_size=8,
    max_steps=20,
    eval_every=5,
    eval_size=16,
    lr=1e-2,
)


def without_times(run: dict) -> dict:
    """A run's result without its wall time (the one entry that differs between runs)."""
    return {k: v for k, v in run.items() if k != "seconds"}


def random_params(gates: int, I: int, H: int, seed: int) -> tuple:
    """weight_ih (G*H, I), weight_hh (G*H, H), bias_ih, bias_hh (G*H,), random, from ``seed``."""
    rng = np.random.default_rng(seed)
    return (
        rng.normal(scale=0.6, size=(gates * H, I)),
        rng.normal(scale=0.6, size=(gates * H, H)),
        rng.normal(scale=0.4, size=gates * H),
        rng.normal(scale=0.4, size=gates * H),
    )
