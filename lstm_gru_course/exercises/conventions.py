"""Exercises for appendix B, conventions: convert other GRUs' weights into PyTorch's layout.

Each exercise is checked by running both networks: the original GRU, written out in
numpy with its own equations and weights, and the package's ``GRU`` cell (PyTorch's
layout, ``reset="before"``) loaded with the learner's converted weights, on the same
input sequence. Two conversions that give the same network both pass (a bias may sit in
``bias_ih`` or ``bias_hh`` where the sum is all that matters).

>>> import numpy as np
>>> from lstm_gru_course.exercises import conventions as ex
>>> def keras_gru_to_torch(kernel, recurrent_kernel, bias):   # the blocks not reordered
...     return kernel.T, recurrent_kernel.T, bias, 0 * bias
>>> ex.keras_gru_to_torch.evaluate(keras_gru_to_torch).mistake
'gate_order'
"""

from __future__ import annotations

import numpy as np

from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem, _as_float_array
from ._guard import describe_answer
from ._kinds import ChoiceProblem, ValueProblem

CHAPTER = "conventions"
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
        text = (
            f"weight_ih should have shape (3H, I), with 3H = {3 * hidden} rows (blocks "
            f"r, z, n), but yours has shape {weight_ih.shape}."
        )
        if weight_ih.ndim == 2 and weight_ih.shape[1] == 3 * hidden:
            text += " It looks transposed: PyTorch stores (out, in)."
        return text
    for name, got in zip(NAMES[1:], arrays[1:]):
        if got.shape != wanted[name]:
            text = f"{name} should have shape {wanted[name]} but yours has shape {got.shape}."
            if got.shape == wanted[name][::-1] and got.ndim == 2:
                text += " It looks transposed: PyTorch stores (out, in)."
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
            return (
                f"Return the four arrays (weight_ih, weight_hh, bias_ih, bias_hh), as a "
                f"tuple or as a dict with those names; your function returned "
                f"{describe_answer(value)}."
            )
        problem = _shape_problem(arrays, hidden)
        if problem:
            return problem
        outputs = self._outputs(value)
        if outputs is None or not np.all(np.isfinite(outputs[0])):
            return "The package's GRU could not run with your weights (they contain NaN or inf)."
        gap = float(np.max(np.abs(outputs[0] - expected[0])))
        return (
            f"The shapes are right, but the package's GRU with your weights computes "
            f"other hidden states than the original GRU: they differ by up to {gap:.3g} "
            f"over {_STEPS} steps. Check the order of the blocks and the biases."
        )


# ------------------------------------------------------------------ Keras, reset_after=False


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


GATE_ORDER = (
    "Your blocks are in Keras's order z, r, h; PyTorch's order is r, z, n: swap "
    "the first two blocks of H columns before transposing."
)

keras_gru_to_torch = ConversionProblem(
    CHAPTER,
    "keras_gru_to_torch",
    "An older Keras GRU (reset_after=False) stores kernel (I, 3H), recurrent_kernel "
    "(H, 3H) and one bias (3H,), with its blocks in the order z, r, h, and computes\n"
    "    z = sigmoid(x K_z + b_z + h K'_z),  r = sigmoid(x K_r + b_r + h K'_r)\n"
    "    hh = tanh(x K_h + b_h + (r * h) K'_h),  h = z * h + (1 - z) * hh\n"
    "Write keras_gru_to_torch(kernel, recurrent_kernel, bias) returning (weight_ih, "
    "weight_hh, bias_ih, bias_hh) in PyTorch's layout for the package's "
    'GRU(I, H, reset="before"). The checker runs both GRUs on the same sequence.',
    params=("kernel", "recurrent_kernel", "bias"),
    reference=_keras_solution,
    original=_keras_gru,
    cases=[
        Case("I = 3, H = 4", _keras_args(3, 4, 70)),
        Case("I = 2, H = 1", _keras_args(2, 1, 71)),
        Case("I = H = 3", _keras_args(3, 3, 72)),
    ],
    mistakes=[
        Mistake("gate_order", GATE_ORDER, _keras_variant(reorder=False)),
    ],
    hints=[
        "Two differences: Keras stores (in, out), PyTorch (out, in), so transpose; and "
        "the blocks come in another order (z, r, h against r, z, n).",
        "With `order = np.r_[H:2 * H, 0:H, 2 * H:3 * H]`, `kernel[:, order].T` is "
        "weight_ih. The one bias can go into bias_ih, with zeros for bias_hh: with the "
        "reset before the product, only their sum matters.",
    ],
    starter="""def keras_gru_to_torch(kernel, recurrent_kernel, bias):
    H = recurrent_kernel.shape[0]
    order = ____             # Keras's columns, taken in PyTorch's block order r, z, n
    weight_ih = ____         # (3H, I)
    weight_hh = ____         # (3H, H)
    return weight_ih, weight_hh, ____, ____""",
    solution="""def keras_gru_to_torch(kernel, recurrent_kernel, bias):
    H = recurrent_kernel.shape[0]
    order = np.r_[H:2 * H, 0:H, 2 * H:3 * H]     # Keras's blocks r, z, h
    weight_ih = kernel[:, order].T               # (3H, I)
    weight_hh = recurrent_kernel[:, order].T     # (3H, H)
    return weight_ih, weight_hh, bias[order], np.zeros(3 * H)""",
    explanation='Load the result with `GRU(I, H, reset="before")` and '
    "`layer.load_state_dict(dict(zip(NAMES, arrays)))`; with reset_after=True "
    "(Keras 3's default) the bias has two rows and the reset comes after the "
    "product, as in the appendix's worked example.",
)


