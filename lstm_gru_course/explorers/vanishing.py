"""Explorer 3: vanishing gradients in a tanh RNN, compared with the LSTM and the GRU.

The learner picks the recurrent weight scale, the sequence length and the
*keep-gate bias*: the bias of the gate that keeps the old state (LSTM forget gate, GRU
update gate), and sees how large the gradient still is at every distance from the end
(``analysis.gradients.gradient_norms_by_distance``).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..analysis.conventions import KINDS
from ..analysis.gradients import _keep_bias, gradient_norms_by_distance
from ..figures.plots import plot_gradient_norm_vs_distance
from ..figures.style import FONT_SIZE, MODEL_STYLES, course_style, new_figure
from ..i18n import N_, _
from ._base import _KIND_LABELS as _LABELS
from ._base import Explorer, _superscript, figure_png, number, power_of_ten_labels, slider_style

__all__ = [
    "compute_vanishing_gradients",
    "draw_vanishing_gradients",
    "vanishing_gradients",
    "vanishing_gradients_small_multiples",
    "HIDDEN_SIZE",
]

#: Hidden size of the three untrained networks compared (small, so updates stay fast).
HIDDEN_SIZE = 16
#: Smallest gradient norm drawn: a line ends where its values fall below it (or reach
#: exactly 0, after float64 underflow), and a dotted line marks the floor.
FLOOR = 1e-30
#: The one name of the setting the LSTM forget gate's and the GRU update gate's bias share.
KEEP_GATE_BIAS = N_("keep-gate bias")


def compute_vanishing_gradients(
    weight_scale=1.0, length=60, keep_bias=1.0, seed=0, *, forget_bias=None
) -> dict:
    """Gradient norm at each distance for the RNN, the LSTM and the GRU, same settings.

    ``keep_bias`` is the keep-gate bias: the bias of the LSTM's forget gate f and of the
    GRU's update gate z (``forget_bias`` is its deprecated old name, same meaning).
    Returns ``{"rnn": GradientNorms, "lstm": ..., "gru": ..., "settings": {...}}`` (see
    ``analysis.gradients.gradient_norms_by_distance``; hidden size ``HIDDEN_SIZE``).

    >>> data = compute_vanishing_gradients(weight_scale=0.5, length=30, keep_bias=4.0)
    >>> bool(data["lstm"].hidden[30] > data["rnn"].hidden[30])
    True
    """
    keep_bias = _keep_bias(keep_bias, forget_bias)
    data = {
        kind: gradient_norms_by_distance(kind, HIDDEN_SIZE, length, weight_scale, keep_bias, seed)
        for kind in KINDS
    }
    data["settings"] = {
        "weight_scale": float(weight_scale),
        "length": int(length),
        "keep_bias": float(keep_bias),
    }
    return data


def draw_vanishing_gradients(data, ax, legend=True) -> None:
    """Gradient norm against distance from the end, one line per model, on a log scale.

    Drawn by ``figures.plots.plot_gradient_norm_vs_distance`` (the book's plot of this
    quantity). A line ends where its gradient falls below ``FLOOR`` (or underflows to
    exactly 0); when one does, a dotted line at ``FLOOR`` says so.
    """
    length = data["settings"]["length"]
    norms = {_LABELS[kind]: data[kind].hidden for kind in KINDS}
    cut = any((v < FLOOR).any() for v in norms.values())
    shown = {name: np.where(v >= FLOOR, v, 0.0) for name, v in norms.items()}
    # the same words as chapter 1's first plot of this quantity
    plot_gradient_norm_vs_distance(
        ax, data["rnn"].distance, shown, ylabel=_("share of the gradient left")
    )
    positive = np.concatenate([v[v > 0] for v in shown.values()])
    low = FLOOR / 300 if cut else positive.min() / 3
    ax.set_ylim(min(low, 0.1), 10 * max(1.0, positive.max()))
    ax.set_xlim(0, max(length, 1))
    ax.axhline(1.0, color="#999999", lw=0.8, ls="--")
    if cut:
        ax.axhline(FLOOR, color="#555555", lw=1.2, ls=":", gid="floor")
        floor = f"10{_superscript(int(np.log10(FLOOR)))}"
        ax.text(
            0.99,
            FLOOR / 1.5,
            _("below {floor}: not drawn").format(floor=floor),
            ha="right",
            va="top",
            transform=ax.get_yaxis_transform(),
            fontsize=FONT_SIZE["small"],
            color="#555555",
            gid="floor_label",
        )
    power_of_ten_labels(ax)
    if legend:
        ax.legend(loc="lower left", fontsize=FONT_SIZE["small"], framealpha=0.9)
    else:
        ax.get_legend().remove()


def _title(settings) -> str:
    return _("weight scale {scale}, {keep_gate_bias} {bias}").format(
        scale=number(settings["weight_scale"]),
        keep_gate_bias=_(KEEP_GATE_BIAS),
        bias=number(settings["keep_bias"], 1),
    )


def _readout(data) -> str:
    k = data["settings"]["length"]
    parts = []
    for kind in KINDS:
        value = data[kind].hidden[k]
        color = MODEL_STYLES[_LABELS[kind]]["color"]
        shown = _("0 (underflow)") if value == 0 else number(value)
        parts.append(f"<b style='color:{color}'>{_LABELS[kind]} {shown}</b>")
    template = (
        _(
            "Share of the gradient left {k} step back (at h<sub>0</sub>): {values} "
            "({norm}; 1 at the last step)."
        )
        if k == 1
        else _(
            "Share of the gradient left {k} steps back (at h<sub>0</sub>): {values} "
            "({norm}; 1 at the last step)."
        )
    )
    return template.format(
        k=k,
        # chapter 1's measurement, in its symbols (the Frobenius norm ‖·‖_F divided by
        # √H, so 1 at k = 0 whatever H is): plain words first, the formula after them
        norm="‖∂h<sub>T</sub>/∂h<sub>0</sub>‖<sub>F</sub>/√H",
        values=_(", ").join(parts),
    )


def _explorer_figure(data):
    """The explorer's picture: the plot, titled with its settings (constrained layout, so
    the title and the labels stay inside the picture)."""
    with course_style():
        fig = new_figure(8.0, 3.6, layout="constrained")
        draw_vanishing_gradients(data, fig.add_subplot())
        fig.suptitle(
            _("Gradient reaching back k steps: {settings}").format(
                settings=_title(data["settings"])
            ),
            fontsize=FONT_SIZE["normal"],
        )
    return fig


def vanishing_gradients(
    weight_scale=1.0, length=60, keep_bias=1.0, *, forget_bias=None
) -> Explorer:
    """Explorer 3: gradient size at each distance for an RNN, an LSTM and a GRU.

    Controls: ``weight_scale`` (of every recurrent weight matrix), ``length`` (T) and
    ``keep_bias``, the keep-gate bias (the bias of the LSTM's forget gate f and of the
    GRU's update gate z). ``forget_bias`` is the deprecated old name of ``keep_bias``.
    """
    keep_bias = _keep_bias(keep_bias, forget_bias)
    controls = {
        "weight_scale": widgets.FloatSlider(
            value=weight_scale,
            min=0.1,
            max=3.0,
            step=0.05,
            description=_("recurrent weight scale"),
            continuous_update=False,
            style=slider_style(),
        ),
        "length": widgets.IntSlider(
            value=length,
            min=1,
            max=120,
            description=_("sequence length T"),
            continuous_update=False,
            style=slider_style(),
        ),
        "keep_bias": widgets.FloatSlider(
            value=keep_bias,
            min=-4.0,
            max=6.0,
            step=0.5,
            description=_("{keep_gate_bias} (LSTM forget / GRU update)").format(
                keep_gate_bias=_(KEEP_GATE_BIAS)
            ),
            continuous_update=False,
            style=slider_style("forget"),
        ),
    }
    for control in controls.values():
        control.layout = widgets.Layout(width="560px")

    def refresh(settings):
        data = compute_vanishing_gradients(**settings)
        return figure_png(_explorer_figure(data)), _readout(data)

    explorer = Explorer(
        _("Vanishing gradients: RNN against LSTM and GRU"),
        controls,
        list(controls.values()),
        refresh,
        help_text=_(
            "Untrained networks (hidden size {hidden_size}) read one random sequence; "
            "the curve shows how much of the gradient at the last hidden state is left "
            "k steps back (1: all of it). A large "
            "keep-gate bias (the bias of the LSTM's forget gate and of the GRU's update "
            "gate) holds their memory open."
        ).format(hidden_size=HIDDEN_SIZE),
    )
    explorer.update()
    return explorer


def vanishing_gradients_small_multiples(
    settings=((0.5, 0.0), (1.0, 0.0), (1.0, 3.0), (2.5, 3.0)), length=80
):
    """Static companion of explorer 3: a 2 x 2 grid of (weight scale, keep-gate bias)."""
    with course_style():
        fig = new_figure(8.0, 6.4, layout="constrained")
        axes = fig.subplots(2, 2, sharex=True).ravel()
        for index, (ax, (scale, bias)) in enumerate(zip(axes, settings)):
            data = compute_vanishing_gradients(scale, length, bias)
            draw_vanishing_gradients(data, ax, legend=False)
            ax.set_title(_title(data["settings"]), fontsize=FONT_SIZE["small"])
            if index < 2:
                ax.set_xlabel("")
            if index % 2:
                ax.set_ylabel("")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="outside upper center",
            ncol=3,
            frameon=False,
            fontsize=FONT_SIZE["normal"],
        )
    return fig
