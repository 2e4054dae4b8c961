"""The speed kernels behind ``layers``: forward and BPTT loops for the RNN, LSTM and GRU.

The maths is exactly that of ``cells`` (row form, PyTorch's layout), run over T time
steps and arranged for speed. Each trick was measured (DESIGN.md §7):

- RNN and GRU: the input projections ``x_t W_ih^T + b`` of all time steps,
  (T, B, I) -> (T, B, G*H), are one matmul before the loop; the LSTM instead appends
  ``[x_t; 1]`` to ``h_{t-1}`` so that one matmul per step gives the whole pre-activation
  (fewer numpy calls at batch 1, larger matmuls at large batches);
- each step does one fused matmul for all gates, into preallocated buffers, in place
  (temporaries cost as much as the arithmetic);
- gate values and their gradients are stored so that every elementwise operation of a
  step runs on contiguous memory (numpy pays per row of a strided view): one (T, B, H)
  plane per gate for the RNN and GRU, and for the LSTM a feature-major layout, (features,
  B) per step, whose gate blocks are contiguous rows (and whose per-step matmul
  ``W [h; x; 1]`` OpenBLAS runs faster than the row form at batch > 1);
- the LSTM's four gates go through one ``tanh``: ``sigmoid(a) = (1 + tanh(a/2)) / 2``,
  with the weight rows of the sigmoid gates scaled by 0.5 for the pass (exact in
  floating point) and the gates reordered to o, i, f, g so that the sigmoid gates form
  one contiguous block; the GRU's r and z go through one ``exp``,
  ``sigmoid(a) = 1 / (1 + exp(-a))``, with their weight rows scaled by -1;
- backward precomputes the elementwise coefficients of a block of time steps at once
  (all of them when batch*hidden is small), loops with one matmul per step, and gathers
  the weight gradients in few large matmuls (per gate after the loop for the RNN and GRU;
  for the LSTM one per block of time steps, weight_hh, weight_ih and the bias together);
- the LSTM's per-step and weight-gradient matmuls run as one stacked matmul over row
  blocks small enough (M*N*K <= 100**3) for OpenBLAS's small-matrix kernel, which skips
  packing the operands (20-25% quicker on these shapes; ``_kernels_lstm._row_splits``);
- float32 stays float32 end to end (tests/test_kernels_dtype.py checks results and
  memory); constants are 0-d arrays or Python floats, never float64 arrays.

Every kernel pair has the same contract (G = 1 RNN, 4 LSTM, 3 GRU):

- ``sequences, cache = <cell>_forward(X, states, W_ih, W_hh, b_ih, b_hh)``: X (T, B, I),
  states a list of (B, H) arrays ([h], or [h, c] for the LSTM), weights (G*H, I) and
  (G*H, H), biases (G*H,). ``sequences`` holds one (T+1, B, H) array per state, the
  initial state at index 0; ``cache`` is what the backward needs.
- ``dx, d_initial, grads = <cell>_backward(cache, d_outputs, d_states, W_ih, W_hh)``:
  d_outputs (T, B, H) or None, d_states like ``states`` -> dx (T, B, I), a list of
  (B, H) gradients w.r.t. the initial states, and the parameter gradients under
  PyTorch's names (``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``).

Inputs are already checked by ``layers``; these functions check nothing. The results
agree with ``cells`` to rounding:

    >>> from lstm_gru_course.cells import lstm_step
    >>> T, B, I, H = 3, 2, 4, 5
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(T, B, I))
    >>> W_ih, W_hh = rng.normal(size=(4 * H, I)), rng.normal(size=(4 * H, H))
    >>> b_ih, b_hh = rng.normal(size=4 * H), rng.normal(size=4 * H)
    >>> h = c = np.zeros((B, H))
    >>> (hs, cs), cache = lstm_forward(X, [h, c], W_ih, W_hh, b_ih, b_hh)
    >>> for x in X:
    ...     h, c, _ = lstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh)
    >>> hs.shape, np.allclose(hs[-1], h), np.allclose(cs[-1], c)
    ((4, 2, 5), True, True)
"""

from __future__ import annotations

import numpy as np

from ._kernels_base import (
    _blocks,
    _empty_planes,
    _gate_planes,
    _gather,
    _project_inputs,
    _reversed_rows,
    _reversed_steps,
    _times_weights,
    _weight_grad,
)
from ._kernels_lstm import lstm_backward, lstm_forward

