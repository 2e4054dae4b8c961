"""Chapter 7's experiments: how far back can RNN, LSTM and GRU remember, and at what cost?

Memory span. Each model is trained on the memory tasks of :mod:`lstm_gru_course.tasks`
at growing lags (the distance between what must be remembered and the moment it is
asked for), from several seeds, and scored on held-out sequences:

- ``adding``: Hochreiter & Schmidhuber (1997), experiment 4; a sequence counts as
  right when the answer is within 0.04 of the target, the paper's criterion;
- ``adding_le``: the same task in the form of Le et al. (2015), target X1 + X2; the
  paper's 0.04 on ``0.5 + (X1 + X2)/4`` is 0.16 on this scale;
- ``first_symbol``: remember-the-first-symbol, 1997 experiment 2a;
- ``temporal_order``: the order of two symbols among distractors, 1997 experiment 6a.

A run stops as soon as at least 99% of the held-out sequences are answered right
("solved"), or after ``max_steps`` training steps. Models: the tanh ``RNN``, ``LSTM``
and ``GRU`` with PyTorch's initialisation, and the two gated ones with the bias of
their "keep" gate set to 3 (LSTM forget gate f, GRU update gate z), so that at the
start they keep about 95% of their memory per step instead of 50%.

Cost. :func:`parameter_count`, :func:`step_operations` and :func:`cost_table` count what
each layer learns and computes per step; :func:`time_layers` measures forward + backward
time of the package's layers and, when torch is importable, of ``torch.nn``'s.

Run it from the repository root (``--quick`` is the small version the chapter runs live;
the committed files were made with ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1``)::

    python -m lstm_gru_course.experiments --out lstm_gru_course/data/memory_experiments.json
    python -m lstm_gru_course.experiments --quick
    python -m lstm_gru_course.experiments --what speed --out lstm_gru_course/data/layer_speed.json

>>> scale = QUICK.replace(points=(("first_symbol", 5),), models=("LSTM",), seeds=(0,))
>>> results = run_memory_experiments(scale)
>>> [(r["model"], r["lag"], r["solved"]) for r in results["runs"]]
[('LSTM', 5, True)]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from dataclasses import dataclass

import numpy as np

from . import __version__, tasks
from ._validate import choice, describe, positive_int
from .layers import GRU, LSTM, RNN
from .losses import accuracy, cross_entropy, mse
from .train import Linear, train

__all__ = [
    "TASKS",
    "MODELS",
    "Scale",
    "QUICK",
    "FULL",
    "build_model",
    "run_one",
    "run_memory_experiments",
    "summarize",
    "format_table",
    "markdown_table",
    "PUBLISHED",
    "published_vs_reproduced",
    "parameter_count",
    "step_operations",
    "cost_table",
    "time_layers",
    "plot_memory_span",
    "plot_learning_curves",
    "main",
]

#: Held-out sequences are drawn from this seed (plus the lag): the same for every model and seed.
VALIDATION_SEED = 1_000_003
#: A run is "solved" when at least this fraction of the held-out sequences is answered right.
SOLVED_ACCURACY = 0.99


@dataclass(frozen=True)
class TaskSpec:
    """A memory task: how to make a batch, and what counts as a right answer."""

    make: object           # (lag, batch_size, seed) -> tasks.Batch
    paper: str             # where it comes from
    right_answer: str      # what "answered right" means, for the chapter's tables
    tolerance: float | None = None   # regression: |prediction - target| below this is right
    min_lag: int = 1


TASKS = {
    "adding": TaskSpec(
        lambda lag, n, seed: tasks.adding_problem(lag, n, seed=seed, form="hochreiter"),
        "Hochreiter & Schmidhuber 1997, exp. 4",
        "|answer - target| < 0.04 (the paper's criterion)", tolerance=0.04, min_lag=20),
    "adding_le": TaskSpec(
        lambda lag, n, seed: tasks.adding_problem(lag, n, seed=seed, form="le"),
        "Le, Jaitly & Hinton 2015",
        "|answer - (X1 + X2)| < 0.16 (the 1997 criterion on this scale)", tolerance=0.16,
        min_lag=2),
    "first_symbol": TaskSpec(
        lambda lag, n, seed: tasks.remember_first_symbol(lag, n, seed=seed),
        "Hochreiter & Schmidhuber 1997, exp. 2a", "the right class (x or y)"),
    "temporal_order": TaskSpec(
        lambda lag, n, seed: tasks.temporal_order(lag, n, seed=seed),
        "Hochreiter & Schmidhuber 1997, exp. 6a", "the right class (XX, XY, YX or YY)",
        min_lag=10),
}

#: name -> (layer class, bias of the keep gate, or None for PyTorch's initialisation).
MODELS = {
    "RNN": (RNN, None),
    "LSTM": (LSTM, None),
    "GRU": (GRU, None),
    "LSTM, forget bias 3": (LSTM, 3.0),
    "GRU, update bias 3": (GRU, 3.0),
}


@dataclass(frozen=True)
class Scale:
    """The size of an experiment: which (task, lag) points, models, seeds, and training budget."""

    points: tuple          # ((task, lag), ...)
    models: tuple
    seeds: tuple
    hidden_size: int = 32
    batch_size: int = 32
    max_steps: int = 2000
    eval_every: int = 100
    eval_size: int = 512
    lr: float = 1e-3
    clip: float = 1.0

    def replace(self, **changes) -> "Scale":
        """A copy with some fields changed: ``FULL.replace(seeds=(0,))``."""
        return dataclasses.replace(self, **changes)


_SWEEP = tuple((task, lag) for task in ("adding", "first_symbol", "temporal_order")
               for lag in (20, 50, 100))

#: The committed run (lstm_gru_course/data/memory_experiments.json): 3 tasks x 3 lags + Le's form at T=100.
FULL = Scale(points=_SWEEP + (("adding_le", 100),), models=tuple(MODELS), seeds=(0, 1, 2))

#: The live version in chapter 7, the same protocol at two lags and one seed: seconds.
QUICK = Scale(points=(("first_symbol", 10), ("first_symbol", 40)), models=tuple(MODELS),
              seeds=(0,), max_steps=300, eval_every=50, eval_size=256)


def build_model(name, input_size, hidden_size, seed):
    """The recurrent layer ``name`` (a key of ``MODELS``), with its keep-gate bias set if any.

    The keep gate is the LSTM's forget gate f (rows H:2H, gate order i, f, g, o) or the
    GRU's update gate z (rows H:2H, gate order r, z, n). Its total bias
    ``bias_ih + bias_hh`` is set to the model's value, so sigmoid(3) ~ 0.95 of the memory
    is kept per step at the start, instead of sigmoid(0) = 0.5.

    >>> layer = build_model("LSTM, forget bias 3", input_size=2, hidden_size=4, seed=0)
    >>> (layer.params["bias_ih"] + layer.params["bias_hh"])[4:8].tolist()
    [3.0, 3.0, 3.0, 3.0]
    """
    name = choice("name", name, tuple(MODELS))
    cls, gate_bias = MODELS[name]
    layer = cls(input_size, hidden_size, seed=seed)
    if gate_bias is not None:
        H = layer.hidden_size
        layer.params["bias_ih"][H:2 * H] = gate_bias
        layer.params["bias_hh"][H:2 * H] = 0.0
    return layer


def _score(spec, layer, readout, batch):
    """(loss / chance loss, fraction answered right) of the model on a held-out batch."""
    outputs, _ = layer.forward(batch.inputs)
    prediction = readout.forward(outputs[-1])
    if batch.kind == "regression":
        loss, _ = mse(prediction, batch.targets)
        right = float(np.mean(np.abs(prediction - batch.targets) < spec.tolerance))
    else:
        loss, _ = cross_entropy(prediction, batch.targets)
        right = accuracy(prediction, batch.targets)
    return loss / batch.chance_loss, right


def _chance_accuracy(spec, batch):
    """Fraction answered right by guessing without looking at the input.

    Regression: always answering the mean target, scored with the task's tolerance on
    these held-out sequences. Classification: 1/K for K classes, what a guess gets on
    balanced classes; on a given held-out set, always answering one class gets that
    class's share, which can sit a little above or below 1/K.
    """
    if batch.kind == "classification":
        return batch.chance_accuracy
    guess = batch.targets.mean()
    return float(np.mean(np.abs(guess - batch.targets) < spec.tolerance))


class _Solved(Exception):
    """Raised from the batch stream to end training early, once the held-out score is met."""


def run_one(task, lag, model, seed, scale, validation=None) -> dict:
    """Train one model on one task at one lag from one seed; return what happened.

    Training uses :func:`lstm_gru_course.train.train` (Adam, gradient clipping, fresh
    batches from the seed each step). Every ``scale.eval_every`` steps the model is
    scored on ``validation`` (held-out sequences; made from ``VALIDATION_SEED`` when
    None); training stops once ``SOLVED_ACCURACY`` of them are answered right.

    Returns a dict: ``task, lag, model, seed``; ``solved`` (bool) and ``solved_at_step``
    (None if never); ``sequences`` (training sequences seen); ``accuracy`` and
    ``relative_loss`` (loss / chance loss) at the end; ``curve``: [step, relative_loss,
    accuracy] at each evaluation (step 0 = before training); ``seconds``; ``diverged``.

    >>> run = run_one("temporal_order", 10, "GRU", 0, QUICK)
    >>> run["curve"][0][0], 0.0 <= run["accuracy"] <= 1.0
    (0, True)
    """
    task = choice("task", task, tuple(TASKS))
    spec = TASKS[task]
    lag = positive_int("lag", lag)
    if lag < spec.min_lag:
        raise ValueError(f"lag must be at least {spec.min_lag} for task {task!r}, but received {lag}.")
    model = choice("model", model, tuple(MODELS))
    if not isinstance(scale, Scale):
        raise TypeError(f"scale must be a Scale (e.g. QUICK or FULL), but received {describe(scale)}.")
    if validation is None:
        validation = spec.make(lag, scale.eval_size, VALIDATION_SEED + lag)
    input_size = validation.inputs.shape[2]
    layer = build_model(model, input_size, scale.hidden_size, seed)
    readout = Linear(scale.hidden_size, validation.output_size, seed=seed + 1000)

    curve = [[0, *_score(spec, layer, readout, validation)]]
    state = {"step": 0}

    def batches(rng):
        step = state["step"]
        if step and step % scale.eval_every == 0:
            curve.append([step, *_score(spec, layer, readout, validation)])
            if curve[-1][2] >= SOLVED_ACCURACY:
                raise _Solved
        state["step"] = step + 1
        return spec.make(lag, scale.batch_size, rng)

    diverged = False
    start = time.perf_counter()
    try:
        train(layer, readout, batches, scale.max_steps, lr=scale.lr, clip=scale.clip, seed=seed)
        curve.append([scale.max_steps, *_score(spec, layer, readout, validation)])
    except _Solved:
        pass
    except RuntimeError:
        diverged = True
    seconds = time.perf_counter() - start
    step, relative_loss, right = curve[-1]
    solved = right >= SOLVED_ACCURACY
    return {
        "task": task, "lag": lag, "model": model, "seed": int(seed),
        "solved": bool(solved), "solved_at_step": int(step) if solved else None,
        "sequences": int(state["step"]) * scale.batch_size,
        "accuracy": right, "relative_loss": relative_loss,
        "curve": curve, "seconds": round(seconds, 2), "diverged": diverged,
    }


def machine_info() -> dict:
    """Where a run happened: CPU, cores, load, Python and numpy versions, BLAS threads."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    threads = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")
               if k in os.environ}
    return {
        "cpu": cpu, "cores": os.cpu_count(), "load_average_at_start": load,
        "platform": platform.platform(), "python": platform.python_version(),
        "numpy": np.__version__, "lstm_gru_course": __version__, "blas_threads": threads,
    }


