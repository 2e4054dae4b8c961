"""Tests for lstm_gru_course.tasks: layout, the papers' rules, seeding, chance levels."""

import numpy as np
import pytest

from lstm_gru_course.tasks import (
    ADDING_CHANCE_MSE,
    TEMPORAL_ORDER_SYMBOLS,
    Batch,
    adding_problem,
    remember_first_symbol,
    temporal_order,
)

ALL_TASKS = [
    lambda seed: adding_problem(30, 7, seed=seed),
    lambda seed: adding_problem(30, 7, seed=seed, form="hochreiter"),
    lambda seed: remember_first_symbol(12, 7, seed=seed),
    lambda seed: temporal_order(30, 7, seed=seed),
]


# ---------------------------------------------------------------- common contract


@pytest.mark.parametrize("make", ALL_TASKS)
def test_same_seed_same_batch_and_different_seed_different_batch(make):
    a, b, c = make(5), make(5), make(6)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert not np.array_equal(a.inputs, c.inputs)


@pytest.mark.parametrize("make", ALL_TASKS)
def test_a_generator_gives_a_reproducible_stream_of_new_batches(make):
    rng = np.random.default_rng(11)
    first, second = make(rng), make(rng)
    assert not np.array_equal(first.inputs, second.inputs)
    replay = np.random.default_rng(11)
    np.testing.assert_array_equal(make(replay).inputs, first.inputs)
    np.testing.assert_array_equal(make(replay).inputs, second.inputs)


@pytest.mark.parametrize("make", ALL_TASKS)
def test_layout_is_time_major_float64(make):
    batch = make(0)
    assert batch.inputs.ndim == 3 and batch.inputs.shape[1] == 7
    assert batch.inputs.dtype == np.float64
    if batch.kind == "regression":
        assert batch.targets.shape == (7, 1) and batch.targets.dtype == np.float64
        assert batch.chance_accuracy is None
    else:
        assert batch.targets.shape == (7,) and batch.targets.dtype == np.int64
        assert 0 <= batch.targets.min() and batch.targets.max() < batch.output_size
        assert batch.chance_accuracy == pytest.approx(1 / batch.output_size)
        assert batch.chance_loss == pytest.approx(np.log(batch.output_size))


# ---------------------------------------------------------------- adding problem


