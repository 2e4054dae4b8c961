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

from ..i18n import N_
from . import _gru_conversions as _ref
from ._core import Mistake, progress_text
from ._function import Case
from ._gru_conversions import NAMES, ConversionProblem  # noqa: F401  (re-exported)
from ._kinds import ChoiceProblem, ValueProblem

CHAPTER = "conventions"


# ------------------------------------------------------------------ Keras, reset_after=False


GATE_ORDER = N_(
    "Your blocks are in Keras's order z, r, h; PyTorch's order is r, z, n: swap "
    "the first two blocks of H columns before transposing."
)

keras_gru_to_torch = ConversionProblem(
    CHAPTER,
    "keras_gru_to_torch",
    N_(
        "An older Keras GRU (reset_after=False) stores kernel (I, 3H), recurrent_kernel "
        "(H, 3H) and one bias (3H,), with its blocks in the order z, r, h, and computes\n"
        "    z = sigmoid(x K_z + b_z + h K'_z),  r = sigmoid(x K_r + b_r + h K'_r)\n"
        "    hh = tanh(x K_h + b_h + (r * h) K'_h),  h = z * h + (1 - z) * hh\n"
        "Write keras_gru_to_torch(kernel, recurrent_kernel, bias) returning (weight_ih, "
        "weight_hh, bias_ih, bias_hh) in PyTorch's layout for the package's "
        'GRU(I, H, reset="before"). The checker runs both GRUs on the same sequence.'
    ),
    params=("kernel", "recurrent_kernel", "bias"),
    reference=_ref._keras_solution,
    original=_ref._keras_gru,
    cases=[
        Case(N_("I = 3, H = 4"), _ref._keras_args(3, 4, 70)),
        Case(N_("I = 2, H = 1"), _ref._keras_args(2, 1, 71)),
        Case(N_("I = H = 3"), _ref._keras_args(3, 3, 72)),
    ],
    mistakes=[
        Mistake("gate_order", GATE_ORDER, _ref._keras_variant(reorder=False)),
    ],
    hints=[
        N_(
            "Two differences: Keras stores (in, out), PyTorch (out, in), so transpose; and "
            "the blocks come in another order (z, r, h against r, z, n)."
        ),
        N_(
            "With `order = np.r_[H:2 * H, 0:H, 2 * H:3 * H]`, `kernel[:, order].T` is "
            "weight_ih. The one bias can go into bias_ih, with zeros for bias_hh: with the "
            "reset before the product, only their sum matters."
        ),
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
    explanation=N_(
        'Load the result with `GRU(I, H, reset="before")` and '
        "`layer.load_state_dict(dict(zip(NAMES, arrays)))`; with reset_after=True "
        "(Keras 3's default) the bias has two rows and the reset comes after the "
        "product, as in the appendix's worked example."
    ),
)


# ------------------------------------------------------------------ Cho et al., column vectors


_CHO_PARAMS = ("W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W", "U", "b")

cho_gru_to_torch = ConversionProblem(
    CHAPTER,
    "cho_gru_to_torch",
    N_(
        "Cho et al. (2014) write the GRU with column vectors and one matrix per gate: W_z, "
        "W_r, W of shape (H, I), U_z, U_r, U of shape (H, H), and biases b_z, b_r, b (H,):\n"
        "    z = sigmoid(W_z x + U_z h + b_z),  r = sigmoid(W_r x + U_r h + b_r)\n"
        "    h~ = tanh(W x + U (r * h) + b),  h = z * h + (1 - z) * h~\n"
        "Write cho_gru_to_torch(W_z, U_z, b_z, W_r, U_r, b_r, W, U, b) returning (weight_ih, "
        'weight_hh, bias_ih, bias_hh) for the package\'s GRU(I, H, reset="before"). The '
        "checker runs both GRUs on the same sequence."
    ),
    params=_CHO_PARAMS,
    reference=_ref._cho_solution,
    original=_ref._cho_gru,
    cases=[
        Case(N_("I = 3, H = 4"), _ref._cho_args(3, 4, 80)),
        Case(N_("I = 2, H = 1"), _ref._cho_args(2, 1, 81)),
        Case(N_("I = H = 2"), _ref._cho_args(2, 2, 82)),
    ],
    mistakes=[
        Mistake(
            "gate_order",
            N_(
                "You stacked the blocks in the order z, r, n, as the paper "
                "introduces them; PyTorch's order is r, z, n."
            ),
            _ref._cho_variant(order="zrn"),
        ),
    ],
    hints=[
        N_(
            "Cho's W_r x with W_r (H, I) is PyTorch's x W_ir^T with W_ir = W_r: the "
            "matrices move over unchanged. Only the stacking order matters."
        ),
        N_("`weight_ih = np.concatenate([W_r, W_z, W])`, the same for U and b; zeros for bias_hh."),
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
    explanation=N_(
        "Column vectors (W x) and row vectors (x W^T) store the same matrix: "
        "PyTorch's (out, in) layout is the column-vector layout."
    ),
)


# ------------------------------------------------------------------ z and 1 - z swapped


swapped_z_to_torch = ConversionProblem(
    CHAPTER,
    "swapped_z_to_torch",
    N_(
        "Some texts (Olah's blog, Chung et al. 2014) swap z and 1 - z: the same weights as "
        "in the previous exercise, but\n"
        "    h = (1 - z) * h + z * h~\n"
        "so their z is PyTorch's 1 - z. Write swapped_z_to_torch(W_z, U_z, b_z, W_r, U_r, "
        "b_r, W, U, b) returning (weight_ih, weight_hh, bias_ih, bias_hh) for the package's "
        'GRU(I, H, reset="before"). The checker runs both GRUs on the same sequence.'
    ),
    params=_CHO_PARAMS,
    reference=lambda *a: _ref._cho_solution(*a, negate_z=True),
    original=_ref._flipped_gru,
    cases=[
        Case(N_("I = 3, H = 4"), _ref._cho_args(3, 4, 90)),
        Case(N_("I = 2, H = 1"), _ref._cho_args(2, 1, 91)),
        Case(N_("I = H = 2"), _ref._cho_args(2, 2, 92)),
    ],
    mistakes=[
        Mistake(
            "z_not_flipped",
            N_(
                "Copied as they are, these weights make PyTorch's GRU keep "
                "the old state where the original writes the new one: its z is PyTorch's "
                "1 - z. Use 1 - sigmoid(a) = sigmoid(-a): negate the z block's weights and "
                "bias."
            ),
            _ref._cho_variant(),
        ),
        Mistake(
            "gate_order",
            N_("You stacked the blocks in the order z, r, n; PyTorch's order is r, z, n."),
            _ref._cho_variant(order="zrn", negate_z=True),
        ),
    ],
    hints=[
        N_(
            "PyTorch's update gate must equal 1 - z. Is there a way to get 1 - sigmoid(a) "
            "from a sigmoid?"
        ),
        N_(
            "1 - sigmoid(a) = sigmoid(-a): stack [W_r, -W_z, W], [U_r, -U_z, U] and [b_r, -b_z, b]."
        ),
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
    explanation=N_(
        "The two conventions describe the same family of networks; only the sign "
        "of the update gate's parameters tells them apart. Loading weights across "
        "them without the flip gives a network that runs without any error and "
        "computes something else."
    ),
)

tf1_weight_shape = ValueProblem(
    CHAPTER,
    "tf1_weight_shape",
    N_(
        "A TensorFlow 1 LSTMCell with input size I = 10 and hidden size H = 20 keeps one "
        "kernel of shape (I + H, 4H) = (30, 80), acting on [x, h]. After conversion, what is "
        "the shape of PyTorch's weight_ih?"
    ),
    answer_type="shape",
    expected=(80, 10),
    mistakes=[
        Mistake(
            "not_transposed",
            N_("TensorFlow stores (in, out); PyTorch stores (out, in): transpose."),
            (10, 80),
        ),
        Mistake(
            "whole_kernel",
            N_(
                "The kernel acts on [x, h]: its first I rows meet x and "
                "become weight_ih, the other H rows become weight_hh."
            ),
            (80, 30),
        ),
        Mistake("one_block", N_("weight_ih stacks all four gate blocks: 4H rows."), (20, 10)),
    ],
    hints=[
        N_("Take the rows of the kernel that meet x, then transpose."),
        N_("`kernel[:I].T` has shape (4H, I)."),
    ],
    starter="answer = (____, ____)",
    solution="answer = (80, 10)   # kernel[:10].T: 4H rows, one column per input",
    explanation=N_(
        "The other 20 rows, `kernel[10:].T`, give weight_hh (80, 20); the third "
        "and second blocks (f and j) then swap places, as the appendix explains."
    ),
)

where_one_bias = ChoiceProblem(
    CHAPTER,
    "where_one_bias",
    N_(
        "A GRU with the reset applied *after* the product (PyTorch's default, "
        "n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))) comes from a library with one "
        "bias vector per gate; for the candidate, that bias sits inside the reset, where "
        "PyTorch has b_hn. Can you always put that bias into bias_ih and zeros into "
        "bias_hh?"
    ),
    options={
        "a": N_("yes, for every block: only the sum b_ih + b_hh matters"),
        "b": N_("for r and z yes, but not for n, where r multiplies b_hn"),
        "c": N_("no, the biases of a GRU cannot be converted at all"),
        "d": N_("only when H = I"),
    },
    answer="b",
    feedback={
        "a": N_(
            "For r and z only the sum matters, but in n the reset multiplies "
            "h W_hn^T + b_hn, bias included: moving b_hn into b_in changes the "
            "function."
        ),
        "b": N_(
            "b_hn sits inside the reset, so it cannot be moved; with the reset "
            "before the product (the exercises above) it can, which is why one bias "
            "was enough there."
        ),
        "c": N_("They convert: only the candidate's hidden bias b_hn needs care."),
        "d": N_("The sizes play no part; what matters is where the reset is applied."),
    },
    hints=[N_("Write out n for the reset after the product: which bias does r multiply?")],
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
