"""Exercises for chapter 8, applications: the character model's probabilities and loss.

>>> import numpy as np
>>> from lstm_gru_course.exercises import applications as ex
>>> def next_char_probs(scores, temperature):
...     e = np.exp(scores / temperature - (scores / temperature).max(axis=-1, keepdims=True))
...     return e / e.sum(axis=-1, keepdims=True)
>>> ex.next_char_probs.evaluate(next_char_probs).status
'correct'
"""

from __future__ import annotations

import numpy as np

from ..i18n import N_
from ._core import Mistake, Template, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ValueProblem

CHAPTER = "applications"
VOCABULARY = 59  # distinct characters in the chapter's corpus (chapter 8 prints it)


def _softmax(a):
    a = a - a.max(axis=-1, keepdims=True)
    e = np.exp(a)
    return e / e.sum(axis=-1, keepdims=True)


def _reference(scores, temperature):
    return _softmax(scores / temperature)


def _args(shape, temperature, seed, scale=2.0):
    def make():
        return np.random.default_rng(seed).normal(scale=scale, size=shape), float(temperature)

    return make


next_char_probs = FunctionProblem(
    CHAPTER,
    "next_char_probs",
    N_(
        "Write next_char_probs(scores, temperature) that turns the model's scores W h + b "
        "into the probabilities of the next character at a given temperature: "
        "p = softmax(scores / temperature) along the last axis. scores is (V,) for one "
        "sequence or (B, V) for a batch; temperature is a positive number. Make it safe for "
        "large scores, where exp overflows."
    ),
    params=("scores", "temperature"),
    returns=("p",),
    shapes={"p": N_("the shape of scores")},
    reference=_reference,
    cases=[
        Case(N_("one sequence, V = 6, temperature 1"), _args((6,), 1.0, 60)),
        Case(N_("a batch of 3, V = 5, temperature 0.5"), _args((3, 5), 0.5, 61)),
        Case(N_("temperature 2 spreads the probability"), _args((2, 4), 2.0, 62)),
        Case(
            N_("large scores (about 1000) at temperature 0.3, where exp overflows"),
            _args((2, 5), 0.3, 63, scale=1000.0),
        ),
    ],
    mistakes=[
        Mistake(
            "times_temperature",
            N_(
                "The temperature divides the scores: scores / "
                "temperature. Multiplying turns a low temperature into a flat "
                "distribution, the opposite of what it should do."
            ),
            lambda s, t: _softmax(s * t),
        ),
        Mistake(
            "not_normalised",
            N_("Your values do not add up to 1: divide exp(...) by its sum along the last axis."),
            lambda s, t: np.exp(s / t - (s / t).max(axis=-1, keepdims=True)),
        ),
        Mistake(
            "wrong_axis",
            N_(
                "For a batch (B, V) each row is one distribution: sum along "
                "the last axis, `axis=-1, keepdims=True`."
            ),
            lambda s, t: (lambda e: e / e.sum(axis=0, keepdims=True))(
                np.exp(s / t - (s / t).max())
            ),
        ),
        Mistake(
            "no_temperature",
            N_("The temperature is missing: divide the scores by it before the softmax."),
            lambda s, t: _softmax(s),
        ),
    ],
    hints=[
        N_(
            "Divide first: `a = scores / temperature`. The softmax is exp(a) divided by "
            "the sum of exp(a) along the last axis."
        ),
        N_(
            "Subtracting a row's maximum from a row of a changes nothing in the softmax but "
            "keeps exp from overflowing: `a = a - a.max(axis=-1, keepdims=True)`."
        ),
    ],
    starter="""def next_char_probs(scores, temperature):
    a = ____                 # the scores at this temperature
    e = ____                 # exp, safe from overflow
    return ____              # each row sums to 1""",
    solution="""def next_char_probs(scores, temperature):
    a = scores / temperature
    e = np.exp(a - a.max(axis=-1, keepdims=True))   # the largest entry becomes exp(0) = 1
    return e / e.sum(axis=-1, keepdims=True)""",
    explanation=N_(
        "This is what `charmodel.next_character_probabilities` does with the "
        "scores of the last hidden state (through `activations.softmax`)."
    ),
)


def _frequency_guess_loss() -> float:
    """Cross-entropy of guessing from the corpus's character frequencies (chapter 8's line)."""
    from ..charmodel import load_corpus

    _, counts = np.unique(list(load_corpus()), return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


chance_loss = ValueProblem(
    CHAPTER,
    "chance_loss",
    Template(
        N_(
            "The chapter's corpus has V = {vocabulary} distinct characters. The loss is the "
            "cross-entropy in nats per character (natural logarithm). What is the loss of a model "
            "that gives every character the same probability, 1/V?"
        ),
        vocabulary=VOCABULARY,
    ),
    expected=lambda: np.log(VOCABULARY),
    mistakes=[
        Mistake(
            "bits",
            N_("That is in bits (log base 2); the loss is in nats, with the natural logarithm."),
            lambda: np.log2(VOCABULARY),
        ),
        Mistake(
            "probability",
            N_("That is the probability 1/V itself; the loss is -log(1/V)."),
            1 / VOCABULARY,
        ),
        Mistake(
            "log10",
            N_("That is log base 10; nats use the natural logarithm, np.log."),
            lambda: np.log10(VOCABULARY),
        ),
        Mistake(
            "sign",
            N_("The loss is -log p, a positive number: -log(1/V) = log V."),
            lambda: -np.log(VOCABULARY),
        ),
        Mistake(
            "frequencies",
            N_(
                "That is the chapter's `chance` line: a guess that follows how often each "
                "character occurs. The question asks for a guess that gives every character "
                "the same probability 1/V."
            ),
            lambda: _frequency_guess_loss(),
        ),
    ],
    hints=[
        N_(
            "The cross-entropy of one character is -log p(the right character); here "
            "p = 1/V for every character."
        ),
        f"`np.log({VOCABULARY})`.",
    ],
    solution=f"answer = np.log({VOCABULARY})   # 4.078 nats per character",
    explanation=Template(
        N_(
            "ln V = {ln_v} is uniform guessing. The chapter's `chance` "
            "line, 3.202, is lower because it guesses from the character frequencies; a "
            "trained model must get well below both."
        ),
        ln_v=f"{np.log(VOCABULARY):.3f}",
    ),
)

cold_sampling = ChoiceProblem(
    CHAPTER,
    "cold_sampling",
    N_("What happens to the sampled text as the temperature goes towards 0?"),
    options={
        "a": N_("the model always picks its most likely next character"),
        "b": N_("every character becomes equally likely"),
        "c": N_("nothing: the temperature only rescales the scores, which softmax undoes"),
        "d": N_("the model stops writing"),
    },
    answer="a",
    feedback={
        "a": N_(
            "Dividing by a small temperature stretches the gaps between scores, and "
            "the largest score takes all the probability: the model recites the "
            "lines it knows best."
        ),
        "b": N_("That is the other end, a very high temperature, which flattens the scores."),
        "c": N_(
            "softmax is unchanged by adding a constant to every score, not by "
            "multiplying them: dividing by the temperature changes the gaps."
        ),
        "d": N_("It keeps writing, one character per step; it just always takes the top choice."),
    },
    hints=[
        N_(
            "Try scores [2, 1] at temperature 0.1: what are scores / temperature, and their softmax?"
        )
    ],
)

EXERCISES = (next_char_probs, chance_loss, cold_sampling)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
