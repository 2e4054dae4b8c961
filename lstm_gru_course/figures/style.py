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
'#C34108'
"""

from __future__ import annotations

import io
import warnings
from contextlib import contextmanager
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validate import choice
from ..i18n import N_
from ._alt_text import describe_axes

__all__ = [
    "ROLES",
    "ROLE_NAMES",
    "ROLE_SYMBOLS",
    "ROLE_FILL",
    "ROLE_INK",
    "ROLE_TEXT_ON_FILL",
    "ROLE_DASH",
    "SERIES",
    "SERIES_DASHES",
    "MODEL_STYLES",
    "COURSE_COLORS",
    "DISPLAY_DPI",
    "RENDER_SCALE",
    "FONT_SIZE",
    "role_color",
    "contrast_ratio",
    "blend",
    "course_style",
    "cjk_family",
    "CJK_FAMILIES",
    "new_figure",
    "CourseFigure",
    "describe_axes",
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
#: (English keys of the catalogue: show them as ``i18n._(ROLE_NAMES[role])``.)
ROLE_NAMES = {
    "hidden": N_("hidden state"),
    "cell": N_("cell state"),
    "forget": N_("forget gate"),
    "input": N_("input gate"),
    "candidate": N_("candidate"),
    "output": N_("output gate"),
    "update": N_("update gate"),
    "reset": N_("reset gate"),
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

#: Lines and text on white: the same hues, darkened to a contrast of at least 4.5:1, and
#: chosen (with :mod:`colorspacious`, see ``tests/test_palette.py``) so that any two roles
#: drawn in one diagram stay at least 10 CAM02-UCS units apart for normal vision and 6
#: under simulated protanopia, deuteranopia and tritanopia.
ROLE_INK = {
    "hidden": "#1A1A1A",
    "cell": "#1C487A",
    "forget": "#C34108",
    "input": "#3666BE",
    "candidate": "#4D4A00",
    "output": "#236C61",
    "update": "#9B2A27",
    "reset": "#B0409F",
}

#: The second cue on wires, besides colour: every gate's output wire has its own dash
#: pattern (matplotlib's ``(offset, (on, off, ...))`` in points, at the wire's width);
#: states and the candidate are solid.
ROLE_DASH = {
    "hidden": "solid",
    "cell": "solid",
    "forget": (0, (3.0, 1.2)),
    "input": (0, (1.0, 1.0)),
    "candidate": "solid",
    "output": (0, (3.0, 1.0, 1.0, 1.0)),
    "update": (0, (3.0, 1.2)),
    "reset": (0, (1.0, 1.0)),
}

#: Colours for quantities that are none of the roles (curves per lag, bars v1, v2, v3,
#: a weight on a number line): greys, told apart by dash pattern and marker, never a
#: gate's colour. They are matplotlib's colour cycle inside :func:`course_style`.
SERIES = ("#1A1A1A", "#6E6E6E", "#A6A6A6", "#4A4A4A", "#8C8C8C")
SERIES_DASHES = ("-", "--", ":", "-.", (0, (5, 1.5, 1, 1.5, 1, 1.5)))

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

#: Every colour a course figure may draw with (besides white, black and the greys of
#: frames and grids, which are in :data:`SERIES` or :data:`NEUTRALS`).
NEUTRALS = (
    "#333333",
    "#555555",
    "#777777",
    "#888888",
    "#8A8A8A",
    "#999999",
    "#9A9A9A",
    "#AAAAAA",
    "#BBBBBB",
    "#DDDDDD",
    "#F3F3F3",
)
COURSE_COLORS = frozenset(
    c.upper()
    for c in (*ROLE_INK.values(), *ROLE_FILL.values(), *SERIES, *NEUTRALS, "#000000", "#FFFFFF")
)

#: Figures are laid out at this many CSS pixels per inch (the width a page gives them)
#: and rendered with ``RENDER_SCALE`` device pixels per CSS pixel: sharp on phones and
#: high-density screens.
DISPLAY_DPI = 100
RENDER_SCALE = 2

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
    "savefig.dpi": DISPLAY_DPI * RENDER_SCALE,
}


def _course_cycle():
    from cycler import cycler

    return cycler(color=list(SERIES), linestyle=list(SERIES_DASHES))


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


#: CJK font families tried, in order, for figures in Chinese (the first one installed wins).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
#: Font files whose names say they hold CJK glyphs (added when matplotlib's font cache
#: predates their installation).
_CJK_FILES = ("notosanscjk", "notosanssc", "sourcehansans", "wqy", "msyh", "pingfang", "simhei")
_CJK_MISSING = (
    "No CJK font found: figures in Chinese will show boxes instead of characters. "
    "Install the Noto Sans CJK fonts (Debian/Ubuntu: sudo apt install fonts-noto-cjk; "
    "elsewhere: Noto Sans CJK SC from https://github.com/notofonts/noto-cjk), then "
    "restart the kernel."
)
_cjk_state: dict = {}


def cjk_family() -> str | None:
    """The CJK font family figures in Chinese use, or None (with one warning) if none is found.

    Looks in matplotlib's font list first; if a CJK font was installed after that list
    was cached, adds the system's CJK font files to it.
    """
    if "family" in _cjk_state:
        return _cjk_state["family"]
    from matplotlib import font_manager

    def known():
        names = {font.name for font in font_manager.fontManager.ttflist}
        return next((family for family in CJK_FAMILIES if family in names), None)

    family = known()
    if family is None:
        for path in font_manager.findSystemFonts():
            name = Path(path).name.lower().replace("-", "").replace("_", "")
            if any(key in name for key in _CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        family = known()
    if family is None:
        warnings.warn(_CJK_MISSING, UserWarning, stacklevel=3)
    _cjk_state["family"] = family
    return family


def _font_settings() -> dict:
    """The font family for the current language: DejaVu Sans, with a CJK font in front for
    Chinese (its Latin letters and digits too; DejaVu Sans draws what it lacks)."""
    from ..i18n import get_language

    if get_language() == "zh_CN":
        family = cjk_family()
        if family is not None:
            return {"font.family": [family, _RC["font.family"]]}
    return {}


@contextmanager
def course_style():
    """Context manager applying the course's fonts, sizes and white backgrounds.

    Fonts are fixed (DejaVu Sans, shipped with matplotlib) so that figures render the
    same on every machine. When the language is Chinese (``i18n.set_language("zh_CN")``)
    a CJK font (:func:`cjk_family`, e.g. Noto Sans CJK SC) goes in front of it; the
    language is read each time, so switching it after import changes the next figure.
    """
    import matplotlib

    with matplotlib.rc_context({**_RC, **_font_settings(), "axes.prop_cycle": _course_cycle()}):
        yield


class CourseFigure(Figure):
    """A matplotlib ``Figure`` that Jupyter shows as a sharp PNG with alt text.

    Jupyter (and the published book) shows it as an HTML ``<img>``: a PNG rendered at
    ``RENDER_SCALE`` device pixels per CSS pixel (sharp on phones and high-density
    screens), displayed ``DISPLAY_DPI`` CSS pixels per inch wide (never wider than the
    page), with ``alt`` text saying what it shows. The function that makes a figure
    sets ``fig.alt``; without one, a description is made from its titles and axis
    labels. The plain-text form is the usual ``<Figure size ... with N Axes>``.
    """

    alt = None

    def __repr__(self):
        return super().__repr__().replace("<CourseFigure", "<Figure", 1)

    def describe(self, alt: str) -> CourseFigure:
        """Set the figure's alt text (what it shows, in a sentence or two); returns it."""
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError(f"alt must be a non-empty sentence, but received {alt!r:.60}.")
        self.alt = " ".join(alt.split())
        return self

    def alt_text(self) -> str:
        """``alt`` if it was set, else a description from the titles and axis labels."""
        if self.alt:
            return self.alt
        return describe_axes(self)

    def png(self, scale: float = RENDER_SCALE, colors: int | None = 256) -> bytes:
        """The figure as PNG bytes at ``scale`` device pixels per CSS pixel.

        With ``colors`` (default 256) the PNG is re-encoded with a palette of that many
        colours (no dithering): figures have few colours, so this keeps them sharp and
        makes them about 3 times smaller. ``colors=None`` keeps full RGBA.
        """
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=DISPLAY_DPI * scale, metadata={"Software": None})
        if colors is None:
            return buf.getvalue()
        from PIL import Image

        image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
        small = image.quantize(
            colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
        return out.getvalue()

    def _repr_html_(self):
        import base64
        import html

        data = base64.b64encode(self.png()).decode("ascii")
        width = round(self.get_figwidth() * DISPLAY_DPI)
        height = round(self.get_figheight() * DISPLAY_DPI)
        return (
            f'<img src="data:image/png;base64,{data}" width="{width}" '
            f'height="{height}" alt="{html.escape(self.alt_text(), quote=True)}" '
            f'class="course-figure" style="max-width: 100%; height: auto;">'
        )


def _show_once_in_ipython():
    """In IPython, show a CourseFigure only through its HTML form.

    ``%matplotlib inline`` registers a PNG printer for every matplotlib ``Figure``; a
    CourseFigure would then be stored twice (a 1x PNG besides the sharp HTML image).
    A printer for the subclass that returns None takes precedence and stops that.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    for mime in ("image/png", "image/jpeg", "image/svg+xml", "application/pdf"):
        formatter = shell.display_formatter.formatters.get(mime)
        if formatter is not None:
            formatter.for_type(CourseFigure, lambda fig: None)


def new_figure(
    width: float, height: float, dpi: int = DISPLAY_DPI, alt: str | None = None, **kwargs
):
    """A white :class:`CourseFigure` not managed by pyplot (so never shown twice).

    Call inside :func:`course_style` so its text picks up the course's fonts.
    ``alt`` says what the figure shows (see :meth:`CourseFigure.describe`); ``kwargs``
    go to ``Figure`` (e.g. ``layout="constrained"``).
    """
    fig = CourseFigure(figsize=(width, height), dpi=dpi, facecolor="white", **kwargs)
    FigureCanvasAgg(fig)
    if alt is not None:
        fig.describe(alt)
    return fig


_show_once_in_ipython()
