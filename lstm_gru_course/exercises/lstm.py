"""Exercises for chapter 5, the LSTM: gates, the cell state and a whole step from scratch.

>>> from lstm_gru_course.exercises import lstm as ex
>>> ex.forget_gate.hint()            # doctest: +ELLIPSIS
Hint 1 of 3 for lstm.forget_gate: ...
"""

from __future__ import annotations

import itertools

import numpy as np

from . import _cellmath as cm
from ._core import Mistake, progress_text
from ._function import Case, ErrorHint, FunctionProblem
from ._kinds import ChoiceProblem, ThoughtProblem, ValueProblem

CHAPTER = "lstm"
_SHAPES = {
    "f": "(batch, hidden)",
    "h": "(batch, hidden)",
    "c": "(batch, hidden)",
    "ht": "(batch, hidden)",
    "Ct": "(batch, hidden)",
}

GATE_ORDER = (
    "You used the rows of another gate. The blocks of weight_ih, weight_hh and "
    "the biases come in PyTorch's order i, f, g, o: rows 0:H are the input gate, "
    "H:2H the forget gate, 2H:3H the candidate g and 3H:4H the output gate."
)
SQUASH_SWAP = (
    "sigmoid and tanh are swapped somewhere. Gates (i, f, o) are fractions "
    "between 0 and 1, so they use sigmoid; the candidate g and the cell state "
    "shown through the output gate use tanh, which can be negative."
)
MISSING_BIAS = (
    "A bias is missing. Each pre-activation adds both biases, bias_ih and bias_hh "
    "(PyTorch keeps two; their sum acts as one)."
)
H_C_SWAPPED = (
    "You returned (c, h), the two states swapped: return (h, c), the hidden state "
    "first. The article's pseudo-code unpacks them the other way round in its "
    "loop; that is one of its two traps."
)


def _cases(with_c=True):
    def case(description, batch, inputs, hidden, seed, **options):
        return Case(
            description,
            lambda: cm.cell_inputs(4, batch, inputs, hidden, seed, lstm=with_c, **options),
        )

    return [
        case("a batch of 2, input size 3, hidden size 4", 2, 3, 4, seed=10),
        case("a batch of 1, input size 5, hidden size 2", 1, 5, 2, seed=11),
        case("hidden size 1", 3, 2, 1, seed=12),
        case("an all-zero input and state, where only the biases act", 2, 3, 4, seed=13, zero=True),
        case("large weights, so the gates saturate near 0 and 1", 2, 3, 3, seed=14, scale=4.0),
    ]


# ------------------------------------------------------------------ the forget gate


def _forget_reference(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    from ..cells import lstm_step

    c_prev = np.zeros_like(h_prev)  # the forget gate does not depend on it
    return lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh)[2]["f"]


def _forget_variant(**options):
    return lambda *args: cm.lstm_gates(*args, **options)[1]


def _no_bias_variants(make):
    return [
        Mistake("missing_bias", MISSING_BIAS, make(use_bias_ih=a, use_bias_hh=b))
        for a, b in ((False, True), (True, False), (False, False))
    ]


