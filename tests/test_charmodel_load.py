"""load_char_model checks a model file before it trusts it: every array's shape, dtype
and size from the .npy headers (before anything is unpacked), finite weights, the kind
and the keys, each with a ValueError that names the array."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from lstm_gru_course import charmodel


def _arrays(kind="lstm") -> dict:
    with np.load(charmodel.DATA_DIR / f"char_{kind}.npz") as data:
        return {k: data[k] for k in data.files}


def _save(tmp_path, arrays, name="m.npz"):
    path = tmp_path / name
    np.savez_compressed(path, **arrays)
    return path


def test_the_shipped_models_and_a_saved_one_load(tmp_path):
    for kind in ("lstm", "gru"):
        model = charmodel.load_char_model(kind)
        assert model.kind == kind
        back = charmodel.load_char_model(charmodel.save_char_model(model, tmp_path / f"{kind}.npz"))
        assert back.vocabulary == model.vocabulary and back.info == model.info
        for name, value in model.layer.params.items():
            np.testing.assert_allclose(back.layer.params[name], value)


@pytest.mark.parametrize(
    "name, shape",
    [
        ("readout.bias", (1,)),
        ("readout.weight", (1, 48)),
        ("readout.weight", "transposed"),
        ("layer.weight_ih", "transposed"),
        ("layer.bias_hh", (4 * 48, 1)),
        ("layer.weight_hh", (3 * 48, 48)),
    ],
)
def test_every_array_with_the_wrong_shape_is_named(tmp_path, name, shape):
    arrays = _arrays("lstm")
    arrays[name] = arrays[name].T.copy() if shape == "transposed" else np.zeros(shape, np.float32)
    with pytest.raises(ValueError, match=name.replace(".", r"\.") + " must"):
        charmodel.load_char_model(_save(tmp_path, arrays))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weights_are_refused(tmp_path, bad):
    arrays = _arrays("gru")
    arrays["readout.weight"] = arrays["readout.weight"].copy()
    arrays["readout.weight"][3, 4] = bad
    with pytest.raises(ValueError, match=r"readout\.weight holds 1 NaN or infinite"):
        charmodel.load_char_model(_save(tmp_path, arrays))


def test_a_bad_kind_missing_or_unknown_arrays_and_wrong_dtypes_are_named(tmp_path):
    arrays = _arrays("lstm")
    with pytest.raises(ValueError, match="kind must be 'lstm' or 'gru'.*'rnn'"):
        charmodel.load_char_model(_save(tmp_path, {**arrays, "kind": np.array("rnn")}))
    gru_kind = {**arrays, "kind": np.array("gru")}  # LSTM weights, GRU label
    with pytest.raises(ValueError, match=r"layer\.weight_hh must have shape \(3\*H, H\)"):
        charmodel.load_char_model(_save(tmp_path, gru_kind))
    del arrays["readout.bias"]
    with pytest.raises(ValueError, match=r"missing the arrays \['readout\.bias'\]"):
        charmodel.load_char_model(_save(tmp_path, arrays))
    arrays = _arrays("lstm")
    with pytest.raises(ValueError, match="does not have: \\['extra'\\]"):
        charmodel.load_char_model(_save(tmp_path, {**arrays, "extra": np.zeros(2)}))
    with pytest.raises(ValueError, match=r"layer\.bias_ih.*dtype int64"):
        charmodel.load_char_model(
            _save(tmp_path, {**arrays, "layer.bias_ih": np.zeros(192, np.int64)})
        )
    with pytest.raises(ValueError, match="vocabulary must be one non-empty string"):
        charmodel.load_char_model(_save(tmp_path, {**arrays, "vocabulary": np.array("aab")}))
    (tmp_path / "junk.npz").write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="is not a .npz file"):
        charmodel.load_char_model(tmp_path / "junk.npz")


def test_sizes_are_checked_from_the_headers_before_anything_is_unpacked(tmp_path, monkeypatch):
    arrays = _arrays("lstm")
    H, V = 600, len(str(arrays["vocabulary"]))  # consistent, but big: 12 MB
    big = {
        **arrays,
        "layer.weight_ih": np.zeros((4 * H, V), np.float32),
        "layer.weight_hh": np.zeros((4 * H, H), np.float32),
        "layer.bias_ih": np.zeros(4 * H, np.float32),
        "layer.bias_hh": np.zeros(4 * H, np.float32),
        "readout.weight": np.zeros((V, H), np.float32),
    }
    path = _save(tmp_path, big)
    assert path.stat().st_size < 200_000  # zeros pack small

    def no_unpacking(*args, **kwargs):
        raise AssertionError("an array was unpacked before the sizes were checked")

    monkeypatch.setattr(charmodel, "MAX_MODEL_BYTES", 4 * 2**20)
    monkeypatch.setattr(np.lib.format, "read_array", no_unpacking)
    with pytest.raises(ValueError, match="would unpack to more than 4 MB"):
        charmodel.load_char_model(path)


def test_a_header_that_lies_about_its_size_is_refused(tmp_path):
    path = _save(tmp_path, _arrays("gru"))
    forged = tmp_path / "forged.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            data = src.read(member)
            if member.filename == "readout.bias.npy":
                data = data.replace(b"'shape': (", b"'shape': (9999", 1)[: len(data)]
            dst.writestr(member.filename, data)
    with pytest.raises(ValueError, match=r"readout\.bias"):
        charmodel.load_char_model(forged)
