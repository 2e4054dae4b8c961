"""Driving Debian's chromium with Playwright for the browser tests (no browser download)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium_path() -> str:
    """The system chromium; skip (or, in CI, fail) with instructions when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = (
        "the browser tests need Debian's chromium: `sudo apt-get install chromium` "
        "(Playwright's own browser download is not used)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def sync_playwright():
    playwright = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is installed by `make test` (requirements-test.txt)",
    )
    return playwright.sync_playwright()


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) for the duration of the block."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def wait_until_drawn(page, timeout=20000) -> None:
    """Wait until the page's math is typeset and every saved widget view is drawn."""
    if page.locator(".math").count():
        page.wait_for_function(
            "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
            timeout=timeout,
        )
        page.evaluate("() => window.MathJax.startup.promise")
    n_views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if n_views:
        page.wait_for_function(
            "n => document.querySelectorAll('.jupyter-widgets.widget-container, .jupyter-widgets.widget-inline-hbox, .jupyter-widgets.widget-box, .widget-inline-hbox').length >= n",
            arg=n_views,
            timeout=timeout,
        )


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (pinned in package-lock.json) on the open page.

    Returns one dict per violating rule of the given impacts: ``rule``, ``impact``,
    ``help`` and ``targets`` (a CSS selector per offending element, with a short
    HTML snippet).
    """
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run `npm ci` (or `make vendor`)")
    # Let the page's own fixes (tools/sphinx_ext/static/course-a11y.js) see the drawn widgets.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 120))}));
    }""")
    return [v for v in result if v["impact"] in impacts]
