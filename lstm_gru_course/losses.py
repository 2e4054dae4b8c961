"""Losses with their gradients: mean squared error and softmax cross-entropy.

Each loss returns ``(loss, grad)``: the loss as a Python float, averaged over the
batch, and ``grad``, the gradient of that loss with respect to the network's output,
with the output's shape and dtype. ``grad`` is what a read-out layer's ``backward``
receives.

Notation: ``y_hat`` is the prediction, ``y`` the target, ``z`` the logits (scores before
the softmax), ``C`` the number of classes, ``N`` the number of averaged terms.
"""

from __future__ import annotations

import numpy as np

from ._validate import class_indices, float_array

__all__ = ["mse", "cross_entropy", "softmax", "log_softmax", "accuracy"]


def mse(prediction, target):
    """Mean squared error over every entry, and its gradient.

        L = (1/N) * sum (y_hat - y)^2          N = prediction.size
        dL/dy_hat = (2/N) * (y_hat - y)

    Shapes: ``prediction`` any shape, e.g. (B, 1) for one number per sequence or
    (T, B, 1) for one per step; ``target`` exactly the same shape (nothing is
    broadcast). Returns ``(loss, grad)`` with ``grad`` of ``prediction``'s shape.

    >>> loss, grad = mse(np.array([[1.0], [3.0]]), np.array([[0.0], [3.0]]))
    >>> loss, grad.ravel().tolist()
    (0.5, [1.0, 0.0])
    """
    prediction = float_array("prediction", prediction)
    if prediction.size == 0:
        raise ValueError(
            f"prediction must hold at least one number, but received shape {prediction.shape}."
        )
    target = float_array("target", target, shape=prediction.shape, dtype=prediction.dtype)
    diff = prediction - target
    n = diff.size
    loss = float(np.dot(diff.ravel(), diff.ravel()) / n)
    return loss, diff * (2.0 / n)


def _logits(logits) -> np.ndarray:
    logits = float_array("logits", logits)
    if logits.ndim < 2 or logits.shape[-1] < 1 or logits.size == 0:
        raise ValueError(
            "logits must have shape (N, C) or (T, B, C): at least one example and one "
            f"class, classes on the last axis, but received shape {logits.shape}."
        )
    return logits


def log_softmax(logits) -> np.ndarray:
    """Log-probabilities over the last axis, computed without overflow.

        log softmax(z)_k = z_k - logsumexp(z),   logsumexp(z) = m + log sum_j exp(z_j - m),
        m = max_j z_j

    Subtracting the row maximum ``m`` first means ``exp`` never sees a positive number,
    so logits of ±1000 work. Shape: ``logits`` (..., C) -> (..., C).

    >>> np.round(np.exp(log_softmax(np.array([[1000.0, 1000.0]]))), 3).tolist()
    [[0.5, 0.5]]
    """
    logits = _logits(logits)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(logits) -> np.ndarray:
    """Probabilities over the last axis: ``exp(z_k) / sum_j exp(z_j)``, overflow-free.

    Shape: ``logits`` (..., C) -> (..., C), each row summing to 1.

    >>> softmax(np.array([[0.0, np.log(3.0)]])).round(3).tolist()
    [[0.25, 0.75]]
    """
    return np.exp(log_softmax(logits))


def cross_entropy(logits, targets):
    """Softmax cross-entropy with integer class targets, averaged over examples, and its gradient.

        L = -(1/N) * sum_n log softmax(z_n)[y_n]          N = number of examples
        dL/dz_n = (softmax(z_n) - onehot(y_n)) / N

    Shapes: ``logits`` (N, C), or (T, B, C) for a prediction at every step (then
    N = T*B); ``targets`` integer class indices of shape ``logits.shape[:-1]``,
    each in 0..C-1 (not one-hot). Returns ``(loss, grad)`` with ``grad`` of
    ``logits``' shape. Guessing uniformly gives ``log(C)``.

    >>> loss, grad = cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    >>> round(loss, 6), round(float(np.log(4)), 6), grad[0].tolist()
    (1.386294, 1.386294, [-0.375, 0.125, 0.125, 0.125])
    """
    logits = _logits(logits)
    targets = class_indices("targets", targets, logits.shape[:-1], logits.shape[-1])
    log_probs = log_softmax(logits)
    flat_log_probs = log_probs.reshape(-1, logits.shape[-1])
    flat_targets = targets.ravel()
    rows = np.arange(flat_targets.size)
    n = flat_targets.size
    loss = float(-flat_log_probs[rows, flat_targets].sum() / n)
    grad = np.exp(flat_log_probs)
    grad[rows, flat_targets] -= 1.0
    grad /= n
    return loss, grad.reshape(logits.shape)


def accuracy(logits, targets) -> float:
    """Fraction of examples whose largest logit is at the target class.

    Shapes as for :func:`cross_entropy`: ``logits`` (..., C), ``targets`` (...).

    >>> accuracy(np.array([[2.0, 1.0], [0.0, 5.0]]), np.array([0, 0]))
    0.5
    """
    logits = _logits(logits)
    targets = class_indices("targets", targets, logits.shape[:-1], logits.shape[-1])
    return float(np.mean(logits.argmax(axis=-1) == targets))
