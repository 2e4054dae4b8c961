"""Exercises for chapter 1, short-term memory: the update rule and the shrinking gradient.

>>> from lstm_gru_course.exercises import short_term_memory as ex
>>> ex.shrinking_gradient.evaluate(0.5 ** 10).status
'correct'
"""

from __future__ import annotations

import numpy as np

from ..i18n import N_
from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ThoughtProblem, ValueProblem

CHAPTER = "short_term_memory"


def _update_args(weight, gradient, learning_rate):
    return lambda: (
        np.asarray(weight, dtype=float),
        np.asarray(gradient, dtype=float),
        float(learning_rate),
    )


def _update_reference(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


update_weight = FunctionProblem(
    CHAPTER,
    "update_weight",
    N_(
        "Training moves every weight a small step against its gradient. Write "
        "update_weight(weight, gradient, learning_rate) that returns the new weight: weight "
        "and gradient are numpy arrays of the same shape, learning_rate is a positive number."
    ),
    params=("weight", "gradient", "learning_rate"),
    returns=("new_weight",),
    reference=_update_reference,
    shapes={"new_weight": N_("the shape of weight")},
    cases=[
        Case(
            N_("three weights, learning rate 0.1"),
            _update_args([0.5, -1.0, 2.0], [0.2, -0.4, 1.0], 0.1),
        ),
        Case(
            N_("a (2, 2) weight matrix, learning rate 0.01"),
            _update_args([[1.0, 2.0], [3.0, 4.0]], [[10.0, -10.0], [0.5, 0.0]], 0.01),
        ),
        Case(
            N_("a zero gradient, where nothing should move"),
            _update_args([1.5, -2.5], [0.0, 0.0], 0.1),
        ),
        Case(
            N_("a tiny gradient, as reaches the early steps of an RNN"),
            _update_args([0.3, 0.3], [1e-9, -1e-9], 0.1),
        ),
    ],
    mistakes=[
        Mistake(
            "gradient_ascent",
            N_(
                "You moved the weight along the gradient, which climbs "
                "the loss. Step against it: weight - learning_rate * gradient."
            ),
            lambda w, g, lr: w + lr * g,
        ),
        Mistake(
            "missing_learning_rate",
            N_("The step is scaled by the learning rate: weight - learning_rate * gradient."),
            lambda w, g, lr: w - g,
        ),
        Mistake(
            "returned_step",
            N_(
                "You returned the step only; return the new weight, weight - learning_rate * gradient."
            ),
            lambda w, g, lr: -lr * g,
        ),
    ],
    hints=[
        N_("The gradient points uphill, towards a larger loss. Which way should the weight move?"),
        N_("`return weight - learning_rate * gradient`"),
    ],
    starter="""def update_weight(weight, gradient, learning_rate):
    return ____""",
    solution="""def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient""",
    explanation=N_(
        "When the gradient reaching a weight is tiny (1e-9 in the last case), the "
        "weight barely moves: the network cannot learn from what that gradient "
        "carries. That is what happens to the early steps of a long sequence."
    ),
)

shrinking_gradient = ValueProblem(
    CHAPTER,
    "shrinking_gradient",
    N_(
        "On its way back through a recurrent network, suppose the gradient is multiplied by "
        "0.5 at every step. What fraction of it is left 10 steps back?"
    ),
    expected=0.5**10,
    mistakes=[
        Mistake(
            "times_not_power",
            N_("Ten multiplications by 0.5 make 0.5 ** 10, not 0.5 * 10."),
            0.5 * 10,
        ),
        Mistake(
            "lost_part",
            N_("That is the part that was lost; the question asks what is left."),
            1 - 0.5**10,
        ),
        *[
            Mistake("step_count", N_("Count the factors again: one per step, ten steps."), 0.5**k)
            for k in (9, 11)
        ],
        # The page prints 0.5**10 as 0.00098 (0.35% off): right method, too few digits.
        *[
            Mistake(
                "rounded",
                N_(
                    "Close: that is 0.5 ** 10 rounded too far. Give four significant digits "
                    "(0.0009766), or just type 0.5 ** 10."
                ),
                rounded,
            )
            for rounded in (0.00098, 0.001)
        ],
    ],
    hints=[N_("After one step half is left; after two, a quarter."), N_("`0.5 ** 10`")],
    solution="answer = 0.5 ** 10   # 0.0009765625, about one thousandth",
    explanation=N_(
        "Halving ten times leaves about a thousandth; a hundred steps back, about "
        "1e-30. Weights tuned by such a gradient learn next to nothing from the "
        "early steps."
    ),
)

why_forget = ChoiceProblem(
    CHAPTER,
    "why_forget",
    N_(
        "A plain RNN reads a long review whose key word comes first. Why does it struggle to "
        "use that word?"
    ),
    options={
        "a": N_(
            "Its hidden state has a fixed number of slots, and old words are deleted "
            "by design once the slots are full."
        ),
        "b": N_(
            "The gradient flowing back to the early steps shrinks step after step, so "
            "training barely adjusts the weights to what those steps carried."
        ),
        "c": N_("An RNN reads sequences backwards, so the first word is read last."),
        "d": N_("Only the last few inputs are fed into the network."),
    },
    answer="b",
    feedback={
        "a": N_(
            "Nothing is deleted on purpose: every word changes the hidden state. "
            "The trouble is that training cannot learn to keep early information."
        ),
        "b": N_(
            "The signal that would teach the network to keep the key word is almost "
            "gone by the time it reaches that step."
        ),
        "c": N_("It reads them in order, one element at a time."),
        "d": N_("Every input is fed in, one per step; the early ones simply fade."),
    },
    hints=[
        N_(
            "Think about training, not only reading: what has to reach the first step for "
            "the network to learn from it?"
        )
    ],
)

long_review = ThoughtProblem(
    CHAPTER,
    "long_review",
    N_(
        "A blender review opens with 'Amazing!', then spends 200 words on other things, and "
        "ends with 'it is a bit loud'. Which part will a plain RNN rely on most to judge "
        "the review, and what would you want a better network to be able to do?"
    ),
    model_answer=N_(
        "A plain RNN leans on the last words it read, 'it is a bit loud', "
        "because what it read 200 steps earlier has faded from its "
        "hidden state, and during training the gradient that should have taught it "
        "to keep 'Amazing!' shrank to almost nothing on its way back. It may well "
        "call a glowing review negative. A better network would decide, word by "
        "word, what to keep: hold on to 'Amazing!', let the middle pass "
        "without overwriting it, and weigh both ends at the close. Learned gates "
        "that decide what to keep and what to write are exactly what LSTMs and "
        "GRUs add."
    ),
    hints=[
        N_("Which words are closest to the end, where the decision is made?"),
        N_("Imagine you could choose, word by word, what to remember. What would you keep?"),
    ],
)

EXERCISES = (update_weight, shrinking_gradient, why_forget, long_review)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
