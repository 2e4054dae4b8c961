"""The nodes of a cell diagram: what a wire attaches to."""

from __future__ import annotations

import numpy as np


class _Node:
    """A drawn element that wires can attach to: its centre and half extents."""

    def __init__(self, xy, half_w, half_h, round_=False):
        self.xy = np.asarray(xy, dtype=float)
        self.half_w = half_w
        self.half_h = half_h
        self.round = round_

    def edge_towards(self, point) -> np.ndarray:
        """The point on this node's outline in the direction of ``point``."""
        d = np.asarray(point, dtype=float) - self.xy
        if not d.any() or (self.half_w == 0 and self.half_h == 0):
            return self.xy.copy()
        if self.round:
            scale = 1.0 / np.hypot(d[0] / self.half_w, d[1] / self.half_h)
        else:
            sx = self.half_w / abs(d[0]) if d[0] else np.inf
            sy = self.half_h / abs(d[1]) if d[1] else np.inf
            scale = min(sx, sy)
        return self.xy + scale * d
