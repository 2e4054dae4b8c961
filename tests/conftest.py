"""Fixtures shared across test files: the strictly built book (built once per run)."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run, so CI cannot pass one day and
# fail the next on a new random draw; failures print the example to reproduce.
settings.register_profile("course", derandomize=True)
settings.load_profile("course")

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


#: End-to-end test files: they build the book, drive chromium or start JupyterLab, so they
#: need npm packages and a browser. `make unit` leaves them out (-m "not e2e"), `make e2e`
#: runs them. Any test that uses the built book (the `html_dir` fixture) or imports the
#: browser helpers (tests/browser.py) is end-to-end too, listed here or not.
E2E_FILES = {
    "test_book_build.py",
    "test_browser_book.py",
    "test_jupyterlab.py",
    "test_figures_in_book.py",
}


@functools.cache
def _uses_the_browser(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return "from browser import" in text or "import browser" in text


def pytest_collection_modifyitems(config, items):
    for item in items:
        if (
            item.path.name in E2E_FILES
            or "html_dir" in getattr(item, "fixturenames", ())
            or _uses_the_browser(item.path)
        ):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _private_progress_file(tmp_path, monkeypatch):
    """No test ever reads or writes a real learner's exercise progress."""
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path / "progress.json"))


def _strict_build(out: Path, *extra: str) -> Path:
    """Build the book (English, or with ``extra`` the Chinese edition) strictly into ``out``."""
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "--all"]
        + ["--warningiserror", "--nitpick", "--keep-going", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=1200,
    )
    log = result.stdout + result.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert result.returncode == 0 and not warnings, (
        f"the strict build {' '.join(extra)} failed (exit {result.returncode}):\n"
        + "\n".join(warnings or log.splitlines()[-40:])
    )
    assert "build succeeded" in log
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory) -> Path:
    """Build both editions from clean with warnings as errors, as `make book` lays them out:
    English in the returned folder, Chinese (book/zh) in its zh/ subfolder."""
    out = tmp_path_factory.mktemp("book")
    html = _strict_build(out)
    zh = _strict_build(
        out / "zh-edition", "--config", "book/zh/_config.yml", "--toc", "book/zh/_toc.yml"
    )
    shutil.copytree(zh, html / "zh")
    return html
