"""Small computations the gate chapters (4, 5 and 6) run, in the course's words.

- :func:`lines_that_compute`: the lines of a ``cells`` function that compute the named
  values, read from the source itself, so the book never drifts from the code;
- the article's LSTM pseudo-code made to run: :func:`combine` (its ``+`` is a
  concatenation), :func:`joined_parameters`, :func:`article_lstm_cell` and
  :func:`run_article_loop`, whose ``unpacking="as_printed"`` keeps the article's
  swapped ``ct, ht = ...`` to show what that does;
- the GRU's other convention: :func:`olah_gru_step` (z and 1 - z swapped, reset before
  the matrix product, as in Olah's blog and Chung et al. 2014) and
  :func:`flip_update_gate`, which turns its weights into the package's;
- sizes: :func:`parameter_count` and :func:`operation_count` for the RNN, LSTM and GRU;
- training curves: :func:`steps_to_learn`, when a model first solved a task;
- :func:`number_table`: measured numbers as an aligned text table, for printing.

Shapes and layout are the course's (PyTorch's): x (B, I), h and c (B, H),
weight_ih (G*H, I), weight_hh (G*H, H), biases (G*H,), G = 1 (RNN), 4 (LSTM, blocks
i, f, g, o), 3 (GRU, blocks r, z, n).

>>> parameter_count("lstm", input_size=3, hidden_size=5), parameter_count("gru", 3, 5)
(200, 150)
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np

from ._validate import choice, describe, finite_number, float_array, positive_int
from .activations import sigmoid, tanh

__all__ = [
    "SourceLines", "lines_that_compute",
    "combine", "joined_parameters", "article_lstm_cell", "run_article_loop",
    "olah_gru_step", "flip_update_gate",
    "parameter_count", "operation_count", "steps_to_learn",
    "number_table",
]

_GATE_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}


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
            inside = (_collect(node.body, names, lines, source_lines)
                      | _collect(node.orelse, names, lines, source_lines))
            if inside:
                lines.add(node.lineno)
                for k in range(node.body[-1].end_lineno + 1,
                               node.orelse[0].lineno if node.orelse else 0):
                    if source_lines[k - 1].strip() == "else:":
                        lines.add(k)
                found |= inside
    return found


def lines_that_compute(function, *names) -> SourceLines:
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
        raise TypeError(f"function must be a Python function whose source is available, "
                        f"but received {describe(function)}.") from exc
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


# ------------------------------------------------------------------ the article's pseudo-code


def combine(prev_ht, x, how="concatenate") -> np.ndarray:
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


def joined_parameters(weight_ih, weight_hh, bias_ih, bias_hh):
    """PyTorch's LSTM parameters as the article's four layers on ``[prev_ht, x]``.

    Returns ``weight = [weight_hh | weight_ih]`` (4H, H + I) and ``bias = bias_ih +
    bias_hh`` (4H,), rows in the gate order i, f, g, o, so that
    ``combine(h, x) @ weight.T + bias == x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh``.
    """
    weight_hh = float_array("weight_hh", weight_hh, shape=(None, None))
    hidden = weight_hh.shape[1]
    if weight_hh.shape[0] != 4 * hidden:
        raise ValueError(f"weight_hh must have shape (4H, H), but received shape {weight_hh.shape}.")
    weight_ih = float_array("weight_ih", weight_ih, shape=(4 * hidden, None))
    bias_ih = float_array("bias_ih", bias_ih, shape=(4 * hidden,))
    bias_hh = float_array("bias_hh", bias_hh, shape=(4 * hidden,))
    return np.concatenate([weight_hh, weight_ih], axis=1), bias_ih + bias_hh


def _article_arrays(prev_ct, prev_ht, x, weight, bias):
    prev_ht = float_array("prev_ht", prev_ht)
    if prev_ht.ndim not in (1, 2):
        raise ValueError(f"prev_ht must have shape (B, H) or (H,), but received shape {prev_ht.shape}.")
    hidden = prev_ht.shape[-1]
    prev_ct = float_array("prev_ct", prev_ct, shape=prev_ht.shape)
    x = float_array("x", x)
    if x.ndim != prev_ht.ndim or x.shape[:-1] != prev_ht.shape[:-1]:
        raise ValueError(f"x must have shape {prev_ht.shape[:-1] + ('I',)} to match prev_ht, "
                         f"but received shape {x.shape}.")
    weight = float_array("weight", weight, shape=(4 * hidden, hidden + x.shape[-1]))
    bias = float_array("bias", bias, shape=(4 * hidden,))
    return prev_ct, prev_ht, x, weight, bias


def article_lstm_cell(prev_ct, prev_ht, x, weight, bias):
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
    it = sigmoid(layers[..., 0 * H:1 * H])
    ft = sigmoid(layers[..., 1 * H:2 * H])
    candidate = tanh(layers[..., 2 * H:3 * H])
    ot = sigmoid(layers[..., 3 * H:4 * H])
    Ct = prev_ct * ft + candidate * it
    ht = ot * tanh(Ct)
    return ht, Ct


def run_article_loop(inputs, weight, bias, unpacking="fixed"):
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
        raise ValueError(f"inputs must have shape (T, B, I) with T >= 1 and B >= 1, but "
                         f"received shape {inputs.shape}.")
    weight = float_array("weight", weight, shape=(None, None))
    hidden = weight.shape[0] // 4
    if hidden == 0 or weight.shape[0] != 4 * hidden:
        raise ValueError(f"weight must have shape (4H, H + I) with H >= 1, but received "
                         f"shape {weight.shape}.")
    ht = ct = np.zeros((inputs.shape[1], hidden))
    outputs = []
    for x in inputs:
        if unpacking == "fixed":
            ht, ct = article_lstm_cell(ct, ht, x, weight, bias)
            outputs.append(ht)
        else:
            ct, ht = article_lstm_cell(ct, ht, x, weight, bias)
            outputs.append(ct)   # what the cell returned first: its hidden state
    return np.stack(outputs), (ht, ct)


# ------------------------------------------------------------------ the GRU's other convention


def _gru_arrays(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    weight_hh = float_array("weight_hh", weight_hh, shape=(None, None))
    hidden = weight_hh.shape[1]
    if weight_hh.shape[0] != 3 * hidden:
        raise ValueError(f"weight_hh must have shape (3H, H), but received shape {weight_hh.shape}.")
    weight_ih = float_array("weight_ih", weight_ih, shape=(3 * hidden, None))
    bias_ih = float_array("bias_ih", bias_ih, shape=(3 * hidden,))
    bias_hh = float_array("bias_hh", bias_hh, shape=(3 * hidden,))
    x = float_array("x", x)
    if x.ndim not in (1, 2) or x.shape[-1] != weight_ih.shape[1]:
        raise ValueError(f"x must have shape (B, {weight_ih.shape[1]}) to match weight_ih, "
                         f"but received shape {x.shape}.")
    h_prev = float_array("h_prev", h_prev, shape=x.shape[:-1] + (hidden,))
    return x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, hidden


def olah_gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """One GRU step as Olah's blog and Chung et al. (2014) write it: z and 1 - z swapped.

        r = sigmoid(x W_ir^T + b_ir + h_prev W_hr^T + b_hr)
        z = sigmoid(x W_iz^T + b_iz + h_prev W_hz^T + b_hz)
        n = tanh(x W_in^T + b_in + (r * h_prev) W_hn^T + b_hn)      reset before the product
        h = z * n + (1 - z) * h_prev                                z writes, 1 - z keeps

    Same layout as ``cells.gru_step`` (blocks r, z, n): x (B, I), h_prev (B, H),
    weight_ih (3H, I), weight_hh (3H, H), biases (3H,) -> h (B, H).
    With :func:`flip_update_gate` the same function is ``cells.gru_step(...,
    reset="before")``: the swap relabels the gate, it does not change what a GRU can do.
    """
    x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, H = _gru_arrays(
        x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh)
    gi = x @ weight_ih.T + bias_ih
    r = sigmoid(gi[..., :H] + h_prev @ weight_hh[:H].T + bias_hh[:H])
    z = sigmoid(gi[..., H:2 * H] + h_prev @ weight_hh[H:2 * H].T + bias_hh[H:2 * H])
    n = tanh(gi[..., 2 * H:] + (r * h_prev) @ weight_hh[2 * H:].T + bias_hh[2 * H:])
    return z * n + (1 - z) * h_prev


def flip_update_gate(weight_ih, weight_hh, bias_ih, bias_hh):
    """New parameters whose update gate is 1 - z of the given ones (z block negated).

    Since ``sigmoid(-a) = 1 - sigmoid(a)``, negating the z rows of the weights and the z
    entries of the biases turns a GRU written with ``h = z*n + (1-z)*h_prev`` into one
    written with ``h = (1-z)*n + z*h_prev``, number for number. Returns copies
    (weight_ih, weight_hh, bias_ih, bias_hh); the inputs are left unchanged.
    """
    weight_hh = float_array("weight_hh", weight_hh, shape=(None, None))
    H = weight_hh.shape[1]
    if weight_hh.shape[0] != 3 * H:
        raise ValueError(f"weight_hh must have shape (3H, H), but received shape {weight_hh.shape}.")
    params = [float_array("weight_ih", weight_ih, shape=(3 * H, None)).copy(), weight_hh.copy(),
              float_array("bias_ih", bias_ih, shape=(3 * H,)).copy(),
              float_array("bias_hh", bias_hh, shape=(3 * H,)).copy()]
    for p in params:
        p[H:2 * H] *= -1.0
    return tuple(params)


# ------------------------------------------------------------------ sizes


def parameter_count(cell, input_size, hidden_size) -> int:
    """Numbers a one-layer ``cell`` ("rnn", "lstm", "gru") learns, in PyTorch's layout.

    ``G * (H*I + H*H + H + H)``: G blocks, each with a weight on the input, a weight on
    the hidden state and two bias vectors (PyTorch keeps ``bias_ih`` and ``bias_hh``).

    >>> parameter_count("rnn", 3, 5)
    50
    """
    cell = choice("cell", cell, tuple(_GATE_BLOCKS))
    I, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    return _GATE_BLOCKS[cell] * (H * I + H * H + 2 * H)


# Per hidden unit and example: sigmoids, tanhs, and the products and sums outside the
# layers (the "x W^T + h W^T + b" inside each layer is counted as matrix work).
_ELEMENTWISE = {
    "rnn": (0, 1, 0),
    "lstm": (3, 2, 4),    # i, f, o | g, tanh(c) | f*c, i*g, +, o*tanh(c)
    "gru": (2, 1, 5),     # r, z | n | r*(...), 1-z, (1-z)*n, z*h, +
}


def operation_count(cell, input_size, hidden_size, batch_size=1) -> dict:
    """Arithmetic in one time step of ``cell`` ("rnn", "lstm", "gru"), by kind.

    Returns a dict:

    - ``"matrix multiply-adds"``: ``B * G*H * (I + H)``, the layers' matrix products;
    - ``"sigmoids"``, ``"tanhs"``: activation evaluations, ``B*H`` per gate or tanh;
    - ``"other elementwise"``: products and sums after the layers (LSTM: ``f*c``,
      ``i*g``, ``+``, ``o*tanh(c)``; GRU: ``r*(...)``, ``1-z``, ``(1-z)*n``, ``z*h``, ``+``).

    >>> operation_count("gru", 3, 5)["matrix multiply-adds"]
    120
    """
    cell = choice("cell", cell, tuple(_GATE_BLOCKS))
    I, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    B = positive_int("batch_size", batch_size)
    sigmoids, tanhs, others = _ELEMENTWISE[cell]
    return {
        "matrix multiply-adds": B * _GATE_BLOCKS[cell] * H * (I + H),
        "sigmoids": B * sigmoids * H,
        "tanhs": B * tanhs * H,
        "other elementwise": B * others * H,
    }


# ------------------------------------------------------------------ training curves


def steps_to_learn(accuracy, level=0.95, window=10):
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


# ------------------------------------------------------------------ printing


def number_table(rows, columns, corner="", digits=2) -> str:
    """Measured numbers as an aligned text table: one line per row, ``digits`` significant digits.

    ``rows`` maps a row name to a sequence of numbers, one per entry of ``columns`` (the
    column labels); ``corner`` is the label above the row names.

    >>> print(number_table({"RNN": [0.0066, 1.6e-12]}, ["k = 10", "k = 50"], corner="size"))
    size   k = 10   k = 50
    RNN    0.0066  1.6e-12
    """
    if not isinstance(rows, dict) or not rows:
        raise TypeError(f"rows must be a non-empty dict name -> numbers, but received {describe(rows)}.")
    columns = [str(c) for c in columns]
    digits = positive_int("digits", digits)
    cells = {}
    for name, values in rows.items():
        try:
            values = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"rows[{name!r}] must be a sequence of numbers, but received "
                            f"{describe(values)}.") from None
        values = float_array(f"rows[{name!r}]", values, shape=(len(columns),),
                             allow_nonfinite=True)
        cells[str(name)] = [f"{v:.{digits}g}" for v in values]
    first = max(len(corner), *(len(n) for n in cells))
    width = max(len(text) for text in [*columns, *(t for r in cells.values() for t in r)])
    lines = [corner.ljust(first) + "".join(f"  {c:>{width}}" for c in columns)]
    lines += [name.ljust(first) + "".join(f"  {t:>{width}}" for t in texts)
              for name, texts in cells.items()]
    return "\n".join(line.rstrip() for line in lines)
