"""The data files shipped with the package, found wherever the package is installed.

Notebooks read their data through :func:`load_data` (never through a path relative to
the notebook), so a chapter opened alone, on Colab or a JupyterHub, finds its files too.
The files and how each was made are described in ``README.md`` next to this module.

>>> sorted(DATA_FILES)[:2]
['char_gru.npz', 'char_lstm.npz']
>>> load_data("memory_experiments.json")["scale"]["seeds"]
[0, 1, 2]
"""

from __future__ import annotations

import io
import json
from importlib import resources

import numpy as np

from .._validate import choice

__all__ = ["DATA_FILES", "data_path", "load_data"]

#: The files :func:`load_data` reads, and what each holds.
DATA_FILES = {
    "char_gru.npz": "chapter 8's character GRU (charmodel.load_char_model reads it)",
    "char_lstm.npz": "chapter 8's character LSTM (charmodel.load_char_model reads it)",
    "layer_speed.json": "chapter 7's committed timings of the layers (experiments --what speed)",
    "memory_experiments.json": "chapter 7's committed memory-span run (experiments)",
    "nursery_rhymes.txt": "the text the character models learn",
    "pytorch_reference.npz": "appendix B's torch.nn weights, input and outputs, float64",
}


def data_path(name: str):
    """The shipped file ``name`` (one of :data:`DATA_FILES`) as a path-like object.

    An ordinary :class:`pathlib.Path` when the package is installed as files (as by
    pip); use :func:`load_data` to read it in any case.
    """
    choice("name", name, tuple(DATA_FILES))
    return resources.files(__name__) / name


def load_data(name: str):
    """Read the shipped file ``name``: ``.json`` as a dict, ``.npz`` as a dict of arrays
    (every array read, the file closed), ``.txt`` as a string.

    >>> sorted(load_data("pytorch_reference.npz"))[:2]
    ['gru.bias_hh_l0', 'gru.bias_ih_l0']
    """
    source = data_path(name)
    if name.endswith(".json"):
        return json.loads(source.read_text(encoding="utf-8"))
    if name.endswith(".npz"):
        with np.load(io.BytesIO(source.read_bytes()), allow_pickle=False) as arrays:
            return {key: arrays[key] for key in arrays.files}
    return source.read_text(encoding="utf-8")
