"""Train a model, score it, and say when it learned: the one train-then-score loop.

- :func:`train_and_score`: :func:`lstm_gru_course.train.train` with its ``callback``
  hook: score every few steps, stop once solved (chapter 7's runs, :mod:`.race`);
- :func:`memory_span_run`: the small remember-the-first-symbol run of chapters 1 and 5b,
  the gallery and the span explorer;
- :func:`steps_to_learn`: when a training curve first reached a level.

>>> run = memory_span_run("lstm", lag=3, steps=60, seed=0)
>>> run.history.loss.shape, run.test_accuracy > 0.9
((60,), True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .._validate import describe, finite_number, float_array, nonnegative_int, positive_int
from ..tasks import Batch, remember_first_symbol
from ..train import History, Linear, evaluate, train
from .conventions import Layer, kind_name, new_layer, set_keep_bias

__all__ = ["Scores", "train_and_score", "MemorySpanRun", "memory_span_run", "steps_to_learn"]


@dataclass(frozen=True)
class Scores:
    """What :func:`train_and_score` saw: the scores along the way and how training ended.

    ``curve``: ``[step, *score()]`` rows (step 0 = before training when scoring every
    few steps; the last row is the final score unless training stopped when solved);
    ``steps``: training steps done; ``history``: the training loop's History (None if
    training diverged); ``diverged``: True when the loss or a gradient stopped being finite.
    """

    curve: list
    steps: int
    history: History | None
    diverged: bool


def train_and_score(
    layer: Layer,
    readout: Linear,
    make_batch: Callable | Batch,
    steps: int,
    score: Callable[[], tuple],
    *,
    score_every: int | None = None,
    solved: Callable | None = None,
    lr: float = 1e-2,
    clip: float | None = 1.0,
    seed: int = 0,
    on_step: Callable | None = None,
    allow_divergence: bool = False,
) -> Scores:
    """Train ``layer`` and ``readout`` on ``make_batch(rng)`` for ``steps`` steps, scoring them.

    ``score()`` returns a tuple of numbers for the model as it is now (e.g. loss and
    accuracy on held-out sequences). With ``score_every``, it is called before training
    and every ``score_every`` steps, through :func:`~lstm_gru_course.train.train`'s
    ``callback``; training stops early once ``solved(row)`` is true for a row
    ``[step, *score()]``. Without, it is called once at the end. ``on_step(step, steps)``
    is called before each step (step 0 to steps - 1), e.g. to show progress. Divergence
    raises RuntimeError, or with ``allow_divergence`` ends the run with ``diverged=True``.
    """
    curve = [[0, *score()]] if score_every else []
    if on_step is not None:
        on_step(0, steps)
    state = {"steps": 0, "stopped": False}

    def callback(step, loss):
        state["steps"] = step
        if score_every and step % score_every == 0 and step < steps:
            curve.append([step, *score()])
            state["stopped"] = solved is not None and bool(solved(curve[-1]))
        if on_step is not None and step < steps and not state["stopped"]:
            on_step(step, steps)
        return state["stopped"]

    history, diverged = None, False
    try:
        history = train(
            layer, readout, make_batch, steps, lr=lr, clip=clip, seed=seed, callback=callback
        )
    except RuntimeError:
        if not allow_divergence:
            raise
        diverged = True
    if not diverged and not state["stopped"]:
        curve.append([steps, *score()])
    return Scores(curve=curve, steps=state["steps"], history=history, diverged=diverged)


@dataclass(frozen=True)
class MemorySpanRun:
    """One training run on remember-the-first-symbol (see :func:`memory_span_run`).

    ``history`` is the training loop's :class:`~lstm_gru_course.train.History` (loss,
    accuracy and gradient norm at each step, and the chance level); ``test_accuracy``
    the accuracy on the test sequences after training; ``layer`` and ``readout`` the
    trained model.
    """

    kind: str
    lag: int
    steps: int
    hidden_size: int
    history: History
    test_accuracy: float
    layer: object = field(default=None, repr=False)
    readout: Linear | None = field(default=None, repr=False)


def memory_span_run(
    kind: str,
    lag: int,
    steps: int,
    seed: int = 0,
    hidden_size: int = 16,
    batch_size: int = 32,
    lr: float = 0.01,
    on_step: Callable | None = None,
    test: Batch | None = None,
    keep_bias: float | None = None,
) -> MemorySpanRun:
    """Train a small ``kind`` network to remember the first symbol for ``lag`` steps.

    Task: ``tasks.remember_first_symbol(lag, batch_size)``, inputs (lag, B, lag+1),
    answer x or y after the last step (chance: accuracy 1/2, loss log 2). Model:
    ``layers.<KIND>(lag+1, hidden_size)`` then ``train.Linear(hidden_size, 2)`` on the
    last hidden state; :func:`train_and_score` with Adam(``lr``), clipping at 1, fresh
    batches at every step, then scored on ``test`` (default: 512 fresh sequences).
    ``on_step(step, steps)``, if given, is called before each step (to show progress).
    ``keep_bias``: None for PyTorch's initialisation, else the starting bias of the keep
    gate (LSTM forget gate f, GRU update gate z; see ``conventions.set_keep_bias``).
    Weights and batches come from ``seed``: same seed, same curve.

    Takes about 1 ms per step for lag 10 and hidden size 16 on a laptop CPU.

    >>> run = memory_span_run("lstm", lag=3, steps=60, seed=0)
    >>> run.history.loss.shape, run.test_accuracy > 0.9
    ((60,), True)
    """
    kind = kind_name(kind)
    lag = positive_int("lag", lag)
    steps = positive_int("steps", steps)
    seed = nonnegative_int("seed", seed)
    hidden_size = positive_int("hidden_size", hidden_size)
    batch_size = positive_int("batch_size", batch_size)
    lr = finite_number("lr", lr)
    if on_step is not None and not callable(on_step):
        raise TypeError(
            f"on_step must be None or a function (step, steps), but received {describe(on_step)}."
        )
    if test is None:
        test = remember_first_symbol(lag, 512, seed=np.random.default_rng((seed, 2)))
    elif not isinstance(test, Batch) or test.inputs.shape[2] != lag + 1:
        raise TypeError(
            f"test must be None or a remember_first_symbol({lag}, ...) batch, "
            f"but received {describe(test)}."
        )
    layer = new_layer(kind, lag + 1, hidden_size, seed=seed)
    if keep_bias is not None:
        set_keep_bias(layer, keep_bias)
    readout = Linear(hidden_size, 2, seed=seed + 1)
    scores = train_and_score(
        layer,
        readout,
        lambda rng: remember_first_symbol(lag, batch_size, seed=rng),
        steps,
        lambda: evaluate(layer, readout, test),
        lr=lr,
        seed=seed,
        on_step=on_step,
    )
    return MemorySpanRun(
        kind=kind,
        lag=lag,
        steps=steps,
        hidden_size=hidden_size,
        history=scores.history,
        test_accuracy=float(scores.curve[-1][2]),
        layer=layer,
        readout=readout,
    )


def steps_to_learn(accuracy: ArrayLike, level: float = 0.95, window: int = 10) -> int | None:
    """The training step at which the accuracy, averaged over ``window`` steps, first reaches ``level``.

    ``accuracy`` (steps,) is a training history's accuracy (``History.accuracy``). Steps
    count from 1, so the answer is the last step of the first window whose mean is at
    least ``level``; None if that never happens.

    >>> steps_to_learn(np.array([0.5, 0.5, 1.0, 1.0, 1.0]), level=0.95, window=2)
    4
    """
    accuracy = float_array("accuracy", accuracy, shape=(None,))
    window = positive_int("window", window)
    level = finite_number("level", level)
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"level must be an accuracy between 0 and 1, but received {level!r}.")
    if accuracy.size < window:
        raise ValueError(
            f"accuracy must have at least window = {window} entries, but has {accuracy.size}."
        )
    means = np.convolve(accuracy, np.ones(window) / window, mode="valid")
    reached = np.flatnonzero(means >= level)
    return int(reached[0]) + window if reached.size else None
