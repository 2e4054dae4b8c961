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

from ..figures.cells_art import cell_values, gru_cell_figure, lstm_cell_figure
from ..figures.diagrams import format_vector
from ..figures.examples import tiny_step
from ..figures.style import FONT_SIZE, ROLE_FILL, ROLE_INK, course_style, new_figure
from ..i18n import N_, _
from ._base import Explorer, figure_png, role_span, slider_style, vector
from ._cell_step_math import (
    _GRU_GATES,
    _LSTM_GATES,
    CONVENTIONS,
    GRU_PRESETS,
    LSTM_PRESETS,
    compute_gru_step,
    compute_lstm_step,
)

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

_CUSTOM = N_("(your own biases)")
#: The label of each gate's bias slider, by the gate's symbol (whole labels: "input" on
#: its own is also the input of a function, a different word in Chinese).
_BIAS_LABELS = {
    "i": N_("bias i (input)"),
    "f": N_("bias f (forget)"),
    "g": N_("bias g (candidate)"),
    "o": N_("bias o (output)"),
    "r": N_("bias r (reset)"),
    "z": N_("bias z (update)"),
    "n": N_("bias n (candidate)"),
}


def _percent(values) -> str:
    return _(" and ").join(f"{100 * v:.0f}%" for v in np.ravel(values))


def _lstm_readout(cache) -> str:
    v = cell_values("lstm", cache)
    return "<br>".join(
        [
            _("{forget}: keeps {percent} of the old memory c<sub>t−1</sub> = {c_prev}.").format(
                forget=role_span("forget", _("forget gate f = {f}").format(f=vector(v["f"]))),
                percent=_percent(v["f"]),
                c_prev=vector(v["c_prev"]),
            ),
            _("{input} writes {percent} of the {candidate}.").format(
                input=role_span("input", _("input gate i = {i}").format(i=vector(v["i"]))),
                percent=_percent(v["i"]),
                candidate=role_span("candidate", _("candidate g = {g}").format(g=vector(v["g"]))),
            ),
            _("{state}.").format(
                state=role_span(
                    "cell",
                    _("new memory c<sub>t</sub> = f·c<sub>t−1</sub> + i·g = {c}").format(
                        c=vector(v["c"])
                    ),
                )
            ),
            _("{output} shows {percent} of tanh(c<sub>t</sub>): {hidden}.").format(
                output=role_span("output", _("output gate o = {o}").format(o=vector(v["o"]))),
                percent=_percent(v["o"]),
                hidden=role_span("hidden", "h<sub>t</sub> = " + vector(v["h"])),
            ),
        ]
    )