def _write_json(path, data):
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename)."""
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
    os.replace(temporary, path)


def run_memory_experiments(scale, out=None, command=None, log=None) -> dict:
    """Run every (task, lag) point x model x seed of ``scale``; return (and save) the results.

    ``out``: a JSON path, rewritten after every point so a long run can be watched and
    an interrupted one keeps what it finished. ``log``: a function called with one line
    per run (e.g. ``print``). The result holds ``command``, ``date``, ``scale`` (every
    setting), ``machine``, ``seconds`` (total wall time), ``chance`` (for each
    ``"task/lag"``, the fraction of held-out sequences answered right by guessing, see
    :func:`_chance_accuracy`) and ``runs`` (see :func:`run_one`).
    """
    if not isinstance(scale, Scale):
        raise TypeError(f"scale must be a Scale (e.g. QUICK or FULL), but received {describe(scale)}.")
    for task, _ in scale.points:
        choice("task in scale.points", task, tuple(TASKS))
    results = {
        "command": command, "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "scale": dataclasses.asdict(scale), "machine": machine_info(),
        "solved_accuracy": SOLVED_ACCURACY,
        "tasks": {name: {"paper": spec.paper, "right_answer": spec.right_answer}
                  for name, spec in TASKS.items()},
        "seconds": None, "chance": {}, "runs": [],
    }
    start = time.perf_counter()
    for task, lag in scale.points:
        validation = TASKS[task].make(lag, scale.eval_size, VALIDATION_SEED + lag)
        results["chance"][f"{task}/{lag}"] = _chance_accuracy(TASKS[task], validation)
        for model in scale.models:
            for seed in scale.seeds:
                run = run_one(task, lag, model, seed, scale, validation)
                results["runs"].append(run)
                if log is not None:
                    log(f"{task:>14s} lag {lag:4d} {model:>20s} seed {seed}: "
                        f"right {run['accuracy']:.3f} after {run['sequences']:6d} sequences "
                        f"({run['seconds']:.0f} s)")
        results["seconds"] = round(time.perf_counter() - start, 1)
        if out is not None:
            _write_json(out, results)
    return results


def summarize(results) -> list:
    """One row per (task, lag, model): runs solved, median fraction right, sequences to solve.

    Rows are dicts with ``task, lag, model, solved`` ("2/3"), ``right`` (median fraction
    answered right at the end), ``chance`` (fraction right by guessing) and
    ``sequences`` (median training sequences until solved, over the solved runs; None if
    none solved).
    """
    if not isinstance(results, dict) or "runs" not in results:
        raise TypeError(
            f"results must be the dict returned by run_memory_experiments, but received {describe(results)}."
        )
    groups = {}
    for run in results["runs"]:
        groups.setdefault((run["task"], run["lag"], run["model"]), []).append(run)
    rows = []
    for (task, lag, model), runs in groups.items():
        solved = [r["sequences"] for r in runs if r["solved"]]
        rows.append({
            "task": task, "lag": lag, "model": model,
            "solved": f"{len(solved)}/{len(runs)}",
            "right": float(np.median([r["accuracy"] for r in runs])),
            "chance": results["chance"][f"{task}/{lag}"],
            "sequences": int(np.median(solved)) if solved else None,
        })
    return rows


def format_table(rows, columns=None) -> str:
    """A plain-text table of dict rows (e.g. from :func:`summarize`), for printing.

    >>> print(format_table([{"model": "LSTM", "right": 0.99}, {"model": "RNN", "right": 0.5}]))
    model  right
    -----  -----
    LSTM   0.990
    RNN    0.500
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"rows must be a non-empty list of dicts, but received {describe(rows)}.")
    columns = list(rows[0]) if columns is None else list(columns)

    def cell(value):
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)

    table = [columns] + [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(line[k]) for line in table) for k in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows, columns=None) -> str:
    """A Markdown table of dict rows, for ``IPython.display.Markdown`` (None shows as "–").

    >>> print(markdown_table([{"model": "GRU", "solved": "3/3"}]))
    | model | solved |
    |---|---|
    | GRU | 3/3 |
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"rows must be a non-empty list of dicts, but received {describe(rows)}.")
    columns = list(rows[0]) if columns is None else list(columns)

    def cell(value):
        if value is None:
            return "–"
        text = f"{value:.3f}" if isinstance(value, float) else str(value)
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


#: What the papers report, at the (task, lag) point of our runs that matches each experiment.
PUBLISHED = (
    {"experiment": "Hochreiter & Schmidhuber 1997, exp. 2a (remember the first symbol)",
     "point": ("first_symbol", 100),
     "paper": "lag p = 100; the 1997 LSTM (no forget gate), one sequence per update, "
              "10,504 weights",
     "published": "LSTM solved 100% of its trials, after 5,040 training sequences on "
                  "average; the RNNs trained with BPTT or RTRL solved none at this lag"},
    {"experiment": "Hochreiter & Schmidhuber 1997, exp. 4 (adding problem)",
     "point": ("adding", 100),
     "paper": "T = 100 to 110; the 1997 LSTM, one sequence per update, 93 weights",
     "published": "stopped after 74,000 training sequences on average, once the mean "
                  "training error was below 0.01 and all of the last 2,000 were right to "
                  "within 0.04; then 1 of 2,560 test sequences wrong"},
    {"experiment": "Hochreiter & Schmidhuber 1997, exp. 6a (temporal order)",
     "point": ("temporal_order", 100),
     "paper": "T = 100 to 110; the 1997 LSTM, one sequence per update, 156 weights",
     "published": "solved after 31,390 training sequences on average; then 1 of 2,560 test "
                  "sequences wrong"},
    {"experiment": "Le, Jaitly & Hinton 2015 (adding problem)",
     "point": ("adding_le", 100),
     "paper": "T = 150, 200, 300 and 400; a fixed training set of 100,000 sequences, "
              "seen many times (as we recall the paper; check it for the network sizes)",
     "published": "the LSTM brings the test MSE far below the baseline of always "
                  "answering 1 (expected MSE Var(X1 + X2) = 1/6, about 0.167), the tanh RNN "
                  "does much worse at the longer lengths (as we "
                  "recall the paper's figure; check it before quoting)"},
)


def _outcome(results, task, lag, model):
    runs = [r for r in results["runs"] if (r["task"], r["lag"], r["model"]) == (task, lag, model)]
    solved = sorted(r["sequences"] for r in runs if r["solved"])
    text = f"{model}: {len(solved)}/{len(runs)}"
    if solved:
        return text + f" solved (median {int(np.median(solved)):,} sequences)"
    return text + f", {np.median([r['accuracy'] for r in runs]):.0%} right"


def published_vs_reproduced(results) -> list:
    """Rows comparing :data:`PUBLISHED` with our runs at the same task and lag.

    Columns: ``experiment``, ``their scale``, ``published``, ``our scale``, ``ours``
    (for each model: seeds solved and median training sequences to solve, or the median
    fraction answered right when no seed solved it; then the fraction guessing gets).
    """
    if not isinstance(results, dict) or "runs" not in results:
        raise TypeError(
            f"results must be the dict returned by run_memory_experiments, but received {describe(results)}."
        )
    scale = results["scale"]
    rows = []
    for entry in PUBLISHED:
        task, lag = entry["point"]
        models = [m for m in scale["models"]
                  if any((r["task"], r["lag"], r["model"]) == (task, lag, m) for r in results["runs"])]
        if not models:
            continue
        lstm_parameters = parameter_count("LSTM", _input_size(task, lag), scale["hidden_size"])
        ours_scale = (f"T = {lag}; H = {scale['hidden_size']} ({lstm_parameters:,} "
                      f"LSTM parameters, read-out not counted); batches of {scale['batch_size']}, Adam, at most "
                      f"{scale['max_steps'] * scale['batch_size']:,} sequences; "
                      f"{len(scale['seeds'])} seeds")
        rows.append({
            "experiment": entry["experiment"], "their scale": entry["paper"],
            "published": entry["published"], "our scale": ours_scale,
            "ours": "; ".join(_outcome(results, task, lag, m) for m in models)
                    + f"; guessing: {results['chance'][f'{task}/{lag}']:.0%} right",
        })
    return rows


def _input_size(task, lag):
    return TASKS[task].make(lag, 1, 0).inputs.shape[2]


# ------------------------------------------------------------------ what each model costs

_GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def parameter_count(model, input_size, hidden_size) -> int:
    """Number of parameters of one layer, counted as PyTorch does (both biases).

        G*H*I (weight_ih) + G*H*H (weight_hh) + 2*G*H (bias_ih, bias_hh),  G = 1, 4, 3

    >>> parameter_count("LSTM", input_size=2, hidden_size=32)
    4608
    """
    G = _GATES[choice("model", model, tuple(_GATES))]
    I, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    return G * H * (I + H) + 2 * G * H


def step_operations(model, input_size, hidden_size) -> dict:
    """Work of one time step for one sequence, counted from the equations.

    ``multiply_adds``: the gate matrix products, G*H*(I + H); ``sigmoids``, ``tanhs``:
    elementwise squashing functions; ``products``: elementwise products (``f*c``,
    ``i*g``, ``o*tanh(c)`` for the LSTM; ``r*(...)``, ``(1-z)*n``, ``z*h`` for the GRU).

    >>> step_operations("GRU", 2, 32)
    {'multiply_adds': 3264, 'sigmoids': 64, 'tanhs': 32, 'products': 96}
    """
    model = choice("model", model, tuple(_GATES))
    I, H = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
    sigmoids, tanhs, products = {"RNN": (0, 1, 0), "LSTM": (3, 2, 3), "GRU": (2, 1, 3)}[model]
    return {"multiply_adds": _GATES[model] * H * (I + H), "sigmoids": sigmoids * H,
            "tanhs": tanhs * H, "products": products * H}


def cost_table(input_size, hidden_size) -> list:
    """Rows (model, parameters, then :func:`step_operations`) for RNN, LSTM and GRU."""
    return [{"model": m, "parameters": parameter_count(m, input_size, hidden_size),
             **step_operations(m, input_size, hidden_size)} for m in _GATES]


#: (B, T, I, H) sizes timed by :func:`time_layers`: one sequence, a small and a large batch.
SPEED_SIZES = ((1, 100, 32, 64), (32, 100, 32, 128), (128, 50, 64, 256))


def _torch_available() -> bool:
    """True when torch can be imported (it is only a test oracle, never needed)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _torch_layer(model, layer):
    """The float64 torch.nn twin of ``layer`` with the same weights, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    twin = getattr(torch.nn, model)(layer.input_size, layer.hidden_size).to(torch.float64)
    twin.load_state_dict({k: torch.from_numpy(v) for k, v in layer.state_dict().items()})
    return twin


def time_layers(sizes=SPEED_SIZES, repeats=5, use_torch=True) -> list:
    """Median time of forward + backward (ms) of RNN, LSTM and GRU at each size, float64.

    The package's layers, and ``torch.nn``'s with the same weights when torch is
    importable and ``use_torch`` is true (else ``torch_ms`` is None; asked for torch when
    it is not installed, it prints one line saying so and times the package's layers).
    Implementations are timed interleaved, ``repeats`` times each, and the median kept:
    timings on a shared machine vary by tens of percent, so compare ratios measured in
    one run.

    Returns rows ``{"size": "B32 T100 I32 H128", "model", "package_ms", "torch_ms"}``.
    """
    repeats = positive_int("repeats", repeats)
    if use_torch and not _torch_available():
        print("torch is not installed: timing the package's layers only (torch_ms is None). "
              "To compare with torch.nn: pip install torch, or see benchmarks/bench_layers.py.")
        use_torch = False
    rows = []
    for size in sizes:
        B, T, I, H = (positive_int("sizes entry", v) for v in size)
        x = np.random.default_rng(0).normal(size=(T, B, I))
        for model in _GATES:
            layer = build_model(model, I, H, seed=0)
            runs = {"package": [], "torch": []}
            twin = _torch_layer(model, layer) if use_torch else None
            for _ in range(repeats + 1):                 # the first round warms up, untimed
                start = time.perf_counter()
                outputs, _ = layer.forward(x)
                layer.backward(np.ones_like(outputs))
                runs["package"].append(time.perf_counter() - start)
                if twin is not None:
                    runs["torch"].append(_time_torch(twin, x))
            rows.append({
                "size": f"B{B} T{T} I{I} H{H}", "model": model,
                "package_ms": 1000 * float(np.median(runs["package"][1:])),
                "torch_ms": 1000 * float(np.median(runs["torch"][1:])) if runs["torch"] else None,
            })
    return rows


def _time_torch(twin, x):
    """Seconds for one forward + backward of a torch.nn layer on ``x`` (T, B, I)."""
    import torch
    inputs = torch.from_numpy(x).requires_grad_(True)
    twin.zero_grad()
    start = time.perf_counter()
    outputs, _ = twin(inputs)
    outputs.backward(torch.ones_like(outputs))
    return time.perf_counter() - start


def speed_report(repeats=5) -> dict:
    """Timings of :func:`time_layers` with the machine and versions, for the results file."""
    try:
        import torch
        versions = {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}
    except ImportError:
        versions = {"torch": None}
    start = time.perf_counter()
    rows = time_layers(sizes=SPEED_SIZES, repeats=repeats)
    return {"machine": {**machine_info(), **versions}, "repeats": repeats, "dtype": "float64",
            "rows": rows, "seconds": round(time.perf_counter() - start, 1)}


# ------------------------------------------------------------------ figures


def _model_style(model):
    """Line style of a model in the chapter's plots: gated models with a biased keep gate solid
    with filled markers, with PyTorch's initialisation dashed with hollow markers."""
    from .figures.style import MODEL_STYLES

    base, gate_bias = model.split(",")[0], MODELS[model][1]
    style = dict(MODEL_STYLES[base])
    if base != "RNN":
        style["linestyle"] = "-" if gate_bias is not None else "--"
        style["markerfacecolor"] = style["color"] if gate_bias is not None else "white"
    return style


_TASK_TITLES = {
    "adding": "adding problem (1997 form)",
    "adding_le": "adding problem (Le et al. form)",
    "first_symbol": "remember the first symbol",
    "temporal_order": "temporal order",
}


def plot_memory_span(results, tasks=("adding", "first_symbol", "temporal_order")):
    """One panel per task: fraction of held-out sequences answered right against the lag.

    Lines join the median over seeds; small markers show each seed; the dotted grey
    line is the chance level (see :func:`_chance_accuracy`). Returns a Figure.
    """
    from .figures.style import course_style, new_figure

    rows = summarize(results)
    with course_style():
        fig = new_figure(4.2 * len(tasks), 4.6, layout="constrained")
        axes = fig.subplots(1, len(tasks), sharey=True, squeeze=False)[0]
        models = list(dict.fromkeys(r["model"] for r in rows))
        for ax, task in zip(axes, tasks):
            lags = sorted({r["lag"] for r in rows if r["task"] == task})
            for k, model in enumerate(models):
                offset = 1 + 0.035 * (k - (len(models) - 1) / 2)     # keep equal values apart
                xs = [lag * offset for lag in lags]
                medians = [next(r["right"] for r in rows if (r["task"], r["lag"], r["model"])
                                == (task, lag, model)) for lag in lags]
                ax.plot(xs, medians, label=model, lw=2, ms=7, **_model_style(model))
                for x, lag in zip(xs, lags):
                    seeds = [r["accuracy"] for r in results["runs"]
                             if (r["task"], r["lag"], r["model"]) == (task, lag, model)]
                    ax.plot([x] * len(seeds), seeds, ls="none", marker=".", ms=5,
                            color=_model_style(model)["color"], alpha=0.6)
            chance = [results["chance"][f"{task}/{lag}"] for lag in lags]
            ax.plot(lags, chance, color="#777777", ls=":", lw=1.5, label="chance")
            ax.set_xscale("log")
            ax.set_xticks(lags, [str(lag) for lag in lags])
            ax.minorticks_off()
            ax.set(title=_TASK_TITLES[task], xlabel="lag (time steps)", ylim=(-0.02, 1.04))
            ax.grid(alpha=0.3)
        axes[0].set_ylabel("held-out sequences answered right")
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
                   ncol=3, frameon=False)
    return fig


