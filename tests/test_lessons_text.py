"""lessons_text.text_loss: the teacher-forced cross-entropy of a character model on a text."""

import numpy as np
import pytest

from lstm_gru_course import cells
from lstm_gru_course.charmodel import CharModel, load_char_model, load_corpus
from lstm_gru_course.layers import GRU, LSTM
from lstm_gru_course.lessons_text import text_loss
from lstm_gru_course.train import Linear


def tiny_model(kind="lstm"):
    layer = (LSTM if kind == "lstm" else GRU)(3, 4, seed=0)
    return CharModel("abc", layer, Linear(4, 3, seed=1))


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_matches_a_step_by_step_loop(kind):
    model, text = tiny_model(kind), "abcabbca"
    p = model.layer.params
    weights = (p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    codes = ["abc".index(ch) for ch in text]
    h, c, total = np.zeros((1, 4)), np.zeros((1, 4)), 0.0
    for now, nxt in zip(codes[:-1], codes[1:]):
        x = np.eye(3)[[now]]
        if kind == "lstm":
            h, c, _ = cells.lstm_step(x, h, c, *weights)
        else:
            h, _ = cells.gru_step(x, h, *weights)
        scores = h[0] @ model.readout.params["weight"].T + model.readout.params["bias"]
        total -= scores[nxt] - np.log(np.exp(scores).sum())
    assert text_loss(model, text) == pytest.approx(total / (len(text) - 1), rel=1e-12)


def test_a_model_that_knows_nothing_scores_log_v():
    model = tiny_model()
    model.readout.params["weight"][:] = 0.0
    model.readout.params["bias"][:] = 0.0
    assert text_loss(model, "abcacb") == pytest.approx(np.log(3), rel=1e-12)


def test_shipped_models_know_the_rhymes_far_better_than_their_training_loss_says():
    text = load_corpus()
    for kind in ("lstm", "gru"):
        model = load_char_model(kind)
        loss = text_loss(model, text)
        assert 0 < loss < 0.5 * float(model.info["final_loss"])


@pytest.mark.parametrize(
    "bad, error, words",
    [
        ("not a model", TypeError, "model must be a CharModel"),
    ],
)
def test_rejects_a_model_that_is_not_a_char_model(bad, error, words):
    with pytest.raises(error, match=words):
        text_loss(bad, "abc")


@pytest.mark.parametrize(
    "text, error, words",
    [
        (None, TypeError, "text must be a string"),
        (["a", "b"], TypeError, "text must be a string"),
        ("a", ValueError, "at least 2 characters"),
        ("abz", ValueError, "never saw"),
    ],
)
def test_rejects_bad_text(text, error, words):
    with pytest.raises(error, match=words):
        text_loss(tiny_model(), text)
