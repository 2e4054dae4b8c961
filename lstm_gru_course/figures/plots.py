"""Plots the chapters need. Each takes an ``Axes`` and data, draws, never calls show().

- :func:`gradient_update_figure`: the update rule, with a useful and a vanished gradient;
- :func:`plot_gradient_norm_vs_distance`: how much of the gradient reaches k steps back;
- :func:`plot_gate_heatmap`: one gate's activations over a sequence (units x time);
- :func:`plot_training_curves`: loss (or accuracy, gradient norm) per training step.

Data are computed elsewhere (with ``layers``, ``train``); these functions only draw,
so the same call serves a static figure, a panel of small multiples and an explorer.
"""

from __future__ import annotations

import numpy as np

from .._validate import choice, describe, finite_number, float_array, positive_int
from ..i18n import N_, _
from .style import (
    FONT_SIZE,
    MODEL_STYLES,
    ROLE_DASH,
    ROLE_FILL,
    ROLE_INK,
    ROLE_NAMES,
    ROLE_SYMBOLS,
    ROLE_TEXT_ON_FILL,
    ROLES,
    course_style,
    new_figure,
)

__all__ = [
    "palette_figure",
    "gradient_update_figure",
    "plot_update_step",
    "plot_gradient_norm_vs_distance",
    "plot_gate_heatmap",
    "plot_training_curves",
    "role_colormap",
]

_SIGMOID_ROLES = ("forget", "input", "output", "update", "reset")


def _check_ax(ax):
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, but received {describe(ax)}.")
    return ax


def _num(v):
    """A number written in full (no exponent), with a typographic minus."""
    return np.format_float_positional(v, precision=8, trim="-").replace("-", "\u2212")


