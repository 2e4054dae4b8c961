"""What every explorer shares: a box of controls, a picture, a readout, and safe updates.

Figures are rendered to PNG bytes and shown in a ``widgets.Image``; text goes into a
``widgets.HTML``. Both are updated by setting ``.value`` only: nothing is printed or
displayed while a cell runs (nbval would see it as an extra output), and the saved
widget state holds the last picture, so the static book shows it.

For screen readers and keyboards: every control has a ``description`` (its accessible
name); the picture's ``tooltip`` (its ``title``, the text alternative of the image)
repeats the explorer's title and the numbers of the readout, and the built book copies
it into the image's ``alt`` (tools/sphinx_ext/static/course-a11y.js); the readout carries
the class ``lgc-readout``, which the built book makes a polite live region.
"""

from __future__ import annotations

import html
import io
import re
import time
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
import traitlets

from ..figures.style import ROLE_FILL, ROLE_INK
from ..i18n import _

#: CSS pixels per inch of explorer pictures: an 8-inch-wide figure is shown 640 px wide
#: (smaller on narrow screens), never blown up. It is drawn at ``SCALE`` times that
#: (``figure_png``'s default), so it stays sharp on high-density screens.
DPI = 80
SCALE = 2
_PALETTE_COLORS = 128
_ERROR_STYLE = "color:#B00020; background:#FFF0F0; padding:4px 8px; border-radius:4px"
#: Display name of each network kind (also the key of ``figures.style.MODEL_STYLES``).
_KIND_LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def figure_png(fig, dpi=SCALE * DPI) -> bytes:
    """``fig`` as palette PNG bytes, drawn at ``dpi`` (default: ``SCALE`` × ``DPI``).

    Plots have few colours, so a 128-colour palette keeps them sharp and 3-4 times
    smaller than RGB; the canvas is quantized directly (no PNG round trip), which keeps
    an explorer's update fast.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if fig.get_dpi() != dpi:
        fig.set_dpi(dpi)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    small = rgb.quantize(
        colors=_PALETTE_COLORS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def as_image(fig, dpi=90, alt=None):
    """``fig`` as an HTML image with alt text: how notebooks show a static companion.

    The palette PNG is drawn at twice ``dpi`` and shown at ``dpi`` (sharp on high-density
    screens). ``alt`` (default: the figure's own ``alt_text()``, else a description from
    its titles and axis labels) says what it shows, for screen readers and the PDF. Its
    plain-text form is IPython's fixed ``<IPython.core.display.HTML object>``, so stored
    notebook outputs stay the same run after run.
    """
    import base64

    from IPython.display import HTML

    from ..figures.style import describe_axes

    if alt is None:
        alt = fig.alt_text() if hasattr(fig, "alt_text") else describe_axes(fig)
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a non-empty sentence, but received {alt!r:.60}.")
    png = figure_png(fig, dpi=2 * dpi)
    width = int.from_bytes(png[16:20], "big") // 2
    height = int.from_bytes(png[20:24], "big") // 2
    data = base64.b64encode(png).decode("ascii")
    return HTML(
        f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
        f'alt="{html.escape(" ".join(alt.split()), quote=True)}" class="course-figure" '
        'style="max-width: 100%; height: auto;">'
    )


def number(value, digits=2) -> str:
    """A number for readouts and labels: ``−0.25``, ``0.0036``, ``3.5×10⁹``, ``∞``.

    Minus signs are typographic (U+2212); no mathtext, so labels draw fast.
    """
    value = float(value)
    if value != value:
        return "NaN"
    if abs(value) == float("inf"):
        return ("−" if value < 0 else "") + "∞"
    if value == 0 or 0.01 <= abs(value) < 1e5:
        text = f"{value:.{digits}f}"
    elif abs(value) >= 0.001 and abs(value) < 0.01:
        text = f"{value:.2g}"
    else:
        mantissa, exponent = f"{value:.1e}".split("e")
        text = f"{mantissa}×10{_superscript(int(exponent))}"
    return text.replace("-", "\u2212")


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(exponent: int) -> str:
    return str(exponent).translate(_SUPERSCRIPTS)


def power_of_ten_labels(ax, axis="y") -> None:
    """Label a log axis ``10⁻³``, ``10⁰``, ... in plain text (mathtext is slow to draw)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(LogLocator(base=10, numticks=7))
    target.set_major_formatter(
        FuncFormatter(lambda v, _: "" if v <= 0 else f"10{_superscript(int(round(np.log10(v))))}")
    )
    target.set_minor_formatter(NullFormatter())


def vector(values, digits=2) -> str:
    """``[0.62, −0.40]``: a short vector for the readouts."""
    return "[" + ", ".join(number(v, digits) for v in values) + "]"


