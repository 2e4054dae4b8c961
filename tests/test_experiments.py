"""Tests of lstm_gru_course.experiments, at tiny sizes (the whole file runs in seconds)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from lstm_gru_course import experiments as ex
from lstm_gru_course.layers import GRU, LSTM, RNN

TINY = ex.Scale(points=(("first_symbol", 3),), models=("RNN", "LSTM, forget bias 3"),
                seeds=(0,), hidden_size=4, batch_size=8, max_steps=20, eval_every=5,
                eval_size=16, lr=1e-2)


def _without_times(run):
    return {k: v for k, v in run.items() if k != "seconds"}


# ------------------------------------------------------------------ models


@pytest.mark.parametrize("name, cls", [("RNN", RNN), ("LSTM", LSTM), ("GRU", GRU)])
def test_default_models_keep_pytorch_initialisation(name, cls):
    built = ex.build_model(name, 3, 5, seed=7)
    reference = cls(3, 5, seed=7)
    assert type(built) is cls
    for key, value in reference.params.items():
        np.testing.assert_array_equal(built.params[key], value)


@pytest.mark.parametrize("name", ["LSTM, forget bias 3", "GRU, update bias 3"])
def test_keep_gate_bias_is_set_on_its_rows_only(name):
    H = 5
    built = ex.build_model(name, 3, H, seed=7)
    reference = type(built)(3, H, seed=7)
    total = built.params["bias_ih"] + built.params["bias_hh"]
    np.testing.assert_array_equal(total[H:2 * H], 3.0)
    rows = np.r_[0:H, 2 * H:total.size]
    np.testing.assert_array_equal(built.params["bias_ih"][rows], reference.params["bias_ih"][rows])
    np.testing.assert_array_equal(built.params["bias_hh"][rows], reference.params["bias_hh"][rows])


def test_forget_bias_makes_lstm_keep_its_cell_state():
    H = 4
    kept = {}
    for name in ("LSTM", "LSTM, forget bias 3"):
        layer = ex.build_model(name, 3, H, seed=0)
        for key in ("bias_ih", "bias_hh"):
            layer.params[key][2 * H:3 * H] = 0.0       # candidate g = 0: c = f * c_prev
        _, (_, c) = layer.forward(np.zeros((1, 1, 3)), (np.zeros((1, H)), np.ones((1, H))))
        kept[name] = c
    np.testing.assert_allclose(kept["LSTM, forget bias 3"], 1 / (1 + np.exp(-3.0)))
    assert np.all(kept["LSTM"] < 0.75)                 # sigmoid of PyTorch's small biases


def test_build_model_rejects_unknown_names():
    with pytest.raises(ValueError, match="name must be one of"):
        ex.build_model("Transformer", 3, 4, seed=0)


# ------------------------------------------------------------------ one run


def test_run_one_reports_what_happened():
    run = ex.run_one("first_symbol", 3, "LSTM, forget bias 3", 0, TINY)
    assert set(run) == {"task", "lag", "model", "seed", "solved", "solved_at_step", "sequences",
                        "accuracy", "relative_loss", "curve", "seconds", "diverged"}
    steps = [point[0] for point in run["curve"]]
    assert steps[0] == 0 and steps == sorted(steps)
    assert run["sequences"] == steps[-1] * TINY.batch_size
    assert run["accuracy"] == run["curve"][-1][2]
    assert run["solved"] == (run["accuracy"] >= ex.SOLVED_ACCURACY)
    if run["solved"]:
        assert run["solved_at_step"] == steps[-1] <= TINY.max_steps
    else:
        assert run["solved_at_step"] is None and steps[-1] == TINY.max_steps
    json.dumps(run)


def test_an_easy_task_is_solved_early_and_an_impossible_budget_is_not():
    easy = ex.run_one("first_symbol", 2, "GRU, update bias 3", 0, TINY.replace(max_steps=200))
    assert easy["solved"] and easy["solved_at_step"] < 200
    assert easy["sequences"] == easy["solved_at_step"] * TINY.batch_size
    hard = ex.run_one("temporal_order", 12, "RNN", 0, TINY.replace(max_steps=5))
    assert not hard["solved"] and hard["sequences"] == 5 * TINY.batch_size


def test_run_one_is_reproducible_from_its_seed():
    first = ex.run_one("adding", 20, "GRU", 1, TINY)
    again = ex.run_one("adding", 20, "GRU", 1, TINY)
    other = ex.run_one("adding", 20, "GRU", 2, TINY)
    assert _without_times(first) == _without_times(again)
    assert first["curve"] != other["curve"]


def test_the_adding_problem_is_scored_with_the_papers_tolerance():
    spec = ex.TASKS["adding"]
    batch = spec.make(20, 64, 0)
    layer = ex.build_model("RNN", 2, 4, seed=0)
    readout = ex.Linear(4, 1, seed=0)
    outputs, _ = layer.forward(batch.inputs)
    prediction = readout.forward(outputs[-1])
    _, right = ex._score(spec, layer, readout, batch)
    assert right == np.mean(np.abs(prediction - batch.targets) < 0.04)
    assert ex.TASKS["adding_le"].tolerance == pytest.approx(4 * 0.04)


@pytest.mark.parametrize("args, error, message", [
    (("addition", 20, "LSTM", 0), ValueError, "task must be one of"),
    (("adding", 10, "LSTM", 0), ValueError, "lag must be at least 20"),
    (("temporal_order", 5, "LSTM", 0), ValueError, "lag must be at least 10"),
    (("first_symbol", 0, "LSTM", 0), ValueError, "lag must be a positive integer"),
    (("first_symbol", 3, "lstm", 0), ValueError, "model must be one of"),
])
def test_run_one_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        ex.run_one(*args, TINY)


def test_run_one_needs_a_scale():
    with pytest.raises(TypeError, match="scale must be a Scale"):
        ex.run_one("first_symbol", 3, "LSTM", 0, {"max_steps": 5})


# ------------------------------------------------------------------ a whole experiment


def test_run_memory_experiments_writes_everything_needed_to_rerun_it(tmp_path):
    out = tmp_path / "results.json"
    lines = []
    results = ex.run_memory_experiments(TINY, out=str(out), command="python -m x --quick",
                                        log=lines.append)
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
        ex.run_memory_experiments("FULL")
    with pytest.raises(ValueError, match="task in scale.points must be one of"):
        ex.run_memory_experiments(TINY.replace(points=(("addition", 3),)))


def test_summarize_counts_solved_runs_and_takes_medians():
    def run(model, seed, solved, sequences, accuracy):
        return {"task": "adding", "lag": 20, "model": model, "seed": seed, "solved": solved,
                "sequences": sequences, "accuracy": accuracy}

    results = {"chance": {"adding/20": 0.15}, "runs": [
        run("LSTM", 0, True, 3200, 0.99), run("LSTM", 1, False, 6400, 0.5),
        run("LSTM", 2, True, 1600, 1.0), run("RNN", 0, False, 6400, 0.2)]}
    rows = {r["model"]: r for r in ex.summarize(results)}
    assert rows["LSTM"]["solved"] == "2/3" and rows["LSTM"]["sequences"] == 2400
    assert rows["LSTM"]["right"] == 0.99 and rows["LSTM"]["chance"] == 0.15
    assert rows["RNN"]["solved"] == "0/1" and rows["RNN"]["sequences"] is None


def test_published_vs_reproduced_uses_the_matching_points():
    results = ex.run_memory_experiments(TINY.replace(points=(("temporal_order", 10),)))
    assert ex.published_vs_reproduced(results) == []
    results = ex.run_memory_experiments(TINY.replace(points=(("first_symbol", 100),), max_steps=2))
    (row,) = ex.published_vs_reproduced(results)
    assert "exp. 2a" in row["experiment"] and "5,040" in row["published"]
    assert "T = 100" in row["our scale"] and "16 sequences" in row["our scale"]
    assert row["ours"].startswith("RNN: 0/1") and "LSTM, forget bias 3: 0/1" in row["ours"]
    assert row["ours"].endswith("; guessing: 50% right")
    # first_symbol at lag 100 reads lag + 1 = 101 inputs: 4*H*(101 + H) + 8*H parameters.
    H = TINY.hidden_size
    assert f"({4 * H * (101 + H) + 8 * H:,} LSTM parameters" in row["our scale"]


def test_tables_format_rows_and_reject_anything_else():
    rows = [{"model": "LSTM", "right": 0.5, "sequences": None}]
    assert ex.format_table(rows).splitlines() == [
        "model  right  sequences", "-----  -----  ---------", "LSTM   0.500  -"]
    assert ex.markdown_table([{"a": "x|y"}]) == "| a |\n|---|\n| x\\|y |"
    for table in (ex.format_table, ex.markdown_table, ex.summarize):
        with pytest.raises(TypeError):
            table("not rows")


# ------------------------------------------------------------------ costs


@pytest.mark.parametrize("name, cls", [("RNN", RNN), ("LSTM", LSTM), ("GRU", GRU)])
def test_parameter_count_matches_the_layers(name, cls):
    for I, H in ((1, 1), (3, 7), (32, 128)):
        layer = cls(I, H)
        assert ex.parameter_count(name, I, H) == sum(v.size for v in layer.params.values())
        ops = ex.step_operations(name, I, H)
        assert ops["multiply_adds"] == layer.params["weight_ih"].size + layer.params["weight_hh"].size


def test_a_gru_costs_three_quarters_of_an_lstm():
    rows = {r["model"]: r for r in ex.cost_table(32, 128)}
    for key in ("parameters", "multiply_adds"):
        assert rows["GRU"][key] * 4 == rows["LSTM"][key] * 3
    assert rows["LSTM"]["sigmoids"] == 3 * 128 and rows["GRU"]["sigmoids"] == 2 * 128
    with pytest.raises(ValueError, match="model must be one of"):
        ex.parameter_count("GRUU", 1, 1)
    with pytest.raises(TypeError, match="hidden_size must be a positive integer"):
        ex.step_operations("GRU", 1, 2.5)


def test_time_layers_reports_a_median_per_model_and_size():
    rows = ex.time_layers(sizes=((2, 3, 2, 4),), repeats=2, use_torch=False)
    assert [r["model"] for r in rows] == ["RNN", "LSTM", "GRU"]
    assert all(r["size"] == "B2 T3 I2 H4" and r["package_ms"] > 0 and r["torch_ms"] is None
               for r in rows)


def test_time_layers_without_torch_says_so_and_times_the_package(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", None)      # import torch -> ImportError
    rows = ex.time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=True)
    assert all(r["package_ms"] > 0 and r["torch_ms"] is None for r in rows)
    assert "torch is not installed" in capsys.readouterr().out


def test_time_layers_times_torch_nn_with_the_same_weights_when_installed():
    torch = pytest.importorskip(
        "torch", reason="torch is not installed; timing torch.nn needs `pip install torch==2.13.0`")
    layer = ex.build_model("GRU", 2, 3, seed=0)
    x = np.random.default_rng(1).normal(size=(4, 2, 2))
    twin = ex._torch_layer("GRU", layer)
    theirs, _ = twin(torch.from_numpy(x))
    np.testing.assert_allclose(layer.forward(x)[0], theirs.detach().numpy(), rtol=0, atol=1e-12)
    rows = ex.time_layers(sizes=((2, 3, 2, 4),), repeats=1, use_torch=True)
    assert all(r["torch_ms"] > 0 and r["package_ms"] > 0 for r in rows)


def test_the_command_line_runs_and_writes_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ex, "QUICK", TINY)
    out = tmp_path / "quick.json"
    assert ex.main(["--quick", "--out", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert saved["command"] == f"python -m lstm_gru_course.experiments --quick --out {out}"
    assert "first_symbol" in capsys.readouterr().out
    monkeypatch.setattr(ex, "SPEED_SIZES", ((1, 2, 2, 3),))
    speed = tmp_path / "speed.json"
    assert ex.main(["--what", "speed", "--out", str(speed)]) == 0
    report = json.loads(speed.read_text())
    assert len(report["rows"]) == 3 and report["dtype"] == "float64"
    monkeypatch.setitem(sys.modules, "torch", None)      # the learner's environment: no torch
    assert ex.main(["--what", "speed", "--out", str(speed)]) == 0
    report = json.loads(speed.read_text())
    assert report["machine"]["torch"] is None
    assert all(row["torch_ms"] is None and row["package_ms"] > 0 for row in report["rows"])
    assert "torch is not installed" in capsys.readouterr().out


# ------------------------------------------------------------------ figures


def test_figures_draw_every_model_and_the_chance_level():
    results = ex.run_memory_experiments(TINY.replace(points=(("first_symbol", 2), ("first_symbol", 3))))
    fig = ex.plot_memory_span(results, tasks=("first_symbol",))
    (ax,) = fig.axes
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["RNN", "LSTM, forget bias 3", "chance"]
    assert ax.get_title() == "remember the first symbol"
    fig = ex.plot_learning_curves(results, "first_symbol", 3)
    assert fig.axes[0].get_legend_handles_labels()[1] == ["RNN", "LSTM, forget bias 3", "chance"]
    with pytest.raises(ValueError, match="no runs of task 'adding'"):
        ex.plot_learning_curves(results, "adding", 20)
