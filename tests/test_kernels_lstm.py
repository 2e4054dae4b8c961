"""The LSTM speed kernels against the step-by-step reference (``cells``), at sizes that
take each of their code paths: batch 1 (row form), small batches (one matmul per step)
and batches large enough that the per-step matmuls are split into row blocks for
OpenBLAS's small-matrix kernel (``_kernels_lstm._row_splits``)."""

import numpy as np
import pytest

from lstm_gru_course import _kernels_lstm
from lstm_gru_course._kernels import lstm_backward, lstm_forward
from lstm_gru_course.cells import lstm_step, lstm_step_backward


def _reference(X, h0, c0, d_out, d_h, d_c, W_ih, W_hh, b_ih, b_hh):
    """Forward and BPTT through ``cells``, one call per time step."""
    h, c, caches, hs, cs = h0, c0, [], [h0], [c0]
    for x in X:
        h, c, cache = lstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh)
        caches.append(cache)
        hs.append(h)
        cs.append(c)
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    grads = {name: 0.0 for name in names}
    dx = np.empty_like(X)
    dh, dc = d_h, d_c
    for t in reversed(range(len(X))):
        step = lstm_step_backward(dh + (0.0 if d_out is None else d_out[t]), dc, caches[t])
        dx[t], dh, dc = step["x"], step["h_prev"], step["c_prev"]
        for name in names:
            grads[name] = grads[name] + step[name]
    return np.stack(hs), np.stack(cs), dx, dh, dc, grads


@pytest.mark.parametrize(
    "T, B, I, H",
    [
        (7, 1, 3, 5),  # batch 1: row form
        (5, 3, 4, 6),  # one matmul per step
        (4, 32, 32, 128),  # forward and backward matmuls in 4 row blocks
        (3, 24, 20, 96),  # forward in 2 row blocks, backward in 1
    ],
)
@pytest.mark.parametrize("with_outputs", [True, False])
def test_lstm_kernels_match_the_cells_in_float64(T, B, I, H, with_outputs):
    splits = {(32, 128): (4, 4), (24, 96): (2, 1)}.get((B, H), (1, 1))
    assert B == 1 or splits == (  # the sizes take the paths they are chosen for
        _kernels_lstm._row_splits(4 * H, H + I + 1, B),
        _kernels_lstm._row_splits(H, 4 * H, B),
    )
    rng = np.random.default_rng(T * 1000 + B)
    X = rng.normal(size=(T, B, I))
    W_ih, W_hh = rng.normal(size=(4 * H, I)) * 0.3, rng.normal(size=(4 * H, H)) * 0.3
    b_ih, b_hh = rng.normal(size=4 * H), rng.normal(size=4 * H)
    h0, c0 = rng.normal(size=(B, H)), rng.normal(size=(B, H))
    d_out = rng.normal(size=(T, B, H)) if with_outputs else None
    d_h, d_c = rng.normal(size=(B, H)), rng.normal(size=(B, H))

    (hs, cs), cache = lstm_forward(X, [h0, c0], W_ih, W_hh, b_ih, b_hh)
    dx, (dh0, dc0), grads = lstm_backward(cache, d_out, [d_h, d_c], W_ih, W_hh)
    ref_hs, ref_cs, ref_dx, ref_dh0, ref_dc0, ref_grads = _reference(
        X, h0, c0, d_out, d_h, d_c, W_ih, W_hh, b_ih, b_hh
    )
    close = {"rtol": 1e-10, "atol": 1e-10}
    np.testing.assert_allclose(hs, ref_hs, **close)
    np.testing.assert_allclose(cs, ref_cs, **close)
    np.testing.assert_allclose(dx, ref_dx, **close)
    np.testing.assert_allclose(dh0, ref_dh0, **close)
    np.testing.assert_allclose(dc0, ref_dc0, **close)
    for name, value in ref_grads.items():
        np.testing.assert_allclose(grads[name], value, err_msg=name, **close)


def test_row_splits_keep_each_block_small_and_cover_the_rows():
    small = _kernels_lstm._SMALL_GEMM
    assert _kernels_lstm._row_splits(512, 161, 32) == 4  # (B32, I32, H128) forward
    assert _kernels_lstm._row_splits(128, 512, 32) == 4  # and its backward
    assert _kernels_lstm._row_splits(20, 6, 5) == 1  # already small
    assert _kernels_lstm._row_splits(1024, 321, 128) == 64  # (B128, I64, H256) forward
    assert _kernels_lstm._row_splits(24, 4096, 4096) == 1  # 4-row blocks are not enough
    assert _kernels_lstm._row_splits(100, 400, 128) == 1  # 25 rows cannot be halved
    for M, K, N in [(512, 161, 32), (384, 97, 16), (128, 512, 32), (256, 200, 40)]:
        n = _kernels_lstm._row_splits(M, K, N)
        assert M % n == 0 and M // n >= 4
        assert n == 1 or (M // n) * K * N <= small < (M // (n // 2)) * K * N
