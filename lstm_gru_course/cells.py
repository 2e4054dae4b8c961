"""One time step of a tanh RNN, an LSTM and a GRU: forward and backward side by side.

These functions are what the chapters show line by line, so they read like the book's
equations and use its names (``i, f, g, o, c, h`` for the LSTM, ``r, z, n, h`` for the
GRU). Each ``*_step`` returns the new state and a ``cache`` dict of the named
intermediate values; each ``*_step_backward`` takes the gradients of the loss with
respect to the new state, plus that cache, and returns a dict of gradients.

Shapes (B = batch, I = input size, H = hidden size, G = number of gate blocks):

    x (B, I)    h_prev, c_prev (B, H)
    weight_ih (G*H, I)   weight_hh (G*H, H)   bias_ih (G*H,)   bias_hh (G*H,)

with PyTorch's layout: G = 1 (RNN), 4 (LSTM, blocks i, f, g, o), 3 (GRU, blocks r, z, n).
A single example may be given without the batch axis (x (I,), h_prev (H,)); the results
then have no batch axis either. The gradient dicts have the keys ``"x"``, ``"h_prev"``
(and ``"c_prev"`` for the LSTM), ``"weight_ih"``, ``"weight_hh"``, ``"bias_ih"``,
``"bias_hh"``. ``layers`` runs the same maths over a whole sequence, faster.
"""

from __future__ import annotations

import numpy as np

from ._validate import choice, describe, float_array
from .activations import sigmoid, sigmoid_grad_from_output, tanh, tanh_grad_from_output

__all__ = [
    "rnn_step", "rnn_step_backward",
    "lstm_step", "lstm_step_backward",
    "gru_step", "gru_step_backward",
]


def _check_params(gates, weight_ih, weight_hh, bias_ih, bias_hh):
    """Validate the four parameter arrays; return them and the hidden size H."""
    weight_hh = float_array("weight_hh", weight_hh)
    if weight_hh.ndim != 2 or weight_hh.shape[0] != gates * weight_hh.shape[1]:
        raise ValueError(
            f"weight_hh must have shape ({gates}*H, H) = ({gates}*hidden_size, hidden_size), "
            f"but received shape {weight_hh.shape}."
        )
    hidden = weight_hh.shape[1]
    weight_ih = float_array("weight_ih", weight_ih, shape=(gates * hidden, None))
    bias_ih = float_array("bias_ih", bias_ih, shape=(gates * hidden,))
    bias_hh = float_array("bias_hh", bias_hh, shape=(gates * hidden,))
    return weight_ih, weight_hh, bias_ih, bias_hh, hidden


def _check_inputs(x, states, input_size, hidden):
    """Validate x and the previous states; return them as 2-D arrays and whether x was 1-D."""
    x = float_array("x", x)
    if x.ndim not in (1, 2) or x.shape[-1] != input_size:
        raise ValueError(
            f"x must have shape (B, {input_size}) or ({input_size},) to match weight_ih, "
            f"but received shape {x.shape}."
        )
    unbatched = x.ndim == 1
    expected = (hidden,) if unbatched else (x.shape[0], hidden)
    checked = [float_array(name, value, shape=expected) for name, value in states.items()]
    if unbatched:
        return x[None, :], [s[None, :] for s in checked], True
    return x, checked, False


def _check_cache(cache, cell, keys):
    if not isinstance(cache, dict) or cache.get("cell") != cell:
        raise TypeError(
            f"cache must be the dict returned by {cell}_step, but received {describe(cache)}."
        )
    missing = [k for k in keys if k not in cache]
    if missing:
        raise ValueError(f"cache is missing the entries {missing}; pass the dict from {cell}_step.")


def _check_state_grad(name, value, like, unbatched):
    shape = like.shape[1:] if unbatched else like.shape
    arr = float_array(name, value, shape=shape)
    return arr[None, :] if unbatched else arr


def _finish(grads, unbatched):
    if unbatched:
        for key in ("x", "h_prev", "c_prev"):
            if key in grads:
                grads[key] = grads[key][0]
    return grads


def _param_grads(d_ih, d_hh, x, h_in):
    """Weight and bias gradients from the pre-activation gradients of one step."""
    return {
        "weight_ih": d_ih.T @ x,
        "weight_hh": d_hh.T @ h_in,
        "bias_ih": d_ih.sum(axis=0),
        "bias_hh": d_hh.sum(axis=0),
    }


# ---------------------------------------------------------------- tanh RNN


def rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of a tanh RNN: ``h = tanh(x W_ih^T + b_ih + h_prev W_hh^T + b_hh)``.

    W_ih = weight_ih, W_hh = weight_hh, b_ih = bias_ih, b_hh = bias_hh.
    Shapes: x (B, I), h_prev (B, H), weight_ih (H, I), weight_hh (H, H), biases (H,)
    -> h (B, H), cache {"x", "h_prev", "h", ...}.

    >>> rng = np.random.default_rng(0)
    >>> h, cache = rnn_step(np.ones(3), np.zeros(2), rng.normal(size=(2, 3)),
    ...                     rng.normal(size=(2, 2)), np.zeros(2), np.zeros(2))
    >>> h.shape
    (2,)
    """
    weight_ih, weight_hh, bias_ih, bias_hh, hidden = _check_params(
        1, weight_ih, weight_hh, bias_ih, bias_hh)
    x, (h_prev,), unbatched = _check_inputs(x, {"h_prev": h_prev}, weight_ih.shape[1], hidden)
    h = tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)
    cache = {"cell": "rnn", "x": x, "h_prev": h_prev, "h": h,
             "weight_ih": weight_ih, "weight_hh": weight_hh, "unbatched": unbatched}
    return (h[0] if unbatched else h), cache


def rnn_step_backward(dh, cache):
    """Gradients of one RNN step, given ``dh`` = dLoss/dh and the cache of ``rnn_step``.

    ``da = dh * (1 - h**2)`` (B, H) is the gradient of the pre-activation; everything else
    is a matrix product with it, in the row form of ``rnn_step``:

        dx = da W_ih  (B, I),   dh_prev = da W_hh  (B, H)
        dW_ih = da^T x  (H, I),   dW_hh = da^T h_prev  (H, H),   db = da summed over B

    Shapes: dh like h -> dict of gradients shaped like the inputs.
    """
    _check_cache(cache, "rnn", ("x", "h_prev", "h", "weight_ih", "weight_hh"))
    unbatched = cache["unbatched"]
    dh = _check_state_grad("dh", dh, cache["h"], unbatched)
    da = dh * tanh_grad_from_output(cache["h"])
    grads = {"x": da @ cache["weight_ih"], "h_prev": da @ cache["weight_hh"]}
    grads.update(_param_grads(da, da, cache["x"], cache["h_prev"]))
    return _finish(grads, unbatched)


# ---------------------------------------------------------------- LSTM


def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """One LSTM step: four gates, then the new cell state and hidden state.

        a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh       (B, 4H), blocks i, f, g, o
        i = sigmoid(a_i)   (B, H)   input gate: how much of the candidate to write
        f = sigmoid(a_f)   (B, H)   forget gate: how much of the old cell state to keep
        g = tanh(a_g)      (B, H)   candidate values
        o = sigmoid(a_o)   (B, H)   output gate: how much of the cell state to show
        c = f * c_prev + i * g      (B, H)
        h = o * tanh(c)             (B, H)

    a_i = a[:, 0:H], a_f = a[:, H:2H], a_g = a[:, 2H:3H], a_o = a[:, 3H:4H];
    W_ih = weight_ih, W_hh = weight_hh, b_ih = bias_ih, b_hh = bias_hh.
    Shapes: x (B, I), h_prev and c_prev (B, H), weight_ih (4H, I), weight_hh (4H, H),
    biases (4H,) -> h (B, H), c (B, H), cache {"x", "h_prev", "c_prev", "i", "f", "g",
    "o", "c", "tanh_c", "h", ...}.

    >>> H, I = 2, 3
    >>> rng = np.random.default_rng(0)
    >>> h, c, cache = lstm_step(np.ones(I), np.zeros(H), np.zeros(H),
    ...                         rng.normal(size=(4 * H, I)), rng.normal(size=(4 * H, H)),
    ...                         np.zeros(4 * H), np.zeros(4 * H))
    >>> h.shape, c.shape, sorted(cache)[:4]
    ((2,), (2,), ['c', 'c_prev', 'cell', 'f'])
    """
    weight_ih, weight_hh, bias_ih, bias_hh, H = _check_params(
        4, weight_ih, weight_hh, bias_ih, bias_hh)
    x, (h_prev, c_prev), unbatched = _check_inputs(
        x, {"h_prev": h_prev, "c_prev": c_prev}, weight_ih.shape[1], H)
    a = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh
    i = sigmoid(a[:, 0 * H:1 * H])
    f = sigmoid(a[:, 1 * H:2 * H])
    g = tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:4 * H])
    c = f * c_prev + i * g
    tanh_c = tanh(c)
    h = o * tanh_c
    cache = {"cell": "lstm", "x": x, "h_prev": h_prev, "c_prev": c_prev,
             "i": i, "f": f, "g": g, "o": o, "c": c, "tanh_c": tanh_c, "h": h,
             "weight_ih": weight_ih, "weight_hh": weight_hh, "unbatched": unbatched}
    if unbatched:
        return h[0], c[0], cache
    return h, c, cache


def lstm_step_backward(dh, dc, cache):
    """Gradients of one LSTM step, given dLoss/dh, dLoss/dc and the cache of ``lstm_step``.

    Read bottom-up against ``lstm_step``:

        do = dh * tanh(c)                                           (B, H)
        dc = dc + dh * o * (1 - tanh(c)**2)      the cell state also reaches h
        di = dc * g,  df = dc * c_prev,  dg = dc * i,  dc_prev = dc * f      each (B, H)
        da = [di*i*(1-i), df*f*(1-f), dg*(1-g**2), do*o*(1-o)]      (B, 4H)
        dx = da W_ih  (B, I),   dh_prev = da W_hh  (B, H)
        dW_ih = da^T x  (4H, I),   dW_hh = da^T h_prev  (4H, H),   db = da summed over B

    ``dc`` may be None (the loss does not read the last cell state directly).
    Shapes: dh, dc like h, c -> dict of gradients shaped like the inputs.
    """
    _check_cache(cache, "lstm", ("x", "h_prev", "c_prev", "i", "f", "g", "o", "tanh_c", "h"))
    unbatched = cache["unbatched"]
    dh = _check_state_grad("dh", dh, cache["h"], unbatched)
    dc = (np.zeros_like(dh) if dc is None
          else _check_state_grad("dc", dc, cache["c"], unbatched))
    i, f, g, o, tanh_c = (cache[k] for k in ("i", "f", "g", "o", "tanh_c"))
    do = dh * tanh_c
    dc = dc + dh * o * tanh_grad_from_output(tanh_c)
    di = dc * g
    df = dc * cache["c_prev"]
    dg = dc * i
    dc_prev = dc * f
    da = np.concatenate([di * sigmoid_grad_from_output(i), df * sigmoid_grad_from_output(f),
                         dg * tanh_grad_from_output(g), do * sigmoid_grad_from_output(o)],
                        axis=1)
    grads = {"x": da @ cache["weight_ih"], "h_prev": da @ cache["weight_hh"],
             "c_prev": dc_prev}
    grads.update(_param_grads(da, da, cache["x"], cache["h_prev"]))
    return _finish(grads, unbatched)


# ---------------------------------------------------------------- GRU


def gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, reset="after"):
    """One GRU step: reset and update gates, a candidate, then the new hidden state.

        r = sigmoid(x W_ir^T + b_ir + h_prev W_hr^T + b_hr)        (B, H)  reset gate
        z = sigmoid(x W_iz^T + b_iz + h_prev W_hz^T + b_hz)        (B, H)  update gate
        reset="after"  (PyTorch/cuDNN, default):
            n = tanh(x W_in^T + b_in + r * (h_prev W_hn^T + b_hn))   (B, H)  candidate
        reset="before" (Cho et al. 2014 v3):
            n = tanh(x W_in^T + b_in + (r * h_prev) W_hn^T + b_hn)   (B, H)  candidate
        h = (1 - z) * n + z * h_prev                   (B, H)  z keeps the old state

    W_ir, W_iz, W_in (H, I) are the row blocks r, z, n of weight_ih; W_hr, W_hz, W_hn
    (H, H) those of weight_hh; b_ir, b_iz, b_in and b_hr, b_hz, b_hn (H,) those of
    bias_ih and bias_hh.
    Shapes: x (B, I), h_prev (B, H), weight_ih (3H, I), weight_hh (3H, H), biases (3H,)
    -> h (B, H), cache {"x", "h_prev", "r", "z", "n", "h", ...}; with reset="after" the
    cache also holds ``n_hidden = h_prev W_hn^T + b_hn`` (B, H), with reset="before"
    ``r_h_prev = r * h_prev`` (B, H).

    >>> H, I = 2, 3
    >>> rng = np.random.default_rng(0)
    >>> h, cache = gru_step(np.ones(I), np.zeros(H), rng.normal(size=(3 * H, I)),
    ...                     rng.normal(size=(3 * H, H)), np.zeros(3 * H), np.zeros(3 * H))
    >>> h.shape, cache["reset"]
    ((2,), 'after')
    """
    reset = choice("reset", reset, ("after", "before"))
    weight_ih, weight_hh, bias_ih, bias_hh, H = _check_params(
        3, weight_ih, weight_hh, bias_ih, bias_hh)
    x, (h_prev,), unbatched = _check_inputs(x, {"h_prev": h_prev}, weight_ih.shape[1], H)
    ax = x @ weight_ih.T + bias_ih                                     # (B, 3H): r, z, n
    ah_rz = h_prev @ weight_hh[:2 * H].T + bias_hh[:2 * H]              # (B, 2H): r, z
    r = sigmoid(ax[:, 0 * H:1 * H] + ah_rz[:, 0 * H:1 * H])
    z = sigmoid(ax[:, 1 * H:2 * H] + ah_rz[:, 1 * H:2 * H])
    cache = {"cell": "gru", "reset": reset, "x": x, "h_prev": h_prev, "r": r, "z": z,
             "weight_ih": weight_ih, "weight_hh": weight_hh, "unbatched": unbatched}
    W_hn, b_hn = weight_hh[2 * H:], bias_hh[2 * H:]
    if reset == "after":
        n_hidden = h_prev @ W_hn.T + b_hn
        n = tanh(ax[:, 2 * H:] + r * n_hidden)
        cache["n_hidden"] = n_hidden
    else:
        r_h_prev = r * h_prev
        n = tanh(ax[:, 2 * H:] + r_h_prev @ W_hn.T + b_hn)
        cache["r_h_prev"] = r_h_prev
    h = (1 - z) * n + z * h_prev
    cache.update(n=n, h=h)
    return (h[0] if unbatched else h), cache


def gru_step_backward(dh, cache):
    """Gradients of one GRU step, given dLoss/dh and the cache of ``gru_step``.

    Read bottom-up against ``gru_step``:

        dn = dh * (1 - z),  dz = dh * (h_prev - n),  dh_prev = dh * z + ...    each (B, H)
        da_n = dn * (1 - n**2)                                                 (B, H)
        reset="after":  dr = da_n * n_hidden;  da_hn = da_n * r  is the gradient of
                        h_prev W_hn^T + b_hn, so dh_prev += da_hn W_hn
        reset="before": d(r*h_prev) = da_n W_hn;  dr = that * h_prev;  dh_prev += that * r
        da_r = dr * r * (1 - r),  da_z = dz * z * (1 - z)                      each (B, H)
        dh_prev += [da_r, da_z] W_h[rz]     ([da_r, da_z] (B, 2H), W_h[rz] = weight_hh[:2H])
        dx = [da_r, da_z, da_n] W_ih                                           (B, I)

    Shapes: dh like h -> dict of gradients shaped like the inputs.
    """
    _check_cache(cache, "gru", ("reset", "x", "h_prev", "r", "z", "n", "h"))
    unbatched = cache["unbatched"]
    dh = _check_state_grad("dh", dh, cache["h"], unbatched)
    x, h_prev, r, z, n = (cache[k] for k in ("x", "h_prev", "r", "z", "n"))
    weight_hh = cache["weight_hh"]
    H = h_prev.shape[1]
    W_hrz, W_hn = weight_hh[:2 * H], weight_hh[2 * H:]
    dn = dh * (1 - z)
    dz = dh * (h_prev - n)
    dh_prev = dh * z
    da_n = dn * tanh_grad_from_output(n)
    if cache["reset"] == "after":
        dr = da_n * cache["n_hidden"]
        da_hn = da_n * r                          # gradient of h_prev W_hn^T + b_hn
        dh_prev = dh_prev + da_hn @ W_hn
        h_into_n = h_prev
    else:
        d_r_h_prev = da_n @ W_hn
        dr = d_r_h_prev * h_prev
        dh_prev = dh_prev + d_r_h_prev * r
        da_hn = da_n                              # gradient of (r*h_prev) W_hn^T + b_hn
        h_into_n = cache["r_h_prev"]
    da_r = dr * sigmoid_grad_from_output(r)
    da_z = dz * sigmoid_grad_from_output(z)
    da_rz = np.concatenate([da_r, da_z], axis=1)
    da_x = np.concatenate([da_rz, da_n], axis=1)
    dh_prev = dh_prev + da_rz @ W_hrz
    grads = {
        "x": da_x @ cache["weight_ih"],
        "h_prev": dh_prev,
        "weight_ih": da_x.T @ x,
        "weight_hh": np.concatenate([da_rz.T @ h_prev, da_hn.T @ h_into_n], axis=0),
        "bias_ih": da_x.sum(axis=0),
        "bias_hh": np.concatenate([da_rz, da_hn], axis=1).sum(axis=0),
    }
    return _finish(grads, unbatched)
