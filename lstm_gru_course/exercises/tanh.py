"""Exercises for chapter 3, tanh: keeping values in range, and what its derivative does.

>>> from lstm_gru_course.exercises import tanh as ex
>>> ex.tanh_derivative.evaluate(lambda t: 1 - t ** 2).status
'correct'
"""

from __future__ import annotations

import numpy as np

from ..i18n import N_
from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ThoughtProblem, ValueProblem

CHAPTER = "tanh"


def _repeat(step, start, times):
    value = start
    for _ in range(times):
        value = step(value)
    return value


times_three = ValueProblem(
    CHAPTER,
    "times_three",
    N_(
        "The chapter's experiment: start from v = 0.1 and apply v = tanh(3 * v) three times. "
        "What is v now?"
    ),
    expected=lambda: _repeat(lambda v: np.tanh(3 * v), 0.1, 3),
    mistakes=[
        Mistake(
            "no_tanh",
            N_("That is 0.1 * 3**3, the value without tanh: squash after each multiplication."),
            0.1 * 3**3,
        ),
        Mistake(
            "tanh_once",
            N_(
                "You applied tanh once, at the end. Apply it after every "
                "multiplication: each step is v = tanh(3 * v)."
            ),
            lambda: np.tanh(0.1 * 27),
        ),
        *[
            Mistake(
                "step_count",
                N_("Count the steps again: apply v = tanh(3 * v) exactly three times."),
                lambda k=k: _repeat(lambda v: np.tanh(3 * v), 0.1, k),
            )
            for k in (2, 4)
        ],
    ],
    hints=[
        N_("Do it in a loop: `v = 0.1`, then three times `v = np.tanh(3 * v)`."),
        N_("After the first step v = tanh(0.3), about 0.2913."),
    ],
    solution="v = 0.1\nfor _ in range(3):\n    v = np.tanh(3 * v)\nanswer = v   # about 0.9710",
    explanation=N_(
        "Without tanh the value would be 2.7 after three steps and 0.1 * 3**100 "
        "after a hundred; with tanh it settles just below 1 and stays there."
    ),
)


def _derivative_args(values):
    return lambda: (np.asarray(values, dtype=float),)


def _derivative_reference(t):
    from ..activations import tanh_grad_from_output

    return tanh_grad_from_output(t)


tanh_derivative = FunctionProblem(
    CHAPTER,
    "tanh_derivative",
    N_(
        "Backpropagation reuses the output of tanh. Write tanh_derivative(t) that takes "
        "t = tanh(a) (a numpy array of any shape, every entry in [-1, 1]) and returns the "
        "derivative of tanh at a, the same shape, using t only."
    ),
    params=("t",),
    returns=("derivative",),
    reference=_derivative_reference,
    shapes={"derivative": N_("the shape of t")},
    cases=[
        Case(
            N_("t = tanh of five numbers between -2 and 2"),
            _derivative_args(np.tanh(np.linspace(-2, 2, 5))),
        ),
        Case(
            N_("a 2-D array of shape (2, 3)"),
            _derivative_args(np.tanh(np.arange(-3, 3).reshape(2, 3) / 2)),
        ),
        Case(N_("t = 0, where the derivative is largest"), _derivative_args([0.0])),
        Case(N_("t = -1 and t = 1, fully saturated"), _derivative_args([-1.0, 1.0])),
    ],
    mistakes=[
        Mistake(
            "forgot_square", N_("You returned 1 - t; the derivative is 1 - t**2."), lambda t: 1 - t
        ),
        Mistake(
            "sigmoid_derivative",
            N_(
                "t * (1 - t) is the sigmoid's derivative written from its output. tanh's is 1 - t**2."
            ),
            lambda t: t * (1 - t),
        ),
        Mistake(
            "tanh_applied_again",
            N_("t is already tanh's output: use 1 - t**2 directly, without calling tanh again."),
            lambda t: 1 - np.tanh(t) ** 2,
        ),
        Mistake(
            "sign",
            N_("Check the sign: the derivative is 1 - t**2, which is never negative."),
            lambda t: t**2 - 1,
        ),
    ],
    hints=[
        N_("d/da tanh(a) = 1 - tanh(a)**2. What is tanh(a) called here?"),
        N_("`return 1 - t ** 2`"),
    ],
    starter="""def tanh_derivative(t):
    return ____""",
    solution="""def tanh_derivative(t):
    return 1 - t ** 2""",
    explanation=N_(
        "It is at most 1 (at t = 0) and near 0 when tanh saturates: the package's "
        "`activations.tanh_grad_from_output` is the same line."
    ),
)


