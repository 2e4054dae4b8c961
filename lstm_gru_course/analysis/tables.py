"""Tables for printing: rows of dicts as aligned text or Markdown, and rows of measured numbers.

- :func:`format_table`: dict rows (e.g. from ``memory_span.summarize``) as plain text
  (``markdown=False``) or as a Markdown table for ``IPython.display.Markdown``;
- :func:`number_table`: a name -> numbers mapping as an aligned text table, each number
  with a few significant digits.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from .._validate import describe, float_array, positive_int
from ..i18n import N_, _

__all__ = ["format_table", "number_table"]

#: Column names of the package's table rows (``sweep.summarize``,
#: ``sweep.published_vs_reproduced``, ``cost.cost_table``, ``speed.time_layers``):
#: the rows keep these English keys; :func:`format_table` shows them translated.
COLUMN_NAMES = (
    N_("task"),
    N_("lag"),
    N_("model"),
    N_("solved"),
    N_("right"),
    N_("chance"),
    N_("sequences"),
    N_("experiment"),
    N_("their scale"),
    N_("published"),
    N_("our scale"),
    N_("ours"),
    N_("parameters"),
    N_("multiply_adds"),
    N_("sigmoids"),
    N_("tanhs"),
    N_("products"),
    N_("sums"),
    N_("size"),
    N_("package_ms"),
    N_("torch_ms"),
    N_("torch / package"),
)


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: 2 for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows, columns=None, markdown: bool = False) -> str:
    """Dict rows as a table: aligned plain text, or Markdown with ``markdown=True``.

    ``columns`` picks and orders the columns (default: the first row's keys). Floats are
    shown with 3 decimals and None as "-" (text) or "–" (Markdown). The header shows
    each column name in the current language (see :data:`COLUMN_NAMES`).

    >>> print(format_table([{"model": "LSTM", "right": 0.99}, {"model": "RNN", "right": 0.5}]))
    model  right
    -----  -----
    LSTM   0.990
    RNN    0.500
    >>> print(format_table([{"model": "GRU", "solved": "3/3"}], markdown=True))
    | model | solved |
    |---|---|
    | GRU | 3/3 |
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"rows must be a non-empty list of dicts, but received {describe(rows)}.")
    columns = list(rows[0]) if columns is None else list(columns)

    def cell(value):
        if value is None:
            return "–" if markdown else "-"
        text = f"{value:.3f}" if isinstance(value, float) else str(value)
        return text.replace("|", "\\|") if markdown else text

    body = [[cell(r.get(c)) for c in columns] for r in rows]
    header = [_(str(c)) for c in columns]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(columns)]
        return "\n".join(lines + ["| " + " | ".join(line) + " |" for line in body])
    table = [header] + body
    widths = [max(_width(line[k]) for line in table) for k in range(len(columns))]
    lines = ["  ".join(_pad(v, w) for v, w in zip(line, widths)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def number_table(rows, columns, corner: str = "", digits: int = 2) -> str:
    """Measured numbers as an aligned text table: one line per row, ``digits`` significant digits.

    ``rows`` maps a row name to a sequence of numbers, one per entry of ``columns`` (the
    column labels); ``corner`` is the label above the row names.

    >>> print(number_table({"RNN": [0.0066, 1.6e-12]}, ["k = 10", "k = 50"], corner="size"))
    size   k = 10   k = 50
    RNN    0.0066  1.6e-12
    """
    if not isinstance(rows, dict) or not rows:
        raise TypeError(
            f"rows must be a non-empty dict name -> numbers, but received {describe(rows)}."
        )
    columns = [str(c) for c in columns]
    digits = positive_int("digits", digits)
    cells = {}
    for name, values in rows.items():
        try:
            values = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"rows[{name!r}] must be a sequence of numbers, but received {describe(values)}."
            ) from None
        values = float_array(f"rows[{name!r}]", values, shape=(len(columns),), allow_nonfinite=True)
        cells[str(name)] = [f"{v:.{digits}g}" for v in values]
    first = max(len(corner), *(len(n) for n in cells))
    width = max(len(text) for text in [*columns, *(t for r in cells.values() for t in r)])
    lines = [corner.ljust(first) + "".join(f"  {c:>{width}}" for c in columns)]
    lines += [
        name.ljust(first) + "".join(f"  {t:>{width}}" for t in texts)
        for name, texts in cells.items()
    ]
    return "\n".join(line.rstrip() for line in lines)
