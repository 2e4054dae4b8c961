"""Tests of lstm_gru_course.gates_lessons: the chapters' small computations."""

import numpy as np
import pytest

from lstm_gru_course import cells, gates_lessons as gl
from lstm_gru_course.layers import GRU, LSTM


def _lstm_params(I, H, seed):
    rng = np.random.default_rng(seed)
    return (rng.normal(scale=0.6, size=(4 * H, I)), rng.normal(scale=0.6, size=(4 * H, H)),
            rng.normal(scale=0.4, size=4 * H), rng.normal(scale=0.4, size=4 * H))


def _gru_params(I, H, seed):
    rng = np.random.default_rng(seed)
    return (rng.normal(scale=0.6, size=(3 * H, I)), rng.normal(scale=0.6, size=(3 * H, H)),
            rng.normal(scale=0.4, size=3 * H), rng.normal(scale=0.4, size=3 * H))


# ------------------------------------------------------------------ lines_that_compute


def _sample(x, flag):
    a = x + 1
    b, c = a, (a +
               2)
    if flag:
        d = a * 2
    else:
        d = a * 3
    return b, c, d


def test_lines_that_compute_returns_whole_statements_and_their_if():
    shown = gl.lines_that_compute(_sample, "c", "d")
    assert shown.code.splitlines() == [
        "b, c = a, (a +", "           2)", "if flag:", "    d = a * 2", "else:", "    d = a * 3"]
    assert str(shown).splitlines()[0].endswith(", _sample")
    assert shown._repr_markdown_().startswith("```python\n#")
    assert repr(shown) == str(shown)


def test_lines_that_compute_reads_the_cells_the_book_shows():
    code = gl.lines_that_compute(cells.lstm_step, "i", "f", "g", "o", "c", "h").code
    assert [line.split(" =")[0] for line in code.splitlines()] == ["i", "f", "g", "o", "c", "h"]
    gru = gl.lines_that_compute(cells.gru_step, "n").code
    assert gru.count("n = tanh(") == 2 and "else:" in gru


def test_lines_that_compute_rejects_unknown_names_and_non_functions():
    with pytest.raises(ValueError, match="no variable named \\['zz'\\]"):
        gl.lines_that_compute(cells.lstm_step, "f", "zz")
    with pytest.raises(ValueError, match="names"):
        gl.lines_that_compute(cells.lstm_step)
    with pytest.raises(TypeError, match="function"):
        gl.lines_that_compute(42, "f")


# ------------------------------------------------------------------ the article's pseudo-code


def test_combine_concatenates_and_add_loses_which_is_which():
    h1, x1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    h2, x2 = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    assert np.array_equal(gl.combine(h1, x1, how="add"), gl.combine(h2, x2, how="add"))
    assert not np.array_equal(gl.combine(h1, x1), gl.combine(h2, x2))
    assert gl.combine(np.zeros((3, 2)), np.ones((3, 5))).shape == (3, 7)
    with pytest.raises(ValueError, match="needs H == I"):
        gl.combine(np.zeros((3, 2)), np.ones((3, 5)), how="add")
    with pytest.raises(ValueError, match="how must be one of"):
        gl.combine(h1, x1, how="plus")


