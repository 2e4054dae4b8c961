"""JavaScript animations that work in the static book: the machinery.

Every animation of the course is a ``matplotlib.animation.FuncAnimation`` over a
figure that is redrawn frame by frame. :func:`to_jshtml` turns it into a
self-contained HTML player (play / pause / step buttons, a slider) whose frames are
embedded PNGs, so it plays in the published book with no kernel. The HTML is made to
be reproducible and offline:

- frames are drawn at a fixed dpi, with fixed fonts, and re-encoded as palette PNGs
  (diagrams have few colours), which makes them 3-4 times smaller;
- the player's element ids are a hash of its content instead of a random uuid, so
  re-running a notebook gives byte-identical output;
- the Font Awesome stylesheet that matplotlib's player loads from the internet is
  removed and its icons replaced by plain characters, so nothing leaves the machine;
- the picture, the slider and the buttons shrink to fit a phone's screen.

>>> from lstm_gru_course.figures.curves import tanh_animation
>>> html = to_jshtml(tanh_animation())
>>> html.count("data:image/png") <= MAX_FRAMES and "https://" not in html
True
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tempfile
from html import escape
from pathlib import Path

from matplotlib.animation import FuncAnimation, HTMLWriter

from .._validate import choice, finite_number, positive_int
from ..i18n import N_, _
from .style import course_style, new_figure

__all__ = ["CourseAnimation", "to_jshtml", "to_html", "MAX_FRAMES", "MAX_BYTES", "DPI"]

#: Limits every animation of the course respects.
MAX_FRAMES = 40
MAX_BYTES = int(1.5 * 1024 * 1024)
#: CSS pixels per inch at which animations are shown (an 8.6-inch-wide cell diagram
#: is 688 CSS px wide) and the device pixels per CSS pixel their frames are drawn with
#: (2: sharp on phones and high-density screens).
DISPLAY_DPI = 80
SCALE = 2
DPI = DISPLAY_DPI * SCALE
_PALETTE_COLORS = 64

_ICONS = {
    "fa fa-minus": "\u2212",
    "fa fa-fast-backward": "\u00ab",
    "fa fa-step-backward": "\u2039",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "\u275a\u275a",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u203a",
    "fa fa-fast-forward": "\u00bb",
    "fa fa-plus": "+",
}

#: The words of matplotlib's player (button titles and labels), shown translated.
_PLAYER_WORDS = (
    N_("Decrease speed"),
    N_("First frame"),
    N_("Previous frame"),
    N_("Play backwards"),
    N_("Pause"),
    N_("Play"),
    N_("Next frame"),
    N_("Last frame"),
    N_("Increase speed"),
    N_("Repetition mode"),
    N_("Once"),
    N_("Loop"),
    N_("Reflect"),
)

# On a phone the player must fit in ~370 px: the picture scales down, the slider and the
# nine buttons shrink to the width available.
_NARROW_SCREENS = {
    ".animation {\n": ".animation {\n    max-width: 100%;\n",
    "width: 374px;": "width: 374px;\n    max-width: 100%;",
    "width: 36px;": "width: 34px;",
    "</style>": ".animation img {\n    max-width: 100%;\n    height: auto;\n}\n</style>",
}


class CourseAnimation(FuncAnimation):
    """A ``FuncAnimation`` whose frame ``k`` is drawn from scratch by ``draw(fig, k)``.

    The figure (``width`` x ``height`` inches, white) is cleared before each frame and
    ``draw`` runs under the course's style, so every frame looks the same whoever
    renders it. ``fps`` is the playing speed in frames per second. In Jupyter the
    animation displays itself as the JavaScript player (see :func:`to_jshtml`).
    """

    def __init__(self, title, width, height, n_frames, draw, fps=2.0, alt=None):
        n_frames = positive_int("n_frames", n_frames)
        if n_frames > MAX_FRAMES:
            raise ValueError(f"n_frames must be at most {MAX_FRAMES}, but received {n_frames}.")
        with course_style():
            fig = new_figure(width, height, dpi=DISPLAY_DPI)
        self.figure = fig
        self.title = str(title)
        self.alt = (
            " ".join(str(alt).split())
            if alt
            else _("An animation: {title}.").format(title=self.title)
        )
        self.n_frames = n_frames
        self.fps = finite_number("fps", fps, low=0.1, high=60)
        self._draw = draw
        self._html = None
        self.draw_frame(0)
        super().__init__(
            fig,
            self.draw_frame,
            frames=n_frames,
            interval=1000 / self.fps,
            repeat=True,
            blit=False,
            cache_frame_data=False,
        )
        # Frame 0 is already drawn: tell matplotlib not to warn "deleted without rendering"
        # when an animation is only inspected (frame_png) and never played.
        self._draw_was_started = True

    def draw_frame(self, k: int):
        """Draw frame ``k`` on the animation's figure (returns no artists: no blitting)."""
        self.figure.clear()
        with course_style():
            self._draw(self.figure, k)
        return []

    def frame_png(self, k: int) -> bytes:
        """Frame ``k`` as PNG bytes, as the player shows it (before palette re-encoding)."""
        self.draw_frame(k)
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=DPI)
        return buf.getvalue()

    def to_jshtml(self, fps=None, embed_frames=True, default_mode="loop"):
        """See :func:`to_jshtml` (computed once, then cached)."""
        if self._html is None:
            self._html = to_jshtml(self, default_mode=default_mode)
        return self._html

    def _repr_html_(self):
        return self.to_jshtml()

    def __repr__(self):
        return f"<animation: {self.title}, {self.n_frames} frames>"


