"""The classic memory experiments, as seeded batch generators.

Each task hides the information the network needs early in a sequence and asks for it
at the end, so it tests exactly what the book is about: can the network carry something
across many steps? Every generator returns a :class:`Batch` with

- ``inputs``  (T, B, input_size): time-major, like every layer in the package;
- ``targets``: (B, 1) numbers for a regression task, (B,) class indices for a
  classification task — the answer expected after the last step;
- the chance level: the loss (and accuracy) of the best guess that ignores the inputs.
  A network that does not beat it has learned nothing about the sequence.

Randomness comes only from ``seed``: an int, or a ``numpy.random.Generator`` so that
successive calls draw new sequences from one stream.

Tasks (Hochreiter & Schmidhuber 1997, "Long Short-Term Memory", and Le et al. 2015):

==========================  ===========================================  ==============
function                    what must be remembered                      chance
==========================  ===========================================  ==============
``adding_problem``          two marked numbers, to add them              MSE 1/6 (Le),
                                                                         19/480 (1997)
``remember_first_symbol``   the first symbol, for ``lag`` steps          accuracy 1/2
``temporal_order``          the order of two symbols X/Y among noise     accuracy 1/4
==========================  ===========================================  ==============
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import choice, class_indices, finite_number, float_array, generator, positive_int

__all__ = [
    "Batch",
    "adding_problem",
    "remember_first_symbol",
    "temporal_order",
    "ADDING_CHANCE_MSE",
    "FIRST_SYMBOL_CLASSES",
    "TEMPORAL_ORDER_SYMBOLS",
    "TEMPORAL_ORDER_CLASSES",
]

#: MSE of always predicting the mean target, for each form of the adding problem.
ADDING_CHANCE_MSE = {"le": 1.0 / 6.0, "hochreiter": 19.0 / 480.0}

#: Classes of :func:`remember_first_symbol`: the sequence started with x (0) or y (1).
FIRST_SYMBOL_CLASSES = ("x", "y")

#: Input symbols of :func:`temporal_order`, in one-hot order: start, trigger, 4 distractors, X, Y.
TEMPORAL_ORDER_SYMBOLS = ("E", "B", "a", "b", "c", "d", "X", "Y")

#: Classes of :func:`temporal_order`: the order in which X and Y appeared.
TEMPORAL_ORDER_CLASSES = ("Q: X then X", "R: X then Y", "S: Y then X", "U: Y then Y")


@dataclass(frozen=True, repr=False)
class Batch:
    """One batch of a memory task: the sequences a network reads and the answers it must give.

    Fields:

    - ``inputs`` (T, B, input_size), float;
    - ``targets``: for ``kind="regression"`` floats of shape (B, output_size), or
      (T, B, output_size) for an answer at every step; for ``kind="classification"``
      integer class indices of shape (B,), or (T, B);
    - ``kind``: ``"regression"`` (trained with MSE) or ``"classification"``
      (trained with softmax cross-entropy, scored by accuracy too);
    - ``output_size``: numbers the read-out must produce (1, or the number of classes);
    - ``chance_loss``: loss of the best input-blind guess (mean target, or uniform
      class probabilities, giving ``log(classes)``);
    - ``chance_accuracy``: accuracy of that guess (classification only, else None).

    >>> batch = adding_problem(length=50, batch_size=8, seed=0)
    >>> batch
    Batch(kind='regression', inputs (50, 8, 2), targets (8, 1), output_size=1, chance_loss=0.1667)
    """

    inputs: np.ndarray
    targets: np.ndarray
    kind: str
    output_size: int
    chance_loss: float
    chance_accuracy: float | None = None

    def __post_init__(self):
        kind = choice("kind", self.kind, ("regression", "classification"))
        inputs = float_array("inputs", self.inputs, shape=(None, None, None))
        steps, batch_size, _ = inputs.shape
        output_size = positive_int("output_size", self.output_size)
        targets = self.targets
        if kind == "regression":
            if not isinstance(targets, np.ndarray) or targets.ndim == 3:
                expected = (steps, batch_size, output_size)
            else:
                expected = (batch_size, output_size)
            targets = float_array("targets", targets, shape=expected)
            chance_accuracy = None
            if self.chance_accuracy is not None:
                raise ValueError(
                    "chance_accuracy must be None for a regression task, but received "
                    f"{self.chance_accuracy!r}."
                )
        else:
            ndim = targets.ndim if isinstance(targets, np.ndarray) else 1
            expected = (steps, batch_size) if ndim in (2, 3) else (batch_size,)
            targets = class_indices("targets", targets, expected, output_size)
            if self.chance_accuracy is None:
                raise ValueError("chance_accuracy must be given for a classification task.")
            chance_accuracy = finite_number(
                "chance_accuracy", self.chance_accuracy, low=0.0, high=1.0
            )
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "output_size", output_size)
        chance_loss = finite_number("chance_loss", self.chance_loss, low=0.0)
        object.__setattr__(self, "chance_loss", chance_loss)
        object.__setattr__(self, "chance_accuracy", chance_accuracy)

    def __repr__(self) -> str:
        text = (
            f"Batch(kind={self.kind!r}, inputs {self.inputs.shape}, targets "
            f"{self.targets.shape}, output_size={self.output_size}, "
            f"chance_loss={self.chance_loss:.4g}"
        )
        if self.chance_accuracy is not None:
            text += f", chance_accuracy={self.chance_accuracy:.4g}"
        return text + ")"


def adding_problem(length, batch_size, seed=0, form="le") -> Batch:
    """The adding problem: add the two numbers that carry a marker, report the sum at the end.

    Each step's input is a pair (value, marker). Two steps are marked; the network must
    notice them, hold their values, and output their (scaled) sum after the last step.

    ``form="le"`` (Le, Jaitly & Hinton 2015): values uniform in [0, 1), markers 0
    except two 1s, one placed uniformly in each half of the sequence; target
    ``X1 + X2``. Predicting the mean (1) gives chance MSE ``Var(X1 + X2) = 2/12 = 1/6``.

    ``form="hochreiter"`` (Hochreiter & Schmidhuber 1997, experiment 4): values uniform
    in [-1, 1]; marker 1 on one of the first 10 pairs (X1) and on one of the first
    ``length/2 - 1`` still unmarked pairs (X2); marker -1 on the first and last pairs
    when they are not marked; 0 elsewhere. When the first pair holds X1, X1 is set to 0,
    as in the paper. Target ``0.5 + (X1 + X2)/4``, in [0, 1]; the paper counts a
    sequence as solved when the absolute error is below 0.04. Predicting the mean 0.5
    gives chance MSE ``(0.9/3 + 1/3)/16 = 19/480 ≈ 0.0396``. The paper draws each
    sequence's length between T and T + T/10; here a batch has the single length
    ``length`` (it must be at least 20, so that both marked pairs lie in the first half).

    Shapes: ``inputs`` (length, batch_size, 2) with [..., 0] the values and [..., 1]
    the markers; ``targets`` (batch_size, 1).

    >>> batch = adding_problem(length=6, batch_size=1, seed=3)
    >>> batch.inputs[:, 0, 1].tolist(), batch.targets.shape
    ([0.0, 1.0, 0.0, 0.0, 1.0, 0.0], (1, 1))
    """
    length = positive_int("length", length)
    batch_size = positive_int("batch_size", batch_size)
    form = choice("form", form, ("le", "hochreiter"))
    rng = generator("seed", seed)
    columns = np.arange(batch_size)
    markers = np.zeros((length, batch_size))
    if form == "le":
        if length < 2:
            raise ValueError(
                f"length must be at least 2 for form='le' (one marker in each half), "
                f"but received {length}."
            )
        values = rng.uniform(0.0, 1.0, size=(length, batch_size))
        first = rng.integers(0, length // 2, size=batch_size)
        second = rng.integers(length // 2, length, size=batch_size)
        markers[first, columns] = 1.0
        markers[second, columns] = 1.0
        targets = values[first, columns] + values[second, columns]
    else:
        if length < 20:
            raise ValueError(
                "length must be at least 20 for form='hochreiter' (X1 is among the first "
                f"10 pairs, X2 among the first length/2 - 1), but received {length}."
            )
        values = rng.uniform(-1.0, 1.0, size=(length, batch_size))
        first = rng.integers(0, 10, size=batch_size)
        # X2 is the j-th still-unmarked pair: skip over X1's position.
        j = rng.integers(0, length // 2 - 1, size=batch_size)
        second = j + (j >= first)
        values[0, first == 0] = 0.0
        markers[0] = -1.0
        markers[-1] = -1.0
        markers[first, columns] = 1.0
        markers[second, columns] = 1.0
        targets = 0.5 + (values[first, columns] + values[second, columns]) / 4.0
    return Batch(
        inputs=np.stack([values, markers], axis=-1),
        targets=targets[:, None],
        kind="regression",
        output_size=1,
        chance_loss=ADDING_CHANCE_MSE[form],
    )


def remember_first_symbol(lag, batch_size, seed=0) -> Batch:
    """Remember the first symbol for ``lag`` steps (Hochreiter & Schmidhuber 1997, exp. 2a).

    The paper's two sequences are (y, a1, ..., a_{p-1}, y) and (x, a1, ..., a_{p-1}, x),
    each with probability 1/2, with ``p = lag``: the middle is the same every time, so the
    only way to predict the last symbol is to have kept the first one for ``lag`` steps.
    The network reads the first ``lag`` symbols (everything but the last) and must
    answer which one comes last: class 0 for x, 1 for y (``FIRST_SYMBOL_CLASSES``).
    The paper trains next-symbol prediction at every step; all but this last one are
    predictable without memory, so the batch keeps only the last.

    Symbols are one-hot over ``lag + 1`` inputs: index k-1 is a_k (k = 1..lag-1), index
    ``lag - 1`` is x, index ``lag`` is y. Chance: accuracy 1/2, cross-entropy log 2.

    Shapes: ``inputs`` (lag, batch_size, lag + 1); ``targets`` (batch_size,) int.

    >>> batch = remember_first_symbol(lag=3, batch_size=1, seed=0)
    >>> batch.inputs[:, 0].argmax(axis=-1).tolist(), batch.targets.tolist()
    ([3, 0, 1], [1])
    """
    lag = positive_int("lag", lag)
    batch_size = positive_int("batch_size", batch_size)
    rng = generator("seed", seed)
    first = rng.integers(0, 2, size=batch_size)
    inputs = np.zeros((lag, batch_size, lag + 1))
    inputs[0, np.arange(batch_size), lag - 1 + first] = 1.0
    for t in range(1, lag):
        inputs[t, :, t - 1] = 1.0
    return Batch(
        inputs=inputs,
        targets=first,
        kind="classification",
        output_size=2,
        chance_loss=float(np.log(2.0)),
        chance_accuracy=0.5,
    )


def temporal_order(length, batch_size, seed=0) -> Batch:
    """Classify the order of two widely separated symbols (Hochreiter & Schmidhuber 1997, exp. 6a).

    A sequence starts with E, ends with the trigger B, and is otherwise random
    distractors a, b, c, d, except at two steps t1 (early) and t2 (middle) that hold X
    or Y. The class is the order: X,X -> Q; X,Y -> R; Y,X -> S; Y,Y -> U
    (``TEMPORAL_ORDER_CLASSES``, indices 0..3). Steps count from 0;
    ``t1`` is uniform in [length//10, length//5] and ``t2`` in [length//2, 3*length//5],
    which for length 100 gives the paper's 10..20 and 50..60. The paper draws lengths
    between 100 and 110; here a batch has the single length ``length`` (at least 10).

    Symbols are one-hot over 8 inputs in the order ``TEMPORAL_ORDER_SYMBOLS``
    (E, B, a, b, c, d, X, Y). Chance: accuracy 1/4, cross-entropy log 4.

    Shapes: ``inputs`` (length, batch_size, 8); ``targets`` (batch_size,) int.

    >>> batch = temporal_order(length=10, batch_size=1, seed=0)
    >>> "".join(TEMPORAL_ORDER_SYMBOLS[k] for k in batch.inputs[:, 0].argmax(axis=-1))
    'EcYbbaYaaB'
    >>> TEMPORAL_ORDER_CLASSES[batch.targets[0]]
    'U: Y then Y'
    """
    length = positive_int("length", length)
    batch_size = positive_int("batch_size", batch_size)
    if length < 10:
        raise ValueError(
            "length must be at least 10 (E, then X/Y early, X/Y in the middle, B last), "
            f"but received {length}."
        )
    rng = generator("seed", seed)
    columns = np.arange(batch_size)
    symbols = rng.integers(2, 6, size=(length, batch_size))
    symbols[0] = 0
    symbols[-1] = 1
    t1 = rng.integers(length // 10, length // 5 + 1, size=batch_size)
    t2 = rng.integers(length // 2, 3 * length // 5 + 1, size=batch_size)
    first_is_y = rng.integers(0, 2, size=batch_size)
    second_is_y = rng.integers(0, 2, size=batch_size)
    symbols[t1, columns] = 6 + first_is_y
    symbols[t2, columns] = 6 + second_is_y
    return Batch(
        inputs=np.eye(len(TEMPORAL_ORDER_SYMBOLS))[symbols],
        targets=2 * first_is_y + second_is_y,
        kind="classification",
        output_size=4,
        chance_loss=float(np.log(4.0)),
        chance_accuracy=0.25,
    )