def plain_text(markup: str) -> str:
    """``markup`` (a readout's HTML) as one line of plain text: tags dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>|</(?:p|div|li)>|<sub>", " ", str(markup))
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", " ", text).strip()


def role_span(role: str, text: str) -> str:
    """``text`` (HTML: may hold ``<sub>``) in the ink colour of ``role`` ("forget", ...), bold."""
    return f'<b style="color:{ROLE_INK[role]}">{text}</b>'


def slider_style(role=None) -> dict:
    """Style for a slider: a wide description, and a handle in ``role``'s colour."""
    style = {"description_width": "initial"}
    if role is not None:
        style["handle_color"] = ROLE_FILL[role]
    return style


class Picture(widgets.Image):
    """A ``widgets.Image`` whose ``tooltip`` becomes the picture's ``title`` (its text alternative).

    The widget front end (``DOMWidgetView.updateTooltip``, ipywidgets 8) reads the model's
    ``description`` before setting ``title``, and ``Image`` has none: a bare
    ``Image(tooltip=...)`` fails to draw. This one syncs an empty ``description``. (Its
    declared default is a space so that state saved without defaults, as
    ``ipywidgets.embed`` does, still carries the empty value.)
    """

    description = traitlets.Unicode(" ").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.description = ""


class Explorer(widgets.VBox):
    """An explorer: a title, controls, a picture (``image``), a text ``readout``, a ``message``.

    ``controls`` maps names to the widgets the learner moves; ``refresh(settings)``
    returns ``(png_bytes or None, readout_html)`` from ``settings`` = ``{name: value}``.
    Every control named in ``live`` redraws on change; others (buttons, or controls that
    start slow work) are wired by the explorer itself. Any exception raised while
    refreshing is shown in ``message`` as a readable line, and the last good picture
    stays. ``last_update_seconds`` is how long the last refresh took.
    """

    def __init__(self, title, controls, rows, refresh, live=None, help_text=""):
        self.title = title
        self.controls = dict(controls)
        self.image = Picture(
            format="png",
            layout=widgets.Layout(max_width="100%", height="auto"),
            tooltip=_("{title} (picture)").format(title=title),
        )
        self.readout = widgets.HTML()
        self.readout.add_class("lgc-readout")
        self.message = widgets.HTML()
        self.last_update_seconds = None
        self._refresh = refresh
        self._held = 0
        header = widgets.HTML(
            f"<b style='font-size:1.1em'>{html.escape(title)}</b>"
            + (f"<br>{help_text}" if help_text else "")
        )
        super().__init__(
            [header, *rows, self.message, self.image, self.readout],
            layout=widgets.Layout(width="100%", max_width="900px"),
        )
        for name in self.controls if live is None else live:
            self.controls[name].observe(self._on_change, names="value")

    def __repr__(self) -> str:
        return f"<explorer: {self.title}>"

    def settings(self) -> dict:
        """The current value of every control that has one, by name."""
        return {name: c.value for name, c in self.controls.items() if hasattr(c, "value")}

    def _on_change(self, change=None):
        if not self._held:
            self.update()

    @contextmanager
    def hold(self):
        """Change several controls at once, then redraw once."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if not self._held:
            self.update()

    def show_error(self, error) -> None:
        """Show ``error`` (an exception or a sentence) as a readable line above the picture."""
        if isinstance(error, BaseException):
            text = str(error) or type(error).__name__
            if not isinstance(error, (ValueError, TypeError)):
                text = f"{type(error).__name__}: {text}"
        else:
            text = str(error)
        self.message.value = f"<div style='{_ERROR_STYLE}'>⚠ {html.escape(text)}</div>"

    def update(self, **extra) -> bool:
        """Recompute and redraw from the controls (and ``extra`` settings, such as the button
        pressed); True on success, False if an error is shown instead."""
        start = time.perf_counter()
        try:
            png, text = self._refresh({**self.settings(), **extra})
        except Exception as error:  # shown to the learner instead of a traceback
            self.show_error(error)
            return False
        finally:
            self.last_update_seconds = time.perf_counter() - start
        if png is not None:
            self.image.value = png
            # Shown at 1/SCALE of the PNG's own width: the same size, SCALE device px per CSS px.
            self.image.width = str(int.from_bytes(png[16:20], "big") // SCALE)
        self.readout.value = text
        if png is not None:
            self.image.tooltip = self.describe_picture(text)
        self.message.value = ""
        return True

    def describe_picture(self, readout_html: str, limit: int = 400) -> str:
        """The picture's text alternative: the title, then the readout's numbers as plain text."""
        words = plain_text(readout_html)
        if len(words) > limit:
            words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
        if not words:
            return self.title
        if self.title.endswith((".", "?", "!", ":", "。", "？", "！", "：")):
            return f"{self.title} {words}"
        return _("{title}. {readout}").format(title=self.title, readout=words)