def _quantize(match) -> str:
    from PIL import Image

    raw = base64.b64decode(match.group(1).replace("\\\n", "").replace("\n", ""))
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    small = image.quantize(
        colors=_PALETTE_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def to_jshtml(anim, default_mode: str = "loop") -> str:
    """The animation as a self-contained, reproducible HTML player (a string).

    ``default_mode`` is what happens at the last frame: "loop", "once" or "reflect".
    Raises ``ValueError`` if the animation has more than ``MAX_FRAMES`` frames or its
    HTML is larger than ``MAX_BYTES``.
    """
    if not isinstance(anim, CourseAnimation):
        raise TypeError(
            f"anim must be an animation made by lstm_gru_course.figures, "
            f"but received an object of type {type(anim).__name__}."
        )
    default_mode = choice("default_mode", default_mode, ("loop", "once", "reflect"))
    with tempfile.TemporaryDirectory() as tmp, course_style():
        path = Path(tmp, "animation.html")
        writer = HTMLWriter(
            fps=anim.fps,
            embed_frames=True,
            default_mode=default_mode,
            embed_limit=4 * MAX_BYTES / 1024 / 1024,
        )
        with writer.saving(anim.figure, str(path), dpi=DPI):
            for k in range(anim.n_frames):
                anim.draw_frame(k)
                writer.grab_frame()
        html = path.read_text()
    n_frames = html.count("data:image/png;base64,")
    if n_frames != anim.n_frames:
        raise ValueError(f"{anim.n_frames} frames were drawn but {n_frames} embedded.")
    html = re.sub(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", _quantize, html)
    html = re.sub(r'<link rel="stylesheet"\s*href="https://[^"]*font-awesome[^"]*">', "", html)
    for css, char in _ICONS.items():
        html = html.replace(f'<i class="{css}"></i>', char)
    for old, new in _NARROW_SCREENS.items():
        html = html.replace(old, new)
    for word in _PLAYER_WORDS:
        shown = escape(_(word), quote=True)
        if shown != word:
            for pattern in ('title="{}"', 'aria-label="{}"', ">{}</label>"):
                html = html.replace(pattern.format(word), pattern.format(shown))
    if "https://" in html or "http://" in html:
        raise RuntimeError("the animation's HTML refers to an external resource.")
    width = round(anim.figure.get_figwidth() * DISPLAY_DPI)
    height = round(anim.figure.get_figheight() * DISPLAY_DPI)
    alt = escape(
        _("{alt} ({n} frames; the buttons below play, pause and step through them.)").format(
            alt=anim.alt, n=anim.n_frames
        ),
        quote=True,
    )
    html = html.replace(
        '<img id="_anim_img',
        f'<img width="{width}" height="{height}" alt="{alt}" '
        f'role="img" aria-label="{alt}" id="_anim_img',
        1,
    )
    uid = re.search(r'id="_anim_img([0-9a-f]+)"', html).group(1)
    digest = hashlib.sha1(html.replace(uid, "").encode()).hexdigest()[:16]
    html = html.replace(uid, digest)
    size = len(html.encode())
    if size > MAX_BYTES:
        raise ValueError(f"the animation's HTML is {size} bytes; at most {MAX_BYTES} allowed.")
    return html


def to_html(anim, default_mode: str = "loop"):
    """The animation as an ``IPython.display.HTML`` object (the JavaScript player).

    Its plain-text form is IPython's fixed ``<IPython.core.display.HTML object>``,
    so stored notebook outputs stay the same run after run.
    """
    from IPython.display import HTML

    return HTML(to_jshtml(anim, default_mode=default_mode))
