"""The whole memory-span experiment of chapter 7: every run of a grid, on one core or many.

- :func:`run_memory_experiments`: every (task, lag) point x model x seed of a
  :class:`~.memory_span.Scale`, one :func:`~.memory_span.run_one` each, in order or in
  parallel with joblib (``jobs``; an optional extra: ``pip install lstm_gru_course[parallel]``).
  Each run is seeded by its own parameters only, so the results are the same for any
  number of workers, on one machine or on a Dask or Ray cluster (``backend``);
- :func:`summarize` and :func:`published_vs_reproduced`: the chapter's tables;
- :func:`write_json`: saving the results (where they were made: ``speed.machine_info``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable

import numpy as np

from .._validate import choice, describe
from ..i18n import N_, _
from ..train import _one_blas_thread
from .cost import parameter_count
from .race import (
    SOLVED_ACCURACY,
    TASKS,
    VALIDATION_SEED,
    Scale,
    chance_accuracy,
    run_one,
)
from .speed import machine_info

__all__ = [
    "run_memory_experiments",
    "summarize",
    "PUBLISHED",
    "published_vs_reproduced",
    "write_json",
]


def write_json(path, data: dict) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename)."""
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
    os.replace(temporary, path)


def _run(task, lag, model, seed, scale):
    """One run in a worker, with its BLAS on one thread."""
    with _one_blas_thread():
        return run_one(task, lag, model, seed, scale)


def _parallel_runs(grid, scale, jobs, backend):
    """The runs of ``grid`` computed by joblib, yielded in the grid's order."""
    try:
        import joblib
    except ImportError:
        raise ImportError(
            f"jobs={jobs} runs the experiments in parallel with joblib, which is not "
            "installed: pip install joblib (or lstm_gru_course[parallel]), or use jobs=1."
        ) from None
    # Each worker pins its BLAS to one thread itself (_run), whatever the backend.
    with joblib.parallel_config(**({"backend": backend} if backend else {})):
        parallel = joblib.Parallel(n_jobs=jobs, return_as="generator")
        yield from parallel(joblib.delayed(_run)(*point, scale) for point in grid)


def _progress(iterable, total, progress):
    if not progress:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, total=total, unit="run", file=sys.stderr)


def run_memory_experiments(
    scale: Scale,
    out=None,
    command: str | None = None,
    log: Callable[[str], None] | None = None,
    jobs: int = 1,
    backend: str | None = None,
    progress: bool = False,
    timings: bool = True,
) -> dict:
    """Run every (task, lag) point x model x seed of ``scale``; return (and save) the results.

    ``out``: a JSON path, rewritten after every point so a long run can be watched and
    an interrupted one keeps what it finished. ``log``: a function called with one line
    per run (e.g. ``print``). ``jobs``: how many runs at once (joblib's ``n_jobs``; -1 =
    every core; 1 = in this process, no joblib needed), each worker with one BLAS
    thread; ``backend``: joblib's backend (None = its default, processes on this
    machine; "dask" or "ray" once a cluster is connected, see README). ``progress``: a
    tqdm bar over the runs (when tqdm is installed). ``timings=False`` leaves out what
    depends on when and where it ran (command, date, machine, seconds), so two results
    can be compared byte for byte.

    The result holds ``command``, ``date``, ``scale`` (every setting), ``machine``,
    ``seconds`` (total wall time), ``chance`` (for each ``"task/lag"``, the fraction of
    held-out sequences answered right by guessing, see
    :func:`~.memory_span.chance_accuracy`) and ``runs`` (see :func:`~.memory_span.run_one`),
    in the grid's order whatever ``jobs`` is.
    """
    if not isinstance(scale, Scale):
        raise TypeError(
            f"scale must be a Scale (e.g. QUICK or FULL), but received {describe(scale)}."
        )
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs == 0 or jobs < -1:
        raise ValueError(
            f"jobs must be a positive whole number or -1 (every core), but received {jobs!r}."
        )
    for task, _lag in scale.points:
        choice("task in scale.points", task, tuple(TASKS))
    results = {
        "command": command,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "scale": dataclasses.asdict(scale),
        "machine": machine_info(),
        "solved_accuracy": SOLVED_ACCURACY,
        "tasks": {
            name: {"paper": spec.paper, "right_answer": spec.right_answer}
            for name, spec in TASKS.items()
        },
        "seconds": None,
        "chance": {},
        "runs": [],
    }
    if not timings:
        for key in ("command", "date", "machine", "seconds"):
            del results[key]
    for task, lag in scale.points:
        validation = TASKS[task].make(lag, scale.eval_size, VALIDATION_SEED + lag)
        results["chance"][f"{task}/{lag}"] = chance_accuracy(task, validation)
    grid = [
        (task, lag, model, seed)
        for task, lag in scale.points
        for model in scale.models
        for seed in scale.seeds
    ]
    runs = (
        map(lambda point: _run(*point, scale), grid)
        if jobs == 1
        else _parallel_runs(grid, scale, jobs, backend)
    )
    per_point = len(scale.models) * len(scale.seeds)
    start = time.perf_counter()
    for k, run in enumerate(_progress(runs, len(grid), progress), start=1):
        if not timings:
            del run["seconds"]
        results["runs"].append(run)
        if log is not None:
            log(
                f"{run['task']:>14s} lag {run['lag']:4d} {run['model']:>20s} seed "
                f"{run['seed']}: right {run['accuracy']:.3f} after {run['sequences']:6d} "
                f"sequences" + (f" ({run['seconds']:.0f} s)" if timings else "")
            )
        if k % per_point == 0:
            if timings:
                results["seconds"] = round(time.perf_counter() - start, 1)
            if out is not None:
                write_json(out, results)
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
        rows.append(
            {
                "task": task,
                "lag": lag,
                "model": model,
                "solved": f"{len(solved)}/{len(runs)}",
                "right": float(np.median([r["accuracy"] for r in runs])),
                "chance": results["chance"][f"{task}/{lag}"],
                "sequences": int(np.median(solved)) if solved else None,
            }
        )
    return rows


