"""The LSTM kernels behind ``layers``: ``lstm_forward`` and ``lstm_backward``.

Split out of ``_kernels`` (which re-exports them) unchanged; its docstring lists the
tricks and the contract shared by all kernels.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from ._kernels_base import _BLOCK, _STEP_VIEWS_MAX_BYTES, _blocks, _step_workspace, _workspace

__all__ = ["lstm_forward", "lstm_backward"]


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
# - At batch 1 a step is a handful of numpy calls of ~0.3 us, and taking each buffer's
#   view of the step costs 0.05 us more per buffer. So there (up to 16 MB) both loops run
#   on per-thread buffers kept from call to call, with their per-step views built once,
#   in the order the loop reads them; the forward's cache is then a copy of its buffers.


# OpenBLAS (0.3.16 and later, x86-64 kernels such as SkylakeX) multiplies matrices with
# M*N*K <= 100**3 by a "small matrix" kernel that skips packing the operands; on this
# machine it runs the per-step shapes 20-25% faster (benchmarks/README.md, third round).
_SMALL_GEMM = 100**3


def _row_splits(M, K, N):
    """How many equal row blocks (a power of 2, at least 4 rows each) make an (M, K) x
    (K, N) product small enough for the small-matrix kernel; 1 when none does."""
    n = 1
    while (M // n) * K * N > _SMALL_GEMM:
        n *= 2
        if M % n or M // n < 4:
            return 1
    return n


def _lstm_internal_order(H):
    """Rows of PyTorch's i, f, g, o blocks in the internal order o, i, f, g."""
    return np.r_[3 * H : 4 * H, 0 : 3 * H]


def _feature_major(a):
    """(T, B, n) -> (T, n, B), contiguous."""
    return np.ascontiguousarray(a.transpose(0, 2, 1))


def _lstm_forward_buffers(T, H, I, dtype):
    """Batch 1: HX, G, tanh_cs, a W^T buffer and each step's views, as the forward loop
    takes them (``_step_workspace`` keeps them for the next call)."""
    K = H + I + 1
    HX = np.empty((T + 1, K, 1), dtype)
    G = np.empty((T + 1, 5 * H, 1), dtype)
    tanh_cs = np.empty((T, H, 1), dtype)
    W_T = np.empty((K, 4 * H), dtype)
    steps = list(
        zip(
            HX[:-1].reshape(T, 1, K),  # row form: a^T = hx^T W^T
            repeat(W_T, T),
            G[:-1, : 4 * H].reshape(T, 1, 4 * H),
            G[:-1, : 3 * H],
            G[:-1, H : 3 * H],
            G[:-1, 3 * H :],
            G[1:, 4 * H :],
            tanh_cs,
            G[:-1, :H],
            HX[1:, :H],
        )
    )
    return HX, G, tanh_cs, W_T, steps


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
    # batch 1: the loop runs on kept buffers and views, and the cache is a copy of them
    kept = B == 1 and dtype.itemsize * (T + 1) * (K + 6 * H) + 600 * T <= _STEP_VIEWS_MAX_BYTES
    if kept:
        HX, G, tanh_cs, W_T, steps = _step_workspace(
            "lstm_forward", (T, H, I, dtype.str), lambda: _lstm_forward_buffers(T, H, I, dtype)
        )
        np.copyto(W_T, W.T)
    else:
        HX = np.empty((T + 1, K, B), dtype)
        G = np.empty((T + 1, 5 * H, B), dtype)
        tanh_cs = np.empty((T, H, B), dtype)
    HX[0, :H] = states[0].T
    HX[:T, H : H + I] = X.transpose(0, 2, 1)
    HX[T, H : H + I] = 0.0
    HX[:, H + I] = 1.0
    G[0, 4 * H :] = states[1].T
    products = np.empty((2 * H, B), dtype)  # [i*g; f*c_prev]
    ig, fc = products[:H], products[H:]
    half = np.array(0.5, dtype)  # a 0-d array is quicker than 0.5
    if B == 1:  # row form: a^T = hx^T W^T
        dot = np.dot
        if not kept:
            lefts, rights = HX[:-1].reshape(T, 1, K), repeat(np.ascontiguousarray(W.T))
            outs = G[:-1, : 4 * H].reshape(T, 1, 4 * H)
    else:  # column form: a = W hx, in n row blocks of one stacked matmul (small kernel)
        n, rights = _row_splits(4 * H, K, B), HX[:-1]
        if n > 1:
            lefts, outs = repeat(W.reshape(n, -1, K)), G[:-1, : 4 * H].reshape(T, n, -1, B)
            dot = np.matmul
        else:
            lefts, outs, dot = repeat(W), G[:-1, : 4 * H], np.dot
    if not kept:
        steps = zip(
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
        )
    tanh, multiply, add = np.tanh, np.multiply, np.add  # local names: batch 1
    for left, right, a, oif, i_f, g_c, c, tanh_c, o, h in steps:
        dot(left, right, a)  # a = W [h_prev; x; 1]
        tanh(a, a)
        multiply(oif, half, oif)
        add(oif, half, oif)  # o, i, f = sigmoid(.), g = tanh(.)
        multiply(i_f, g_c, products)
        add(ig, fc, c)  # c = f*c_prev + i*g
        tanh(c, tanh_c)
        multiply(o, tanh_c, h)  # h = o*tanh(c)
    if kept:  # the cache leaves the kernel: copies
        HX, G, tanh_cs = HX.copy(), G.copy(), tanh_cs.copy()
    hs = HX[:, :H].transpose(0, 2, 1)  # (T+1, B, H) views
    cs = G[:, 4 * H :].transpose(0, 2, 1)
    return (hs, cs), {"X": X, "HX": HX, "gates": G, "tanh_cs": tanh_cs}


