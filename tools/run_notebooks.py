"""Re-execute the book's notebooks in place: the one way their stored outputs are made.

    python tools/run_notebooks.py                 # every notebook under book/
    python tools/run_notebooks.py book/x.ipynb    # just these

Each notebook runs top to bottom in a fresh kernel of *this* Python environment, from
its own folder, with a fixed hash seed and the exercise progress file pointed at a
throw-away folder (so a learner's or maintainer's own progress never leaks into the
book). Widget state is stored (the static book needs it to draw the controls) and no
timing metadata is recorded (so re-running changes only what really changed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_PER_CELL = 600
SETUP_TAG = "course-setup"


def setup_source() -> str:
    """The first code cell of every notebook: installs the package where it is missing.

    Binder and `make lab` install the course package; Google Colab and a JupyterHub
    opened from a launch button do not. It installs the ``widgets`` extra (matplotlib,
    ipywidgets), which a bare hub may lack; the chapters' data come with the package.
    The address comes from `repository` in _config.yml, the one place it is written,
    and is refreshed on every run.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    url, branch = config["repository"]["url"], config["repository"]["branch"]
    return (
        "# Colab or a fresh JupyterHub: install the course package if it is missing.\n"
        "import importlib.util\n"
        "\n"
        'if importlib.util.find_spec("lstm_gru_course") is None:\n'
        f'    %pip install --quiet "lstm_gru_course[widgets] @ git+{url}@{branch}"'
    )


def ensure_setup_cell(nb) -> None:
    """Put the setup cell right after the title cell, or refresh the one already there."""
    source = setup_source()
    for cell in nb.cells:
        if SETUP_TAG in cell.metadata.get("tags", []):
            cell.source = source
            return
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [SETUP_TAG, "remove-cell"]
    nb.cells.insert(1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0, cell)


def notebook_paths(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) pieces into one output, as Jupyter shows them.

    The kernel may send one print in several messages; stored separately they would
    appear as separate boxes on the page, split at a different place on every run.
    """
    merged = []
    for out in outputs:
        if (
            out.output_type == "stream"
            and merged
            and merged[-1].output_type == "stream"
            and merged[-1].name == out.name
        ):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    ensure_setup_cell(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata.pop("widgets", None)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_PER_CELL,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
        allow_errors=False,
    )
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: all under book/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lstm-gru-course-progress-") as tmp:
        os.environ["LSTM_GRU_COURSE_PROGRESS"] = str(Path(tmp) / "progress.json")
        os.environ["PYTHONHASHSEED"] = "0"
        # One BLAS thread: the same sums in the same order, so the same stored numbers.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = "1"
        os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        for path in notebook_paths(args.notebooks):
            elapsed = execute(path)
            print(f"{elapsed:7.1f} s  {path.relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
