"""Explorers: interactive widgets that make each gate something you can turn and watch.

Each explorer is a pure ``compute_*`` function (settings -> data), a ``draw_*`` function
(data -> matplotlib axes) and a function that wires ipywidgets' built-in controls to
them and returns an :class:`~._base.Explorer` (an ``ipywidgets.VBox``):

1. :func:`repeated_multiplication`: a value multiplied by w for n steps, with and without tanh;
2. :func:`sigmoid_gate`: a vector times a gate, sliding the gate's pre-activation;
3. :func:`vanishing_gradients`: gradient size at each distance, RNN against LSTM and GRU;
4. :func:`lstm_step`: one LSTM step on the cell diagram, with presets;
5. :func:`gru_step`: one GRU step, PyTorch or Cho et al. form;
6. :func:`memory_span`: train on remember-the-first-symbol (button), watch the learning curve;
7. :func:`text_generation`: temperature and prompt for a small character model.

The ``*_small_multiples`` / ``*_figure`` functions draw the static companion of each
explorer: what it shows, at a few settings, for the book read without a kernel.
Pictures go into a ``widgets.Image`` and text into a ``widgets.HTML``, by setting their
``value``: nothing is printed while a cell runs, and the saved widget state holds the
last picture, so the static book shows it.

>>> explorer = sigmoid_gate()
>>> explorer.controls["pre_activation"].value = -4.0     # what moving the slider does
>>> "erases" in explorer.readout.value
True
"""

from ._base import Explorer, as_image, figure_png
from .cell_step import (
    CONVENTIONS,
    GRU_PRESETS,
    LSTM_PRESETS,
    compute_gru_step,
    compute_lstm_step,
    gru_presets_figure,
    gru_step,
    lstm_presets_figure,
    lstm_step,
)
from .sampling import (
    compute_text_generation,
    draw_next_character,
    temperature_samples,
    text_generation,
)
from .span import (
    compute_memory_span,
    draw_memory_span,
    memory_span,
    memory_span_small_multiples,
)
from .squashing import (
    compute_repeated_multiplication,
    compute_sigmoid_gate,
    draw_repeated_multiplication,
    draw_sigmoid_gate,
    repeated_multiplication,
    repeated_multiplication_small_multiples,
    sigmoid_gate,
    sigmoid_gate_small_multiples,
)
from .vanishing import (
    compute_vanishing_gradients,
    draw_vanishing_gradients,
    vanishing_gradients,
    vanishing_gradients_small_multiples,
)

__all__ = [
    "Explorer",
    "as_image",
    "figure_png",
    "repeated_multiplication",
    "compute_repeated_multiplication",
    "draw_repeated_multiplication",
    "repeated_multiplication_small_multiples",
    "sigmoid_gate",
    "compute_sigmoid_gate",
    "draw_sigmoid_gate",
    "sigmoid_gate_small_multiples",
    "vanishing_gradients",
    "compute_vanishing_gradients",
    "draw_vanishing_gradients",
    "vanishing_gradients_small_multiples",
    "lstm_step",
    "gru_step",
    "compute_lstm_step",
    "compute_gru_step",
    "LSTM_PRESETS",
    "GRU_PRESETS",
    "CONVENTIONS",
    "lstm_presets_figure",
    "gru_presets_figure",
    "memory_span",
    "compute_memory_span",
    "draw_memory_span",
    "memory_span_small_multiples",
    "text_generation",
    "compute_text_generation",
    "draw_next_character",
    "temperature_samples",
]
