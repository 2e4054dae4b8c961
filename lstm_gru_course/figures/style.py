"""The course's visual language: one colour per role, fonts, sizes, white backgrounds.

Every figure, plot, animation and widget label takes its colours from here, so the
forget gate is the same vermillion in the LSTM diagram, in a heatmap and in the prose.
The palette is Okabe & Ito's (2008), which stays distinguishable with the common forms
of colour blindness. Each role has two colours:

- ``ROLE_FILL[role]``: the fill of a layer box (with ``ROLE_TEXT_ON_FILL[role]`` on it);
- ``ROLE_INK[role]``: wires, text and plot lines on white, dark enough to keep a
  contrast ratio of at least 4.5:1 against white (so text stays readable in print and
  in greyscale).

Colour is never the only cue: every box, wire and plot line also carries its name.

>>> ROLE_INK["forget"]
'#B84F00'
"""

from __future__ import annotations

import io
from contextlib import contextmanager

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validate import choice

__all__ = [
    "ROLES",
    "ROLE_NAMES",
    "ROLE_SYMBOLS",
    "ROLE_FILL",
    "ROLE_INK",
    "ROLE_TEXT_ON_FILL",
    "MODEL_STYLES",
    "FONT_SIZE",
    "role_color",
    "contrast_ratio",
    "blend",
    "course_style",
    "new_figure",
    "CourseFigure",
]

#: The eight roles that have a colour, in the order the book introduces them.
ROLES = (
    "hidden",
    "cell",
    "forget",
    "input",
    "candidate",
    "output",
    "update",
    "reset",
)

#: What the book calls each role.
ROLE_NAMES = {
    "hidden": "hidden state",
    "cell": "cell state",
    "forget": "forget gate",
    "input": "input gate",
    "candidate": "candidate",
    "output": "output gate",
    "update": "update gate",
    "reset": "reset gate",
}

#: The letter each role has in the book's equations (PyTorch's names).
ROLE_SYMBOLS = {
    "hidden": "h",
    "cell": "c",
    "forget": "f",
    "input": "i",
    "candidate": "g",
    "output": "o",
    "update": "z",
    "reset": "r",
}

#: Box fills: the Okabe-Ito colours themselves.
ROLE_FILL = {
    "hidden": "#3A3A3A",
    "cell": "#0072B2",
    "forget": "#D55E00",
    "input": "#56B4E9",
    "candidate": "#F0E442",
    "output": "#009E73",
    "update": "#E69F00",
    "reset": "#CC79A7",
}

#: Lines and text on white: the same hues, darkened to a contrast of at least 4.5:1.
ROLE_INK = {
    "hidden": "#1A1A1A",
    "cell": "#0072B2",
    "forget": "#B84F00",
    "input": "#1F6E9C",
    "candidate": "#6E6500",
    "output": "#00775A",
    "update": "#8F6200",
    "reset": "#A3417C",
}

#: Text colour on each fill, whichever of black and white contrasts more.
ROLE_TEXT_ON_FILL = {
    "hidden": "white",
    "cell": "white",
    "forget": "black",
    "input": "black",
    "candidate": "black",
    "output": "black",
    "update": "black",
    "reset": "black",
}

#: Line styles of the three models in plots: colour, dash and marker all differ.
MODEL_STYLES = {
    "RNN": {"color": "#1A1A1A", "linestyle": ":", "marker": "o"},
    "LSTM": {"color": ROLE_INK["cell"], "linestyle": "-", "marker": "s"},
    "GRU": {"color": ROLE_INK["update"], "linestyle": "--", "marker": "^"},
}

#: Font sizes in points, chosen for figures about 8 inches wide shown at full width.
FONT_SIZE = {"small": 10.5, "normal": 12, "large": 13.5, "title": 14}

_RC = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": FONT_SIZE["normal"],
    "axes.titlesize": FONT_SIZE["large"],
    "axes.labelsize": FONT_SIZE["normal"],
    "xtick.labelsize": FONT_SIZE["small"],
    "ytick.labelsize": FONT_SIZE["small"],
    "legend.fontsize": FONT_SIZE["small"],
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "svg.hashsalt": "lstm_gru_course",
}


def role_color(role: str, kind: str = "ink") -> str:
    """The colour of ``role`` ("forget", "cell", ...): ``kind`` is "ink" or "fill".

    >>> role_color("cell", "fill")
    '#0072B2'
    """
    choice("role", role, ROLES)
    choice("kind", kind, ("ink", "fill"))
    return (ROLE_INK if kind == "ink" else ROLE_FILL)[role]


def _rgb(color) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)


def _luminance(color) -> float:
    """WCAG relative luminance of a colour, in [0, 1]."""

    def channel(u):
        return u / 12.92 if u <= 0.03928 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(u) for u in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(color_a, color_b) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white).

    >>> round(contrast_ratio("black", "white"), 1)
    21.0
    """
    la, lb = sorted((_luminance(color_a), _luminance(color_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(color, other="white", amount: float = 0.5) -> tuple[float, float, float]:
    """Mix ``amount`` of ``other`` into ``color`` (0 keeps ``color``, 1 gives ``other``)."""
    a, b = _rgb(color), _rgb(other)
    return tuple((1 - amount) * u + amount * v for u, v in zip(a, b))


@contextmanager
def course_style():
    """Context manager applying the course's fonts, sizes and white backgrounds.

    Fonts are fixed (DejaVu Sans, shipped with matplotlib) so that figures render the
    same on every machine.
    """
    import matplotlib

    with matplotlib.rc_context(_RC):
        yield


class CourseFigure(Figure):
    """A matplotlib ``Figure`` that Jupyter shows as a PNG whatever the backend.

    Figures made outside pyplot are not shown by the inline backend unless
    ``%matplotlib inline`` ran; ``_repr_png_`` makes them display anyway, at the
    figure's own size and dpi (no cropping, so the designed margins stay).
    """

    def __repr__(self):
        return super().__repr__().replace("<CourseFigure", "<Figure", 1)

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png")
        return buf.getvalue()


def new_figure(width: float, height: float, dpi: int = 100, **kwargs):
    """A white :class:`CourseFigure` not managed by pyplot (so never shown twice).

    Call inside :func:`course_style` so its text picks up the course's fonts.
    ``kwargs`` go to ``Figure`` (e.g. ``layout="constrained"``).
    """
    fig = CourseFigure(figsize=(width, height), dpi=dpi, facecolor="white", **kwargs)
    FigureCanvasAgg(fig)
    return fig