def palette_figure():
    """The colour key: one swatch per role, with its name and its letter in the equations."""
    from matplotlib.patches import FancyBboxPatch

    with course_style():
        fig = new_figure(8.0, 1.7)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 4)
        ax.set_ylim(0.0, 2.1)
        ax.set_axis_off()
        for k, role in enumerate(ROLES):
            x, y = k % 4, 1.55 - (k // 4) * 1.0
            ax.add_patch(
                FancyBboxPatch(
                    (x + 0.08, y - 0.2),
                    0.42,
                    0.4,
                    facecolor=ROLE_FILL[role],
                    edgecolor=ROLE_INK[role],
                    lw=1.2,
                    boxstyle="round,pad=0,rounding_size=0.05",
                )
            )
            ax.text(
                x + 0.29,
                y,
                f"${ROLE_SYMBOLS[role]}$",
                ha="center",
                va="center",
                color=ROLE_TEXT_ON_FILL[role],
                fontsize=FONT_SIZE["large"],
            )
            ax.text(
                x + 0.58,
                y,
                _(ROLE_NAMES[role]).replace(" ", "\n"),
                ha="left",
                va="center",
                color=ROLE_INK[role],
                fontsize=FONT_SIZE["normal"],
                linespacing=1.0,
                gid=f"role:{role}",
            )
            # the wire as diagrams draw it: a gate's wire also has its own dash pattern
            ax.plot(
                [x + 0.08, x + 0.5],
                [y - 0.33, y - 0.33],
                color=ROLE_INK[role],
                lw=2.6,
                linestyle=ROLE_DASH[role],
                solid_capstyle="butt",
                dash_capstyle="butt",
                gid=f"wire:{role}",
            )
    return fig.describe(
        _(
            "The colour key of the course: {roles}, each a coloured swatch with its name "
            "written in the same colour, above a sample of its wire (gates' wires are "
            "dashed, each gate of a cell in its own pattern)."
        ).format(roles=_("; ").join(f"{_(ROLE_NAMES[r])} ({ROLE_SYMBOLS[r]})" for r in ROLES))
    )


def plot_update_step(ax, weight, learning_rate, gradient, title=None):
    """Draw one step of ``new = weight − learning_rate × gradient`` on a number line.

    The equation is written with the numbers, and an arrow goes from the old weight
    to the new one (no arrow is visible when the step is tiny: that is the point).
    """
    _check_ax(ax)
    w = finite_number("weight", weight)
    lr = finite_number("learning_rate", learning_rate, low=0)
    g = finite_number("gradient", gradient)
    new = w - lr * g
    ax.axhline(0, color="#777777", lw=1.2, zorder=1)
    ax.scatter([w], [0], s=90, color="white", edgecolor="black", zorder=3, label=_("weight"))
    ax.scatter([new], [0], s=60, color="#1A1A1A", zorder=4, label=_("new weight"))
    if abs(new - w) > 0.02:
        ax.annotate(
            "",
            xy=(new, 0.22),
            xytext=(w, 0.22),
            arrowprops={"arrowstyle": "-|>", "color": "#1A1A1A", "lw": 2},
        )
    new = float(np.round(new, 10))
    ax.text(
        0.5,
        0.93,
        f"{_num(new)} = {_num(w)} − {_num(lr)} × {_num(g)}",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=FONT_SIZE["large"],
    )
    step = lr * abs(g)
    ax.text(
        0.5,
        0.72,
        _("the weight moves by {step}").format(step=_num(float(np.round(step, 10)))),
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=FONT_SIZE["normal"],
        color="#1A1A1A",
    )
    ax.set_ylim(-0.6, 1.3)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(_("weight value"))
    if title:
        ax.set_title(title, fontsize=FONT_SIZE["large"], weight="bold")
    ax.legend(
        loc="lower center",
        ncol=2,
        frameon=False,
        fontsize=FONT_SIZE["small"],
        bbox_to_anchor=(0.5, 0.0),
    )
    return ax


def gradient_update_figure(weight=2.1, learning_rate=0.5, gradient=1.1, tiny_gradient=1e-4):
    """The gradient update rule, with a useful gradient and with a vanished one.

        new weight = weight − learning rate × gradient

    Left: a gradient of ``gradient`` moves the weight visibly. Right: a gradient of
    ``tiny_gradient`` (what reaches early time steps when it has vanished) leaves it
    where it was, so that part of the network stops learning.
    """
    with course_style():
        fig = new_figure(8.4, 3.7, layout="constrained")
        axes = fig.subplots(1, 2, sharex=True)
        plot_update_step(axes[0], weight, learning_rate, gradient, _("a useful gradient"))
        plot_update_step(axes[1], weight, learning_rate, tiny_gradient, _("a vanished gradient"))
        axes[0].set_xlim(
            min(weight, weight - learning_rate * gradient) - 0.4,
            max(weight, weight - learning_rate * gradient) + 0.4,
        )
        fig.suptitle(
            _("new weight = weight − learning rate × gradient"),
            fontsize=FONT_SIZE["title"],
            weight="bold",
        )
    small = float(np.round(weight - learning_rate * tiny_gradient, 10))
    return fig.describe(
        _(
            "Two number lines. Left, a useful gradient: with weight {weight}, learning "
            "rate {learning_rate} and gradient {gradient}, an arrow moves the weight "
            "to {new}. Right, a vanished gradient of {tiny}: the new weight {small} sits "
            "on top of the old one, so that part of the network stops learning."
        ).format(
            weight=_num(weight),
            learning_rate=_num(learning_rate),
            gradient=_num(gradient),
            new=_num(float(np.round(weight - learning_rate * gradient, 10))),
            tiny=_num(tiny_gradient),
            small=_num(small),
        )
    )


#: What ``analysis.gradients.gradient_norms_by_distance(...).hidden`` measures: the Jacobian's size
#: per hidden unit (the root-mean-square gain of a unit nudge).
GRADIENT_NORM_LABEL = r"$\Vert \partial h_T / \partial h_{T-k} \Vert_F \,/ \sqrt{H}$"


def plot_gradient_norm_vs_distance(ax, distances, norms, log=True, ylabel=GRADIENT_NORM_LABEL):
    """Gradient norm against distance in time, one line per model.

    ``distances`` (K,): how many steps back (k); ``norms``: dict name -> (K,) array,
    e.g. ``analysis.gradients.gradient_norms_by_distance(...).hidden`` for "RNN", "LSTM", "GRU"
    (those names get the course's styles). ``ylabel`` says which gradient it is; the
    default, ``‖∂h_T/∂h_{T−k}‖_F / √H``, is what ``.hidden`` holds: pass another one
    for other quantities (the LSTM's ``.cell`` is ``‖∂h_T/∂c_{T−k}‖_F / √H``).
    ``log=True`` uses a log scale, where an exponential decay is a straight line;
    there, values of exactly 0 (a gradient too small for float64) are left out.
    """
    _check_ax(ax)
    distances = float_array("distances", distances, shape=(None,))
    if not isinstance(norms, dict) or not norms:
        raise TypeError(
            f"norms must be a non-empty dict name -> array, but received {describe(norms)}."
        )
    for name, values in norms.items():
        values = float_array(f"norms[{name!r}]", values, shape=(distances.size,))
        if (values < 0).any():
            raise ValueError(f"norms[{name!r}] must hold norms (>= 0), but has negative entries.")
        if log:
            values = np.where(values > 0, values, np.nan)
        style = MODEL_STYLES.get(name, {})
        ax.plot(
            distances,
            values,
            label=name,
            lw=2,
            ms=5,
            markevery=max(1, distances.size // 12),
            **style,
        )
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(_("distance in time $k$ (steps back)"))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, which="major")
    ax.legend(frameon=False)
    return ax


def role_colormap(role: str):
    """A colormap for a role's values: white -> role colour for gates in (0, 1);
    grey -> white -> role colour for signed values (candidate, cell and hidden state)."""
    from matplotlib.colors import LinearSegmentedColormap

    choice("role", role, ROLES)
    if role in _SIGMOID_ROLES:
        return LinearSegmentedColormap.from_list(role, ["white", ROLE_INK[role]])
    return LinearSegmentedColormap.from_list(role, ["#4D4D4D", "white", ROLE_INK[role]])


def plot_gate_heatmap(ax, values, role, tokens=None, colorbar=True):
    """A heatmap of one gate (or state) over a sequence: hidden units x time steps.

    ``values`` (T, H): e.g. the forget gate f at each step; ``role`` names it
    ("forget", "input", "output", "update", "reset", "candidate", "cell", "hidden");
    ``tokens`` (T strings) label the time axis. Gates use the range [0, 1], signed
    values a range symmetric about 0. Returns the image.
    """
    _check_ax(ax)
    values = float_array("values", values, shape=(None, None))
    role = choice("role", role, ROLES)
    T, H = values.shape
    if tokens is not None and len(tokens) != T:
        raise ValueError(
            f"tokens must have one label per time step ({T}), but received {len(tokens)}."
        )
    if role in _SIGMOID_ROLES:
        vmin, vmax = 0.0, 1.0
    else:
        vmax = max(1.0, float(np.abs(values).max()))
        vmin = -vmax
    image = ax.imshow(
        values.T,
        aspect="auto",
        cmap=role_colormap(role),
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    ax.set_xticks(
        range(T),
        tokens if tokens is not None else range(1, T + 1),
        rotation=0 if tokens is None or max(map(len, tokens)) < 5 else 45,
    )
    ax.set_yticks(range(H), range(1, H + 1))
    ax.set_xlabel(_("time step") if tokens is None else "")
    ax.set_ylabel(_("hidden unit"))
    ax.set_title(f"{_(ROLE_NAMES[role])} ${ROLE_SYMBOLS[role]}_t$", color=ROLE_INK[role])
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
    return image


def plot_training_curves(ax, histories, metric="loss", smooth=1, chance=True):
    """One curve per model: ``metric`` ("loss", "accuracy", "grad_norm") per step.

    ``histories``: dict name -> ``train.History`` (or a 1-D array of values). Curves are
    averaged over ``smooth`` steps. With ``chance=True`` the task's input-blind
    baseline (``History.chance_loss`` / ``chance_accuracy``) is drawn dashed.
    """
    _check_ax(ax)
    metric = choice("metric", metric, ("loss", "accuracy", "grad_norm"))
    smooth = positive_int("smooth", smooth)
    if not isinstance(histories, dict) or not histories:
        raise TypeError(
            f"histories must be a non-empty dict name -> History, but received {describe(histories)}."
        )
    baseline = None
    for name, history in histories.items():
        values = getattr(history, metric, history)
        if values is None:
            raise ValueError(f"histories[{name!r}] has no {metric} (a regression task?).")
        values = float_array(f"histories[{name!r}].{metric}", values, shape=(None,))
        if smooth > 1:
            values = np.convolve(values, np.ones(smooth) / smooth, mode="valid")
        steps = np.arange(values.size) + (smooth - 1) / 2 + 1
        style = dict(MODEL_STYLES.get(name, {}), marker=None)
        ax.plot(steps, values, label=name, lw=2, **style)
        baseline = getattr(history, f"chance_{metric}", baseline)
    if chance and baseline is not None:
        ax.axhline(baseline, color="#777777", ls="--", lw=1.2, label=_("chance"))
    ax.set_xlabel(_("training step"))
    names = {"loss": N_("loss"), "accuracy": N_("accuracy"), "grad_norm": N_("gradient norm")}
    ax.set_ylabel(_(names[metric]))
    if metric == "grad_norm":
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return ax
