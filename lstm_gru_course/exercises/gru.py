"""Exercises for chapter 6, the GRU: the blend, a whole step from scratch, sizes, choices.

>>> from lstm_gru_course.exercises import gru as ex
>>> ex.blend.evaluate(lambda z, n, h_prev: z * n + (1 - z) * h_prev).mistake
'z_reversed'
"""

from __future__ import annotations

import itertools

import numpy as np

from ..i18n import N_
from . import _cellmath as cm
from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ThoughtProblem, ValueProblem

CHAPTER = "gru"
Z_REVERSED = N_(
    "The roles of z and 1 - z are reversed. In the course's (PyTorch's) GRU, "
    "h = (1 - z) * n + z * h_prev: z is how much of the old state is kept. Olah's "
    "blog and Chung et al. write it the other way round; both work, but the "
    "weights then mean different things."
)


# ------------------------------------------------------------------ the blend


def _blend_args(batch, hidden, seed, z=None):
    def make():
        rng = np.random.default_rng(seed)
        gate = (
            rng.uniform(0.05, 0.95, size=(batch, hidden))
            if z is None
            else np.full((batch, hidden), float(z))
        )
        return (
            gate,
            rng.uniform(-1, 1, size=(batch, hidden)),
            rng.uniform(-1, 1, size=(batch, hidden)),
        )

    return make


def _blend_reference(z, n, h_prev):
    return (1 - z) * n + z * h_prev


blend = FunctionProblem(
    CHAPTER,
    "blend",
    N_(
        "The GRU's last line mixes the candidate n with the previous state h_prev, using the "
        "update gate z. Write blend(z, n, h_prev) returning the new state h, where z = 1 keeps "
        "the old state entirely and z = 0 replaces it by the candidate. All arrays are (B, H)."
    ),
    params=("z", "n", "h_prev"),
    returns=("h",),
    reference=_blend_reference,
    shapes={"h": N_("(batch, hidden)")},
    cases=[
        Case(N_("a batch of 2, hidden size 3"), _blend_args(2, 3, seed=50)),
        Case(N_("a batch of 1, hidden size 1"), _blend_args(1, 1, seed=51)),
        Case(
            N_("z = 0 everywhere, which must give the candidate"), _blend_args(2, 2, seed=52, z=0)
        ),
        Case(N_("z = 1 everywhere, which must keep h_prev"), _blend_args(2, 2, seed=53, z=1)),
    ],
    mistakes=[
        Mistake("z_reversed", Z_REVERSED, lambda z, n, h: z * n + (1 - z) * h),
        Mistake(
            "missing_one_minus",
            N_(
                "The candidate is weighted by 1 - z, so that the two "
                "weights add up to 1: h = (1 - z) * n + z * h_prev."
            ),
            lambda z, n, h: n + z * h,
        ),
        Mistake(
            "no_candidate",
            N_("The candidate n is missing: h = (1 - z) * n + z * h_prev."),
            lambda z, n, h: z * h,
        ),
    ],
    hints=[
        N_("It is a weighted average of n and h_prev, with weights that add up to 1."),
        N_("z = 1 must give h_prev: `return (1 - z) * n + z * h_prev`."),
    ],
    starter="""def blend(z, n, h_prev):
    return ____""",
    solution="""def blend(z, n, h_prev):
    return (1 - z) * n + z * h_prev""",
    explanation=N_(
        "One gate does the LSTM's two jobs: z keeps (like the forget gate) and "
        "1 - z writes (like the input gate), so keeping more means writing less."
    ),
)


# ------------------------------------------------------------------ a whole GRU step


def _gru_case(description, batch, inputs, hidden, seed, **options):
    return Case(description, lambda: cm.cell_inputs(3, batch, inputs, hidden, seed, **options))


def _step_reference(*args):
    from ..cells import gru_step

    return gru_step(*args, reset="after")[0]


def _variant(**options):
    return lambda *args: cm.gru_variant(*args, **options)


_SQUASH = N_(
    "sigmoid and tanh are swapped somewhere: the gates r and z are fractions, "
    "sigmoid; the candidate n can be negative, tanh."
)
_WRONG_ORDERS = [p for p in itertools.permutations(range(3)) if p != (0, 1, 2)]

