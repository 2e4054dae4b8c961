"""Tests for lstm_gru_course.train: Linear read-out, the loop's gradient, learning, bad input."""

import io
import sys

import numpy as np
import pytest

from lstm_gru_course import train as train_module
from lstm_gru_course.gradcheck import gradcheck, numerical_gradient
from lstm_gru_course.layers import GRU, LSTM, RNN
from lstm_gru_course.tasks import Batch, adding_problem, remember_first_symbol, temporal_order
from lstm_gru_course.train import History, Linear, evaluate, predict, train

# ---------------------------------------------------------------- Linear


@pytest.mark.parametrize("leading", [(5,), (3, 4)])
def test_linear_gradients_match_central_differences(leading):
    rng = np.random.default_rng(0)
    readout = Linear(3, 2, seed=1)
    x = rng.normal(size=leading + (3,))
    upstream = rng.normal(size=leading + (2,))

    def loss():
        return float((readout.forward(x) * upstream).sum())

    loss()
    dx = readout.backward(upstream)
    result = gradcheck(
        loss,
        {"x": x, "weight": readout.params["weight"], "bias": readout.params["bias"]},
        {"x": dx, "weight": readout.grads["weight"], "bias": readout.grads["bias"]},
    )
    assert result.passed, result


def test_linear_computes_x_w_transpose_plus_b_with_pytorch_layout_and_init():
    readout = Linear(4, 3, seed=7)
    assert readout.weight.shape == (3, 4) and readout.bias.shape == (3,)
    assert readout.weight is readout.params["weight"]
    assert np.abs(readout.weight).max() <= 0.5 and np.abs(readout.bias).max() <= 0.5
    x = np.arange(8.0).reshape(2, 4)
    expected = np.array([[row @ w + b for w, b in zip(readout.weight, readout.bias)] for row in x])
    np.testing.assert_allclose(readout.forward(x), expected, rtol=1e-14)
    readout.params["weight"][...] = 0.0  # live arrays: the next forward sees the change
    np.testing.assert_allclose(readout.forward(x), np.broadcast_to(readout.bias, (2, 3)))
    np.testing.assert_array_equal(Linear(4, 3, seed=7).weight, Linear(4, 3, seed=7).weight)
    assert repr(readout) == "Linear(in_features=4, out_features=3, dtype=float64)"


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda r: r.forward(np.zeros((2, 5))), ValueError, ["x", "(..., 3)", "(2, 5)"]),
        (lambda r: r.forward([[0.0, 0.0, 0.0]]), TypeError, ["x", "np.asarray"]),
        (lambda r: r.backward(np.zeros((2, 2))), RuntimeError, ["forward"]),
        (
            lambda r: (r.forward(np.zeros((2, 3))), r.backward(np.zeros((3, 2)))),
            ValueError,
            ["dy", "(2, 2)", "(3, 2)"],
        ),
        (lambda r: Linear(0, 2), ValueError, ["in_features", "positive"]),
        (lambda r: Linear(3, 2, dtype=np.int32), TypeError, ["dtype", "float32"]),
    ],
)
def test_linear_rejects_bad_input(call, error, words):
    with pytest.raises(error) as info:
        call(Linear(3, 2))
    for word in words:
        assert word in str(info.value)


# ---------------------------------------------------------------- the loop's gradient


def delayed_echo(length, batch_size, seed):
    """Per-step targets: at step t answer the symbol seen at step t-1 (0 at t=0)."""
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, 3, size=(length, batch_size))
    targets = np.vstack([np.zeros((1, batch_size), dtype=np.int64), symbols[:-1]])
    return Batch(np.eye(3)[symbols], targets, "classification", 3, np.log(3), 1 / 3)


@pytest.mark.parametrize(
    "make_layer, batch, readout_at",
    [
        (lambda: LSTM(2, 4, seed=0), adding_problem(6, 3, seed=0), "last"),
        (lambda: GRU(8, 4, seed=1), temporal_order(10, 3, seed=0), "last"),
        (lambda: RNN(3, 4, seed=2), delayed_echo(5, 2, seed=0), "every"),
    ],
)
def test_one_sgd_step_moves_every_parameter_by_minus_lr_times_the_numerical_gradient(
    make_layer, batch, readout_at
):
    layer, readout = make_layer(), Linear(4, batch.output_size, seed=3)
    before = [{k: v.copy() for k, v in p.items()} for p in (layer.params, readout.params)]
    numerical = [
        {
            k: numerical_gradient(lambda: evaluate(layer, readout, batch, readout_at)[0], v)
            for k, v in p.items()
        }
        for p in (layer.params, readout.params)
    ]
    lr = 0.1
    train(
        layer,
        readout,
        batch,
        steps=1,
        optimizer="sgd",
        lr=lr,
        momentum=0.0,
        clip=None,
        readout_at=readout_at,
    )
    for params, start, grads in zip((layer.params, readout.params), before, numerical):
        for key in params:
            moved = (start[key] - params[key]) / lr
            np.testing.assert_allclose(moved, grads[key], rtol=1e-6, atol=1e-9, err_msg=key)


