"""Exercises for chapter 7, LSTM or GRU: what each cell costs, and reading the race.

>>> from lstm_gru_course.exercises import compare as ex
>>> ex.count_parameters.evaluate(lambda gates, input_size, hidden_size:
...     gates * hidden_size * (input_size + hidden_size + 2)).status
'correct'
"""

from __future__ import annotations

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
    "Write count_parameters(gates, input_size, hidden_size) that returns how many numbers "
    "one layer learns in the course's (PyTorch's) layout, with gates = 1 for the RNN, 4 "
    "for the LSTM and 3 for the GRU: weight_ih (gates*H, I), weight_hh (gates*H, H), "
    "bias_ih and bias_hh (gates*H,) each.",
    params=("gates", "input_size", "hidden_size"),
    returns=("count",),
    reference=_count,
    cases=[
        Case("an LSTM with I = 32, H = 128, as in the chapter's table", _args(4, 32, 128)),
        Case("a GRU with I = 10, H = 20", _args(3, 10, 20)),
        Case("an RNN with I = 3, H = 5", _args(1, 3, 5)),
        Case("an LSTM with I = H = 1", _args(4, 1, 1)),
    ],
    mistakes=[
        Mistake(
            "one_bias",
            "PyTorch's layout keeps two bias vectors, bias_ih and bias_hh, "
            "of gates*H numbers each; you counted one.",
            lambda g, i, h: g * h * (i + h) + g * h,
        ),
        Mistake(
            "no_biases",
            "You counted the weights only; add the two bias vectors.",
            lambda g, i, h: g * h * (i + h),
        ),
        Mistake(
            "gates_once",
            "Every gate block has its own weights: multiply the whole count of one block by gates.",
            lambda g, i, h: g * h * i + h * h + 2 * h,
        ),
        Mistake(
            "square_input",
            "weight_ih is (gates*H, I), not (gates*H, H): it meets the input.",
            lambda g, i, h: g * h * 2 * h + 2 * g * h,
        ),
    ],
    hints=[
        "Add up the sizes of the four arrays: a matrix of shape (m, n) holds m * n "
        "numbers, a vector of shape (m,) holds m.",
        "`gates * H * I + gates * H * H + 2 * gates * H`.",
    ],
    starter="""def count_parameters(gates, input_size, hidden_size):
    return ____""",
    solution="""def count_parameters(gates, input_size, hidden_size):
    H, I = hidden_size, input_size
    return gates * H * I + gates * H * H + 2 * gates * H   # weights, then two biases""",
    explanation="Every term has the factor gates, so a GRU has exactly three quarters of "
    "an LSTM's parameters at any size: the ratio in the chapter's table.",
)

step_time = ValueProblem(
    CHAPTER,
    "step_time",
    "Suppose a step's time is proportional to its multiply-adds, gates * H * (I + H). "
    "An LSTM step takes 2.4 ms on some machine. How many milliseconds would a GRU step "
    "with the same I and H take?",
    expected=2.4 * 3 / 4,
    mistakes=[
        Mistake(
            "inverted",
            "You scaled the wrong way: the GRU has fewer blocks (3 against "
            "4), so it takes less time, 3/4 of the LSTM's.",
            2.4 * 4 / 3,
        ),
        Mistake(
            "quarter",
            "That is one quarter of the LSTM's time: the time the GRU "
            "saves (or a plain RNN's time, 1 block of 4). The GRU has 3 blocks.",
            2.4 / 4,
        ),
        Mistake("half", "The GRU has 3 gate blocks against the LSTM's 4, not half as many.", 1.2),
    ],
    hints=[
        "The sizes I and H are the same, so only the number of gate blocks differs: "
        "3 for the GRU, 4 for the LSTM.",
        "`2.4 * 3 / 4`.",
    ],
    solution="answer = 2.4 * 3 / 4   # 1.8 ms",
    explanation="The measured ratios in the chapter were between 0.75 and 0.9: at small "
    "sizes the fixed cost of each call weighs more than the arithmetic.",
)

always_x = ValueProblem(
    CHAPTER,
    "always_x",
    "A held-out set has 512 sequences; 238 of them start with y and the others with x. "
    "A network that has learned nothing answers x to every sequence. What share of the "
    "held-out set does it answer right, as a fraction between 0 and 1?",
    expected=(512 - 238) / 512,
    mistakes=[
        Mistake(
            "one_half",
            "Chance is not always one half: a network that always answers x "
            "is right exactly for the sequences that start with x.",
            0.5,
        ),
        Mistake(
            "the_y_share",
            "That is the share of sequences that start with y; this network answers x.",
            238 / 512,
        ),
        Mistake(
            "percent",
            "Give the share as a fraction between 0 and 1, not a percentage.",
            100 * (512 - 238) / 512,
        ),
    ],
    hints=["How many of the 512 sequences start with x?", "`(512 - 238) / 512`."],
    solution="answer = (512 - 238) / 512   # 0.5352",
    explanation="This is why the chapter's tables show a chance column per task and lag: "
    "a score near 0.53 here means the network learned nothing.",
)

what_mattered = ChoiceProblem(
    CHAPTER,
    "what_mattered",
    "In the chapter's runs at lag 100 (three tasks, three seeds each), which difference "
    "between networks changed the results the most?",
    options={
        "a": "LSTM against GRU, with the same initialisation",
        "b": "the keep gate's bias starting open (a positive bias, here 3) against PyTorch's "
        "initialisation",
        "c": "the random seed",
        "d": "float64 against float32",
    },
    answer="b",
    feedback={
        "a": "The biased LSTM and the biased GRU each won some tasks: the results "
        "were mixed, and much closer than default against biased.",
        "b": "With PyTorch's initialisation neither cell learned anything at lag 100; "
        "with the keep gate open at the start both did. The gap between the two "
        "versions of each cell was far larger than the gap between the cells.",
        "c": "Seeds changed when a biased network got there, but not whether the "
        "default networks did: those stayed at chance in every seed.",
        "d": "The chapter's training runs did not vary the precision at all.",
    },
    hints=[
        "Look at the table's `solved` column at lag 100: which networks solved "
        "something, and which never did?"
    ],
)

EXERCISES = (count_parameters, step_time, always_x, what_mattered)


def progress() -> None:
    """Print your progress in this chapter: exercise, done, attempts."""
    print(progress_text([CHAPTER]))
