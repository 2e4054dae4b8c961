"""Exercises for chapter 7, LSTM or GRU: what each cell costs, and reading the race.

>>> from lstm_gru_course.exercises import compare as ex
>>> ex.count_parameters.evaluate(lambda gates, input_size, hidden_size:
...     gates * hidden_size * (input_size + hidden_size + 2)).status
'correct'
"""

from __future__ import annotations

from ..i18n import N_
from ._core import Mistake, progress_text
from ._function import Case, FunctionProblem
from ._kinds import ChoiceProblem, ValueProblem

CHAPTER = "compare"


def _count(gates, input_size, hidden_size):
    return (
        gates * hidden_size * input_size
        + gates * hidden_size * hidden_size
        + 2 * gates * hidden_size
    )


def _args(gates, input_size, hidden_size):
    return lambda: (gates, input_size, hidden_size)


count_parameters = FunctionProblem(
    CHAPTER,
    "count_parameters",
    N_(
        "Write count_parameters(gates, input_size, hidden_size) that returns how many numbers "
        "one layer learns in the course's (PyTorch's) layout, with gates = 1 for the RNN, 4 "
        "for the LSTM and 3 for the GRU: weight_ih (gates*H, I), weight_hh (gates*H, H), "
        "bias_ih and bias_hh (gates*H,) each."
    ),
    params=("gates", "input_size", "hidden_size"),
    returns=("count",),
    reference=_count,
    cases=[
        Case(N_("an LSTM with I = 32, H = 128, as in the chapter's table"), _args(4, 32, 128)),
        Case(N_("a GRU with I = 10, H = 20"), _args(3, 10, 20)),
        Case(N_("an RNN with I = 3, H = 5"), _args(1, 3, 5)),
        Case(N_("an LSTM with I = H = 1"), _args(4, 1, 1)),
    ],
    mistakes=[
        Mistake(
            "one_bias",
            N_(
                "PyTorch's layout keeps two bias vectors, bias_ih and bias_hh, "
                "of gates*H numbers each; you counted one."
            ),
            lambda g, i, h: g * h * (i + h) + g * h,
        ),
        Mistake(
            "no_biases",
            N_("You counted the weights only; add the two bias vectors."),
            lambda g, i, h: g * h * (i + h),
        ),
        Mistake(
            "gates_once",
            N_(
                "Every gate block has its own weights: multiply the whole count of one block by gates."
            ),
            lambda g, i, h: g * h * i + h * h + 2 * h,
        ),
        Mistake(
            "square_input",
            N_("weight_ih is (gates*H, I), not (gates*H, H): it meets the input."),
            lambda g, i, h: g * h * 2 * h + 2 * g * h,
        ),
    ],
    hints=[
        N_(
            "Add up the sizes of the four arrays: a matrix of shape (m, n) holds m * n "
            "numbers, a vector of shape (m,) holds m."
        ),
        N_("`gates * H * I + gates * H * H + 2 * gates * H`."),
    ],
    starter="""def count_parameters(gates, input_size, hidden_size):
    return ____""",
    solution="""def count_parameters(gates, input_size, hidden_size):
    H, I = hidden_size, input_size
    return gates * H * I + gates * H * H + 2 * gates * H   # weights, then two biases""",
    explanation=N_(
        "Every term has the factor gates, so a GRU has exactly three quarters of "
        "an LSTM's parameters at any size: the ratio in the chapter's table."
    ),
)

step_time = ValueProblem(
    CHAPTER,
    "step_time",
    N_(
        "Suppose a step's time is proportional to its multiply-adds, gates * H * (I + H). "
        "An LSTM step takes 2.4 ms on some machine. How many milliseconds would a GRU step "
        "with the same I and H take?"
    ),
    expected=2.4 * 3 / 4,
    mistakes=[
        Mistake(
            "inverted",
            N_(
                "You scaled the wrong way: the GRU has fewer blocks (3 against "
                "4), so it takes less time, 3/4 of the LSTM's."
            ),
            2.4 * 4 / 3,
        ),
        Mistake(
            "quarter",
            N_(
                "That is one quarter of the LSTM's time: the time the GRU "
                "saves (or a plain RNN's time, 1 block of 4). The GRU has 3 blocks."
            ),
            2.4 / 4,
        ),
        Mistake(
            "half", N_("The GRU has 3 gate blocks against the LSTM's 4, not half as many."), 1.2
        ),
    ],
    hints=[
        N_(
            "The sizes I and H are the same, so only the number of gate blocks differs: "
            "3 for the GRU, 4 for the LSTM."
        ),
        N_("`2.4 * 3 / 4`."),
    ],
    solution="answer = 2.4 * 3 / 4   # 1.8 ms",
    explanation=N_(
        "The measured ratios in the chapter were between 0.74 and 0.86, the highest with "
        "one sequence, where the fixed cost of each call weighs more than the arithmetic."
    ),
)

always_x = ValueProblem(
    CHAPTER,
    "always_x",
    N_(
        "A held-out set has 512 sequences; 238 of them start with y and the others with x. "
        "A network that has learned nothing answers x to every sequence. What share of the "
        "held-out set does it answer right, as a fraction between 0 and 1?"
    ),
    expected=(512 - 238) / 512,
    mistakes=[
        Mistake(
            "one_half",
            N_(
                "Chance is not always one half: a network that always answers x "
                "is right exactly for the sequences that start with x."
            ),
            0.5,
        ),
        Mistake(
            "the_y_share",
            N_("That is the share of sequences that start with y; this network answers x."),
            238 / 512,
        ),
        Mistake(
            "percent",
            N_("Give the share as a fraction between 0 and 1, not a percentage."),
            100 * (512 - 238) / 512,
        ),
    ],
    hints=[N_("How many of the 512 sequences start with x?"), N_("`(512 - 238) / 512`.")],
    solution="answer = (512 - 238) / 512   # 0.5352",
    explanation=N_(
        "This is why the chapter's tables show a chance column per task and lag: "
        "a score near 0.53 here means the network learned nothing."
    ),
)

what_mattered = ChoiceProblem(
    CHAPTER,
    "what_mattered",
    N_(
        "In the chapter's runs at lag 100 (three tasks, three seeds each), which difference "
        "between networks changed the results the most?"
    ),
    options={
        "a": N_("LSTM against GRU, with the same initialisation"),
        "b": N_(
            "the keep gate's bias starting open (a positive bias, here 3) against PyTorch's "
            "initialisation"
        ),
        "c": N_("the random seed"),
        "d": N_("float64 against float32"),
    },
    answer="b",
    feedback={
        "a": N_(
            "The biased LSTM and the biased GRU each won some tasks: the results "
            "were mixed, and much closer than default against biased."
        ),
        "b": N_(
            "With PyTorch's initialisation neither cell learned anything at lag 100; "
            "with the keep gate open at the start both did. The gap between the two "
            "versions of each cell was far larger than the gap between the cells."
        ),
        "c": N_(
            "Seeds changed when a biased network got there, but not whether the "
            "default networks did: those stayed at chance in every seed."
        ),
        "d": N_("The chapter's training runs did not vary the precision at all."),
    },
    hints=[
        N_(
            "Look at the table's `solved` column at lag 100: which networks solved "
            "something, and which never did?"
        )
    ],
)

EXERCISES = (count_parameters, step_time, always_x, what_mattered)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
