"""Training: a recurrent layer, a linear read-out, a loss, an optimiser, clipping, one loop.

The model is the smallest one that can do the memory tasks:

    outputs, _ = layer.forward(x)           x (T, B, I) -> outputs (T, B, H)
    y_hat = readout.forward(outputs[-1])    readout_at="last":  (B, H) -> (B, O)
    y_hat = readout.forward(outputs)        readout_at="every": (T, B, H) -> (T, B, O)

trained with MSE (regression) or softmax cross-entropy (classification), the loss the
task's :class:`~lstm_gru_course.tasks.Batch` asks for. Each step: forward, loss,
backward through the read-out and through time, clip the global gradient norm, update.

>>> from lstm_gru_course.layers import LSTM
>>> from lstm_gru_course.tasks import adding_problem
>>> layer, readout = LSTM(2, 8, seed=0), Linear(8, 1, seed=1)
>>> history = train(layer, readout, lambda rng: adding_problem(5, 16, seed=rng), steps=20)
>>> history.loss.shape, history.grad_norm.shape, history.accuracy
((20,), (20,), None)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._train_support import (  # noqa: F401 (re-exported: tests and analysis.sweep use them)
    _check_batch,
    _check_finite,
    _interactive_terminal,
    _one_blas_thread,
    _progress_bar,
)
from ._validate import (
    choice,
    describe,
    finite_number,
    float_array,
    float_dtype,
    generator,
    positive_int,
)
from .layers import _uniform_params
from .losses import accuracy, cross_entropy, mse
from .optim import SGD, Adam, clip_grad_norm, grad_norm
from .tasks import Batch

__all__ = ["Linear", "History", "train", "predict", "evaluate"]


class Linear:
    """A fully connected read-out, ``y = x W^T + b``, in PyTorch's ``nn.Linear`` layout.

    ``Linear(in_features, out_features, seed=0, dtype=np.float64)``; parameters
    ``weight`` (out_features, in_features) and ``bias`` (out_features,), initialised
    uniform in ±1/sqrt(in_features) as in PyTorch. ``params`` and, after ``backward``,
    ``grads`` are dicts with those names.

    Shapes: x (..., in_features) -> y (..., out_features); any leading axes, e.g. (B, H)
    for the last step or (T, B, H) for every step.

        dL/dW = sum over rows of dy^T x      (out, in)
        dL/db = sum over rows of dy          (out,)
        dL/dx = dy W                         (..., in)

    >>> readout = Linear(3, 2, seed=0)
    >>> y = readout.forward(np.ones((4, 3)))
    >>> dx = readout.backward(np.ones_like(y))
    >>> y.shape, dx.shape, readout.grads["weight"].tolist()
    ((4, 2), (4, 3), [[4.0, 4.0, 4.0], [4.0, 4.0, 4.0]])
    """

    def __init__(self, in_features, out_features, seed=0, dtype=np.float64):
        self.in_features = positive_int("in_features", in_features)
        self.out_features = positive_int("out_features", out_features)
        self.dtype = float_dtype("dtype", dtype)
        shapes = {"weight": (self.out_features, self.in_features), "bias": (self.out_features,)}
        self.params, self.grads = _uniform_params(shapes, self.in_features, seed, self.dtype)
        self._x = None

    @property
    def weight(self) -> np.ndarray:
        """The live weight array, (out_features, in_features)."""
        return self.params["weight"]

    @property
    def bias(self) -> np.ndarray:
        """The live bias array, (out_features,)."""
        return self.params["bias"]

    def __repr__(self) -> str:
        return (
            f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
            f"dtype={self.dtype.name})"
        )

    def _checked_params(self):
        return (
            float_array(
                "params['weight']",
                self.params.get("weight"),
                shape=(self.out_features, self.in_features),
                dtype=self.dtype,
            ),
            float_array(
                "params['bias']",
                self.params.get("bias"),
                shape=(self.out_features,),
                dtype=self.dtype,
            ),
        )

    def forward(self, x) -> np.ndarray:
        """``y = x W^T + b``: x (..., in_features) -> y (..., out_features)."""
        x = float_array("x", x, dtype=self.dtype)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"x must have shape (..., {self.in_features}) (in_features on the last "
                f"axis), but received shape {x.shape}."
            )
        weight, bias = self._checked_params()
        self._x = x
        return x @ weight.T + bias

    def backward(self, dy) -> np.ndarray:
        """Gradients from ``dy`` = dL/dy (..., out_features): fills ``grads``, returns dL/dx."""
        if self._x is None:
            raise RuntimeError("backward() needs a forward() pass first: call readout.forward(x).")
        expected = self._x.shape[:-1] + (self.out_features,)
        dy = float_array("dy", dy, shape=expected, dtype=self.dtype)
        weight, _ = self._checked_params()
        rows_x = self._x.reshape(-1, self.in_features)
        rows_dy = dy.reshape(-1, self.out_features)
        self.grads["weight"] = rows_dy.T @ rows_x
        self.grads["bias"] = rows_dy.sum(axis=0)
        return dy @ weight


@dataclass(frozen=True, repr=False)
class History:
    """What happened at each training step (arrays of length ``steps``).

    - ``loss``: the training loss of that step's batch, before the update;
    - ``accuracy``: fraction of that batch answered right (classification), else None;
    - ``grad_norm``: global gradient norm before clipping (spikes = exploding gradients,
      values near 0 = vanishing ones);
    - ``chance_loss``, ``chance_accuracy``: the task's input-blind baseline, to compare.
    """

    loss: np.ndarray
    accuracy: np.ndarray | None
    grad_norm: np.ndarray
    chance_loss: float
    chance_accuracy: float | None

    def __repr__(self) -> str:
        window = max(1, len(self.loss) // 10)
        text = (
            f"History(steps={len(self.loss)}, loss {self.loss[:window].mean():.4g} -> "
            f"{self.loss[-window:].mean():.4g} (chance {self.chance_loss:.4g})"
        )
        if self.accuracy is not None:
            text += (
                f", accuracy {self.accuracy[:window].mean():.3g} -> "
                f"{self.accuracy[-window:].mean():.3g} (chance {self.chance_accuracy:.3g})"
            )
        return text + f", median grad_norm {np.median(self.grad_norm):.3g})"


def _check_model(layer, readout):
    for attribute in ("forward", "backward", "params", "grads", "input_size", "hidden_size"):
        if not hasattr(layer, attribute):
            raise TypeError(
                f"layer must be a recurrent layer such as LSTM(input_size, hidden_size), "
                f"but received {describe(layer)} (it has no {attribute!r})."
            )
    if not isinstance(readout, Linear):
        raise TypeError(
            f"readout must be a Linear(hidden_size, output_size), but received {describe(readout)}."
        )
    if readout.in_features != layer.hidden_size:
        raise ValueError(
            f"readout must read the layer's hidden_size={layer.hidden_size} numbers, but "
            f"received {readout!r}."
        )


def _forward(layer, readout, inputs, readout_at):
    outputs, _ = layer.forward(inputs)
    return outputs, readout.forward(outputs[-1] if readout_at == "last" else outputs)


def predict(layer, readout, inputs, readout_at="last") -> np.ndarray:
    """The model's answers for ``inputs`` (T, B, I): (B, O) at ``"last"``, (T, B, O) at ``"every"``.

    Raw outputs: numbers for regression, logits (scores before the softmax) for
    classification; ``predict(...).argmax(-1)`` gives the predicted classes.

    >>> from lstm_gru_course.layers import RNN
    >>> predict(RNN(2, 4), Linear(4, 1), np.zeros((6, 3, 2))).shape
    (3, 1)
    """
    _check_model(layer, readout)
    readout_at = choice("readout_at", readout_at, ("last", "every"))
    return _forward(layer, readout, inputs, readout_at)[1]


def evaluate(layer, readout, batch, readout_at="last") -> tuple[float, float | None]:
    """Loss and accuracy (None for regression) of the model on ``batch``, without training.

    >>> from lstm_gru_course.layers import GRU
    >>> from lstm_gru_course.tasks import temporal_order
    >>> loss, acc = evaluate(GRU(8, 4), Linear(4, 4), temporal_order(10, 32, seed=0))
    >>> 0.0 <= acc <= 1.0
    True
    """
    _check_model(layer, readout)
    readout_at = choice("readout_at", readout_at, ("last", "every"))
    batch = _check_batch(batch, layer, readout, readout_at)
    _, prediction = _forward(layer, readout, batch.inputs, readout_at)
    if batch.kind == "regression":
        return mse(prediction, batch.targets)[0], None
    return cross_entropy(prediction, batch.targets)[0], accuracy(prediction, batch.targets)


def train(
    layer,
    readout,
    batches,
    steps,
    *,
    lr=1e-2,
    optimizer="adam",
    momentum=0.9,
    clip=1.0,
    readout_at="last",
    seed=0,
    progress=False,
    callback=None,
) -> History:
    """Train ``layer`` and ``readout`` in place for ``steps`` steps; return the :class:`History`.

    - ``batches``: a ``tasks.Batch`` to train on at every step, or a function
      ``make_batch(rng) -> Batch`` called once per step with one seeded
      ``numpy.random.Generator`` (e.g. ``lambda rng: adding_problem(50, 64, seed=rng)``),
      so each step sees fresh sequences;
    - ``optimizer``: ``"adam"`` (``optim.Adam(lr)``) or ``"sgd"`` (``optim.SGD(lr,
      momentum)``), over ``[layer.params, readout.params]``;
    - ``clip``: maximum global gradient norm (``optim.clip_grad_norm``), None for no clipping;
    - ``readout_at``: ``"last"`` reads out the last step's hidden state (targets (B, ...)),
      ``"every"`` every step's (targets (T, B, ...));
    - ``seed``: seeds the batch stream; the weights come from the layers' own seeds, so
      the same seeds give the same history, number for number;
    - ``progress``: show a tqdm bar (when tqdm is installed), only in an interactive
      terminal. In Jupyter it stays off, so that a notebook's stored outputs are the
      same on every run; plot ``history.loss`` instead;
    - ``callback``: the hook for what a loop of your own would do between steps
      (evaluate, show progress, stop early): ``callback(step, loss)`` is called after
      every update, with ``step`` the number of steps done (1 to ``steps``) and ``loss``
      that step's training loss. Return True to stop training there: the History then
      holds the steps done. E.g. ``callback=lambda step, loss: loss < 0.01``.

    Raises RuntimeError if training diverges (a non-finite loss or gradient), naming the step.
    """
    _check_model(layer, readout)
    steps = positive_int("steps", steps)
    lr = finite_number("lr", lr)
    if lr <= 0:
        raise ValueError(f"lr must be a positive number, but received {lr}.")
    optimizer = choice("optimizer", optimizer, ("adam", "sgd"))
    if clip is not None:
        clip = finite_number("clip", clip)
        if clip <= 0:
            raise ValueError(f"clip must be a positive number or None, but received {clip}.")
    readout_at = choice("readout_at", readout_at, ("last", "every"))
    rng = generator("seed", seed)
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True or False, but received {describe(progress)}.")
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be None or a function (step, loss), but received {describe(callback)}."
        )
    if isinstance(batches, Batch):
        fixed = _check_batch(batches, layer, readout, readout_at)
    elif callable(batches):
        fixed = None
    else:
        raise TypeError(
            "batches must be a tasks.Batch or a function rng -> Batch, but received "
            f"{describe(batches)}."
        )

    params = [layer.params, readout.params]
    opt = Adam(params, lr=lr) if optimizer == "adam" else SGD(params, lr=lr, momentum=momentum)

    losses, accuracies, norms = np.empty(steps), np.empty(steps), np.empty(steps)
    chance, done = None, steps
    bar = _progress_bar(bool(progress), steps)
    blas = _one_blas_thread()
    try:
        for step in range(steps):
            batch = fixed
            if fixed is None:
                batch = batches(rng)
                if not isinstance(batch, Batch):
                    raise TypeError(
                        f"batches(rng) must return a tasks.Batch, but returned {describe(batch)}."
                    )
                batch = _check_batch(batch, layer, readout, readout_at)
            if chance is None:
                chance = (batch.kind, batch.chance_loss, batch.chance_accuracy)

            outputs, prediction = _forward(layer, readout, batch.inputs, readout_at)
            _check_finite(step, "the model's output", prediction)
            if batch.kind == "regression":
                losses[step], d_prediction = mse(prediction, batch.targets)
                accuracies[step] = np.nan
            else:
                losses[step], d_prediction = cross_entropy(prediction, batch.targets)
                accuracies[step] = accuracy(prediction, batch.targets)
            _check_finite(step, "the loss", losses[step])

            d_hidden = readout.backward(d_prediction)
            _check_finite(step, "the gradient reaching the layer", d_hidden)
            d_outputs = d_hidden
            if readout_at == "last":  # only the last step was read out
                d_outputs = np.zeros(outputs.shape, dtype=outputs.dtype)
                d_outputs[-1] = d_hidden
            layer.backward(d_outputs)

            grads = [layer.grads, readout.grads]
            norms[step] = grad_norm(grads)
            _check_finite(step, "the gradient norm", norms[step])
            if clip is not None:
                clip_grad_norm(grads, clip)
            opt.step(grads)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{losses[step]:.4g}", refresh=False)
            if callback is not None and callback(step + 1, float(losses[step])) is True:
                done = step + 1
                break
    finally:
        blas.__exit__(None, None, None)
        if bar is not None:
            bar.close()

    kind, chance_loss, chance_accuracy = chance
    return History(
        loss=losses[:done],
        grad_norm=norms[:done],
        accuracy=accuracies[:done] if kind == "classification" else None,
        chance_loss=chance_loss,
        chance_accuracy=chance_accuracy,
    )
