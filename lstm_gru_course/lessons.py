"""Moved: :func:`lstm_gru_course.analysis.gradients.backward_factors`.

Kept so that notebooks written for an older version still import.
"""

from .analysis.gradients import BackwardFactors, backward_factors

__all__ = ["BackwardFactors", "backward_factors"]
