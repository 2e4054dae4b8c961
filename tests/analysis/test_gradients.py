"""Tests for lstm_gru_course.analysis.gradients: how far back a gradient reaches."""

import numpy as np
import pytest

from lstm_gru_course import cells
from lstm_gru_course.analysis.gates import gate_activations
from lstm_gru_course.analysis.gradients import (
    BackwardFactors,
    backward_factors,
    cell_state_gradient,
    gradient_norms_by_distance,
    repeated_multiplication,
    scaled_layer,
)
from lstm_gru_course.layers import GRU, LSTM, RNN

# ---------------------------------------------------------------- repeated multiplication


@pytest.mark.parametrize("weight", [-1.5, 0.5, 3.0])
def test_repeated_multiplication_is_a_power_and_tanh_stays_bounded(weight):
    r = repeated_multiplication(weight, 12, start=0.7)
    k = np.arange(13)
    np.testing.assert_allclose(r["plain"], 0.7 * weight**k, rtol=1e-12)
    assert r["step"].tolist() == k.tolist()
    assert r["with_tanh"][0] == 0.7
    assert np.all(np.abs(r["with_tanh"][1:]) < 1.0)
    np.testing.assert_allclose(r["with_tanh"][1:], np.tanh(weight * r["with_tanh"][:-1]))


def test_repeated_multiplication_edges_give_no_nan():
    huge = repeated_multiplication(1e200, 3)
    assert np.isinf(huge["plain"][-1]) and not np.isnan(huge["plain"]).any()
    assert repeated_multiplication(0.0, 4)["plain"].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert repeated_multiplication(5.0, 4, start=0.0)["with_tanh"].tolist() == [0.0] * 5
    assert repeated_multiplication(2.0, 0)["plain"].tolist() == [1.0]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"weight": "2", "steps": 3}, TypeError, "weight"),
        ({"weight": np.nan, "steps": 3}, ValueError, "weight"),
        ({"weight": 2.0, "steps": -1}, ValueError, "steps"),
        ({"weight": 2.0, "steps": 2.5}, TypeError, "steps"),
    ],
)
def test_repeated_multiplication_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        repeated_multiplication(**kwargs)


# ---------------------------------------------------------------- scaled layers


def test_scaled_layer_sets_the_scale_and_the_keep_gate_bias():
    lstm = scaled_layer("LSTM", 3, 64, weight_scale=2.0, keep_bias=1.5, seed=1)
    assert isinstance(lstm, LSTM)
    assert np.std(lstm.params["weight_hh"]) == pytest.approx(2.0 / 8.0, rel=0.05)
    bias = lstm.params["bias_ih"]
    assert np.all(bias[64:128] == 1.5) and np.all(bias[:64] == 0) and np.all(bias[128:] == 0)
    gru = scaled_layer("gru", 3, 4, keep_bias=-2.0, reset="before")
    assert gru.reset == "before" and gru.params["bias_ih"][4:8].tolist() == [-2.0] * 4
    rnn = scaled_layer("rnn", 3, 4, keep_bias=9.0)
    assert isinstance(rnn, RNN) and not rnn.params["bias_ih"].any()


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"kind": "transformer"}, ValueError, "kind"),
        ({"kind": "lstm", "weight_scale": -1.0}, ValueError, "weight_scale"),
        ({"kind": "lstm", "hidden_size": 0}, ValueError, "hidden_size"),
        ({"kind": "gru", "reset": "sideways"}, ValueError, "reset"),
    ],
)
def test_scaled_layer_rejects_bad_input(kwargs, error, words):
    kwargs = {"input_size": 2, "hidden_size": 3, **kwargs}
    with pytest.raises(error, match=words):
        scaled_layer(**kwargs)


# ---------------------------------------------------------------- gradient norms


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_gradient_norms_reach_back_to_the_layers_own_backward(kind):
    """The step-by-step walk back through `cells` ends where `layers`' BPTT ends."""
    norms = gradient_norms_by_distance(
        kind, hidden_size=5, length=9, weight_scale=1.3, keep_bias=1.0, seed=3
    )
    assert norms.hidden.shape == norms.distance.shape == (10,)
    assert norms.hidden[0] == 1.0
    H = 5
    x = np.repeat(norms.inputs[:, None, :], H, axis=1)
    norms.layer.forward(x)
    if kind == "lstm":
        norms.layer.backward(None, (np.eye(H), None))
        dh0, dc0 = norms.layer.d_initial_state
        assert norms.cell[9] == pytest.approx(np.linalg.norm(dc0) / np.sqrt(H), rel=1e-10)
    else:
        norms.layer.backward(None, np.eye(H))
        dh0 = norms.layer.d_initial_state
        assert norms.cell is None
    assert norms.hidden[9] == pytest.approx(np.linalg.norm(dh0) / np.sqrt(H), rel=1e-10)


