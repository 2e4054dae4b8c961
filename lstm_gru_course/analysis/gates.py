"""The gates, read off the code: their source lines, every activation along a sequence, the article's cell.

- :func:`lines_that_compute`: the lines of a ``cells`` function that compute the named
  values, read from the source itself, so the book never drifts from the code;
- :func:`step_caches` and :func:`gate_activations`: run a layer's maths one step at a
  time with :mod:`lstm_gru_course.cells` and collect every gate at every step;
- the article's LSTM pseudo-code made to run: :func:`combine` (its ``+`` is a
  concatenation), :func:`joined_parameters`, :func:`article_lstm_cell` and
  :func:`run_article_loop`, whose ``unpacking="as_printed"`` keeps the article's
  swapped ``ct, ht = ...`` to show what that does.

Shapes and layout are the course's (PyTorch's): x (T, B, I) for a sequence, (B, I) for
one step, h and c (B, H), weight_ih (G*H, I), weight_hh (G*H, H), biases (G*H,).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from .. import cells
from .._validate import choice, describe, float_array
from ..activations import sigmoid, tanh
from ..cells import _check_params
from .conventions import Layer, kind_of

__all__ = [
    "SourceLines",
    "lines_that_compute",
    "step_caches",
    "gate_activations",
    "combine",
    "joined_parameters",
    "article_lstm_cell",
    "run_article_loop",
]


# ------------------------------------------------------------------ the code behind the maths


class SourceLines:
    """Some lines of a function's source: plain text, and a Python code block in Markdown."""

    def __init__(self, header: str, code: str):
        self.header, self.code = header, code

    def __str__(self) -> str:
        return f"# {self.header}\n{self.code}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}\n```"


def _targets(node) -> set:
    names = set()
    for target in node.targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return names


def _collect(statements, names, lines, source_lines) -> set:
    """Add to ``lines`` the line numbers of assignments to ``names``, with their ``if``s.

    Returns the names that were found.
    """
    found = set()
    for node in statements:
        if isinstance(node, ast.Assign) and _targets(node) & names:
            lines.update(range(node.lineno, node.end_lineno + 1))
            found |= _targets(node) & names
        elif isinstance(node, ast.If):
            inside = _collect(node.body, names, lines, source_lines) | _collect(
                node.orelse, names, lines, source_lines
            )
            if inside:
                lines.add(node.lineno)
                for k in range(
                    node.body[-1].end_lineno + 1, node.orelse[0].lineno if node.orelse else 0
                ):
                    if source_lines[k - 1].strip() == "else:":
                        lines.add(k)
                found |= inside
    return found


def lines_that_compute(function: Callable, *names: str) -> SourceLines:
    """The lines of ``function`` that assign the variables ``names``, in source order.

    Lines inside an ``if``/``else`` come with that ``if``/``else``; a statement spread
    over several lines comes whole. The text is read from the function's source each
    time, so what the book shows is what the package runs.

    >>> from lstm_gru_course import cells
    >>> print(lines_that_compute(cells.lstm_step, "f"))
    # lstm_gru_course/cells.py, lstm_step
    f = sigmoid(a[:, 1 * H:2 * H])
    """
    if not callable(function):
        raise TypeError(f"function must be a Python function, but received {describe(function)}.")
    if not names or not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise ValueError(f"names must be one or more variable names, but received {names!r}.")
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError) as exc:
        raise TypeError(
            f"function must be a Python function whose source is available, "
            f"but received {describe(function)}."
        ) from exc
    tree = ast.parse(source).body[0]
    if not isinstance(tree, ast.FunctionDef):
        raise TypeError(f"function must be a Python function, but received {describe(function)}.")
    source_lines = source.splitlines()
    lines: set = set()
    found = _collect(tree.body, set(names), lines, source_lines)
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"{function.__name__} assigns no variable named {missing}.")
    code = textwrap.dedent("\n".join(source_lines[k - 1] for k in sorted(lines)))
    module = function.__module__.replace(".", "/") + ".py"
    return SourceLines(f"{module}, {function.__name__}", code)


# ------------------------------------------------------------------ every gate along a sequence


