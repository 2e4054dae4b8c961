"""Optimisers (SGD with momentum, Adam) and global gradient-norm clipping.

Parameters and gradients are dicts ``name -> array`` with the same keys, such as a
layer's ``params`` and ``grads``; a model made of several parts passes a list of dicts,
e.g. ``[lstm.params, readout.params]`` and, at each step, ``[lstm.grads, readout.grads]``.
Every update happens in place, in the arrays the parameter dicts hold, so the layers
see the new weights without copying anything back.

>>> w = {"weight": np.array([1.0, -2.0])}
>>> opt = SGD(w, lr=0.1)
>>> opt.step({"weight": np.array([1.0, 1.0])})
>>> w["weight"].tolist()
[0.9, -2.1]
"""

from __future__ import annotations

import numpy as np

from ._validate import describe, finite_number

__all__ = ["SGD", "Adam", "clip_grad_norm", "grad_norm"]


def _as_groups(name: str, value) -> list[dict]:
    """A dict or a list/tuple of dicts, as a list of dicts."""
    groups = [value] if isinstance(value, dict) else value
    if (
        not isinstance(groups, (list, tuple))
        or not groups
        or not all(isinstance(g, dict) for g in groups)
    ):
        raise TypeError(
            f"{name} must be a dict name -> array (like layer.{name}) or a non-empty list "
            f"of such dicts, but received {describe(value)}."
        )
    return list(groups)


def _label(groups: list, index: int, key) -> str:
    return f"[{key!r}]" if len(groups) == 1 else f"[{index}][{key!r}]"


def _check_params(params) -> list[dict]:
    groups = _as_groups("params", params)
    for index, group in enumerate(groups):
        for key, array in group.items():
            if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
                raise TypeError(
                    f"params{_label(groups, index, key)} must be a float numpy array "
                    f"(it is updated in place), but received {describe(array)}."
                )
            if not array.flags.writeable:
                raise ValueError(
                    f"params{_label(groups, index, key)} is a read-only array; "
                    "an optimiser needs to update it in place."
                )
    return groups


def _pairs(params: list[dict], grads) -> list[tuple[int, object, np.ndarray, np.ndarray]]:
    """Match every parameter with its gradient: (group index, key, param, grad), all checked."""
    grad_groups = _as_groups("grads", grads)
    if len(grad_groups) != len(params):
        raise ValueError(
            f"grads must have one dict per parameter dict ({len(params)}), but received "
            f"{len(grad_groups)}."
        )
    pairs = []
    for index, (group, grad_group) in enumerate(zip(params, grad_groups)):
        if set(group) != set(grad_group):
            raise ValueError(
                f"grads{'' if len(params) == 1 else f'[{index}]'} must have the keys "
                f"{sorted(group)} of the parameters, but received {sorted(grad_group)}."
            )
        for key, param in group.items():
            label = _label(params, index, key)
            grad = grad_group[key]
            if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "fiu":
                raise TypeError(
                    f"grads{label} must be a numpy array of numbers, but received {describe(grad)}."
                )
            if grad.shape != param.shape:
                raise ValueError(
                    f"grads{label} must have the parameter's shape {param.shape}, but "
                    f"received shape {grad.shape}."
                )
            if not np.isfinite(grad).all():
                bad = "NaN" if np.isnan(grad).any() else "inf"
                raise ValueError(
                    f"grads{label} contains {bad}; training has diverged (try a smaller "
                    "learning rate or gradient clipping)."
                )
            pairs.append((index, key, param, grad))
    return pairs