def _final_hidden(norms, distance, nudge_h, nudge_c):
    """h_T of ``norms``' layer on its sequence (batch 1), with the state at ``distance``
    steps from the end nudged: ``h_{T-k} += nudge_h``, and ``c_{T-k} += nudge_c`` where
    it is computed, so that step T-k's own output ``o * tanh(c)`` sees the nudge too."""
    p = norms.layer.params
    weights = (p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    T, H = norms.inputs.shape[0], norms.layer.hidden_size
    h, c = np.zeros(H), np.zeros(H)
    if distance == T:
        h, c = h + nudge_h, c + nudge_c
    for t, x_t in enumerate(norms.inputs, start=1):
        if norms.kind == "lstm":
            h, c, cache = cells.lstm_step(x_t, h, c, *weights)
            if t == T - distance:
                c = c + nudge_c
                h = cache["o"][0] * np.tanh(c)
        elif norms.kind == "rnn":
            h, _ = cells.rnn_step(x_t, h, *weights)
        else:
            h, _ = cells.gru_step(x_t, h, *weights, reset=norms.layer.reset)
        if t == T - distance:
            h = h + nudge_h
    return h


def _finite_difference_size(norms, distance, state, eps=1e-6):
    """||dh_T / d state_{T-k}||_F / sqrt(H) by central differences, one column at a time."""
    H = norms.layer.hidden_size
    columns = []
    for j in range(H):
        nudge = np.zeros(H)
        nudge[j] = eps
        args = (nudge, 0 * nudge) if state == "h" else (0 * nudge, nudge)
        minus = (-args[0], -args[1])
        columns.append(
            (_final_hidden(norms, distance, *args) - _final_hidden(norms, distance, *minus))
            / (2 * eps)
        )
    return np.linalg.norm(np.array(columns)) / np.sqrt(H)


def _final_o_and_c(norms):
    """The last step's output gate o_T and cell state c_T (batch 1)."""
    p = norms.layer.params
    H = norms.layer.hidden_size
    h, c = np.zeros(H), np.zeros(H)
    for x_t in norms.inputs:
        h, c, cache = cells.lstm_step(
            x_t, h, c, p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"]
        )
    return cache["o"][0], c


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_gradient_norms_match_a_finite_difference_jacobian(kind):
    """Every distance, k = 0 included, measures the same thing: the Jacobian of h_T."""
    norms = gradient_norms_by_distance(
        kind, hidden_size=4, length=6, weight_scale=1.3, keep_bias=1.0, seed=2
    )
    for k in range(7):
        assert norms.hidden[k] == pytest.approx(_finite_difference_size(norms, k, "h"), rel=1e-6), k
        if kind == "lstm":
            assert norms.cell[k] == pytest.approx(
                _finite_difference_size(norms, k, "c"), rel=1e-6
            ), k
    if kind == "lstm":  # at k = 0 only h_T = o_T * tanh(c_T) lies between them
        o, c = _final_o_and_c(norms)
        assert norms.cell[0] == pytest.approx(np.sqrt(np.mean((o * (1 - np.tanh(c) ** 2)) ** 2)))


def test_rnn_gradients_vanish_with_a_small_weight_scale_and_grow_with_a_large_one():
    small = gradient_norms_by_distance("rnn", 16, 60, weight_scale=0.5).hidden
    assert small[60] < 1e-12 * small[1]
    assert np.all(np.diff(np.log(small[1:])) < 0)  # shrinks at every step back
    large = gradient_norms_by_distance("rnn", 16, 60, weight_scale=3.0).hidden
    assert large[30] > 1.0 and large[60] > large[10]


def test_a_high_forget_bias_keeps_lstm_and_gru_gradients_alive():
    rnn = gradient_norms_by_distance("rnn", 16, 60, weight_scale=1.0).hidden[60]
    for kind in ("lstm", "gru"):
        open_gate = gradient_norms_by_distance(kind, 16, 60, weight_scale=1.0, keep_bias=4.0)
        closed = gradient_norms_by_distance(kind, 16, 60, weight_scale=1.0, keep_bias=-2.0)
        assert open_gate.hidden[60] > 1e6 * rnn
        assert open_gate.hidden[60] > 1e6 * closed.hidden[60]
    lstm = gradient_norms_by_distance("lstm", 16, 60, weight_scale=1.0, keep_bias=4.0)
    assert lstm.cell[60] > 1e-3  # the cell-state highway


def test_gradient_norms_follow_the_seed():
    a = gradient_norms_by_distance("gru", 6, 15, seed=1).hidden
    assert np.array_equal(a, gradient_norms_by_distance("gru", 6, 15, seed=1).hidden)
    assert not np.array_equal(a, gradient_norms_by_distance("gru", 6, 15, seed=2).hidden)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"kind": "elman"}, ValueError, "kind"),
        ({"kind": "rnn", "length": 0}, ValueError, "length"),
        ({"kind": "rnn", "seed": -1}, ValueError, "seed"),
        ({"kind": "rnn", "weight_scale": np.inf}, ValueError, "weight_scale"),
    ],
)
def test_gradient_norms_reject_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        gradient_norms_by_distance(**kwargs)


