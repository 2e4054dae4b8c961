"""Explorers 1 and 2: repeated multiplication (with and without tanh), and sigmoid as a gate.

Each explorer is ``compute_*(settings) -> data`` (pure), ``draw_*(data, axes)`` and a
function that wires ipywidgets controls to them. The small-multiples functions draw the
same pictures for a few settings at once: the static companion for the book.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .._validate import finite_number, float_array
from ..activations import sigmoid
from ..analysis.gradients import repeated_multiplication as _repeated_multiplication
from ..figures.bars import gated_bars
from ..figures.style import FONT_SIZE, ROLE_FILL, ROLE_INK, course_style, new_figure
from ..i18n import _
from ._base import Explorer, figure_png, number, power_of_ten_labels, role_span, slider_style

__all__ = [
    "compute_repeated_multiplication",
    "draw_repeated_multiplication",
    "repeated_multiplication",
    "repeated_multiplication_small_multiples",
    "compute_sigmoid_gate",
    "draw_sigmoid_gate",
    "sigmoid_gate",
    "sigmoid_gate_small_multiples",
    "GATED_VALUES",
]

_PLAIN, _SQUASHED = ROLE_INK["hidden"], ROLE_INK["cell"]


# ---------------------------------------------------------------- 1. repeated multiplication


def compute_repeated_multiplication(weight=3.0, steps=20, start=1.0) -> dict:
    """``analysis.gradients.repeated_multiplication`` plus the settings: what the explorer draws."""
    data = _repeated_multiplication(weight, steps, start)
    data.update(weight=float(weight), steps=int(steps), start=float(start))
    return data


def _fate(values, squashed) -> str:
    first, last = abs(values[0]), abs(values[-1])
    if not np.isfinite(last):
        return _("overflowed: too big for a float")
    if first == 0:
        return _("stayed 0")
    if last < 0.01 * first:
        return _("faded away")
    if squashed:
        return _("stayed inside (−1, 1)") if len(values) > 1 else _("not squashed yet")
    if last > 100 * first:
        return _("exploded")
    return _("kept about its size")


def draw_repeated_multiplication(data, axes) -> None:
    """Draw ``data`` on two axes: without tanh (log scale when it explodes) and with tanh."""
    ax_plain, ax_tanh = axes
    k, plain, squashed = data["step"], data["plain"], data["with_tanh"]
    w = number(data["weight"])
    marker = "o" if k.size <= 41 else None
    finite = np.isfinite(plain)
    size = np.abs(plain[finite])
    if size.max() > 10:
        ax_plain.semilogy(k[finite], size, color=_PLAIN, marker=marker, ms=3.5, lw=2)
        ax_plain.set_ylabel(_("|value| (log scale)"))
        ax_plain.set_ylim(min(size.min(), 1.0) / 3, 10 * size.max())
        power_of_ten_labels(ax_plain)
    else:
        ax_plain.plot(k, plain, color=_PLAIN, marker=marker, ms=3.5, lw=2)
        bound = max(1.1, 1.1 * size.max())
        ax_plain.set_ylim(-bound, bound)
        ax_plain.axhline(0, color="#999999", lw=0.8)
        ax_plain.set_ylabel(_("value"))
    ax_plain.set_title(_("without tanh: vₖ = {w} × vₖ₋₁").format(w=w), fontsize=FONT_SIZE["normal"])
    ax_tanh.plot(k, squashed, color=_SQUASHED, marker=marker, ms=3.5, lw=2)
    ax_tanh.axhspan(-1, 1, color=ROLE_FILL["cell"], alpha=0.08, lw=0)
    ax_tanh.axhline(0, color="#999999", lw=0.8)
    bound = max(1.1, 1.1 * abs(data["start"]))
    ax_tanh.set_ylim(-bound, bound)
    ax_tanh.set_title(
        _("with tanh: uₖ = tanh({w} × uₖ₋₁)").format(w=w), fontsize=FONT_SIZE["normal"]
    )
    ax_tanh.set_ylabel(_("value"))
    for ax, values in ((ax_plain, plain), (ax_tanh, squashed)):
        ax.set_xlabel(_("step k"))
        ax.set_xlim(-0.5, max(k[-1], 1) + 0.5)
        ax.grid(alpha=0.3)
        ax.set_title(
            ax.get_title()
            + "\n"
            + _("after {n} steps: {value}").format(n=k[-1], value=number(values[-1])),
            fontsize=FONT_SIZE["normal"],
            linespacing=1.3,
        )


def _repeated_readout(data) -> str:
    n = data["steps"]
    flips = data["weight"] < 0 and n > 1
    sign = _(" (its sign flips at every step: w is negative)") if flips else ""
    template = (
        _("After 1 step: {without} ({fate_without}){sign}; {with_tanh} ({fate_with}).")
        if n == 1
        else _("After {n} steps: {without} ({fate_without}){sign}; {with_tanh} ({fate_with}).")
    )
    return template.format(
        n=n,
        without=role_span(
            "hidden", _("without tanh {value}").format(value=number(data["plain"][-1]))
        ),
        fate_without=_fate(data["plain"], False),
        sign=sign,
        with_tanh=role_span(
            "cell", _("with tanh {value}").format(value=number(data["with_tanh"][-1]))
        ),
        fate_with=_fate(data["with_tanh"], True),
    )


def repeated_multiplication(weight=3.0, steps=20, start=1.0) -> Explorer:
    """Explorer 1: a value multiplied by w for n steps, with and without tanh.

    Controls ``weight`` (w), ``steps`` (n) and ``start`` (the first value).
    """
    controls = {
        "weight": widgets.FloatSlider(
            value=weight,
            min=-3.0,
            max=3.0,
            step=0.05,
            description=_("weight w"),
            continuous_update=False,
            style=slider_style(),
        ),
        "steps": widgets.IntSlider(
            value=steps,
            min=0,
            max=60,
            description=_("steps n"),
            continuous_update=False,
            style=slider_style(),
        ),
        "start": widgets.FloatSlider(
            value=start,
            min=-2.0,
            max=2.0,
            step=0.1,
            description=_("start value"),
            continuous_update=False,
            style=slider_style(),
        ),
    }

    def refresh(settings):
        data = compute_repeated_multiplication(**settings)
        with course_style():
            fig = new_figure(8.0, 3.5)
            axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.32})
            draw_repeated_multiplication(data, axes)
            fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.84)
        return figure_png(fig), _repeated_readout(data)

    explorer = Explorer(
        _("Repeated multiplication: why memories explode or fade"),
        controls,
        [widgets.HBox([controls["weight"], controls["steps"]]), controls["start"]],
        refresh,
        help_text=_(
            "Multiply by w again and again. |w| &gt; 1 explodes, |w| &lt; 1 fades; "
            "tanh keeps values in (−1, 1)."
        ),
    )
    explorer.update()
    return explorer


def repeated_multiplication_small_multiples(weights=(0.5, 1.0, 3.0), steps=20):
    """Static companion of explorer 1: one row per weight, without and with tanh."""
    with course_style():
        fig = new_figure(8.0, 2.8 * len(weights) + 0.2)
        axes = fig.subplots(
            len(weights), 2, squeeze=False, gridspec_kw={"wspace": 0.32, "hspace": 0.95}
        )
        for row, w in zip(axes, weights):
            draw_repeated_multiplication(compute_repeated_multiplication(w, steps), row)
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.06, top=0.93)
    return fig


# ---------------------------------------------------------------- 2. sigmoid as a gate

#: The vector that the gate multiplies in explorer 2.
GATED_VALUES = np.array([2.0, -1.5, 0.5, 3.0, -2.5])


def compute_sigmoid_gate(pre_activation=0.0, values=None) -> dict:
    """A gate ``g = sigmoid(a)`` multiplying a vector: ``{"a", "gate", "values", "gated"}``.

        gate = sigmoid(pre_activation)         one number in (0, 1)
        gated = gate * values                   (n,)

    >>> d = compute_sigmoid_gate(0.0, np.array([2.0, -4.0]))
    >>> d["gate"], d["gated"].tolist()
    (0.5, [1.0, -2.0])
    """
    a = finite_number("pre_activation", pre_activation)
    values = GATED_VALUES if values is None else float_array("values", values, shape=(None,))
    if values.size == 0:
        raise ValueError("values must hold at least one number, but received an empty array.")
    gate = float(sigmoid(a))
    return {"a": a, "gate": gate, "values": values, "gated": gate * values}


def draw_sigmoid_gate(data, axes) -> None:
    """Draw the sigmoid curve with the current gate (first axes) and the gated vector (second)."""
    ax_curve, ax_bars = axes
    a = np.linspace(-8, 8, 321)
    ink, fill = ROLE_INK["output"], ROLE_FILL["output"]
    ax_curve.plot(a, sigmoid(a), color=ink, lw=2.2)
    ax_curve.plot([data["a"], data["a"]], [0, data["gate"]], color=ink, ls="--", lw=1)
    ax_curve.plot([-8, data["a"]], [data["gate"], data["gate"]], color=ink, ls="--", lw=1)
    ax_curve.scatter([data["a"]], [data["gate"]], s=60, color=fill, edgecolor="black", zorder=3)
    ax_curve.set(
        xlim=(-8, 8),
        ylim=(-0.05, 1.05),
        xlabel=_("pre-activation a"),
        ylabel=_("gate σ(a)"),
    )
    ax_curve.set_title(
        f"σ({number(data['a'], 1)}) = {number(data['gate'], 3)}", fontsize=FONT_SIZE["normal"]
    )
    ax_curve.grid(alpha=0.3)
    idx = gated_bars(ax_bars, data["values"], data["gated"], role="output")
    top = 1.15 * np.abs(data["values"]).max()
    ax_bars.set_ylim(-top, top)
    ax_bars.set_xticks(idx, [number(v, 1) for v in data["values"]])
    ax_bars.set_xlabel(_("dashed: the values, filled: what passes"), fontsize=FONT_SIZE["small"])
    ax_bars.set_title(
        _("the gate keeps {percent}% of each value").format(percent=f"{100 * data['gate']:.1f}"),
        fontsize=FONT_SIZE["normal"],
    )


def sigmoid_gate(pre_activation=0.0) -> Explorer:
    """Explorer 2: a vector times a gate; slide the gate's pre-activation ``a``."""
    controls = {
        "pre_activation": widgets.FloatSlider(
            value=pre_activation,
            min=-8.0,
            max=8.0,
            step=0.1,
            description=_("pre-activation a"),
            continuous_update=False,
            style=slider_style("output"),
            layout=widgets.Layout(width="480px"),
        )
    }

    def refresh(settings):
        data = compute_sigmoid_gate(**settings)
        with course_style():
            fig = new_figure(8.0, 3.2)
            axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.3})
            draw_sigmoid_gate(data, axes)
            fig.subplots_adjust(left=0.09, right=0.98, bottom=0.17, top=0.9)
        share = 100 * data["gate"]
        template = (
            _("{gate} — almost closed: it erases every value (×{share}%).")
            if data["gate"] < 0.05
            else _("{gate} — almost open: it keeps every value (×{share}%).")
            if data["gate"] > 0.95
            else _("{gate} — half-open: it scales every value (×{share}%).")
        )
        gate = _("gate = σ({a}) = {value}").format(
            a=number(data["a"], 1), value=number(data["gate"], 3)
        )
        text = template.format(gate=role_span("output", gate), share=f"{share:.1f}")
        return figure_png(fig), text

    explorer = Explorer(
        _("Sigmoid as a gate: multiply by something between 0 and 1"),
        controls,
        [controls["pre_activation"]],
        refresh,
        help_text=_(
            "A gate is sigmoid of a number: near 0 it erases, near 1 it lets everything through."
        ),
    )
    explorer.update()
    return explorer


def sigmoid_gate_small_multiples(pre_activations=(-6.0, -2.0, 0.0, 2.0, 6.0)):
    """Static companion of explorer 2: the gated vector for a few pre-activations."""
    with course_style():
        fig = new_figure(8.0, 2.6)
        axes = fig.subplots(1, len(pre_activations), sharey=True)
        for ax, a in zip(axes, pre_activations):
            data = compute_sigmoid_gate(a)
            gated_bars(ax, data["values"], data["gated"], role="output", lw=1.0)
            ax.set_xticks([])
            ax.set_title(
                _("a = {a}\ngate = {value}").format(a=number(a, 0), value=number(data["gate"], 3)),
                fontsize=FONT_SIZE["small"],
            )
        axes[0].set_ylabel(_("gate × value"))
        fig.suptitle(
            _("σ(a) × values: dashed = the values, filled = what passes the gate"),
            fontsize=FONT_SIZE["normal"],
        )
        fig.subplots_adjust(left=0.09, right=0.99, bottom=0.05, top=0.72, wspace=0.12)
    return fig
