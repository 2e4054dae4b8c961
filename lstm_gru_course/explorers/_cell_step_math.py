"""The numbers behind explorers 4 and 5: one LSTM or GRU step with the tiny example's weights.

Private helper of :mod:`lstm_gru_course.explorers.cell_step`, which re-exports
:func:`compute_lstm_step`, :func:`compute_gru_step`, ``LSTM_PRESETS``, ``GRU_PRESETS``
and ``CONVENTIONS``.
"""

from __future__ import annotations

import numpy as np

from .. import cells
from .._validate import choice, finite_number
from ..figures.examples import tiny_step
from ..i18n import N_

H = 2
_LSTM_GATES = (("i", "input"), ("f", "forget"), ("g", "candidate"), ("o", "output"))
_GRU_GATES = (("r", "reset"), ("z", "update"), ("n", "candidate"))


def _example_forget_bias() -> float:
    """The forget-gate bias of the book's worked example (``tiny_step``), read off its step:
    ``b_f = logit(f) − (W_if x + W_hf h)`` in slot 1 (the example's biases fill whole blocks)."""
    tiny = tiny_step("lstm")
    pre = (
        tiny["weight_ih"][H : 2 * H] @ tiny["x"][0]
        + tiny["weight_hh"][H : 2 * H] @ tiny["h_prev"][0]
    )
    f = tiny["f"][0, 0]
    return round(float(np.log(f / (1.0 - f)) - pre[0]), 6)


_EXAMPLE_F = _example_forget_bias()

#: Gate biases of each LSTM preset (i, f, g, o), added to ``bias_ih``. ±12 outweighs the
#: worked example's own pre-activations (up to about ±5), so a preset gate is shut or open.
#: The names are keys (English); the explorer shows them translated (``i18n._(name)``).
LSTM_PRESETS = {
    N_("the book's tiny example"): {"i": 0.0, "f": _EXAMPLE_F, "g": 0.0, "o": 0.0},
    N_("forget everything (f ≈ 0)"): {"i": 0.0, "f": -12.0, "g": 0.0, "o": 0.0},
    N_("write strongly (i ≈ 1, g ≈ 1)"): {"i": 12.0, "f": _EXAMPLE_F, "g": 3.0, "o": 0.0},
    N_("protect the memory (f ≈ 1, i ≈ 0)"): {"i": -12.0, "f": 12.0, "g": 0.0, "o": 0.0},
    N_("hide the memory (o ≈ 0)"): {"i": 0.0, "f": _EXAMPLE_F, "g": 0.0, "o": -12.0},
}
#: Gate biases of each GRU preset (r, z, n), added to ``bias_ih``.
GRU_PRESETS = {
    N_("the book's tiny example"): {"r": 0.0, "z": 0.0, "n": 0.0},
    N_("keep the old state (z ≈ 1)"): {"r": 0.0, "z": 12.0, "n": 0.0},
    N_("take the candidate (z ≈ 0)"): {"r": 0.0, "z": -12.0, "n": 0.0},
    N_("ignore the past (r ≈ 0, z ≈ 0)"): {"r": -12.0, "z": -12.0, "n": 0.0},
}
#: The two GRU conventions the switch offers: label -> ``reset`` argument of ``cells.gru_step``.
CONVENTIONS = {
    N_("PyTorch: reset after the matmul"): "after",
    N_("Cho et al. 2014: reset before"): "before",
}


def _pick(name, tiny, key, index, value):
    """The control's value, or the tiny example's entry when ``value`` is None."""
    return tiny[key][0, index] if value is None else finite_number(name, value)


def _biases(gates, values):
    bias = np.zeros(len(gates) * H)
    for block, (symbol, _) in enumerate(gates):
        bias[block * H : (block + 1) * H] = finite_number(f"bias_{symbol}", values[symbol])
    return bias


def compute_lstm_step(
    x_1=None,
    x_2=None,
    h_1=None,
    h_2=None,
    c_1=None,
    c_2=None,
    bias_i=0.0,
    bias_f=None,
    bias_g=0.0,
    bias_o=0.0,
) -> dict:
    """One ``cells.lstm_step`` with the tiny example's weights; returns its cache.

    x_t = (x_1, x_2), h_{t-1} = (h_1, h_2), c_{t-1} = (c_1, c_2) (None: the tiny
    example's value); ``bias_<gate>`` goes into every entry of that gate's block of
    ``bias_ih`` (``bias_hh`` is 0); ``bias_f=None`` is the example's own forget bias.
    Shapes: x, h, c (1, 2); weight_ih (8, 2), weight_hh (8, 2).

    >>> cache = compute_lstm_step(bias_f=-40.0)
    >>> bool(np.allclose(cache["c"], cache["i"] * cache["g"]))
    True
    """
    tiny = tiny_step("lstm")
    x = np.array([[_pick("x_1", tiny, "x", 0, x_1), _pick("x_2", tiny, "x", 1, x_2)]])
    h = np.array([[_pick("h_1", tiny, "h_prev", 0, h_1), _pick("h_2", tiny, "h_prev", 1, h_2)]])
    c = np.array([[_pick("c_1", tiny, "c_prev", 0, c_1), _pick("c_2", tiny, "c_prev", 1, c_2)]])
    bias_f = _EXAMPLE_F if bias_f is None else bias_f
    bias = _biases(_LSTM_GATES, {"i": bias_i, "f": bias_f, "g": bias_g, "o": bias_o})
    return cells.lstm_step(x, h, c, tiny["weight_ih"], tiny["weight_hh"], bias, np.zeros(4 * H))[2]


def compute_gru_step(
    x_1=None, x_2=None, h_1=None, h_2=None, bias_r=0.0, bias_z=0.0, bias_n=0.0, convention="after"
) -> dict:
    """One ``cells.gru_step`` with the tiny example's weights; returns its cache.

    ``convention`` is "after" (PyTorch: ``n = tanh(W_in x + b_in + r*(W_hn h + b_hn))``)
    or "before" (Cho et al. 2014: ``n = tanh(W_in x + b_in + W_hn (r*h) + b_hn)``);
    a label of ``CONVENTIONS`` is accepted too. Other arguments as in
    :func:`compute_lstm_step`. Shapes: x, h (1, 2); weight_ih (6, 2), weight_hh (6, 2).

    >>> cache = compute_gru_step(bias_z=40.0)
    >>> bool(np.allclose(cache["h"], cache["h_prev"]))
    True
    """
    reset = choice("convention", CONVENTIONS.get(convention, convention), ("after", "before"))
    tiny = tiny_step("gru", reset=reset)
    x = np.array([[_pick("x_1", tiny, "x", 0, x_1), _pick("x_2", tiny, "x", 1, x_2)]])
    h = np.array([[_pick("h_1", tiny, "h_prev", 0, h_1), _pick("h_2", tiny, "h_prev", 1, h_2)]])
    bias = _biases(_GRU_GATES, {"r": bias_r, "z": bias_z, "n": bias_n})
    return cells.gru_step(
        x, h, tiny["weight_ih"], tiny["weight_hh"], bias, np.zeros(3 * H), reset=reset
    )[1]
