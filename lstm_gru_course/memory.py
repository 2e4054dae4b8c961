"""Moved: :mod:`lstm_gru_course.analysis.gradients`, ``.gates`` and ``.memory_span``.

Kept so that notebooks written for an older version still import; new code imports
from :mod:`lstm_gru_course.analysis`.
"""

from .analysis.conventions import KINDS
from .analysis.gates import gate_activations
from .analysis.gradients import (
    CellStateGradient,
    GradientNorms,
    cell_state_gradient,
    gradient_norms_by_distance,
    repeated_multiplication,
    scaled_layer,
)
from .analysis.memory_span import MemorySpanRun, memory_span_run

__all__ = [
    "KINDS",
    "repeated_multiplication",
    "scaled_layer",
    "GradientNorms",
    "gradient_norms_by_distance",
    "gate_activations",
    "CellStateGradient",
    "cell_state_gradient",
    "MemorySpanRun",
    "memory_span_run",
]
