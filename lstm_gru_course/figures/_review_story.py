"""The review story: reading a product review, the words that matter light up.

Private helper of :mod:`lstm_gru_course.figures.stories`, which re-exports
:func:`review_animation`, ``REVIEW`` and ``REVIEW_KEYWORDS``.
"""

from __future__ import annotations

import re

import numpy as np
from matplotlib.lines import Line2D

from ..i18n import N_, _
from .animations import CourseAnimation
from .style import FONT_SIZE, ROLE_FILL, ROLE_INK, blend

#: A product review written for this course, and the phrases a reader remembers.
#: (Both are shown translated: ``review_animation()`` reads ``i18n._(REVIEW)``.)
# Translators: the animation reads the review word by word, words separated by spaces:
# put a space between the words of the translation (e.g. "我 上个月 买了 这台 搅拌机，"),
# and make every key phrase below appear in it, word for word, with the same spaces.
REVIEW = N_(
    "Amazing! I bought this blender last month after reading a lot of reviews, and it "
    "crushes ice in seconds and is really easy to clean. For the price I would "
    "definitely buy it again. Five stars, even though it is a bit loud."
)
REVIEW_KEYWORDS = (
    # Translators: a key phrase of the review, exactly as it appears there (with spaces).
    N_("amazing"),
    N_("crushes ice"),
    N_("easy to clean"),
    N_("definitely buy it again"),
    N_("five stars"),
)
_HIGHLIGHT = blend(ROLE_FILL["input"], "white", 0.45)


def _bare(word: str) -> str:
    return re.sub(r"[^\w]", "", word).lower()


def _phrase_index(words, phrases) -> np.ndarray:
    """For each word, the index of the key phrase it belongs to, or -1."""
    bare = [_bare(w) for w in words]
    index = np.full(len(words), -1)
    for p, phrase in enumerate(phrases):
        parts = phrase.lower().split()
        for i in range(len(words) - len(parts) + 1):
            if bare[i : i + len(parts)] == parts:
                index[i : i + len(parts)] = p
    return index


def _layout_words(fig, words, size, left, right, top, line_height, gap_pt):
    """Figure-fraction (x, y) of each word's left end, wrapped between ``left`` and ``right``.

    Every word is measured as drawn (by the figure's renderer, at ``size`` points, normal
    weight), and consecutive words are ``gap_pt`` points apart on every line, whether or
    not they are highlighted later.
    """
    renderer = fig.canvas.get_renderer()
    width_px = fig.bbox.width
    gap = gap_pt * fig.dpi / 72 / width_px
    x, y, spots = left, top, []
    for w in words:
        probe = fig.text(0, 0, w, fontsize=size)
        wide = probe.get_window_extent(renderer).width / width_px
        probe.remove()
        if x + wide > right and x > left:
            x, y = left, y - line_height
        spots.append((x, y))
        x += wide + gap
    return spots


def review_animation(review: str | None = None, keywords=None, fps=3):
    """Reading a review: key words light up as they are read; only they are remembered.

    Words keep their place from frame to frame, evenly spaced; a key word, once read,
    is highlighted (a coloured box) and stays black while the rest fades.

    ``review`` is any text (default: ``REVIEW``, in the current language); ``keywords``
    the phrases that light up (case and punctuation ignored; default: ``REVIEW_KEYWORDS``,
    translated along with the default review). Words are read two (or more) per frame,
    then the rest fades; at most 40 frames.
    """
    if review is None:
        review = _(REVIEW)
        if keywords is None:
            keywords = tuple(_(k) for k in REVIEW_KEYWORDS)
    if keywords is None:
        keywords = REVIEW_KEYWORDS
    if not isinstance(review, str) or not review.split():
        raise ValueError(f"review must be a non-empty string, but received {review!r:.40}.")
    words = review.split()
    phrase = _phrase_index(words, keywords)
    per_frame = max(2, -(-len(words) // 34))
    n_read = -(-len(words) // per_frame)
    n = 1 + n_read + 3
    size = 15
    pad = 0.15  # highlight margin, in units of the font size
    spots = []

    def frame(fig, k):
        if not spots:  # one layout for all frames: words never move
            spots.extend(
                _layout_words(fig, words, size, 0.05, 0.95, 0.78, 0.1, gap_pt=(0.33 + pad) * size)
            )
        # frame 0 shows the whole review (what the reader is about to read); then the
        # words are read a few per frame
        read = len(words) if k == 0 else min((k - 1) * per_frame + per_frame, len(words))
        faded = k > n_read + 1
        fig.text(
            0.5,
            0.95,
            _("Reading a review: what would you remember?"),
            ha="center",
            va="top",
            fontsize=FONT_SIZE["title"],
            weight="bold",
        )
        for i, (w, (x, y)) in enumerate(zip(words, spots)):
            key = phrase[i] >= 0
            seen = i < read
            color = "black" if (seen and (key or not faded)) else "#BBBBBB"
            forgotten = k > 0 and seen and faded and not key
            if k == 0:
                color = "black"
            bbox = (
                {"boxstyle": f"round,pad={pad}", "facecolor": _HIGHLIGHT, "edgecolor": "none"}
                if key and seen and k > 0
                else None
            )
            # not yet read: light grey; forgotten: grey, italic and struck through
            text = fig.text(
                x,
                y,
                w,
                fontsize=size,
                color="#999999" if forgotten else color,
                va="baseline",
                bbox=bbox,
                style="italic" if forgotten else "normal",
                gid=f"word:{i}",
            )
            if forgotten:
                box = text.get_window_extent(fig.canvas.get_renderer())
                (x0, y0), (x1, y1) = fig.transFigure.inverted().transform(box)
                mid = y0 + 0.42 * (y1 - y0)
                fig.add_artist(
                    Line2D(
                        [x0, x1],
                        [mid, mid],
                        transform=fig.transFigure,
                        color="#777777",
                        lw=1.4,
                        gid=f"struck:{i}",
                    )
                )
        remembered = []
        for p in range(len(keywords)):
            got = [_bare(words[i]) for i in np.flatnonzero(phrase[: read if k else 0] == p)]
            if got:
                remembered.append(" ".join(got))
        fig.text(
            0.05,
            0.22,
            _("Remembered:"),
            fontsize=FONT_SIZE["normal"],
            weight="bold",
            color=ROLE_INK["input"],
        )
        fig.text(
            0.05,
            0.08,
            " · ".join(remembered) or "…",
            fontsize=FONT_SIZE["normal"],
            color="black",
            gid="remembered",
        )
        if k > 0:  # from the first read on, so that the grey words are explained at once
            fig.text(
                0.95,
                0.22,
                _("light grey: not read yet  ·  struck through: forgotten"),
                ha="right",
                fontsize=FONT_SIZE["small"],
                color="#555555",
                gid="review-key",
            )

    alt = _(
        "Animation: a product review is read a few words at a time; the key phrases "
        "({phrases}) light up as they are read, the other words fade, and only the key "
        "phrases are listed as remembered."
    ).format(phrases=_(", ").join(keywords))
    return CourseAnimation(_("reading a review"), 8.0, 3.6, n, frame, fps=fps, alt=alt)
