"""Reference answers, test cases and known mistakes for the LSTM exercises (``lstm``).

The exercise definitions themselves stay in ``lstm``, which imports these helpers.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..i18n import N_
from . import _cellmath as cm
from ._core import Mistake
from ._function import Case

_SHAPES = {
    "f": N_("(batch, hidden)"),
    "h": N_("(batch, hidden)"),
    "c": N_("(batch, hidden)"),
    "ht": N_("(batch, hidden)"),
    "Ct": N_("(batch, hidden)"),
}

GATE_ORDER = N_(
    "You used the rows of another gate. The blocks of weight_ih, weight_hh and "
    "the biases come in PyTorch's order i, f, g, o: rows 0:H are the input gate, "
    "H:2H the forget gate, 2H:3H the candidate g and 3H:4H the output gate."
)
SQUASH_SWAP = N_(
    "sigmoid and tanh are swapped somewhere. Gates (i, f, o) are fractions "
    "between 0 and 1, so they use sigmoid; the candidate g and the cell state "
    "shown through the output gate use tanh, which can be negative."
)
MISSING_BIAS = N_(
    "A bias is missing. Each pre-activation adds both biases, bias_ih and bias_hh "
    "(PyTorch keeps two; their sum acts as one)."
)
H_C_SWAPPED = N_(
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
        case(N_("a batch of 2, input size 3, hidden size 4"), 2, 3, 4, seed=10),
        case(N_("a batch of 1, input size 5, hidden size 2"), 1, 5, 2, seed=11),
        case(N_("hidden size 1"), 3, 2, 1, seed=12),
        case(
            N_("an all-zero input and state, where only the biases act"),
            2,
            3,
            4,
            seed=13,
            zero=True,
        ),
        case(N_("large weights, so the gates saturate near 0 and 1"), 2, 3, 3, seed=14, scale=4.0),
    ]


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


def _cell_update(f, i, g, c_prev):
    return f * c_prev + i * g


_F, _I, _G, _C = (
    np.array(v) for v in ([0.5, 1.0, 0.0], [0.25, 0.0, 1.0], [-0.8, 0.3, 0.6], [2.0, -1.0, 3.0])
)


def _memory_left(bias, steps):
    return cm.sigmoid(bias) ** steps


_CELL_UPDATE_MISTAKES = [
    Mistake(
        "forgot_input_gate",
        N_(
            "You added the whole candidate: it is scaled by the "
            "input gate first, `c = f * c_prev + i * g`."
        ),
        lambda: _F * _C + _G,
    ),
    Mistake(
        "gates_swapped",
        N_(
            "The forget gate scales the old state and the input gate the candidate; you swapped them."
        ),
        lambda: _I * _C + _F * _G,
    ),
    Mistake(
        "forgot_candidate",
        N_("That is only what the forget gate keeps; add what the input gate writes, `i * g`."),
        lambda: _F * _C,
    ),
    Mistake(
        "squashed",
        N_("You squashed it with tanh, as the output does; the cell state itself is not squashed."),
        lambda: np.tanh(_cell_update(_F, _I, _G, _C)),
    ),
]

_MEMORY_LEFT_MISTAKES = [
    Mistake(
        "bias_zero",
        N_(
            "That is what a bias of 0 leaves: sigmoid(0) = 0.5 at every "
            "step. The question sets the bias to 1."
        ),
        lambda: _memory_left(0.0, 20),
    ),
    Mistake(
        "no_sigmoid",
        N_(
            "The gate is sigmoid(1), about 0.731, not the bias itself: "
            "a bias of 1 would keep everything, which no sigmoid can."
        ),
        1.0,
    ),
    Mistake(
        "times_not_power",
        N_(
            "Twenty steps multiply by the gate twenty times: sigmoid(1) ** 20, not sigmoid(1) * 20."
        ),
        lambda: cm.sigmoid(1.0) * 20,
    ),
    Mistake(
        "lost_part",
        N_("That is the part that was lost; the question asks what is left."),
        lambda: 1 - _memory_left(1.0, 20),
    ),
    Mistake(
        "exp_not_sigmoid",
        N_("You used exp(-1), not sigmoid(1) = 1 / (1 + exp(-1))."),
        lambda: np.exp(-1.0) ** 20,
    ),
]


# The known mistakes of lstm.lstm_step.
STEP_MISTAKES = [
    Mistake("h_c_swapped", H_C_SWAPPED, _step_variant(swap_return=True)),
    *[Mistake("gate_order", GATE_ORDER, _step_variant(order=p)) for p in _WRONG_ORDERS],
    *[Mistake("sigmoid_tanh_swapped", SQUASH_SWAP, _step_variant(**o)) for o in _SQUASH_MISTAKES],
    *_no_bias_variants(_step_variant),
    Mistake(
        "output_without_tanh",
        N_("`h = o * tanh(c)`: your h skips the tanh on the cell state."),
        _step_variant(squash=cm.identity),
    ),
    Mistake(
        "old_cell_state_in_output",
        N_("h is computed from the new cell state c, not from c_prev."),
        _step_variant(squash_new_c=False),
    ),
    Mistake(
        "forgot_input_gate",
        N_(
            "The candidate enters the cell state scaled by the "
            "input gate: `c = f * c_prev + i * g`."
        ),
        _step_variant(input_gate=False),
    ),
]
