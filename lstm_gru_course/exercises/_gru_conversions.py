"""GRU weight conversions for the conventions exercises (``conventions``).

``ConversionProblem`` (checked by running the original GRU and the converted one), the
original networks (Keras, Cho et al.), their reference conversions and known-mistake
variants. The exercise definitions stay in ``conventions``, which re-exports
``ConversionProblem`` and ``NAMES``.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from ._function import FunctionProblem, _as_float_array
from ._guard import describe_answer

NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


_STEPS, _BATCH = 4, 2


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _sequence(input_size):
    """The input both networks read: (T, B, I), the same for a given I."""
    return np.random.default_rng(1000 + input_size).normal(size=(_STEPS, _BATCH, input_size))


def _run_torch_layout(weight_ih, weight_hh, bias_ih, bias_hh):
    """Hidden states (T, B, H) of the package's GRU cell, reset before, from h = 0."""
    from ..cells import gru_step

    x = _sequence(weight_ih.shape[1])
    h = np.zeros((_BATCH, weight_hh.shape[1]))
    outputs = []
    for x_t in x:
        h, _ = gru_step(x_t, h, weight_ih, weight_hh, bias_ih, bias_hh, reset="before")
        outputs.append(h)
    return np.stack(outputs)


def _read_weights(raw):
    """The four arrays from a tuple/list or a dict with PyTorch's names, else None."""
    if isinstance(raw, dict):
        if set(raw) != set(NAMES):
            return None
        raw = tuple(raw[name] for name in NAMES)
    if not isinstance(raw, (tuple, list)) or len(raw) != 4:
        return None
    arrays = tuple(_as_float_array(v) for v in raw)
    return None if any(a is None for a in arrays) else arrays


def _shape_problem(arrays, hidden) -> str | None:
    weight_ih, weight_hh, bias_ih, bias_hh = arrays
    wanted = {"weight_hh": (3 * hidden, hidden), "bias_ih": (3 * hidden,), "bias_hh": (3 * hidden,)}
    if weight_ih.ndim != 2 or weight_ih.shape[0] != 3 * hidden:
        text = _(
            "weight_ih should have shape (3H, I), with 3H = {rows} rows (blocks "
            "r, z, n), but yours has shape {got}."
        ).format(rows=3 * hidden, got=weight_ih.shape)
        if weight_ih.ndim == 2 and weight_ih.shape[1] == 3 * hidden:
            text += _(" It looks transposed: PyTorch stores (out, in).")
        return text
    for name, got in zip(NAMES[1:], arrays[1:]):
        if got.shape != wanted[name]:
            text = _("{name} should have shape {shape} but yours has shape {got}.").format(
                name=name, shape=wanted[name], got=got.shape
            )
            if got.shape == wanted[name][::-1] and got.ndim == 2:
                text += _(" It looks transposed: PyTorch stores (out, in).")
            return text
    return None


class ConversionProblem(FunctionProblem):
    """Convert weights; checked by running the original GRU and the converted one.

    ``original(*args)`` runs the original network on ``_sequence(I)`` and returns its
    hidden states (T, B, H); the learner's function returns (weight_ih, weight_hh,
    bias_ih, bias_hh), which the package's GRU cell (reset before) runs on the same input.
    """

    def __init__(self, *args, original, **kwargs):
        kwargs.setdefault("returns", ("outputs",))
        super().__init__(*args, **kwargs)
        self.original = original

    def _expected(self, index):
        return self._cached(
            ("expected", index), lambda: (np.asarray(self.original(*self._args(index)), float),)
        )

    def _outputs(self, raw):
        arrays = _read_weights(raw)
        if arrays is None:
            return None
        try:
            return (_run_torch_layout(*arrays),)
        except Exception:  # wrong shapes: gru_step refuses them; _explain says why
            return None

    def _explain(self, value, expected) -> str:
        hidden = expected[0].shape[-1]
        arrays = _read_weights(value)
        if arrays is None:
            return _(
                "Return the four arrays (weight_ih, weight_hh, bias_ih, bias_hh), as a "
                "tuple or as a dict with those names; your function returned {answer}."
            ).format(answer=describe_answer(value))
        problem = _shape_problem(arrays, hidden)
        if problem:
            return problem
        outputs = self._outputs(value)
        if outputs is None or not np.all(np.isfinite(outputs[0])):
            return _("The package's GRU could not run with your weights (they contain NaN or inf).")
        gap = float(np.max(np.abs(outputs[0] - expected[0])))
        return _(
            "The shapes are right, but the package's GRU with your weights computes "
            "other hidden states than the original GRU: they differ by up to {gap} "
            "over {steps} steps. Check the order of the blocks and the biases."
        ).format(gap=f"{gap:.3g}", steps=_STEPS)


