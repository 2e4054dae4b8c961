"""Explorers 4 and 5: one LSTM step and one GRU step, with the numbers on the cell diagram.

The learner chooses x_t, h_{t-1} (and c_{t-1} for the LSTM) and the bias of every gate,
or a preset ("forget everything", "protect the memory", ...), and sees every gate and
the new state written on the diagram of :mod:`lstm_gru_course.figures.cells_art`.
The weights and the default values are those of ``figures.examples.tiny_step``, so the
explorer starts from exactly the numbers the book's figures show (sizes I = H = 2).
The diagram is drawn once; each update rewrites only its numbers.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import cells
from .._validate import choice, finite_number
from ..figures.cells_art import cell_values, gru_cell_figure, lstm_cell_figure
from ..figures.diagrams import format_vector
from ..figures.examples import tiny_step
from ..figures.style import FONT_SIZE, ROLE_FILL, ROLE_INK, course_style, new_figure
from ._base import Explorer, figure_png, role_span, slider_style, vector

__all__ = [
    "compute_lstm_step",
    "compute_gru_step",
    "lstm_step",
    "gru_step",
    "LSTM_PRESETS",
    "GRU_PRESETS",
    "CONVENTIONS",
    "lstm_presets_figure",
    "gru_presets_figure",
]

H = 2
_LSTM_GATES = (("i", "input"), ("f", "forget"), ("g", "candidate"), ("o", "output"))
_GRU_GATES = (("r", "reset"), ("z", "update"), ("n", "candidate"))


def _example_forget_bias() -> float:
    """The forget-gate bias of the book's worked example (``tiny_step``), read off its step:
    ``b_f = logit(f) − (W_if x + W_hf h)`` in slot 1 (the example's biases fill whole blocks)."""
    tiny = tiny_step("lstm")
    pre = (
        tiny["weight_ih"][H : 2 * H] @ tiny["x"][0]
        + tiny["weight_hh"][H : 2 * H] @ tiny["h_prev"][0]
    )
    f = tiny["f"][0, 0]
    return round(float(np.log(f / (1.0 - f)) - pre[0]), 6)


_EXAMPLE_F = _example_forget_bias()

#: Gate biases of each LSTM preset (i, f, g, o), added to ``bias_ih``. ±12 outweighs the
#: worked example's own pre-activations (up to about ±5), so a preset gate is shut or open.
LSTM_PRESETS = {
    "the book's tiny example": {"i": 0.0, "f": _EXAMPLE_F, "g": 0.0, "o": 0.0},
    "forget everything (f ≈ 0)": {"i": 0.0, "f": -12.0, "g": 0.0, "o": 0.0},
    "write strongly (i ≈ 1, g ≈ 1)": {"i": 12.0, "f": _EXAMPLE_F, "g": 3.0, "o": 0.0},
    "protect the memory (f ≈ 1, i ≈ 0)": {"i": -12.0, "f": 12.0, "g": 0.0, "o": 0.0},
    "hide the memory (o ≈ 0)": {"i": 0.0, "f": _EXAMPLE_F, "g": 0.0, "o": -12.0},
}
#: Gate biases of each GRU preset (r, z, n), added to ``bias_ih``.
GRU_PRESETS = {
    "the book's tiny example": {"r": 0.0, "z": 0.0, "n": 0.0},
    "keep the old state (z ≈ 1)": {"r": 0.0, "z": 12.0, "n": 0.0},
    "take the candidate (z ≈ 0)": {"r": 0.0, "z": -12.0, "n": 0.0},
    "ignore the past (r ≈ 0, z ≈ 0)": {"r": -12.0, "z": -12.0, "n": 0.0},
}
#: The two GRU conventions the switch offers: label -> ``reset`` argument of ``cells.gru_step``.
CONVENTIONS = {
    "PyTorch: reset after the matmul": "after",
    "Cho et al. 2014: reset before": "before",
}
_CUSTOM = "(your own biases)"


def _pick(name, tiny, key, index, value):
    """The control's value, or the tiny example's entry when ``value`` is None."""
    return tiny[key][0, index] if value is None else finite_number(name, value)


def _biases(gates, values):
    bias = np.zeros(len(gates) * H)
    for block, (symbol, _) in enumerate(gates):
        bias[block * H : (block + 1) * H] = finite_number(f"bias_{symbol}", values[symbol])
    return bias


def compute_lstm_step(
    x_1=None,
    x_2=None,
    h_1=None,
    h_2=None,
    c_1=None,
    c_2=None,
    bias_i=0.0,
    bias_f=None,
    bias_g=0.0,
    bias_o=0.0,
) -> dict:
    """One ``cells.lstm_step`` with the tiny example's weights; returns its cache.

    x_t = (x_1, x_2), h_{t-1} = (h_1, h_2), c_{t-1} = (c_1, c_2) (None: the tiny
    example's value); ``bias_<gate>`` goes into every entry of that gate's block of
    ``bias_ih`` (``bias_hh`` is 0); ``bias_f=None`` is the example's own forget bias.
    Shapes: x, h, c (1, 2); weight_ih (8, 2), weight_hh (8, 2).

    >>> cache = compute_lstm_step(bias_f=-40.0)
    >>> bool(np.allclose(cache["c"], cache["i"] * cache["g"]))
    True
    """
    tiny = tiny_step("lstm")
    x = np.array([[_pick("x_1", tiny, "x", 0, x_1), _pick("x_2", tiny, "x", 1, x_2)]])
    h = np.array([[_pick("h_1", tiny, "h_prev", 0, h_1), _pick("h_2", tiny, "h_prev", 1, h_2)]])
    c = np.array([[_pick("c_1", tiny, "c_prev", 0, c_1), _pick("c_2", tiny, "c_prev", 1, c_2)]])
    bias_f = _EXAMPLE_F if bias_f is None else bias_f
    bias = _biases(_LSTM_GATES, {"i": bias_i, "f": bias_f, "g": bias_g, "o": bias_o})
    return cells.lstm_step(x, h, c, tiny["weight_ih"], tiny["weight_hh"], bias, np.zeros(4 * H))[2]


def compute_gru_step(
    x_1=None, x_2=None, h_1=None, h_2=None, bias_r=0.0, bias_z=0.0, bias_n=0.0, convention="after"
) -> dict:
    """One ``cells.gru_step`` with the tiny example's weights; returns its cache.

    ``convention`` is "after" (PyTorch: ``n = tanh(W_in x + b_in + r*(W_hn h + b_hn))``)
    or "before" (Cho et al. 2014: ``n = tanh(W_in x + b_in + W_hn (r*h) + b_hn)``);
    a label of ``CONVENTIONS`` is accepted too. Other arguments as in
    :func:`compute_lstm_step`. Shapes: x, h (1, 2); weight_ih (6, 2), weight_hh (6, 2).

    >>> cache = compute_gru_step(bias_z=40.0)
    >>> bool(np.allclose(cache["h"], cache["h_prev"]))
    True
    """
    reset = choice("convention", CONVENTIONS.get(convention, convention), ("after", "before"))
    tiny = tiny_step("gru", reset=reset)
    x = np.array([[_pick("x_1", tiny, "x", 0, x_1), _pick("x_2", tiny, "x", 1, x_2)]])
    h = np.array([[_pick("h_1", tiny, "h_prev", 0, h_1), _pick("h_2", tiny, "h_prev", 1, h_2)]])
    bias = _biases(_GRU_GATES, {"r": bias_r, "z": bias_z, "n": bias_n})
    return cells.gru_step(
        x, h, tiny["weight_ih"], tiny["weight_hh"], bias, np.zeros(3 * H), reset=reset
    )[1]


def _percent(values) -> str:
    return " and ".join(f"{100 * v:.0f}%" for v in np.ravel(values))


def _lstm_readout(cache) -> str:
    v = cell_values("lstm", cache)
    return "<br>".join(
        [
            f"{role_span('forget', 'forget gate f = ' + vector(v['f']))}: keeps {_percent(v['f'])}"
            f" of the old memory c<sub>t−1</sub> = {vector(v['c_prev'])}.",
            f"{role_span('input', 'input gate i = ' + vector(v['i']))} writes {_percent(v['i'])} of "
            f"the {role_span('candidate', 'candidate g = ' + vector(v['g']))}.",
            role_span(
                "cell", "new memory c<sub>t</sub> = f·c<sub>t−1</sub> + i·g = " + vector(v["c"])
            )
            + ".",
            f"{role_span('output', 'output gate o = ' + vector(v['o']))} shows {_percent(v['o'])} "
            f"of tanh(c<sub>t</sub>): {role_span('hidden', 'h<sub>t</sub> = ' + vector(v['h']))}.",
        ]
    )


def _gru_readout(cache) -> str:
    v = cell_values("gru", cache)
    return "<br>".join(
        [
            f"{role_span('reset', 'reset gate r = ' + vector(v['r']))}: lets {_percent(v['r'])} of "
            f"the past into the {role_span('candidate', 'candidate n = ' + vector(v['n']))}.",
            f"{role_span('update', 'update gate z = ' + vector(v['z']))}: keeps {_percent(v['z'])} of "
            f"h<sub>t−1</sub> = {vector(v['h_prev'])}, takes the rest from n.",
            role_span("hidden", "h<sub>t</sub> = (1 − z)·n + z·h<sub>t−1</sub> = " + vector(v["h"]))
            + ".",
        ]
    )


class _Diagram:
    """A cell figure drawn once; :meth:`png` rewrites its numbers and renders it."""

    def __init__(self, cell, make_figure, cache):
        self.cell = cell
        with course_style():
            self.figure = make_figure(cache)
        self.texts = {
            t.get_gid()[len("value:") :]: t
            for t in self.figure.axes[0].texts
            if (t.get_gid() or "").startswith("value:")
        }

    def png(self, cache) -> bytes:
        for name, values in cell_values(self.cell, cache).items():
            if name in self.texts:
                self.texts[name].set_text(format_vector(values, column=True))
        with course_style():
            return figure_png(self.figure)


def _slider(description, value, low, high, role=None):
    return widgets.FloatSlider(
        value=float(value),
        min=low,
        max=high,
        step=0.1,
        description=description,
        continuous_update=False,
        style=slider_style(role),
        layout=widgets.Layout(width="300px"),
    )


def _state_sliders(tiny, with_cell):
    controls = {}
    for k in (0, 1):
        controls[f"x_{k + 1}"] = _slider(f"xₜ[{k + 1}]", tiny["x"][0, k], -3, 3)
    for k in (0, 1):
        controls[f"h_{k + 1}"] = _slider(f"hₜ₋₁[{k + 1}]", tiny["h_prev"][0, k], -1, 1, "hidden")
    if with_cell:
        for k in (0, 1):
            controls[f"c_{k + 1}"] = _slider(f"cₜ₋₁[{k + 1}]", tiny["c_prev"][0, k], -3, 3, "cell")
    return controls


def _wire_presets(explorer, presets, gates):
    """Choosing a preset sets the bias sliders (one redraw); moving one marks "custom"."""
    preset = explorer.controls["preset"]
    applying = [False]

    def apply(change):
        if change["new"] == _CUSTOM:
            return
        applying[0] = True
        try:
            with explorer.hold():
                for symbol, _ in gates:
                    explorer.controls[f"bias_{symbol}"].value = presets[change["new"]][symbol]
        finally:
            applying[0] = False

    def mark_custom(change):
        if not applying[0] and preset.value != _CUSTOM:
            chosen = presets.get(preset.value, {})
            if any(explorer.controls[f"bias_{s}"].value != chosen.get(s) for s, _ in gates):
                preset.value = _CUSTOM

    preset.observe(apply, names="value")
    for symbol, _ in gates:
        explorer.controls[f"bias_{symbol}"].observe(mark_custom, names="value")


def _cell_explorer(
    title, help_text, presets, gates, tiny, with_cell, extra, compute, diagrams, readout
):
    first = next(iter(presets))
    controls = {
        "preset": widgets.Dropdown(
            options=[*presets, _CUSTOM],
            value=first,
            description="preset",
            layout=widgets.Layout(width="420px"),
        )
    }
    controls.update(extra)
    controls.update(_state_sliders(tiny, with_cell))
    for symbol, role in gates:
        controls[f"bias_{symbol}"] = _slider(
            f"bias {symbol} ({role})", presets[first][symbol], -12, 12, role
        )
    state = [c for name, c in controls.items() if name[:2] in ("x_", "h_", "c_")]
    biases = [controls[f"bias_{s}"] for s, _ in gates]
    rows = [
        controls["preset"],
        *extra.values(),
        widgets.HBox(
            [
                widgets.VBox([widgets.HTML("<b>inputs and previous state</b>"), *state]),
                widgets.VBox([widgets.HTML("<b>gate biases</b>"), *biases]),
            ]
        ),
    ]

    def refresh(settings):
        settings = {k: v for k, v in settings.items() if k != "preset"}
        cache = compute(**settings)
        diagram = diagrams(settings)
        png = diagram.png(cache)
        explorer.diagram, explorer.cache = diagram, cache
        return png, readout(cache)

    explorer = Explorer(
        title,
        controls,
        rows,
        refresh,
        live=[name for name in controls if name != "preset"],
        help_text=help_text,
    )
    _wire_presets(explorer, presets, gates)
    explorer.update()
    return explorer


def lstm_step() -> Explorer:
    """Explorer 4: one LSTM step; choose x_t, h_{t-1}, c_{t-1} and the gate biases (or a preset).

    After each update, ``explorer.cache`` is the step's ``cells.lstm_step`` cache and
    ``explorer.diagram.texts`` the numbers written on the picture, by name.
    """
    tiny = tiny_step("lstm")
    diagram = _Diagram("lstm", lstm_cell_figure, tiny)
    return _cell_explorer(
        "One LSTM step, with its numbers",
        "Pick a preset or move the sliders: the numbers on "
        "the diagram are those of <code>cells.lstm_step</code> (I = H = 2).",
        LSTM_PRESETS,
        _LSTM_GATES,
        tiny,
        True,
        {},
        compute_lstm_step,
        lambda settings: diagram,
        _lstm_readout,
    )


def gru_step() -> Explorer:
    """Explorer 5: one GRU step, with a switch between the PyTorch and the Cho et al. forms.

    ``explorer.cache`` and ``explorer.diagram`` as in :func:`lstm_step`.
    """
    tiny = tiny_step("gru")
    diagrams = {}

    def diagram(settings):
        reset = CONVENTIONS[settings["convention"]]
        if reset not in diagrams:
            diagrams[reset] = _Diagram(
                "gru",
                lambda cache: gru_cell_figure(cache, reset=reset),
                tiny_step("gru", reset=reset),
            )
        return diagrams[reset]

    switch = {
        "convention": widgets.ToggleButtons(
            options=list(CONVENTIONS),
            value=next(iter(CONVENTIONS)),
            description="reset gate",
            style={"button_width": "220px"},
        )
    }
    return _cell_explorer(
        "One GRU step, with its numbers",
        "Pick a preset or move the sliders: the numbers on "
        "the diagram are those of <code>cells.gru_step</code> (I = H = 2).",
        GRU_PRESETS,
        _GRU_GATES,
        tiny,
        False,
        switch,
        compute_gru_step,
        diagram,
        _gru_readout,
    )


# ---------------------------------------------------------------- static companions


def _presets_figure(title, presets, compute, quantities):
    """One panel per preset: every gate and state of the step as bars (unit 1, unit 2)."""
    with course_style():
        fig = new_figure(8.0, 1.45 * len(presets) + 0.9)
        axes = fig.subplots(len(presets), 1, sharex=True)
        positions = np.arange(len(quantities))
        for ax, (name, biases) in zip(axes, presets.items()):
            cache = compute(**{f"bias_{k}": v for k, v in biases.items()})
            for j, (key, label, role) in enumerate(quantities):
                values = np.ravel(cache[key])
                for unit, value in enumerate(values):
                    ax.bar(
                        j + (unit - 0.5) * 0.36,
                        value,
                        width=0.34,
                        color=ROLE_FILL[role],
                        edgecolor=ROLE_INK[role],
                        alpha=1.0 if unit == 0 else 0.55,
                    )
            ax.axhline(0, color="black", lw=0.8)
            ax.set_ylim(-1.6, 1.6)
            ax.set_yticks([-1, 0, 1])
            ax.grid(axis="y", alpha=0.3)
            ax.set_title(name, fontsize=FONT_SIZE["small"], loc="left")
        axes[-1].set_xticks(positions, [label for _, label, _ in quantities])
        for tick, (_, _, role) in zip(axes[-1].get_xticklabels(), quantities):
            tick.set_color(ROLE_INK[role])
        fig.suptitle(title, fontsize=FONT_SIZE["normal"])
        fig.subplots_adjust(
            left=0.07,
            right=0.99,
            bottom=0.45 / fig.get_figheight(),
            top=1 - 0.75 / fig.get_figheight(),
            hspace=0.6,
        )
    return fig


def lstm_presets_figure():
    """Static companion of explorer 4: what each preset does to the gates and the memory."""
    quantities = [
        ("i", "i (input)", "input"),
        ("f", "f (forget)", "forget"),
        ("g", "g (candidate)", "candidate"),
        ("o", "o (output)", "output"),
        ("c_prev", "cₜ₋₁ (old)", "cell"),
        ("c", "cₜ (new)", "cell"),
        ("h", "hₜ", "hidden"),
    ]
    return _presets_figure(
        "One LSTM step under each preset (two bars: the two units)",
        LSTM_PRESETS,
        compute_lstm_step,
        quantities,
    )


def gru_presets_figure():
    """Static companion of explorer 5: what each preset does to the gates and the state."""
    quantities = [
        ("r", "r (reset)", "reset"),
        ("z", "z (update)", "update"),
        ("n", "n (candidate)", "candidate"),
        ("h_prev", "hₜ₋₁ (old)", "hidden"),
        ("h", "hₜ (new)", "hidden"),
    ]
    return _presets_figure(
        "One GRU step (PyTorch form) under each preset (two bars: the two units)",
        GRU_PRESETS,
        compute_gru_step,
        quantities,
    )