forget_gate = FunctionProblem(
    CHAPTER,
    "forget_gate",
    "Write forget_gate(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh) that returns "
    "the forget gate, shape (B, H):\n"
    "    f = sigmoid(x W_if^T + b_if + h_prev W_hf^T + b_hf)\n"
    "The parameters hold all four gates stacked in PyTorch's order i, f, g, o: weight_ih "
    "is (4H, I), weight_hh is (4H, H), each bias (4H,). x is (B, I), h_prev is (B, H).",
    params=("x", "h_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("f",),
    shapes=_SHAPES,
    reference=_forget_reference,
    cases=_cases(with_c=False),
    mistakes=[
        *[
            Mistake("gate_order", GATE_ORDER, _forget_variant(order=(0, k, 2, 3)))
            for k in (0, 2, 3)
        ],
        Mistake("sigmoid_tanh_swapped", SQUASH_SWAP, _forget_variant(gate=np.tanh)),
        Mistake(
            "no_squashing",
            "The gate must be squashed into (0, 1) with sigmoid; you "
            "returned the raw pre-activation.",
            _forget_variant(gate=cm.identity),
        ),
        *_no_bias_variants(_forget_variant),
    ],
    hints=[
        "Find the forget gate's rows first: with `H = h_prev.shape[-1]`, the four blocks are "
        "rows 0:H, H:2H, 2H:3H and 3H:4H, in the order i, f, g, o.",
        "Take `rows = slice(H, 2 * H)`. The pre-activation is `x @ weight_ih[rows].T + "
        "bias_ih[rows] + h_prev @ weight_hh[rows].T + bias_hh[rows]`.",
        "Squash the pre-activation a with sigmoid: `1 / (1 + np.exp(-a))`.",
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
    explanation="In `lstm_gru_course.cells.lstm_step` the same gate is the line "
    "`f = sigmoid(a[:, 1 * H:2 * H])`, where a holds all four pre-activations.",
)


# ------------------------------------------------------------------ a whole LSTM step


def _step_reference(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    from ..cells import lstm_step

    h, c, _ = lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh)
    return h, c


def _step_variant(**options):
    return lambda *args: cm.lstm_variant(*args, **options)


_WRONG_ORDERS = [p for p in itertools.permutations(range(4)) if p != (0, 1, 2, 3)]
_SQUASH_MISTAKES = [
    dict(gate=np.tanh, candidate=cm.sigmoid),
    dict(candidate=cm.sigmoid),
    dict(gate=np.tanh),
    dict(squash=cm.sigmoid),
    dict(gate=np.tanh, candidate=cm.sigmoid, squash=cm.sigmoid),
]

lstm_step = FunctionProblem(
    CHAPTER,
    "lstm_step",
    "Write lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh) that "
    "returns (h, c) after one LSTM step:\n"
    "    a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh     (B, 4H): blocks i, f, g, o\n"
    "    i, f, o = sigmoid of their blocks;  g = tanh of its block\n"
    "    c = f * c_prev + i * g\n"
    "    h = o * tanh(c)\n"
    "Parameters are in PyTorch's layout: weight_ih (4H, I), weight_hh (4H, H), biases "
    "(4H,). x is (B, I); h_prev, c_prev, h and c are (B, H).",
    params=("x", "h_prev", "c_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("h", "c"),
    shapes=_SHAPES,
    reference=_step_reference,
    cases=_cases(),
    mistakes=[
        Mistake("h_c_swapped", H_C_SWAPPED, _step_variant(swap_return=True)),
        *[Mistake("gate_order", GATE_ORDER, _step_variant(order=p)) for p in _WRONG_ORDERS],
        *[
            Mistake("sigmoid_tanh_swapped", SQUASH_SWAP, _step_variant(**o))
            for o in _SQUASH_MISTAKES
        ],
        *_no_bias_variants(_step_variant),
        Mistake(
            "output_without_tanh",
            "`h = o * tanh(c)`: your h skips the tanh on the cell state.",
            _step_variant(squash=cm.identity),
        ),
        Mistake(
            "old_cell_state_in_output",
            "h is computed from the new cell state c, not from c_prev.",
            _step_variant(squash_new_c=False),
        ),
        Mistake(
            "forgot_input_gate",
            "The candidate enters the cell state scaled by the "
            "input gate: `c = f * c_prev + i * g`.",
            _step_variant(input_gate=False),
        ),
    ],
    hints=[
        "Compute all four pre-activations at once: `a = x @ weight_ih.T + bias_ih + "
        "h_prev @ weight_hh.T + bias_hh` has shape (B, 4H). Then cut it into four blocks "
        "of H columns, in the order i, f, g, o.",
        "Three blocks go through sigmoid (i, f, o) and one through tanh (g). Then "
        "`c = f * c_prev + i * g`, and `h = o * np.tanh(c)`.",
        "Return the pair in the order (h, c).",
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
    explanation="This is line for line what `lstm_gru_course.cells.lstm_step` computes; it "
    "also returns a cache of i, f, g, o, c for the backward pass.",
)


# ------------------------------------------------------------------ the article's pseudo-code


def _article_args(batch, inputs, hidden, seed):
    x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh = cm.cell_inputs(
        4, batch, inputs, hidden, seed, lstm=True
    )
    return c_prev, h_prev, x, np.concatenate([weight_hh, weight_ih], axis=1), bias_ih + bias_hh


def _split(prev_ct, prev_ht, x, weight, bias):
    """The article's arguments as the package's: (x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh)."""
    H = prev_ht.shape[-1]
    return x, prev_ht, prev_ct, weight[:, H:], weight[:, :H], bias, np.zeros_like(bias)


def _article_reference(*args):
    return _step_reference(*_split(*args))


def _article_variant(concat_reversed=False, **options):
    def variant(prev_ct, prev_ht, x, weight, bias):
        x, h, c, w_ih, w_hh, b_ih, b_hh = _split(prev_ct, prev_ht, x, weight, bias)
        if concat_reversed:  # combine = [x, prev_ht]: the first I columns meet x
            I = x.shape[-1]
            w_ih, w_hh = weight[:, :I], weight[:, I:]
        return cm.lstm_variant(x, h, c, w_ih, w_hh, b_ih, b_hh, **options)

    return variant


def _shape_error(exc) -> bool:
    text = str(exc)
    return isinstance(exc, ValueError) and any(w in text for w in ("matmul", "shapes", "broadcast"))


article_cell = FunctionProblem(
    CHAPTER,
    "article_cell",
    "Turn the article's pseudo-code into working numpy: write article_cell(prev_ct, "
    "prev_ht, x, weight, bias) returning (ht, Ct). As in the article, combine is prev_ht "
    "joined with x, shape (B, H + I), and every gate is a layer on combine. Here the four "
    "layers are stacked in one weight of shape (4H, H + I) and one bias (4H,), in the order "
    "i, f, g, o (it, ft, candidate, ot). Then:\n"
    "    Ct = prev_ct * ft + candidate * it\n"
    "    ht = ot * tanh(Ct)",
    params=("prev_ct", "prev_ht", "x", "weight", "bias"),
    returns=("ht", "Ct"),
    shapes=_SHAPES,
    reference=_article_reference,
    cases=[
        Case("input size = hidden size = 3, a batch of 2", lambda: _article_args(2, 3, 3, 20)),
        Case("input size 4, hidden size 2, a batch of 1", lambda: _article_args(1, 4, 2, 21)),
        Case("hidden size 1", lambda: _article_args(3, 2, 1, 22)),
    ],
    mistakes=[
        Mistake("h_c_swapped", H_C_SWAPPED, _article_variant(swap_return=True)),
        Mistake(
            "concatenation_order",
            "You joined them as [x, prev_ht]; the article (and "
            "this exercise) puts prev_ht first, so the first H columns of weight meet "
            "prev_ht.",
            _article_variant(concat_reversed=True),
        ),
        *[Mistake("gate_order", GATE_ORDER, _article_variant(order=p)) for p in _WRONG_ORDERS],
        *[
            Mistake("sigmoid_tanh_swapped", SQUASH_SWAP, _article_variant(**o))
            for o in _SQUASH_MISTAKES
        ],
        Mistake(
            "missing_bias",
            "The bias is missing: every layer adds its part of bias.",
            _article_variant(use_bias_ih=False),
        ),
    ],
    error_hints=[
        ErrorHint(
            "plus_not_concatenation",
            "If you wrote `prev_ht + x`: in the article's pseudo-code, `prev_ht + input` means "
            "joining the two vectors, `np.concatenate([prev_ht, x], axis=-1)`, not adding them.",
            _shape_error,
        )
    ],
    hints=[
        "First build `combine = np.concatenate([prev_ht, x], axis=-1)`, shape (B, H + I). "
        "Adding `prev_ht + x` is a different thing (and fails when H and I differ).",
        "`a = combine @ weight.T + bias` has shape (B, 4H); cut it into blocks i, f, g, o of "
        "H columns each, and squash them as in lstm_step.",
        "The article's cell returns ht, Ct in that order: hidden state first.",
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
    explanation="Multiplying the joined vector by one weight is the same as "
    "`x @ W_ih.T + h_prev @ W_hh.T` with `W = [W_hh | W_ih]`: the package keeps "
    "the two halves apart, as PyTorch does. When you loop over a sequence, "
    "unpack the result as `ht, Ct = article_cell(Ct, ht, x_t, weight, bias)`.",
)


# ------------------------------------------------------------------ by hand, and why it works


def _cell_update(f, i, g, c_prev):
    return f * c_prev + i * g


_F, _I, _G, _C = (
    np.array(v) for v in ([0.5, 1.0, 0.0], [0.25, 0.0, 1.0], [-0.8, 0.3, 0.6], [2.0, -1.0, 3.0])
)

cell_update = ValueProblem(
    CHAPTER,
    "cell_update",
    "By hand (or with numpy): three slots of the cell state hold c_prev = [2.0, -1.0, "
    "3.0]. The "
    "forget gate is f = [0.5, 1.0, 0.0], the input gate i = [0.25, 0.0, 1.0] and the "
    "candidate g = [-0.8, 0.3, 0.6]. What is the new cell state c? Answer with an array "
    "of three numbers.",
    answer_type="array",
    expected=lambda: _cell_update(_F, _I, _G, _C),
    mistakes=[
        Mistake(
            "forgot_input_gate",
            "You added the whole candidate: it is scaled by the "
            "input gate first, `c = f * c_prev + i * g`.",
            lambda: _F * _C + _G,
        ),
        Mistake(
            "gates_swapped",
            "The forget gate scales the old state and the input gate "
            "the candidate; you swapped them.",
            lambda: _I * _C + _F * _G,
        ),
        Mistake(
            "forgot_candidate",
            "That is only what the forget gate keeps; add what the input gate writes, `i * g`.",
            lambda: _F * _C,
        ),
        Mistake(
            "squashed",
            "You squashed it with tanh, as the output does; the cell state itself is not squashed.",
            lambda: np.tanh(_cell_update(_F, _I, _G, _C)),
        ),
    ],
    hints=[
        "`c = f * c_prev + i * g`, entry by entry.",
        "The first entry: `0.5 * 2.0 + 0.25 * (-0.8)`. The third slot forgets everything "
        "(f = 0) and writes the whole candidate (i = 1).",
    ],
    starter="answer = np.array([____, ____, ____])",
    solution="answer = np.array([0.5 * 2.0 + 0.25 * -0.8,\n"
    "                   1.0 * -1.0 + 0.0 * 0.3,\n"
    "                   0.0 * 3.0 + 1.0 * 0.6])   # [0.8, -1.0, 0.6]",
    explanation="The second slot keeps its memory untouched (f = 1, i = 0): that is how an "
    "LSTM carries a value across many steps.",
)

cell_state_gradient = ChoiceProblem(
    CHAPTER,
    "cell_state_gradient",
    "Along the cell state, what is the local gradient dc_t/dc_{t-1} (holding the gates fixed)?",
    options={
        "a": "the forget gate f_t",
        "b": "diag(1 - h_t**2) W_hh, the plain RNN's factor dh_t/dh_{t-1}",
        "c": "the input gate times the candidate, i_t * g_t",
        "d": "always exactly 1",
    },
    answer="a",
    feedback={
        "a": "c_t = f_t * c_{t-1} + i_t * g_t, so the derivative with respect to "
        "c_{t-1} is f_t: a learned number the network can hold near 1.",
        "b": "That is the plain RNN's Jacobian dh_t/dh_{t-1} in the book's row form: "
        "the slopes of tanh times W_hh. The cell state path has no weight matrix "
        "and no tanh on it.",
        "c": "i_t * g_t is what gets added, and it does not depend on c_{t-1}.",
        "d": "It is 1 only when the forget gate is fully open. In general it is f_t, "
        "which the network learns to keep close to 1 when it needs to remember.",
    },
    hints=["Write c_t = f_t * c_{t-1} + i_t * g_t and differentiate with respect to c_{t-1}."],
)


def _memory_left(bias, steps):
    return cm.sigmoid(bias) ** steps


memory_left = ValueProblem(
    CHAPTER,
    "memory_left",
    "An untrained LSTM's weights are close to 0, so its forget gate sits near "
    "sigmoid(b), where b = b_if + b_hf is the forget gate's bias. Set that bias to 1, as "
    "Keras does. Along the cell state, holding the gates fixed, what fraction of a "
    "memory (and of its gradient) is left after 20 steps?",
    expected=lambda: _memory_left(1.0, 20),
    mistakes=[
        Mistake(
            "bias_zero",
            "That is what a bias of 0 leaves: sigmoid(0) = 0.5 at every "
            "step. The question sets the bias to 1.",
            lambda: _memory_left(0.0, 20),
        ),
        Mistake(
            "no_sigmoid",
            "The gate is sigmoid(1), about 0.731, not the bias itself: "
            "a bias of 1 would keep everything, which no sigmoid can.",
            1.0,
        ),
        Mistake(
            "times_not_power",
            "Twenty steps multiply by the gate twenty times: "
            "sigmoid(1) ** 20, not sigmoid(1) * 20.",
            lambda: cm.sigmoid(1.0) * 20,
        ),
        Mistake(
            "lost_part",
            "That is the part that was lost; the question asks what is left.",
            lambda: 1 - _memory_left(1.0, 20),
        ),
        Mistake(
            "exp_not_sigmoid",
            "You used exp(-1), not sigmoid(1) = 1 / (1 + exp(-1)).",
            lambda: np.exp(-1.0) ** 20,
        ),
    ],
    hints=[
        "With the weights near 0 the gate is sigmoid(b): compute sigmoid(1) first.",
        "What is left after k steps is the gate to the power k: `(1 / (1 + np.exp(-1.0))) ** 20`.",
    ],
    starter="answer = ____",
    solution="answer = (1 / (1 + np.exp(-1.0))) ** 20   # about 0.001901",
    explanation="About 0.19 %, against 0.5 ** 20, about one millionth, with a bias of 0: "
    "some two thousand times more reaches back 20 steps.",
)

forget_bias = ThoughtProblem(
    CHAPTER,
    "forget_bias",
    "Many implementations start the forget-gate bias at 1 instead of 0. What does that do "
    "to an untrained LSTM, and why does it help it learn long-range dependencies?",
    model_answer="With weights near zero the forget gate is sigmoid(bias). A bias of 0 gives "
    "f = 0.5, so a memory halves at every step: after 20 steps only 0.5**20, about "
    "one millionth, is left, and the same goes for the gradient flowing back "
    "along the cell state. A bias of 1 gives f = sigmoid(1) = 0.73, and "
    "0.73**20 is about 0.002, some two thousand times more. At the start of "
    "training memories and gradients reach much further back, so the network "
    "can discover that something far back matters before it has learned to "
    "hold the gate open on purpose.",
    hints=[
        "Untrained weights are small: what is the forget gate then, for a bias of 0 "
        "and for a bias of 1?",
        "Compare 0.5**20 and sigmoid(1)**20: that is what is left of a memory (and of "
        "its gradient) after 20 steps.",
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
