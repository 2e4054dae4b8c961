"""Tests for lstm_gru_course.analysis.conventions: kinds, the keep gate, the GRU's other form."""

import numpy as np
import pytest
from analysis_helpers import random_params

from lstm_gru_course import cells
from lstm_gru_course.analysis.conventions import flip_update_gate, olah_gru_step
from lstm_gru_course.layers import GRU, LSTM

# ------------------------------------------------------------------ the GRU's conventions


def test_olah_gru_with_flipped_update_gate_is_cho_reset_before():
    params = random_params(3, 3, 5, seed=4)
    rng = np.random.default_rng(5)
    x, h = rng.normal(size=(2, 3)), rng.uniform(-0.9, 0.9, size=(2, 5))
    olah = olah_gru_step(x, h, *params)
    flipped = flip_update_gate(*params)
    cho, _ = cells.gru_step(x, h, *flipped, reset="before")
    np.testing.assert_allclose(olah, cho, rtol=1e-13, atol=1e-14)
    same_weights, _ = cells.gru_step(x, h, *params, reset="before")
    assert np.abs(olah - same_weights).max() > 1e-2  # unflipped: different numbers
    pytorch, _ = cells.gru_step(x, h, *flipped, reset="after")
    assert np.abs(cho - pytorch).max() > 1e-3  # reset before vs after differ


def test_flip_update_gate_negates_only_the_z_block_and_copies():
    params = random_params(3, 2, 3, seed=6)
    flipped = flip_update_gate(*params)
    for before, after in zip(params, flipped):
        np.testing.assert_array_equal(after[3:6], -before[3:6])
        np.testing.assert_array_equal(
            np.delete(after, np.s_[3:6], axis=0), np.delete(before, np.s_[3:6], axis=0)
        )
        assert after is not before
    with pytest.raises(ValueError, match=r"weight_hh must have shape \(3\*H, H\)"):
        flip_update_gate(np.zeros((8, 2)), np.zeros((8, 2)), np.zeros(8), np.zeros(8))


def test_olah_gru_checks_shapes():
    params = random_params(3, 3, 5, seed=4)
    with pytest.raises(ValueError, match="x must have shape"):
        olah_gru_step(np.zeros((2, 4)), np.zeros((2, 5)), *params)
    with pytest.raises(ValueError, match="h_prev must have shape"):
        olah_gru_step(np.zeros((2, 3)), np.zeros((2, 4)), *params)


# ------------------------------------------------------------------ kinds and the keep gate


def test_set_keep_bias_sets_the_forget_gate_of_an_lstm_and_the_update_gate_of_a_gru():
    from lstm_gru_course.analysis.conventions import GATE_NAMES, KEEP_GATE, set_keep_bias

    for layer, kind in ((LSTM(2, 3, seed=0), "lstm"), (GRU(2, 3, seed=0), "gru")):
        before = {k: v.copy() for k, v in layer.params.items()}
        assert set_keep_bias(layer, 3.0) is layer
        block = GATE_NAMES[kind].index(KEEP_GATE[kind])
        rows = slice(block * 3, (block + 1) * 3)
        np.testing.assert_array_equal(
            (layer.params["bias_ih"] + layer.params["bias_hh"])[rows], 3.0
        )
        for name in ("bias_ih", "bias_hh"):
            untouched = np.delete(layer.params[name], np.arange(3, 6))
            np.testing.assert_array_equal(untouched, np.delete(before[name], np.arange(3, 6)))
        np.testing.assert_array_equal(layer.params["weight_hh"], before["weight_hh"])


def test_kinds_and_keep_gate_reject_what_they_cannot_use():
    from lstm_gru_course.analysis.conventions import kind_name, kind_of, set_keep_bias
    from lstm_gru_course.layers import RNN

    assert kind_name("Gru") == "gru" and kind_of(RNN(1, 1)) == "rnn"
    with pytest.raises(ValueError, match="kind must be one of"):
        kind_name("transformer")
    with pytest.raises(TypeError, match="layer must be an RNN, LSTM or GRU"):
        kind_of("lstm")
    with pytest.raises(TypeError, match="an RNN has no keep gate"):
        set_keep_bias(RNN(1, 2), 1.0)
    with pytest.raises(ValueError, match="bias"):
        set_keep_bias(LSTM(1, 2), float("nan"))
