"""LSTM & GRU, illustrated and runnable: the package behind the course book.

The numeric core (``activations``, ``cells``, ``layers``, ``gradcheck``, ``losses``,
``optim``, ``tasks``, ``train``) needs only numpy. ``figures`` needs matplotlib and
``explorers`` needs ipywidgets; they load only when imported.
"""

__version__ = "0.1.0"
