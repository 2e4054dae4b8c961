"""Animations of one cell at work: the RNN cell, and the LSTM's four steps.

Each animation steps through a cell diagram: at every stage one more part of the path
is lit and the numbers it computes appear, taken from a real ``cells`` forward step
(by default :func:`~.examples.tiny_step`), with a numbered caption saying what happens
(wrapped onto a second line if it would not fit).
"""

from __future__ import annotations

import re

import numpy as np

from .._validate import choice
from .animations import CourseAnimation
from .cells_art import cell_values, draw_lstm, draw_rnn
from .examples import tiny_step
from .layouts import LSTM_LAYOUT, RNN_LAYOUT
from .style import FONT_SIZE

__all__ = ["rnn_cell_animation", "lstm_gate_animation", "LSTM_STAGES", "RNN_STAGES"]

_SCALE = 0.4

#: Each stage: (elements lit, values shown, caption). The RNN animation's value "a" is
#: the pre-activation, written beside the tanh layer.
RNN_STAGES = [
    (set(), set(), "Two inputs: $x_t$ and the previous hidden state $h_{t-1}$."),
    ("inputs", {"x", "h_prev"}, "Both arrive as vectors of numbers."),
    ("combine", {"x", "h_prev"}, "They are concatenated into one vector $[h_{t-1}, x_t]$."),
    ("tanh", {"x", "h_prev", "a"}, "Weights give the sum $a$; tanh squashes it into $(-1, 1)$."),
    ("output", {"x", "h_prev", "a", "h"}, "The new hidden state $h_t$ is also the output."),
]

LSTM_STAGES = {
    "forget": [
        ("inputs", {"x", "h_prev"}, "The previous hidden state $h_{t-1}$ and the input $x_t$ arrive."),
        ({"@inputs", "fork_f", "to_f", "box_f", "name_f"}, {"x", "h_prev"},
         "Concatenated, they go through the forget gate's sigmoid layer."),
        ({"@inputs", "fork_f", "to_f", "box_f", "name_f", "f", "f_out"}, {"x", "h_prev", "f"},
         "$f_t$: one number in $(0, 1)$ per entry of the cell state."),
        ("forget", {"x", "h_prev", "f", "c_prev", "f_c_prev"},
         "$f_t \\odot c_{t-1}$: near 0 erases an entry, near 1 keeps it."),
    ],
    "input": [
        ("inputs", {"x", "h_prev"}, "The same $[h_{t-1}, x_t]$ feeds two more layers."),
        ({"@inputs", "fork_f", "bus_i", "fork_i", "to_i", "box_i", "name_i", "i", "i_out"},
         {"x", "h_prev", "i"}, "Input gate (sigmoid): $i_t$ says which entries to update."),
        ({"@inputs", "fork_f", "bus_i", "fork_i", "bus_g", "fork_g", "to_g", "box_g", "name_g",
          "g", "g_out"}, {"x", "h_prev", "g"},
         "Candidate (tanh): $g_t$ proposes new values in $(-1, 1)$."),
        ("input", {"x", "h_prev", "i", "g", "i_g"},
         "$i_t \\odot g_t$: the part of the candidate that gets written."),
    ],
    "cell": [
        ({"c_in", "c_prev"}, {"c_prev"}, "The cell state $c_{t-1}$ runs along the top."),
        ({"c_in", "c_prev", "mul_f", "f_out", "f", "f_c_prev", "c_mid"},
         {"c_prev", "f", "f_c_prev"}, "First it is multiplied by the forget gate: $f_t \\odot c_{t-1}$."),
        ({"c_in", "c_prev", "mul_f", "f_out", "f", "f_c_prev", "c_mid", "mul_i", "ig_out", "i_g",
          "add"}, {"c_prev", "f", "f_c_prev", "i_g"}, "Then the gated candidate $i_t \\odot g_t$ is added."),
        ("cell", {"c_prev", "f", "f_c_prev", "i_g", "c"},
         "The sum is the new cell state: $c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$."),
    ],
    "output": [
        ("inputs", {"x", "h_prev"}, "$[h_{t-1}, x_t]$ goes through the output gate's sigmoid layer."),
        ({"@inputs", "fork_f", "bus_i", "fork_i", "bus_g", "fork_g", "bus_o", "box_o", "name_o",
          "o", "o_out"}, {"x", "h_prev", "o"}, "$o_t$ says which entries of the memory to show."),
        ({"c_out", "c", "fork_c", "c_to_tanh", "tanh_c", "tanh_to_mul", "o_out", "o"},
         {"c", "tanh_c", "o"}, "The new cell state is squashed: $\\tanh(c_t)$."),
        ("output", {"x", "h_prev", "o", "c", "tanh_c", "h"},
         "$h_t = o_t \\odot \\tanh(c_t)$: the output, and the next hidden state."),
    ],
}

