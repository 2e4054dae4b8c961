"""Tests for lstm_gru_course.analysis.gates: source lines, gate activations, the article's cell."""

import numpy as np
import pytest
from analysis_helpers import random_params

from lstm_gru_course import cells
from lstm_gru_course.analysis.gates import (
    article_lstm_cell,
    combine,
    gate_activations,
    joined_parameters,
    lines_that_compute,
    run_article_loop,
)
from lstm_gru_course.layers import GRU, LSTM, RNN

# ------------------------------------------------------------------ lines_that_compute


# fmt: off
def _sample(x, flag):   # a statement over two lines on purpose: it must come whole
    a = x + 1
    b, c = a, (a +
               2)
    if flag:
        d = a * 2
    else:
        d = a * 3
    return b, c, d
# fmt: on


def test_lines_that_compute_returns_whole_statements_and_their_if():
    shown = lines_that_compute(_sample, "c", "d")
    assert shown.code.splitlines() == [
        "b, c = a, (a +",
        "           2)",
        "if flag:",
        "    d = a * 2",
        "else:",
        "    d = a * 3",
    ]
    assert str(shown).splitlines()[0].endswith(", _sample")
    assert shown._repr_markdown_().startswith("```python\n#")
    assert repr(shown) == str(shown)


def test_lines_that_compute_reads_the_cells_the_book_shows():
    code = lines_that_compute(cells.lstm_step, "i", "f", "g", "o", "c", "h").code
    assert [line.split(" =")[0] for line in code.splitlines()] == ["i", "f", "g", "o", "c", "h"]
    gru = lines_that_compute(cells.gru_step, "n").code
    assert gru.count("n = tanh(") == 2 and "else:" in gru


def test_lines_that_compute_rejects_unknown_names_and_non_functions():
    with pytest.raises(ValueError, match="no variable named \\['zz'\\]"):
        lines_that_compute(cells.lstm_step, "f", "zz")
    with pytest.raises(ValueError, match="names"):
        lines_that_compute(cells.lstm_step)
    with pytest.raises(TypeError, match="function"):
        lines_that_compute(42, "f")


# ------------------------------------------------------------------ the article's pseudo-code


def test_combine_concatenates_and_add_loses_which_is_which():
    h1, x1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    h2, x2 = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    assert np.array_equal(combine(h1, x1, how="add"), combine(h2, x2, how="add"))
    assert not np.array_equal(combine(h1, x1), combine(h2, x2))
    assert combine(np.zeros((3, 2)), np.ones((3, 5))).shape == (3, 7)
    with pytest.raises(ValueError, match="needs H == I"):
        combine(np.zeros((3, 2)), np.ones((3, 5)), how="add")
    with pytest.raises(ValueError, match="how must be one of"):
        combine(h1, x1, how="plus")


def test_article_cell_is_the_package_lstm_step():
    params = random_params(4, 3, 4, seed=0)
    rng = np.random.default_rng(1)
    x, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    weight, bias = joined_parameters(*params)
    assert weight.shape == (16, 7) and bias.shape == (16,)
    ht, Ct = article_lstm_cell(c, h, x, weight, bias)
    h_ref, c_ref, _ = cells.lstm_step(x, h, c, *params)
    np.testing.assert_allclose(ht, h_ref, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(Ct, c_ref, rtol=1e-13, atol=1e-14)


def test_the_fixed_loop_matches_the_layer_and_the_printed_one_does_not():
    layer = LSTM(3, 4, seed=2)
    x = np.random.default_rng(3).normal(size=(6, 2, 3))
    outputs, (h, c) = layer.forward(x)
    weight, bias = joined_parameters(
        *(layer.params[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
    )
    fixed, (ht, ct) = run_article_loop(x, weight, bias)
    np.testing.assert_allclose(fixed, outputs, atol=1e-14)
    np.testing.assert_allclose(ht, h, atol=1e-14)
    np.testing.assert_allclose(ct, c, atol=1e-14)
    printed, (ht_var, ct_var) = run_article_loop(x, weight, bias, unpacking="as_printed")
    np.testing.assert_allclose(printed[0], outputs[0], atol=1e-14)  # same first step
    assert np.abs(printed[1:] - outputs[1:]).max(axis=(1, 2)).min() > 1e-3
    np.testing.assert_allclose(ct_var, printed[-1])  # 'ct' holds a hidden state
    assert not np.allclose(ht_var, printed[-1])


def test_article_functions_name_bad_shapes():
    weight, bias = joined_parameters(*random_params(4, 3, 4, seed=0))
    with pytest.raises(ValueError, match="weight must have shape \\(16, 9\\)"):
        article_lstm_cell(np.zeros(4), np.zeros(4), np.zeros(5), weight, bias)
    with pytest.raises(ValueError, match=r"weight_hh must have shape \(4\*H, H\)"):
        joined_parameters(np.zeros((12, 3)), np.zeros((12, 4)), np.zeros(12), np.zeros(12))
    with pytest.raises(ValueError, match="unpacking must be one of"):
        run_article_loop(np.zeros((2, 1, 3)), weight, bias, unpacking="swapped")
    with pytest.raises(ValueError, match="T >= 1 and B >= 1"):
        run_article_loop(np.zeros((0, 1, 3)), weight, bias)
    with pytest.raises(ValueError, match="weight must have shape \\(4H, H \\+ I\\)"):
        run_article_loop(np.zeros((2, 1, 3)), weight[:15], bias[:15])


# ------------------------------------------------------------------ every gate along a sequence


@pytest.mark.parametrize(
    "layer",
    [RNN(3, 4, seed=1), LSTM(3, 4, seed=1), GRU(3, 4, seed=1), GRU(3, 4, seed=1, reset="before")],
)
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
