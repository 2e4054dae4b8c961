"""The course's conventions as code: layer kinds, gate blocks, the keep gate, the GRU's other form.

- :data:`KINDS` and :data:`GATE_BLOCKS`: the three recurrent networks and how many gate
  blocks G each stacks in its weights (PyTorch's layout: ``weight_ih`` (G*H, I),
  ``weight_hh`` (G*H, H), ``bias_ih`` and ``bias_hh`` (G*H,));
- :func:`kind_name`, :func:`kind_of`, :func:`new_layer`: from a name or a layer to the
  kind, and back;
- :func:`set_keep_bias`: the one place that sets the bias of the "keep" gate, the gate
  that decides how much of the old state survives a step (LSTM: the forget gate f;
  GRU: the update gate z);
- :func:`olah_gru_step` and :func:`flip_update_gate`: the GRU as Olah's blog and Chung et
  al. (2014) write it (z and 1 - z swapped, reset before the matrix product), and the
  weight change that turns it into the course's form.

>>> GATE_BLOCKS["lstm"], kind_name("GRU"), KEEP_GATE["gru"]
(4, 'gru', 'z')
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._validate import choice, describe, finite_number, float_array
from ..activations import sigmoid, tanh
from ..cells import _check_params
from ..layers import GRU, LSTM, RNN

__all__ = [
    "KINDS",
    "GATE_BLOCKS",
    "GATE_NAMES",
    "KEEP_GATE",
    "kind_name",
    "kind_of",
    "new_layer",
    "set_keep_bias",
    "olah_gru_step",
    "flip_update_gate",
]

#: The three kinds of recurrent network the course compares, by the names used here.
KINDS = ("rnn", "lstm", "gru")
#: The blocks in the order they are stacked (PyTorch's): LSTM i, f, g, o; GRU r, z, n.
GATE_NAMES = {"rnn": ("h",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
#: The gate that decides how much of the old state is kept: block 1 of both gated kinds.
KEEP_GATE = {"lstm": "f", "gru": "z"}
_LAYERS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
#: Any of the package's recurrent layers.
Layer = RNN | LSTM | GRU
#: Gate blocks G stacked in each kind's weights (rows of ``weight_ih`` = G * H), as
#: the layers define them: 1, 4, 3.
GATE_BLOCKS = {kind: cls._gates for kind, cls in _LAYERS.items()}


def kind_name(value: object, name: str = "kind") -> str:
    """``value`` ("rnn", "lstm", "gru", any case) as the lower-case kind; else a clear error.

    >>> kind_name("LSTM")
    'lstm'
    """
    return choice(name, value.lower() if isinstance(value, str) else value, KINDS)


def kind_of(layer: Layer) -> str:
    """The kind of a layer from :mod:`lstm_gru_course.layers`: "rnn", "lstm" or "gru"."""
    for kind, cls in _LAYERS.items():
        if isinstance(layer, cls):
            return kind
    raise TypeError(
        f"layer must be an RNN, LSTM or GRU from lstm_gru_course.layers, "
        f"but received {describe(layer)}."
    )


def new_layer(
    kind: str, input_size: int, hidden_size: int, seed: int = 0, reset: str = "after"
) -> Layer:
    """A fresh ``RNN``, ``LSTM`` or ``GRU`` (PyTorch's initialisation) from its kind's name."""
    kind = kind_name(kind)
    if kind == "gru":
        return GRU(
            input_size, hidden_size, seed=seed, reset=choice("reset", reset, ("after", "before"))
        )
    return _LAYERS[kind](input_size, hidden_size, seed=seed)


def set_keep_bias(layer: LSTM | GRU, bias: float) -> LSTM | GRU:
    """Set the total bias of ``layer``'s keep gate to ``bias``, in place; return the layer.

    The keep gate is the LSTM's forget gate f (``c = f*c_prev + i*g``) and the GRU's
    update gate z (``h = (1-z)*n + z*h_prev``), rows H:2H of the biases in both (blocks
    i, f, g, o and r, z, n). ``bias_ih`` gets ``bias`` and ``bias_hh`` 0 there, so at
    the start the gate is sigmoid(bias): sigmoid(3) ~ 0.95 of the memory kept per step
    instead of sigmoid(0) = 0.5. An RNN has no gate: a clear error.

    >>> from lstm_gru_course.layers import GRU
    >>> set_keep_bias(GRU(2, 3), 3.0).params["bias_ih"][3:6].tolist()
    [3.0, 3.0, 3.0]
    """
    kind = kind_of(layer)
    if kind == "rnn":
        raise TypeError(
            "layer must be an LSTM or a GRU (an RNN has no keep gate), "
            f"but received {describe(layer)}."
        )
    bias = finite_number("bias", bias)
    H = layer.hidden_size
    layer.params["bias_ih"][H : 2 * H] = bias
    layer.params["bias_hh"][H : 2 * H] = 0.0
    return layer


# ------------------------------------------------------------------ the GRU's other convention


def _gru_arrays(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    weight_ih, weight_hh, bias_ih, bias_hh, hidden = _check_params(
        3, weight_ih, weight_hh, bias_ih, bias_hh
    )
    x = float_array("x", x)
    if x.ndim not in (1, 2) or x.shape[-1] != weight_ih.shape[1]:
        raise ValueError(
            f"x must have shape (B, {weight_ih.shape[1]}) to match weight_ih, "
            f"but received shape {x.shape}."
        )
    h_prev = float_array("h_prev", h_prev, shape=x.shape[:-1] + (hidden,))
    return x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, hidden


def olah_gru_step(
    x: ArrayLike,
    h_prev: ArrayLike,
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    bias_ih: ArrayLike,
    bias_hh: ArrayLike,
) -> np.ndarray:
    """One GRU step as Olah's blog and Chung et al. (2014) write it: z and 1 - z swapped.

        r = sigmoid(x W_ir^T + b_ir + h_prev W_hr^T + b_hr)
        z = sigmoid(x W_iz^T + b_iz + h_prev W_hz^T + b_hz)
        n = tanh(x W_in^T + b_in + (r * h_prev) W_hn^T + b_hn)      reset before the product
        h = z * n + (1 - z) * h_prev                                z writes, 1 - z keeps

    Same layout as ``cells.gru_step`` (blocks r, z, n): x (B, I), h_prev (B, H),
    weight_ih (3H, I), weight_hh (3H, H), biases (3H,) -> h (B, H).
    With :func:`flip_update_gate` the same function is ``cells.gru_step(...,
    reset="before")``: the swap relabels the gate, it does not change what a GRU can do.
    """
    x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, H = _gru_arrays(
        x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh
    )
    gi = x @ weight_ih.T + bias_ih
    r = sigmoid(gi[..., :H] + h_prev @ weight_hh[:H].T + bias_hh[:H])
    z = sigmoid(gi[..., H : 2 * H] + h_prev @ weight_hh[H : 2 * H].T + bias_hh[H : 2 * H])
    n = tanh(gi[..., 2 * H :] + (r * h_prev) @ weight_hh[2 * H :].T + bias_hh[2 * H :])
    return z * n + (1 - z) * h_prev


def flip_update_gate(
    weight_ih: ArrayLike, weight_hh: ArrayLike, bias_ih: ArrayLike, bias_hh: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """New parameters whose update gate is 1 - z of the given ones (z block negated).

    Since ``sigmoid(-a) = 1 - sigmoid(a)``, negating the z rows of the weights and the z
    entries of the biases turns a GRU written with ``h = z*n + (1-z)*h_prev`` into one
    written with ``h = (1-z)*n + z*h_prev``, number for number. Returns copies
    (weight_ih, weight_hh, bias_ih, bias_hh); the inputs are left unchanged.
    """
    *params, H = _check_params(3, weight_ih, weight_hh, bias_ih, bias_hh)
    params = [p.copy() for p in params]
    for p in params:
        p[H : 2 * H] *= -1.0
    return tuple(params)