__all__ = [
    "rnn_forward",
    "rnn_backward",
    "lstm_forward",
    "lstm_backward",
    "gru_forward",
    "gru_backward",
]

# The shared helpers live in ``_kernels_base`` and the LSTM kernels (with the notes on
# their feature-major layout) in ``_kernels_lstm``; this module keeps the RNN and GRU.


# ---------------------------------------------------------------- RNN kernels


def rnn_forward(X, states, W_ih, W_hh, b_ih, b_hh):
    """h_t = tanh(x_t W_ih^T + h_{t-1} W_hh^T + b_ih + b_hh), (B, H), for t = 1..T."""
    A = _project_inputs(X, W_ih, b_ih + b_hh)
    Wh = np.ascontiguousarray(W_hh.T)
    hs = np.empty((X.shape[0] + 1,) + states[0].shape, X.dtype)
    hs[0] = states[0]
    for a, h_prev, h in zip(A, hs[:-1], hs[1:]):
        np.dot(h_prev, Wh, out=h)
        h += a
        np.tanh(h, out=h)  # h = tanh(x W_ih^T + h_prev W_hh^T + b)
    return (hs,), {"X": X, "hs": hs}


def rnn_backward(cache, d_outputs, d_states, W_ih, W_hh):
    """BPTT of ``rnn_forward``: da_t = dh_t * (1 - h_t**2), dh_{t-1} = da_t W_hh, (B, H)."""
    X, hs = cache["X"], cache["hs"]
    T, B, H = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    dA = np.empty((T, B, H), X.dtype)
    dh = d_states[0].copy()
    for start, stop in _blocks(T, B, H):
        K = hs[start + 1 : stop + 1] ** 2
        np.subtract(1.0, K, out=K)  # tanh'(a) = 1 - h**2
        for d_out, k, da in zip(
            _reversed_steps(d_outputs, start, stop), K[::-1], dA[start:stop][::-1]
        ):
            if d_out is not None:
                dh += d_out
            np.multiply(dh, k, out=da)
            np.dot(da, W_hh, out=dh)
    grads, dx = _gather(dA[None], X, W_ih)
    grads["weight_hh"] = _weight_grad(dA[None], hs[:-1])
    grads["bias_hh"] = grads["bias_ih"]
    return dx, [dh], grads


# ---------------------------------------------------------------- GRU kernels


def gru_forward(X, states, W_ih, W_hh, b_ih, b_hh, reset):
    """r, z, n as in ``cells.gru_step`` (row form), h_t = (1-z)*n + z*h_{t-1}, all (B, H).

    ``reset`` is "after" (n reads r * (h_{t-1} W_hn^T + b_hn)) or "before" (n reads
    (r * h_{t-1}) W_hn^T + b_hn); the cache keeps whichever of the two r multiplies.
    """
    T, B, _ = X.shape
    H = W_hh.shape[1]
    scale = np.ones((3 * H, 1), X.dtype)
    scale[: 2 * H] = -1.0  # r, z are sigmoids: exp(-a)
    b_h = b_hh * scale[:, 0]
    bias = b_ih * scale[:, 0]
    bias[: 2 * H] += b_h[: 2 * H]  # b_hr, b_hz join the input side
    if reset == "before":
        bias[2 * H :] += b_h[2 * H :]  # b_hn is outside the reset there
    AX = _gate_planes(X, W_ih * scale, bias, 3)  # (3, T, B, H): r, z, n
    Wh = np.ascontiguousarray((W_hh * scale).T)  # (H, 3H)
    Wh_rz, Wh_n = np.ascontiguousarray(Wh[:, : 2 * H]), np.ascontiguousarray(Wh[:, 2 * H :])
    hs = np.empty((T + 1, B, H), X.dtype)
    hs[0] = states[0]
    inner = np.empty((T, B, H), X.dtype)  # h W_hn^T + b_hn, or r * h
    hidden = np.empty((B, 3 * H if reset == "after" else 2 * H), X.dtype)
    tmp = np.empty((B, H), X.dtype)
    hidden3 = hidden.reshape(B, -1, H)
    hidden_rz, hidden_n, b_hn = hidden3[:, :2].transpose(1, 0, 2), hidden3[:, -1], b_h[2 * H :]
    for rz, r, z, n, h_prev, inner_t, h in zip(
        AX[:2].transpose(1, 0, 2, 3), AX[0], AX[1], AX[2], hs[:-1], inner, hs[1:]
    ):
        np.dot(h_prev, Wh if reset == "after" else Wh_rz, out=hidden)
        rz += hidden_rz
        np.exp(rz, out=rz)
        rz += 1.0
        np.divide(1.0, rz, out=rz)  # r, z = sigmoid(.)
        if reset == "after":
            np.add(hidden_n, b_hn, out=inner_t)
            np.multiply(r, inner_t, out=tmp)  # r * (h W_hn^T + b_hn)
        else:
            np.multiply(r, h_prev, out=inner_t)
            np.dot(inner_t, Wh_n, out=tmp)  # (r * h) W_hn^T
        n += tmp
        np.tanh(n, out=n)
        np.subtract(h_prev, n, out=tmp)
        tmp *= z
        np.add(n, tmp, out=h)  # h = (1-z)*n + z*h_prev
    return (hs,), {"X": X, "hs": hs, "gates": AX, "inner": inner, "reset": reset}


