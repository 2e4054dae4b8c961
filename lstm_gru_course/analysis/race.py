"""Chapter 7's fair race: the memory tasks, the networks, the budget, and one run.

- :data:`TASKS`: the memory tasks and what counts as a right answer;
  :data:`MODELS`: the networks compared (layer class and keep-gate bias);
  :func:`build_model`; :class:`Scale`, :data:`QUICK` and :data:`FULL`: the budgets;
- :func:`run_one`: one run (task, lag, model, seed), trained and scored with
  :func:`~.memory_span.train_and_score`; :func:`chance_accuracy`: what guessing scores.

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
start they keep about 95% of their memory per step instead of 50%. The whole grid of
runs is :func:`~.sweep.run_memory_experiments`.

>>> scale = QUICK.replace(points=(("first_symbol", 5),), models=("LSTM",), seeds=(0,))
>>> run = run_one("first_symbol", 5, "LSTM", 0, scale)
>>> run["solved"], run["curve"][0][0]
(True, 0)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import tasks
from .._validate import choice, describe, positive_int
from ..layers import GRU, LSTM, RNN
from ..losses import accuracy, cross_entropy, mse
from ..tasks import Batch
from ..train import Linear
from .conventions import set_keep_bias
from .memory_span import train_and_score

__all__ = [
    "TASKS",
    "MODELS",
    "Scale",
    "QUICK",
    "FULL",
    "VALIDATION_SEED",
    "SOLVED_ACCURACY",
    "build_model",
    "chance_accuracy",
    "run_one",
]


#: Held-out sequences are drawn from this seed (plus the lag): the same for every model and seed.
VALIDATION_SEED = 1_000_003
#: A run is "solved" when at least this fraction of the held-out sequences is answered right.
SOLVED_ACCURACY = 0.99


@dataclass(frozen=True)
class TaskSpec:
    """A memory task: how to make a batch, and what counts as a right answer."""

    make: Callable  # (lag, batch_size, seed) -> tasks.Batch
    paper: str  # where it comes from
    right_answer: str  # what "answered right" means, for the chapter's tables
    tolerance: float | None = None  # regression: |prediction - target| below this is right
    min_lag: int = 1


TASKS = {
    "adding": TaskSpec(
        lambda lag, n, seed: tasks.adding_problem(lag, n, seed=seed, form="hochreiter"),
        "Hochreiter & Schmidhuber 1997, exp. 4",
        "|answer - target| < 0.04 (the paper's criterion)",
        tolerance=0.04,
        min_lag=20,
    ),
    "adding_le": TaskSpec(
        lambda lag, n, seed: tasks.adding_problem(lag, n, seed=seed, form="le"),
        "Le, Jaitly & Hinton 2015",
        "|answer - (X1 + X2)| < 0.16 (the 1997 criterion on this scale)",
        tolerance=0.16,
        min_lag=2,
    ),
    "first_symbol": TaskSpec(
        lambda lag, n, seed: tasks.remember_first_symbol(lag, n, seed=seed),
        "Hochreiter & Schmidhuber 1997, exp. 2a",
        "the right class (x or y)",
    ),
    "temporal_order": TaskSpec(
        lambda lag, n, seed: tasks.temporal_order(lag, n, seed=seed),
        "Hochreiter & Schmidhuber 1997, exp. 6a",
        "the right class (XX, XY, YX or YY)",
        min_lag=10,
    ),
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

    points: tuple  # ((task, lag), ...)
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


_SWEEP = tuple(
    (task, lag) for task in ("adding", "first_symbol", "temporal_order") for lag in (20, 50, 100)
)

#: The committed run (lstm_gru_course/data/memory_experiments.json): 3 tasks x 3 lags + Le's form at T=100.
FULL = Scale(points=_SWEEP + (("adding_le", 100),), models=tuple(MODELS), seeds=(0, 1, 2))

#: The live version in chapter 7, the same protocol at two lags and one seed: seconds.
QUICK = Scale(
    points=(("first_symbol", 10), ("first_symbol", 40)),
    models=tuple(MODELS),
    seeds=(0,),
    max_steps=300,
    eval_every=50,
    eval_size=256,
)


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
        raise ValueError(
            f"lag must be at least {spec.min_lag} for task {task!r}, but received {lag}."
        )
    model = choice("model", model, tuple(MODELS))
    if not isinstance(scale, Scale):
        raise TypeError(
            f"scale must be a Scale (e.g. QUICK or FULL), but received {describe(scale)}."
        )
    if validation is None:
        validation = spec.make(lag, scale.eval_size, VALIDATION_SEED + lag)
    layer = build_model(model, validation.inputs.shape[2], scale.hidden_size, seed)
    readout = Linear(scale.hidden_size, validation.output_size, seed=seed + 1000)
    start = time.perf_counter()
    scores = train_and_score(
        layer,
        readout,
        lambda rng: spec.make(lag, scale.batch_size, rng),
        scale.max_steps,
        lambda: _score(spec, layer, readout, validation),
        score_every=scale.eval_every,
        solved=lambda row: row[2] >= SOLVED_ACCURACY,
        lr=scale.lr,
        clip=scale.clip,
        seed=seed,
        allow_divergence=True,
    )
    seconds = time.perf_counter() - start
    step, relative_loss, right = scores.curve[-1]
    solved = right >= SOLVED_ACCURACY
    return {
        "task": task,
        "lag": lag,
        "model": model,
        "seed": int(seed),
        "solved": bool(solved),
        "solved_at_step": int(step) if solved else None,
        "sequences": int(scores.steps) * scale.batch_size,
        "accuracy": right,
        "relative_loss": relative_loss,
        "curve": scores.curve,
        "seconds": round(seconds, 2),
        "diverged": scores.diverged,
    }
