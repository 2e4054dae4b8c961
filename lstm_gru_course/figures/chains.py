"""Cells drawn over several time steps: the RNN rolled and unrolled, the LSTM's conveyor belt.

- :func:`rnn_rolled_unrolled_figure`: one RNN cell with its loop, equal to the same cell
  copied once per time step and passing its hidden state along;
- :func:`lstm_chain_figure`: LSTM cells side by side, with the cell state running
  straight through all of them along the top, touched only by a multiplication (forget)
  and an addition (input) at each step.
"""

from __future__ import annotations

from .._validate import positive_int
from ..i18n import _
from .diagrams import CELL_WIDTH, Diagram
from .style import FONT_SIZE, course_style, new_figure

__all__ = ["rnn_rolled_unrolled_figure", "lstm_chain_figure"]

SIGMA = r"$\sigma$"
_CELL_W = 6.4


def _t(k):
    """The subscript of step ``k`` relative to t: t−1, t, t+1, ..."""
    return "t" if k == 0 else f"t{'+' if k > 0 else '-'}{abs(k)}"


def rnn_rolled_unrolled_figure(steps: int = 4):
    """The RNN drawn rolled up (one cell and a loop) and unrolled (``steps`` copies).

    The loop carries the hidden state from one step to the next; unrolling draws each
    step as its own copy of the same cell, with the same weights.
    """
    steps = positive_int("steps", steps)
    if steps > 6:
        raise ValueError(f"steps must be at most 6 to fit the page, but received {steps}.")
    gap = 2.4
    width_units = 5.8 + 1.6 + gap * steps + 0.6
    with course_style():
        fig = new_figure(0.42 * width_units, 0.42 * 6.2)
        ax = fig.add_axes((0, 0, 1, 1))
        d = Diagram(ax, (0, width_units), (-0.9, 5.3))
        # rolled: one cell, its input below, output above, the loop on its right
        bx, by = 1.6, 2.5
        d.box("rolled", (bx, by), "RNN", "hidden", 1.4, 0.9)
        d.port("rolled_x", (bx - 0.25, 0.5))
        d.port("rolled_h", (bx, 4.7))
        d.wire("rolled_in", ["rolled_x", (bx - 0.25, by - 0.45)], "hidden")
        d.wire("rolled_out", [(bx, by + 0.45), "rolled_h"], "hidden")
        d.wire(
            "loop",
            [
                (bx + 0.7, by + 0.2),
                (bx + 1.55, by + 0.2),
                (bx + 1.55, by - 1.2),
                (bx + 0.35, by - 1.2),
                (bx + 0.35, by - 0.45),
            ],
            "hidden",
        )
        d.label("x_rolled", (bx - 0.25, 0.35), "$x_t$", va="top")
        d.label("h_rolled", (bx, 4.85), "$h_t$", va="bottom")
        d.label("loop_name", (bx + 1.7, by - 0.5), "$h_{t-1}$", ha="left", size=FONT_SIZE["small"])
        ax.text(
            bx + 0.4,
            -0.55,
            _("rolled up"),
            ha="center",
            va="center",
            fontsize=FONT_SIZE["normal"],
            weight="bold",
        )
        ax.text(4.55, by, "=", ha="center", va="center", fontsize=28)
        # unrolled: one copy per step, the hidden state passed to the right
        x0 = 7.2
        xs = [x0 + gap * k for k in range(steps)]
        d.port("h_start", (x0 - 1.5, by))
        for k, x in enumerate(xs):
            d.box(f"cell{k}", (x, by), "RNN", "hidden", 1.4, 0.9)
            d.port(f"x{k}", (x, 0.5))
            d.port(f"h{k}", (x, 4.7))
            d.wire(f"in{k}", [f"x{k}", f"cell{k}"], "hidden")
            d.wire(f"out{k}", [f"cell{k}", f"h{k}"], "hidden")
            d.label(f"xl{k}", (x, 0.35), f"$x_{k + 1}$", va="top")
            d.label(f"hl{k}", (x, 4.85), f"$h_{k + 1}$", va="bottom")
        d.wire("h_first", ["h_start", "cell0"], "hidden")
        d.label(
            "h0", (x0 - 1.5, by + 0.25), "$h_0$", ha="left", va="bottom", size=FONT_SIZE["small"]
        )
        for k in range(steps - 1):
            d.wire(f"pass{k}", [f"cell{k}", f"cell{k + 1}"], "hidden")
            d.label(
                f"pass_name{k}",
                ((xs[k] + xs[k + 1]) / 2, by + 0.22),
                f"$h_{k + 1}$",
                va="bottom",
                size=FONT_SIZE["small"],
            )
        ax.text(
            (xs[0] + xs[-1]) / 2,
            -0.55,
            _("unrolled over {steps} steps: the same cell, the same weights").format(steps=steps),
            ha="center",
            va="center",
            fontsize=FONT_SIZE["normal"],
            weight="bold",
        )
    return fig.describe(
        _(
            "Left: an RNN cell drawn rolled up, with input x_t below, output h_t above and a "
            "loop arrow feeding its hidden state back into itself. An equals sign. Right: the "
            "same network unrolled over {steps} time steps: {steps} copies of the cell in a "
            "row, inputs x_1 to x_{steps} below, outputs h_1 to h_{steps} above, and arrows "
            "passing the hidden state from each copy to the next, starting from h_0."
        ).format(steps=steps)
    )


