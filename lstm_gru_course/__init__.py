"""LSTM & GRU, illustrated and runnable: the package behind the course book.

The numeric core (``activations``, ``cells``, ``layers``, ``gradcheck``, ``losses``,
``optim``, ``tasks``, ``train``) needs only numpy. ``analysis`` asks it the book's
questions (gradients, gates, conventions, costs, memory-span runs, timing, tables), also
with numpy only. ``figures`` needs matplotlib and ``explorers`` needs ipywidgets; they
load only when imported. CONTRIBUTING.md draws the layers.
"""

__version__ = "0.1.0"

from lstm_gru_course.i18n import get_language, set_language  # noqa: E402

__all__ = ["get_language", "set_language", "__version__"]
