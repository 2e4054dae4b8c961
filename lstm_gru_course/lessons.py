"""Small computations that chapters 1-3 show and no other module provides.

- :func:`backward_factors`: walking back through a tanh RNN, how much of the shrinking
  (or growth) of the gradient comes from the slope of tanh, and how much from the
  recurrent weights.

Shapes follow the package (time-major): ``x`` is (T, B, input_size), states (B, H).

>>> from lstm_gru_course.layers import RNN
>>> parts = backward_factors(RNN(2, 3, seed=0), np.ones((4, 1, 2)))
>>> bool(np.allclose(parts.from_tanh * parts.from_weights, parts.gradient))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import cells
from ._validate import describe, float_array
from .layers import RNN

__all__ = ["BackwardFactors", "backward_factors"]


@dataclass(frozen=True)
class BackwardFactors:
    """Where the gradient of a tanh RNN goes as it travels back in time.

    Every array has shape (T+1,), indexed by the distance ``k`` = 0, 1, ..., T steps
    before the end:

    - ``gradient``: ``||dh_T / dh_{T-k}||_F / sqrt(H)``, the root-mean-square size of
      the gradient that a loss reading the last hidden state sends back ``k`` steps,
      relative to the size it started with (1 at k = 0);
    - ``from_tanh``: the part of that change made by the slopes of tanh,
      ``tanh'(a_t) = 1 - h_t**2`` (never more than 1, so never growing with k);
    - ``from_weights``: the part made by the recurrent weights ``weight_hh``.

    ``gradient == from_tanh * from_weights`` at every distance: one step back multiplies
    the gradient first by the slopes, then by ``weight_hh``, and each part records by
    how much that multiplication changed its size.
    """

    distance: np.ndarray
    gradient: np.ndarray
    from_tanh: np.ndarray
    from_weights: np.ndarray


def backward_factors(layer, x) -> BackwardFactors:
    """Split the gradient's change over each distance into a tanh part and a weight part.

    ``layer`` is an :class:`~lstm_gru_course.layers.RNN`; ``x`` (T, 1, input_size) is
    one sequence. The layer reads ``x`` from a zero state with ``cells.rnn_step``; then
    the Jacobian ``J_k = dh_T / dh_{T-k}`` (H, H) is carried back one step at a time:

        J_{k+1} = (J_k * (1 - h_{T-k}**2)) @ weight_hh      slopes of tanh, then weights

    The size change of each multiplication (ratio of Frobenius norms) is accumulated in
    logarithms, so neither part underflows before the gradient itself does. Returns a
    :class:`BackwardFactors`; a gradient that has vanished completely is 0 from then on.
    ``gradient`` is the quantity that ``memory.gradient_norms_by_distance`` reports as
    ``hidden``: given that function's ``.layer`` and ``.inputs[:, None, :]``, the two agree.

    >>> from lstm_gru_course.layers import RNN
    >>> parts = backward_factors(RNN(2, 3, seed=0), np.zeros((5, 1, 2)))
    >>> parts.gradient.shape, float(parts.gradient[0])
    ((6,), 1.0)
    """
    if not isinstance(layer, RNN):
        raise TypeError(
            "layer must be an RNN from lstm_gru_course.layers (a tanh RNN), "
            f"but received {describe(layer)}."
        )
    x = float_array("x", x, shape=(None, 1, layer.input_size), dtype=np.float64)
    if x.shape[0] == 0:
        raise ValueError(
            f"x must have shape (T, 1, {layer.input_size}) with T >= 1, "
            f"but received shape {x.shape}."
        )
    p = layer.params
    weights = (p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    h, states = np.zeros((1, layer.hidden_size)), []
    for x_t in x:
        h, _ = cells.rnn_step(x_t, h, *weights)
        states.append(h[0])

    T = len(states)
    log_tanh, log_weights = np.zeros(T + 1), np.zeros(T + 1)
    J = np.eye(layer.hidden_size)
    vanished = False
    with np.errstate(divide="ignore", under="ignore"):
        for k, h_t in enumerate(reversed(states), start=1):
            log_tanh[k], log_weights[k] = log_tanh[k - 1], log_weights[k - 1]
            if vanished:
                continue
            size = np.linalg.norm(J)
            through_tanh = J * (1.0 - h_t ** 2)
            size_tanh = np.linalg.norm(through_tanh)
            if size_tanh == 0.0:
                log_tanh[k:] = -np.inf
                vanished = True
                continue
            J = through_tanh @ p["weight_hh"]
            size_weights = np.linalg.norm(J)
            log_tanh[k] += np.log(size_tanh / size)
            log_weights[k] += np.log(size_weights / size_tanh)
            if size_weights == 0.0:
                vanished = True
                log_weights[k + 1:] = -np.inf
                continue
            J = J / size_weights  # keep J near unit size; the logs hold its true size
    with np.errstate(over="ignore", under="ignore"):
        from_tanh, from_weights = np.exp(log_tanh), np.exp(log_weights)
        gradient = np.exp(log_tanh + log_weights)
    return BackwardFactors(distance=np.arange(T + 1), gradient=gradient,
                           from_tanh=from_tanh, from_weights=from_weights)
