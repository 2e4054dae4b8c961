"""Tests for lstm_gru_course.analysis.cost: parameters and operations, one count."""

import pytest

from lstm_gru_course.analysis.cost import cost_table, operation_count, parameter_count
from lstm_gru_course.layers import GRU, LSTM, RNN


@pytest.mark.parametrize("name, cls", [("RNN", RNN), ("lstm", LSTM), ("GRU", GRU)])
def test_parameter_count_and_matrix_work_match_the_layers(name, cls):
    for I, H in ((1, 1), (3, 7), (32, 128)):
        layer = cls(I, H)
        assert parameter_count(name, I, H) == sum(v.size for v in layer.params.values())
        ops = operation_count(name, I, H, batch_size=3)
        weights = layer.params["weight_ih"].size + layer.params["weight_hh"].size
        assert ops["multiply_adds"] == 3 * weights


@pytest.mark.parametrize(
    "model, per_unit",
    [
        # sigmoids, tanhs, products, sums per hidden unit, read off the equations
        ("rnn", (0, 1, 0, 0)),  # h = tanh(...)
        ("lstm", (3, 2, 3, 1)),  # i f o | g tanh(c) | f*c i*g o*tanh(c) | f*c + i*g
        # r z | n | r*(..) (1-z)*n z*h | x W_in + b_in + r*(..), 1-z, (1-z)*n + z*h
        ("gru", (2, 1, 3, 3)),
    ],
)
def test_elementwise_counts_follow_the_equations(model, per_unit):
    ops = operation_count(model, 5, 8, batch_size=2)
    counted = (ops["sigmoids"], ops["tanhs"], ops["products"], ops["sums"])
    assert counted == tuple(2 * 8 * n for n in per_unit)


def test_chapters_6_and_7_read_the_same_counts():
    rows = {r["model"]: r for r in cost_table(32, 128)}
    for model in ("RNN", "LSTM", "GRU"):
        row = dict(rows[model])
        assert row.pop("model") == model
        assert row.pop("parameters") == parameter_count(model, 32, 128)
        assert row == operation_count(model, 32, 128)


def test_a_gru_costs_three_quarters_of_an_lstm():
    rows = {r["model"]: r for r in cost_table(32, 128)}
    for key in ("parameters", "multiply_adds"):
        assert rows["GRU"][key] * 4 == rows["LSTM"][key] * 3
    assert (
        rows["GRU"]["sigmoids"] + rows["GRU"]["tanhs"]
        < rows["LSTM"]["sigmoids"] + rows["LSTM"]["tanhs"]
    )


def test_costs_reject_bad_arguments():
    with pytest.raises(ValueError, match="model must be one of"):
        parameter_count("transformer", 3, 4)
    with pytest.raises(TypeError, match="hidden_size must be a positive integer"):
        operation_count("lstm", 3, 4.5)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        operation_count("gru", 3, 4, batch_size=0)
    with pytest.raises(ValueError, match="input_size must be a positive integer"):
        cost_table(0, 4)
