"""The data shipped with the package: every file is there, loads, and bad names are refused."""

from __future__ import annotations

import re

import numpy as np
import pytest
from book_helpers import ROOT

from lstm_gru_course import data


def test_every_listed_file_is_shipped_and_nothing_else():
    shipped = {
        p.name
        for p in data.data_path("layer_speed.json").parent.iterdir()
        if p.is_file() and p.suffix in (".json", ".npz", ".txt")
    }
    assert shipped == set(data.DATA_FILES)


@pytest.mark.parametrize("name", sorted(data.DATA_FILES))
def test_every_file_loads_as_its_kind(name):
    loaded = data.load_data(name)
    kind = {".json": dict, ".npz": dict, ".txt": str}[name[name.rindex(".") :]]
    assert isinstance(loaded, kind) and loaded
    if name.endswith(".npz"):
        assert all(isinstance(v, np.ndarray) for v in loaded.values())


def test_chapter_7_runs_and_appendix_b_reference_have_what_the_book_reads():
    speed = data.load_data("layer_speed.json")
    assert {"machine", "rows", "repeats", "command"} <= set(speed)
    memory = data.load_data("memory_experiments.json")
    assert len(memory["runs"]) == 150 and "lstm_gru_course/data/" in memory["command"]
    reference = data.load_data("pytorch_reference.npz")
    assert reference["x"].shape == (5, 2, 3) and reference["x"].dtype == np.float64
    assert reference["lstm.weight_ih_l0"].shape == (16, 3)


@pytest.mark.parametrize(
    "bad", ["nope.json", "../pyproject.toml", "", None, 3, ["layer_speed.json"]]
)
def test_unknown_names_are_refused_naming_the_argument(bad):
    with pytest.raises(ValueError, match=r"name must be one of 'char_gru.npz'.*but received"):
        data.load_data(bad)


def test_no_notebook_reads_a_path_relative_to_itself():
    """A notebook opened alone (Colab) has no folder around it: data come from the package."""
    pattern = re.compile(r"""(open|load|read_csv|loadtxt|Path)\(\s*\\?["'](\.\./|\./)?data/""")
    offenders = [
        p.name
        for p in sorted((ROOT / "book").glob("*.ipynb"))
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"notebooks reading data/ by a relative path: {offenders}"
