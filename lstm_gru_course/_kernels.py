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

import threading
from itertools import repeat

import numpy as np

__all__ = [
    "rnn_forward",
    "rnn_backward",
    "lstm_forward",
    "lstm_backward",
    "gru_forward",
    "gru_backward",
]

# Elementwise work on a block of about this many numbers stays in cache; the backward
# coefficients are computed for as many time steps at once as fit in such a block.
_BLOCK = 16384


def _blocks(T, B, H):
    """Time blocks (start, stop), last first, of about ``_BLOCK / (B*H)`` steps each."""
    steps = max(1, _BLOCK // (B * H))
    return [(max(0, stop - steps), stop) for stop in range(T, 0, -steps)]


_workspaces = threading.local()
_WORKSPACE_MAX_BYTES = 2**27  # 128 MB


def _workspace(name, shape, dtype):
    """A scratch array of this thread, reused from call to call (its contents are garbage).

    Fresh memory of tens of megabytes costs a page fault per 4 kB on first touch,
    measurably at large batches; nothing that leaves a kernel may live in a workspace.
    Buffers above ``_WORKSPACE_MAX_BYTES`` are not kept (memory over speed).
    """
    size = int(np.prod(shape))
    key = (name, np.dtype(dtype).str)
    buffers = getattr(_workspaces, "buffers", {})
    buffer = buffers.get(key)
    if buffer is None or buffer.size < size:
        buffer = np.empty(size, dtype)
        if buffer.nbytes <= _WORKSPACE_MAX_BYTES:
            _workspaces.buffers = {**buffers, key: buffer}
    return buffer[:size].reshape(shape)


def _reversed_steps(d_outputs, start, stop):
    """d_outputs[t] for t = stop-1 ... start (None for each step when there are none)."""
    return repeat(None) if d_outputs is None else d_outputs[start:stop][::-1]


def _project_inputs(X, W, bias):
    """``x_t W^T + bias`` for all time steps in one matmul: (T, B, I) -> (T, B, rows of W)."""
    T, B, _ = X.shape
    A = np.dot(X.reshape(T * B, -1), np.ascontiguousarray(W.T)).reshape(T, B, -1)
    A += bias
    return A


def _gate_planes(X, W, bias, gates):
    """Input projections as one contiguous (T, B, H) plane per gate: (gates, T, B, H).

    Each gate of each step is then a contiguous block, which elementwise numpy needs to
    run at full speed. At batch 1 the row-major result already has that property.
    """
    T, B, I = X.shape
    H = W.shape[0] // gates
    if B == 1:
        A = np.dot(X.reshape(T, I), np.ascontiguousarray(W.T))
        A = A.reshape(T, 1, gates, H).transpose(2, 0, 1, 3)
    else:
        A = np.matmul(X.reshape(T * B, I), W.reshape(gates, H, I).transpose(0, 2, 1))
        A = A.reshape(gates, T, B, H)
    A += bias.reshape(gates, 1, 1, H)
    return A


def _empty_planes(gates, T, B, H, dtype):
    """An uninitialised (gates, T, B, H) buffer laid out like ``_gate_planes``."""
    if B == 1:
        return np.empty((T, 1, gates, H), dtype).transpose(2, 0, 1, 3)
    return np.empty((gates, T, B, H), dtype)


def _reversed_rows(planes):
    """At batch 1, each step's gates as one (1, gates*H) row (a view), last step first;
    at larger batches None for every step."""
    G, T, B, H = planes.shape
    if B > 1:
        return repeat(None)
    return planes.transpose(1, 2, 0, 3).reshape(T, 1, G * H)[::-1]


def _times_weights(da, row, W, W_planes, scratch, out):
    """``out <- sum over gates k of da[k] @ W[k-th block of rows]``: one step of BPTT.

    da (G, B, H) in planes; at batch 1 ``row`` is the same numbers as one (1, G*H) row
    and a single dot does it; else one stacked matmul and a sum over the gates.
    """
    if row is not None:
        np.dot(row, W, out=out)
    else:
        np.matmul(da, W_planes, out=scratch)
        np.sum(scratch, axis=0, out=out)


def _weight_grad(dA, inputs):
    """Sum over all steps of ``dA_t^T inputs_t``, one matmul per gate: (G*H, width)."""
    G, T, B, H = dA.shape
    P = dA.reshape(G, T * B, H).transpose(0, 2, 1)
    return np.matmul(P, inputs.reshape(T * B, -1)).reshape(G * H, -1)


def _gather(dA, X, W_ih):
    """After the loop: input weight and bias gradients, and dx, from dA (G, T, B, H)."""
    G, T, B, H = dA.shape
    P = dA.reshape(G, T * B, H)
    grads = {
        "weight_ih": _weight_grad(dA, X),
        "bias_ih": np.matmul(np.ones(T * B, dA.dtype), P).reshape(G * H),
    }
    dx = np.matmul(P, W_ih.reshape(G, H, -1)).sum(axis=0)
    return grads, dx.reshape(X.shape)


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


# ---------------------------------------------------------------- LSTM kernels
#
# The LSTM works feature-major inside: per time step an array is (features, B), so that
# every gate is one contiguous block of rows and every elementwise operation runs on
# contiguous memory at any batch size. The profile and the measurements behind each
# choice are in benchmarks/README.md.
#
# - HX (T+1, H+I+1, B): step t holds [h_{t-1}; x_t; 1]. One matmul per step with the
#   stacked weights [W_hh W_ih b] gives the whole pre-activation (no separate input
#   projection, no add), and after the loop one matmul dA HX^T gives weight_hh,
#   weight_ih and the bias gradient together.
# - G (T+1, 5H, B): step t holds the gates in the internal order o, i, f, g (the three
#   sigmoid gates one block, so one tanh serves all four) and then c_{t-1}, so that
#   [i; f] * [g; c_{t-1}] is one multiply.
# - D (T+1, 6H, B) in the backward: step t holds [d_out_{t-1}; da_o; da_i; da_f; da_g;
#   dc*f]; one multiply writes [da_i; da_f; da_g; dc*f], and at batch 1 one matmul of
#   [d_out_{t-1}; da] with [1 W_hh^T] gives dh_{t-1}.
# - At batch 1, (features, 1) and (1, features) are the same memory; the matmuls then
#   take the row form x W^T, which OpenBLAS runs faster than the column form there.
#   At larger batches the column form W x is the faster one.


def _lstm_internal_order(H):
    """Rows of PyTorch's i, f, g, o blocks in the internal order o, i, f, g."""
    return np.r_[3 * H : 4 * H, 0 : 3 * H]


def _feature_major(a):
    """(T, B, n) -> (T, n, B), contiguous."""
    return np.ascontiguousarray(a.transpose(0, 2, 1))


def lstm_forward(X, states, W_ih, W_hh, b_ih, b_hh):
    """a_t = x_t W_ih^T + h_{t-1} W_hh^T + b (B, 4H); c_t = f*c_{t-1} + i*g, h_t = o*tanh(c_t).

    The cache keeps HX, the gates G and tanh(c_t), feature-major (see above).
    """
    T, B, I = X.shape
    H = W_hh.shape[1]
    dtype = X.dtype
    order = _lstm_internal_order(H)
    scale = np.full((4 * H, 1), 0.5, dtype)  # sigmoid(a) = (1 + tanh(a/2)) / 2
    scale[3 * H :] = 1.0  # g = tanh(a)
    K = H + I + 1
    W = np.empty((4 * H, K), dtype)  # [W_hh W_ih b], rows o, i, f, g
    np.multiply(W_hh[order], scale, out=W[:, :H])
    np.multiply(W_ih[order], scale, out=W[:, H : H + I])
    np.multiply((b_ih + b_hh)[order, None], scale, out=W[:, H + I :])
    HX = np.empty((T + 1, K, B), dtype)
    HX[0, :H] = states[0].T
    HX[:T, H : H + I] = X.transpose(0, 2, 1)
    HX[T, H : H + I] = 0.0
    HX[:, H + I] = 1.0
    G = np.empty((T + 1, 5 * H, B), dtype)
    G[0, 4 * H :] = states[1].T
    tanh_cs = np.empty((T, H, B), dtype)
    products = np.empty((2 * H, B), dtype)  # [i*g; f*c_prev]
    ig, fc = products[:H], products[H:]
    half = np.array(0.5, dtype)  # a 0-d array is quicker than 0.5
    if B == 1:  # row form: a^T = hx^T W^T
        lefts, rights = HX[:-1].reshape(T, 1, K), repeat(np.ascontiguousarray(W.T))
        outs = G[:-1, : 4 * H].reshape(T, 1, 4 * H)
    else:  # column form: a = W hx
        lefts, rights, outs = repeat(W), HX[:-1], G[:-1, : 4 * H]
    dot, tanh, multiply, add = np.dot, np.tanh, np.multiply, np.add  # local names: batch 1
    for left, right, a, oif, i_f, g_c, c, tanh_c, o, h in zip(
        lefts,
        rights,
        outs,
        G[:-1, : 3 * H],
        G[:-1, H : 3 * H],
        G[:-1, 3 * H :],
        G[1:, 4 * H :],
        tanh_cs,
        G[:-1, :H],
        HX[1:, :H],
    ):
        dot(left, right, a)  # a = W [h_prev; x; 1]
        tanh(a, a)
        multiply(oif, half, oif)
        add(oif, half, oif)  # o, i, f = sigmoid(.), g = tanh(.)
        multiply(i_f, g_c, products)
        add(ig, fc, c)  # c = f*c_prev + i*g
        tanh(c, tanh_c)
        multiply(o, tanh_c, h)  # h = o*tanh(c)
    hs = HX[:, :H].transpose(0, 2, 1)  # (T+1, B, H) views
    cs = G[:, 4 * H :].transpose(0, 2, 1)
    return (hs, cs), {"X": X, "HX": HX, "gates": G, "tanh_cs": tanh_cs}


def _lstm_coefficients(G, tanh_cs, HX, start, stop, out):
    """out (steps, 5, H, B) <- [k_c, k_i, k_f, k_g, f] and returns k_o, for steps start..stop-1.

    With dh and dc = dc_from_t+1 + dh*k_c: da_o = dh*k_o, [da_i; da_f; da_g] =
    dc*[k_i; k_f; k_g], and dc*f flows on to step t-1. Written through the forward's
    h = o*tanh(c) and P = [i*g; f*c_prev] (one multiply), which takes fewer passes:
    k_c = o*(1 - tanh(c)^2) = o - h*tanh(c), k_o = tanh(c)*o*(1 - o) = h - h*o,
    [k_i; k_f] = [g; c_prev]*[i; f]*(1 - [i; f]) = P - P*[i; f], k_g = i*(1 - g^2) =
    i - (i*g)*g.
    """
    o, i, f, g = (G[start:stop, k] for k in range(4))
    i_f = G[start:stop, 1:3]
    tc = tanh_cs[start:stop]
    h = HX[start + 1 : stop + 1, : tc.shape[1]]
    k_c, k_g, k_carry = out[:, 0], out[:, 3], out[:, 4]
    k_o = np.empty_like(tc)
    P = np.multiply(i_f, G[start:stop, 3:5])  # [i*g; f*c_prev]
    tmp = np.empty_like(P)
    tmp1 = tmp[:, 0]
    np.multiply(P, i_f, out=tmp)
    np.subtract(P, tmp, out=out[:, 1:3])  # [k_i; k_f]
    np.multiply(h, tc, out=tmp1)
    np.subtract(o, tmp1, out=k_c)  # o * tanh'(c)
    np.multiply(h, o, out=tmp1)
    np.subtract(h, tmp1, out=k_o)  # tanh(c) * sigmoid'(a_o)
    np.multiply(P[:, 0], g, out=tmp1)
    np.subtract(i, tmp1, out=k_g)  # i * tanh'(a_g)
    np.copyto(k_carry, f)
    return k_o


def lstm_backward(cache, d_outputs, d_states, W_ih, W_hh):
    """BPTT of ``lstm_forward``; the gradients come back in PyTorch's gate order i, f, g, o."""
    X, HX, G, tanh_cs = (cache[k] for k in ("X", "HX", "gates", "tanh_cs"))
    T, H, B = tanh_cs.shape
    I = X.shape[2]
    K = H + I + 1
    dtype = X.dtype
    order = _lstm_internal_order(H)
    W_o = W_hh[order]  # (4H, H), rows o, i, f, g
    G = G.reshape(T + 1, 5, H, B)
    steps = max(1, _BLOCK // (B * H))  # time steps per block
    D = _workspace("lstm_D", (T + 1, 6 * H, B), dtype)
    D[T, 5 * H :] = d_states[1].T  # dc flowing into the last step
    dh = np.array(d_states[0].T, order="C")  # (H, B)
    if d_outputs is not None:
        dh += d_outputs[T - 1].T
    dc, dh_kc = np.empty((H, B), dtype), np.empty((H, B), dtype)
    if B == 1:  # row form: dh^T = [d_out^T da^T] [1; W]
        if d_outputs is not None:
            D[0, :H] = 0.0
            D[1:T, :H] = d_outputs[: T - 1].reshape(T - 1, H, 1)
            lefts = D[:, : 5 * H].reshape(T + 1, 1, 5 * H)
            W_rows = np.concatenate([np.eye(H, dtype=dtype), W_o])
        else:
            lefts = D[:, H : 5 * H].reshape(T + 1, 1, 4 * H)
            W_rows = np.ascontiguousarray(W_o)
        dh_out = dh.reshape(1, H)
    else:  # column form: dh = W^T da (+ d_out)
        W_left = np.ascontiguousarray(W_o.T)
        d_outs_T = None if d_outputs is None else d_outputs.transpose(0, 2, 1)
        dW = np.zeros((4 * H, K), dtype)
        dW_block = np.empty((4 * H, K), dtype)
        da_block = np.empty(4 * H * min(steps, T) * B, dtype)
        hx_block = np.empty(K * min(steps, T) * B, dtype)
    coefficients = np.empty((min(steps, T), 5, H, B), dtype)
    dc3 = dc.reshape(1, H, B)
    back = slice(None, None, -1)
    dot, multiply, add = np.dot, np.multiply, np.add  # local names: batch 1
    for start, stop in _blocks(T, B, H):
        Kb = coefficients[: stop - start]
        k_o = _lstm_coefficients(G, tanh_cs, HX, start, stop, Kb)
        D6 = D[start:stop].reshape(stop - start, 6, H, B)
        if B == 1:
            for k_o_t, k_c, k_ifgc, da_o, carry, d_ifgc, left in zip(
                k_o[back],
                Kb[back, 0],
                Kb[back, 1:],
                D6[back, 1],
                D[start + 1 : stop + 1, 5 * H :][back],
                D6[back, 2:],
                lefts[start:stop][back],
            ):
                multiply(dh, k_o_t, da_o)
                multiply(dh, k_c, dh_kc)
                add(carry, dh_kc, dc)  # dc = dc_from_t+1 + dh*k_c
                multiply(dc3, k_ifgc, d_ifgc)  # [da_i; da_f; da_g; dc*f]
                dot(left, W_rows, dh_out)  # dh_prev = [d_out_prev, da] [1; W_hh]
            continue
        for t, k_o_t, k_c, k_ifgc, da_o, carry, d_ifgc, da in zip(
            range(stop - 1, start - 1, -1),
            k_o[back],
            Kb[back, 0],
            Kb[back, 1:],
            D6[back, 1],
            D[start + 1 : stop + 1, 5 * H :][back],
            D6[back, 2:],
            D[start:stop, H : 5 * H][back],
        ):
            np.multiply(dh, k_o_t, da_o)
            np.multiply(dh, k_c, dh_kc)
            np.add(carry, dh_kc, dc)  # dc = dc_from_t+1 + dh*k_c
            np.multiply(dc3, k_ifgc, d_ifgc)  # [da_i; da_f; da_g; dc*f]
            np.dot(W_left, da, dh)  # dh_prev = W_hh^T da
            if d_outs_T is not None and t > 0:
                np.add(dh, d_outs_T[t - 1], dh)
        n = (stop - start) * B  # the block's [W_hh W_ih b] gradient,
        a = da_block[: 4 * H * n].reshape(4 * H, stop - start, B)  # one matmul over
        hx = hx_block[: K * n].reshape(K, stop - start, B)  # n = steps*B columns
        np.copyto(a, D[start:stop, H : 5 * H].transpose(1, 0, 2))
        np.copyto(hx, HX[start:stop].transpose(1, 0, 2))
        a, hx = a.reshape(4 * H, n), hx.reshape(K, n)
        np.dot(a, hx.T, dW_block)
        dW += dW_block
    dA = D[:T, H : 5 * H]  # (T, 4H, B), rows o, i, f, g
    W_ih_o = np.ascontiguousarray(W_ih[order])
    if B == 1:  # contiguous first: BLAS runs the
        dA = np.ascontiguousarray(dA.reshape(T, 4 * H))  # two matmuls 1.3x faster
        dW = np.dot(dA.T, HX[:T].reshape(T, K))  # (4H, H+I+1): [W_hh W_ih b]
        dx = np.dot(dA, W_ih_o).reshape(T, 1, I)
    else:  # W_ih^T da_t (T, I, B) and a copy
        dx = np.matmul(np.ascontiguousarray(W_ih_o.T), dA)  # beat the row form
        dx = np.ascontiguousarray(dx.transpose(0, 2, 1))  # (T, B, I)
    dW = dW[np.r_[H : 4 * H, 0:H]]  # o, i, f, g -> i, f, g, o
    grads = {
        "weight_ih": np.ascontiguousarray(dW[:, H : H + I]),
        "weight_hh": np.ascontiguousarray(dW[:, :H]),
        "bias_ih": np.ascontiguousarray(dW[:, H + I]),
    }
    grads["bias_hh"] = grads["bias_ih"]
    return dx, [np.ascontiguousarray(dh.T), D[0, 5 * H :].T.copy()], grads


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
