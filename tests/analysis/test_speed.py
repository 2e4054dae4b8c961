"""Tests for lstm_gru_course.analysis.speed: the one timing function and the layers' speed."""

import sys

import numpy as np
import pytest

from lstm_gru_course.analysis.race import build_model
from lstm_gru_course.analysis.speed import _torch_twin, median_times, time_layers


def test_time_layers_reports_a_median_per_model_and_size():
    rows = time_layers(sizes=((2, 3, 2, 4),), repeats=2, use_torch=False)
    assert [r["model"] for r in rows] == ["RNN", "LSTM", "GRU"]
    assert all(
        r["size"] == "B2 T3 I2 H4" and r["package_ms"] > 0 and r["torch_ms"] is None for r in rows
    )


def test_time_layers_without_torch_says_so_and_times_the_package(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch -> ImportError
    rows = time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=True)
    assert all(r["package_ms"] > 0 and r["torch_ms"] is None for r in rows)
    assert "torch is not installed" in capsys.readouterr().out


def test_time_layers_times_torch_nn_with_the_same_weights_when_installed():
    torch = pytest.importorskip(
        "torch", reason="torch is not installed; timing torch.nn needs `pip install torch==2.13.0`"
    )
    layer = build_model("GRU", 2, 3, seed=0)
    x = np.random.default_rng(1).normal(size=(4, 2, 2))
    twin = _torch_twin(layer)
    theirs, _ = twin(torch.from_numpy(x))
    np.testing.assert_allclose(layer.forward(x)[0], theirs.detach().numpy(), rtol=0, atol=1e-12)
    rows = time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=True)
    assert all(r["torch_ms"] > 0 and r["package_ms"] > 0 for r in rows)


def test_median_times_interleaves_and_takes_the_median():
    calls = []
    times = median_times(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeats=3
    )
    assert calls == ["a", "b"] * 4  # one warm-up round, then three timed ones
    assert set(times) == {"a", "b"} and all(t >= 0 for t in times.values())
    calls.clear()
    median_times({"a": lambda: calls.append("a")}, repeats=2, warmup=False)
    assert calls == ["a", "a"]
    with pytest.raises(ValueError, match="repeats"):
        median_times({"a": print}, repeats=0)
    with pytest.raises(TypeError, match="funcs"):
        median_times([print], repeats=1)


def test_median_times_reads_the_clock_it_is_given():
    ticks = iter(range(100))
    times = median_times({"a": lambda: None}, repeats=3, warmup=False, clock=lambda: next(ticks))
    assert times == {"a": 1}  # each call: start = k, end = k + 1


def test_time_layers_counts_cpu_seconds_on_one_blas_thread_by_default(monkeypatch):
    import time

    from threadpoolctl import threadpool_info

    from lstm_gru_course.analysis import speed

    def blas_threads():
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    seen = []

    def spy(funcs, repeats, clock):
        seen.append((clock, blas_threads()))
        return {name: 0.001 for name in funcs}

    monkeypatch.setattr(speed, "median_times", spy)
    before = blas_threads()
    time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=False)
    assert seen and all(clock is time.process_time and threads == {1} for clock, threads in seen)
    assert blas_threads() == before  # restored
    seen.clear()
    time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=False, clock="wall")
    assert seen and all(clock is time.perf_counter for clock, _ in seen)


def test_time_layers_rejects_an_unknown_clock():
    with pytest.raises(ValueError, match='clock must be "cpu" or "wall", but received'):
        time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=False, clock="gpu")
