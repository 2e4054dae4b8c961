"""The gate picture of chapter 4: each value as a dashed outline, gate × value filled in.

One function, :func:`gated_bars`, used by the sigmoid animation (``curves``) and by the
sigmoid-gate explorer and its small multiples (``explorers.squashing``).
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from .style import ROLE_FILL, ROLE_INK

__all__ = ["gated_bars"]


def gated_bars(
    ax, values, gated, role: str = "output", lw: float = 1.2, labels: bool = False
) -> np.ndarray:
    """Draw ``values`` (dashed grey outlines) and ``gated`` (filled, ``role``'s colours) on ``ax``.

    ``values`` and ``gated`` are sequences of the same length (gated = gate * values);
    ``labels`` names the two series "value" and "gate × value" for a legend. A black
    line marks zero. Returns the bar positions, ``np.arange(len(values))``.
    """
    values, gated = np.asarray(values, dtype=float), np.asarray(gated, dtype=float)
    if values.shape != gated.shape or values.ndim != 1:
        raise ValueError(
            f"values and gated must be 1-D of the same length, but received "
            f"shapes {values.shape} and {gated.shape}."
        )
    if role not in ROLE_FILL:
        raise ValueError(f"role must be one of {sorted(ROLE_FILL)}, but received {role!r}.")
    idx = np.arange(values.size)
    ax.bar(
        idx,
        values,
        width=0.7,
        color="none",
        edgecolor="#777777",
        ls="--",
        lw=lw,
        label=_("value") if labels else None,
    )
    ax.bar(
        idx,
        gated,
        width=0.7,
        color=ROLE_FILL[role],
        edgecolor=ROLE_INK[role],
        label=_("gate × value") if labels else None,
    )
    ax.axhline(0, color="black", lw=0.8)
    return idx
