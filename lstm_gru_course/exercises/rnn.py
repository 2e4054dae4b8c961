"""Exercises for chapter 2, the recurrent network: combine, one RNN step, shapes and sizes.

>>> from lstm_gru_course.exercises import rnn as ex
>>> ex.combine.evaluate(lambda h_prev, x: h_prev + x).mistake
'plus_not_concatenation'
"""

from __future__ import annotations

import numpy as np

from ..i18n import N_
from . import _cellmath as cm
from ._core import Mistake, progress_text
from ._function import Case, ErrorHint, FunctionProblem
from ._kinds import ThoughtProblem, ValueProblem

CHAPTER = "rnn"

PLUS_NOT_CONCATENATION = N_(
    "You added h_prev and x. In the article's pseudo-code `prev_ht + input` means joining "
    "the two vectors side by side (concatenation), not adding them entry by entry: use "
    "`np.concatenate([h_prev, x], axis=-1)`."
)


# ------------------------------------------------------------------ combine


def _combine_args(shape_h, shape_x, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape_h), rng.normal(size=shape_x)


def _combine_reference(h_prev, x):
    return np.concatenate([h_prev, x], axis=-1)


def _is_broadcast_error(exc) -> bool:
    return isinstance(exc, ValueError) and "broadcast" in str(exc)


combine = FunctionProblem(
    CHAPTER,
    "combine",
    N_(
        "The RNN cell first combines the previous hidden state with the new input into one "
        "vector. Write combine(h_prev, x) that joins them, h_prev first: h_prev has shape "
        "(B, H) and x has shape (B, I), so the result has shape (B, H + I). It should also "
        "work for a single example without the batch axis: h_prev (H,), x (I,) -> (H + I,)."
    ),
    params=("h_prev", "x"),
    returns=("combined",),
    reference=_combine_reference,
    shapes={"combined": N_("(batch, hidden + input)")},
    cases=[
        Case(
            N_("a batch of 2, hidden size 3, input size 3"),
            lambda: _combine_args((2, 3), (2, 3), 30),
        ),
        Case(
            N_("a batch of 1, hidden size 2, input size 4"),
            lambda: _combine_args((1, 2), (1, 4), 31),
        ),
        Case(N_("hidden size 1 and input size 1"), lambda: _combine_args((3, 1), (3, 1), 32)),
        Case(
            N_("a single example without the batch axis, h_prev (3,) and x (2,)"),
            lambda: _combine_args((3,), (2,), 33),
        ),
    ],
    mistakes=[
        Mistake("plus_not_concatenation", PLUS_NOT_CONCATENATION, lambda h, x: h + x),
        Mistake(
            "concatenation_order",
            N_(
                "You joined them in the other order: put h_prev first, then x, as in `[h_prev, x]`."
            ),
            lambda h, x: np.concatenate([x, h], axis=-1),
        ),
        Mistake(
            "wrong_axis",
            N_(
                "You joined them along the batch axis (axis 0), which stacks "
                "more examples; join along the last axis, `axis=-1`."
            ),
            lambda h, x: np.concatenate([h, x], axis=0),
        ),
        Mistake(
            "stacked",
            N_(
                "`np.stack` adds a new axis; `np.concatenate` joins along an "
                "existing one, which is what we want here."
            ),
            lambda h, x: np.stack([h, x]),
        ),
    ],
    error_hints=[ErrorHint("plus_not_concatenation", PLUS_NOT_CONCATENATION, _is_broadcast_error)],
    hints=[
        N_(
            "Joining is not adding: the result is longer than either piece, H + I numbers per example."
        ),
        N_(
            "`np.concatenate([h_prev, x], axis=...)`: which axis holds the features, for "
            "both 2-D and 1-D inputs?"
        ),
        N_("`axis=-1`, the last axis, works for both."),
    ],
    starter="""def combine(h_prev, x):
    return ____""",
    solution="""import numpy as np

def combine(h_prev, x):
    return np.concatenate([h_prev, x], axis=-1)""",
    explanation=N_(
        "A weight matrix applied to the combined vector is the same as two "
        "matrices, one for h_prev and one for x, added: "
        "`[h_prev, x] @ W.T = h_prev @ W_hh.T + x @ W_ih.T` with `W = [W_hh | W_ih]`. "
        "That is why the package (like PyTorch) keeps weight_hh and weight_ih apart."
    ),
)


# ------------------------------------------------------------------ one RNN step


def _step_case(description, batch, inputs, hidden, seed, **options):
    return Case(description, lambda: cm.cell_inputs(1, batch, inputs, hidden, seed, **options))


def _step_reference(*args):
    from ..cells import rnn_step

    return rnn_step(*args)[0]


def _step_variant(**options):
    return lambda *args: cm.rnn_variant(*args, **options)