#: What the papers report, at the (task, lag) point of our runs that matches each experiment.
#: (The texts are English keys of the catalogue: :func:`published_vs_reproduced` shows
#: them in the current language.)
PUBLISHED = (
    {
        "experiment": N_("Hochreiter & Schmidhuber 1997, exp. 2a (remember the first symbol)"),
        "point": ("first_symbol", 100),
        "paper": N_(
            "lag p = 100; the 1997 LSTM (no forget gate), one sequence per update, 10,504 weights"
        ),
        "published": N_(
            "LSTM solved 100% of its trials, after 5,040 training sequences on "
            "average; the RNNs trained with BPTT or RTRL solved none at this lag"
        ),
    },
    {
        "experiment": N_("Hochreiter & Schmidhuber 1997, exp. 4 (adding problem)"),
        "point": ("adding", 100),
        "paper": N_("T = 100 to 110; the 1997 LSTM, one sequence per update, 93 weights"),
        "published": N_(
            "stopped after 74,000 training sequences on average, once the mean "
            "training error was below 0.01 and all of the last 2,000 were right to "
            "within 0.04; then 1 of 2,560 test sequences wrong"
        ),
    },
    {
        "experiment": N_("Hochreiter & Schmidhuber 1997, exp. 6a (temporal order)"),
        "point": ("temporal_order", 100),
        "paper": N_("T = 100 to 110; the 1997 LSTM, one sequence per update, 156 weights"),
        "published": N_(
            "solved after 31,390 training sequences on average; then 1 of 2,560 test "
            "sequences wrong"
        ),
    },
    {
        "experiment": N_("Le, Jaitly & Hinton 2015 (adding problem)"),
        "point": ("adding_le", 100),
        "paper": N_(
            "T = 150, 200, 300 and 400; a fixed training set of 100,000 sequences, "
            "seen many times (NOT VERIFIED: written from memory of the paper; check it for "
            "the network sizes)"
        ),
        "published": N_(
            "the LSTM brings the test MSE far below the baseline of always "
            "answering 1 (expected MSE Var(X1 + X2) = 1/6, about 0.167), the tanh RNN "
            "does much worse at the longer lengths (NOT VERIFIED: written from memory of "
            "the paper's figure; check it before quoting)"
        ),
    },
)


def _outcome(results, task, lag, model):
    runs = [r for r in results["runs"] if (r["task"], r["lag"], r["model"]) == (task, lag, model)]
    solved = sorted(r["sequences"] for r in runs if r["solved"])
    if solved:
        return _("{model}: {solved}/{runs} solved (median {sequences} sequences)").format(
            model=_(model),
            solved=len(solved),
            runs=len(runs),
            sequences=f"{int(np.median(solved)):,}",
        )
    return _("{model}: {solved}/{runs}, {right} right").format(
        model=_(model),
        solved=len(solved),
        runs=len(runs),
        right=f"{np.median([r['accuracy'] for r in runs]):.0%}",
    )


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
        models = [
            m
            for m in scale["models"]
            if any((r["task"], r["lag"], r["model"]) == (task, lag, m) for r in results["runs"])
        ]
        if not models:
            continue
        lstm_parameters = parameter_count("lstm", _input_size(task, lag), scale["hidden_size"])
        ours_scale = _(
            "T = {lag}; H = {hidden_size} ({parameters} LSTM parameters, read-out not "
            "counted); batches of {batch_size}, Adam, at most {sequences} sequences; "
            "{seeds} seeds"
        ).format(
            lag=lag,
            hidden_size=scale["hidden_size"],
            parameters=f"{lstm_parameters:,}",
            batch_size=scale["batch_size"],
            sequences=f"{scale['max_steps'] * scale['batch_size']:,}",
            seeds=len(scale["seeds"]),
        )
        guessing = _("guessing: {right} right").format(
            right=f"{results['chance'][f'{task}/{lag}']:.0%}"
        )
        rows.append(
            {
                "experiment": _(entry["experiment"]),
                "their scale": _(entry["paper"]),
                "published": _(entry["published"]),
                "our scale": ours_scale,
                "ours": _("; ").join(
                    [*(_outcome(results, task, lag, m) for m in models), guessing]
                ),
            }
        )
    return rows


def _input_size(task, lag):
    return TASKS[task].make(lag, 1, 0).inputs.shape[2]