def test_clipping_bounds_the_step_and_history_keeps_the_norm_before_clipping():
    layer, readout = GRU(2, 4, seed=0), Linear(4, 1, seed=0)
    batch = adding_problem(6, 8, seed=0)
    before = np.concatenate(
        [v.ravel().copy() for p in (layer.params, readout.params) for v in p.values()]
    )
    history = train(
        layer, readout, batch, steps=1, optimizer="sgd", lr=1.0, momentum=0.0, clip=1e-3
    )
    after = np.concatenate([v.ravel() for p in (layer.params, readout.params) for v in p.values()])
    assert history.grad_norm[0] > 1e-2
    assert np.linalg.norm(after - before) == pytest.approx(1e-3, rel=1e-9)


# ---------------------------------------------------------------- it learns, deterministically


@pytest.mark.parametrize("layer_type", [LSTM, GRU])
def test_gated_layers_learn_a_short_adding_problem_in_a_fraction_of_a_second(layer_type):
    layer, readout = layer_type(2, 16, seed=0), Linear(16, 1, seed=1)
    history = train(
        layer, readout, lambda rng: adding_problem(10, 32, seed=rng), steps=300, lr=0.02, seed=0
    )
    test_loss, test_accuracy = evaluate(layer, readout, adding_problem(10, 1000, seed=99))
    assert test_accuracy is None and history.accuracy is None
    assert history.chance_loss == pytest.approx(1 / 6)
    assert history.loss[:20].mean() > 0.5 * history.chance_loss
    assert test_loss < 0.1 * history.chance_loss


def test_lstm_remembers_the_first_symbol():
    layer, readout = LSTM(11, 8, seed=0), Linear(8, 2, seed=0)
    history = train(
        layer,
        readout,
        lambda rng: remember_first_symbol(10, 16, seed=rng),
        steps=150,
        lr=0.03,
        seed=1,
    )
    assert history.accuracy[:10].mean() < 0.8
    loss, accuracy = evaluate(layer, readout, remember_first_symbol(10, 200, seed=5))
    assert accuracy == 1.0 and loss < 0.1 * np.log(2)


def test_every_step_readout_learns_a_delayed_echo():
    layer, readout = GRU(3, 12, seed=0), Linear(12, 3, seed=0)
    history = train(
        layer,
        readout,
        lambda rng: delayed_echo(8, 16, seed=rng),
        steps=200,
        lr=0.03,
        readout_at="every",
    )
    assert history.accuracy[:5].mean() < 0.6 and history.accuracy[-20:].mean() > 0.95
    logits = predict(layer, readout, delayed_echo(8, 4, seed=1).inputs, readout_at="every")
    assert logits.shape == (8, 4, 3)


def test_training_on_one_fixed_batch_drives_its_loss_down():
    layer, readout = LSTM(8, 8, seed=0), Linear(8, 4, seed=0)
    batch = temporal_order(12, 16, seed=0)
    history = train(layer, readout, batch, steps=60, lr=0.05)
    assert history.loss[-1] < 0.2 * history.loss[0]
    assert history.accuracy[-1] == 1.0


def run_small(seed, layer_seed=0):
    layer, readout = LSTM(2, 5, seed=layer_seed), Linear(5, 1, seed=layer_seed)
    history = train(layer, readout, lambda rng: adding_problem(7, 4, seed=rng), steps=15, seed=seed)
    return history, layer.params["weight_hh"].copy()


def test_same_seeds_give_the_same_history_and_weights():
    (h1, w1), (h2, w2), (h3, w3) = run_small(0), run_small(0), run_small(1)
    np.testing.assert_array_equal(h1.loss, h2.loss)
    np.testing.assert_array_equal(h1.grad_norm, h2.grad_norm)
    np.testing.assert_array_equal(w1, w2)
    assert not np.array_equal(h1.loss, h3.loss) and not np.array_equal(w1, w3)
    assert not np.array_equal(run_small(0, layer_seed=1)[0].loss, h1.loss)


def test_history_repr_is_a_deterministic_summary():
    history = History(
        loss=np.linspace(1.0, 0.1, 10),
        accuracy=np.linspace(0.2, 1.0, 10),
        grad_norm=np.full(10, 0.5),
        chance_loss=1.386,
        chance_accuracy=0.25,
    )
    assert repr(history) == (
        "History(steps=10, loss 1 -> 0.1 (chance 1.386), accuracy 0.2 -> 1 (chance 0.25), "
        "median grad_norm 0.5)"
    )


# ---------------------------------------------------------------- progress bar


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def train_tiny(progress):
    return train(RNN(2, 3), Linear(3, 1), adding_problem(4, 2, seed=0), steps=3, progress=progress)