def plot_learning_curves(results, task, lag):
    """Fraction of held-out sequences answered right against training sequences seen,
    one line per run (model and seed) at one (task, lag) point. Returns a Figure."""
    from .figures.style import course_style, new_figure

    runs = [r for r in results["runs"] if (r["task"], r["lag"]) == (task, lag)]
    if not runs:
        raise ValueError(f"results hold no runs of task {task!r} at lag {lag!r}.")
    batch = results["scale"]["batch_size"]
    with course_style():
        fig = new_figure(8.0, 4.6, layout="constrained")
        ax = fig.subplots()
        labelled = set()
        for run in runs:
            steps, _, right = zip(*run["curve"])
            style = _model_style(run["model"])
            ax.plot([s * batch for s in steps], right, lw=1.8, ms=0, alpha=0.85,
                    label=None if run["model"] in labelled else run["model"],
                    **{**style, "marker": None})
            labelled.add(run["model"])
        ax.axhline(results["chance"][f"{task}/{lag}"], color="#777777", ls=":", lw=1.5,
                   label="chance")
        ax.set(title=f"{_TASK_TITLES[task]}, lag {lag}: every seed", ylim=(-0.02, 1.04),
               xlabel="training sequences seen", ylabel="held-out sequences answered right")
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def main(argv=None) -> int:
    """Command line: run the memory experiments and write the results JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m lstm_gru_course.experiments",
        description="Train RNN, LSTM and GRU on the memory tasks at growing lags.")
    parser.add_argument("--what", choices=("memory", "speed"), default="memory",
                        help="the memory experiments (default) or the speed of the layers")
    parser.add_argument("--quick", action="store_true", help="the small live version (seconds)")
    parser.add_argument("--out", help="write the results JSON here")
    parser.add_argument("--seeds", type=int, nargs="+", help="override the seeds")
    args = parser.parse_args(argv)
    command = "python -m lstm_gru_course.experiments " + " ".join(
        sys.argv[1:] if argv is None else argv)
    if args.what == "speed":
        report = speed_report()
        report["command"] = command.strip()
        if args.out:
            _write_json(args.out, report)
        print(format_table(report["rows"]))
        return 0
    scale = QUICK if args.quick else FULL
    if args.seeds:
        scale = scale.replace(seeds=tuple(args.seeds))
    results = run_memory_experiments(scale, out=args.out, command=command.strip(),
                                     log=lambda line: print(line, flush=True))
    print(format_table(summarize(results)))
    print(f"total {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
