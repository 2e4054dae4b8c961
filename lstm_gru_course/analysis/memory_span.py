"""How far back can a network learn to remember? Train a model on a memory task, and score it.

- :data:`TASKS`: the memory tasks of chapter 7 and what counts as a right answer;
  :data:`MODELS`: the networks compared (kind and keep-gate bias); :func:`build_model`;
- :func:`train_and_score`: the one train-then-score loop, built on
  :func:`lstm_gru_course.train.train` and its ``callback`` hook: score every few steps,
  stop once solved;
- :func:`run_one`: one chapter-7 run (task, lag, model, seed) at a :class:`Scale`;
- :func:`memory_span_run`: the small remember-the-first-symbol run of chapters 1, 5b
  and the span explorer;
- :func:`steps_to_learn`: when a training curve first reached a level.

Memory tasks (lag = the distance between what must be remembered and the moment it is
asked for):

- ``adding``: Hochreiter & Schmidhuber (1997), experiment 4; a sequence counts as
  right when the answer is within 0.04 of the target, the paper's criterion;
- ``adding_le``: the same task in the form of Le et al. (2015), target X1 + X2; the
  paper's 0.04 on ``0.5 + (X1 + X2)/4`` is 0.16 on this scale;
- ``first_symbol``: remember-the-first-symbol, 1997 experiment 2a;
- ``temporal_order``: the order of two symbols among distractors, 1997 experiment 6a.

A run stops as soon as at least 99% of the held-out sequences are answered right
("solved"), or after ``max_steps`` training steps. Models: the tanh ``RNN``, ``LSTM``
and ``GRU`` with PyTorch's initialisation, and the two gated ones with the bias of
their keep gate set to 3 (LSTM forget gate f, GRU update gate z), so that at the
start they keep about 95% of their memory per step instead of 50%.

>>> scale = QUICK.replace(points=(("first_symbol", 5),), models=("LSTM",), seeds=(0,))
>>> run = run_one("first_symbol", 5, "LSTM", 0, scale)
>>> run["solved"], run["curve"][0][0]
(True, 0)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import tasks
from .._validate import choice, describe, finite_number, float_array, nonnegative_int
from .._validate import positive_int
from ..losses import accuracy, cross_entropy, mse
from ..layers import GRU, LSTM, RNN
from ..tasks import Batch, remember_first_symbol
from ..train import History, Linear, evaluate, train
from .conventions import kind_name, new_layer, set_keep_bias

__all__ = [
    "TASKS", "MODELS", "Scale", "QUICK", "FULL", "VALIDATION_SEED", "SOLVED_ACCURACY",
    "build_model", "Scores", "train_and_score", "chance_accuracy", "run_one",
    "MemorySpanRun", "memory_span_run", "steps_to_learn",
]

#: Held-out sequences are drawn from this seed (plus the lag): the same for every model and seed.
VALIDATION_SEED = 1_000_003
#: A run is "solved" when at least this fraction of the held-out sequences is answered right.
SOLVED_ACCURACY = 0.99


@dataclass(frozen=True)
class TaskSpec:
    """A memory task: how to make a batch, and what counts as a right answer."""

    make: Callable         # (lag, batch_size, seed) -> tasks.Batch
    paper: str             # where it comes from
    right_answer: str      # what "answered right" means, for the chapter's tables
    tolerance: float | None = None   # regression: |prediction - target| below this is right
    min_lag: int = 1


TASKS = {
    "adding": TaskSpec(
        lambda lag, n, seed: tasks.adding_problem(lag, n, seed=seed, form="hochreiter"),
        "Hochreiter & Schmidhuber 1997, exp. 4",
        "|answer - target| < 0.04 (the paper's criterion)", tolerance=0.04, min_lag=20),
    "adding_le": TaskSpec(
        lambda lag, n, seed: tasks.adding_problem(lag, n, seed=seed, form="le"),
        "Le, Jaitly & Hinton 2015",
        "|answer - (X1 + X2)| < 0.16 (the 1997 criterion on this scale)", tolerance=0.16,
        min_lag=2),
    "first_symbol": TaskSpec(
        lambda lag, n, seed: tasks.remember_first_symbol(lag, n, seed=seed),
        "Hochreiter & Schmidhuber 1997, exp. 2a", "the right class (x or y)"),
    "temporal_order": TaskSpec(
        lambda lag, n, seed: tasks.temporal_order(lag, n, seed=seed),
        "Hochreiter & Schmidhuber 1997, exp. 6a", "the right class (XX, XY, YX or YY)",
        min_lag=10),
}

#: name -> (layer class, bias of the keep gate, or None for PyTorch's initialisation).
MODELS = {
    "RNN": (RNN, None),
    "LSTM": (LSTM, None),
    "GRU": (GRU, None),
    "LSTM, forget bias 3": (LSTM, 3.0),
    "GRU, update bias 3": (GRU, 3.0),
}


@dataclass(frozen=True)
class Scale:
    """The size of an experiment: which (task, lag) points, models, seeds, and training budget."""

    points: tuple          # ((task, lag), ...)
    models: tuple
    seeds: tuple
    hidden_size: int = 32
    batch_size: int = 32
    max_steps: int = 2000
    eval_every: int = 100
    eval_size: int = 512
    lr: float = 1e-3
    clip: float = 1.0

    def replace(self, **changes) -> Scale:
        """A copy with some fields changed: ``FULL.replace(seeds=(0,))``."""
        return dataclasses.replace(self, **changes)


_SWEEP = tuple((task, lag) for task in ("adding", "first_symbol", "temporal_order")
               for lag in (20, 50, 100))

#: The committed run (lstm_gru_course/data/memory_experiments.json): 3 tasks x 3 lags + Le's form at T=100.
FULL = Scale(points=_SWEEP + (("adding_le", 100),), models=tuple(MODELS), seeds=(0, 1, 2))

#: The live version in chapter 7, the same protocol at two lags and one seed: seconds.
QUICK = Scale(points=(("first_symbol", 10), ("first_symbol", 40)), models=tuple(MODELS),
              seeds=(0,), max_steps=300, eval_every=50, eval_size=256)


def build_model(name: str, input_size: int, hidden_size: int, seed: int):
    """The recurrent layer ``name`` (a key of ``MODELS``), with its keep-gate bias set if any.

    The keep gate (LSTM forget gate f, GRU update gate z) is set by
    :func:`~lstm_gru_course.analysis.conventions.set_keep_bias`, so sigmoid(3) ~ 0.95 of
    the memory is kept per step at the start, instead of sigmoid(0) = 0.5.

    >>> layer = build_model("LSTM, forget bias 3", input_size=2, hidden_size=4, seed=0)
    >>> (layer.params["bias_ih"] + layer.params["bias_hh"])[4:8].tolist()
    [3.0, 3.0, 3.0, 3.0]
    """
    name = choice("name", name, tuple(MODELS))
    cls, keep_bias = MODELS[name]
    layer = cls(input_size, hidden_size, seed=seed)
    return layer if keep_bias is None else set_keep_bias(layer, keep_bias)


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


def train_and_score(layer, readout, make_batch, steps: int, score: Callable[[], tuple], *,
                    score_every: int | None = None, solved: Callable | None = None,
                    lr: float = 1e-2, clip: float | None = 1.0, seed: int = 0,
                    on_step: Callable | None = None, allow_divergence: bool = False) -> Scores:
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
        history = train(layer, readout, make_batch, steps, lr=lr, clip=clip, seed=seed,
                        callback=callback)
    except RuntimeError:
        if not allow_divergence:
            raise
        diverged = True
    if not diverged and not state["stopped"]:
        curve.append([steps, *score()])
    return Scores(curve=curve, steps=state["steps"], history=history, diverged=diverged)


def _score(spec, layer, readout, batch):
    """(loss / chance loss, fraction answered right) of the model on a held-out batch."""
    outputs, _ = layer.forward(batch.inputs)
    prediction = readout.forward(outputs[-1])
    if batch.kind == "regression":
        loss, _ = mse(prediction, batch.targets)
        right = float(np.mean(np.abs(prediction - batch.targets) < spec.tolerance))
    else:
        loss, _ = cross_entropy(prediction, batch.targets)
        right = accuracy(prediction, batch.targets)
    return loss / batch.chance_loss, right


def chance_accuracy(task: str, batch: Batch) -> float:
    """Fraction of ``batch`` answered right by guessing without looking at the input.

    Regression: always answering the mean target, scored with the task's tolerance on
    these held-out sequences. Classification: 1/K for K classes, what a guess gets on
    balanced classes; on a given held-out set, always answering one class gets that
    class's share, which can sit a little above or below 1/K.
    """
    spec = TASKS[choice("task", task, tuple(TASKS))]
    if batch.kind == "classification":
        return batch.chance_accuracy
    guess = batch.targets.mean()
    return float(np.mean(np.abs(guess - batch.targets) < spec.tolerance))


def run_one(task: str, lag: int, model: str, seed: int, scale: Scale, validation=None) -> dict:
    """Train one model on one task at one lag from one seed; return what happened.

    Training uses :func:`train_and_score` (Adam, gradient clipping, fresh batches from
    the seed each step). Every ``scale.eval_every`` steps the model is scored on
    ``validation`` (held-out sequences; made from ``VALIDATION_SEED`` when None);
    training stops once ``SOLVED_ACCURACY`` of them are answered right. The result
    depends only on the arguments, never on what ran before: runs can go in any order,
    in any process.

    Returns a dict: ``task, lag, model, seed``; ``solved`` (bool) and ``solved_at_step``
    (None if never); ``sequences`` (training sequences seen); ``accuracy`` and
    ``relative_loss`` (loss / chance loss) at the end; ``curve``: [step, relative_loss,
    accuracy] at each evaluation (step 0 = before training); ``seconds``; ``diverged``.
    """
    task = choice("task", task, tuple(TASKS))
    spec = TASKS[task]
    lag = positive_int("lag", lag)
    if lag < spec.min_lag:
        raise ValueError(f"lag must be at least {spec.min_lag} for task {task!r}, but received {lag}.")
    model = choice("model", model, tuple(MODELS))
    if not isinstance(scale, Scale):
        raise TypeError(f"scale must be a Scale (e.g. QUICK or FULL), but received {describe(scale)}.")
    if validation is None:
        validation = spec.make(lag, scale.eval_size, VALIDATION_SEED + lag)
    layer = build_model(model, validation.inputs.shape[2], scale.hidden_size, seed)
    readout = Linear(scale.hidden_size, validation.output_size, seed=seed + 1000)
    start = time.perf_counter()
    scores = train_and_score(
        layer, readout, lambda rng: spec.make(lag, scale.batch_size, rng), scale.max_steps,
        lambda: _score(spec, layer, readout, validation), score_every=scale.eval_every,
        solved=lambda row: row[2] >= SOLVED_ACCURACY, lr=scale.lr, clip=scale.clip,
        seed=seed, allow_divergence=True)
    seconds = time.perf_counter() - start
    step, relative_loss, right = scores.curve[-1]
    solved = right >= SOLVED_ACCURACY
    return {
        "task": task, "lag": lag, "model": model, "seed": int(seed),
        "solved": bool(solved), "solved_at_step": int(step) if solved else None,
        "sequences": int(scores.steps) * scale.batch_size,
        "accuracy": right, "relative_loss": relative_loss,
        "curve": scores.curve, "seconds": round(seconds, 2), "diverged": scores.diverged,
    }


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


def memory_span_run(kind: str, lag: int, steps: int, seed: int = 0, hidden_size: int = 16,
                    batch_size: int = 32, lr: float = 0.01, on_step: Callable | None = None,
                    test: Batch | None = None, keep_bias: float | None = None) -> MemorySpanRun:
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
        raise TypeError(f"on_step must be None or a function (step, steps), "
                        f"but received {describe(on_step)}.")
    if test is None:
        test = remember_first_symbol(lag, 512, seed=np.random.default_rng((seed, 2)))
    elif not isinstance(test, Batch) or test.inputs.shape[2] != lag + 1:
        raise TypeError(f"test must be None or a remember_first_symbol({lag}, ...) batch, "
                        f"but received {describe(test)}.")
    layer = new_layer(kind, lag + 1, hidden_size, seed=seed)
    if keep_bias is not None:
        set_keep_bias(layer, keep_bias)
    readout = Linear(hidden_size, 2, seed=seed + 1)
    scores = train_and_score(
        layer, readout, lambda rng: remember_first_symbol(lag, batch_size, seed=rng), steps,
        lambda: evaluate(layer, readout, test), lr=lr, seed=seed, on_step=on_step)
    return MemorySpanRun(kind=kind, lag=lag, steps=steps, hidden_size=hidden_size,
                         history=scores.history, test_accuracy=float(scores.curve[-1][2]),
                         layer=layer, readout=readout)


def steps_to_learn(accuracy, level: float = 0.95, window: int = 10) -> int | None:
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
        raise ValueError(f"accuracy must have at least window = {window} entries, but has "
                         f"{accuracy.size}.")
    means = np.convolve(accuracy, np.ones(window) / window, mode="valid")
    reached = np.flatnonzero(means >= level)
    return int(reached[0]) + window if reached.size else None
