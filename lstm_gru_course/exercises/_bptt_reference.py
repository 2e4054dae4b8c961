"""References, test cases and known-mistake variants for the BPTT exercises (``bptt``).

The exercise definitions themselves stay in ``bptt``, which uses these helpers.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..i18n import N_
from . import _cellmath as cm
from ._core import Mistake

_SHAPES = {
    "dx": N_("(batch, input)"),
    "dh_prev": N_("(batch, hidden)"),
    "dc_prev": N_("(batch, hidden)"),
    "dweight_ih": N_("(G*hidden, input)"),
    "dweight_hh": N_("(G*hidden, hidden)"),
    "dbias": N_("(G*hidden,)"),
}


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _numerical(forward, args, wrt, weights):
    """Central-difference gradients of sum(output_k * weights_k) w.r.t. ``args[wrt]``."""
    from ..gradcheck import numerical_gradient

    arrays = [np.array(a, dtype=float) for a in args]

    def loss():
        outputs = forward(*arrays)
        return float(sum((out * w).sum() for out, w in zip(outputs, weights)))

    return tuple(numerical_gradient(loss, arrays[k], eps=1e-6) for k in wrt)


def _param_grads_args(batch, inputs, hidden, gates, seed):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(batch, gates * hidden)),
        rng.normal(size=(batch, inputs)),
        rng.normal(size=(batch, hidden)),
    )


def _param_grads_reference(da, x, h_prev):
    # a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh: checked numerically, one entry at a time
    G_H, I, H = da.shape[1], x.shape[1], h_prev.shape[1]
    weight_ih, weight_hh, bias = np.zeros((G_H, I)), np.zeros((G_H, H)), np.zeros(G_H)

    def forward(w_ih, w_hh, b):
        return (x @ w_ih.T + b + h_prev @ w_hh.T,)

    return _numerical(forward, (weight_ih, weight_hh, bias), (0, 1, 2), (da,))


def _lstm_args(batch, inputs, hidden, seed, zero_dc=False):
    def make():
        x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh = cm.cell_inputs(
            4, batch, inputs, hidden, seed, lstm=True
        )
        rng = np.random.default_rng(seed + 100)
        dh = rng.normal(size=(batch, hidden))
        dc = np.zeros((batch, hidden)) if zero_dc else rng.normal(size=(batch, hidden))
        return dh, dc, x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh

    return make


def _lstm_forward(x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh):
    from ..cells import lstm_step

    h, c, _ = lstm_step(x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh)
    return h, c


def _lstm_reference(dh, dc, *args):
    return _numerical(_lstm_forward, args, (0, 1, 2), (dh, dc))


def _lstm_backward(
    dh,
    dc,
    x,
    h_prev,
    c_prev,
    w_ih,
    w_hh,
    b_ih,
    b_hh,
    *,
    through_h=True,
    sigmoid_slope=True,
    tanh_slope=True,
    swap_dc_prev=False,
):
    """The analytic backward pass, with switches for the known mistakes."""
    H = h_prev.shape[-1]
    a = x @ w_ih.T + b_ih + h_prev @ w_hh.T + b_hh
    i, f, o = (_sigmoid(a[:, k * H : (k + 1) * H]) for k in (0, 1, 3))
    g = np.tanh(a[:, 2 * H : 3 * H])
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    do = dh * tanh_c
    if through_h:
        dc = dc + dh * o * (1 - tanh_c**2)
    di, df, dg = dc * g, dc * c_prev, dc * i
    dc_prev = dc * (i if swap_dc_prev else f)
    s_slope = (lambda s: s * (1 - s)) if sigmoid_slope else (lambda s: s)
    t_slope = (lambda t: 1 - t**2) if tanh_slope else (lambda t: 1 - t)
    da = np.concatenate(
        [di * s_slope(i), df * s_slope(f), dg * t_slope(g), do * s_slope(o)], axis=1
    )
    return da @ w_ih, da @ w_hh, dc_prev


def _gru_args(batch, inputs, hidden, seed):
    def make():
        x, h_prev, w_ih, w_hh, b_ih, b_hh = cm.cell_inputs(3, batch, inputs, hidden, seed)
        dh = np.random.default_rng(seed + 100).normal(size=(batch, hidden))
        return dh, x, h_prev, w_ih, w_hh, b_ih, b_hh

    return make


def _gru_forward(x, h_prev, w_ih, w_hh, b_ih, b_hh):
    from ..cells import gru_step

    return (gru_step(x, h_prev, w_ih, w_hh, b_ih, b_hh)[0],)


def _gru_reference(dh, *args):
    return _numerical(_gru_forward, args, (0, 1), (dh,))


def _gru_backward(
    dh, x, h_prev, w_ih, w_hh, b_ih, b_hh, *, direct=True, z_sign=1, hn_path=True, reset_slope=True
):
    H = h_prev.shape[-1]
    ax = x @ w_ih.T + b_ih
    ah = h_prev @ w_hh.T + b_hh
    r = _sigmoid(ax[:, :H] + ah[:, :H])
    z = _sigmoid(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    n = np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])
    dn = dh * (1 - z)
    dz = z_sign * dh * (h_prev - n)
    da_n = dn * (1 - n**2)
    dr = da_n * ah[:, 2 * H :]
    da_r = dr * r * (1 - r) if reset_slope else dr * r
    da_z = dz * z * (1 - z)
    dh_prev = (dh * z if direct else 0.0) + np.concatenate([da_r, da_z], axis=1) @ w_hh[: 2 * H]
    if hn_path:
        dh_prev = dh_prev + (da_n * r) @ w_hh[2 * H :]
    dx = np.concatenate([da_r, da_z, da_n], axis=1) @ w_ih
    return dx, dh_prev


# The known mistakes of bptt.lstm_backward.
LSTM_BACKWARD_MISTAKES = [
    Mistake(
        "cell_state_not_through_h",
        N_(
            "h = o * tanh(c) also depends on c: before "
            "using dc, add what reaches c through h, `dc = dc + dh * o * (1 - "
            "tanh_c**2)`."
        ),
        partial(_lstm_backward, through_h=False),
    ),
    Mistake(
        "sigmoid_slope",
        N_("The slope of sigmoid, written with its output s, is s * (1 - s), not s."),
        partial(_lstm_backward, sigmoid_slope=False),
    ),
    Mistake(
        "tanh_slope",
        N_("The slope of tanh, written with its output t, is 1 - t**2, not 1 - t."),
        partial(_lstm_backward, tanh_slope=False),
    ),
    Mistake(
        "dc_prev_gate",
        N_(
            "c = f * c_prev + i * g: the old cell state is scaled by "
            "the forget gate, so dc_prev = dc * f."
        ),
        partial(_lstm_backward, swap_dc_prev=True),
    ),
]