def _lstm_coefficients(G, tanh_cs, HX, start, stop, out, k_o=None):
    """out (steps, 5, H, B) <- [k_c, k_i, k_f, k_g, f] and returns k_o (written into
    ``k_o`` (steps, H, B) when given), for steps start..stop-1.

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
    if k_o is None:
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


def _lstm_backward_buffers(T, H, dtype, with_outputs):
    """Batch 1: the workspace D, one block's coefficients and each step's views, as the
    backward loop takes them (``_step_workspace`` keeps them for the next call)."""
    D = np.empty((T + 1, 6 * H, 1), dtype)
    steps = max(1, _BLOCK // H)
    coefficients = np.empty((min(steps, T), 5, H, 1), dtype)
    k_o = np.empty((min(steps, T), H, 1), dtype)
    D6 = D[:T].reshape(T, 6, H, 1)
    if with_outputs:  # row form: dh^T = [d_out^T da^T] [1; W]
        lefts = D[:T, : 5 * H].reshape(T, 1, 5 * H)
    else:
        lefts = D[:T, H : 5 * H].reshape(T, 1, 4 * H)
    views = {}  # per block, last step first: built in the order the loop reads them
    back = slice(None, None, -1)
    for start, stop in _blocks(T, 1, H):  # the coefficients of step t: row t - start
        n = stop - start
        views[start] = list(
            zip(
                k_o[:n][back],
                coefficients[:n][back, 0],
                coefficients[:n][back, 1:],
                D6[start:stop][back, 1],
                D[start + 1 : stop + 1, 5 * H :][back],
                D6[start:stop][back, 2:],
                lefts[start:stop][back],
            )
        )
    return D, coefficients, k_o, views


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
    kept = B == 1 and dtype.itemsize * (T + 1) * 12 * H + 500 * T <= _STEP_VIEWS_MAX_BYTES
    if kept:  # batch 1: kept buffers and per-step views
        D, coefficients, k_o_all, step_views = _step_workspace(
            "lstm_backward",
            (T, H, dtype.str, d_outputs is not None),
            lambda: _lstm_backward_buffers(T, H, dtype, d_outputs is not None),
        )
    else:
        D = _workspace("lstm_D", (T + 1, 6 * H, B), dtype)
        coefficients = np.empty((min(steps, T), 5, H, B), dtype)
    D[T, 5 * H :] = d_states[1].T  # dc flowing into the last step
    dh = np.array(d_states[0].T, order="C")  # (H, B)
    if d_outputs is not None:
        dh += d_outputs[T - 1].T
    dc, dh_kc = np.empty((H, B), dtype), np.empty((H, B), dtype)
    if B == 1:  # row form: dh^T = [d_out^T da^T] [1; W]
        if d_outputs is not None:
            D[0, :H] = 0.0
            D[1:T, :H] = d_outputs[: T - 1].reshape(T - 1, H, 1)
            W_rows = np.concatenate([np.eye(H, dtype=dtype), W_o])
            if not kept:
                lefts = D[:, : 5 * H].reshape(T + 1, 1, 5 * H)
        else:
            W_rows = np.ascontiguousarray(W_o)
            if not kept:
                lefts = D[:, H : 5 * H].reshape(T + 1, 1, 4 * H)
        dh_out = dh.reshape(1, H)
    else:  # column form: dh = W^T da (+ d_out), in n row blocks (small kernel)
        n = _row_splits(H, 4 * H, B)
        W_left = np.ascontiguousarray(W_o.T)
        dh_rows, matmul = dh, np.dot
        if n > 1:
            W_left, dh_rows, matmul = W_left.reshape(n, -1, 4 * H), dh.reshape(n, -1, B), np.matmul
        d_outs_T = None if d_outputs is None else d_outputs.transpose(0, 2, 1)
        dW = np.zeros((4 * H, K), dtype)
        dW_block = np.empty((4 * H, K), dtype)
        da_block = np.empty(4 * H * min(steps, T) * B, dtype)
        hx_block = np.empty(K * min(steps, T) * B, dtype)
    dc3 = dc.reshape(1, H, B)
    back = slice(None, None, -1)
    dot, multiply, add = np.dot, np.multiply, np.add  # local names: batch 1
    for start, stop in _blocks(T, B, H):
        Kb = coefficients[: stop - start]
        k_o_out = k_o_all[: len(Kb)] if kept else None  # kept: its views are in the list
        k_o = _lstm_coefficients(G, tanh_cs, HX, start, stop, Kb, k_o_out)
        D6 = D[start:stop].reshape(stop - start, 6, H, B)
        if B == 1:
            if kept:
                block = step_views[start]
            else:
                block = zip(
                    k_o[back],
                    Kb[back, 0],
                    Kb[back, 1:],
                    D6[back, 1],
                    D[start + 1 : stop + 1, 5 * H :][back],
                    D6[back, 2:],
                    lefts[start:stop][back],
                )
            for k_o_t, k_c, k_ifgc, da_o, carry, d_ifgc, left in block:
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
            matmul(W_left, da, dh_rows)  # dh_prev = W_hh^T da
            if d_outs_T is not None and t > 0:
                np.add(dh, d_outs_T[t - 1], dh)
        n = (stop - start) * B  # the block's [W_hh W_ih b] gradient,
        a = da_block[: 4 * H * n].reshape(4 * H, stop - start, B)  # one matmul over
        hx = hx_block[: K * n].reshape(stop - start, B, K)  # n = steps*B columns
        np.copyto(a, D[start:stop, H : 5 * H].transpose(1, 0, 2))
        np.copyto(hx, HX[start:stop].transpose(0, 2, 1))  # contiguous (n, K): small kernel
        a, hx = a.reshape(4 * H, n), hx.reshape(n, K)
        splits = _row_splits(4 * H, n, K)
        if splits > 1:
            np.matmul(a.reshape(splits, -1, n), hx, out=dW_block.reshape(splits, -1, K))
        else:
            np.dot(a, hx, dW_block)
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
