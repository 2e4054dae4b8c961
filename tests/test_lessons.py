"""Tests of lstm_gru_course.lessons: the tanh / weight split of an RNN's backward pass."""

import numpy as np
import pytest

from lstm_gru_course import cells
from lstm_gru_course.layers import LSTM, RNN
from lstm_gru_course.lessons import BackwardFactors, backward_factors


def _final_state(layer, x, h0):
    """h_T after reading x (T, 1, I) from the state h0 (1, H), with cells.rnn_step."""
    p = layer.params
    h = h0
    for x_t in x:
        h, _ = cells.rnn_step(x_t, h, p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    return h[0]


def _numerical_gains(layer, x, eps=1e-6):
    """||dh_T / dh_{T-k}||_F / sqrt(H) for every k, by central differences."""
    H, T = layer.hidden_size, x.shape[0]
    gains = [1.0]
    for k in range(1, T + 1):
        start = T - k  # perturb h_{T-k}, then read x[T-k:]
        p = layer.params
        h = np.zeros((1, H))
        for x_t in x[:start]:
            h, _ = cells.rnn_step(x_t, h, p["weight_ih"], p["weight_hh"], p["bias_ih"],
                                  p["bias_hh"])
        jac = np.empty((H, H))
        for j in range(H):
            bump = np.zeros((1, H))
            bump[0, j] = eps
            jac[:, j] = (_final_state(layer, x[start:], h + bump)
                         - _final_state(layer, x[start:], h - bump)) / (2 * eps)
        gains.append(np.linalg.norm(jac) / np.sqrt(H))
    return np.array(gains)


def test_gradient_matches_finite_differences():
    layer = RNN(3, 4, seed=2)
    x = np.random.default_rng(5).normal(size=(6, 1, 3))
    parts = backward_factors(layer, x)
    assert isinstance(parts, BackwardFactors)
    assert parts.gradient.shape == (7,)
    np.testing.assert_array_equal(parts.distance, np.arange(7))
    np.testing.assert_allclose(parts.gradient, _numerical_gains(layer, x), rtol=1e-6)


def test_gradient_is_chapter_1s_measurement_on_the_same_network():
    # Chapter 3 splits exactly the curve that chapter 1 plots: same layer, same sequence.
    from lstm_gru_course import memory

    for scale in (0.5, 2.0):
        norms = memory.gradient_norms_by_distance("rnn", hidden_size=6, length=15,
                                                  weight_scale=scale, seed=3)
        parts = backward_factors(norms.layer, norms.inputs[:, None, :])
        np.testing.assert_allclose(parts.gradient, norms.hidden, rtol=1e-9)


def test_the_two_parts_multiply_to_the_gradient():
    layer = RNN(2, 5, seed=1)
    layer.params["weight_hh"] *= 3.0  # large weights: the weight part grows
    x = np.random.default_rng(0).normal(size=(20, 1, 2))
    parts = backward_factors(layer, x)
    np.testing.assert_allclose(parts.from_tanh * parts.from_weights, parts.gradient, rtol=1e-10)
    assert parts.from_weights[-1] > 1.0 > parts.from_tanh[-1]


def test_the_tanh_part_never_grows():
    layer = RNN(4, 6, seed=3)
    x = np.random.default_rng(1).normal(size=(30, 1, 4))
    parts = backward_factors(layer, x)
    assert parts.from_tanh[0] == 1.0
    assert np.all(np.diff(parts.from_tanh) <= 1e-15)
    assert parts.from_tanh[-1] < parts.from_tanh[1] < 1.0


def test_orthogonal_weights_and_a_zero_state_keep_the_gradient_whole():
    # Zero input and biases keep h at 0, where tanh' = 1; an orthogonal weight_hh keeps norms.
    layer = RNN(2, 4, seed=0)
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 4)))
    layer.params["weight_hh"][...] = q
    layer.params["bias_ih"][...] = 0.0
    layer.params["bias_hh"][...] = 0.0
    parts = backward_factors(layer, np.zeros((12, 1, 2)))
    np.testing.assert_allclose(parts.from_tanh, 1.0)
    np.testing.assert_allclose(parts.from_weights, 1.0)
    np.testing.assert_allclose(parts.gradient, 1.0)


def test_small_weights_make_the_gradient_vanish_to_zero_without_nans():
    layer = RNN(2, 3, seed=0)
    layer.params["weight_hh"] *= 1e-3
    x = np.random.default_rng(0).normal(size=(200, 1, 2))
    parts = backward_factors(layer, x)
    assert np.all(np.isfinite(parts.from_tanh))
    assert not np.any(np.isnan(parts.gradient))
    assert parts.gradient[-1] == 0.0
    assert np.all(np.diff(parts.gradient) <= 0.0)


def test_rejects_other_layers_with_a_clear_message():
    with pytest.raises(TypeError, match="layer must be an RNN"):
        backward_factors(LSTM(2, 3), np.zeros((4, 1, 2)))


@pytest.mark.parametrize("x, expected", [
    (np.zeros((4, 2, 2)), r"\(4, 2, 2\)"),   # a batch of 2: one sequence only
    (np.zeros((4, 1, 3)), r"\(4, 1, 3\)"),   # wrong input size
    (np.zeros((4, 2)), r"\(4, 2\)"),         # batch axis missing
])
def test_rejects_badly_shaped_x_naming_it(x, expected):
    with pytest.raises(ValueError, match=rf"x.*{expected}"):
        backward_factors(RNN(2, 3), x)


def test_rejects_an_empty_sequence():
    with pytest.raises(ValueError, match="T >= 1"):
        backward_factors(RNN(2, 3), np.zeros((0, 1, 2)))


def test_docstring_examples_run():
    import doctest

    import lstm_gru_course.lessons as lessons

    result = doctest.testmod(lessons)
    assert result.attempted > 0 and result.failed == 0
