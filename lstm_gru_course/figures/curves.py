"""Animations of the squashing functions: tanh, sigmoid, and repeated multiplication.

- :func:`tanh_animation`: numbers of any size go in, come out inside (−1, 1);
- :func:`sigmoid_animation`: the same into (0, 1), then what a gate does with it:
  multiplying by about 0 erases a value, by about 1 keeps it;
- :func:`times_three_animation`: a vector multiplied by 3 again and again explodes;
  with ``squash=True`` (tanh after each step) it stays bounded.

The numbers come from :mod:`lstm_gru_course.activations`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validate import float_array, positive_int
from ..activations import sigmoid, tanh
from ..i18n import _
from .animations import CourseAnimation
from .bars import gated_bars
from .style import FONT_SIZE, ROLE_FILL, ROLE_INK, SERIES, SERIES_DASHES

__all__ = ["tanh_animation", "sigmoid_animation", "times_three_animation"]

_INPUTS = np.array([-4.0, -1.5, -0.4, 0.3, 1.0, 2.5, 5.0])
_MOVE = 10  # frames of motion
_HOLD = 2  # frames held at each end


def _ease(k, n):
    t = min(max(k / (n - 1), 0.0), 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * t)


def _spread(y, gap, low, high):
    """Label heights near ``y`` (any order), at least ``gap`` apart, inside [low, high]."""
    order = np.argsort(y)
    pos = np.array(y, dtype=float)[order]
    for i in range(1, pos.size):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    pos -= max(pos[-1] - high, 0.0)
    for i in range(pos.size - 2, -1, -1):
        pos[i] = min(pos[i], pos[i + 1] - gap)
    pos += max(low - pos[0], 0.0)
    out = np.empty_like(pos)
    out[order] = pos
    return out


def _num(v, digits):
    return f"{v:.{digits}f}".replace("-", "\u2212")


def _num_inside(v, low, high, digits=3):
    """``v`` to ``digits`` decimals, or more where rounding would write a bound that the
    value never reaches: tanh(5) is written 0.9999, not 1.000.

    >>> _num_inside(0.99991, -1, 1), _num_inside(-0.99933, -1, 1), _num_inside(0.5, 0, 1)
    ('0.9999', '−0.999', '0.500')
    """
    while digits < 12 and low < v < high and round(v, digits) in (low, high):
        digits += 1
    return _num(v, digits)


def _value_ticks(low, high):
    """Tick positions in [low, high] and labels that name each tick exactly.

    Over a range wider than 10 the ticks are integers (``10,000`` with separators);
    otherwise they get as many decimals as their spacing needs (0.5 is written ``0.5``,
    never ``0``), and zero is never written ``−0``.

    >>> _value_ticks(-1.25, 1.25)[1]
    ['−1.0', '−0.5', '0.0', '0.5', '1.0']
    """
    integer = high - low > 10
    locator = MaxNLocator(
        nbins=6, integer=integer, steps=[1, 2, 4, 5, 10] if integer else [1, 2, 2.5, 5, 10]
    )
    ticks = [float(t) for t in locator.tick_values(low, high) if low <= t <= high]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    digits = next(d for d in range(8) if all(abs(round(t, d) - t) < 1e-6 * step for t in ticks))
    ticks = [0.0 if abs(t) < step / 2 else round(t, digits) for t in ticks]
    return ticks, [f"{t:,.{digits}f}".replace("-", "\u2212") for t in ticks]


def _squash_panel(ax, values, outputs, t, low, high, out_label, color, ylim=5.6):
    """Two number lines: inputs at x=0, outputs at x=1; dots at fraction ``t`` of the way.

    At the end (``t == 1``) each output is written on the right at the height of its own
    input, with a leader line from its dot, so that each row reads input → output even
    where the outputs crowd near a bound.
    """
    ax.fill_between([-0.02, 1.02], low, high, color=ROLE_FILL[color], alpha=0.18, lw=0)
    # the band's own label: it marks where every output lands
    ax.text(
        0.03,
        high,
        f"({low:g}, {high:g})".replace("-", "\u2212"),
        ha="left",
        va="bottom",
        fontsize=FONT_SIZE["small"],
        color=ROLE_INK[color],
        gid="band_label",
    )
    for x in (0.0, 1.0):
        ax.plot([x, x], [-ylim, ylim], color="#888888", lw=1.2, zorder=1)
    ys = (1 - t) * values + t * outputs
    for v, y in zip(values, ys):
        ax.plot([0, t], [v, y], color=ROLE_INK[color], lw=0.9, alpha=0.5, zorder=2)
        ax.text(-0.07, v, _num(v, 1), ha="right", va="center", fontsize=FONT_SIZE["small"])
    if t >= 1:
        spots = _spread(values, 0.06 * 2 * ylim, -ylim + 0.4, ylim - 0.4)
        for out, y in zip(outputs, spots):
            ax.plot([1.03, 1.22], [out, y], color="#999999", lw=0.8)
            ax.text(
                1.25,
                y,
                _num_inside(out, low, high),
                ha="left",
                va="center",
                fontsize=FONT_SIZE["small"],
                color=ROLE_INK[color],
            )
    ax.scatter(
        np.full_like(ys, t),
        ys,
        s=55,
        color=ROLE_FILL[color],
        edgecolor="black",
        zorder=3,
        linewidth=0.8,
    )
    ax.set_xlim(-0.55, 1.75)
    ax.set_ylim(-ylim, ylim)
    ax.set_xticks(
        [0, 1],
        [
            _("input"),
            _("{output}\nin ({low}, {high})")
            .format(output=out_label, low=f"{low:g}", high=f"{high:g}")
            .replace("-", "\u2212"),
        ],
    )
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0, labelsize=FONT_SIZE["normal"])


def _curve_inset(ax, fn, low, high, name, color):
    a = np.linspace(-6, 6, 241)
    ax.plot(a, fn(a), color=ROLE_INK[color], lw=2.2)
    ax.axhline(low, color="#999999", lw=0.8, ls="--")
    ax.axhline(high, color="#999999", lw=0.8, ls="--")
    ax.set_xlim(-6, 6)
    ax.set_title(name, fontsize=FONT_SIZE["normal"])
    ax.set_xlabel(_("input"), fontsize=FONT_SIZE["small"])
    ax.set_yticks([low, 0, high] if low < 0 else [0, 0.5, 1])
    ax.grid(alpha=0.3)


def tanh_animation(values=None, fps=4):
    """Numbers flowing through tanh: any input comes out in (−1, 1).

    ``values`` is a 1-D array of inputs (default: seven numbers from −4 to 5); the
    outputs are ``activations.tanh(values)``.
    """
    values = _INPUTS if values is None else float_array("values", values, shape=(None,))
    outputs = tanh(values)
    n = _MOVE + 2 * _HOLD

    def frame(fig, k):
        t = _ease(k - _HOLD, _MOVE)
        gs = fig.add_gridspec(
            1, 2, width_ratios=[1.5, 1], left=0.04, right=0.97, bottom=0.2, top=0.86, wspace=0.3
        )
        _squash_panel(fig.add_subplot(gs[0]), values, outputs, t, -1, 1, _("tanh(input)"), "cell")
        _curve_inset(fig.add_subplot(gs[1]), tanh, -1, 1, r"$\tanh(a)$", "cell")
        fig.suptitle(
            _("tanh squashes every number into (−1, 1)"),
            fontsize=FONT_SIZE["title"],
            weight="bold",
        )

    alt = _(
        "Animation: seven numbers from {low} to {high} slide from an input line to an "
        "output line through tanh and land inside (−1, 1); large inputs end up crowded "
        "near −1 and 1. Beside it, the S-shaped tanh curve."
    ).format(low=_num(values.min(), 1), high=_num(values.max(), 1))
    return CourseAnimation(_("tanh squashes into (-1, 1)"), 8.0, 4.6, n, frame, fps=fps, alt=alt)


def sigmoid_animation(fps=3):
    """Sigmoid squashes into (0, 1); a gate then multiplies: ×0 erases, ×1 keeps.

    Gate inputs −6, −2, 0, 2, 6 become ``activations.sigmoid`` of them; the bars show a
    value vector before and after being multiplied by those gate values.
    """
    pre = np.array([-6.0, -2.0, 0.0, 2.0, 6.0])
    gate = sigmoid(pre)
    value = np.array([2.0, -1.5, 3.0, 1.0, -2.5])
    n_mult = 8
    n = _MOVE + _HOLD + n_mult + _HOLD

    def frame(fig, j):
        # frame 0 is the finished picture (the gate at work); then it plays from the start
        k = n - 1 if j == 0 else j - 1
        t = _ease(k, _MOVE)
        s = _ease(k - _MOVE - _HOLD, n_mult) if k >= _MOVE + _HOLD else 0.0
        gs = fig.add_gridspec(
            1, 2, width_ratios=[1.3, 1], left=0.03, right=0.98, bottom=0.2, top=0.84, wspace=0.25
        )
        ax = fig.add_subplot(gs[0])
        _squash_panel(ax, pre, gate, t, 0, 1, _("σ(input)"), "hidden", ylim=6.6)
        bx = fig.add_subplot(gs[1])
        shown = value * (1 - s + s * gate)
        # a gate in general, not one of the LSTM's: neutral ink, no gate's colour
        idx = gated_bars(bx, value, shown, role="hidden", labels=True)
        for i, g in enumerate(gate):
            bx.text(
                i,
                3.9,
                f"×{g:.2f}",
                ha="center",
                fontsize=FONT_SIZE["small"],
                color=ROLE_INK["hidden"] if s > 0 else "#999999",
            )
        bx.set_xticks(idx, [f"{v:g}".replace("-", "\u2212") for v in value])
        bx.set_ylim(-3.2, 4.6)
        bx.set_title(_("the gate multiplies"), fontsize=FONT_SIZE["normal"])
        bx.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=2,
            fontsize=FONT_SIZE["small"],
            frameon=False,
        )
        msg = (
            _("sigmoid squashes into (0, 1)")
            if s == 0
            else _("×0 erases, ×1 keeps: a gate decides what passes")
        )
        fig.suptitle(msg, fontsize=FONT_SIZE["title"], weight="bold")
        fig.text(
            0.5,
            0.02,
            _("The finished picture; press ▶ to watch the inputs squash, then the gate multiply.")
            if j == 0
            else "",
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE["small"],
            color="#333333",
            gid="caption",
        )

    alt = _(
        "Animation: the gate inputs −6, −2, 0, 2, 6 slide through sigmoid into (0, 1) "
        "(0.00, 0.12, 0.50, 0.88, 1.00); then bars of a value vector are multiplied by "
        "these gate values: the bar times 0.00 vanishes, the bar times 1.00 stays whole."
    )
    return CourseAnimation(_("sigmoid gates"), 8.0, 4.6, n + 1, frame, fps=fps, alt=alt)


def times_three_animation(squash=False, steps=10, fps=1.5):
    """A vector multiplied by 3 at every step: it explodes; with tanh it stays bounded.

    Starts from ``[0.8, 0.3, −0.1]``; each step is ``v ← 3·v`` (``squash=False``) or
    ``v ← tanh(3·v)`` (``squash=True``). One frame per step (``steps`` + 1 frames).
    Left, the bars of the current vector: with tanh on a fixed scale, without it on an
    axis that follows the values, beside a grey band of ±1 (a new input's size); with tanh
    a pale blue band marks tanh's range, −1 to 1. Right,
    every value so far, on one fixed scale.
    """
    steps = positive_int("steps", steps)
    v = np.array([0.8, 0.3, -0.1])
    history = [v]
    for _step in range(steps):
        v = tanh(3 * v) if squash else 3 * v
        history.append(v)
    history = np.array(history)
    colors = SERIES[:3]
    hatches = ["", "//", ".."]
    markers = ["o", "s", "^"]
    title = _("with tanh: v ← tanh(3·v)") if squash else _("without tanh: v ← 3·v")

    def frame(fig, k):
        gs = fig.add_gridspec(
            1, 2, width_ratios=[1, 1.4], left=0.1, right=0.97, bottom=0.14, top=0.84, wspace=0.35
        )
        ax = fig.add_subplot(gs[0])
        cur = history[k]
        ax.bar(range(3), cur, color=colors, width=0.65, hatch=hatches, edgecolor="black", lw=0.8)
        ax.axhline(0, color="black", lw=0.8)
        # with tanh one fixed scale; without it the axis follows the values (at least
        # ±1), so the numbers on the axis triple while a grey band, the size ±1 of a new
        # input, shrinks to a hairline: the new input gets drowned out
        lim = 1.15 * (1.0 if squash else max(np.abs(cur).max(), 1.0))
        ax.set_ylim(-lim, lim)
        if not squash:
            ax.axhspan(-1, 1, color="#9A9A9A", alpha=0.35, lw=0, zorder=0, gid="input_band")
            ax.set_xlabel(_("grey band: a new input's size, ±1"), fontsize=FONT_SIZE["small"])
        big = np.abs(cur).max() >= 100  # one format per frame: all integers, or all decimals
        for i, val in enumerate(cur):
            text = f"{val:,.0f}" if big else f"{val:.{3 if squash else 2}f}"
            ax.text(
                i,
                val + np.sign(val or 1) * 0.03 * lim,
                text.replace("-", "\u2212"),
                ha="center",
                va="bottom" if val >= 0 else "top",
                fontsize=FONT_SIZE["small"],
            )
        ax.set_xticks(range(3), [_("entry {i}").format(i=i) for i in (1, 2, 3)])
        ax.set_title(
            _("step {k}").format(k=k)
            if squash
            else _("step {k}: $v_0$ × {factor}").format(k=k, factor=f"{3**k:,}"),
            fontsize=FONT_SIZE["normal"],
        )
        if squash:
            # the range of tanh, which no value can leave (not the input band of the
            # animation without tanh)
            ax.axhspan(-1, 1, color=ROLE_FILL["cell"], alpha=0.1, lw=0, gid="tanh_band")
            ax.set_xlabel(_("blue band: the range of tanh, −1 to 1"), fontsize=FONT_SIZE["small"])
        ax.set_yticks(*_value_ticks(-lim, lim))
        bx = fig.add_subplot(gs[1])
        for i in range(3):
            bx.plot(
                range(k + 1),
                history[: k + 1, i],
                color=colors[i],
                marker=markers[i],
                ms=5,
                ls=SERIES_DASHES[i],
                label=_("entry {i}").format(i=i + 1),
            )
        bx.set_xlim(-0.3, steps + 0.3)
        low, high = history.min(), history.max()
        pad = 0.08 * (high - low)
        bx.set_ylim(*((-1.15, 1.15) if squash else (low - pad, high + pad)))
        bx.set_yticks(*_value_ticks(*bx.get_ylim()))
        bx.set_xlabel(_("step"))
        bx.set_title(
            _("every value so far") if squash else _("every value so far, on one fixed scale"),
            fontsize=FONT_SIZE["normal"],
        )
        bx.legend(
            loc="center right" if squash else "upper left",
            fontsize=FONT_SIZE["small"],
            frameon=False,
        )
        bx.grid(alpha=0.3)
        fig.suptitle(title, fontsize=FONT_SIZE["title"], weight="bold")

    alt = (
        _(
            "Animation: the vector [0.8, 0.3, −0.1] is multiplied by 3 and squashed by tanh "
            "at every step; the bars stay inside a pale blue band, the range of tanh from −1 "
            "to 1 (ending near 1, 1 and −1), and the line plot flattens out."
        )
        if squash
        else _(
            "Animation: the vector [0.8, 0.3, −0.1] is multiplied by 3 at every step. The "
            "bars' axis follows them, so its numbers triple while a grey band of ±1, the size "
            "of a new input, shrinks to a thin line; the first entry reaches {last} after "
            "{steps} steps. The line plot, on one fixed scale, stays flat for five steps and "
            "then shoots up: without a squashing function the numbers explode."
        ).format(last=f"{history[-1, 0]:,.0f}", steps=steps)
    )
    return CourseAnimation(title, 8.0, 4.4, steps + 1, frame, fps=fps, alt=alt)