gru_step = FunctionProblem(
    CHAPTER,
    "gru_step",
    N_(
        "Write gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh) returning the new "
        "state h of one GRU step, in the course's (PyTorch's) form:\n"
        "    r = sigmoid(x W_ir^T + b_ir + h_prev W_hr^T + b_hr)\n"
        "    z = sigmoid(x W_iz^T + b_iz + h_prev W_hz^T + b_hz)\n"
        "    n = tanh(x W_in^T + b_in + r * (h_prev W_hn^T + b_hn))\n"
        "    h = (1 - z) * n + z * h_prev\n"
        "The blocks come in the order r, z, n: weight_ih (3H, I), weight_hh (3H, H), biases "
        "(3H,). x is (B, I), h_prev and h are (B, H)."
    ),
    params=("x", "h_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("h",),
    shapes={"h": N_("(batch, hidden)")},
    reference=_step_reference,
    cases=[
        _gru_case(N_("a batch of 2, input size 3, hidden size 4"), 2, 3, 4, seed=60),
        _gru_case(N_("a batch of 1, input size 5, hidden size 2"), 1, 5, 2, seed=61),
        _gru_case(N_("hidden size 1"), 3, 2, 1, seed=62),
        _gru_case(
            N_("an all-zero input and state, where only the biases act"),
            2,
            3,
            4,
            seed=63,
            zero=True,
        ),
        _gru_case(
            N_("large weights, so the gates saturate near 0 and 1"), 2, 3, 3, seed=64, scale=4.0
        ),
    ],
    mistakes=[
        Mistake("z_reversed", Z_REVERSED, _variant(swap_z=True)),
        Mistake(
            "reset_before",
            N_(
                "You applied the reset gate before the matrix product, "
                "W_hn (r * h_prev), as in Cho et al. (2014). The course (like PyTorch and "
                "cuDNN) applies it after: r * (h_prev W_hn^T + b_hn)."
            ),
            _variant(reset="before"),
        ),
        Mistake(
            "bias_outside_reset",
            N_(
                "In PyTorch's form b_hn sits inside the reset product: "
                "r * (h_prev W_hn^T + b_hn), not r * (h_prev W_hn^T) + b_hn."
            ),
            _variant(bias_hn_inside=False),
        ),
        *[
            Mistake(
                "gate_order",
                N_(
                    "You used the rows of another gate. The blocks come in the "
                    "order r, z, n: rows 0:H, H:2H and 2H:3H."
                ),
                _variant(order=p),
            )
            for p in _WRONG_ORDERS
        ],
        *[
            Mistake("sigmoid_tanh_swapped", _SQUASH, _variant(**o))
            for o in (
                dict(gate=np.tanh, candidate=cm.sigmoid),
                dict(candidate=cm.sigmoid),
                dict(gate=np.tanh),
            )
        ],
        *[
            Mistake(
                "missing_bias",
                N_("A bias is missing: every block adds its part of both bias_ih and bias_hh."),
                _variant(use_bias_ih=a, use_bias_hh=b),
            )
            for a, b in ((False, True), (True, False), (False, False))
        ],
    ],
    hints=[
        N_(
            "Compute the input part for all blocks at once, gi = x @ weight_ih.T + bias_ih, "
            "and the hidden part, gh = h_prev @ weight_hh.T + bias_hh, both (B, 3H). Then "
            "cut each into r, z, n blocks of H columns."
        ),
        N_(
            "r = sigmoid(gi_r + gh_r), z = sigmoid(gi_z + gh_z), n = tanh(gi_n + r * gh_n): "
            "the reset gate multiplies the whole hidden part of n, bias included."
        ),
        N_("Finish with your blend: h = (1 - z) * n + z * h_prev."),
    ],
    starter="""def gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[-1]
    gi = ____                # input part of all three blocks, (B, 3H)
    gh = ____                # hidden part of all three blocks, (B, 3H)
    r = ____
    z = ____
    n = ____
    return ____""",
    solution="""import numpy as np

def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[-1]
    gi = x @ weight_ih.T + bias_ih          # (B, 3H), blocks r, z, n
    gh = h_prev @ weight_hh.T + bias_hh     # (B, 3H)
    r = sigmoid(gi[:, :H] + gh[:, :H])
    z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
    return (1 - z) * n + z * h_prev""",
    explanation=N_(
        'This is `lstm_gru_course.cells.gru_step(..., reset="after")`. With '
        'reset="before" the package computes Cho et al.\'s form; the two give '
        "different numbers from the same weights."
    ),
)


# ------------------------------------------------------------------ sizes, and choosing

parameter_count = ValueProblem(
    CHAPTER,
    "parameter_count",
    N_(
        "How many numbers does a GRU cell with input size 10 and hidden size 20 learn, in the "
        "course's (PyTorch's) layout?"
    ),
    expected=3 * (20 * 10 + 20 * 20 + 20 + 20),
    mistakes=[
        Mistake(
            "lstm_count",
            N_("That is an LSTM's count: four blocks. A GRU has three (r, z, n)."),
            4 * 640,
        ),
        Mistake(
            "rnn_count", N_("That is one block, a plain RNN's count; the GRU stacks three."), 640
        ),
        Mistake(
            "no_biases",
            N_("You counted the weights only; add bias_ih and bias_hh, 3H numbers each."),
            1800,
        ),
        Mistake(
            "one_bias", N_("PyTorch's layout keeps two bias vectors, bias_ih and bias_hh."), 1860
        ),
    ],
    hints=[
        N_("Three blocks (r, z, n), each with the parameters of a plain RNN cell."),
        N_("3 * (20*10 + 20*20 + 20 + 20)."),
    ],
    solution="answer = 3 * (20 * 10 + 20 * 20 + 20 + 20)   # 1920",
    explanation=N_(
        "An LSTM of the same size has 2560: the GRU saves a quarter of the "
        "parameters and of the matrix work per step."
    ),
)

weight_shape = ValueProblem(
    CHAPTER,
    "weight_shape",
    N_(
        "What is the shape of a GRU's weight_hh when the input size is 10 and the hidden size is 20?"
    ),
    answer_type="shape",
    expected=(60, 20),
    mistakes=[
        Mistake(
            "one_block",
            N_("weight_hh stacks the three blocks r, z, n on top of each other: 3H rows."),
            (20, 20),
        ),
        Mistake(
            "lstm_shape", N_("(80, 20) would be an LSTM's four blocks; a GRU has three."), (80, 20)
        ),
        Mistake(
            "transposed",
            N_("PyTorch's layout puts the gate blocks along the rows: (3H, H), not (H, 3H)."),
            (20, 60),
        ),
        Mistake(
            "input_weight",
            N_(
                "That is weight_ih, which multiplies the input; weight_hh multiplies the hidden state."
            ),
            (60, 10),
        ),
    ],
    hints=[
        N_("weight_hh multiplies h_prev, which has H = 20 numbers."),
        N_("Three blocks of H rows each, H columns: (3H, H)."),
    ],
    starter="answer = (____, ____)",
    solution="answer = (60, 20)   # (3H, H)",
)

gru_facts = ChoiceProblem(
    CHAPTER,
    "gru_facts",
    N_("Which statement about the GRU is true?"),
    options={
        "a": N_("It carries a cell state next to its hidden state, like the LSTM."),
        "b": N_(
            "It has no separate cell state: the update gate z decides how much of the "
            "old hidden state to keep, and the reset gate r how much of it feeds the "
            "candidate."
        ),
        "c": N_("Its gates r and z are computed with tanh."),
        "d": N_("It has more parameters than an LSTM of the same sizes."),
    },
    answer="b",
    feedback={
        "a": N_("The GRU merges the two: its hidden state is also its memory."),
        "b": N_("Two gates instead of three, and one state instead of two."),
        "c": N_("Gates are fractions, so they use sigmoid; only the candidate n uses tanh."),
        "d": N_("Fewer: three blocks instead of four, so about three quarters of an LSTM's."),
    },
    hints=[
        N_(
            "Count the states each cell passes to the next step, and the gate blocks in its weights."
        )
    ],
)

which_cell = ThoughtProblem(
    CHAPTER,
    "which_cell",
    N_(
        "You have a new sequence task and time for only a few experiments. Would you start "
        "with an LSTM or a GRU, and what would make you switch?"
    ),
    model_answer=N_(
        "Neither wins everywhere: comparisons across many tasks find them close, "
        "with the best choice depending on the data. A GRU has about a quarter "
        "fewer parameters and operations, so it trains faster and is a sensible "
        "first try when data or time is short. An LSTM's separate cell state and "
        "output gate give it a little more control, which sometimes pays off on "
        "long or complex dependencies or large data sets. A practical plan: start "
        "with the cheaper GRU, then try an LSTM of similar size if the model "
        "underfits, and keep whichever does better on validation data."
    ),
    hints=[
        N_("Think about cost first: parameters and operations per step."),
        N_("Is there evidence that one of them is always better?"),
    ],
)

EXERCISES = (blend, gru_step, parameter_count, weight_shape, gru_facts, which_cell)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
