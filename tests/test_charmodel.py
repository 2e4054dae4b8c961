"""Tests for lstm_gru_course.charmodel: the character models of chapter 8."""

import doctest

import numpy as np
import pytest

from lstm_gru_course import charmodel

# ---------------------------------------------------------------- the character model


def test_shipped_character_models_load_and_are_small():
    for kind in ("lstm", "gru"):
        path = charmodel.DATA_DIR / f"char_{kind}.npz"
        assert path.stat().st_size < 100_000
        model = charmodel.load_char_model(kind)
        assert model.kind == kind and set(model.vocabulary) == set(charmodel.load_corpus())
        assert float(model.info["final_loss"]) < 0.5 * float(model.info["chance_loss"])


def test_generation_follows_seed_and_temperature():
    model = charmodel.load_char_model("lstm")
    a = charmodel.generate(model, "Old ", 60, 0.8, seed=3)
    assert a == charmodel.generate(model, "Old ", 60, 0.8, seed=3)
    assert a.startswith("Old ") and len(a) == 64 and set(a) <= set(model.vocabulary)
    cold = charmodel.next_character_probabilities(model, "Little ", 0.2)
    hot = charmodel.next_character_probabilities(model, "Little ", 2.0)
    assert cold.max() > hot.max() and cold.sum() == pytest.approx(1.0)


def test_a_saved_model_loads_back_and_generates_the_same(tmp_path):
    text = "abcabcabd" * 20
    model, history = charmodel.train_char_model(
        text, "gru", hidden_size=4, steps=5, length=8, batch_size=4
    )
    assert history.loss.shape == (5,)
    path = charmodel.save_char_model(model, tmp_path / "m.npz")
    back = charmodel.load_char_model(path)
    assert back.vocabulary == "abcd" and back.kind == "gru"
    for name, value in model.layer.params.items():
        np.testing.assert_allclose(back.layer.params[name], value, rtol=1e-6)
    assert charmodel.generate(back, "ab", 10, seed=1) == charmodel.generate(
        charmodel.CharModel(back.vocabulary, back.layer, back.readout), "ab", 10, seed=1
    )


def test_character_model_rejects_bad_input():
    model = charmodel.load_char_model("gru")
    with pytest.raises(ValueError, match="never saw"):
        charmodel.generate(model, "Zebra 42")
    with pytest.raises(ValueError, match="temperature"):
        charmodel.generate(model, "Old", temperature=0.0)
    with pytest.raises(TypeError, match="model"):
        charmodel.generate("gru", "Old")
    with pytest.raises(ValueError, match="length"):
        charmodel.text_batches("abc", "abc", length=5, batch_size=2)
    with pytest.raises(FileNotFoundError):
        charmodel.load_char_model("/nonexistent/model.npz")


def test_docstring_examples_run():
    failures, tried = doctest.testmod(charmodel, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
