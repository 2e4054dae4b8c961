"""Tests for lstm_gru_course.analysis.sweep: the whole grid of runs, in order or in parallel."""

import json
import sys

import numpy as np
import pytest
from analysis_helpers import TINY

from lstm_gru_course.analysis.sweep import (
    published_vs_reproduced,
    run_memory_experiments,
    summarize,
)

# ------------------------------------------------------------------ a whole experiment


def test_run_memory_experiments_writes_everything_needed_to_rerun_it(tmp_path):
    out = tmp_path / "results.json"
    lines = []
    results = run_memory_experiments(
        TINY, out=str(out), command="python -m x --quick", log=lines.append
    )
    saved = json.loads(out.read_text())
    assert saved["command"] == "python -m x --quick"
    assert saved["scale"]["seeds"] == [0] and saved["scale"]["max_steps"] == 20
    assert saved["machine"]["numpy"] == np.__version__ and saved["machine"]["cores"] >= 1
    assert saved["seconds"] >= 0 and len(saved["runs"]) == 2 == len(lines)
    assert saved["chance"] == {"first_symbol/3": 0.5}
    assert [r["model"] for r in saved["runs"]] == ["RNN", "LSTM, forget bias 3"]
    assert json.loads(json.dumps(results)) == saved


def test_run_memory_experiments_rejects_bad_scales():
    with pytest.raises(TypeError, match="scale must be a Scale"):
        run_memory_experiments("FULL")
    with pytest.raises(ValueError, match="task in scale.points must be one of"):
        run_memory_experiments(TINY.replace(points=(("addition", 3),)))


def test_summarize_counts_solved_runs_and_takes_medians():
    def run(model, seed, solved, sequences, accuracy):
        return {
            "task": "adding",
            "lag": 20,
            "model": model,
            "seed": seed,
            "solved": solved,
            "sequences": sequences,
            "accuracy": accuracy,
        }

    results = {
        "chance": {"adding/20": 0.15},
        "runs": [
            run("LSTM", 0, True, 3200, 0.99),
            run("LSTM", 1, False, 6400, 0.5),
            run("LSTM", 2, True, 1600, 1.0),
            run("RNN", 0, False, 6400, 0.2),
        ],
    }
    rows = {r["model"]: r for r in summarize(results)}
    assert rows["LSTM"]["solved"] == "2/3" and rows["LSTM"]["sequences"] == 2400
    assert rows["LSTM"]["right"] == 0.99 and rows["LSTM"]["chance"] == 0.15
    assert rows["RNN"]["solved"] == "0/1" and rows["RNN"]["sequences"] is None


def test_published_vs_reproduced_uses_the_matching_points():
    results = run_memory_experiments(TINY.replace(points=(("temporal_order", 10),)))
    assert published_vs_reproduced(results) == []
    results = run_memory_experiments(TINY.replace(points=(("first_symbol", 100),), max_steps=2))
    (row,) = published_vs_reproduced(results)
    assert "exp. 2a" in row["experiment"] and "5,040" in row["published"]
    assert "T = 100" in row["our scale"] and "16 sequences" in row["our scale"]
    assert row["ours"].startswith("RNN: 0/1") and "LSTM, forget bias 3: 0/1" in row["ours"]
    assert row["ours"].endswith("; guessing: 50% right")
    # first_symbol at lag 100 reads lag + 1 = 101 inputs: 4*H*(101 + H) + 8*H parameters.
    H = TINY.hidden_size
    assert f"({4 * H * (101 + H) + 8 * H:,} LSTM parameters" in row["our scale"]


def test_summarize_rejects_anything_but_results():
    with pytest.raises(TypeError, match="results"):
        summarize("not rows")


# ------------------------------------------------------------------ in parallel


def _reduced_grid_json(tmp_path, jobs):
    out = tmp_path / f"jobs{jobs}.json"
    scale = TINY.replace(points=(("first_symbol", 3), ("temporal_order", 10)), seeds=(0, 1))
    run_memory_experiments(scale, out=str(out), jobs=jobs, timings=False)
    return out.read_bytes()


def test_two_workers_write_the_same_json_as_one_byte_for_byte(tmp_path):
    pytest.importorskip("joblib", reason="joblib is an optional extra: pip install joblib")
    one = _reduced_grid_json(tmp_path, 1)
    assert _reduced_grid_json(tmp_path, 2) == one
    runs = json.loads(one)["runs"]
    assert [(r["task"], r["model"], r["seed"]) for r in runs][:3] == [
        ("first_symbol", "RNN", 0),
        ("first_symbol", "RNN", 1),
        ("first_symbol", "LSTM, forget bias 3", 0),
    ]
    assert "seconds" not in runs[0] and "date" not in json.loads(one)


def test_without_joblib_more_than_one_job_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "joblib", None)
    with pytest.raises(ImportError, match="pip install joblib"):
        run_memory_experiments(TINY, jobs=2)


@pytest.mark.parametrize("jobs", [0, -2, 1.5, "2", True])
def test_jobs_must_be_a_count_or_minus_one(jobs):
    with pytest.raises(ValueError, match="jobs"):
        run_memory_experiments(TINY, jobs=jobs)
