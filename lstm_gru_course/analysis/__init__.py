"""The course's content helpers: what the chapters measure, count, run and print.

The numeric core (``activations``, ``cells``, ``layers``, ``losses``, ``optim``,
``train``, ``tasks``, ``gradcheck``) computes; this subpackage asks it the book's
questions, one module per kind of question, one function per concept:

==================  ==========================================================================
module              what it holds
==================  ==========================================================================
``conventions``     layer kinds, gate blocks, the keep gate (:func:`set_keep_bias`), the GRU's other form
``gates``           the code lines behind an equation, every gate along a sequence, the article's cell
``gradients``       how far back a gradient reaches (RNN, LSTM, GRU), and why
``cost``            parameters and operations per step (one count for chapters 6 and 7)
``memory_span``     the one train-then-score loop; the small memory-span run of chapters 1 and 5b
``race``            chapter 7: the memory tasks, the networks, the budgets, one run
``sweep``           the whole chapter-7 grid of runs, on one core or many (joblib)
``speed``           the one timing function; the layers' speed
``tables``          tables for printing: dict rows as text or Markdown, measured numbers
==================  ==========================================================================

Arrows point down only: these modules import the numeric core and each other, never
``figures``, ``explorers`` or ``exercises`` (which may import them). They need numpy
only; joblib, tqdm, threadpoolctl and torch are optional and used when installed.

>>> from lstm_gru_course.analysis.cost import parameter_count
>>> parameter_count("gru", 3, 5)
150
"""

from . import conventions, cost, gates, gradients, memory_span, race, speed, sweep, tables
from .conventions import set_keep_bias

__all__ = [
    "conventions",
    "cost",
    "gates",
    "gradients",
    "memory_span",
    "race",
    "speed",
    "sweep",
    "tables",
    "set_keep_bias",
]
