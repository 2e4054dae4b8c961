"""Tests for lstm_gru_course.analysis.tables."""

import pytest

from lstm_gru_course.analysis.tables import format_table, number_table

# ------------------------------------------------------------------ printing


def test_number_table_aligns_rows_and_columns():
    text = number_table(
        {"RNN": [0.0066, 1.6e-12], "LSTM, forget bias 3": [0.12, 0.069]},
        ["k = 10", "k = 50"],
        corner="gradient",
    )
    lines = text.splitlines()
    assert len(lines) == 3 and len({len(line) for line in lines}) == 1
    assert lines[1].split() == ["RNN", "0.0066", "1.6e-12"]
    assert lines[0].startswith("gradient") and lines[0].endswith("k = 50")
    assert number_table({"a": [1 / 3]}, ["x"], digits=4).endswith("0.3333")


def test_number_table_rejects_rows_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"rows\['RNN'\] must have shape \(2,\)"):
        number_table({"RNN": [1.0, 2.0, 3.0]}, ["a", "b"])
    with pytest.raises(TypeError, match="rows must be a non-empty dict"):
        number_table({}, ["a"])
    with pytest.raises(TypeError, match=r"rows\['RNN'\] must be a sequence of numbers"):
        number_table({"RNN": ["fast", "slow"]}, ["a", "b"])


def test_format_table_as_text_or_markdown_and_rejects_anything_else():
    rows = [{"model": "LSTM", "right": 0.5, "sequences": None}]
    assert format_table(rows).splitlines() == [
        "model  right  sequences",
        "-----  -----  ---------",
        "LSTM   0.500  -",
    ]
    assert format_table(rows, markdown=True).splitlines() == [
        "| model | right | sequences |",
        "|---|---|---|",
        "| LSTM | 0.500 | – |",
    ]
    assert format_table([{"a": "x|y"}], markdown=True) == "| a |\n|---|\n| x\\|y |"
    assert format_table(rows, columns=["right"]).splitlines()[2] == "0.500"
    for bad in ("not rows", [], [1, 2]):
        with pytest.raises(TypeError, match="rows must be a non-empty list of dicts"):
            format_table(bad)