def _state(states: list[dict], index: int, key, param: np.ndarray) -> np.ndarray:
    """The optimiser's running array for one parameter, checked against the parameter."""
    state = states[index].get(key)
    if state is None or state.shape != param.shape:
        raise ValueError(
            f"params{_label(states, index, key)} is not the parameter this optimiser was "
            f"created with (new key or new shape {param.shape}); create a new optimiser."
        )
    return state


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum, updating parameters in place.

        v <- momentum * v + g
        p <- p - lr * v

    This is PyTorch's form (``torch.optim.SGD``); ``momentum=0`` gives plain gradient
    descent ``p <- p - lr * g``. ``params`` is a dict name -> float array, or a list of
    such dicts; ``step(grads)`` takes gradients with the same structure and shapes.

    >>> p = {"w": np.array([1.0])}
    >>> opt = SGD(p, lr=0.5, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.step({"w": np.array([1.0])})
    >>> p["w"].round(12).tolist()   # 1 - 0.5*1 - 0.5*(0.9 + 1)
    [-0.45]
    """

    def __init__(self, params, lr=0.01, momentum=0.0):
        self.params = _check_params(params)
        self.lr = finite_number("lr", lr, low=0.0)
        self.momentum = finite_number("momentum", momentum, low=0.0, high=1.0)
        self.velocity = [{k: np.zeros_like(p) for k, p in g.items()} for g in self.params]

    def step(self, grads) -> None:
        """Apply one update with ``grads`` (same structure as ``params``), in place."""
        pairs = _pairs(_check_params(self.params), grads)
        velocities = [_state(self.velocity, index, key, param) for index, key, param, _ in pairs]
        for (_, _, param, grad), velocity in zip(pairs, velocities):
            velocity *= self.momentum
            velocity += grad
            param -= (self.lr * velocity).astype(param.dtype, copy=False)


class Adam:
    """Adam (Kingma & Ba 2015), updating parameters in place.

        m <- beta1 * m + (1 - beta1) * g            first moment (mean of g)
        v <- beta2 * v + (1 - beta2) * g^2          second moment (mean of g^2)
        m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)     bias correction, t = step
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Each parameter moves by about ``lr`` per step whatever the gradient's scale, which
    makes Adam forgiving for recurrent networks whose gradients span many orders of
    magnitude. ``params`` is a dict name -> float array, or a list of such dicts.

    >>> p = {"w": np.array([5.0, -5.0])}
    >>> opt = Adam(p, lr=0.1)
    >>> opt.step({"w": np.array([100.0, -0.001])})
    >>> p["w"].round(4).tolist()   # both move by lr, whatever the gradient's size
    [4.9, -4.9]
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = _check_params(params)
        self.lr = finite_number("lr", lr, low=0.0)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), but received {describe(betas)}.")
        self.betas = (
            finite_number("betas[0]", betas[0], low=0.0, high=1.0),
            finite_number("betas[1]", betas[1], low=0.0, high=1.0),
        )
        if self.betas[0] == 1.0 or self.betas[1] == 1.0:
            raise ValueError(f"betas must each be below 1, but received {tuple(betas)}.")
        self.eps = finite_number("eps", eps)
        if self.eps <= 0:
            raise ValueError(f"eps must be a positive number, but received {self.eps}.")
        self.t = 0
        self.m = [{k: np.zeros_like(p) for k, p in g.items()} for g in self.params]
        self.v = [{k: np.zeros_like(p) for k, p in g.items()} for g in self.params]

    def step(self, grads) -> None:
        """Apply one update with ``grads`` (same structure as ``params``), in place."""
        pairs = _pairs(_check_params(self.params), grads)
        moments = [
            (_state(self.m, index, key, param), _state(self.v, index, key, param))
            for index, key, param, _ in pairs
        ]
        self.t += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1.0 - beta1**self.t)
        v_correction = 1.0 - beta2**self.t
        for (_, _, param, grad), (m, v) in zip(pairs, moments):
            m *= beta1
            m += (1.0 - beta1) * grad
            v *= beta2
            v += (1.0 - beta2) * np.square(grad)
            denominator = np.sqrt(v / v_correction) + self.eps
            param -= (step_size * m / denominator).astype(param.dtype, copy=False)


def grad_norm(grads) -> float:
    """Global Euclidean norm of all gradients together: ``sqrt(sum_k ||g_k||^2)``.

    ``grads`` is a dict name -> array or a list of such dicts.

    >>> grad_norm({"a": np.array([3.0]), "b": np.array([[4.0]])})
    5.0
    """
    groups = _as_groups("grads", grads)
    total = 0.0
    for index, group in enumerate(groups):
        for key, grad in group.items():
            label = _label(groups, index, key)
            if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "fiu":
                raise TypeError(
                    f"grads{label} must be a numpy array of numbers, but received {describe(grad)}."
                )
            flat = grad.ravel().astype(np.float64, copy=False)
            total += float(np.dot(flat, flat))
    return float(np.sqrt(total))


def clip_grad_norm(grads, max_norm) -> float:
    """Scale all gradients together, in place, so that their global norm is at most ``max_norm``.

        n = sqrt(sum_k ||g_k||^2);   if n > max_norm:  g_k <- g_k * max_norm / n

    Every gradient is scaled by the same factor, so the update keeps its direction and
    only its length is capped: an exploding gradient becomes a step of bounded size.
    Returns ``n``, the norm *before* clipping (worth plotting: spikes show explosions).

    >>> g = {"w": np.array([3.0, 4.0])}
    >>> clip_grad_norm(g, max_norm=1.0), g["w"].round(12).tolist()
    (5.0, [0.6, 0.8])
    """
    max_norm = finite_number("max_norm", max_norm)
    if max_norm <= 0:
        raise ValueError(f"max_norm must be a positive number, but received {max_norm}.")
    groups = _as_groups("grads", grads)
    for index, group in enumerate(groups):
        for key, grad in group.items():
            if isinstance(grad, np.ndarray) and grad.dtype.kind != "f":
                raise TypeError(
                    f"grads{_label(groups, index, key)} must be a float array (it is scaled "
                    f"in place), but received an array of dtype {grad.dtype}."
                )
    norm = grad_norm(groups)
    if not np.isfinite(norm):
        raise ValueError(
            f"the gradients' global norm is {norm}; training has diverged (try a smaller "
            "learning rate)."
        )
    if norm > max_norm:
        scale = max_norm / norm
        for group in groups:
            for grad in group.values():
                grad *= scale
    return norm
