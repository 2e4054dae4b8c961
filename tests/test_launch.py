"""The ways a learner starts the course: a notebook alone (Colab), Binder, CI's two steps.

Colab opens ONE notebook from the repository, in an empty folder, with the package
installed by the setup cell: nothing of the repository (no book/, no data/) is next to
it. Chapter 7 reads the most data, so it is run exactly like that here, with only the
installed package (this venv's) to find its files.
"""

from __future__ import annotations

import re
import shutil
import time

import nbformat
import pytest
import yaml
from book_helpers import ROOT
from nbclient import NotebookClient

ALONE = "07-lstm-or-gru.ipynb"


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_chapter_7_runs_alone_in_an_empty_folder_as_on_colab(tmp_path, monkeypatch):
    folder = tmp_path / "colab"
    folder.mkdir()
    shutil.copy(ROOT / "book" / ALONE, folder / ALONE)
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(folder / ALONE, as_version=4)
    stored = [c for c in nb.cells if c.cell_type == "code"]
    ran = nbformat.read(folder / ALONE, as_version=4)
    start = time.perf_counter()
    # Raises CellExecutionError (with the traceback) if any cell fails.
    NotebookClient(
        ran, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    seconds = time.perf_counter() - start
    print(f"\n{ALONE} alone in an empty folder: {seconds:.1f} s")
    assert sorted(p.name for p in folder.iterdir()) == [ALONE], "the run left files behind"
    # The cells that read the package's data printed what the book shows.
    reading = [k for k, c in enumerate(stored) if "load_data(" in c.source]
    assert len(reading) >= 2
    for k in reading:
        got = [c for c in ran.cells if c.cell_type == "code"][k]
        assert _text(got) == _text(stored[k]) and _text(got), stored[k].source


def test_binder_gets_the_python_the_pins_need():
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.(1[1-9])", runtime), runtime
    needed = re.search(
        r'requires-python = ">=(3\.\d+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    ).group(1)
    assert runtime == f"python-{needed}"


def test_no_one_elses_jupyterhub_by_default():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["launch_buttons"].get("jupyterhub_url", "") == "", (
        "the JupyterHub button must stay empty in the repository; a teacher sets theirs"
    )


def test_ci_runs_every_test_that_needs_torch_after_installing_it():
    """.ci/run's second step lists the tests that need torch: none may be forgotten."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\s+(tests/\S+)$", ci, flags=re.M))
    needing = set()
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        if re.search(r'^torch = pytest\.importorskip\(\s*"torch"', source, flags=re.M):
            needing.add(rel)  # the whole file
        for name in re.findall(
            r'def (test_\w+)\([^)]*\):\n(?:.*\n){0,3}?\s+\w+ = pytest\.importorskip\(\s*"torch"',
            source,
        ):
            needing.add(f"{rel}::{name}")
    assert len(needing) >= 2, f"found only {needing}: the patterns above are out of date"
    assert needing <= listed, f".ci/run misses tests that need torch: {sorted(needing - listed)}"
    for node in listed:
        assert (ROOT / node.split("::")[0]).is_file(), node


@pytest.mark.parametrize("cell_tag", ["course-setup"])
def test_the_setup_cell_brings_the_widgets_extra(cell_tag):
    nb = nbformat.read(ROOT / "book" / ALONE, as_version=4)
    (setup,) = [c for c in nb.cells if cell_tag in c.metadata.get("tags", [])]
    assert re.search(
        r'%pip install --quiet "lstm_gru_course\[widgets\] @ git\+https://', setup.source
    )
