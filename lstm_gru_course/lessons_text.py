"""Numbers chapter 8 states about the character models, computed rather than asserted.

- :func:`text_loss`: the cross-entropy of a character model on a whole text, read from
  the first character to the last with the true text fed in at every step (teacher
  forcing), from a zero state.
"""

from __future__ import annotations

import numpy as np

from ._validate import describe
from .charmodel import CharModel
from .losses import log_softmax

__all__ = ["text_loss"]


def text_loss(model, text) -> float:
    """Mean cross-entropy, in nats per character, of ``model`` predicting ``text``.

    The model's layer reads ``text`` from a zero state, one character at a time, with
    the true character fed in at every step (teacher forcing); after each character its
    read-out gives scores for the next one:

        x (T-1, 1, V) one-hot      h = layer.forward(x)      (T-1, 1, H)
        scores = h W^T + b         (T-1, 1, V)
        loss = -(1/(T-1)) * sum_t log softmax(scores_t)[character t+1]

    T = len(text) >= 2. Unlike the training loss, which is averaged over random windows
    of a few dozen characters, this reads the text in one pass, so the model can use
    everything before each character.

    >>> from lstm_gru_course.charmodel import load_char_model
    >>> model = load_char_model("gru")
    >>> text_loss(model, "Humpty Dumpty sat on a wall") < text_loss(model, "wall a on sat Dumpty")
    True
    """
    if not isinstance(model, CharModel):
        raise TypeError(
            f"model must be a CharModel (see charmodel.load_char_model), "
            f"but received {describe(model)}."
        )
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, but received {describe(text)}.")
    if len(text) < 2:
        raise ValueError(
            f"text must have at least 2 characters (one to read, one to predict), "
            f"but received {len(text)}."
        )
    codes = model.encode(text)  # raises on unknown characters
    V = len(model.vocabulary)
    x = np.eye(V)[codes[:-1]][:, None, :]  # (T-1, 1, V)
    outputs, _ = model.layer.forward(x)  # (T-1, 1, H)
    weight, bias = model.readout.params["weight"], model.readout.params["bias"]
    scores = outputs[:, 0, :] @ weight.T + bias  # (T-1, V)
    log_p = log_softmax(scores)
    return float(-log_p[np.arange(codes.size - 1), codes[1:]].mean())
