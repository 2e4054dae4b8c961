"""The speed kernels behind ``layers``: forward and BPTT loops for the RNN, LSTM and GRU.

The maths is exactly that of ``cells`` (row form, PyTorch's layout), run over T time
steps and arranged for speed. Each trick was measured (DESIGN.md §7):

- the RNN: the input projections ``x_t W_ih^T + b`` of all time steps, (T, B, I) ->
  (T, B, H), are one matmul before the loop; the LSTM instead appends ``[x_t; 1]`` to
  ``h_{t-1}`` so that one matmul per step gives the whole pre-activation (fewer numpy
  calls at batch 1, larger matmuls at large batches); the GRU does that for r and z
  (``[x_t; h_{t-1}; 1]``) and keeps n's two sides apart, because r multiplies the
  hidden side ``h_{t-1} W_hn^T + b_hn`` (or, with ``reset="before"``, ``h_{t-1}``): its
  input side ``x_t W_in^T + b_in`` is one matmul before the loop, its hidden side a
  second matmul per step (at batch 1 folded into the first, with zeros for x);
- each step does few fused matmuls, into preallocated buffers, in place (temporaries
  cost as much as the arithmetic);
- gate values and their gradients are stored so that every elementwise operation of a
  step runs on contiguous memory (numpy pays per row of a strided view): one (T, B, H)
  plane for the RNN, and for the LSTM and GRU a feature-major layout, (features, B) per
  step, whose gate blocks are contiguous rows (and whose per-step matmul ``W [h; x; 1]``
  OpenBLAS runs faster than the row form at batch > 1);
- the LSTM's four gates go through one ``tanh``: ``sigmoid(a) = (1 + tanh(a/2)) / 2``,
  with the weight rows of the sigmoid gates scaled by 0.5 for the pass (exact in
  floating point) and the gates reordered to o, i, f, g so that the sigmoid gates form
  one contiguous block; the GRU's r and z go through one sigmoid, in float64 as
  ``1 / (1 + exp(-a))`` (weight rows scaled by -1) and in float32 as the tanh form
  (scaled by 0.5), the quicker of the two for each dtype on this machine;
- backward precomputes the elementwise coefficients of a block of time steps at once
  (all of them when batch*hidden is small), loops with one multiply and one matmul per
  step (the GRU with ``reset="before"``: two of each), and gathers the weight gradients
  in few large matmuls (per gate after the loop for the RNN; for the LSTM and GRU one
  per block of time steps, the bias in the same matmul: the LSTM's weight_hh, weight_ih
  and bias together, the GRU's input side ``[1; x]`` and hidden side ``[h; 1]`` apart);
- the LSTM's and GRU's per-step and weight-gradient matmuls run as one stacked matmul
  over row blocks small enough (M*N*K <= 100**3) for OpenBLAS's small-matrix kernel,
  which skips packing the operands (20-25% quicker on these shapes;
  ``_kernels_lstm._row_splits``);
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

from itertools import repeat

import numpy as np

from ._kernels_base import (
    _BLOCK,
    _blocks,
    _gather,
    _project_inputs,
    _reversed_steps,
    _weight_grad,
    _workspace,
)
from ._kernels_lstm import _row_splits, lstm_backward, lstm_forward

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
#
# The GRU works feature-major inside, like the LSTM (``_kernels_lstm``): per time step an
# array is (features, B), every gate block is contiguous rows, and the per-step matmuls
# are the column form ``W x`` in row blocks for OpenBLAS's small-matrix kernel (the row
# form at batch 1).
#
# - HX (T+1, I+H+2, B): step t holds [1; x_t; h_{t-1}; 1], so that [x; h; 1] (r and z),
#   [h; 1] (the hidden side of n, "after") and [1; x] (the input side) are contiguous.
#   r and z come from one matmul with [W_i W_h b]; n's input side x W_in^T + b_in of all
#   steps is one matmul before the loop; its hidden side is a second matmul per step,
#   [W_hn b_hn] [h; 1] ("after", where r multiplies it) or W_hn (r*h) ("before").
# - G (T, 4H, B): step t holds r, z, then W_hn h + b_hn ("after") or r*h ("before"),
#   then n. r and z go through one sigmoid: 1 / (1 + exp(-a)) in float64, (1 +
#   tanh(a/2)) / 2 in float32 (the quicker of the two on this machine for each dtype),
#   with the weight rows scaled by -1 or 0.5 (exact).
# - D (T+1, 6H, B) in the backward: "after", [d_out_{t-1}; dh*z; da_hn; da_r; da_z;
#   da_n] with da_hn = da_n * r: one multiply of dh with 5 precomputed coefficient blocks
#   writes rows H..6H, one matmul [W_hn; W_hr; W_hz]^T [da_hn; da_r; da_z] gives dh_{t-1}
#   (at batch 1 the output gradient and dh*z are folded into that matmul). "before",
#   [d_out_{t-1}; d(rh)*r; da_r; da_z; da_n; dh*z], with d(rh) = W_hn^T da_n in between.
#   [da_r; da_z; da_n] are contiguous for dx, the hidden-side gradients for dh_{t-1}; the
#   weight gradients are one matmul per block of steps for each side.


def _gru_sigmoid_form(dtype):
    """(scale of the r, z weight rows, True for the tanh form) for this dtype."""
    return (0.5, True) if dtype == np.float32 else (-1.0, False)


def gru_forward(X, states, W_ih, W_hh, b_ih, b_hh, reset):
    """r, z, n as in ``cells.gru_step`` (row form), h_t = (1-z)*n + z*h_{t-1}, all (B, H).

    ``reset`` is "after" (n reads r * (h_{t-1} W_hn^T + b_hn)) or "before" (n reads
    (r * h_{t-1}) W_hn^T + b_hn). The cache keeps HX and the gates G, feature-major (see
    above).
    """
    T, B, I = X.shape
    H = W_hh.shape[1]
    dtype = X.dtype
    after = reset == "after"
    scale, tanh_form = _gru_sigmoid_form(dtype)
    K = I + H + 2
    HX = np.empty((T + 1, K, B), dtype)  # [1; x_t; h_{t-1}; 1]
    HX[:, 0] = 1.0
    HX[:, K - 1] = 1.0
    HX[:T, 1 : I + 1] = X.transpose(0, 2, 1)
    HX[T, 1 : I + 1] = 0.0
    HX[0, I + 1 : I + 1 + H] = states[0].T
    W_rz = np.empty((2 * H, K - 1), dtype)  # [W_i W_h b] for [x; h; 1], rows r, z
    np.multiply(W_ih[: 2 * H], scale, out=W_rz[:, :I])
    np.multiply(W_hh[: 2 * H], scale, out=W_rz[:, I : I + H])
    np.multiply(b_ih[: 2 * H] + b_hh[: 2 * H], scale, out=W_rz[:, I + H])
    if after:
        W_n = np.concatenate([W_hh[2 * H :], b_hh[2 * H :, None]], axis=1)  # for [h; 1]
        b_n = b_ih[2 * H :]
    else:
        W_n = np.ascontiguousarray(W_hh[2 * H :])  # for r*h
        b_n = b_ih[2 * H :] + b_hh[2 * H :]
    G = np.empty((T, 4 * H, B), dtype)  # r, z, hidden side of n (or r*h), n
    if B == 1:  # input side of n, all steps: one matmul
        xn = np.dot(X.reshape(T, I), W_ih[2 * H :].T)
        xn += b_n
        G[:, 3 * H :, 0] = xn
    else:  # [b_in W_in] [1; x_t] straight into G, one stacked matmul
        W_x = np.empty((H, I + 1), dtype)
        W_x[:, 0] = b_n
        W_x[:, 1:] = W_ih[2 * H :]
        np.matmul(W_x, HX[:T, : I + 1], out=G[:, 3 * H :])
    tmp = np.empty((H, B), dtype)
    c1, c2 = (np.array(0.5, dtype),) * 2 if tanh_form else (np.array(1.0, dtype),) * 2
    Kx = K - 1  # rows of [x; h; 1]
    if B == 1:  # row form: a^T = hx^T W^T
        rz_lefts = HX[:-1, 1:].reshape(T, 1, Kx)
        rz_rights = repeat(np.ascontiguousarray(W_rz.T))
        rz_outs = G[:, : 2 * H].reshape(T, 1, 2 * H)
        n_rights = repeat(np.ascontiguousarray(W_n.T))
        n_outs_T = tmp.reshape(1, H)
        rz_dot = n_dot = np.dot
        if after:  # one matmul for r, z and hn: [W_hn b_hn] padded with zeros for x
            W_f = np.zeros((3 * H, Kx), dtype)
            W_f[: 2 * H] = W_rz
            W_f[2 * H :, I:] = W_n
            rz_rights = repeat(np.ascontiguousarray(W_f.T))
            rz_outs = G[:, : 3 * H].reshape(T, 1, 3 * H)
            n_lefts = n_rights = n_outs = repeat(None)
        else:
            n_lefts = G[:, 2 * H : 3 * H].reshape(T, 1, H)
    else:  # column form a = W hx, in row blocks of one stacked matmul (small kernel)
        n1 = _row_splits(2 * H, Kx, B)
        rz_rights = HX[:-1, 1:]
        if n1 > 1:
            rz_lefts, rz_dot = repeat(W_rz.reshape(n1, -1, Kx)), np.matmul
            rz_outs = G[:, : 2 * H].reshape(T, n1, -1, B)
        else:
            rz_lefts, rz_dot, rz_outs = repeat(W_rz), np.dot, G[:, : 2 * H]
        n2 = _row_splits(H, W_n.shape[1], B)
        n_lefts = repeat(W_n.reshape(n2, -1, W_n.shape[1]) if n2 > 1 else W_n)
        n_dot = np.matmul if n2 > 1 else np.dot
        if after:
            n_rights = HX[:-1, I + 1 :]
            n_outs = G[:, 2 * H : 3 * H].reshape(T, n2, -1, B) if n2 > 1 else G[:, 2 * H : 3 * H]
        else:
            n_rights = G[:, 2 * H : 3 * H]
            n_outs_T = tmp.reshape(n2, -1, B) if n2 > 1 else tmp
    if not after:
        n_outs = repeat(n_outs_T)
    exp, tanh, multiply, add, subtract, divide = (
        np.exp,
        np.tanh,
        np.multiply,
        np.add,
        np.subtract,
        np.divide,
    )
    for rz_left, rz_right, rz_out, rz, r, z, hn, n, n_left, n_right, n_out, h_prev, h in zip(
        rz_lefts,
        rz_rights,
        rz_outs,
        G[:, : 2 * H],
        G[:, :H],
        G[:, H : 2 * H],
        G[:, 2 * H : 3 * H],
        G[:, 3 * H :],
        n_lefts,
        n_rights,
        n_outs,
        HX[:-1, I + 1 : I + 1 + H],
        HX[1:, I + 1 : I + 1 + H],
    ):
        rz_dot(rz_left, rz_right, rz_out)  # [a_r; a_z] = W [x; h_prev; 1] (scaled)
        if tanh_form:
            tanh(rz, rz)
            multiply(rz, c1, rz)
            add(rz, c2, rz)  # r, z = (1 + tanh(a/2)) / 2
        else:
            exp(rz, rz)
            add(rz, c1, rz)
            divide(c2, rz, rz)  # r, z = 1 / (1 + exp(-a))
        if after:
            if n_out is not None:  # (at batch 1 the first matmul gave it)
                n_dot(n_left, n_right, n_out)  # hn = W_hn h_prev + b_hn
            multiply(r, hn, tmp)
        else:
            multiply(r, h_prev, hn)  # r * h_prev
            n_dot(n_left, n_right, n_out)  # tmp = W_hn (r * h_prev)
        add(n, tmp, n)
        tanh(n, n)
        subtract(h_prev, n, tmp)
        multiply(tmp, z, tmp)
        add(n, tmp, h)  # h = n + z * (h_prev - n)
    hs = HX[:, I + 1 : I + 1 + H].transpose(0, 2, 1)  # (T+1, B, H) view
    return (hs,), {"X": X, "HX": HX, "gates": G, "reset": reset}


def _gru_coefficients(G, HX, I, start, stop, after, out, out2, omz):
    """The backward's elementwise coefficients of steps start..stop-1 (see above).

    "after": out (steps, 5, H, B) <- [z; k_n*r; k_r; k_z; k_n], so that dh times them
    gives [dh*z; da_hn; da_r; da_z; da_n]. "before": out (steps, 3, H, B) <- [k_z; k_n;
    z] (dh times them: [da_z; da_n; dh*z]) and out2 (steps, 2, H, B) <- [r; k_r] (d(rh)
    times them: [d(rh)*r; da_r]). With k_n = (1-z)(1-n^2), k_z = (h_prev-n) z (1-z),
    and k_r = k_n hn r (1-r) ("after") or h_prev r (1-r) = rh - rh*r ("before").
    omz (steps, H, B) is scratch.
    """
    steps = stop - start
    H = G.shape[1] // 4
    G4 = G[start:stop].reshape(steps, 4, H, -1)
    r, z, hn, n = G4[:, 0], G4[:, 1], G4[:, 2], G4[:, 3]
    h_prev = HX[start:stop, I + 1 : I + 1 + H]
    one = np.array(1.0, G.dtype)
    if after:
        z_out, k_nr, k_r, k_z, k_n = (out[:, k] for k in range(5))
    else:
        k_z, k_n, z_out = (out[:, k] for k in range(3))
        r_out, k_r = out2[:, 0], out2[:, 1]
    np.subtract(one, z, out=omz)  # 1 - z
    np.multiply(n, n, out=k_n)
    np.subtract(one, k_n, out=k_n)
    k_n *= omz  # (1-z)(1-n^2)
    np.subtract(h_prev, n, out=k_z)
    k_z *= z
    k_z *= omz  # (h_prev-n) z (1-z)
    np.copyto(z_out, z)
    if after:
        np.multiply(k_n, r, out=k_nr)
        np.multiply(k_nr, hn, out=k_r)
        np.subtract(one, r, out=omz)
        k_r *= omz  # k_n hn r (1-r)
    else:
        np.multiply(hn, r, out=omz)
        np.subtract(hn, omz, out=k_r)  # rh - rh*r = h_prev r (1-r)
        np.copyto(r_out, r)


def gru_backward(cache, d_outputs, d_states, W_ih, W_hh):
    """BPTT of ``gru_forward``, for the ``reset`` convention stored in the cache; the
    gradients come back in PyTorch's gate order r, z, n."""
    X, HX, G, reset = (cache[k] for k in ("X", "HX", "gates", "reset"))
    T, B, I = X.shape
    H = W_hh.shape[1]
    K = I + H + 2
    dtype = X.dtype
    after = reset == "after"
    steps = max(1, _BLOCK // (B * H))  # time steps per block
    D = _workspace("gru_D", (T + 1, 6 * H, B), dtype)
    dh = np.array(d_states[0].T, order="C", dtype=dtype)  # (H, B)
    if d_outputs is not None:
        dh += d_outputs[T - 1].T
    dh3 = dh.reshape(1, H, B)
    nsteps = min(steps, T)
    coefficients = np.empty((nsteps, 5 if after else 3, H, B), dtype)
    coefficients2 = None if after else np.empty((nsteps, 2, H, B), dtype)
    scratch = np.empty((nsteps, H, B), dtype)
    W_hn = W_hh[2 * H :]
    if after:  # dh_prev = [W_hn; W_hr; W_hz]^T [da_hn; da_r; da_z] (+ dh*z + d_out)
        W_h = np.concatenate([W_hn, W_hh[: 2 * H]])  # (3H, H)
    else:  # dh_prev = W_hrz^T [da_r; da_z] (+ d(rh)*r + dh*z + d_out)
        W_h = np.ascontiguousarray(W_hh[: 2 * H])  # (2H, H)
    back = slice(None, None, -1)
    if B == 1:  # row form
        dh_out = dh.reshape(1, H)
        if after:
            if d_outputs is not None:
                D[0, :H] = 0.0
                D[1:T, :H] = d_outputs[: T - 1].reshape(T - 1, H, 1)
                lefts = D[:, : 5 * H].reshape(T + 1, 1, 5 * H)
                eye = np.eye(H, dtype=dtype)
                W_rows = np.concatenate([eye, eye, W_h])
            else:
                lefts = D[:, H : 5 * H].reshape(T + 1, 1, 4 * H)
                W_rows = np.concatenate([np.eye(H, dtype=dtype), W_h])
        else:
            lefts = D[:, 2 * H : 4 * H].reshape(T + 1, 1, 2 * H)
            da_n_rows = D[:, 4 * H : 5 * H].reshape(T + 1, 1, H)
            W_rows = W_h
            W_n_rows = np.ascontiguousarray(W_hn)
            d_rh = np.empty((H, 1), dtype)
            d_rh_out = d_rh.reshape(1, H)
    else:  # column form, in row blocks (small kernel)
        W_left = np.ascontiguousarray(W_h.T)  # (H, 3H) or (H, 2H)
        n = _row_splits(H, W_left.shape[1], B)
        dh_rows, matmul = dh, np.dot
        if n > 1:
            W_left, dh_rows, matmul = W_left.reshape(n, H // n, -1), dh.reshape(n, -1, B), np.matmul
        if not after:
            W_n_left = np.ascontiguousarray(W_hn.T)  # (H, H)
            d_rh = np.empty((H, B), dtype)
            n_n = _row_splits(H, H, B)
            d_rh_rows, matmul_n = d_rh, np.dot
            if n_n > 1:
                W_n_left = W_n_left.reshape(n_n, H // n_n, H)
                d_rh_rows, matmul_n = d_rh.reshape(n_n, -1, B), np.matmul
        d_outs_T = None if d_outputs is None else d_outputs.transpose(0, 2, 1)
        rows = 4 * H if after else 3 * H  # the block's gradient rows D[2H : 2H + rows]
        dWx = np.zeros((3 * H, I + 1), dtype)  # [bias_ih weight_ih], rows r, z, n
        dWh = np.zeros((3 * H, H + 1), dtype)  # "after": [weight_hh bias_hh], rows n, r, z
        dWx_block = np.empty_like(dWx)
        dWh_block = np.empty_like(dWh)
        dWrz_block = None if after else np.empty((2 * H, H), dtype)
        dWn_block = None if after else np.empty((H, H), dtype)
        da_block = np.empty(rows * nsteps * B, dtype)
        hx_block = np.empty(K * nsteps * B, dtype)
        rh_block = None if after else np.empty(H * nsteps * B, dtype)
    multiply, add, dot = np.multiply, np.add, np.dot  # local names: batch 1
    for start, stop in _blocks(T, B, H):
        C = coefficients[: stop - start]
        C2 = None if after else coefficients2[: stop - start]
        _gru_coefficients(G, HX, I, start, stop, after, C, C2, scratch[: stop - start])
        D6 = D[start:stop].reshape(stop - start, 6, H, B)
        if B == 1 and after:
            for c, d5, left in zip(C[back], D6[back, 1:], lefts[start:stop][back]):
                multiply(dh3, c, d5)  # [dh*z; da_hn; da_r; da_z; da_n]
                dot(left, W_rows, dh_out)  # dh_prev = [d_out_prev, dh*z, da_h] [1; 1; W_h]
            continue
        if B == 1:  # "before"
            for t, c, c2, d3, d2, left, da_n in zip(
                range(stop - 1, start - 1, -1),
                C[back],
                C2[back],
                D6[back, 3:],
                D6[back, 1:3],
                lefts[start:stop][back],
                da_n_rows[start:stop][back],
            ):
                multiply(dh3, c, d3)  # [da_z; da_n; dh*z]
                dot(da_n, W_n_rows, d_rh_out)  # d(r*h) = W_hn^T da_n
                multiply(d_rh, c2, d2)  # [d(rh)*r; da_r]
                dot(left, W_rows, dh_out)  # W_hrz^T [da_r; da_z]
                add(dh, d2[0], dh)
                add(dh, d3[2], dh)
                if d_outputs is not None and t > 0:
                    add(dh, d_outputs[t - 1].T, dh)
            continue
        for t, c, d6, d in zip(
            range(stop - 1, start - 1, -1), C[back], D6[back], D[start:stop][back]
        ):
            if after:
                np.multiply(dh3, c, d6[1:])  # [dh*z; da_hn; da_r; da_z; da_n]
                matmul(W_left, d[2 * H : 5 * H], dh_rows)  # W_h^T [da_hn; da_r; da_z]
                np.add(dh, d6[1], dh)
            else:
                np.multiply(dh3, c, d6[3:])  # [da_z; da_n; dh*z]
                matmul_n(W_n_left, d6[4], d_rh_rows)  # d(r*h) = W_hn^T da_n
                np.multiply(d_rh, C2[t - start], d6[1:3])  # [d(rh)*r; da_r]
                matmul(W_left, d[2 * H : 4 * H], dh_rows)  # W_hrz^T [da_r; da_z]
                np.add(dh, d6[1], dh)
                np.add(dh, d6[5], dh)
            if d_outs_T is not None and t > 0:
                np.add(dh, d_outs_T[t - 1], dh)
        m = (stop - start) * B  # the block's weight gradients, one matmul per side
        a = da_block[: rows * m].reshape(rows, stop - start, B)
        hx = hx_block[: K * m].reshape(stop - start, B, K)
        np.copyto(a, D[start:stop, 2 * H : 2 * H + rows].transpose(1, 0, 2))
        np.copyto(hx, HX[start:stop].transpose(0, 2, 1))
        a, hx = a.reshape(rows, m), hx.reshape(m, K)
        a_x = a[H:] if after else a  # rows r, z, n
        _split_dot(a_x, hx[:, : I + 1], dWx_block)  # [1; x] side
        dWx += dWx_block
        if after:
            _split_dot(a[: 3 * H], hx[:, I + 1 :], dWh_block)  # rows hn, r, z; [h; 1]
            dWh += dWh_block
        else:
            rh = rh_block[: H * m].reshape(stop - start, B, H)
            np.copyto(rh, G[start:stop, 2 * H : 3 * H].transpose(0, 2, 1))
            _split_dot(a[: 2 * H], hx[:, I + 1 : I + 1 + H], dWrz_block)
            _split_dot(a[2 * H :], rh.reshape(m, H), dWn_block)
            dWh[: 2 * H, :H] += dWrz_block
            dWh[2 * H :, :H] += dWn_block
    if B == 1:
        dA = np.ascontiguousarray(D[:T, 2 * H : 6 * H if after else 5 * H].reshape(T, -1))
        HX2 = HX[:T].reshape(T, K)
        a_x = dA[:, H:] if after else dA  # rows r, z, n
        dWx = np.dot(a_x.T, HX2[:, : I + 1])
        if after:
            dWh = np.dot(dA[:, : 3 * H].T, HX2[:, I + 1 :])
        else:
            dWh = np.empty((3 * H, H + 1), dtype)
            dWh[: 2 * H, :H] = np.dot(dA[:, : 2 * H].T, HX2[:, I + 1 : I + 1 + H])
            dWh[2 * H :, :H] = np.dot(dA[:, 2 * H :].T, G[:, 2 * H : 3 * H].reshape(T, H))
        dx = np.dot(a_x, W_ih).reshape(T, 1, I)
    else:  # W_ih^T da_t (T, I, B) and a copy
        dA = D[:T, 3 * H : 6 * H] if after else D[:T, 2 * H : 5 * H]
        dx = np.matmul(np.ascontiguousarray(W_ih.T), dA)
        dx = np.ascontiguousarray(dx.transpose(0, 2, 1))  # (T, B, I)
    grads = {
        "weight_ih": np.ascontiguousarray(dWx[:, 1:]),
        "bias_ih": np.ascontiguousarray(dWx[:, 0]),
    }
    if after:  # rows hn, r, z -> r, z, n
        dWh = dWh[np.r_[H : 3 * H, 0:H]]
        grads["weight_hh"] = np.ascontiguousarray(dWh[:, :H])
        grads["bias_hh"] = np.ascontiguousarray(dWh[:, H])
    else:
        grads["weight_hh"] = np.ascontiguousarray(dWh[:, :H])
        grads["bias_hh"] = grads["bias_ih"]
    return dx, [np.ascontiguousarray(dh.T)], grads


def _split_dot(a, b, out):
    """out <- a b, in row blocks for the small-matrix kernel when that pays."""
    M, N = a.shape
    splits = _row_splits(M, N, b.shape[1])
    if splits > 1:
        np.matmul(a.reshape(splits, -1, N), b, out=out.reshape(splits, -1, out.shape[1]))
    else:
        np.dot(a, b, out)