# ------------------------------------------------------------------ Cho et al., column vectors


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


_CHO_PARAMS = ("W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W", "U", "b")

cho_gru_to_torch = ConversionProblem(
    CHAPTER,
    "cho_gru_to_torch",
    "Cho et al. (2014) write the GRU with column vectors and one matrix per gate: W_z, "
    "W_r, W of shape (H, I), U_z, U_r, U of shape (H, H), and biases b_z, b_r, b (H,):\n"
    "    z = sigmoid(W_z x + U_z h + b_z),  r = sigmoid(W_r x + U_r h + b_r)\n"
    "    h~ = tanh(W x + U (r * h) + b),  h = z * h + (1 - z) * h~\n"
    "Write cho_gru_to_torch(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b) returning (weight_ih, "
    'weight_hh, bias_ih, bias_hh) for the package\'s GRU(I, H, reset="before"). The '
    "checker runs both GRUs on the same sequence.",
    params=_CHO_PARAMS,
    reference=_cho_solution,
    original=_cho_gru,
    cases=[
        Case("I = 3, H = 4", _cho_args(3, 4, 80)),
        Case("I = 2, H = 1", _cho_args(2, 1, 81)),
        Case("I = H = 2", _cho_args(2, 2, 82)),
    ],
    mistakes=[
        Mistake(
            "gate_order",
            "You stacked the blocks in the order z, r, n, as the paper "
            "introduces them; PyTorch's order is r, z, n.",
            _cho_variant(order="zrn"),
        ),
    ],
    hints=[
        "Cho's W_r x with W_r (H, I) is PyTorch's x W_ir^T with W_ir = W_r: the "
        "matrices move over unchanged. Only the stacking order matters.",
        "`weight_ih = np.concatenate([W_r, W_z, W])`, the same for U and b; zeros for bias_hh.",
    ],
    starter="""def cho_gru_to_torch(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b):
    weight_ih = ____         # (3H, I): blocks r, z, n
    weight_hh = ____         # (3H, H)
    bias_ih = ____           # (3H,)
    bias_hh = ____           # (3H,)
    return weight_ih, weight_hh, bias_ih, bias_hh""",
    solution="""def cho_gru_to_torch(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b):
    weight_ih = np.concatenate([W_r, W_z, W])    # (3H, I): blocks r, z, n
    weight_hh = np.concatenate([U_r, U_z, U])    # (3H, H)
    bias_ih = np.concatenate([b_r, b_z, b])      # (3H,)
    bias_hh = np.zeros_like(bias_ih)             # one bias is enough: reset before
    return weight_ih, weight_hh, bias_ih, bias_hh""",
    explanation="Column vectors (W x) and row vectors (x W^T) store the same matrix: "
    "PyTorch's (out, in) layout is the column-vector layout.",
)


# ------------------------------------------------------------------ z and 1 - z swapped


def _flipped_gru(*args):
    return _cho_gru(*args, flip_z=True)