def test_adding_le_form_marks_one_value_in_each_half_and_adds_them():
    length, size = 21, 500
    batch = adding_problem(length, size, seed=1)
    values, markers = batch.inputs[..., 0], batch.inputs[..., 1]
    assert batch.inputs.shape == (length, size, 2)
    assert ((values >= 0) & (values < 1)).all()
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert (markers[: length // 2].sum(axis=0) == 1).all()
    assert (markers[length // 2 :].sum(axis=0) == 1).all()
    np.testing.assert_allclose(batch.targets[:, 0], (values * markers).sum(axis=0))
    # every position of each half gets used
    assert set(markers[: length // 2].argmax(axis=0)) == set(range(length // 2))
    assert set(markers[length // 2 :].argmax(axis=0)) == set(range(length - length // 2))


def test_adding_hochreiter_form_follows_experiment_4():
    length, size = 40, 4000
    batch = adding_problem(length, size, seed=2, form="hochreiter")
    values, markers = batch.inputs[..., 0], batch.inputs[..., 1]
    marked = markers == 1.0
    assert ((values >= -1) & (values <= 1)).all()
    assert (marked.sum(axis=0) == 2).all()
    assert (marked[:10].sum(axis=0) >= 1).all(), "X1 is among the first 10 pairs"
    assert not marked[length // 2 :].any(), "X2 is among the first length/2 - 1 unmarked pairs"
    assert (markers[-1] == -1).all()
    np.testing.assert_array_equal(markers[0], np.where(marked[0], 1.0, -1.0))
    assert set(np.unique(markers[1:-1])) == {0.0, 1.0}
    np.testing.assert_allclose(batch.targets[:, 0], 0.5 + (values * marked).sum(axis=0) / 4)
    assert ((batch.targets >= 0) & (batch.targets <= 1)).all()
    # The first pair holds X1 with probability 1/10 (then its value is set to 0), or X2
    # with probability 9/10 * 1/(length/2 - 1) (value kept).
    p_x1, p_x2 = 0.1, 0.9 / (length // 2 - 1)
    first_marked = marked[0]
    assert first_marked.mean() == pytest.approx(p_x1 + p_x2, abs=0.02)
    assert (values[0, first_marked] == 0).mean() == pytest.approx(p_x1 / (p_x1 + p_x2), abs=0.07)


@pytest.mark.parametrize("form, mean", [("le", 1.0), ("hochreiter", 0.5)])
def test_adding_chance_is_the_mse_of_predicting_the_mean(form, mean):
    batch = adding_problem(24, 100_000, seed=3, form=form)
    assert batch.chance_loss == ADDING_CHANCE_MSE[form]
    targets = batch.targets[:, 0]
    assert targets.mean() == pytest.approx(mean, abs=0.005)
    assert np.mean((targets - mean) ** 2) == pytest.approx(batch.chance_loss, rel=0.02)


def test_adding_chance_values_are_exact():
    assert ADDING_CHANCE_MSE["le"] == pytest.approx(2 / 12, rel=1e-15)
    assert ADDING_CHANCE_MSE["hochreiter"] == pytest.approx((0.9 / 3 + 1 / 3) / 16, rel=1e-15)


# ---------------------------------------------------------------- remember the first symbol


def test_remember_first_symbol_builds_the_two_sequences_of_experiment_2a():
    lag, size = 6, 400
    batch = remember_first_symbol(lag, size, seed=4)
    assert batch.inputs.shape == (lag, size, lag + 1)
    np.testing.assert_array_equal(batch.inputs.sum(axis=-1), 1.0)
    symbols = batch.inputs.argmax(axis=-1)
    np.testing.assert_array_equal(symbols[0], lag - 1 + batch.targets)  # x = lag-1, y = lag
    np.testing.assert_array_equal(symbols[1:], np.arange(lag - 1)[:, None].repeat(size, axis=1))
    assert 0.4 < batch.targets.mean() < 0.6
    assert batch.chance_accuracy == 0.5 and batch.chance_loss == pytest.approx(np.log(2))


def test_remember_first_symbol_with_lag_one_is_just_x_or_y():
    batch = remember_first_symbol(1, 50, seed=0)
    assert batch.inputs.shape == (1, 50, 2)
    np.testing.assert_array_equal(batch.inputs[0].argmax(axis=-1), batch.targets)


# ---------------------------------------------------------------- temporal order


def test_temporal_order_places_x_and_y_in_the_papers_windows():
    length, size = 100, 2000
    batch = temporal_order(length, size, seed=5)
    assert batch.inputs.shape == (length, size, len(TEMPORAL_ORDER_SYMBOLS))
    np.testing.assert_array_equal(batch.inputs.sum(axis=-1), 1.0)
    symbols = batch.inputs.argmax(axis=-1)
    assert (symbols[0] == TEMPORAL_ORDER_SYMBOLS.index("E")).all()
    assert (symbols[-1] == TEMPORAL_ORDER_SYMBOLS.index("B")).all()
    relevant = symbols >= TEMPORAL_ORDER_SYMBOLS.index("X")
    assert (relevant.sum(axis=0) == 2).all()
    t1 = relevant.argmax(axis=0)
    t2 = length - 1 - relevant[::-1].argmax(axis=0)
    assert set(t1) == set(range(10, 21)) and set(t2) == set(range(50, 61))
    distractors = symbols[1:-1][~relevant[1:-1]]
    assert set(distractors) == {2, 3, 4, 5}
    columns = np.arange(size)
    first_is_y = symbols[t1, columns] == TEMPORAL_ORDER_SYMBOLS.index("Y")
    second_is_y = symbols[t2, columns] == TEMPORAL_ORDER_SYMBOLS.index("Y")
    np.testing.assert_array_equal(batch.targets, 2 * first_is_y + second_is_y)
    frequencies = np.bincount(batch.targets, minlength=4) / size
    np.testing.assert_allclose(frequencies, 0.25, atol=0.04)


def test_temporal_order_shortest_sequence_still_has_both_windows():
    batch = temporal_order(10, 300, seed=0)
    symbols = batch.inputs.argmax(axis=-1)
    relevant = symbols >= 6
    assert (relevant.sum(axis=0) == 2).all()
    assert set(np.nonzero(relevant)[0]) <= {1, 2, 5, 6}


# ---------------------------------------------------------------- Batch and bad input


def test_batch_repr_is_short_and_deterministic():
    assert repr(temporal_order(10, 3, seed=0)) == (
        "Batch(kind='classification', inputs (10, 3, 8), targets (3,), output_size=4, "
        "chance_loss=1.386, chance_accuracy=0.25)"
    )


def test_batch_accepts_every_step_targets_and_converts_integer_inputs():
    batch = Batch(
        inputs=np.zeros((4, 2, 1), dtype=int),
        targets=np.zeros((4, 2), dtype=int),
        kind="classification",
        output_size=3,
        chance_loss=1.0,
        chance_accuracy=0.5,
    )
    assert batch.inputs.dtype == np.float64 and batch.targets.shape == (4, 2)


@pytest.mark.parametrize(
    "fields, error, words",
    [
        (dict(kind="ranking"), ValueError, ["kind", "'regression'", "ranking"]),
        (dict(targets=np.zeros(2)), ValueError, ["targets", "(2, 1)", "(2,)"]),
        (dict(inputs=np.zeros((2, 1))), ValueError, ["inputs", "(any, any, any)", "(2, 1)"]),
        (dict(inputs=[[[0.0]]]), TypeError, ["inputs", "np.asarray"]),
        (dict(chance_accuracy=0.5), ValueError, ["chance_accuracy", "regression"]),
        (dict(chance_loss=-1.0), ValueError, ["chance_loss", "-1.0"]),
        (dict(output_size=0), ValueError, ["output_size", "positive"]),
        (
            dict(kind="classification", targets=np.zeros(2), chance_accuracy=0.5),
            TypeError,
            ["targets", "integer"],
        ),
        (
            dict(kind="classification", targets=np.array([0, 1]), output_size=2),
            ValueError,
            ["chance_accuracy", "classification"],
        ),
    ],
)
def test_batch_rejects_inconsistent_fields(fields, error, words):
    base = dict(
        inputs=np.zeros((3, 2, 1)),
        targets=np.zeros((2, 1)),
        kind="regression",
        output_size=1,
        chance_loss=1.0,
    )
    with pytest.raises(error) as info:
        Batch(**{**base, **fields})
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: adding_problem(0, 4), ValueError, ["length", "positive", "0"]),
        (lambda: adding_problem(1, 4), ValueError, ["length", "at least 2", "1"]),
        (lambda: adding_problem(10.0, 4), TypeError, ["length", "10.0"]),
        (lambda: adding_problem(10, "4"), TypeError, ["batch_size", "string"]),
        (lambda: adding_problem(10, 4, form="1997"), ValueError, ["form", "'le'", "'hochreiter'"]),
        (lambda: adding_problem(19, 4, form="hochreiter"), ValueError, ["length", "20", "19"]),
        (lambda: adding_problem(10, 4, seed=-1), ValueError, ["seed", "-1"]),
        (lambda: adding_problem(10, 4, seed="abc"), TypeError, ["seed", "Generator"]),
        (lambda: adding_problem(10, 4, seed=1.5), TypeError, ["seed", "1.5"]),
        (lambda: remember_first_symbol(0, 4), ValueError, ["lag", "positive"]),
        (lambda: remember_first_symbol(5, True), TypeError, ["batch_size", "boolean"]),
        (lambda: temporal_order(9, 4), ValueError, ["length", "at least 10", "9"]),
        (lambda: temporal_order(None, 4), TypeError, ["length", "None"]),
    ],
)
def test_tasks_reject_bad_arguments(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_docstring_examples_run():
    import doctest

    from lstm_gru_course import tasks

    failures, tried = doctest.testmod(tasks, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
