"""Tests for lstm_gru_course.analysis.memory_span: train a model on a memory task, score it."""

import json

import numpy as np
import pytest

from lstm_gru_course.analysis.memory_span import (
    SOLVED_ACCURACY,
    TASKS,
    Scale,
    _score,
    build_model,
    memory_span_run,
    run_one,
    steps_to_learn,
)
from lstm_gru_course.layers import GRU, LSTM, RNN
from lstm_gru_course.train import Linear

TINY = Scale(points=(("first_symbol", 3),), models=("RNN", "LSTM, forget bias 3"),
                seeds=(0,), hidden_size=4, batch_size=8, max_steps=20, eval_every=5,
                eval_size=16, lr=1e-2)


def _without_times(run):
    return {k: v for k, v in run.items() if k != "seconds"}


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
    np.testing.assert_array_equal(total[H:2 * H], 3.0)
    rows = np.r_[0:H, 2 * H:total.size]
    np.testing.assert_array_equal(built.params["bias_ih"][rows], reference.params["bias_ih"][rows])
    np.testing.assert_array_equal(built.params["bias_hh"][rows], reference.params["bias_hh"][rows])


def test_forget_bias_makes_lstm_keep_its_cell_state():
    H = 4
    kept = {}
    for name in ("LSTM", "LSTM, forget bias 3"):
        layer = build_model(name, 3, H, seed=0)
        for key in ("bias_ih", "bias_hh"):
            layer.params[key][2 * H:3 * H] = 0.0       # candidate g = 0: c = f * c_prev
        _, (_, c) = layer.forward(np.zeros((1, 1, 3)), (np.zeros((1, H)), np.ones((1, H))))
        kept[name] = c
    np.testing.assert_allclose(kept["LSTM, forget bias 3"], 1 / (1 + np.exp(-3.0)))
    assert np.all(kept["LSTM"] < 0.75)                 # sigmoid of PyTorch's small biases


def test_build_model_rejects_unknown_names():
    with pytest.raises(ValueError, match="name must be one of"):
        build_model("Transformer", 3, 4, seed=0)


# ------------------------------------------------------------------ one run


def test_run_one_reports_what_happened():
    run = run_one("first_symbol", 3, "LSTM, forget bias 3", 0, TINY)
    assert set(run) == {"task", "lag", "model", "seed", "solved", "solved_at_step", "sequences",
                        "accuracy", "relative_loss", "curve", "seconds", "diverged"}
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
    assert _without_times(first) == _without_times(again)
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


@pytest.mark.parametrize("args, error, message", [
    (("addition", 20, "LSTM", 0), ValueError, "task must be one of"),
    (("adding", 10, "LSTM", 0), ValueError, "lag must be at least 20"),
    (("temporal_order", 5, "LSTM", 0), ValueError, "lag must be at least 10"),
    (("first_symbol", 0, "LSTM", 0), ValueError, "lag must be a positive integer"),
    (("first_symbol", 3, "lstm", 0), ValueError, "model must be one of"),
])
def test_run_one_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        run_one(*args, TINY)


def test_run_one_needs_a_scale():
    with pytest.raises(TypeError, match="scale must be a Scale"):
        run_one("first_symbol", 3, "LSTM", 0, {"max_steps": 5})


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


# ------------------------------------------------------------------ training curves


def test_steps_to_learn_finds_the_first_window_at_the_level():
    accuracy = np.array([0.5, 0.6, 0.8, 1.0, 1.0, 0.5, 1.0])
    assert steps_to_learn(accuracy, level=0.95, window=2) == 5
    assert steps_to_learn(accuracy, level=0.75, window=2) == 4
    assert steps_to_learn(accuracy, level=0.95, window=1) == 4
    assert steps_to_learn(np.full(20, 0.5)) is None


def test_steps_to_learn_rejects_bad_arguments():
    with pytest.raises(ValueError, match="at least window = 10"):
        steps_to_learn(np.ones(5))
    with pytest.raises(ValueError, match="level must be an accuracy"):
        steps_to_learn(np.ones(20), level=95)
    with pytest.raises(TypeError, match="accuracy must be a numpy array"):
        steps_to_learn([1.0] * 20)
    with pytest.raises(TypeError, match="level must be a real number"):
        steps_to_learn(np.ones(20), level="high")



# ------------------------------------------------------------------ train and score


def test_train_and_score_scores_every_few_steps_and_stops_once_solved():
    from lstm_gru_course.analysis.memory_span import train_and_score
    from lstm_gru_course.tasks import remember_first_symbol

    layer, readout = LSTM(4, 8, seed=0), Linear(8, 2, seed=1)
    calls = []
    scores = train_and_score(
        layer, readout, lambda rng: remember_first_symbol(3, 16, seed=rng), 50,
        lambda: (len(calls),), score_every=10, solved=lambda row: row[0] == 20,
        on_step=lambda step, steps: calls.append(step))
    assert [row[0] for row in scores.curve] == [0, 10, 20]
    assert scores.steps == 20 and scores.history.loss.shape == (20,) and not scores.diverged
    assert calls == list(range(20))


def test_train_and_score_reports_or_raises_divergence():
    from lstm_gru_course.analysis.memory_span import train_and_score
    from lstm_gru_course.tasks import adding_problem

    def blows_up():                       # answers near 1e200: the squared error overflows
        readout = Linear(4, 1)
        readout.params["bias"][:] = 1e200
        return readout

    args = (lambda rng: adding_problem(5, 4, seed=rng), 5, lambda: (0.0,))
    with pytest.raises(RuntimeError, match="diverged"):
        train_and_score(RNN(2, 4), blows_up(), *args)
    scores = train_and_score(RNN(2, 4), blows_up(), *args, allow_divergence=True)
    assert scores.diverged and scores.history is None and scores.curve == []


def test_memory_span_run_returns_the_trained_model_and_takes_a_test_set():
    from lstm_gru_course.tasks import remember_first_symbol
    from lstm_gru_course.train import evaluate

    test = remember_first_symbol(3, 64, seed=123)
    run = memory_span_run("gru", lag=3, steps=40, seed=1, test=test)
    assert run.test_accuracy == evaluate(run.layer, run.readout, test)[1]
    with pytest.raises(TypeError, match="test must be None or a remember_first_symbol"):
        memory_span_run("gru", lag=4, steps=2, test=test)


def test_memory_span_run_with_a_keep_bias_is_the_layer_with_that_bias_trained():
    from lstm_gru_course.analysis.conventions import set_keep_bias
    from lstm_gru_course.tasks import remember_first_symbol
    from lstm_gru_course.train import train

    run = memory_span_run("lstm", lag=4, steps=5, seed=2, keep_bias=1.0)
    layer = set_keep_bias(LSTM(5, 16, seed=2), 1.0)
    history = train(layer, Linear(16, 2, seed=3), lambda rng: remember_first_symbol(4, 32, seed=rng),
                    5, lr=0.01, seed=2)
    np.testing.assert_array_equal(run.history.loss, history.loss)
    np.testing.assert_array_equal(run.layer.params["weight_hh"], layer.params["weight_hh"])
    with pytest.raises(TypeError, match="an RNN has no keep gate"):
        memory_span_run("rnn", lag=4, steps=1, keep_bias=1.0)
