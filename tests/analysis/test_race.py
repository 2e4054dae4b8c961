"""Tests for lstm_gru_course.analysis.race: chapter 7's tasks, models and one run."""

import json

import numpy as np
import pytest
from analysis_helpers import TINY, without_times

from lstm_gru_course.analysis.race import (
    SOLVED_ACCURACY,
    TASKS,
    _score,
    build_model,
    run_one,
)
from lstm_gru_course.layers import GRU, LSTM, RNN
from lstm_gru_course.train import Linear

# ------------------------------------------------------------------ models


@pytest.mark.parametrize("name, cls", [("RNN", RNN), ("LSTM", LSTM), ("GRU", GRU)])
def test_default_models_keep_pytorch_initialisation(name, cls):
    built = build_model(name, 3, 5, seed=7)
    reference = cls(3, 5, seed=7)
    assert type(built) is cls
    for key, value in reference.params.items():
        np.testing.assert_array_equal(built.params[key], value)


@pytest.mark.parametrize("name", ["LSTM, forget bias 3", "GRU, update bias 3"])
def test_keep_gate_bias_is_set_on_its_rows_only(name):
    H = 5
    built = build_model(name, 3, H, seed=7)
    reference = type(built)(3, H, seed=7)
    total = built.params["bias_ih"] + built.params["bias_hh"]
    np.testing.assert_array_equal(total[H : 2 * H], 3.0)
    rows = np.r_[0:H, 2 * H : total.size]
    np.testing.assert_array_equal(built.params["bias_ih"][rows], reference.params["bias_ih"][rows])
    np.testing.assert_array_equal(built.params["bias_hh"][rows], reference.params["bias_hh"][rows])


def test_forget_bias_makes_lstm_keep_its_cell_state():
    H = 4
    kept = {}
    for name in ("LSTM", "LSTM, forget bias 3"):
        layer = build_model(name, 3, H, seed=0)
        for key in ("bias_ih", "bias_hh"):
            layer.params[key][2 * H : 3 * H] = 0.0  # candidate g = 0: c = f * c_prev
        _, (_, c) = layer.forward(np.zeros((1, 1, 3)), (np.zeros((1, H)), np.ones((1, H))))
        kept[name] = c
    np.testing.assert_allclose(kept["LSTM, forget bias 3"], 1 / (1 + np.exp(-3.0)))
    assert np.all(kept["LSTM"] < 0.75)  # sigmoid of PyTorch's small biases


def test_build_model_rejects_unknown_names():
    with pytest.raises(ValueError, match="name must be one of"):
        build_model("Transformer", 3, 4, seed=0)


# ------------------------------------------------------------------ one run


def test_run_one_reports_what_happened():
    run = run_one("first_symbol", 3, "LSTM, forget bias 3", 0, TINY)
    assert set(run) == {
        "task",
        "lag",
        "model",
        "seed",
        "solved",
        "solved_at_step",
        "sequences",
        "accuracy",
        "relative_loss",
        "curve",
        "seconds",
        "diverged",
    }
    steps = [point[0] for point in run["curve"]]
    assert steps[0] == 0 and steps == sorted(steps)
    assert run["sequences"] == steps[-1] * TINY.batch_size
    assert run["accuracy"] == run["curve"][-1][2]
    assert run["solved"] == (run["accuracy"] >= SOLVED_ACCURACY)
    if run["solved"]:
        assert run["solved_at_step"] == steps[-1] <= TINY.max_steps
    else:
        assert run["solved_at_step"] is None and steps[-1] == TINY.max_steps
    json.dumps(run)


def test_an_easy_task_is_solved_early_and_an_impossible_budget_is_not():
    easy = run_one("first_symbol", 2, "GRU, update bias 3", 0, TINY.replace(max_steps=200))
    assert easy["solved"] and easy["solved_at_step"] < 200
    assert easy["sequences"] == easy["solved_at_step"] * TINY.batch_size
    hard = run_one("temporal_order", 12, "RNN", 0, TINY.replace(max_steps=5))
    assert not hard["solved"] and hard["sequences"] == 5 * TINY.batch_size


def test_run_one_is_reproducible_from_its_seed():
    first = run_one("adding", 20, "GRU", 1, TINY)
    again = run_one("adding", 20, "GRU", 1, TINY)
    other = run_one("adding", 20, "GRU", 2, TINY)
    assert without_times(first) == without_times(again)
    assert first["curve"] != other["curve"]


def test_the_adding_problem_is_scored_with_the_papers_tolerance():
    spec = TASKS["adding"]
    batch = spec.make(20, 64, 0)
    layer = build_model("RNN", 2, 4, seed=0)
    readout = Linear(4, 1, seed=0)
    outputs, _ = layer.forward(batch.inputs)
    prediction = readout.forward(outputs[-1])
    _, right = _score(spec, layer, readout, batch)
    assert right == np.mean(np.abs(prediction - batch.targets) < 0.04)
    assert TASKS["adding_le"].tolerance == pytest.approx(4 * 0.04)


@pytest.mark.parametrize(
    "args, error, message",
    [
        (("addition", 20, "LSTM", 0), ValueError, "task must be one of"),
        (("adding", 10, "LSTM", 0), ValueError, "lag must be at least 20"),
        (("temporal_order", 5, "LSTM", 0), ValueError, "lag must be at least 10"),
        (("first_symbol", 0, "LSTM", 0), ValueError, "lag must be a positive integer"),
        (("first_symbol", 3, "lstm", 0), ValueError, "model must be one of"),
    ],
)
def test_run_one_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        run_one(*args, TINY)


def test_run_one_needs_a_scale():
    with pytest.raises(TypeError, match="scale must be a Scale"):
        run_one("first_symbol", 3, "LSTM", 0, {"max_steps": 5})
