"""Drawing primitives for cell diagrams, in the visual language of Olah's diagrams.

- a *layer* (learned weights, then an activation) is a rounded box filled with its
  role's colour: ``σ`` for a gate, ``tanh`` for a candidate;
- a *pointwise operation* is a circle: ``×``, ``+``, ``1−``, or an ellipse for ``tanh``;
- a *copy* (one vector sent two ways) is a filled dot;
- a *concatenation* (two vectors stacked into one) is a small open square where the
  wires meet;
- the LSTM's *cell state* is the thick line across the top of the cell.

A :class:`Diagram` owns an ``Axes`` in diagram units (1 unit is about half an inch)
and names every element it draws, so a caller can light a path (``lit={...}``: the
named elements in full colour, all others faded) and find the numbers written on the
picture again: each value's ``Text`` has the gid ``"value:<name>"``.

>>> from lstm_gru_course.figures.style import course_style, new_figure
>>> with course_style():
...     fig = new_figure(4, 2)
...     d = Diagram(fig.add_axes([0, 0, 1, 1]), xlim=(0, 8), ylim=(0, 4))
...     _ = d.box("f", (2, 2), r"$\\sigma$", "forget")
...     _ = d.op("mul", (6, 2), "×")
...     _ = d.wire("f_out", ["f", "mul"], "forget")
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from ._nodes import _Node
from ._vectors import format_vector, vector_of
from .style import FONT_SIZE, ROLE_DASH, ROLE_FILL, ROLE_INK, ROLE_TEXT_ON_FILL, blend

__all__ = ["Diagram", "format_vector", "vector_of"]

WIRE_WIDTH = 2.2
CELL_WIDTH = 5.0
_DIM = 0.8  # how far a faded element is mixed towards white
_GREY = "#8A8A8A"


class Diagram:
    """An ``Axes`` set up for a cell diagram, with named, lightable elements.

    ``lit`` is ``None`` (everything drawn normally) or a collection of element names
    (those drawn bold, every other element faded). ``xlim``/``ylim`` are in diagram
    units; the aspect ratio is 1.
    """

    def __init__(self, ax, xlim, ylim, lit=None):
        self.ax = ax
        self.nodes: dict[str, _Node] = {}
        self.lit = None if lit is None else set(lit)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")
        ax.set_axis_off()

    # -- state ----------------------------------------------------------------------
    def state(self, name: str) -> str:
        """'normal', 'lit' or 'dim' for the element called ``name``."""
        if self.lit is None:
            return "normal"
        return "lit" if name in self.lit else "dim"

    def _color(self, color, name):
        return blend(color, "white", _DIM) if self.state(name) == "dim" else color

    # -- nodes ----------------------------------------------------------------------
    def frame(self, x0, y0, x1, y1, title=None):
        """The cell's body: a large pale rounded rectangle (optionally titled)."""
        from matplotlib.patches import FancyBboxPatch

        self.ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle="round,pad=0,rounding_size=0.5",
                facecolor="#F3F3F3",
                edgecolor="#9A9A9A",
                linewidth=1.2,
                zorder=0,
            )
        )
        if title:
            self.ax.text(
                x0 + 0.25,
                y1 - 0.25,
                title,
                ha="left",
                va="top",
                fontsize=FONT_SIZE["small"],
                color="#555555",
                zorder=0.5,
            )

    def box(self, name, xy, text, role, width=1.3, height=0.8):
        """A layer: a rounded box filled with ``role``'s colour, ``text`` inside."""
        from matplotlib.patches import FancyBboxPatch

        state = self.state(name)
        x, y = xy
        fill = self._color(ROLE_FILL[role], name)
        edge = self._color(ROLE_INK[role], name)
        text_color = _GREY if state == "dim" else ROLE_TEXT_ON_FILL[role]
        self.ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0,rounding_size=0.15",
                facecolor=fill,
                edgecolor=edge,
                linewidth=2.6 if state == "lit" else 1.3,
                zorder=3,
                gid=f"box:{name}",
            )
        )
        self.ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            color=text_color,
            fontsize=FONT_SIZE["large"],
            zorder=4,
            gid=f"boxtext:{name}",
        )
        self.nodes[name] = _Node(xy, width / 2, height / 2)
        return self.nodes[name]

    def op(self, name, xy, symbol, role="hidden", radius=0.32, width=None):
        """A pointwise operation: a white circle (an ellipse for "tanh") with ``symbol``.

        ``width`` (diagram units) overrides the ellipse's width.
        """
        from matplotlib.patches import Ellipse

        state = self.state(name)
        half_w = width / 2 if width else radius * (1.75 if symbol == "tanh" else 1.0)
        edge = self._color(ROLE_INK[role], name)
        self.ax.add_patch(
            Ellipse(
                xy,
                2 * half_w,
                2 * radius,
                facecolor="white",
                edgecolor=edge,
                linewidth=2.6 if state == "lit" else 1.6,
                zorder=3,
                gid=f"op:{name}",
            )
        )
        size = FONT_SIZE["small"] if len(symbol) > 1 else FONT_SIZE["title"]
        self.ax.text(
            xy[0],
            xy[1],
            symbol,
            ha="center",
            va="center_baseline",
            color=_GREY if state == "dim" else "black",
            fontsize=size,
            zorder=4,
            gid=f"optext:{name}",
        )
        self.nodes[name] = _Node(xy, half_w, radius, round_=True)
        return self.nodes[name]

    def fork(self, name, xy, role="hidden"):
        """A copy: a filled dot where one wire splits in two."""
        self.ax.add_patch(self._dot(xy, self._color(ROLE_INK[role], name), filled=True))
        self.nodes[name] = _Node(xy, 0, 0)
        return self.nodes[name]

    def join(self, name, xy, role="hidden"):
        """A concatenation: a small open square where two wires become one."""
        self.ax.add_patch(self._dot(xy, self._color(ROLE_INK[role], name), filled=False))
        self.nodes[name] = _Node(xy, 0, 0)
        return self.nodes[name]

    def _dot(self, xy, color, filled):
        from matplotlib.patches import Circle, Rectangle

        if filled:
            return Circle(xy, 0.11, facecolor=color, edgecolor=color, zorder=3.5)
        s = 0.24
        return Rectangle(
            (xy[0] - s / 2, xy[1] - s / 2),
            s,
            s,
            facecolor="white",
            edgecolor=color,
            linewidth=1.8,
            zorder=3.5,
        )

    def port(self, name, xy):
        """An invisible end point (where a wire enters or leaves the cell)."""
        self.nodes[name] = _Node(xy, 0, 0)
        return self.nodes[name]

    # -- wires ----------------------------------------------------------------------
    def _point(self, item):
        return self.nodes[item].xy if isinstance(item, str) else np.asarray(item, float)

    def wire(self, name, route, role="hidden", arrow=True, width=WIRE_WIDTH):
        """A wire along ``route`` (node names or (x, y) points), ending in an arrow.

        The first and last points are trimmed to the outline of their nodes, so the
        arrow head touches the box or circle it points at. Wires have a white halo:
        where two cross, the later one is drawn as a bridge.
        """
        from matplotlib import patheffects
        from matplotlib.patches import FancyArrowPatch
        from matplotlib.path import Path

        pts = [self._point(p) for p in route]
        if isinstance(route[0], str):
            pts[0] = self.nodes[route[0]].edge_towards(pts[1])
        if isinstance(route[-1], str):
            pts[-1] = self.nodes[route[-1]].edge_towards(pts[-2])
        state = self.state(name)
        lw = width * (1.6 if state == "lit" else 1.0)
        color = self._color(ROLE_INK[role], name)
        dash = ROLE_DASH[role] if width < CELL_WIDTH else "solid"
        halo = [patheffects.withStroke(linewidth=lw + 4, foreground="white")]
        zorder = 2 if state == "lit" else 1
        pts = np.array(pts)
        head = None
        if arrow:
            # the arrow head is drawn solid on the last stretch; the rest carries the dash
            seg = pts[-1] - pts[-2]
            length = float(np.hypot(*seg))
            tip = min(0.45, 0.9 * length)
            start = pts[-1] - seg / length * tip
            head = FancyArrowPatch(
                path=Path(np.array([start, pts[-1]])),
                arrowstyle="-|>,head_length=0.55,head_width=0.3",
                mutation_scale=11 + 0.8 * lw,
                color=color,
                linewidth=lw,
                shrinkA=0,
                shrinkB=0,
                zorder=zorder,
                joinstyle="miter",
                capstyle="butt",
                gid=f"wirehead:{name}",
            )
            pts = np.vstack([pts[:-1], start])
        patch = FancyArrowPatch(
            path=Path(pts),
            arrowstyle="-",
            color=color,
            linewidth=lw,
            linestyle=dash,
            shrinkA=0,
            shrinkB=0,
            zorder=zorder,
            joinstyle="miter",
            capstyle="butt",
            gid=f"wire:{name}",
        )
        patch.set_path_effects(halo)
        self.ax.add_patch(patch)
        if head is not None:  # no halo: it would cut a white notch into the wire's end
            self.ax.add_patch(head)
        return patch

    def legend(self, x, y, step=3.2, pointwise=True):
        """A row explaining the symbols: layer, pointwise operation, copy, concatenation.

        ``pointwise=False`` leaves out the pointwise operation (the RNN cell has none).
        """
        from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

        grey = "#555555"
        ax = self.ax
        # the swatch is dark like the cells' own layer boxes, not pale like the cell body
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.4, y - 0.25),
                0.8,
                0.5,
                facecolor=ROLE_FILL["hidden"],
                edgecolor=grey,
                boxstyle="round,pad=0,rounding_size=0.1",
            )
        )
        texts = [_("layer\n(weights)")]
        slot = 1
        if pointwise:
            ax.add_patch(Circle((x + step, y), 0.25, facecolor="white", edgecolor=grey, lw=1.4))
            ax.text(
                x + step, y, "×", ha="center", va="center_baseline", fontsize=FONT_SIZE["small"]
            )
            texts.append(_("pointwise\noperation"))
            slot = 2
        ax.add_patch(Circle((x + slot * step, y), 0.11, color=grey))
        ax.add_patch(
            Rectangle(
                (x + (slot + 1) * step - 0.12, y - 0.12),
                0.24,
                0.24,
                facecolor="white",
                edgecolor=grey,
                lw=1.6,
            )
        )
        texts += [_("copy"), _("concatenate")]
        for k, text in enumerate(texts):
            ax.text(
                x + k * step + 0.55,
                y,
                text,
                ha="left",
                va="center",
                color="#333333",
                fontsize=FONT_SIZE["small"],
                linespacing=1.0,
                gid=f"legend:{k}",
            )

    # -- text -----------------------------------------------------------------------
    def label(
        self, name, xy, text, role="hidden", ha="center", va="center", size=None, weight="normal"
    ):
        """A name on the picture (``$h_{t-1}$``, "forget gate"), in ``role``'s ink."""
        color = self._color(ROLE_INK[role], name)
        return self.ax.text(
            xy[0],
            xy[1],
            text,
            ha=ha,
            va=va,
            color=color,
            zorder=5,
            weight=weight,
            multialignment=ha,
            linespacing=1.15,
            fontsize=size or FONT_SIZE["normal"],
            gid=f"label:{name}",
        )

    def value(self, name, xy, vector, role="hidden", ha="center", va="center", shown=True):
        """Write ``vector`` (formatted by :func:`format_vector`) on a white tag.

        The ``Text`` gets the gid ``"value:<name>"``; when ``shown`` is False it is
        created invisible (animations reveal values one stage at a time). A gate's
        values (a role with a dashed wire) get a dashed border, like their wire: a
        second cue besides colour.
        """
        dashed = ROLE_DASH[role] != "solid"
        text = self.ax.text(
            xy[0],
            xy[1],
            format_vector(vector, column=True),
            ha=ha,
            va=va,
            zorder=6,
            multialignment="right",
            linespacing=1.1,
            fontsize=FONT_SIZE["small"],
            color=ROLE_INK[role],
            gid=f"value:{name}",
            bbox={
                "boxstyle": "round,pad=0.18",
                "facecolor": "white",
                "edgecolor": blend(ROLE_INK[role], "white", 0.35),
                "linewidth": 1.3 if dashed else 0.9,
                "linestyle": (0, (3, 1.5)) if dashed else "solid",
            },
        )
        text.set_visible(shown)
        return text
