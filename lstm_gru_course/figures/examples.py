"""Tiny worked examples: one real forward step of each cell, for the figures to write on.

The numbers on every diagram and animation of the book come from these calls into
``lstm_gru_course.cells``, so the picture, the code and the explorers agree.
Input size and hidden size are both 2, so every vector fits on the picture.

>>> cache = tiny_step("lstm")
>>> sorted(k for k in ("f", "i", "g", "o", "c", "h") if k in cache)
['c', 'f', 'g', 'h', 'i', 'o']
"""

from __future__ import annotations

import numpy as np

from .. import cells
from .._validate import choice

__all__ = ["tiny_step", "TINY_INPUT_SIZE", "TINY_HIDDEN_SIZE"]

TINY_INPUT_SIZE = 2
TINY_HIDDEN_SIZE = 2
_GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def tiny_step(cell: str, seed: int = 0, reset: str = "after") -> dict:
    """Run one forward step of ``cell`` ("rnn", "lstm" or "gru") on a tiny example.

    Weights are drawn from ``np.random.default_rng(seed)`` (normal, scale 0.8), biases
    are zero except the LSTM's forget-gate bias (+1, the usual initialisation), and
    x (2,), h_prev (2,), c_prev (2,) are drawn from the same generator. Returns the
    step's ``cache`` (see ``cells``); ``reset`` chooses the GRU convention.
    """
    cell = choice("cell", cell, tuple(_GATES))
    rng = np.random.default_rng(seed)
    H, I, G = TINY_HIDDEN_SIZE, TINY_INPUT_SIZE, _GATES[cell]
    weight_ih = 0.8 * rng.normal(size=(G * H, I))
    weight_hh = 0.8 * rng.normal(size=(G * H, H))
    bias_ih = np.zeros(G * H)
    bias_hh = np.zeros(G * H)
    x = np.round(rng.normal(size=I), 1)
    h_prev = np.round(np.tanh(rng.normal(size=H)), 1)
    if cell == "rnn":
        return cells.rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh)[1]
    if cell == "gru":
        return cells.gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, reset=reset)[1]
    bias_ih[H:2 * H] = 1.0
    c_prev = np.round(rng.normal(size=H), 1)
    return cells.lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh)[2]
