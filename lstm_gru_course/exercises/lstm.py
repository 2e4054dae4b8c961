"""Exercises for chapter 5, the LSTM: gates, the cell state and a whole step from scratch.

>>> from lstm_gru_course.exercises import lstm as ex
>>> ex.forget_gate.hint()            # doctest: +ELLIPSIS
Hint 1 of 3 for lstm.forget_gate: ...
"""

from __future__ import annotations

import numpy as np

from ..i18n import N_
from . import _cellmath as cm
from . import _lstm_reference as _ref
from ._core import Mistake, progress_text
from ._function import Case, ErrorHint, FunctionProblem
from ._kinds import ChoiceProblem, ThoughtProblem, ValueProblem
from ._lstm_reference import (  # noqa: F401  (the messages are re-exported)
    GATE_ORDER,
    H_C_SWAPPED,
    MISSING_BIAS,
    SQUASH_SWAP,
)

CHAPTER = "lstm"


# ------------------------------------------------------------------ the forget gate


forget_gate = FunctionProblem(
    CHAPTER,
    "forget_gate",
    N_(
        "Write forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh) that returns "
        "the forget gate, shape (B, H):\n"
        "    f = sigmoid(x W_if^T + b_if + h_prev W_hf^T + b_hf)\n"
        "The parameters hold all four gates stacked in PyTorch's order i, f, g, o: weight_ih "
        "is (4H, I), weight_hh is (4H, H), each bias (4H,). x is (B, I), h_prev is (B, H)."
    ),
    params=("x", "h_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("f",),
    shapes=_ref._SHAPES,
    reference=_ref._forget_reference,
    cases=_ref._cases(with_c=False),
    mistakes=[
        *[
            Mistake("gate_order", GATE_ORDER, _ref._forget_variant(order=(0, k, 2, 3)))
            for k in (0, 2, 3)
        ],
        Mistake("sigmoid_tanh_swapped", SQUASH_SWAP, _ref._forget_variant(gate=np.tanh)),
        Mistake(
            "no_squashing",
            N_(
                "The gate must be squashed into (0, 1) with sigmoid; you "
                "returned the raw pre-activation."
            ),
            _ref._forget_variant(gate=cm.identity),
        ),
        *_ref._no_bias_variants(_ref._forget_variant),
    ],
    hints=[
        N_(
            "Find the forget gate's rows first: with `H = h_prev.shape[-1]`, the four blocks are "
            "rows 0:H, H:2H, 2H:3H and 3H:4H, in the order i, f, g, o."
        ),
        N_(
            "Take `rows = slice(H, 2 * H)`. The pre-activation is `x @ weight_ih[rows].T + "
            "bias_ih[rows] + h_prev @ weight_hh[rows].T + bias_hh[rows]`."
        ),
        N_("Squash the pre-activation a with sigmoid: `1 / (1 + np.exp(-a))`."),
    ],
    starter="""def forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[-1]
    rows = ____              # the forget gate's block of rows
    a = ____                 # its pre-activation, shape (B, H)
    return ____              # squashed into (0, 1)""",
    solution="""import numpy as np

def forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[-1]
    rows = slice(H, 2 * H)   # order i, f, g, o: f is the second block
    a = x @ weight_ih[rows].T + bias_ih[rows] + h_prev @ weight_hh[rows].T + bias_hh[rows]
    return 1 / (1 + np.exp(-a))""",
    explanation=N_(
        "In `lstm_gru_course.cells.lstm_step` the same gate is the line "
        "`f = sigmoid(a[:, 1 * H:2 * H])`, where a holds all four pre-activations."
    ),
)


# ------------------------------------------------------------------ a whole LSTM step


lstm_step = FunctionProblem(
    CHAPTER,
    "lstm_step",
    N_(
        "Write lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh) that "
        "returns (h, c) after one LSTM step:\n"
        "    a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh     (B, 4H): blocks i, f, g, o\n"
        "    i, f, o = sigmoid of their blocks;  g = tanh of its block\n"
        "    c = f * c_prev + i * g\n"
        "    h = o * tanh(c)\n"
        "Parameters are in PyTorch's layout: weight_ih (4H, I), weight_hh (4H, H), biases "
        "(4H,). x is (B, I); h_prev, c_prev, h and c are (B, H)."
    ),
    params=("x", "h_prev", "c_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("h", "c"),
    shapes=_ref._SHAPES,
    reference=_ref._step_reference,
    cases=_ref._cases(),
    mistakes=_ref.STEP_MISTAKES,
    hints=[
        N_(
            "Compute all four pre-activations at once: `a = x @ weight_ih.T + bias_ih + "
            "h_prev @ weight_hh.T + bias_hh` has shape (B, 4H). Then cut it into four blocks "
            "of H columns, in the order i, f, g, o."
        ),
        N_(
            "Three blocks go through sigmoid (i, f, o) and one through tanh (g). Then "
            "`c = f * c_prev + i * g`, and `h = o * np.tanh(c)`."
        ),
        N_("Return the pair in the order (h, c)."),
    ],
    starter="""def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[-1]
    a = ____                 # all four pre-activations, shape (B, 4H)
    i, f, g, o = ____        # cut a into blocks and squash each one
    c = ____
    h = ____
    return h, c""",
    solution="""import numpy as np

def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[-1]
    a = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh   # (B, 4H)
    i = sigmoid(a[:, 0 * H:1 * H])   # input gate
    f = sigmoid(a[:, 1 * H:2 * H])   # forget gate
    g = np.tanh(a[:, 2 * H:3 * H])   # candidate values
    o = sigmoid(a[:, 3 * H:4 * H])   # output gate
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c""",
    explanation=N_(
        "This is line for line what `lstm_gru_course.cells.lstm_step` computes; it "
        "also returns a cache of i, f, g, o, c for the backward pass."
    ),
)


# ------------------------------------------------------------------ the article's pseudo-code


article_cell = FunctionProblem(
    CHAPTER,
    "article_cell",
    N_(
        "Turn the article's pseudo-code into working numpy: write article_cell(prev_ct, "
        "prev_ht, x, weight, bias) returning (ht, Ct). As in the article, combine is prev_ht "
        "joined with x, shape (B, H + I), and every gate is a layer on combine. Here the four "
        "layers are stacked in one weight of shape (4H, H + I) and one bias (4H,), in the order "
        "i, f, g, o (it, ft, candidate, ot). Then:\n"
        "    Ct = prev_ct * ft + candidate * it\n"
        "    ht = ot * tanh(Ct)"
    ),
    params=("prev_ct", "prev_ht", "x", "weight", "bias"),
    returns=("ht", "Ct"),
    shapes=_ref._SHAPES,
    reference=_ref._article_reference,
    cases=[
        Case(
            N_("input size = hidden size = 3, a batch of 2"),
            lambda: _ref._article_args(2, 3, 3, 20),
        ),
        Case(
            N_("input size 4, hidden size 2, a batch of 1"), lambda: _ref._article_args(1, 4, 2, 21)
        ),
        Case(N_("hidden size 1"), lambda: _ref._article_args(3, 2, 1, 22)),
    ],
    mistakes=[
        Mistake("h_c_swapped", H_C_SWAPPED, _ref._article_variant(swap_return=True)),
        Mistake(
            "concatenation_order",
            N_(
                "You joined them as [x, prev_ht]; the article (and "
                "this exercise) puts prev_ht first, so the first H columns of weight meet "
                "prev_ht."
            ),
            _ref._article_variant(concat_reversed=True),
        ),
        *[
            Mistake("gate_order", GATE_ORDER, _ref._article_variant(order=p))
            for p in _ref._WRONG_ORDERS
        ],
        *[
            Mistake("sigmoid_tanh_swapped", SQUASH_SWAP, _ref._article_variant(**o))
            for o in _ref._SQUASH_MISTAKES
        ],
        Mistake(
            "missing_bias",
            N_("The bias is missing: every layer adds its part of bias."),
            _ref._article_variant(use_bias_ih=False),
        ),
    ],
    error_hints=[
        ErrorHint(
            "plus_not_concatenation",
            N_(
                "If you wrote `prev_ht + x`: in the article's pseudo-code, `prev_ht + input` means "
                "joining the two vectors, `np.concatenate([prev_ht, x], axis=-1)`, not adding them."
            ),
            _ref._shape_error,
        )
    ],
    hints=[
        N_(
            "First build `combine = np.concatenate([prev_ht, x], axis=-1)`, shape (B, H + I). "
            "Adding `prev_ht + x` is a different thing (and fails when H and I differ)."
        ),
        N_(
            "`a = combine @ weight.T + bias` has shape (B, 4H); cut it into blocks i, f, g, o of "
            "H columns each, and squash them as in lstm_step."
        ),
        N_("The article's cell returns ht, Ct in that order: hidden state first."),
    ],
    starter="""def article_cell(prev_ct, prev_ht, x, weight, bias):
    combine = ____           # prev_ht joined with x
    ...                      # ft, candidate, it, ot from combine
    Ct = ____
    ht = ____
    return ht, Ct""",
    solution="""import numpy as np

def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def article_cell(prev_ct, prev_ht, x, weight, bias):
    H = prev_ht.shape[-1]
    combine = np.concatenate([prev_ht, x], axis=-1)   # (B, H + I): joined, not added
    a = combine @ weight.T + bias                     # (B, 4H)
    it = sigmoid(a[:, 0 * H:1 * H])
    ft = sigmoid(a[:, 1 * H:2 * H])
    candidate = np.tanh(a[:, 2 * H:3 * H])
    ot = sigmoid(a[:, 3 * H:4 * H])
    Ct = prev_ct * ft + candidate * it
    ht = ot * np.tanh(Ct)
    return ht, Ct""",
    explanation=N_(
        "Multiplying the joined vector by one weight is the same as "
        "`x @ W_ih.T + h_prev @ W_hh.T` with `W = [W_hh | W_ih]`: the package keeps "
        "the two halves apart, as PyTorch does. When you loop over a sequence, "
        "unpack the result as `ht, Ct = article_cell(Ct, ht, x_t, weight, bias)`."
    ),
)


# ------------------------------------------------------------------ by hand, and why it works


cell_update = ValueProblem(
    CHAPTER,
    "cell_update",
    N_(
        "By hand (or with numpy): three slots of the cell state hold c_prev = [2.0, -1.0, "
        "3.0]. The "
        "forget gate is f = [0.5, 1.0, 0.0], the input gate i = [0.25, 0.0, 1.0] and the "
        "candidate g = [-0.8, 0.3, 0.6]. What is the new cell state c? Answer with an array "
        "of three numbers."
    ),
    answer_type="array",
    expected=lambda: _ref._cell_update(_ref._F, _ref._I, _ref._G, _ref._C),
    mistakes=_ref._CELL_UPDATE_MISTAKES,
    hints=[
        N_("`c = f * c_prev + i * g`, entry by entry."),
        N_(
            "The first entry: `0.5 * 2.0 + 0.25 * (-0.8)`. The third slot forgets everything "
            "(f = 0) and writes the whole candidate (i = 1)."
        ),
    ],
    starter="answer = np.array([____, ____, ____])",
    solution="answer = np.array([0.5 * 2.0 + 0.25 * -0.8,\n"
    "                   1.0 * -1.0 + 0.0 * 0.3,\n"
    "                   0.0 * 3.0 + 1.0 * 0.6])   # [0.8, -1.0, 0.6]",
    explanation=N_(
        "The second slot keeps its memory untouched (f = 1, i = 0): that is how an "
        "LSTM carries a value across many steps."
    ),
)

cell_state_gradient = ChoiceProblem(
    CHAPTER,
    "cell_state_gradient",
    N_("Along the cell state, what is the local gradient dc_t/dc_{t-1} (holding the gates fixed)?"),
    options={
        "a": N_("the forget gate f_t"),
        "b": N_("diag(1 - h_t**2) W_hh, the plain RNN's factor dh_t/dh_{t-1}"),
        "c": N_("the input gate times the candidate, i_t * g_t"),
        "d": N_("always exactly 1"),
    },
    answer="a",
    feedback={
        "a": N_(
            "c_t = f_t * c_{t-1} + i_t * g_t, so the derivative with respect to "
            "c_{t-1} is f_t: a learned number the network can hold near 1."
        ),
        "b": N_(
            "That is the plain RNN's Jacobian dh_t/dh_{t-1} in the book's row form: "
            "the slopes of tanh times W_hh. The cell state path has no weight matrix "
            "and no tanh on it."
        ),
        "c": N_("i_t * g_t is what gets added, and it does not depend on c_{t-1}."),
        "d": N_(
            "It is 1 only when the forget gate is fully open. In general it is f_t, "
            "which the network learns to keep close to 1 when it needs to remember."
        ),
    },
    hints=[N_("Write c_t = f_t * c_{t-1} + i_t * g_t and differentiate with respect to c_{t-1}.")],
)


memory_left = ValueProblem(
    CHAPTER,
    "memory_left",
    N_(
        "An untrained LSTM's weights are close to 0, so its forget gate sits near "
        "sigmoid(b), where b = b_if + b_hf is the forget gate's bias. Set that bias to 1, as "
        "Keras does. Along the cell state, holding the gates fixed, what fraction of a "
        "memory (and of its gradient) is left after 20 steps?"
    ),
    expected=lambda: _ref._memory_left(1.0, 20),
    mistakes=_ref._MEMORY_LEFT_MISTAKES,
    hints=[
        N_("With the weights near 0 the gate is sigmoid(b): compute sigmoid(1) first."),
        N_(
            "What is left after k steps is the gate to the power k: `(1 / (1 + np.exp(-1.0))) ** 20`."
        ),
    ],
    starter="answer = ____",
    solution="answer = (1 / (1 + np.exp(-1.0))) ** 20   # about 0.001901",
    explanation=N_(
        "About 0.19 %, against 0.5 ** 20, about one millionth, with a bias of 0: "
        "some two thousand times more reaches back 20 steps."
    ),
)

forget_bias = ThoughtProblem(
    CHAPTER,
    "forget_bias",
    N_(
        "Many implementations start the forget-gate bias at 1 instead of 0. What does that do "
        "to an untrained LSTM, and why does it help it learn long-range dependencies?"
    ),
    model_answer=N_(
        "With weights near zero the forget gate is sigmoid(bias). A bias of 0 gives "
        "f = 0.5, so a memory halves at every step: after 20 steps only 0.5**20, about "
        "one millionth, is left, and the same goes for the gradient flowing back "
        "along the cell state. A bias of 1 gives f = sigmoid(1) = 0.73, and "
        "0.73**20 is about 0.002, some two thousand times more. At the start of "
        "training memories and gradients reach much further back, so the network "
        "can discover that something far back matters before it has learned to "
        "hold the gate open on purpose."
    ),
    hints=[
        N_(
            "Untrained weights are small: what is the forget gate then, for a bias of 0 "
            "and for a bias of 1?"
        ),
        N_(
            "Compare 0.5**20 and sigmoid(1)**20: that is what is left of a memory (and of "
            "its gradient) after 20 steps."
        ),
    ],
)

EXERCISES = (
    forget_gate,
    lstm_step,
    article_cell,
    cell_update,
    cell_state_gradient,
    memory_left,
    forget_bias,
)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