def _gru_readout(cache) -> str:
    v = cell_values("gru", cache)
    return "<br>".join(
        [
            _("{reset}: lets {percent} of the past into the {candidate}.").format(
                reset=role_span("reset", _("reset gate r = {r}").format(r=vector(v["r"]))),
                percent=_percent(v["r"]),
                candidate=role_span("candidate", _("candidate n = {n}").format(n=vector(v["n"]))),
            ),
            _(
                "{update}: keeps {percent} of h<sub>t−1</sub> = {h_prev}, takes the rest from n."
            ).format(
                update=role_span("update", _("update gate z = {z}").format(z=vector(v["z"]))),
                percent=_percent(v["z"]),
                h_prev=vector(v["h_prev"]),
            ),
            _("{state}.").format(
                state=role_span(
                    "hidden", "h<sub>t</sub> = (1 − z)·n + z·h<sub>t−1</sub> = " + vector(v["h"])
                )
            ),
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
                for symbol, _role in gates:
                    explorer.controls[f"bias_{symbol}"].value = presets[change["new"]][symbol]
        finally:
            applying[0] = False

    def mark_custom(change):
        if not applying[0] and preset.value != _CUSTOM:
            chosen = presets.get(preset.value, {})
            if any(explorer.controls[f"bias_{s}"].value != chosen.get(s) for s, _role in gates):
                preset.value = _CUSTOM

    preset.observe(apply, names="value")
    for symbol, _role in gates:
        explorer.controls[f"bias_{symbol}"].observe(mark_custom, names="value")


def _cell_explorer(
    title, help_text, presets, gates, tiny, with_cell, extra, compute, diagrams, readout
):
    first = next(iter(presets))
    controls = {
        "preset": widgets.Dropdown(
            options=[(_(name), name) for name in [*presets, _CUSTOM]],
            value=first,
            description=_("preset"),
            layout=widgets.Layout(width="420px"),
        )
    }
    controls.update(extra)
    controls.update(_state_sliders(tiny, with_cell))
    for symbol, role in gates:
        controls[f"bias_{symbol}"] = _slider(
            _(_BIAS_LABELS[symbol]),
            presets[first][symbol],
            -12,
            12,
            role,
        )
    state = [c for name, c in controls.items() if name[:2] in ("x_", "h_", "c_")]
    biases = [controls[f"bias_{s}"] for s, _role in gates]
    rows = [
        controls["preset"],
        *extra.values(),
        widgets.HBox(
            [
                widgets.VBox(
                    [widgets.HTML("<b>" + _("inputs and previous state") + "</b>"), *state]
                ),
                widgets.VBox([widgets.HTML("<b>" + _("gate biases") + "</b>"), *biases]),
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
        _("One LSTM step, with its numbers"),
        _(
            "Pick a preset or move the sliders: the numbers on "
            "the diagram are those of <code>cells.lstm_step</code> (I = H = 2)."
        ),
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
            options=[(_(label), label) for label in CONVENTIONS],
            value=next(iter(CONVENTIONS)),
            description=_("reset gate"),
            style={"button_width": "220px"},
        )
    }
    return _cell_explorer(
        _("One GRU step, with its numbers"),
        _(
            "Pick a preset or move the sliders: the numbers on "
            "the diagram are those of <code>cells.gru_step</code> (I = H = 2)."
        ),
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
    """One panel per preset: every gate and state of the step as bars (unit 1, unit 2).

    Every panel has the same value axis, wide enough for the largest bar of any preset
    (a cell state can leave (−1, 1): "write strongly" makes c = 1.76).
    """
    caches = [compute(**{f"bias_{k}": v for k, v in b.items()}) for b in presets.values()]
    peak = max(float(np.max(np.abs(c[key]))) for c in caches for key, _l, _r in quantities)
    bound = max(1.6, np.ceil(peak) + 0.2)
    with course_style():
        fig = new_figure(8.0, 1.45 * len(presets) + 0.9)
        axes = fig.subplots(len(presets), 1, sharex=True)
        positions = np.arange(len(quantities))
        for ax, name, cache in zip(axes, presets, caches):
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
            ax.set_ylim(-bound, bound)
            ax.set_yticks(np.arange(-np.floor(bound), np.floor(bound) + 1))
            ax.grid(axis="y", alpha=0.3)
            ax.set_title(_(name), fontsize=FONT_SIZE["small"], loc="left")
        axes[-1].set_xticks(positions, [_(label) for _key, label, _role in quantities])
        for tick, (_key, _label, role) in zip(axes[-1].get_xticklabels(), quantities):
            tick.set_color(ROLE_INK[role])
        fig.suptitle(_(title), fontsize=FONT_SIZE["normal"])
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
        ("i", N_("i (input)"), "input"),
        ("f", N_("f (forget)"), "forget"),
        ("g", N_("g (candidate)"), "candidate"),
        ("o", N_("o (output)"), "output"),
        ("c_prev", N_("cₜ₋₁ (old)"), "cell"),
        ("c", N_("cₜ (new)"), "cell"),
        ("h", "hₜ", "hidden"),
    ]
    return _presets_figure(
        N_("One LSTM step under each preset (two bars: the two units)"),
        LSTM_PRESETS,
        compute_lstm_step,
        quantities,
    )


def gru_presets_figure():
    """Static companion of explorer 5: what each preset does to the gates and the state."""
    quantities = [
        ("r", N_("r (reset)"), "reset"),
        ("z", N_("z (update)"), "update"),
        ("n", N_("n (candidate)"), "candidate"),
        ("h_prev", N_("hₜ₋₁ (old)"), "hidden"),
        ("h", N_("hₜ (new)"), "hidden"),
    ]
    return _presets_figure(
        N_("One GRU step (PyTorch form) under each preset (two bars: the two units)"),
        GRU_PRESETS,
        compute_gru_step,
        quantities,
    )