def test_article_cell_is_the_package_lstm_step():
    params = _lstm_params(3, 4, seed=0)
    rng = np.random.default_rng(1)
    x, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    weight, bias = gl.joined_parameters(*params)
    assert weight.shape == (16, 7) and bias.shape == (16,)
    ht, Ct = gl.article_lstm_cell(c, h, x, weight, bias)
    h_ref, c_ref, _ = cells.lstm_step(x, h, c, *params)
    np.testing.assert_allclose(ht, h_ref, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(Ct, c_ref, rtol=1e-13, atol=1e-14)


def test_the_fixed_loop_matches_the_layer_and_the_printed_one_does_not():
    layer = LSTM(3, 4, seed=2)
    x = np.random.default_rng(3).normal(size=(6, 2, 3))
    outputs, (h, c) = layer.forward(x)
    weight, bias = gl.joined_parameters(*(layer.params[k] for k in
                                          ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
    fixed, (ht, ct) = gl.run_article_loop(x, weight, bias)
    np.testing.assert_allclose(fixed, outputs, atol=1e-14)
    np.testing.assert_allclose(ht, h, atol=1e-14)
    np.testing.assert_allclose(ct, c, atol=1e-14)
    printed, (ht_var, ct_var) = gl.run_article_loop(x, weight, bias, unpacking="as_printed")
    np.testing.assert_allclose(printed[0], outputs[0], atol=1e-14)     # same first step
    assert np.abs(printed[1:] - outputs[1:]).max(axis=(1, 2)).min() > 1e-3
    np.testing.assert_allclose(ct_var, printed[-1])    # 'ct' holds a hidden state
    assert not np.allclose(ht_var, printed[-1])


def test_article_functions_name_bad_shapes():
    weight, bias = gl.joined_parameters(*_lstm_params(3, 4, seed=0))
    with pytest.raises(ValueError, match="weight must have shape \\(16, 9\\)"):
        gl.article_lstm_cell(np.zeros(4), np.zeros(4), np.zeros(5), weight, bias)
    with pytest.raises(ValueError, match="weight_hh must have shape \\(4H, H\\)"):
        gl.joined_parameters(np.zeros((12, 3)), np.zeros((12, 4)), np.zeros(12), np.zeros(12))
    with pytest.raises(ValueError, match="unpacking must be one of"):
        gl.run_article_loop(np.zeros((2, 1, 3)), weight, bias, unpacking="swapped")
    with pytest.raises(ValueError, match="T >= 1 and B >= 1"):
        gl.run_article_loop(np.zeros((0, 1, 3)), weight, bias)
    with pytest.raises(ValueError, match="weight must have shape \\(4H, H \\+ I\\)"):
        gl.run_article_loop(np.zeros((2, 1, 3)), weight[:15], bias[:15])


# ------------------------------------------------------------------ the GRU's conventions


def test_olah_gru_with_flipped_update_gate_is_cho_reset_before():
    params = _gru_params(3, 5, seed=4)
    rng = np.random.default_rng(5)
    x, h = rng.normal(size=(2, 3)), rng.uniform(-0.9, 0.9, size=(2, 5))
    olah = gl.olah_gru_step(x, h, *params)
    flipped = gl.flip_update_gate(*params)
    cho, _ = cells.gru_step(x, h, *flipped, reset="before")
    np.testing.assert_allclose(olah, cho, rtol=1e-13, atol=1e-14)
    same_weights, _ = cells.gru_step(x, h, *params, reset="before")
    assert np.abs(olah - same_weights).max() > 1e-2        # unflipped: different numbers
    pytorch, _ = cells.gru_step(x, h, *flipped, reset="after")
    assert np.abs(cho - pytorch).max() > 1e-3               # reset before vs after differ


def test_flip_update_gate_negates_only_the_z_block_and_copies():
    params = _gru_params(2, 3, seed=6)
    flipped = gl.flip_update_gate(*params)
    for before, after in zip(params, flipped):
        np.testing.assert_array_equal(after[3:6], -before[3:6])
        np.testing.assert_array_equal(np.delete(after, np.s_[3:6], axis=0),
                                      np.delete(before, np.s_[3:6], axis=0))
        assert after is not before
    with pytest.raises(ValueError, match="weight_hh must have shape \\(3H, H\\)"):
        gl.flip_update_gate(np.zeros((8, 2)), np.zeros((8, 2)), np.zeros(8), np.zeros(8))


def test_olah_gru_checks_shapes():
    params = _gru_params(3, 5, seed=4)
    with pytest.raises(ValueError, match="x must have shape"):
        gl.olah_gru_step(np.zeros((2, 4)), np.zeros((2, 5)), *params)
    with pytest.raises(ValueError, match="h_prev must have shape"):
        gl.olah_gru_step(np.zeros((2, 3)), np.zeros((2, 4)), *params)


# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize("cell, layer_class, G", [("lstm", LSTM, 4), ("gru", GRU, 3)])
def test_parameter_count_matches_the_layers(cell, layer_class, G):
    layer = layer_class(7, 5)
    assert gl.parameter_count(cell, 7, 5) == sum(p.size for p in layer.params.values())
    ops = gl.operation_count(cell, 7, 5, batch_size=3)
    assert ops["matrix multiply-adds"] == 3 * G * 5 * (7 + 5)


def test_gru_does_three_quarters_of_the_lstm_matrix_work():
    lstm, gru = gl.operation_count("lstm", 64, 64), gl.operation_count("gru", 64, 64)
    assert gru["matrix multiply-adds"] * 4 == lstm["matrix multiply-adds"] * 3
    assert gru["sigmoids"] + gru["tanhs"] < lstm["sigmoids"] + lstm["tanhs"]
    assert gl.parameter_count("gru", 64, 64) * 4 == gl.parameter_count("lstm", 64, 64) * 3


def test_sizes_reject_bad_arguments():
    with pytest.raises(ValueError, match="cell must be one of"):
        gl.parameter_count("transformer", 3, 4)
    with pytest.raises(TypeError, match="hidden_size must be a positive integer"):
        gl.operation_count("lstm", 3, 4.5)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        gl.operation_count("gru", 3, 4, batch_size=0)


# ------------------------------------------------------------------ training curves


def test_steps_to_learn_finds_the_first_window_at_the_level():
    accuracy = np.array([0.5, 0.6, 0.8, 1.0, 1.0, 0.5, 1.0])
    assert gl.steps_to_learn(accuracy, level=0.95, window=2) == 5
    assert gl.steps_to_learn(accuracy, level=0.75, window=2) == 4
    assert gl.steps_to_learn(accuracy, level=0.95, window=1) == 4
    assert gl.steps_to_learn(np.full(20, 0.5)) is None


def test_steps_to_learn_rejects_bad_arguments():
    with pytest.raises(ValueError, match="at least window = 10"):
        gl.steps_to_learn(np.ones(5))
    with pytest.raises(ValueError, match="level must be an accuracy"):
        gl.steps_to_learn(np.ones(20), level=95)
    with pytest.raises(TypeError, match="accuracy must be a numpy array"):
        gl.steps_to_learn([1.0] * 20)
    with pytest.raises(TypeError, match="level must be a real number"):
        gl.steps_to_learn(np.ones(20), level="high")


# ------------------------------------------------------------------ printing


def test_number_table_aligns_rows_and_columns():
    text = gl.number_table({"RNN": [0.0066, 1.6e-12], "LSTM, forget bias 3": [0.12, 0.069]},
                           ["k = 10", "k = 50"], corner="gradient")
    lines = text.splitlines()
    assert len(lines) == 3 and len({len(line) for line in lines}) == 1
    assert lines[1].split() == ["RNN", "0.0066", "1.6e-12"]
    assert lines[0].startswith("gradient") and lines[0].endswith("k = 50")
    assert gl.number_table({"a": [1 / 3]}, ["x"], digits=4).endswith("0.3333")


def test_number_table_rejects_rows_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"rows\['RNN'\] must have shape \(2,\)"):
        gl.number_table({"RNN": [1.0, 2.0, 3.0]}, ["a", "b"])
    with pytest.raises(TypeError, match="rows must be a non-empty dict"):
        gl.number_table({}, ["a"])
    with pytest.raises(TypeError, match=r"rows\['RNN'\] must be a sequence of numbers"):
        gl.number_table({"RNN": ["fast", "slow"]}, ["a", "b"])
