"""The whole course's progress at a glance: ``exercises.overview()``.

One row per chapter: how many of its checked exercises are done, attempted (checked at
least once, not yet passed) and not started, with one mark per exercise (✓ done,
✗ attempted, ○ not started), and how many model answers of its questions to think about
were read. In Jupyter it shows as a small HTML table (plain HTML and inline styles, so it
renders the same in JupyterLab, in a notebook viewer and in the static book); printed, or
anywhere without HTML, it is a plain-text table.

>>> view = overview(entries={"compare.step_time": {"attempts": 2, "done": True},
...                          "compare.always_x": {"attempts": 1, "done": False}})
>>> print(next(line for line in str(view).splitlines() if line.startswith("7.")))
7. LSTM or GRU?                     1          1            2  ○✓✗○
"""

from __future__ import annotations

import html
import importlib
from dataclasses import dataclass

from ..i18n import N_, _
from . import _progress
from ._core import _REGISTRY, CHAPTERS, chapter_title, ljust, rjust, tr, width
from ._guard import describe_error

DONE, ATTEMPTED, NOT_STARTED = "done", "attempted", "not started"
_MARK = {DONE: "✓", ATTEMPTED: "✗", NOT_STARTED: "○"}
_HEADINGS = {DONE: N_("done"), ATTEMPTED: N_("attempted"), NOT_STARTED: N_("not started")}
_COLOUR = {DONE: "#2e7d32", ATTEMPTED: "#c62828", NOT_STARTED: "#9e9e9e"}


@dataclass(frozen=True)
class ChapterRow:
    chapter: str  # the module name, e.g. "lstm"
    title: str  # e.g. "5. The LSTM" (in the current language)
    exercises: tuple  # ((name, status), ...) for the checked exercises, in book order
    read: int  # model answers read, of ...
    thoughts: int  # ... the questions to think about

    def count(self, status: str) -> int:
        return sum(s == status for _, s in self.exercises)


def _status(entry: dict) -> str:
    if entry.get("done"):
        return DONE
    return ATTEMPTED if entry.get("attempts", 0) else NOT_STARTED


def rows(entries: dict) -> list[ChapterRow]:
    """One ``ChapterRow`` per chapter, from progress ``entries`` (as ``_progress.load()``)."""
    for chapter in CHAPTERS:
        importlib.import_module(f"{__package__}.{chapter}")
    result = []
    for chapter in CHAPTERS:
        problems = _REGISTRY.get(chapter, [])
        checked = tuple((p.name, _status(entries.get(p.key, {}))) for p in problems if p.checked)
        thoughts = [p for p in problems if not p.checked]
        read = sum(bool(entries.get(p.key, {}).get("solution_viewed")) for p in thoughts)
        result.append(ChapterRow(chapter, chapter_title(chapter), checked, read, len(thoughts)))
    return result


class Overview:
    """The progress table; shows as HTML in Jupyter and as text when printed."""

    def __init__(self, chapter_rows, note: str = ""):
        self.rows, self.note = list(chapter_rows), note

    def totals(self) -> dict:
        return {
            status: sum(r.count(status) for r in self.rows)
            for status in (DONE, ATTEMPTED, NOT_STARTED)
        }

    def _summary(self) -> str:
        t = self.totals()
        checked = sum(t.values())
        read = sum(r.read for r in self.rows)
        thoughts = sum(r.thoughts for r in self.rows)
        return _(
            "Done {done} of {checked} checked exercises; attempted {attempted}; "
            "not started {not_started}. Model answers read: {read} of {thoughts}."
        ).format(
            done=t[DONE],
            checked=checked,
            attempted=t[ATTEMPTED],
            not_started=t[NOT_STARTED],
            read=read,
            thoughts=thoughts,
        )

    def __str__(self) -> str:
        header = (
            _("chapter"),
            tr(_HEADINGS[DONE]),
            tr(_HEADINGS[ATTEMPTED]),
            tr(_HEADINGS[NOT_STARTED]),
            _("exercises"),
        )
        lines = [
            (
                r.title,
                str(r.count(DONE)),
                str(r.count(ATTEMPTED)),
                str(r.count(NOT_STARTED)),
                "".join(_MARK[s] for _, s in r.exercises),
            )
            for r in self.rows
        ]
        widths = [max(width(row[k]) for row in [header, *lines]) for k in range(5)]

        def line(row):
            return "  ".join(
                [ljust(row[0], widths[0]), *(rjust(row[k], widths[k]) for k in (1, 2, 3)), row[4]]
            ).rstrip()

        body = [line(header), line(tuple("-" * w for w in widths)), *map(line, lines)]
        legend = "✓ {}   ✗ {}   ○ {}".format(*self._legend())
        return "\n".join([*body, "", self._summary(), legend]) + (
            f"\n{self.note}" if self.note else ""
        )

    __repr__ = __str__

    @staticmethod
    def _legend() -> tuple:
        return tr(_HEADINGS[DONE]), _("attempted, not yet passed"), tr(_HEADINGS[NOT_STARTED])

    def _repr_html_(self) -> str:
        cell = "padding:2px 8px;text-align:{};"
        head = "".join(
            f'<th style="{cell.format(a)}">{html.escape(h)}</th>'
            for h, a in [
                (_("chapter"), "left"),
                (tr(_HEADINGS[DONE]), "right"),
                (tr(_HEADINGS[ATTEMPTED]), "right"),
                (tr(_HEADINGS[NOT_STARTED]), "right"),
                (_("exercises"), "left"),
            ]
        )
        body = []
        for r in self.rows:
            marks = "".join(
                f'<span title="{html.escape(r.chapter)}.{html.escape(name)}: '
                f'{html.escape(tr(_HEADINGS[status]))}" '
                f'style="color:{_COLOUR[status]};font-weight:bold">{_MARK[status]}</span>'
                for name, status in r.exercises
            )
            counts = "".join(
                f'<td style="{cell.format("right")}">{r.count(s)}</td>'
                for s in (DONE, ATTEMPTED, NOT_STARTED)
            )
            body.append(
                f'<tr><td style="{cell.format("left")}">{html.escape(r.title)}</td>'
                f'{counts}<td style="{cell.format("left")}letter-spacing:2px">{marks}</td></tr>'
            )
        note = f"<br>{html.escape(self.note)}" if self.note else ""
        done, attempted, not_started = map(html.escape, self._legend())
        return (
            '<table class="course-progress" style="border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f'<p style="margin-top:4px">{html.escape(self._summary())}<br>'
            f'<span style="color:{_COLOUR[DONE]}">✓</span> {done} &nbsp; '
            f'<span style="color:{_COLOUR[ATTEMPTED]}">✗</span> {attempted} '
            f'&nbsp; <span style="color:{_COLOUR[NOT_STARTED]}">○</span> {not_started}'
            f"{note}</p>"
        )


def overview(entries: dict | None = None) -> Overview:
    """The whole course's progress: your progress file's, or that of ``entries``.

    Shows as a table in Jupyter (HTML) and as text with ``print``. A progress file that
    cannot be read gives an empty table with a sentence saying why, never an error.
    """
    note = ""
    if entries is None:
        try:
            entries = _progress.load()
        except Exception as exc:
            entries = {}
            note = _("(Your progress file could not be read: {error}.)").format(
                error=describe_error(exc).rstrip(".。")
            )
    elif not isinstance(entries, dict):
        raise TypeError(
            f"entries must be a dict of progress entries or None, but received "
            f"{type(entries).__name__}."
        )
    clean = {k: v for k, v in entries.items() if isinstance(v, dict)}
    return Overview(rows(clean), note)