def _lstm_block(d, name, x0, y_belt, y_bus):
    """One compact LSTM cell whose left edge is at ``x0``; returns its right edge."""
    xf, xi, xg, xo, xt = x0 + 0.95, x0 + 2.2, x0 + 3.5, x0 + 4.8, x0 + 5.75
    y_box = (y_belt + y_bus) / 2 - 0.3
    d.frame(x0, y_bus - 0.6, x0 + _CELL_W, y_belt + 0.55)
    d.op(f"{name}mul", (xf, y_belt), "×", "forget", radius=0.28)
    d.op(f"{name}add", (xg, y_belt), "+", "cell", radius=0.28)
    d.op(f"{name}mul_i", (xg, y_box + 1.1), "×", "input", radius=0.24)
    d.op(f"{name}tanh", (xt, y_belt - 0.95), "tanh", "cell", radius=0.26, width=1.15)
    d.op(f"{name}mul_o", (xt, y_box), "×", "output", radius=0.24)
    for key, x, text, role in (
        ("f", xf, SIGMA, "forget"),
        ("i", xi, SIGMA, "input"),
        ("g", xg, "tanh", "candidate"),
        ("o", xo, SIGMA, "output"),
    ):
        d.box(f"{name}{key}", (x, y_box), text, role, 1.15 if key == "g" else 0.8, 0.6)
        d.fork(f"{name}fork_{key}", (x, y_bus))
        d.wire(f"{name}to_{key}", [f"{name}fork_{key}", f"{name}{key}"], "hidden")
    d.wire(f"{name}f_out", [f"{name}f", f"{name}mul"], "forget")
    d.wire(f"{name}i_out", [f"{name}i", (xi, y_box + 1.1), f"{name}mul_i"], "input")
    d.wire(f"{name}g_out", [f"{name}g", f"{name}mul_i"], "candidate")
    d.wire(f"{name}ig_out", [f"{name}mul_i", f"{name}add"], "input")
    d.fork(f"{name}fork_c", (xt, y_belt), "cell")
    d.wire(f"{name}c_tanh", [f"{name}fork_c", f"{name}tanh"], "cell")
    d.wire(f"{name}tanh_mul", [f"{name}tanh", f"{name}mul_o"], "cell")
    d.wire(f"{name}o_out", [f"{name}o", f"{name}mul_o"], "output")
    return x0 + _CELL_W, (xf, xg, xt)


