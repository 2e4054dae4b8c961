"""Reading a saved character model safely: the .npz is checked from its array headers
before anything is unpacked (names, dtypes, shapes, total size), then the weights.

Split out of ``charmodel`` (``load_char_model`` calls ``_read_model_file``); the
checks and their messages are unchanged.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._validate import describe
from .layers import GRU, LSTM

_LAYERS = {"lstm": LSTM, "gru": GRU}
_GATES = {"lstm": LSTM._gates, "gru": GRU._gates}  # gate blocks, as the layers define them
_WEIGHTS = (
    "layer.weight_ih",
    "layer.weight_hh",
    "layer.bias_ih",
    "layer.bias_hh",
    "readout.weight",
    "readout.bias",
)
_TEXTS = ("vocabulary", "kind")
_INFO = ("info_keys", "info_values")


def _npy_headers(path: Path, archive, max_bytes) -> dict:
    """``{name: (shape, dtype, member)}`` for every array in the .npz, from the headers
    alone: nothing is decompressed beyond each member's first few hundred bytes. At most
    ``max_bytes`` of arrays in all (``charmodel.MAX_MODEL_BYTES``)."""
    headers, total = {}, 0
    for member in archive.infolist():
        name = member.filename[:-4] if member.filename.endswith(".npy") else member.filename
        if not member.filename.endswith(".npy"):
            raise ValueError(
                f"{path} holds {member.filename!r}, which is not a numpy array; "
                f"it is not a character model saved by save_char_model."
            )
        try:
            with archive.open(member) as stream:
                version = np.lib.format.read_magic(stream)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
                elif version == (2, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
                else:
                    raise ValueError(f"npy format version {version} is not supported")
                offset = stream.tell()
        except ValueError as exc:
            raise ValueError(f"{path}: the array {name!r} has a broken header ({exc}).") from exc
        if dtype.hasobject or dtype.kind not in "fU":
            raise ValueError(
                f"{path}: the array {name!r} has dtype {dtype}; expected "
                f"floating-point numbers or text."
            )
        size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize if shape else dtype.itemsize
        if member.file_size != offset + size:
            raise ValueError(
                f"{path}: the array {name!r} claims shape {shape} and dtype "
                f"{dtype} ({size} bytes), but its entry holds "
                f"{member.file_size - offset} bytes."
            )
        total += size
        if total > max_bytes:
            raise ValueError(
                f"{path} would unpack to more than {max_bytes // 2**20} MB "
                f"of arrays; a character model is far smaller (the shipped ones "
                f"are under 1 MB), so it was not loaded."
            )
        headers[name] = (tuple(shape), dtype, member)
    return headers


def _member_array(archive, path, name, member) -> np.ndarray:
    with archive.open(member) as stream:
        try:
            return np.lib.format.read_array(stream, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise ValueError(f"{path}: the array {name!r} could not be read ({exc}).") from exc


def _read_model_file(path: Path, max_bytes):
    """``kind, vocabulary, V, H, arrays, info`` of the model file at ``path``, checked as
    ``load_char_model`` describes (a ValueError naming the array otherwise), at most
    ``max_bytes`` of arrays."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ValueError(
            f"{path} is not a .npz file ({exc}); expected a character model "
            f"saved by save_char_model."
        ) from exc
    with archive:
        headers = _npy_headers(path, archive, max_bytes)
        missing = [n for n in (*_TEXTS, *_WEIGHTS) if n not in headers]
        if missing:
            raise ValueError(
                f"{path} is missing the arrays {missing}; a character model "
                f"holds {list(_TEXTS + _WEIGHTS)}."
            )
        unknown = [n for n in headers if n not in (*_TEXTS, *_WEIGHTS, *_INFO)]
        if unknown:
            raise ValueError(f"{path} holds arrays a character model does not have: {unknown}.")
        for name in (*_TEXTS, *_INFO):
            if name in headers and headers[name][1].kind != "U":
                raise ValueError(
                    f"{path}: {name!r} must be text, but its dtype is {headers[name][1]}."
                )
        texts = {n: _member_array(archive, path, n, headers[n][2]) for n in _TEXTS}
        kind = str(texts["kind"]) if texts["kind"].shape == () else None
        if kind not in _LAYERS:
            raise ValueError(
                f"{path}: kind must be 'lstm' or 'gru', but the file says "
                f"{describe(kind if kind is not None else texts['kind'])}."
            )
        vocabulary = str(texts["vocabulary"]) if texts["vocabulary"].shape == () else ""
        if not vocabulary or len(set(vocabulary)) != len(vocabulary):
            raise ValueError(
                f"{path}: vocabulary must be one non-empty string of distinct characters."
            )
        shape_hh = headers["layer.weight_hh"][0]
        G, V = _GATES[kind], len(vocabulary)
        if len(shape_hh) != 2 or shape_hh[1] < 1 or shape_hh[0] != G * shape_hh[1]:
            raise ValueError(
                f"{path}: layer.weight_hh must have shape ({G}*H, H) for a "
                f"{kind.upper()}, but has shape {shape_hh}."
            )
        H = shape_hh[1]
        expected = {
            "layer.weight_ih": (G * H, V),
            "layer.weight_hh": (G * H, H),
            "layer.bias_ih": (G * H,),
            "layer.bias_hh": (G * H,),
            "readout.weight": (V, H),
            "readout.bias": (V,),
        }
        for name, shape in expected.items():
            if headers[name][0] != shape or headers[name][1].kind != "f":
                raise ValueError(
                    f"{path}: {name} must be a float array of shape {shape} "
                    f"(V = {V} characters, H = {H}), but it is "
                    f"{headers[name][1]} of shape {headers[name][0]}."
                )
        arrays = {}
        for name in _WEIGHTS:
            value = _member_array(archive, path, name, headers[name][2]).astype(np.float64)
            if not np.isfinite(value).all():
                raise ValueError(
                    f"{path}: {name} holds {int((~np.isfinite(value)).sum())} "
                    f"NaN or infinite values; the model cannot be used."
                )
            arrays[name] = value
        info = {}
        if all(n in headers for n in _INFO):
            keys, values = (_member_array(archive, path, n, headers[n][2]) for n in _INFO)
            if keys.ndim != 1 or keys.shape != values.shape:
                raise ValueError(
                    f"{path}: info_keys and info_values must be two lists of the same length."
                )
            info = dict(zip(keys.tolist(), values.tolist()))
    return kind, vocabulary, V, H, arrays, info