def _product(factor, steps):
    return float(factor) ** steps


derivative_product = ValueProblem(
    CHAPTER,
    "derivative_product",
    N_(
        "In a tanh RNN the gradient is multiplied by tanh'(a) once per step on its way back. "
        "Suppose every pre-activation is a = 1.0. What is the product of these derivatives "
        "over 20 steps? (Best keep the factor's full precision; the check also accepts it "
        "rounded to four digits before the power.)"
    ),
    expected=lambda: _product(1 - np.tanh(1.0) ** 2, 20),
    # The power multiplies the factor's rounding error by 20: tanh'(1) = 0.419974 rounded
    # to four digits, 0.4200, gives 0.12% too much after 20 steps, and the worst four-digit
    # rounding of the factor 0.24%. 0.5% accepts every such rounding and still rejects
    # every mistake below (each is off by a factor of at least 100).
    rtol=5e-3,
    mistakes=[
        Mistake(
            "tanh_not_derivative",
            N_("You multiplied tanh(1) itself; multiply its derivative, 1 - tanh(1)**2."),
            lambda: _product(np.tanh(1.0), 20),
        ),
        Mistake(
            "forgot_square",
            N_("The derivative is 1 - tanh(a)**2, not 1 - tanh(a)."),
            lambda: _product(1 - np.tanh(1.0), 20),
        ),
        Mistake(
            "times_not_power",
            N_("Twenty factors multiplied together is a power, factor ** 20, not factor * 20."),
            lambda: (1 - np.tanh(1.0) ** 2) * 20,
        ),
    ],
    hints=[
        N_("One factor is tanh'(1) = 1 - tanh(1)**2, about 0.42."),
        N_("Multiply twenty of them: `(1 - np.tanh(1.0) ** 2) ** 20`."),
    ],
    solution="answer = (1 - np.tanh(1.0) ** 2) ** 20   # about 2.914e-08",
    explanation=N_(
        "Each factor is about 0.42, so after 20 steps about 3 parts in 100 million of "
        "the gradient are left. Slopes below 1 are one of the two causes of chapter 1's "
        "vanishing gradient; the other is small recurrent weights."
    ),
)

tanh_facts = ChoiceProblem(
    CHAPTER,
    "tanh_facts",
    N_("Which statement about tanh is true?"),
    options={
        "a": N_("Its outputs lie between 0 and 1."),
        "b": N_(
            "Its outputs lie between -1 and 1, and its derivative is at most 1, reached only at 0."
        ),
        "c": N_("Its derivative grows as |a| grows, so large inputs learn fastest."),
        "d": N_("tanh(3 * v) equals 3 * tanh(v), so it does not change the x3 experiment."),
    },
    answer="b",
    feedback={
        "a": N_("That is the sigmoid's range. tanh can be negative: it lies in (-1, 1)."),
        "b": N_(
            "Bounded outputs keep the forward pass in range, and a derivative of at "
            "most 1 is why products of many of them shrink on the way back."
        ),
        "c": N_(
            "The other way round: the derivative 1 - tanh(a)**2 shrinks towards 0 as "
            "|a| grows and tanh saturates."
        ),
        "d": N_("tanh is not linear; tanh(3 * v) stays below 1 however large 3 * v is."),
    },
    hints=[N_("Plot it in your head: where does tanh flatten out, and where is it steepest?")],
)

bounded_is_not_enough = ThoughtProblem(
    CHAPTER,
    "bounded_is_not_enough",
    N_(
        "tanh stops the hidden state from exploding in the forward pass. Why does that not "
        "fix the RNN's short-term memory?"
    ),
    model_answer=N_(
        "Keeping values in (-1, 1) protects the forward pass, but learning happens "
        "in the backward pass. There the gradient is multiplied at every step by "
        "tanh'(a), which is at most 1 and close to 0 once tanh saturates, and by "
        "the recurrent weights. Over many steps the product shrinks geometrically, "
        "so the early steps receive almost no learning signal. Bounding the values "
        "even makes it worse when the units saturate. What is needed is a path "
        "along which the gradient is not squashed at every step: the LSTM's cell "
        "state."
    ),
    hints=[
        N_("Look at the other direction: what happens to the gradient on its way back?"),
        N_("What is tanh'(a) when tanh is saturated near -1 or 1?"),
    ],
)

EXERCISES = (times_three, tanh_derivative, derivative_product, tanh_facts, bounded_is_not_enough)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