rnn_step = FunctionProblem(
    CHAPTER,
    "rnn_step",
    N_(
        "Write rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh) that returns the "
        "new hidden state:\n"
        "    h = tanh(x W_ih^T + b_ih + h_prev W_hh^T + b_hh)\n"
        "Shapes: x (B, I), h_prev (B, H), weight_ih (H, I), weight_hh (H, H), bias_ih and "
        "bias_hh (H,); h is (B, H)."
    ),
    params=("x", "h_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    returns=("h",),
    shapes={"h": N_("(batch, hidden)")},
    reference=_step_reference,
    cases=[
        _step_case(N_("input size = hidden size = 3, a batch of 2"), 2, 3, 3, seed=40),
        _step_case(N_("a batch of 1, input size 4, hidden size 2"), 1, 4, 2, seed=41),
        _step_case(N_("hidden size 1"), 3, 2, 1, seed=42),
        _step_case(
            N_("an all-zero input and state, where only the biases act"),
            2,
            3,
            4,
            seed=43,
            zero=True,
        ),
        _step_case(
            N_("large weights, so tanh saturates near -1 and 1"), 2, 3, 3, seed=44, scale=4.0
        ),
    ],
    mistakes=[
        Mistake(
            "sigmoid_tanh_swapped",
            N_(
                "You squashed with sigmoid. The RNN's new state uses "
                "tanh, which keeps values in (-1, 1) and can be negative."
            ),
            _step_variant(act=cm.sigmoid),
        ),
        Mistake(
            "no_squashing",
            N_("You returned the pre-activation: the new state is squashed with `np.tanh`."),
            _step_variant(act=cm.identity),
        ),
        *[
            Mistake(
                "missing_bias",
                N_("A bias is missing: the pre-activation adds both bias_ih and bias_hh."),
                _step_variant(use_bias_ih=a, use_bias_hh=b),
            )
            for a, b in ((False, True), (True, False), (False, False))
        ],
        Mistake(
            "weights_swapped",
            N_(
                "weight_ih multiplies the input x and weight_hh the "
                "previous state h_prev; you swapped them."
            ),
            _step_variant(swap_weights=True),
        ),
    ],
    hints=[
        N_("Two matrix products and two biases, added, then squashed."),
        N_(
            "In the course's layout the weights are (H, I) and (H, H), so the products are "
            "`x @ weight_ih.T` and `h_prev @ weight_hh.T`."
        ),
        N_("`return np.tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)`"),
    ],
    starter="""def rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    a = ____                 # the pre-activation, shape (B, H)
    return ____              # squashed""",
    solution="""import numpy as np

def rnn_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    a = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh
    return np.tanh(a)""",
    explanation=N_(
        "`lstm_gru_course.cells.rnn_step` computes the same line and also returns a "
        "cache for the backward pass."
    ),
)


# ------------------------------------------------------------------ shapes and sizes

output_shape = ValueProblem(
    CHAPTER,
    "output_shape",
    N_(
        "An RNN layer with hidden size 5 reads a sequence x of shape (T, B, I) = (7, 4, 3), "
        "time first. What is the shape of its outputs, the hidden state at every step?"
    ),
    answer_type="shape",
    expected=(7, 4, 5),
    mistakes=[
        Mistake(
            "final_state_only",
            N_(
                "(4, 5) is the final hidden state alone; the outputs "
                "hold one hidden state per time step."
            ),
            (4, 5),
        ),
        Mistake(
            "input_size",
            N_("The last axis of the outputs is the hidden size, not the input size."),
            (7, 4, 3),
        ),
        Mistake(
            "batch_first",
            N_("The course keeps time first (time-major), like PyTorch's default: (T, B, H)."),
            (4, 7, 5),
        ),
        Mistake(
            "batch_dropped",
            N_("Keep the batch axis: every example in the batch gets its own hidden states."),
            (7, 5),
        ),
    ],
    hints=[
        N_("One hidden state per time step and per example."),
        N_("Time first, then batch, then the hidden size: (T, B, H)."),
    ],
    starter="answer = (____, ____, ____)",
    solution="answer = (7, 4, 5)   # (T, B, H)",
)


parameter_count = ValueProblem(
    CHAPTER,
    "parameter_count",
    N_(
        "How many numbers does an RNN cell with input size 10 and hidden size 20 learn, in the "
        "course's (PyTorch's) layout with weight_ih, weight_hh, bias_ih and bias_hh?"
    ),
    expected=20 * 10 + 20 * 20 + 20 + 20,
    mistakes=[
        Mistake("no_biases", N_("You counted the weights only; add the two bias vectors."), 600),
        Mistake(
            "one_bias",
            N_("PyTorch's layout keeps two bias vectors, bias_ih and bias_hh, of H numbers each."),
            620,
        ),
        Mistake(
            "lstm_count",
            N_("That is an LSTM's count (four gate blocks); a plain RNN has one block."),
            4 * 640,
        ),
    ],
    hints=[
        N_(
            "Write down the shape of each of the four arrays: weight_ih (H, I), weight_hh "
            "(H, H), bias_ih (H,), bias_hh (H,)."
        ),
        N_("20*10 + 20*20 + 20 + 20."),
    ],
    solution="answer = 20 * 10 + 20 * 20 + 20 + 20   # 640",
    explanation=N_(
        "The count does not depend on the sequence length: the same weights are used at every step."
    ),
)

shared_weights = ThoughtProblem(
    CHAPTER,
    "shared_weights",
    N_(
        "The RNN cell uses the same weights at every time step. Why is that a good idea, and "
        "what does it cost when the sequence is long?"
    ),
    model_answer=N_(
        "Sharing the weights means the network learns one rule for reading 'the "
        "next element given what I have so far', whatever the position: the same "
        "word means the same thing at step 3 or step 300, the number of parameters "
        "does not grow with the length, and sequences of any length can be read. "
        "The cost shows up in training: the gradient that reaches an early step has "
        "been multiplied by the same kind of factor (weight_hh and a tanh "
        "derivative) once per step in between, so over long distances it shrinks "
        "(or blows up) geometrically. That is the short-term memory of chapter 1."
    ),
    hints=[
        N_("Think about a word that appears at step 3 in one review and step 300 in another."),
        N_(
            "Now think about the backward pass: what gets multiplied together between step 300 "
            "and step 3?"
        ),
    ],
)

EXERCISES = (combine, rnn_step, output_shape, parameter_count, shared_weights)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
