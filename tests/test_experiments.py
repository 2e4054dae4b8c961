"""Tests of the command `python -m lstm_gru_course.experiments`, at tiny sizes (seconds)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from analysis_helpers import TINY

from lstm_gru_course import experiments as ex
from lstm_gru_course.analysis import speed


def test_the_command_line_runs_and_writes_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ex, "QUICK", TINY)
    out = tmp_path / "quick.json"
    assert ex.main(["--quick", "--out", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert saved["command"] == f"python -m lstm_gru_course.experiments --quick --out {out}"
    assert "first_symbol" in capsys.readouterr().out
    monkeypatch.setattr(speed, "SPEED_SIZES", ((1, 2, 2, 3),))
    out = tmp_path / "speed.json"
    assert ex.main(["--what", "speed", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert len(report["rows"]) == 3 and report["dtype"] == "float64"
    monkeypatch.setitem(sys.modules, "torch", None)  # the learner's environment: no torch
    assert ex.main(["--what", "speed", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["machine"]["torch"] is None
    assert all(row["torch_ms"] is None and row["package_ms"] > 0 for row in report["rows"])
    assert "torch is not installed" in capsys.readouterr().out


def test_jobs_2_and_jobs_1_write_the_same_file_byte_for_byte(tmp_path, monkeypatch):
    pytest.importorskip("joblib", reason="joblib is an optional extra: pip install joblib")
    monkeypatch.setattr(
        ex, "QUICK", TINY.replace(points=(("first_symbol", 3), ("first_symbol", 4)), seeds=(0, 1))
    )
    files = []
    for jobs in ("1", "2"):
        files.append(tmp_path / f"jobs{jobs}.json")
        assert ex.main(["--quick", "--jobs", jobs, "--reproducible", "--out", str(files[-1])]) == 0
    assert files[0].read_bytes() == files[1].read_bytes()
    assert len(json.loads(files[0].read_text())["runs"]) == 8


def test_without_joblib_jobs_2_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(ex, "QUICK", TINY)
    monkeypatch.setitem(sys.modules, "joblib", None)
    assert ex.main(["--quick", "--jobs", "2"]) == 2
    assert "pip install joblib" in capsys.readouterr().err
    assert ex.main(["--quick", "--jobs", "1", "--reproducible"]) == 0  # no joblib needed


def test_a_scheduler_needs_a_cluster_backend(monkeypatch):
    monkeypatch.setattr(ex, "QUICK", TINY)
    with pytest.raises(SystemExit, match="--scheduler goes with --backend dask"):
        ex.main(["--quick", "--scheduler", "tcp://localhost:8786"])


def test_python_dash_m_runs_the_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "lstm_gru_course.experiments", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "--jobs" in result.stdout and "--backend" in result.stdout