_TITLES = {"forget": "Forget gate", "input": "Input gate", "cell": "Cell-state update",
           "output": "Output gate"}


def _caption(fig, y, number, caption, margin=0.03):
    """Write "``number``   ``caption``" centred at height ``y`` (figure fraction, text
    bottom), wrapped onto more lines where it would be wider than the figure less
    ``margin`` on each side; ``$...$`` math is never split."""
    words = re.findall(r"(?:\$[^$]*\$|[^\s$])+", caption)
    text = fig.text(0.5, y, "", ha="center", va="bottom", fontsize=FONT_SIZE["normal"],
                    gid="caption")
    renderer = fig.canvas.get_renderer()
    room = (1 - 2 * margin) * fig.bbox.width
    lines = [f"{number}   {words[0]}"]
    for word in words[1:]:
        text.set_text(f"{lines[-1]} {word}")
        if text.get_window_extent(renderer).width > room:
            lines.append(word)
        else:
            lines[-1] = text.get_text()
    text.set_text("\n".join(lines))
    return text


def _stage_animation(title, layout, draw, stages, cache, fps, extra=None):
    x0, x1 = layout["xlim"]
    y0, y1 = layout["ylim"]
    width, height = _SCALE * (x1 - x0), _SCALE * (y1 - y0) + 1.0
    n = len(stages)

    def frame(fig, k):
        lit, show, caption = stages[k]
        ax = fig.add_axes((0, 0.55 / height, 1, 1 - 1.0 / height))
        diagram = draw(ax, cache=cache, lit=lit or None, show=show)
        if extra is not None:
            extra(diagram, show)
        fig.text(0.5, 1 - 0.08 / height, title, ha="center", va="top",
                 fontsize=FONT_SIZE["title"], weight="bold")
        _caption(fig, 0.12 / height, f"{k + 1}/{n}", caption)

    return CourseAnimation(title, width, height, n, frame, fps=fps)


def _rnn_pre_activation(cache):
    """The RNN step's pre-activation ``a`` (``h = tanh(a)``), row 0, from its cache.

    ``cells.rnn_step`` keeps ``h`` but not ``a``, so ``a = artanh(h)``: far more
    precise than the two decimals written while ``h`` is not saturated; None once some
    ``|h|`` is within 1e-9 of 1 (then ``a`` cannot be recovered).
    """
    h = cell_values("rnn", cache)["h"]
    return np.arctanh(h) if np.all(np.abs(h) < 1 - 1e-9) else None


def _write_pre_activation(a):
    """A callback writing ``a`` beside the RNN's tanh layer on the frames that show it."""
    def extra(diagram, show):
        if a is None or "a" not in show:
            return
        if diagram.lit is not None:
            diagram.lit.add("a")
        x, y = diagram.nodes["box_tanh"].xy
        left = x - diagram.nodes["box_tanh"].half_w - 0.25
        diagram.value("a", (left, y - 0.2), a, "hidden", ha="right", va="top")
        diagram.label("a", (left - 0.35, y + 0.05), "$a$", "hidden", ha="center",
                      va="bottom")
    return extra


def rnn_cell_animation(cache=None, fps=0.8):
    """The RNN cell step by step: inputs, concatenation, tanh layer, new hidden state.

    ``cache`` is a ``cells.rnn_step`` cache (default: ``tiny_step("rnn")``). From the
    tanh stage on, the pre-activation ``a`` (``h_t = tanh(a)``) is written beside the
    layer.
    """
    cache = tiny_step("rnn") if cache is None else cache
    return _stage_animation("RNN cell", RNN_LAYOUT, draw_rnn, RNN_STAGES, cache, fps,
                            extra=_write_pre_activation(_rnn_pre_activation(cache)))


def lstm_gate_animation(gate: str, cache=None, fps=0.8):
    """One LSTM step, lit stage by stage, with the numbers of a real forward step.

    ``gate`` is "forget", "input", "cell" (the cell-state update) or "output";
    ``cache`` is a ``cells.lstm_step`` cache (default: ``tiny_step("lstm")``).
    """
    gate = choice("gate", gate, tuple(LSTM_STAGES))
    cache = tiny_step("lstm") if cache is None else cache
    return _stage_animation(f"LSTM: {_TITLES[gate].lower()}", LSTM_LAYOUT, draw_lstm,
                            LSTM_STAGES[gate], cache, fps)
