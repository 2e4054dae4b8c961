"""Tests for lstm_gru_course.memory and lstm_gru_course.charmodel: the numbers behind the
memory chapters."""

import doctest

import numpy as np
import pytest

from lstm_gru_course import cells, charmodel, memory
from lstm_gru_course.layers import GRU, LSTM, RNN
from lstm_gru_course.memory import (
    cell_state_gradient, gate_activations, gradient_norms_by_distance, memory_span_run,
    repeated_multiplication, scaled_layer,
)

# ---------------------------------------------------------------- repeated multiplication


@pytest.mark.parametrize("weight", [-1.5, 0.5, 3.0])
def test_repeated_multiplication_is_a_power_and_tanh_stays_bounded(weight):
    r = repeated_multiplication(weight, 12, start=0.7)
    k = np.arange(13)
    np.testing.assert_allclose(r["plain"], 0.7 * weight ** k, rtol=1e-12)
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


@pytest.mark.parametrize("kwargs, error, words", [
    ({"weight": "2", "steps": 3}, TypeError, "weight"),
    ({"weight": np.nan, "steps": 3}, ValueError, "weight"),
    ({"weight": 2.0, "steps": -1}, ValueError, "steps"),
    ({"weight": 2.0, "steps": 2.5}, TypeError, "steps"),
])
def test_repeated_multiplication_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        repeated_multiplication(**kwargs)


# ---------------------------------------------------------------- scaled layers


def test_scaled_layer_sets_the_scale_and_the_keep_gate_bias():
    lstm = scaled_layer("LSTM", 3, 64, weight_scale=2.0, forget_bias=1.5, seed=1)
    assert isinstance(lstm, LSTM)
    assert np.std(lstm.params["weight_hh"]) == pytest.approx(2.0 / 8.0, rel=0.05)
    bias = lstm.params["bias_ih"]
    assert np.all(bias[64:128] == 1.5) and np.all(bias[:64] == 0) and np.all(bias[128:] == 0)
    gru = scaled_layer("gru", 3, 4, forget_bias=-2.0, reset="before")
    assert gru.reset == "before" and gru.params["bias_ih"][4:8].tolist() == [-2.0] * 4
    rnn = scaled_layer("rnn", 3, 4, forget_bias=9.0)
    assert isinstance(rnn, RNN) and not rnn.params["bias_ih"].any()


@pytest.mark.parametrize("kwargs, error, words", [
    ({"kind": "transformer"}, ValueError, "kind"),
    ({"kind": "lstm", "weight_scale": -1.0}, ValueError, "weight_scale"),
    ({"kind": "lstm", "hidden_size": 0}, ValueError, "hidden_size"),
    ({"kind": "gru", "reset": "sideways"}, ValueError, "reset"),
])
def test_scaled_layer_rejects_bad_input(kwargs, error, words):
    kwargs = {"input_size": 2, "hidden_size": 3, **kwargs}
    with pytest.raises(error, match=words):
        scaled_layer(**kwargs)


# ---------------------------------------------------------------- gradient norms


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_gradient_norms_reach_back_to_the_layers_own_backward(kind):
    """The step-by-step walk back through `cells` ends where `layers`' BPTT ends."""
    norms = gradient_norms_by_distance(kind, hidden_size=5, length=9, weight_scale=1.3,
                                       forget_bias=1.0, seed=3)
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
        columns.append((_final_hidden(norms, distance, *args)
                        - _final_hidden(norms, distance, *minus)) / (2 * eps))
    return np.linalg.norm(np.array(columns)) / np.sqrt(H)


def _final_o_and_c(norms):
    """The last step's output gate o_T and cell state c_T (batch 1)."""
    p = norms.layer.params
    H = norms.layer.hidden_size
    h, c = np.zeros(H), np.zeros(H)
    for x_t in norms.inputs:
        h, c, cache = cells.lstm_step(x_t, h, c, p["weight_ih"], p["weight_hh"],
                                      p["bias_ih"], p["bias_hh"])
    return cache["o"][0], c


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_gradient_norms_match_a_finite_difference_jacobian(kind):
    """Every distance, k = 0 included, measures the same thing: the Jacobian of h_T."""
    norms = gradient_norms_by_distance(kind, hidden_size=4, length=6, weight_scale=1.3,
                                       forget_bias=1.0, seed=2)
    for k in range(7):
        assert norms.hidden[k] == pytest.approx(_finite_difference_size(norms, k, "h"),
                                                rel=1e-6), k
        if kind == "lstm":
            assert norms.cell[k] == pytest.approx(_finite_difference_size(norms, k, "c"),
                                                  rel=1e-6), k
    if kind == "lstm":     # at k = 0 only h_T = o_T * tanh(c_T) lies between them
        o, c = _final_o_and_c(norms)
        assert norms.cell[0] == pytest.approx(np.sqrt(np.mean((o * (1 - np.tanh(c) ** 2)) ** 2)))


