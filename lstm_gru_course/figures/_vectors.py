"""Vectors as cell diagrams write them: row 0 of a batch, a few decimals, a real minus."""

from __future__ import annotations

import numpy as np


def vector_of(value) -> np.ndarray:
    """The 1-D vector to write on a diagram: a (H,) array, or row 0 of a (B, H) one."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 2:
        arr = arr[0]
    if arr.ndim != 1:
        raise ValueError(
            f"a value written on a diagram must have shape (H,) or (B, H), "
            f"but received shape {arr.shape}."
        )
    return arr


def format_vector(value, digits: int = 2, max_items: int = 3, column: bool = False) -> str:
    """Format a vector the way figures write it: ``[0.62, −0.40]``, or one entry a line.

    ``value`` is (H,) or (B, H) (then row 0 is shown). At most ``max_items`` entries
    are written, then "…". Minus signs are typographic (U+2212). Diagrams use
    ``column=True``: a column vector, one entry per line, no brackets.

    >>> format_vector(np.array([0.625, -0.4]))
    '[0.62, −0.40]'
    >>> print(format_vector(np.array([0.625, -0.4]), column=True))
    0.62
    −0.40
    """
    arr = vector_of(value)
    shown = [_number(v, digits) for v in arr[:max_items]]
    if arr.size > max_items:
        shown.append("…")
    return "\n".join(shown) if column else "[" + ", ".join(shown) + "]"


def _number(v, digits):
    """``v`` to ``digits`` decimals with a typographic minus; never "−0.00".

    >>> _number(-0.0015, 2), _number(-0.005, 2)
    ('0.00', '−0.01')
    """
    text = f"{v:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")
