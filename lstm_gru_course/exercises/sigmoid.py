"""Exercises for chapter 4, sigmoid and the idea of a gate.

>>> from lstm_gru_course.exercises import sigmoid as ex
>>> ex.apply_gate.evaluate(lambda pre, values: np.tanh(pre) * values).mistake
'sigmoid_tanh_swapped'
"""

from __future__ import annotations

import numpy as np

from ..i18n import N_
from . import _cellmath as cm
from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ThoughtProblem, ValueProblem

CHAPTER = "sigmoid"
SWAPPED = N_(
    "You used tanh. A gate must say how much passes, from none (0) to all (1): "
    "that is sigmoid's range; tanh's (-1, 1) is for values that can be negative."
)


def _arrays(*values):
    return lambda: tuple(np.asarray(v, dtype=float) for v in values)


def _sigmoid_reference(a):
    from ..activations import sigmoid

    return sigmoid(a)


sigmoid = FunctionProblem(
    CHAPTER,
    "sigmoid",
    N_(
        "Write sigmoid(a) = 1 / (1 + exp(-a)) for a numpy array a of any shape, returning an "
        "array of the same shape. It must give the right answer for very large and very "
        "negative inputs too (a = 1000 gives 1, a = -1000 gives 0), never NaN."
    ),
    params=("a",),
    returns=("s",),
    reference=_sigmoid_reference,
    shapes={"s": N_("the shape of a")},
    cases=[
        Case(N_("seven numbers from -3 to 3"), _arrays(np.linspace(-3, 3, 7))),
        Case(N_("a 2-D array of shape (2, 3)"), _arrays(np.arange(6.0).reshape(2, 3) - 2.5)),
        Case(N_("a = 0, where sigmoid is exactly 0.5"), _arrays([0.0])),
        Case(
            N_("very large and very negative inputs, -1000 to 1000"),
            _arrays([-1000.0, -50.0, 50.0, 1000.0]),
        ),
    ],
    mistakes=[
        Mistake("sigmoid_tanh_swapped", SWAPPED, lambda a: np.tanh(a)),
        Mistake(
            "sign_flipped",
            N_(
                "Your curve is mirrored: that is 1 / (1 + exp(a)), which "
                "goes down as a grows. The minus sign belongs inside: exp(-a)."
            ),
            lambda a: cm.sigmoid(-a),
        ),
        Mistake(
            "no_one",
            N_("The denominator is 1 + exp(-a), not exp(-a) alone."),
            lambda a: 1 / np.exp(-a),
        ),
    ],
    hints=[
        N_("Start with the formula as written: `1 / (1 + np.exp(-a))`. Check a = 0 gives 0.5."),
        N_(
            "For a = -1000, exp(1000) overflows to inf (with a warning); the result 1 / inf = "
            "0 is still right. To avoid the warning, only ever take exp of -|a|: for a < 0, "
            "sigmoid(a) = exp(a) / (1 + exp(a))."
        ),
    ],
    starter="""def sigmoid(a):
    return ____""",
    solution="""import numpy as np

def sigmoid(a):
    e = np.exp(-np.abs(a))                  # in (0, 1]: never overflows
    return np.where(a >= 0, 1.0, e) / (1.0 + e)""",
    explanation=N_(
        "For a >= 0 this is 1 / (1 + exp(-a)); for a < 0 it is the same value "
        "written as exp(a) / (1 + exp(a)). The package's `activations.sigmoid` "
        "does exactly this."
    ),
)


def _gate_reference(pre_activation, values):
    from ..activations import sigmoid as package_sigmoid

    return package_sigmoid(pre_activation) * values


