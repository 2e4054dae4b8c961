"""Words for learners in their language, and text laid out for a notebook's output.

``tr`` translates a message marked with ``N_`` (or a ``Template``, a message with
values) at the moment it is shown, so the language may change after import. ``wrap``
fills paragraphs at 76 columns; Chinese text (two columns a character, no spaces between
words) is filled by its display width and may break between any two characters. Split
out of ``_core``, which re-exports these names.

>>> wrap("word " * 3)
'word word word'
>>> width("门 gate")
7
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

import numpy as np

from ..i18n import _


class Template(str):
    """A message with values: the English text as a ``str``, translated by :func:`tr`.

    ``Template(N_("V = {v} characters"), v=59)`` reads "V = 59 characters"; in another
    language ``tr`` translates the template and fills in the same values.
    """

    def __new__(cls, msgid: str, **values):
        text = super().__new__(cls, msgid.format(**values))
        text.msgid, text.values = msgid, values
        return text


def tr(text):
    """``text`` (a message marked with ``N_``, or a ``Template``) in the current language."""
    if isinstance(text, Template):
        return _(text.msgid).format(**text.values)
    if isinstance(text, str) and text:
        return _(text)
    return text


def join(first: str, second: str) -> str:
    """``first`` and ``second`` as one sentence: a space between them, except after
    Chinese text, which runs on without one."""
    if not first or not second:
        return first + second
    if _wide(first.rstrip()[-1:] or " "):
        return first.rstrip() + second.lstrip()
    return first + second if first.endswith(" ") else f"{first} {second}"


_SHORT_GROUP = re.compile(r"\([^()\s]{1,12}(?: [^()\s]{1,12}){1,3}\)")  # "(4H, I)", "(B, H)"


def wrap(text: str, width: int = 76) -> str:
    """Wrap each paragraph of ``text`` at ``width`` (the book's code column fits ~78);
    never break words, `code in backticks` or short groups in parentheses such as shapes.
    An indented paragraph (a choice's option) keeps its continuation lines indented."""
    lines = []
    for paragraph in text.split("\n"):
        pieces = paragraph.split("`")  # odd pieces are code: glue their spaces together
        glued = "`".join(p.replace(" ", "\u00a0") if k % 2 else p for k, p in enumerate(pieces))
        glued = _SHORT_GROUP.sub(lambda m: m.group(0).replace(" ", "\u00a0"), glued)
        indent = len(paragraph) - len(paragraph.lstrip(" "))
        subsequent = " " * (indent + 4) if indent else ""
        if any(_wide(c) for c in glued):
            filled = _fill_wide(glued, width, subsequent)
        else:
            filled = textwrap.fill(
                glued,
                width,
                break_long_words=False,
                break_on_hyphens=False,
                subsequent_indent=subsequent,
            )
        lines.append(filled.replace("\u00a0", " ") if paragraph else "")
    return "\n".join(lines)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def width(text: str) -> int:
    """The width of ``text`` in a monospaced column: Chinese characters count twice."""
    return sum(2 if _wide(c) else 1 for c in text)


def ljust(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def rjust(text: str, size: int) -> str:
    return " " * max(0, size - width(text)) + text


# Chinese punctuation that must not begin a line (it stays at the end of the line before).
_NO_LINE_START = set("，。、；：！？）》」』”’…")


def _fill_wide(glued: str, size: int, subsequent: str) -> str:
    """Fill a paragraph with Chinese text: a line may break between two Chinese characters
    or at spaces, never inside a Latin word, code or glued group; lines are at most
    ``size`` columns wide (a Chinese character takes two) unless one piece is longer.
    Runs of spaces inside a line (aligned formulas) are kept."""
    stripped = glued.lstrip(" ")
    words: list[str] = []  # spaces as runs, Chinese characters alone, Latin words whole
    for token in re.findall(r" +|[^ ]", stripped):
        latin = token[0] != " " and not _wide(token)
        if latin and words and words[-1][0] != " " and not _wide(words[-1][-1]):
            words[-1] += token
        else:
            words.append(token)
    lines: list[str] = []
    line: list = [" " * (len(glued) - len(stripped))]  # pieces: gaps and words, in order
    gap = ""
    for word in words:
        if word[0] == " ":
            gap = word
            continue
        room = size - (len(subsequent) if lines else 0)
        if width("".join(line)) + len(gap) + width(word) > room and "".join(line).strip():
            if word[0] not in _NO_LINE_START:
                lines.append("".join(line).rstrip())
                line, gap = [], ""
            elif not gap and len(line) >= 5:  # the word before comes down with the mark
                carried = line.pop()
                lines.append("".join(line).rstrip())
                line, gap = [carried], ""
        line += [gap, word]
        gap = ""
    lines.append("".join(line).rstrip())
    return "\n".join(lines[:1] + [subsequent + x for x in lines[1:]])


def inputs_text(names, args) -> str:
    """``the inputs were x (2, 3), learning_rate 0.1``: what a case's inputs look like."""
    parts = []
    for name, value in zip(names, args):
        if isinstance(value, np.ndarray):
            parts.append(f"{name} {value.shape}")
        elif isinstance(value, float):
            parts.append(f"{name} {value:g}")
        elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
            parts.append(f"{name} {value}")
    return _("the inputs were {inputs}").format(inputs=", ".join(parts))


def sample_text(arr: np.ndarray, count: int = 4) -> str:
    values = arr.ravel()[:count]
    text = ", ".join(f"{v:.4g}" for v in values)
    return f"[{text}{', ...' if arr.size > count else ''}]"
