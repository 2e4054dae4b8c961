"""The two squashing functions of the course, and their derivatives.

``sigmoid`` squashes any number into (0, 1): a gate that says how much passes.
``tanh`` squashes into (-1, 1): a value that can push up or down.
Both derivatives are written from the *output*, the way backpropagation uses them:

    sigmoid'(a) = s * (1 - s)      where s = sigmoid(a)
    tanh'(a)    = 1 - t**2         where t = tanh(a)

Every function takes a number or a numpy array of any shape (integers become float64,
float32 stays float32) and returns the same shape. ``±inf`` is allowed in ``sigmoid``
and ``tanh`` (their limits are well defined); NaN is refused.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import describe, float_array

__all__ = ["sigmoid", "tanh", "sigmoid_grad_from_output", "tanh_grad_from_output"]


def _as_array(name: str, value, allow_inf: bool) -> tuple[np.ndarray, bool]:
    """Return (float array, was_scalar); refuse NaN (and inf unless ``allow_inf``)."""
    scalar = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if scalar:
        value = np.asarray(value, dtype=np.float32 if isinstance(value, np.float32) else None)
    elif not isinstance(value, np.ndarray):
        hint = "; wrap it with np.asarray(...) first" if isinstance(value, (list, tuple)) else ""
        raise TypeError(
            f"{name} must be a number or a numpy array, but received {describe(value)}{hint}."
        )
    arr = float_array(name, value, allow_nonfinite=True)
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN; every entry must be a number.")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; every entry must be a finite number.")
    return arr, scalar


def _result(out: np.ndarray, scalar: bool):
    return out[()] if scalar else out


def sigmoid(a):
    """Logistic sigmoid ``1 / (1 + exp(-a))``, elementwise, never overflowing.

    ``exp`` is only ever taken of ``-|a|`` (a number in (0, 1]), so ``a = ±1000``
    gives exactly 0.0 / 1.0 with no warning, in float32 and float64:
    for a >= 0, sigmoid(a) = 1 / (1 + e); for a < 0, sigmoid(a) = e / (1 + e),
    with e = exp(-|a|).

    Shapes: any; the output has the shape and float dtype of ``a``.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    arr, scalar = _as_array("a", a, allow_inf=True)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(arr))
    denominator = 1.0 + e
    out = np.where(arr >= 0, 1.0, e) / denominator
    return _result(out.astype(arr.dtype, copy=False), scalar)


def tanh(a):
    """Hyperbolic tangent ``(exp(a) - exp(-a)) / (exp(a) + exp(-a))``, elementwise.

    Shapes: any; the output has the shape and float dtype of ``a``.

    >>> tanh(np.array([-1000.0, 0.0, 1000.0]))
    array([-1.,  0.,  1.])
    """
    arr, scalar = _as_array("a", a, allow_inf=True)
    return _result(np.tanh(arr), scalar)


def sigmoid_grad_from_output(s):
    """Derivative of the sigmoid, from its output: ``s * (1 - s)``.

    Largest (0.25) at s = 0.5, vanishing as the gate saturates at 0 or 1.

    >>> sigmoid_grad_from_output(np.array([0.5, 1.0]))
    array([0.25, 0.  ])
    """
    arr, scalar = _as_array("s", s, allow_inf=False)
    return _result(arr * (1.0 - arr), scalar)


def tanh_grad_from_output(t):
    """Derivative of tanh, from its output: ``1 - t**2``.

    Largest (1.0) at t = 0, vanishing as tanh saturates at -1 or 1.

    >>> tanh_grad_from_output(np.array([0.0, 1.0]))
    array([1., 0.])
    """
    arr, scalar = _as_array("t", t, allow_inf=False)
    return _result(1.0 - arr * arr, scalar)
