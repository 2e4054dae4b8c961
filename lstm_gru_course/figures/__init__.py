"""Figures and animations of the course, all drawn from the package's own numbers.

One visual language everywhere (see :mod:`.style` and :mod:`.diagrams`): layers are
boxes, pointwise operations circles, copies dots, concatenations small squares; the
LSTM's cell state runs along the top; each role (forget, input, candidate, output,
update, reset, cell state, hidden state) has one colour-blind-safe colour.

Importing this subpackage imports matplotlib (never pyplot); the numeric core does not.
Figures are returned as ``matplotlib.figure.Figure`` objects (display them by leaving
them last in a notebook cell, or ``fig.savefig(...)``); animations as
:class:`~.animations.CourseAnimation` objects, which Jupyter shows as a JavaScript
player (``to_html(anim)`` gives an ``IPython.display.HTML``).

The article's illustrations, in its order:

1. :func:`gradient_update_figure`          9. ``times_three_animation(squash=True)``
2. :func:`lstm_gru_side_by_side`          10. :func:`lstm_cell_figure`
3. :func:`review_animation`               11. :func:`sigmoid_animation`
4. :func:`sequence_animation`             12-15. ``lstm_gate_animation(gate)`` for
5. :func:`hidden_state_animation`                "forget", "input", "cell", "output"
6. :func:`rnn_cell_animation`             16. :func:`gru_cell_figure` (``lit="update"``,
7. :func:`tanh_animation`                        ``lit="reset"``)
8. ``times_three_animation()``

plus :func:`palette_figure` (the colour key), :func:`rnn_cell_figure`,
:func:`rnn_rolled_unrolled_figure` (the RNN with its loop, and unrolled),
:func:`lstm_chain_figure` (LSTM cells over time, the cell state as a conveyor belt), and the plots :func:`plot_gradient_norm_vs_distance`,
:func:`plot_gate_heatmap`, :func:`plot_training_curves`.
"""

from .animations import DPI, MAX_BYTES, MAX_FRAMES, CourseAnimation, to_html, to_jshtml
from .cell_animations import lstm_gate_animation, rnn_cell_animation
from .cells_art import (
    cell_values,
    draw_gru,
    draw_lstm,
    draw_rnn,
    gru_cell_figure,
    lstm_cell_figure,
    lstm_gru_side_by_side,
    rnn_cell_figure,
)
from .chains import lstm_chain_figure, rnn_rolled_unrolled_figure
from .curves import sigmoid_animation, tanh_animation, times_three_animation
from .diagrams import format_vector
from .examples import tiny_step
from .plots import (
    gradient_update_figure,
    palette_figure,
    plot_gate_heatmap,
    plot_gradient_norm_vs_distance,
    plot_training_curves,
    plot_update_step,
    role_colormap,
)
from .stories import (
    REVIEW,
    REVIEW_KEYWORDS,
    hidden_state_animation,
    review_animation,
    sequence_animation,
    word_vectors,
)
from .style import (
    MODEL_STYLES,
    ROLE_FILL,
    ROLE_INK,
    ROLE_NAMES,
    ROLES,
    course_style,
    new_figure,
    role_color,
)

__all__ = [
    "gradient_update_figure",
    "lstm_gru_side_by_side",
    "review_animation",
    "sequence_animation",
    "hidden_state_animation",
    "rnn_cell_animation",
    "tanh_animation",
    "times_three_animation",
    "lstm_cell_figure",
    "sigmoid_animation",
    "lstm_gate_animation",
    "gru_cell_figure",
    "rnn_cell_figure",
    "rnn_rolled_unrolled_figure",
    "lstm_chain_figure",
    "plot_gradient_norm_vs_distance",
    "plot_gate_heatmap",
    "plot_training_curves",
    "plot_update_step",
    "role_colormap",
    "palette_figure",
    "draw_rnn",
    "draw_lstm",
    "draw_gru",
    "cell_values",
    "format_vector",
    "tiny_step",
    "word_vectors",
    "REVIEW",
    "REVIEW_KEYWORDS",
    "CourseAnimation",
    "to_html",
    "to_jshtml",
    "MAX_FRAMES",
    "MAX_BYTES",
    "DPI",
    "ROLES",
    "ROLE_NAMES",
    "ROLE_FILL",
    "ROLE_INK",
    "MODEL_STYLES",
    "role_color",
    "course_style",
    "new_figure",
]