apply_gate = FunctionProblem(
    CHAPTER,
    "apply_gate",
    N_(
        "A gate lets through a learned fraction of each value. Write apply_gate(pre_activation, "
        "values) that squashes pre_activation into (0, 1) and uses the result to scale values, "
        "entry by entry. Both arrays have the same shape (B, H), and so does the result."
    ),
    params=("pre_activation", "values"),
    returns=("gated",),
    reference=_gate_reference,
    shapes={"gated": N_("(batch, hidden)")},
    cases=[
        Case(
            N_("a batch of 2, hidden size 3"),
            _arrays([[-2.0, 0.0, 2.0], [1.0, -1.0, 4.0]], [[1.0, -2.0, 3.0], [0.5, 0.5, -1.0]]),
        ),
        Case(N_("a batch of 1, hidden size 1"), _arrays([[0.7]], [[-3.0]])),
        Case(
            N_("a closed gate (pre-activation -30) and an open one (+30)"),
            _arrays([[-30.0, 30.0]], [[5.0, 5.0]]),
        ),
    ],
    mistakes=[
        Mistake("sigmoid_tanh_swapped", SWAPPED, lambda p, v: np.tanh(p) * v),
        Mistake(
            "added_not_multiplied",
            N_(
                "A gate multiplies: values * sigmoid(pre_activation). "
                "Adding shifts the values instead of letting a fraction of them through."
            ),
            lambda p, v: cm.sigmoid(p) + v,
        ),
        Mistake(
            "no_squashing",
            N_(
                "Squash pre_activation with sigmoid before multiplying, so "
                "the gate is a fraction between 0 and 1."
            ),
            lambda p, v: p * v,
        ),
    ],
    hints=[
        N_("Two steps: gate = sigmoid(pre_activation), then scale the values by it."),
        N_(
            "`return values / (1 + np.exp(-pre_activation))`, which is the same as "
            "`values * sigmoid(pre_activation)`."
        ),
    ],
    starter="""def apply_gate(pre_activation, values):
    gate = ____
    return ____""",
    solution="""import numpy as np

def apply_gate(pre_activation, values):
    gate = 1 / (1 + np.exp(-pre_activation))   # each entry in (0, 1)
    return gate * values""",
    explanation=N_(
        "A gate near 0 blocks its value, near 1 lets it all through. In an LSTM, "
        "f * c_prev, i * g and o * tanh(c) are all this operation."
    ),
)

memory_after_steps = ValueProblem(
    CHAPTER,
    "memory_after_steps",
    N_(
        "A value is multiplied by a gate of 0.9 at every step, for 10 steps. What fraction of "
        "it is left?"
    ),
    expected=0.9**10,
    mistakes=[
        Mistake(
            "times_not_power",
            N_("Ten multiplications by 0.9 make 0.9 ** 10, not 0.9 * 10."),
            0.9 * 10,
        ),
        Mistake(
            "forgotten_part",
            N_("That is the part that was forgotten; the question asks what is left."),
            1 - 0.9**10,
        ),
        Mistake(
            "closed_gate", N_("0.1 is what the gate blocks at each step; it keeps 0.9."), 0.1**10
        ),
    ],
    hints=[N_("After one step 0.9 is left, after two 0.9 * 0.9."), N_("`0.9 ** 10`")],
    solution="answer = 0.9 ** 10   # about 0.3487",
    explanation=N_(
        "Even a gate that keeps 90% per step loses two thirds in ten steps; an "
        "LSTM that must remember for hundreds of steps learns forget gates much "
        "closer to 1."
    ),
)

why_sigmoid = ChoiceProblem(
    CHAPTER,
    "why_sigmoid",
    N_("Why do gates use sigmoid, while the candidate values use tanh?"),
    options={
        "a": N_("sigmoid is cheaper to compute than tanh."),
        "b": N_(
            "A gate is a fraction of how much passes, from none to all, which is "
            "exactly sigmoid's range (0, 1); candidates must be able to push a memory "
            "up or down, so they need signed values in (-1, 1)."
        ),
        "c": N_("tanh has no derivative at 0, so it cannot be used for gates."),
        "d": N_("sigmoid outputs across the units add up to 1, like probabilities."),
    },
    answer="b",
    feedback={
        "a": N_("Not the reason (they cost about the same): the ranges are what matter."),
        "b": N_(
            "Multiplying by a number in (0, 1) keeps part of a value; adding a number "
            "in (-1, 1) can raise or lower it."
        ),
        "c": N_("tanh is smooth everywhere; its derivative at 0 is 1."),
        "d": N_(
            "That is softmax. Each sigmoid unit is independent: a gate can be open "
            "for every unit at once."
        ),
    },
    hints=[
        N_(
            "Think about what each one is used for: multiplying (a gate) or adding (a "
            "candidate). Which range suits which?"
        )
    ],
)

soft_switch = ThoughtProblem(
    CHAPTER,
    "soft_switch",
    N_(
        "A gate could be a hard switch that outputs exactly 0 or exactly 1. Why do LSTMs and "
        "GRUs use a smooth sigmoid instead?"
    ),
    model_answer=N_(
        "Gates are learned by gradient descent, which needs a derivative. A hard "
        "step function is flat everywhere except at the jump, so its derivative is "
        "0 (or undefined): no gradient would tell the weights how to open or close "
        "the gate a little more. The sigmoid is smooth, so a small change in the "
        "weights changes the gate a little, and the gradient says which way to go. "
        "It can still get very close to 0 or 1 when the network needs a nearly "
        "hard decision."
    ),
    hints=[
        N_("How are the weights that produce the gate learned?"),
        N_("What is the derivative of a step function?"),
    ],
)

EXERCISES = (sigmoid, apply_gate, memory_after_steps, why_sigmoid, soft_switch)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
