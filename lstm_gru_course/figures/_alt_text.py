"""Alt text for course figures: a plain description from titles and axis labels.

Private helper of :mod:`lstm_gru_course.figures.style`, which re-exports
:func:`describe_axes`.
"""

from __future__ import annotations

from ..i18n import _


def describe_axes(fig) -> str:
    """A plain description of a figure from its title, axes titles and axis labels."""
    parts = []
    title = getattr(fig, "_suptitle", None)
    if title is not None and title.get_text():
        parts.append(_("{state}.").format(state=_plain(title.get_text())))
    for ax in fig.axes:
        if not ax.axison:
            continue
        bits = [_plain(ax.get_title())] if ax.get_title() else []
        y, x = _plain(ax.get_ylabel()), _plain(ax.get_xlabel())
        if y and x:
            bits.append(_("{y} against {x}").format(y=y, x=x))
        names = [
            _plain(t.get_text()) for t in (ax.get_legend().get_texts() if ax.get_legend() else [])
        ]
        if names:
            bits.append(_("lines: {names}").format(names=_(", ").join(names)))
        if bits:
            parts.append(_("Plot: {parts}.").format(parts=_("; ").join(bits)))
    texts = [_plain(t.get_text()) for t in fig.texts if t.get_text()]
    if not parts and texts:
        parts.append(" ".join(texts[:2]))
    return " ".join(parts) or _("A figure of the course.")


def _plain(text: str) -> str:
    """Mathtext made readable aloud-ish: ``$h_{t-1}$`` -> ``h_t-1``."""
    import re

    text = text.replace("\n", " ").replace("\n", " ")
    text = re.sub(r"\\(mathrm|mathbf|operatorname)\{([^}]*)\}", r"\2", text)
    for tex, word in (
        (r"\tanh", "tanh"),
        (r"\sigma", "σ"),
        (r"\odot", "⊙"),
        (r"\Vert", "‖"),
        (r"\partial", "∂"),
        (r"\sqrt", "√"),
        (r"\,", " "),
        (r"\top", "T"),
        (r"\qquad", " "),
        (r"\quad", " "),
    ):
        text = text.replace(tex, word)
    text = re.sub(r"[${}\\]", "", text)
    return " ".join(text.split())
