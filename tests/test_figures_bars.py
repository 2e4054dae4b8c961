"""Tests for lstm_gru_course.figures.bars: the gate × value bars."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lstm_gru_course.figures.bars import gated_bars  # noqa: E402
from lstm_gru_course.figures.style import ROLE_FILL  # noqa: E402


def test_gated_bars_draws_values_outlined_and_gated_filled():
    ax = Figure().subplots()
    idx = gated_bars(ax, [2.0, -1.0, 3.0], [1.0, -0.5, 0.3], role="forget", labels=True)
    assert idx.tolist() == [0, 1, 2]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [2.0, -1.0, 3.0, 1.0, -0.5, 0.3]
    filled = ax.patches[3].get_facecolor()
    assert np.allclose(filled, matplotlib.colors.to_rgba(ROLE_FILL["forget"]))
    assert ax.get_legend_handles_labels()[1] == ["value", "gate × value"]


def test_gated_bars_rejects_mismatched_series_and_unknown_roles():
    ax = Figure().subplots()
    with pytest.raises(ValueError, match="same length"):
        gated_bars(ax, [1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="role must be one of"):
        gated_bars(ax, [1.0], [1.0], role="purple")
