"""Tests for lstm_gru_course.losses: values, gradients (numerically), stability, bad input."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_gru_course.gradcheck import gradcheck
from lstm_gru_course.losses import accuracy, cross_entropy, log_softmax, mse, softmax

shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


# ---------------------------------------------------------------- mse


def test_mse_value_is_the_mean_of_squared_errors():
    prediction = np.array([[1.0], [2.0], [-1.0]])
    target = np.array([[0.0], [4.0], [-1.0]])
    loss, grad = mse(prediction, target)
    assert loss == pytest.approx((1.0 + 4.0 + 0.0) / 3)
    np.testing.assert_allclose(grad, 2.0 / 3 * np.array([[1.0], [-2.0], [0.0]]))


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**31 - 1))
def test_mse_gradient_matches_central_differences(shape, seed):
    rng = np.random.default_rng(seed)
    prediction = rng.normal(size=shape)
    target = rng.normal(size=shape)
    _, grad = mse(prediction, target)
    result = gradcheck(
        lambda: mse(prediction, target)[0], {"prediction": prediction}, {"prediction": grad}
    )
    assert result.passed, result


def test_mse_keeps_float32_and_returns_a_python_float():
    prediction = np.ones((4, 1), dtype=np.float32)
    loss, grad = mse(prediction, np.zeros((4, 1)))
    assert type(loss) is float and loss == 1.0
    assert grad.dtype == np.float32 and grad.shape == (4, 1)


def test_mse_converts_integer_targets():
    loss, _ = mse(np.zeros((2, 1)), np.array([[1], [3]]))
    assert loss == 5.0


@pytest.mark.parametrize(
    "prediction, target, error, words",
    [
        (np.zeros((4, 1)), np.zeros(4), ValueError, ["target", "(4, 1)", "(4,)"]),
        (np.zeros((4, 1)), np.zeros((1, 4)), ValueError, ["target", "(4, 1)", "(1, 4)"]),
        ([[0.0]], np.zeros((1, 1)), TypeError, ["prediction", "np.asarray", "list"]),
        (np.zeros((1, 1)), "0", TypeError, ["target", "string"]),
        (np.array([["a"]]), np.zeros((1, 1)), TypeError, ["prediction", "dtype"]),
        (np.array([[np.nan]]), np.zeros((1, 1)), ValueError, ["prediction", "NaN"]),
        (np.zeros((1, 1)), np.array([[np.inf]]), ValueError, ["target", "inf"]),
        (np.zeros((0, 1)), np.zeros((0, 1)), ValueError, ["prediction", "at least one"]),
    ],
)
def test_mse_rejects_bad_input_with_a_clear_message(prediction, target, error, words):
    with pytest.raises(error) as info:
        mse(prediction, target)
    for word in words:
        assert word in str(info.value)


# ---------------------------------------------------------------- softmax / cross-entropy


def naive_cross_entropy(logits, targets):
    """Direct translation of the definition, for moderate logits only."""
    rows = logits.reshape(-1, logits.shape[-1])
    total = 0.0
    for row, k in zip(rows, targets.ravel()):
        total -= np.log(np.exp(row[k]) / np.exp(row).sum())
    return total / len(rows)


def test_cross_entropy_matches_the_definition():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 5))
    targets = rng.integers(0, 5, size=6)
    loss, _ = cross_entropy(logits, targets)
    assert loss == pytest.approx(naive_cross_entropy(logits, targets), rel=1e-12)


def test_cross_entropy_of_uniform_logits_is_log_classes():
    loss, grad = cross_entropy(np.zeros((3, 4)), np.array([0, 1, 3]))
    assert loss == pytest.approx(np.log(4))
    np.testing.assert_allclose(grad.sum(axis=-1), 0.0, atol=1e-15)


@settings(max_examples=25, deadline=None)
@given(
    leading=st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple),
    classes=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
    scale=st.sampled_from([0.1, 1.0, 10.0]),
)
def test_cross_entropy_gradient_matches_central_differences(leading, classes, seed, scale):
    rng = np.random.default_rng(seed)
    logits = scale * rng.normal(size=leading + (classes,))
    targets = rng.integers(0, classes, size=leading)
    loss, grad = cross_entropy(logits, targets)
    assert grad.shape == logits.shape
    assert loss == pytest.approx(naive_cross_entropy(logits, targets), rel=1e-9, abs=1e-12)
    result = gradcheck(
        lambda: cross_entropy(logits, targets)[0], {"logits": logits}, {"logits": grad}
    )
    assert result.passed, result


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1000.0, 0.0], [-1000.0, 1000.0], [1000.0, 1000.0]])
    targets = np.array([0, 0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = cross_entropy(logits, targets)
        probabilities = softmax(logits)
    # row 0: certain and right (0), row 1: certain and wrong by 2000, row 2: a coin flip.
    assert loss == pytest.approx((0.0 + 2000.0 + np.log(2.0)) / 3)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(probabilities, [[1, 0], [0, 1], [0.5, 0.5]], atol=1e-300)
    np.testing.assert_allclose(log_softmax(logits)[1], [-2000.0, 0.0])


def test_softmax_rows_sum_to_one_and_keep_order():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(2, 3, 7)) * 5
    probabilities = softmax(logits)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0)
    assert (probabilities.argmax(axis=-1) == logits.argmax(axis=-1)).all()


def test_cross_entropy_accepts_every_step_targets_and_float32():
    logits = np.zeros((5, 2, 3), dtype=np.float32)
    loss, grad = cross_entropy(logits, np.zeros((5, 2), dtype=np.int32))
    assert loss == pytest.approx(np.log(3), rel=1e-6)
    assert grad.dtype == np.float32 and grad.shape == (5, 2, 3)


def test_accuracy_counts_argmax_hits():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 5.0, 1.0], [0.0, 0.0, 3.0], [1.0, 0.0, 0.0]])
    assert accuracy(logits, np.array([0, 1, 0, 2])) == 0.5


@pytest.mark.parametrize(
    "logits, targets, error, words",
    [
        (np.zeros((2, 3)), np.array([0.0, 1.0]), TypeError, ["targets", "integer", "float64"]),
        (np.zeros((2, 3)), np.eye(3)[[0, 1]], TypeError, ["targets", "one-hot", "argmax"]),
        (np.zeros((2, 3)), np.array([0, 3]), ValueError, ["targets", "0 to 2", "3"]),
        (np.zeros((2, 3)), np.array([-1, 0]), ValueError, ["targets", "-1"]),
        (np.zeros((2, 3)), np.array([0, 1, 2]), ValueError, ["targets", "(2,)", "(3,)"]),
        (np.zeros((2, 3)), [0, 1], TypeError, ["targets", "np.asarray"]),
        (np.zeros(3), np.array(0), ValueError, ["logits", "(N, C)", "(3,)"]),
        (np.full((2, 3), np.nan), np.array([0, 1]), ValueError, ["logits", "NaN"]),
        (np.zeros((2, 3), dtype=object), np.array([0, 1]), TypeError, ["logits", "object"]),
    ],
)
def test_cross_entropy_rejects_bad_input_with_a_clear_message(logits, targets, error, words):
    with pytest.raises(error) as info:
        cross_entropy(logits, targets)
    for word in words:
        assert word in str(info.value)
    with pytest.raises(error):
        accuracy(logits, targets)


def test_docstring_examples_run():
    import doctest

    from lstm_gru_course import losses

    failures, tried = doctest.testmod(losses, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