def gru_backward(cache, d_outputs, d_states, W_ih, W_hh):
    """BPTT of ``gru_forward``, for the ``reset`` convention stored in the cache."""
    X, hs, AX, inner, reset = (cache[k] for k in ("X", "hs", "gates", "inner", "reset"))
    T, B, H = inner.shape
    dA = _empty_planes(3, T, B, H, X.dtype)  # d pre-activations, hidden side
    dH = np.empty((T, B, H), X.dtype)  # dLoss/dh_t, all t
    dh_next = d_states[0].copy()
    tmp = np.empty((B, H), X.dtype)
    d_rh = np.empty((B, H), X.dtype)
    scratch = np.empty((3, B, H), X.dtype)
    W_planes = W_hh.reshape(3, H, H)
    W_hrz, W_hn = W_hh[: 2 * H], W_hh[2 * H :]
    for start, stop in _blocks(T, B, H):
        r, z, n = AX[:, start:stop]
        h_prev = hs[start:stop]
        K_n = (1.0 - z) * (1.0 - n * n)  # dA_n = dh * K_n
        K = np.empty((3, stop - start, B, H), X.dtype)
        np.multiply((h_prev - n) * z, 1.0 - z, out=K[1])
        if reset == "after":
            np.multiply(K_n * inner[start:stop], r * (1.0 - r), out=K[0])
            np.multiply(K_n, r, out=K[2])
        else:
            np.multiply(h_prev * r, 1.0 - r, out=K[0])  # times d(r*h) = dA_n W_hn
            K[2] = K_n
        back = slice(None, None, -1)
        for d_out, dh, k, z_t, r_t, da, row in zip(
            _reversed_steps(d_outputs, start, stop),
            dH[start:stop][back],
            K.transpose(1, 0, 2, 3)[back],
            z[back],
            r[back],
            dA[:, start:stop].transpose(1, 0, 2, 3)[back],
            _reversed_rows(dA[:, start:stop]),
        ):
            if d_out is not None:
                np.add(dh_next, d_out, out=dh)
            else:
                np.copyto(dh, dh_next)
            if reset == "after":
                np.multiply(dh, k, out=da)
                np.multiply(dh, z_t, out=dh_next)
                _times_weights(da, row, W_hh, W_planes, scratch, tmp)
            else:
                np.multiply(dh, k[1:], out=da[1:])
                np.dot(da[2], W_hn, out=d_rh)
                np.multiply(d_rh, k[0], out=da[0])
                np.multiply(dh, z_t, out=dh_next)
                d_rh *= r_t
                dh_next += d_rh
                _times_weights(
                    da[:2],
                    None if row is None else row[:, : 2 * H],
                    W_hrz,
                    W_planes[:2],
                    scratch[:2],
                    tmp,
                )
            dh_next += tmp
    if reset == "after":
        weight_hh = _weight_grad(dA, hs[:-1])
        bias_hh = np.matmul(np.ones(T * B, X.dtype), dA.reshape(3, T * B, H)).reshape(3 * H)
        _, z, n = AX  # x side of n: no factor r
        np.multiply(dH, (1.0 - z) * (1.0 - n * n), out=dA[2])
    else:  # W_hn saw r * h_prev
        weight_hh = np.concatenate([_weight_grad(dA[:2], hs[:-1]), _weight_grad(dA[2:], inner)])
        bias_hh = None  # the same as bias_ih
    grads, dx = _gather(dA, X, W_ih)
    grads["weight_hh"] = weight_hh
    grads["bias_hh"] = grads["bias_ih"] if reset == "before" else bias_hh
    return dx, [dh_next], grads