def _keras_args(inputs, hidden, seed):
    def make():
        rng = np.random.default_rng(seed)
        return (
            rng.normal(scale=0.6, size=(inputs, 3 * hidden)),
            rng.normal(scale=0.6, size=(hidden, 3 * hidden)),
            rng.normal(scale=0.5, size=3 * hidden),
        )

    return make


def _keras_gru(kernel, recurrent_kernel, bias):
    """Keras's GRUCell with reset_after=False: blocks z, r, h; h = z * h + (1 - z) * hh."""
    H = recurrent_kernel.shape[0]
    h = np.zeros((_BATCH, H))
    outputs = []
    for x_t in _sequence(kernel.shape[0]):
        x_z, x_r, x_h = np.split(x_t @ kernel + bias, 3, axis=1)
        z = _sigmoid(x_z + h @ recurrent_kernel[:, :H])
        r = _sigmoid(x_r + h @ recurrent_kernel[:, H : 2 * H])
        hh = np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * H :])
        h = z * h + (1 - z) * hh
        outputs.append(h)
    return np.stack(outputs)


def _keras_solution(kernel, recurrent_kernel, bias):
    H = recurrent_kernel.shape[0]
    order = np.r_[H : 2 * H, 0:H, 2 * H : 3 * H]
    return kernel[:, order].T, recurrent_kernel[:, order].T, bias[order], np.zeros(3 * H)


def _keras_variant(reorder=True, transpose=True):
    def variant(kernel, recurrent_kernel, bias):
        H = recurrent_kernel.shape[0]
        order = np.r_[H : 2 * H, 0:H, 2 * H : 3 * H] if reorder else np.arange(3 * H)
        w_ih, w_hh = kernel[:, order], recurrent_kernel[:, order]
        if transpose:
            w_ih, w_hh = w_ih.T, w_hh.T
        return w_ih, w_hh, bias[order], np.zeros(3 * H)

    return variant


def _cho_args(inputs, hidden, seed):
    def make():
        rng = np.random.default_rng(seed)
        W = [rng.normal(scale=0.6, size=(hidden, inputs)) for _ in range(3)]
        U = [rng.normal(scale=0.6, size=(hidden, hidden)) for _ in range(3)]
        b = [rng.normal(scale=0.5, size=hidden) for _ in range(3)]
        return (W[0], U[0], b[0], W[1], U[1], b[1], W[2], U[2], b[2])

    return make


def _cho_gru(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b, *, flip_z=False):
    """Cho et al. (2014), in column vectors: h~ = tanh(W x + U (r * h) + b)."""
    h = np.zeros((W.shape[0], _BATCH))  # (H, B): one column per sequence
    outputs = []
    for x_t in _sequence(W.shape[1]):
        x = x_t.T  # (I, B)
        z = _sigmoid(W_z @ x + U_z @ h + b_z[:, None])
        r = _sigmoid(W_r @ x + U_r @ h + b_r[:, None])
        candidate = np.tanh(W @ x + U @ (r * h) + b[:, None])
        h = (1 - z) * h + z * candidate if flip_z else z * h + (1 - z) * candidate
        outputs.append(h.T)
    return np.stack(outputs)


def _cho_solution(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b, *, negate_z=False):
    sign = -1.0 if negate_z else 1.0
    return (
        np.concatenate([W_r, sign * W_z, W]),
        np.concatenate([U_r, sign * U_z, U]),
        np.concatenate([b_r, sign * b_z, b]),
        np.zeros(3 * len(b)),
    )


def _cho_variant(order="rzn", negate_z=False, transpose=False):
    def variant(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b):
        blocks = {"r": (W_r, U_r, b_r), "z": (W_z, U_z, b_z), "n": (W, U, b)}
        if negate_z:
            blocks["z"] = tuple(-v for v in blocks["z"])
        w_ih, w_hh, b_ih = (np.concatenate([blocks[k][j] for k in order]) for j in range(3))
        if transpose:
            w_ih, w_hh = w_ih.T, w_hh.T
        return w_ih, w_hh, b_ih, np.zeros(3 * len(b))

    return variant


def _flipped_gru(*args):
    return _cho_gru(*args, flip_z=True)