def test_rnn_gradients_vanish_with_a_small_weight_scale_and_grow_with_a_large_one():
    small = gradient_norms_by_distance("rnn", 16, 60, weight_scale=0.5).hidden
    assert small[60] < 1e-12 * small[1]
    assert np.all(np.diff(np.log(small[1:])) < 0)          # shrinks at every step back
    large = gradient_norms_by_distance("rnn", 16, 60, weight_scale=3.0).hidden
    assert large[30] > 1.0 and large[60] > large[10]


def test_a_high_forget_bias_keeps_lstm_and_gru_gradients_alive():
    rnn = gradient_norms_by_distance("rnn", 16, 60, weight_scale=1.0).hidden[60]
    for kind in ("lstm", "gru"):
        open_gate = gradient_norms_by_distance(kind, 16, 60, weight_scale=1.0, forget_bias=4.0)
        closed = gradient_norms_by_distance(kind, 16, 60, weight_scale=1.0, forget_bias=-2.0)
        assert open_gate.hidden[60] > 1e6 * rnn
        assert open_gate.hidden[60] > 1e6 * closed.hidden[60]
    lstm = gradient_norms_by_distance("lstm", 16, 60, weight_scale=1.0, forget_bias=4.0)
    assert lstm.cell[60] > 1e-3                              # the cell-state highway


def test_gradient_norms_follow_the_seed():
    a = gradient_norms_by_distance("gru", 6, 15, seed=1).hidden
    assert np.array_equal(a, gradient_norms_by_distance("gru", 6, 15, seed=1).hidden)
    assert not np.array_equal(a, gradient_norms_by_distance("gru", 6, 15, seed=2).hidden)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"kind": "elman"}, ValueError, "kind"),
    ({"kind": "rnn", "length": 0}, ValueError, "length"),
    ({"kind": "rnn", "seed": -1}, ValueError, "seed"),
    ({"kind": "rnn", "weight_scale": np.inf}, ValueError, "weight_scale"),
])
def test_gradient_norms_reject_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        gradient_norms_by_distance(**kwargs)


# ---------------------------------------------------------------- gates and cell state


@pytest.mark.parametrize("layer", [RNN(3, 4, seed=1), LSTM(3, 4, seed=1), GRU(3, 4, seed=1),
                                   GRU(3, 4, seed=1, reset="before")])
def test_gate_activations_agree_with_the_layer(layer):
    x = np.random.default_rng(0).normal(size=(7, 2, 3))
    outputs, _ = layer.forward(x)
    acts = gate_activations(layer, x)
    np.testing.assert_allclose(acts["h"], outputs, atol=1e-12)
    for key, value in acts.items():
        assert value.shape == (7, 2, 4)
        if key in ("i", "f", "o", "r", "z"):
            assert np.all((value > 0) & (value < 1)), key


def test_gate_activations_start_from_a_given_state():
    layer, x = LSTM(2, 3, seed=0), np.ones((4, 1, 2))
    state = (np.full((1, 3), 0.5), np.full((1, 3), -1.0))
    outputs, _ = layer.forward(x, state)
    np.testing.assert_allclose(gate_activations(layer, x, state)["h"], outputs, atol=1e-12)


def test_gate_activations_reject_bad_input():
    with pytest.raises(TypeError, match="layer"):
        gate_activations("lstm", np.zeros((2, 1, 2)))
    with pytest.raises(ValueError, match="x"):
        gate_activations(LSTM(2, 3), np.zeros((2, 1, 5)))
    with pytest.raises(TypeError, match="state"):
        gate_activations(LSTM(2, 3), np.zeros((2, 1, 2)), state=np.zeros((1, 3)))