def test_progress_bar_never_writes_when_not_a_terminal(capsys):
    train_tiny(progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_appears_only_on_request_in_a_terminal(monkeypatch):
    pytest.importorskip(
        "tqdm", reason="tqdm is an optional extra (pip install tqdm): no bar without it"
    )
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert train_module._interactive_terminal()
    train_tiny(progress=False)
    assert terminal.getvalue() == ""
    train_tiny(progress=True)
    assert "3/3" in terminal.getvalue()


def test_without_tqdm_a_progress_bar_is_quietly_left_out(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setitem(sys.modules, "tqdm", None)
    assert train_tiny(progress=True).loss.shape == (3,)
    assert terminal.getvalue() == ""


# ---------------------------------------------------------------- the callback hook


def test_callback_sees_every_step_and_its_loss():
    seen = []
    history = train(
        RNN(2, 3),
        Linear(3, 1),
        adding_problem(4, 2, seed=0),
        steps=4,
        callback=lambda step, loss: seen.append((step, loss)),
    )
    assert [step for step, _ in seen] == [1, 2, 3, 4]
    assert [loss for _, loss in seen] == history.loss.tolist()


def test_callback_returning_true_stops_training_and_keeps_the_steps_done():
    def stop_after_two(step, loss):
        return step == 2

    history = train(
        RNN(4, 3),
        Linear(3, 2),
        remember_first_symbol(3, 4, seed=0),
        steps=10,
        callback=stop_after_two,
    )
    assert history.loss.shape == history.grad_norm.shape == history.accuracy.shape == (2,)
    full = train(RNN(4, 3), Linear(3, 2), remember_first_symbol(3, 4, seed=0), steps=2)
    np.testing.assert_array_equal(history.loss, full.loss)


def test_callback_must_be_a_function():
    with pytest.raises(TypeError, match="callback must be None or a function"):
        train(RNN(2, 3), Linear(3, 1), adding_problem(4, 2, seed=0), steps=1, callback=3)


# ---------------------------------------------------------------- bad input


def adding_batch():
    return adding_problem(5, 2, seed=0)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(layer="LSTM"), TypeError, ["layer", "LSTM(input_size, hidden_size)", "string"]),
        (dict(readout=np.zeros((1, 4))), TypeError, ["readout", "Linear", "array"]),
        (dict(readout=Linear(5, 1)), ValueError, ["readout", "hidden_size=4", "in_features=5"]),
        (dict(readout=Linear(4, 3)), ValueError, ["output_size=1", "Linear(4, 1)"]),
        (dict(layer=LSTM(3, 4)), ValueError, ["2 features", "input_size=3"]),
        (dict(readout_at="every"), ValueError, ["readout_at='every'", "(2, 1)", "'last'"]),
        (dict(readout_at="first"), ValueError, ["readout_at", "'last'", "'every'"]),
        (dict(steps=0), ValueError, ["steps", "positive"]),
        (dict(lr=-0.1), ValueError, ["lr", "positive", "-0.1"]),
        (dict(optimizer="rmsprop"), ValueError, ["optimizer", "'adam'", "rmsprop"]),
        (dict(clip=0.0), ValueError, ["clip", "positive", "None"]),
        (dict(seed=-3), ValueError, ["seed", "-3"]),
        (dict(progress="yes"), TypeError, ["progress", "True or False"]),
        (dict(batches=[adding_batch()]), TypeError, ["batches", "Batch", "list"]),
        (dict(batches=lambda rng: adding_batch().inputs), TypeError, ["batches(rng)", "array"]),
    ],
)
def test_train_rejects_bad_input_with_a_clear_message(kwargs, error, words):
    arguments = dict(layer=LSTM(2, 4), readout=Linear(4, 1), batches=adding_batch(), steps=2)
    arguments.update(kwargs)
    with pytest.raises(error) as info:
        train(**arguments)
    for word in words:
        assert word in str(info.value)


def test_every_step_targets_with_a_last_step_readout_suggest_every():
    with pytest.raises(ValueError) as info:
        train(GRU(3, 4), Linear(4, 3), delayed_echo(5, 2, seed=0), steps=1)
    assert "readout_at='last'" in str(info.value) and "'every'" in str(info.value)


def test_a_diverging_model_raises_naming_the_step():
    readout = Linear(4, 1)
    readout.params["weight"][...] = 1e308
    with pytest.raises(RuntimeError, match="diverged at step 0"):
        with np.errstate(over="ignore", invalid="ignore"):
            train(LSTM(2, 4), readout, adding_batch(), steps=1)


def test_evaluate_and_predict_check_their_arguments():
    with pytest.raises(TypeError, match="batch must be a tasks.Batch"):
        evaluate(LSTM(2, 4), Linear(4, 1), adding_batch().inputs)
    with pytest.raises(ValueError, match="readout_at"):
        predict(LSTM(2, 4), Linear(4, 1), adding_batch().inputs, readout_at="all")


def test_docstring_examples_run():
    import doctest

    failures, tried = doctest.testmod(train_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
