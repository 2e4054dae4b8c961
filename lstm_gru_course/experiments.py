"""Chapter 7's experiments from the command line: memory span and speed of RNN, LSTM and GRU.

The work is done in :mod:`lstm_gru_course.analysis` (``race``: the tasks, models and
one run; ``sweep``: the whole grid, on one core or many; ``speed``: timing; ``cost``: counts);
this module is the command, and keeps the names older notebooks imported from here.

Run it from the repository root (``--quick`` is the small version the chapter runs live;
the committed files were made with ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1``)::

    python -m lstm_gru_course.experiments --out lstm_gru_course/data/memory_experiments.json
    python -m lstm_gru_course.experiments --quick
    python -m lstm_gru_course.experiments --jobs -1          # every core (pip install joblib)
    python -m lstm_gru_course.experiments --jobs 64 --backend dask --scheduler tcp://host:8786
    python -m lstm_gru_course.experiments --what speed --out lstm_gru_course/data/layer_speed.json

Each run is seeded by its own parameters (task, lag, model, seed), never by the order in
which runs happen, so ``--jobs N`` writes the same results as ``--jobs 1``;
``--reproducible`` leaves out what depends on when and where the runs were made
(command, date, machine, seconds), so two result files can be compared byte for byte.
"""

from __future__ import annotations

import argparse
import sys

from .analysis.cost import cost_table, operation_count, parameter_count
from .analysis.race import (
    FULL,
    MODELS,
    QUICK,
    SOLVED_ACCURACY,
    TASKS,
    VALIDATION_SEED,
    Scale,
    build_model,
    run_one,
)
from .analysis.speed import SPEED_SIZES, machine_info, speed_report, time_layers
from .analysis.sweep import (
    PUBLISHED,
    published_vs_reproduced,
    run_memory_experiments,
    summarize,
    write_json,
)
from .analysis.tables import format_table

# The names above stay importable from here for notebooks written for older versions;
# the command is the one thing this module adds.
__all__ = ["main"]


def _connect(backend: str | None, scheduler: str | None) -> None:
    """Connect joblib's ``backend`` to a cluster at ``scheduler`` (Dask or Ray), if given."""
    if scheduler is None:
        return
    if backend == "dask":
        from dask.distributed import Client  # pip install "dask[distributed]"

        Client(scheduler)  # joblib's dask backend uses this client
    elif backend == "ray":
        import ray  # pip install "ray[default]"
        from ray.util.joblib import register_ray

        register_ray()
        ray.init(address=scheduler)
    else:
        raise SystemExit(
            f"--scheduler goes with --backend dask or --backend ray, "
            f"but the backend is {backend!r}."
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lstm_gru_course.experiments",
        description="Train RNN, LSTM and GRU on the memory tasks at growing lags.",
    )
    parser.add_argument(
        "--what",
        choices=("memory", "speed"),
        default="memory",
        help="the memory experiments (default) or the speed of the layers",
    )
    parser.add_argument("--quick", action="store_true", help="the small live version (seconds)")
    parser.add_argument("--out", help="write the results JSON here")
    parser.add_argument("--seeds", type=int, nargs="+", help="override the seeds")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="runs at once, with joblib (-1: every core; default 1, no joblib)",
    )
    parser.add_argument(
        "--backend", help="joblib's backend: loky (default), threading, dask or ray (see README)"
    )
    parser.add_argument("--scheduler", help="with --backend dask or ray: the cluster's address")
    parser.add_argument(
        "--reproducible",
        action="store_true",
        help="leave out command, date, machine and timings from the JSON",
    )
    return parser


def main(argv=None) -> int:
    """Command line: run the memory experiments (or time the layers) and write the JSON."""
    args = _parser().parse_args(argv)
    command = "python -m lstm_gru_course.experiments " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    if args.what == "speed":
        report = speed_report()
        report["command"] = command.strip()
        if args.out:
            write_json(args.out, report)
        print(format_table(report["rows"]))
        return 0
    scale = QUICK if args.quick else FULL
    if args.seeds:
        scale = scale.replace(seeds=tuple(args.seeds))
    progress = args.jobs != 1 and sys.stderr is not None and sys.stderr.isatty()
    try:
        _connect(args.backend, args.scheduler)
        results = run_memory_experiments(
            scale,
            out=args.out,
            command=command.strip(),
            jobs=args.jobs,
            backend=args.backend,
            progress=progress,
            timings=not args.reproducible,
            log=None if progress else (lambda line: print(line, flush=True)),
        )
    except (ImportError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_table(summarize(results)))
    if not args.reproducible:
        print(f"total {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
