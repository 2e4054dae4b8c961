"""Moved: :mod:`lstm_gru_course.analysis` (``gates``, ``conventions``, ``cost``,
``memory_span``, ``tables``).

Kept so that notebooks written for an older version still import; new code imports
from :mod:`lstm_gru_course.analysis`.
"""

from .analysis.conventions import flip_update_gate, olah_gru_step
from .analysis.cost import operation_count, parameter_count
from .analysis.gates import (
    SourceLines,
    article_lstm_cell,
    combine,
    joined_parameters,
    lines_that_compute,
    run_article_loop,
)
from .analysis.memory_span import steps_to_learn
from .analysis.tables import number_table

__all__ = [
    "SourceLines",
    "lines_that_compute",
    "combine",
    "joined_parameters",
    "article_lstm_cell",
    "run_article_loop",
    "olah_gru_step",
    "flip_update_gate",
    "parameter_count",
    "operation_count",
    "steps_to_learn",
    "number_table",
]