# ------------------------------------------------------------------ the cell-state path
def test_cell_state_gradient_is_the_product_of_forget_gates():
    layer = scaled_layer("lstm", 2, 3, keep_bias=2.0, seed=4)
    x = np.random.default_rng(1).normal(size=(6, 2, 2))
    path = cell_state_gradient(layer, x)
    f = gate_activations(layer, x)["f"]
    np.testing.assert_array_equal(path.forget_gate, f)
    assert path.to_end.shape == (7, 2, 3)
    np.testing.assert_array_equal(path.to_end[6], 1.0)
    np.testing.assert_allclose(path.to_end[2], f[2] * f[3] * f[4] * f[5])
    np.testing.assert_allclose(path.to_end[0], np.prod(f, axis=0))


def test_cell_state_gradient_needs_an_lstm():
    with pytest.raises(TypeError, match="update gate"):
        cell_state_gradient(GRU(2, 3), np.zeros((2, 1, 2)))


# ------------------------------------------------------------------ backward factors (tanh part, weight part)


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
            h, _ = cells.rnn_step(
                x_t, h, p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"]
            )
        jac = np.empty((H, H))
        for j in range(H):
            bump = np.zeros((1, H))
            bump[0, j] = eps
            jac[:, j] = (
                _final_state(layer, x[start:], h + bump) - _final_state(layer, x[start:], h - bump)
            ) / (2 * eps)
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

    for scale in (0.5, 2.0):
        norms = gradient_norms_by_distance(
            "rnn", hidden_size=6, length=15, weight_scale=scale, seed=3
        )
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


@pytest.mark.parametrize(
    "x, expected",
    [
        (np.zeros((4, 2, 2)), r"\(4, 2, 2\)"),  # a batch of 2: one sequence only
        (np.zeros((4, 1, 3)), r"\(4, 1, 3\)"),  # wrong input size
        (np.zeros((4, 2)), r"\(4, 2\)"),  # batch axis missing
    ],
)
def test_rejects_badly_shaped_x_naming_it(x, expected):
    with pytest.raises(ValueError, match=rf"x.*{expected}"):
        backward_factors(RNN(2, 3), x)


def test_rejects_an_empty_sequence():
    with pytest.raises(ValueError, match="T >= 1"):
        backward_factors(RNN(2, 3), np.zeros((0, 1, 2)))


def test_forget_bias_is_a_deprecated_name_for_keep_bias():
    with pytest.warns(DeprecationWarning, match="keep_bias"):
        old = scaled_layer("gru", 2, 3, forget_bias=2.5)
    new = scaled_layer("gru", 2, 3, keep_bias=2.5)
    for name, value in new.params.items():
        np.testing.assert_array_equal(old.params[name], value)
    with pytest.warns(DeprecationWarning):
        old = gradient_norms_by_distance("lstm", 4, 5, forget_bias=1.0)
    np.testing.assert_array_equal(
        old.cell, gradient_norms_by_distance("lstm", 4, 5, keep_bias=1.0).cell
    )


def test_docstring_examples_run():
    import doctest

    from lstm_gru_course.analysis import gradients

    result = doctest.testmod(gradients)
    assert result.attempted > 0 and result.failed == 0
