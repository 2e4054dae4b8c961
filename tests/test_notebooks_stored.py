"""The notebooks' stored outputs are complete and current enough for nbval to re-check.

`make notebooks` (tools/run_notebooks.py) is the one way outputs are produced; these
tests catch a notebook saved half-run, run out of order, edited after running, or
carrying an error, a warning on stderr or timing metadata.
"""

import pytest
from book_helpers import ROOT, WIDGET_STATE, notebooks, read, source_of, toc_files, widget_view_ids

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under book/"


def test_every_toc_entry_exists_and_every_notebook_is_in_the_toc():
    entries = toc_files()
    assert len(entries) == len(set(entries)), f"_toc.yml names a page twice: {entries}"
    entries += toc_files("book/zh/_toc.yml")  # the Chinese edition's own table of contents
    sources = {source_of(e) for e in entries}
    missing = [str(p.relative_to(ROOT)) for p in NOTEBOOKS if p not in sources]
    assert not missing, f"notebooks not in _toc.yml (the book would skip them): {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_code_cell_ran_once_in_order(path):
    nb = read(path)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts, f"{path.name} has no code cells"
    assert None not in counts, (
        f"{path.name}: some code cells were never run (execution_count None); "
        "re-run it with `make notebooks`"
    )
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: cells ran out of order or more than once {counts}; "
        "re-run it with `make notebooks`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_stored_error_warning_or_timing(path):
    nb = read(path)
    for index, cell in enumerate(nb.cells):
        assert "execution" not in cell.metadata, f"{path.name} cell {index}: timing metadata"
        for out in cell.get("outputs", []):
            assert out.output_type != "error", (
                f"{path.name} cell {index} stored an error: {out.ename}: {out.evalue}"
            )
            if out.output_type == "stream":
                assert out.name == "stdout", (
                    f"{path.name} cell {index} wrote to stderr: {out.text[:300]!r}"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_shown_widget_has_saved_state(path):
    nb = read(path)
    shown = widget_view_ids(nb)
    if not shown:
        return
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = [m for m in shown if m not in state]
    assert not missing, (
        f"{path.name} shows widgets whose state was not saved {missing}; "
        "the static book would show an empty box. Re-run it with `make notebooks`."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_notebook_installs_the_package_where_it_is_missing(path):
    """Colab and a JupyterHub start without the course package: the setup cell brings it,
    from the repository named in _config.yml (refreshed by `make notebooks`)."""
    import importlib.util
    import sys

    from IPython.core.inputtransformer2 import TransformerManager

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location(
            "run_notebooks", ROOT / "tools" / "run_notebooks.py"
        )
        run_notebooks = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(run_notebooks)
    finally:
        sys.path.pop(0)
    cells = [c for c in read(path).cells if run_notebooks.SETUP_TAG in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name}: expected one setup cell, found {len(cells)}"
    assert cells[0].source == run_notebooks.setup_source(), (
        f"{path.name}: the setup cell is out of date; re-run it with `make notebooks`"
    )
    assert "remove-cell" in cells[0].metadata["tags"]
    compile(TransformerManager().transform_cell(cells[0].source), path.name, "exec")
