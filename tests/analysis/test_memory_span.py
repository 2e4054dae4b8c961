"""Tests for lstm_gru_course.analysis.memory_span: train a model on a memory task, score it."""

import numpy as np
import pytest

from lstm_gru_course.analysis.memory_span import memory_span_run, steps_to_learn
from lstm_gru_course.layers import LSTM, RNN
from lstm_gru_course.train import Linear

# ---------------------------------------------------------------- memory span runs


def test_memory_span_run_learns_a_short_lag_and_repeats_itself():
    calls = []
    run = memory_span_run(
        "lstm", lag=3, steps=60, seed=0, on_step=lambda k, n: calls.append((k, n))
    )
    assert run.history.loss.shape == (60,) and run.test_accuracy > 0.9
    assert run.history.chance_accuracy == 0.5 and run.kind == "lstm" and run.lag == 3
    assert calls == [(k, 60) for k in range(60)]
    again = memory_span_run("lstm", lag=3, steps=60, seed=0)
    np.testing.assert_array_equal(run.history.loss, again.history.loss)


def test_an_rnn_trained_briefly_on_a_long_lag_stays_near_chance():
    run = memory_span_run("rnn", lag=30, steps=30, seed=0)
    assert run.test_accuracy < 0.7


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"kind": "cnn"}, ValueError, "kind"),
        ({"lag": 0}, ValueError, "lag"),
        ({"steps": 0}, ValueError, "steps"),
        ({"on_step": 3}, TypeError, "on_step"),
    ],
)
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
        layer,
        readout,
        lambda rng: remember_first_symbol(3, 16, seed=rng),
        50,
        lambda: (len(calls),),
        score_every=10,
        solved=lambda row: row[0] == 20,
        on_step=lambda step, steps: calls.append(step),
    )
    assert [row[0] for row in scores.curve] == [0, 10, 20]
    assert scores.steps == 20 and scores.history.loss.shape == (20,) and not scores.diverged
    assert calls == list(range(20))


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_train_and_score_reports_or_raises_divergence():
    from lstm_gru_course.analysis.memory_span import train_and_score
    from lstm_gru_course.tasks import adding_problem

    def blows_up():  # answers near 1e200: the squared error overflows
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
    history = train(
        layer,
        Linear(16, 2, seed=3),
        lambda rng: remember_first_symbol(4, 32, seed=rng),
        5,
        lr=0.01,
        seed=2,
    )
    np.testing.assert_array_equal(run.history.loss, history.loss)
    np.testing.assert_array_equal(run.layer.params["weight_hh"], layer.params["weight_hh"])
    with pytest.raises(TypeError, match="an RNN has no keep gate"):
        memory_span_run("rnn", lag=4, steps=1, keep_bias=1.0)