def step_caches(
    kind: str, layer: Layer, x: np.ndarray, h0: np.ndarray, c0: np.ndarray | None
) -> list[dict]:
    """Run ``layer``'s maths one step at a time with ``cells``; return every step's cache.

    ``kind`` is the layer's kind ("rnn", "lstm", "gru"), x (T, B, I), h0 and c0 (B, H)
    (c0 is used by the LSTM only). Inputs are not checked: callers check them.
    """
    p = layer.params
    weights = (p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    caches, h, c = [], h0, c0
    for x_t in x:
        if kind == "rnn":
            h, cache = cells.rnn_step(x_t, h, *weights)
        elif kind == "lstm":
            h, c, cache = cells.lstm_step(x_t, h, c, *weights)
        else:
            h, cache = cells.gru_step(x_t, h, *weights, reset=layer.reset)
        caches.append(cache)
    return caches


def _checked_sequence(layer, x, state):
    """x (T, B, I) and the initial state(s) as (B, H) arrays (zeros when None)."""
    kind = kind_of(layer)
    x = float_array("x", x, shape=(None, None, layer.input_size), dtype=np.float64)
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(
            f"x must have shape (T, B, {layer.input_size}) with T >= 1 and B >= 1, "
            f"but received shape {x.shape}."
        )
    shape = (x.shape[1], layer.hidden_size)
    if kind == "lstm":
        if state is None:
            h0 = c0 = np.zeros(shape)
        elif isinstance(state, tuple) and len(state) == 2:
            h0 = float_array("state[0] (h)", state[0], shape=shape, dtype=np.float64)
            c0 = float_array("state[1] (c)", state[1], shape=shape, dtype=np.float64)
        else:
            raise TypeError(
                f"state must be None or a tuple (h, c) of two arrays of shape "
                f"{shape}, but received {describe(state)}."
            )
    else:
        h0 = (
            np.zeros(shape)
            if state is None
            else float_array("state", state, shape=shape, dtype=np.float64)
        )
        c0 = None
    return kind, x, h0, c0


_GATE_KEYS = {"rnn": ("h",), "lstm": ("i", "f", "g", "o", "c", "h"), "gru": ("r", "z", "n", "h")}


def gate_activations(layer: Layer, x: ArrayLike, state=None) -> dict[str, np.ndarray]:
    """Every gate of ``layer`` at every step of ``x``, for heatmaps.

    ``layer`` is an ``RNN``, ``LSTM`` or ``GRU`` (trained or not); x (T, B, input_size);
    ``state`` the initial state as in ``layer.forward`` (zeros when None). Returns a dict
    of (T, B, H) arrays named as in the book's equations:

        RNN  {"h"}
        LSTM {"i", "f", "g", "o", "c", "h"}    input, forget gate, candidate, output gate
        GRU  {"r", "z", "n", "h"}              reset, update gate, candidate

    >>> from lstm_gru_course.layers import LSTM
    >>> acts = gate_activations(LSTM(2, 3), np.zeros((5, 1, 2)))
    >>> sorted(acts), acts["f"].shape
    (['c', 'f', 'g', 'h', 'i', 'o'], (5, 1, 3))
    """
    kind, x, h0, c0 = _checked_sequence(layer, x, state)
    caches = step_caches(kind, layer, x, h0, c0)
    return {key: np.stack([cache[key] for cache in caches]) for key in _GATE_KEYS[kind]}


# ------------------------------------------------------------------ the article's pseudo-code


def combine(prev_ht: ArrayLike, x: ArrayLike, how: str = "concatenate") -> np.ndarray:
    """The article's ``combine = prev_ht + input``: what it means, and the trap.

    ``how="concatenate"`` (what the article means): ``[prev_ht, x]``, shape (B, H + I).
    ``how="add"`` (what Python's ``+`` on arrays does): ``prev_ht + x``, shape (B, H);
    it only runs when H == I, and then different states and inputs can give the same sum.

    >>> combine(np.array([1.0, 0.0]), np.array([0.0, 1.0]), how="add")
    array([1., 1.])
    """
    how = choice("how", how, ("concatenate", "add"))
    prev_ht = float_array("prev_ht", prev_ht)
    x = float_array("x", x)
    if prev_ht.ndim not in (1, 2) or x.ndim != prev_ht.ndim or x.shape[:-1] != prev_ht.shape[:-1]:
        raise ValueError(
            f"prev_ht (B, H) and x (B, I) must have the same batch shape, but received "
            f"shapes {prev_ht.shape} and {x.shape}."
        )
    if how == "concatenate":
        return np.concatenate([prev_ht, x], axis=-1)
    if prev_ht.shape != x.shape:
        raise ValueError(
            f"prev_ht + x adds numbers position by position, so it needs H == I; here "
            f"prev_ht has shape {prev_ht.shape} and x {x.shape}. The article's '+' means "
            "joining the two vectors: how='concatenate'."
        )
    return prev_ht + x


def joined_parameters(
    weight_ih: ArrayLike, weight_hh: ArrayLike, bias_ih: ArrayLike, bias_hh: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's LSTM parameters as the article's four layers on ``[prev_ht, x]``.

    Returns ``weight = [weight_hh | weight_ih]`` (4H, H + I) and ``bias = bias_ih +
    bias_hh`` (4H,), rows in the gate order i, f, g, o, so that
    ``combine(h, x) @ weight.T + bias == x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh``.
    """
    weight_ih, weight_hh, bias_ih, bias_hh, _ = _check_params(
        4, weight_ih, weight_hh, bias_ih, bias_hh
    )
    return np.concatenate([weight_hh, weight_ih], axis=1), bias_ih + bias_hh


def _article_arrays(prev_ct, prev_ht, x, weight, bias):
    prev_ht = float_array("prev_ht", prev_ht)
    if prev_ht.ndim not in (1, 2):
        raise ValueError(
            f"prev_ht must have shape (B, H) or (H,), but received shape {prev_ht.shape}."
        )
    hidden = prev_ht.shape[-1]
    prev_ct = float_array("prev_ct", prev_ct, shape=prev_ht.shape)
    x = float_array("x", x)
    if x.ndim != prev_ht.ndim or x.shape[:-1] != prev_ht.shape[:-1]:
        raise ValueError(
            f"x must have shape {prev_ht.shape[:-1] + ('I',)} to match prev_ht, "
            f"but received shape {x.shape}."
        )
    weight = float_array("weight", weight, shape=(4 * hidden, hidden + x.shape[-1]))
    bias = float_array("bias", bias, shape=(4 * hidden,))
    return prev_ct, prev_ht, x, weight, bias


def article_lstm_cell(
    prev_ct: ArrayLike, prev_ht: ArrayLike, x: ArrayLike, weight: ArrayLike, bias: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """The article's LSTM cell, made to run: returns ``(ht, Ct)``, hidden state first.

        combine = [prev_ht, x]                         (B, H + I): joined, not added
        ft, it, ot = sigmoid(layer(combine))          forget, input, output gates
        candidate = tanh(layer(combine))
        Ct = prev_ct * ft + candidate * it
        ht = ot * tanh(Ct)

    ``weight`` (4H, H + I) and ``bias`` (4H,) stack the four layers in the order i, f, g, o
    (see :func:`joined_parameters`). Shapes: prev_ct, prev_ht (B, H), x (B, I).
    """
    prev_ct, prev_ht, x, weight, bias = _article_arrays(prev_ct, prev_ht, x, weight, bias)
    H = prev_ht.shape[-1]
    layers = combine(prev_ht, x) @ weight.T + bias
    it = sigmoid(layers[..., 0 * H : 1 * H])
    ft = sigmoid(layers[..., 1 * H : 2 * H])
    candidate = tanh(layers[..., 2 * H : 3 * H])
    ot = sigmoid(layers[..., 3 * H : 4 * H])
    Ct = prev_ct * ft + candidate * it
    ht = ot * tanh(Ct)
    return ht, Ct


def run_article_loop(
    inputs: ArrayLike, weight: ArrayLike, bias: ArrayLike, unpacking: str = "fixed"
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Run the article's loop over a sequence; return every step's ``ht`` and the final pair.

        ct = ht = zeros
        for x in inputs:
            ht, ct = article_lstm_cell(ct, ht, x, weight, bias)   # unpacking="fixed"
            ct, ht = article_lstm_cell(ct, ht, x, weight, bias)   # unpacking="as_printed"

    With ``"as_printed"`` (the article's order) the variable ``ct`` receives the hidden
    state and ``ht`` the cell state, so from the second step on the cell is fed the
    wrong states. Nothing fails: the shapes agree, only the numbers are wrong.

    Shapes: inputs (T, B, I) -> outputs (T, B, H) (the ``ht`` the cell returned at each
    step) and the final ``(ht, ct)`` as the loop's variables hold them.
    """
    unpacking = choice("unpacking", unpacking, ("fixed", "as_printed"))
    inputs = float_array("inputs", inputs, shape=(None, None, None))
    if inputs.shape[0] == 0 or inputs.shape[1] == 0:
        raise ValueError(
            f"inputs must have shape (T, B, I) with T >= 1 and B >= 1, but "
            f"received shape {inputs.shape}."
        )
    weight = float_array("weight", weight, shape=(None, None))
    hidden = weight.shape[0] // 4
    if hidden == 0 or weight.shape[0] != 4 * hidden:
        raise ValueError(
            f"weight must have shape (4H, H + I) with H >= 1, but received shape {weight.shape}."
        )
    ht = ct = np.zeros((inputs.shape[1], hidden))
    outputs = []
    for x in inputs:
        if unpacking == "fixed":
            ht, ct = article_lstm_cell(ct, ht, x, weight, bias)
            outputs.append(ht)
        else:
            ct, ht = article_lstm_cell(ct, ht, x, weight, bias)
            outputs.append(ct)  # what the cell returned first: its hidden state
    return np.stack(outputs), (ht, ct)