def lstm_chain_figure(steps: int = 3):
    """LSTM cells over ``steps`` time steps, the cell state running through as a conveyor belt.

    Along the top, the cell state passes from step to step in a straight line; at each
    step it meets only a × (the forget gate scales it) and a + (the input gate adds
    new content), so information can ride along unchanged for many steps.
    """
    steps = positive_int("steps", steps)
    if steps > 4:
        raise ValueError(f"steps must be at most 4 to fit the page, but received {steps}.")
    pitch, lead = _CELL_W + 1.3, 1.4
    y_belt, y_bus = 5.0, 1.0
    width_units = 2 * lead + pitch * steps - 1.2
    with course_style():
        fig = new_figure(0.4 * width_units, 0.4 * 10.4)
        ax = fig.add_axes((0, 0, 1, 1))
        d = Diagram(ax, (0, width_units), (-2.6, 7.8))
        centre = (steps - 1) // 2
        for k in range(steps):
            d.join(f"concat{k}", (lead + pitch * k + 0.55, y_bus))
        for k in range(steps):
            x0 = lead + pitch * k
            right, (xf, xg, xt) = _lstm_block(d, f"s{k}:", x0, y_belt, y_bus)
            d.port(f"x{k}", (x0 + 0.55, -0.6))
            d.wire(f"x_in{k}", [f"x{k}", f"concat{k}"], "hidden", arrow=False)
            d.wire(f"bus{k}", [f"concat{k}", (x0 + 4.8, y_bus)], "hidden", arrow=False)
            d.label(f"xl{k}", (x0 + 0.55, -0.7), f"$x_{{{_t(k - centre)}}}$", va="top")
            d.port(f"h_up{k}", (xt + 0.5, 6.7))
            d.wire(
                f"h_out{k}",
                [f"s{k}:mul_o", (xt, y_bus - 0.0), (xt + 0.5, y_bus)],
                "hidden",
                arrow=False,
            )
            d.fork(f"fork_h{k}", (xt + 0.5, y_bus))
            d.wire(f"h_up{k}", [f"fork_h{k}", f"h_up{k}"], "hidden")
            d.label(
                f"hl{k}", (xt + 0.35, 6.75), f"$h_{{{_t(k - centre)}}}$", ha="right", va="center"
            )
            nxt = f"concat{k + 1}" if k + 1 < steps else (width_units - 0.3, y_bus)
            d.wire(f"h_pass{k}", [f"fork_h{k}", nxt], "hidden", arrow=k + 1 == steps)
            start = (0.2, y_belt) if k == 0 else f"s{k - 1}:fork_c"
            d.wire(f"belt{k}", [start, f"s{k}:mul"], "cell", width=CELL_WIDTH)
            d.wire(f"belt_mid{k}", [f"s{k}:mul", f"s{k}:add"], "cell", width=CELL_WIDTH)
            d.wire(
                f"belt_out{k}", [f"s{k}:add", f"s{k}:fork_c"], "cell", width=CELL_WIDTH, arrow=False
            )
        d.wire(
            "belt_end",
            [f"s{steps - 1}:fork_c", (width_units - 0.2, y_belt)],
            "cell",
            width=CELL_WIDTH,
        )
        d.wire("h_start", [(0.2, y_bus), "concat0"], "hidden", arrow=False)
        for k in range(steps + 1):
            x = 0.7 if k == 0 else lead + pitch * k - 0.65
            d.label(
                f"cl{k}", (x, y_belt + 0.45), f"$c_{{{_t(k - centre - 1)}}}$", "cell", va="bottom"
            )
        ax.text(
            width_units / 2,
            7.7,
            _("the cell state: a conveyor belt through every step"),
            ha="center",
            va="top",
            fontsize=FONT_SIZE["large"],
            weight="bold",
            color="#1A1A1A",
        )
        ax.text(
            width_units / 2,
            -2.5,
            _("at each step the belt meets only × (forget gate) and + (input gate × candidate)"),
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE["normal"],
            color="#1A1A1A",
        )
    return fig.describe(
        _(
            "{steps} LSTM cells side by side, one per time step. A thick cell-state line runs "
            "straight along the top through all of them like a conveyor belt; in each cell it "
            "passes one multiplication by the forget gate and one addition of the input gate "
            "times the candidate, then continues to the next cell. Below, each cell takes x "
            "and the previous h, feeds four small layers (σ, σ, tanh, σ), and sends its h up "
            "and on to the next cell."
        ).format(steps=steps)
    )
