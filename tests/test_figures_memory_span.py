"""Tests for lstm_gru_course.figures.memory_span: chapter 7's plots, at tiny sizes."""

from __future__ import annotations

import pytest
from analysis_helpers import TINY

from lstm_gru_course.analysis.sweep import run_memory_experiments
from lstm_gru_course.figures.memory_span import plot_learning_curves, plot_memory_span

TWO_LAGS = TINY.replace(points=(("first_symbol", 2), ("first_symbol", 3)))


def test_figures_draw_every_model_and_the_chance_level():
    results = run_memory_experiments(TWO_LAGS)
    fig = plot_memory_span(results, tasks=("first_symbol",))
    (ax,) = fig.axes
    labels = ax.get_legend_handles_labels()[1]
    assert labels[:2] == ["RNN", "LSTM, forget bias 3"] and labels[2].startswith("chance")
    assert ax.get_title() == "remember the first symbol"
    fig = plot_learning_curves(results, "first_symbol", 3)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels[:2] == ["RNN", "LSTM, forget bias 3"] and labels[2].startswith("chance")
    with pytest.raises(ValueError, match="no runs of task 'adding'"):
        plot_learning_curves(results, "adding", 20)