swapped_z_to_torch = ConversionProblem(
    CHAPTER,
    "swapped_z_to_torch",
    "Some texts (Olah's blog, Chung et al. 2014) swap z and 1 - z: the same weights as "
    "in the previous exercise, but\n"
    "    h = (1 - z) * h + z * h~\n"
    "so their z is PyTorch's 1 - z. Write swapped_z_to_torch(W_z, U_z, b_z, W_r, U_r, "
    "b_r, W, U, b) returning (weight_ih, weight_hh, bias_ih, bias_hh) for the package's "
    'GRU(I, H, reset="before"). The checker runs both GRUs on the same sequence.',
    params=_CHO_PARAMS,
    reference=lambda *a: _cho_solution(*a, negate_z=True),
    original=_flipped_gru,
    cases=[
        Case("I = 3, H = 4", _cho_args(3, 4, 90)),
        Case("I = 2, H = 1", _cho_args(2, 1, 91)),
        Case("I = H = 2", _cho_args(2, 2, 92)),
    ],
    mistakes=[
        Mistake(
            "z_not_flipped",
            "Copied as they are, these weights make PyTorch's GRU keep "
            "the old state where the original writes the new one: its z is PyTorch's "
            "1 - z. Use 1 - sigmoid(a) = sigmoid(-a): negate the z block's weights and "
            "bias.",
            _cho_variant(),
        ),
        Mistake(
            "gate_order",
            "You stacked the blocks in the order z, r, n; PyTorch's order is r, z, n.",
            _cho_variant(order="zrn", negate_z=True),
        ),
    ],
    hints=[
        "PyTorch's update gate must equal 1 - z. Is there a way to get 1 - sigmoid(a) "
        "from a sigmoid?",
        "1 - sigmoid(a) = sigmoid(-a): stack [W_r, -W_z, W], [U_r, -U_z, U] and [b_r, -b_z, b].",
    ],
    starter="""def swapped_z_to_torch(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b):
    weight_ih = ____         # (3H, I): blocks r, z, n
    weight_hh = ____         # (3H, H)
    bias_ih = ____           # (3H,)
    bias_hh = ____           # (3H,)
    return weight_ih, weight_hh, bias_ih, bias_hh""",
    solution="""def swapped_z_to_torch(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b):
    # their z is PyTorch's 1 - z, and 1 - sigmoid(a) = sigmoid(-a)
    weight_ih = np.concatenate([W_r, -W_z, W])
    weight_hh = np.concatenate([U_r, -U_z, U])
    bias_ih = np.concatenate([b_r, -b_z, b])
    bias_hh = np.zeros_like(bias_ih)
    return weight_ih, weight_hh, bias_ih, bias_hh""",
    explanation="The two conventions describe the same family of networks; only the sign "
    "of the update gate's parameters tells them apart. Loading weights across "
    "them without the flip gives a network that runs without any error and "
    "computes something else.",
)

tf1_weight_shape = ValueProblem(
    CHAPTER,
    "tf1_weight_shape",
    "A TensorFlow 1 LSTMCell with input size I = 10 and hidden size H = 20 keeps one "
    "kernel of shape (I + H, 4H) = (30, 80), acting on [x, h]. After conversion, what is "
    "the shape of PyTorch's weight_ih?",
    answer_type="shape",
    expected=(80, 10),
    mistakes=[
        Mistake(
            "not_transposed",
            "TensorFlow stores (in, out); PyTorch stores (out, in): transpose.",
            (10, 80),
        ),
        Mistake(
            "whole_kernel",
            "The kernel acts on [x, h]: its first I rows meet x and "
            "become weight_ih, the other H rows become weight_hh.",
            (80, 30),
        ),
        Mistake("one_block", "weight_ih stacks all four gate blocks: 4H rows.", (20, 10)),
    ],
    hints=[
        "Take the rows of the kernel that meet x, then transpose.",
        "`kernel[:I].T` has shape (4H, I).",
    ],
    starter="answer = (____, ____)",
    solution="answer = (80, 10)   # kernel[:10].T: 4H rows, one column per input",
    explanation="The other 20 rows, `kernel[10:].T`, give weight_hh (80, 20); the third "
    "and second blocks (f and j) then swap places, as the appendix explains.",
)

where_one_bias = ChoiceProblem(
    CHAPTER,
    "where_one_bias",
    "A GRU with the reset applied *after* the product (PyTorch's default, "
    "n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))) comes from a library with one "
    "bias vector per gate. Can you always put that bias into bias_ih and zeros into "
    "bias_hh?",
    options={
        "a": "yes, for every block: only the sum b_ih + b_hh matters",
        "b": "for r and z yes, but not for n, where r multiplies b_hn",
        "c": "no, the biases of a GRU cannot be converted at all",
        "d": "only when H = I",
    },
    answer="b",
    feedback={
        "a": "For r and z only the sum matters, but in n the reset multiplies "
        "h W_hn^T + b_hn, bias included: moving b_hn into b_in changes the "
        "function.",
        "b": "b_hn sits inside the reset, so it cannot be moved; with the reset "
        "before the product (the exercises above) it can, which is why one bias "
        "was enough there.",
        "c": "They convert: only the candidate's hidden bias b_hn needs care.",
        "d": "The sizes play no part; what matters is where the reset is applied.",
    },
    hints=["Write out n for the reset after the product: which bias does r multiply?"],
)

EXERCISES = (
    keras_gru_to_torch,
    cho_gru_to_torch,
    swapped_z_to_torch,
    tf1_weight_shape,
    where_one_bias,
)


def progress() -> None:
    """Print your progress in this appendix: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
