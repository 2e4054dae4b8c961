"""The GRU speed kernels against the step-by-step reference (``cells``), for both reset
conventions, at sizes that take each of their code paths: batch 1 (row form), small
batches (one matmul per product and step) and batches large enough that the per-step
and weight-gradient matmuls are split into row blocks for OpenBLAS's small-matrix kernel
(``_kernels_lstm._row_splits``); float32 runs another form of the sigmoid."""

import numpy as np
import pytest

from lstm_gru_course import _kernels_lstm
from lstm_gru_course._kernels import gru_backward, gru_forward
from lstm_gru_course.cells import gru_step, gru_step_backward


def _reference(X, h0, d_out, d_h, W_ih, W_hh, b_ih, b_hh, reset):
    """Forward and BPTT through ``cells``, one call per time step."""
    h, caches, hs = h0, [], [h0]
    for x in X:
        h, cache = gru_step(x, h, W_ih, W_hh, b_ih, b_hh, reset=reset)
        caches.append(cache)
        hs.append(h)
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    grads = {name: 0.0 for name in names}
    dx = np.empty_like(X)
    dh = d_h
    for t in reversed(range(len(X))):
        step = gru_step_backward(dh + (0.0 if d_out is None else d_out[t]), caches[t])
        dx[t], dh = step["x"], step["h_prev"]
        for name in names:
            grads[name] = grads[name] + step[name]
    return np.stack(hs), dx, dh, grads


def _data(T, B, I, H, with_outputs, dtype=np.float64):
    rng = np.random.default_rng(T * 1000 + B)
    X = rng.normal(size=(T, B, I))
    W_ih, W_hh = rng.normal(size=(3 * H, I)) * 0.3, rng.normal(size=(3 * H, H)) * 0.3
    b_ih, b_hh = rng.normal(size=3 * H), rng.normal(size=3 * H)
    h0 = rng.normal(size=(B, H))
    d_out = rng.normal(size=(T, B, H)) if with_outputs else None
    d_h = rng.normal(size=(B, H))
    cast = [None if a is None else a.astype(dtype) for a in (X, h0, d_out, d_h)]
    return cast, [a.astype(dtype) for a in (W_ih, W_hh, b_ih, b_hh)]


SIZES = [
    (7, 1, 3, 5),  # batch 1: row form
    (5, 3, 4, 6),  # one matmul per product and step
    (4, 32, 32, 128),  # B32 H128: per-step matmuls in row blocks
    (3, 24, 20, 96),  # other splits
    (10, 16, 5, 256),  # several time blocks in the backward (4 steps each)
    (300, 1, 3, 64),  # two time blocks at batch 1
]


@pytest.mark.parametrize("T, B, I, H", SIZES)
@pytest.mark.parametrize("with_outputs", [True, False])
@pytest.mark.parametrize("reset", ["after", "before"])
def test_gru_kernels_match_the_cells_in_float64(T, B, I, H, with_outputs, reset):
    (X, h0, d_out, d_h), (W_ih, W_hh, b_ih, b_hh) = _data(T, B, I, H, with_outputs)
    (hs,), cache = gru_forward(X, [h0], W_ih, W_hh, b_ih, b_hh, reset)
    dx, (dh0,), grads = gru_backward(cache, d_out, [d_h], W_ih, W_hh)
    ref_hs, ref_dx, ref_dh0, ref_grads = _reference(
        X, h0, d_out, d_h, W_ih, W_hh, b_ih, b_hh, reset
    )
    close = {"rtol": 1e-10, "atol": 1e-10}
    np.testing.assert_allclose(hs, ref_hs, **close)
    np.testing.assert_allclose(dx, ref_dx, **close)
    np.testing.assert_allclose(dh0, ref_dh0, **close)
    assert set(grads) == set(ref_grads)
    for name, value in ref_grads.items():
        assert grads[name].shape == np.shape(value), name
        np.testing.assert_allclose(grads[name], value, err_msg=name, **close)


@pytest.mark.parametrize("T, B, I, H", SIZES[:4])
@pytest.mark.parametrize("reset", ["after", "before"])
def test_gru_kernels_in_float32_stay_close_to_float64(T, B, I, H, reset):
    (X, h0, d_out, d_h), W = _data(T, B, I, H, True, np.float32)
    (hs32,), cache = gru_forward(X, [h0], *W, reset)
    dx32, (dh32,), g32 = gru_backward(cache, d_out, [d_h], W[0], W[1])
    as64 = [a.astype(np.float64) for a in (X, h0, d_out, d_h)]
    W64 = [w.astype(np.float64) for w in W]
    (hs,), cache = gru_forward(as64[0], [as64[1]], *W64, reset)
    dx, (dh,), g = gru_backward(cache, as64[2], [as64[3]], W64[0], W64[1])
    assert hs32.dtype == dx32.dtype == dh32.dtype == np.float32
    close = {"rtol": 1e-3, "atol": 1e-3}
    np.testing.assert_allclose(hs32, hs, **close)
    np.testing.assert_allclose(dx32, dx, **close)
    np.testing.assert_allclose(dh32, dh, **close)
    for name in g:
        assert g32[name].dtype == np.float32, name
        np.testing.assert_allclose(g32[name], g[name], err_msg=name, **close)


def test_the_sizes_take_the_split_paths():
    assert _kernels_lstm._row_splits(2 * 128, 32 + 128 + 1, 32) > 1  # r, z forward
    assert _kernels_lstm._row_splits(128, 3 * 128, 32) > 1  # backward, "after"
    assert _kernels_lstm._row_splits(5, 9, 3) == 1
