"""The worked example: one real forward step of each cell, chosen so each gate does its job.

The numbers on every diagram and animation of the book come from these calls into
``lstm_gru_course.cells``, so the picture, the code and the explorers agree. Input
size and hidden size are both 2, so every vector fits on the picture, and the two
slots of the state tell two opposite stories (chapters 5a and 6 read them aloud):

- LSTM: the forget gate keeps slot 1 (f ≈ 0.95) and erases slot 2 (f ≈ 0.05); the
  input gate blocks slot 1 (i ≈ 0.05) and writes slot 2 (i ≈ 0.95); the output gate
  shows slot 1 (o ≈ 0.95) and hides slot 2 (o ≈ 0.05).
- GRU (same ``x`` and ``h_prev``): the update gate keeps the old state in slot 1
  (z ≈ 0.95) and takes the candidate in slot 2 (z ≈ 0.04); the reset gate lets the old
  state into slot 1's candidate (r ≈ 0.70) and shuts it out of slot 2's (r ≈ 0.05).

The weights are round numbers (multiples of 0.5), the inputs have one decimal, and
they were picked so that every product and sum written on a diagram (two decimals)
also adds up from the rounded numbers printed beside it (``tests/test_figures.py``
recomputes them).

>>> cache = tiny_step("lstm")
>>> [round(float(v), 2) for v in cache["f"][0]]
[0.95, 0.05]
"""

from __future__ import annotations

import numpy as np

from .. import cells
from .._validate import choice
from ..analysis.conventions import GATE_BLOCKS as _GATES

__all__ = ["tiny_step", "EXAMPLE", "TINY_INPUT_SIZE", "TINY_HIDDEN_SIZE"]

TINY_INPUT_SIZE = 2
TINY_HIDDEN_SIZE = 2

#: The shared inputs and the weights of each cell (PyTorch layout; biases are zero).
#: Rows of ``weight_ih``/``weight_hh``: gate order i, f, g, o (LSTM) and r, z, n (GRU).
EXAMPLE = {
    "x": np.array([1.0, -0.5]),
    "h_prev": np.array([0.6, -0.3]),
    "c_prev": np.array([0.8, 0.8]),
    "rnn": {
        "weight_ih": np.array([[0.5, -1.0], [-0.5, 0.5]]),
        "weight_hh": np.array([[1.0, 0.5], [0.5, 1.0]]),
    },
    "lstm": {
        "weight_ih": np.array(
            [
                [-2.0, 0.5],
                [2.0, -1.0],  # input gate i
                [2.0, -1.0],
                [-2.0, 0.5],  # forget gate f
                [-0.5, -1.0],
                [-1.5, -1.5],  # candidate g
                [2.0, -1.0],
                [-2.0, 0.5],
            ]
        ),  # output gate o
        "weight_hh": np.array(
            [
                [-1.0, 0.5],
                [0.5, -0.5],
                [0.5, -0.5],
                [-1.0, 0.5],
                [0.5, -0.5],
                [-1.0, -0.5],
                [0.5, -0.5],
                [-1.0, 0.5],
            ]
        ),
    },
    "gru": {
        "weight_ih": np.array(
            [
                [0.5, -1.0],
                [-2.0, 0.5],  # reset gate r
                [2.0, -1.0],
                [-2.0, -0.5],  # update gate z
                [-0.5, -0.5],
                [-0.5, 0.5],
            ]
        ),  # candidate n
        "weight_hh": np.array(
            [[-0.5, -0.5], [-1.0, 0.5], [0.5, -0.5], [-2.0, 0.5], [0.5, -0.5], [-0.5, 0.5]]
        ),
    },
}


def tiny_step(cell: str, seed: int | None = None, reset: str = "after") -> dict:
    """Run one forward step of ``cell`` ("rnn", "lstm" or "gru") on the worked example.

    With ``seed=None`` (the default) the step is the book's worked example
    (:data:`EXAMPLE`). With an integer ``seed`` the weights are drawn instead from
    ``np.random.default_rng(seed)`` (normal, scale 0.8; zero biases, +1 on the LSTM's
    forget-gate bias) with the same ``x``, ``h_prev`` and ``c_prev``: a typical
    untrained cell, whose gates sit near 0.5. Returns the step's ``cache`` (see
    ``cells``); ``reset`` chooses the GRU convention.
    """
    cell = choice("cell", cell, tuple(_GATES))
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"seed must be None or an integer, but received {seed!r:.40}.")
    H, I, G = TINY_HIDDEN_SIZE, TINY_INPUT_SIZE, _GATES[cell]
    if seed is None:
        weight_ih = EXAMPLE[cell]["weight_ih"].copy()
        weight_hh = EXAMPLE[cell]["weight_hh"].copy()
    else:
        rng = np.random.default_rng(seed)
        weight_ih = 0.8 * rng.normal(size=(G * H, I))
        weight_hh = 0.8 * rng.normal(size=(G * H, H))
    bias_ih = np.zeros(G * H)
    bias_hh = np.zeros(G * H)
    x, h_prev, c_prev = (EXAMPLE[k].copy() for k in ("x", "h_prev", "c_prev"))
    if cell == "rnn":
        return cells.rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh)[1]
    if cell == "gru":
        return cells.gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, reset=reset)[1]
    if seed is not None:
        bias_ih[H : 2 * H] = 1.0
    return cells.lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh)[2]
