"""A learner's session in JupyterLab, end to end, in headless chromium.

Start `jupyter lab` on 127.0.0.1 with a token, open a copy of a chapter, run all its
cells, move a slider of an explorer and see its picture and readout change (with the
mouse, then by keyboard only: Tab to the next slider, arrow keys), then answer
an exercise and see the checker's message. This is what "run the notebooks
interactively" means, tested the way a person does it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from book_helpers import ROOT
from browser import ARTIFACTS, CHROMIUM_ARGS, chromium_path, sync_playwright

NOTEBOOK = "03-tanh.ipynb"
MARKUP_NOTEBOOK = "05a-lstm-gates.ipynb"  # a warning admonition and {cite:p} citations


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 over a scratch copy of the book's notebooks."""
    work = tmp_path_factory.mktemp("lab")
    for name in (NOTEBOOK, MARKUP_NOTEBOOK):
        shutil.copy(ROOT / "book" / name, work / name)
    # Every cell drawn (no windowing), so the test finds a widget anywhere in the notebook.
    tracker = work / ".jupyter/lab/user-settings/@jupyterlab/notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(work / ".jupyter"),
        JUPYTER_RUNTIME_DIR=str(work / ".runtime"),
        LSTM_GRU_COURSE_PROGRESS=str(work / "progress.json"),
    )
    log = open(work / "lab.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            "--LabServerApp.workspaces_dir=" + str(work / ".workspaces"),
        ]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=work,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("jupyter lab did not start:\n" + (work / "lab.log").read_text())
                time.sleep(0.5)
        yield base, token, work
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _cell(page, text):
    """The notebook cell whose source contains ``text``."""
    return page.locator(
        ".jp-Notebook .jp-CodeCell", has=page.locator(".jp-InputArea", has_text=text)
    ).first


def test_run_all_move_an_explorer_check_an_exercise(lab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    base, token, work = lab
    executable = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
            select = page.locator(".jp-Dialog").get_by_role("button", name="Select")
            try:  # JupyterLab may ask which kernel to start; the notebook's own is preselected
                select.wait_for(timeout=10000)
                select.click()
            except PlaywrightTimeout:
                pass
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60000
            )
            page.get_by_role("menuitem", name="Edit", exact=True).click()
            page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
            assert page.locator(".jp-OutputArea-output").count() == 0
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

            # The exercise's starter code runs and its checker answers "not attempted".
            exercise = _cell(page, "ex.tanh_derivative.check(")
            exercise.locator(".jp-OutputArea-output", has_text="Not attempted yet").wait_for(
                timeout=120000
            )

            # Explorer 1: move the weight slider; its readout and picture change.
            explorer = page.locator(
                ".widget-vbox", has=page.locator(".widget-label", has_text="weight w")
            ).last
            image = explorer.locator(".widget-image").first
            readout = explorer.locator(".lgc-readout").first  # the text readout (explorers._base)
            image.wait_for(state="attached", timeout=60000)
            image.scroll_into_view_if_needed(timeout=10000)
            image.wait_for(timeout=10000)
            before_img, before_text = image.get_attribute("src"), readout.inner_text()
            handle = (
                explorer.locator(
                    ".widget-slider", has=page.locator(".widget-label", has_text="weight w")
                )
                .locator(".noUi-handle")
                .first
            )
            handle.click()
            for _ in range(10):
                handle.press("ArrowLeft")
            page.wait_for_function(
                "([el, before]) => el.getAttribute('src') !== before",
                arg=[image.element_handle(), before_img],
                timeout=20000,
            )
            assert readout.inner_text() != before_text, "the explorer's readout did not change"

            # Keyboard only: Tab from that slider to the next one ("steps n"), move it with
            # ArrowRight; the picture changes and the TEXT readout states the new number.
            steps = explorer.locator(
                ".widget-slider", has=page.locator(".widget-label", has_text="steps n")
            )
            steps_handle = steps.locator(".noUi-handle").first
            before_img, before_text = image.get_attribute("src"), readout.inner_text()
            before_value = int(float(steps_handle.get_attribute("aria-valuenow")))
            for _ in range(8):
                page.keyboard.press("Tab")
                if steps_handle.evaluate("el => el === document.activeElement"):
                    break
            else:
                pytest.fail("Tab never reached the 'steps n' slider's handle")
            for _ in range(3):
                page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([el, before]) => el.getAttribute('src') !== before",
                arg=[image.element_handle(), before_img],
                timeout=20000,
            )
            after_value = int(float(steps_handle.get_attribute("aria-valuenow")))
            assert after_value == before_value + 3, (before_value, after_value)
            page.wait_for_function(
                "([el, n]) => el.innerText.includes('After ' + n + ' steps')",
                arg=[readout.element_handle(), after_value],
                timeout=20000,
            )
            assert readout.inner_text() != before_text

            # A learner writes an answer and checks it.
            exercise.locator(".cm-content").click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(
                "def tanh_derivative(t):\n    return 1 - t**2\n\nex.tanh_derivative.check(tanh_derivative)"
            )
            page.keyboard.press("Shift+Enter")
            exercise.locator(".jp-OutputArea-output", has_text="All checks passed").wait_for(
                timeout=30000
            )
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-chapter.png"))
            browser.close()
    assert not errors, f"JupyterLab page errors: {errors}"


def test_the_books_markup_renders_and_no_news_pop_up(lab):
    """jupyterlab-myst (requirements.txt) draws MyST markup as the book does: an admonition
    is a box, a citation a citation, never the literal `:::` or `{cite:p}` text. The
    venv's overrides.json (`make venv`) keeps JupyterLab's news question away."""
    base, token, work = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(
                f"{base}/lab/tree/{MARKUP_NOTEBOOK}?token={token}", wait_until="domcontentloaded"
            )
            page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=60000)
            box = page.locator(
                "aside.myst-admonition-warning", has_text="Two traps in the pseudo-code"
            ).first
            box.wait_for(state="attached", timeout=60000)
            header = box.locator(".myst-admonition-header").text_content().strip()
            assert header == "Two traps in the pseudo-code"
            citation = page.locator(".cite-group", has_text="hochreiter1997lstm").first
            citation.wait_for(state="attached", timeout=20000)
            # What the learner sees of each Markdown cell: jupyterlab-myst's rendering (its
            # source stays in a hidden editor). Cells out of view are not laid out, so read
            # text_content, not inner_text (and JupyterLab may not have drawn every cell yet).
            rendered = page.locator(".jp-MarkdownCell .myst")
            assert rendered.count() >= 10, "jupyterlab-myst rendered almost no Markdown cell"
            text = "\n".join(rendered.all_text_contents())
            for literal in (":::{admonition}", "{cite:p}", "{cite:t}", "{ref}", ":class: warning"):
                assert literal not in text, f"JupyterLab shows the raw markup {literal!r}"
            page.wait_for_timeout(3000)  # the news question, if any, comes late
            assert page.get_by_text("official Jupyter news").count() == 0, "news pop-up shown"
            box.evaluate(
                "el => { const scroller = el.closest('.jp-WindowedPanel-outer');"
                " scroller.scrollTop += el.getBoundingClientRect().top - 150; }"
            )
            page.wait_for_timeout(1500)
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-markup.png"))
            browser.close()
