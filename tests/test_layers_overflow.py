"""Finite inputs near the float limit: the layers raise a named FloatingPointError
instead of returning NaN with only a RuntimeWarning (issue 13)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from lstm_gru_course.layers import GRU, LSTM, RNN

LIMITS = {np.float64: 1.7e308, np.float32: 3e38}
CASES = [(cls, dtype) for cls in (RNN, LSTM, GRU) for dtype in LIMITS]
IDS = [f"{cls.__name__}-{dtype.__name__}" for cls, dtype in CASES]


def _huge_x(dtype, I=16):
    rng = np.random.default_rng(0)
    return (rng.choice([-1.0, 1.0], size=(3, 2, I)) * LIMITS[dtype]).astype(dtype)


@pytest.mark.parametrize("cls, dtype", CASES, ids=IDS)
def test_an_overflowing_forward_pass_names_x_and_warns_nothing(cls, dtype):
    layer = cls(16, 4, seed=1, dtype=dtype)
    x = _huge_x(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            outputs, _ = layer.forward(x)
        except FloatingPointError as exc:
            message = str(exc)
            assert message.startswith(f"{cls.__name__}.forward overflowed")
            assert "The largest numbers are in x " in message and "scale x down" in message
            with pytest.raises(RuntimeError, match="needs the cache of a forward"):
                layer.backward(np.ones((3, 2, 4), dtype))
        else:  # saturated gates can absorb the overflow: then no NaN
            assert np.isfinite(outputs).all()


def test_the_rnn_case_that_returned_nan_now_raises():
    with pytest.raises(FloatingPointError, match="float64 number"):
        RNN(16, 4).forward(_huge_x(np.float64))


@pytest.mark.parametrize("cls, dtype", CASES, ids=IDS)
def test_an_overflowing_backward_pass_names_d_outputs(cls, dtype):
    layer = cls(3, 4, seed=2, dtype=dtype)
    outputs, _ = layer.forward(np.ones((3, 2, 3), dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError, match="largest numbers are in d_outputs") as info:
            layer.backward(np.full(outputs.shape, LIMITS[dtype], dtype))
    assert ("dtype=np.float64" in str(info.value)) == (dtype is np.float32)


@pytest.mark.parametrize("cls, dtype", CASES, ids=IDS)
def test_large_but_harmless_inputs_still_work(cls, dtype):
    layer = cls(3, 4, seed=3, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outputs, _ = layer.forward(np.full((3, 2, 3), LIMITS[dtype] / 10, dtype))  # saturates
        dx = layer.backward(np.ones_like(outputs))
    assert np.isfinite(outputs).all() and np.isfinite(dx).all()
