import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_gru_course.activations import (
    sigmoid,
    sigmoid_grad_from_output,
    tanh,
    tanh_grad_from_output,
)

FLOATS = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", FLOATS)
def test_sigmoid_never_overflows_or_warns(dtype):
    a = np.array(
        [-1000, -100, -88.8, -1, 0, 1, 88.8, 100, 1000, np.finfo(dtype).max, -np.finfo(dtype).max],
        dtype=dtype,
    )
    with np.errstate(all="raise"):
        s = sigmoid(a)
    assert s.dtype == dtype
    assert np.all((s >= 0) & (s <= 1))
    assert s[0] == 0.0 and s[-3] == 1.0 and s[4] == 0.5


@pytest.mark.parametrize("dtype", FLOATS)
def test_limits_at_infinity(dtype):
    a = np.array([-np.inf, np.inf], dtype=dtype)
    np.testing.assert_array_equal(sigmoid(a), [0.0, 1.0])
    np.testing.assert_array_equal(tanh(a), [-1.0, 1.0])


@settings(max_examples=50, deadline=None)
@given(st.floats(-60, 60))
def test_sigmoid_and_tanh_match_their_definitions(a):
    assert sigmoid(a) == pytest.approx(1 / (1 + np.exp(-a)), rel=1e-12, abs=1e-300)
    assert tanh(a) == pytest.approx(np.tanh(a), rel=1e-15)
    assert tanh(a) == pytest.approx(2 * sigmoid(2 * a) - 1, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(-20, 20))
def test_derivatives_from_outputs_match_central_differences(a):
    eps = 1e-6
    numeric_s = (sigmoid(a + eps) - sigmoid(a - eps)) / (2 * eps)
    numeric_t = (tanh(a + eps) - tanh(a - eps)) / (2 * eps)
    assert sigmoid_grad_from_output(sigmoid(a)) == pytest.approx(numeric_s, abs=1e-9)
    assert tanh_grad_from_output(tanh(a)) == pytest.approx(numeric_t, abs=1e-9)


def test_shapes_dtypes_and_scalars():
    a = np.arange(6).reshape(2, 3)  # integers become float64
    assert sigmoid(a).shape == (2, 3) and sigmoid(a).dtype == np.float64
    assert tanh(a.astype(np.float32)).dtype == np.float32
    assert isinstance(sigmoid(0.0), np.floating) and sigmoid(0.0) == 0.5
    assert sigmoid(np.float32(0)).dtype == np.float32
    assert sigmoid_grad_from_output(0.5) == 0.25
    assert tanh_grad_from_output(np.zeros(3)).tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("func", [sigmoid, tanh, sigmoid_grad_from_output, tanh_grad_from_output])
@pytest.mark.parametrize(
    "bad, error, words",
    [
        ([0.1, 0.2], TypeError, "np.asarray"),
        ("0.5", TypeError, "the string '0.5'"),
        (None, TypeError, "None"),
        (np.array(["a"]), TypeError, "dtype <U1"),
        (np.array([1.0, np.nan]), ValueError, "NaN"),
    ],
)
def test_bad_input_is_named(func, bad, error, words):
    with pytest.raises(error, match="must|contains") as info:
        func(bad)
    assert words in str(info.value)
    assert str(info.value).split()[0] in ("a", "s", "t")


def test_derivatives_refuse_infinite_outputs():
    with pytest.raises(ValueError, match="s contains inf"):
        sigmoid_grad_from_output(np.array([np.inf]))