def test_cell_state_gradient_is_the_product_of_forget_gates():
    layer = scaled_layer("lstm", 2, 3, forget_bias=2.0, seed=4)
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


# ---------------------------------------------------------------- memory span runs


def test_memory_span_run_learns_a_short_lag_and_repeats_itself():
    calls = []
    run = memory_span_run("lstm", lag=3, steps=60, seed=0,
                          on_step=lambda k, n: calls.append((k, n)))
    assert run.history.loss.shape == (60,) and run.test_accuracy > 0.9
    assert run.history.chance_accuracy == 0.5 and run.kind == "lstm" and run.lag == 3
    assert calls == [(k, 60) for k in range(60)]
    again = memory_span_run("lstm", lag=3, steps=60, seed=0)
    np.testing.assert_array_equal(run.history.loss, again.history.loss)


def test_an_rnn_trained_briefly_on_a_long_lag_stays_near_chance():
    run = memory_span_run("rnn", lag=30, steps=30, seed=0)
    assert run.test_accuracy < 0.7


@pytest.mark.parametrize("kwargs, error, words", [
    ({"kind": "cnn"}, ValueError, "kind"),
    ({"lag": 0}, ValueError, "lag"),
    ({"steps": 0}, ValueError, "steps"),
    ({"on_step": 3}, TypeError, "on_step"),
])
def test_memory_span_run_rejects_bad_input(kwargs, error, words):
    kwargs = {"kind": "rnn", "lag": 2, "steps": 2, **kwargs}
    with pytest.raises(error, match=words):
        memory_span_run(**kwargs)


# ---------------------------------------------------------------- the character model


def test_shipped_character_models_load_and_are_small():
    for kind in ("lstm", "gru"):
        path = charmodel.DATA_DIR / f"char_{kind}.npz"
        assert path.stat().st_size < 100_000
        model = charmodel.load_char_model(kind)
        assert model.kind == kind and set(model.vocabulary) == set(charmodel.load_corpus())
        assert float(model.info["final_loss"]) < 0.5 * float(model.info["chance_loss"])


def test_generation_follows_seed_and_temperature():
    model = charmodel.load_char_model("lstm")
    a = charmodel.generate(model, "Old ", 60, 0.8, seed=3)
    assert a == charmodel.generate(model, "Old ", 60, 0.8, seed=3)
    assert a.startswith("Old ") and len(a) == 64 and set(a) <= set(model.vocabulary)
    cold = charmodel.next_character_probabilities(model, "Little ", 0.2)
    hot = charmodel.next_character_probabilities(model, "Little ", 2.0)
    assert cold.max() > hot.max() and cold.sum() == pytest.approx(1.0)


def test_a_saved_model_loads_back_and_generates_the_same(tmp_path):
    text = "abcabcabd" * 20
    model, history = charmodel.train_char_model(text, "gru", hidden_size=4, steps=5, length=8,
                                                batch_size=4)
    assert history.loss.shape == (5,)
    path = charmodel.save_char_model(model, tmp_path / "m.npz")
    back = charmodel.load_char_model(path)
    assert back.vocabulary == "abcd" and back.kind == "gru"
    for name, value in model.layer.params.items():
        np.testing.assert_allclose(back.layer.params[name], value, rtol=1e-6)
    assert charmodel.generate(back, "ab", 10, seed=1) == charmodel.generate(
        charmodel.CharModel(back.vocabulary, back.layer, back.readout), "ab", 10, seed=1)


def test_character_model_rejects_bad_input():
    model = charmodel.load_char_model("gru")
    with pytest.raises(ValueError, match="never saw"):
        charmodel.generate(model, "Zebra 42")
    with pytest.raises(ValueError, match="temperature"):
        charmodel.generate(model, "Old", temperature=0.0)
    with pytest.raises(TypeError, match="model"):
        charmodel.generate("gru", "Old")
    with pytest.raises(ValueError, match="length"):
        charmodel.text_batches("abc", "abc", length=5, batch_size=2)
    with pytest.raises(FileNotFoundError):
        charmodel.load_char_model("/nonexistent/model.npz")


def test_docstring_examples_run():
    for module in (memory, charmodel):
        failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried > 0 and failures == 0, module.__name__
