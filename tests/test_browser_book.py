"""The built book in a real browser: offline, no console errors, everything renders.

Every page is opened in headless chromium from a server on 127.0.0.1. A page passes
when it asked no other host for anything, logged no console error, loaded every image,
typeset its math, drew the saved controls of each widget, and each animation moved to
another frame when its play button was clicked. Screenshots land in
test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from browser import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    axe_violations,
    chromium_path,
    serve,
    sync_playwright,
    wait_until_drawn,
)

# Console messages we cannot avoid, each with the reason. Keep this list short.
ALLOWED_CONSOLE = []


def _pages(html_dir):
    """Every page of the book, except pure redirects (their targets are pages too)."""
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if "_static" not in p.relative_to(html_dir).parts
        and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8").lower()
    )


@pytest.fixture(scope="module")
def browser_session(html_dir):
    executable = chromium_path()
    with serve(html_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


def _visit(browser, base, rel):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    foreign, errors, failed = [], [], []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:")
            else None
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    page.goto(f"{base}/{rel}", wait_until="load")
    return context, page, foreign, errors, failed


def test_every_page_offline_and_error_free(browser_session, html_dir):
    browser, base = browser_session
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    for rel in _pages(html_dir):
        context, page, foreign, errors, failed = _visit(browser, base, rel)
        try:
            _check_page(page, rel, problems, shots)
        except Exception as exc:  # one broken page must not hide the others
            problems.append(f"{rel}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            context.close()
        problems += [f"{rel}: request to another host {u}" for u in foreign]
        problems += [f"{rel}: failed request {u}" for u in failed]
        problems += [
            f"{rel}: console error {e}"
            for e in errors
            if not any(re.search(pattern, e) for pattern, _why in ALLOWED_CONSOLE)
        ]
    assert not problems, "\n".join(problems)


def _check_page(page, rel, problems, shots):
    """Math typeset, widgets drawn, animations playing, images loaded; then a screenshot."""
    # Math: every math node typeset by the book's own MathJax.
    if page.locator(".math").count():
        page.wait_for_function(
            "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
            timeout=15000,
        )
        page.evaluate("() => window.MathJax.startup.promise")
        n_math = page.locator(".math").count()
        n_typeset = page.locator(".math mjx-container").count()
        if n_typeset < n_math:
            problems.append(f"{rel}: {n_math - n_typeset} of {n_math} math blocks not typeset")
    # Widgets: each saved view drawn by the widget manager.
    n_views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if n_views:
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('.jupyter-widgets.widget-container, .jupyter-widgets.widget-inline-hbox, .jupyter-widgets.widget-box, .widget-inline-hbox').length >= n",
                arg=n_views,
                timeout=20000,
            )
        except Exception:
            problems.append(f"{rel}: {n_views} widget views saved but not drawn")
    # Animations: clicking play moves to another frame.
    for k in range(page.locator("div.animation").count()):
        anim = page.locator("div.animation").nth(k)
        img = anim.locator("img").first
        before = img.get_attribute("src")
        # The play button in either language (its title is translated in the zh book).
        anim.locator("button[onclick$='.play_animation()']").first.click()
        try:
            page.wait_for_function(
                "([el, before]) => el.getAttribute('src') !== before",
                arg=[img.element_handle(), before],
                timeout=5000,
            )
        except Exception:
            problems.append(f"{rel}: animation {k} did not move when played")
    # Images: every one loaded with a size.
    broken = page.evaluate(
        "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    problems += [f"{rel}: image not loaded {src}" for src in broken]
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / (re.sub(r"[/\\]", "__", rel) + ".png")), full_page=True)


def test_the_front_door_leads_to_the_preface(browser_session):
    browser, base = browser_session
    page = browser.new_page()
    try:
        page.goto(f"{base}/index.html")
        page.wait_for_url("**/book/intro.html", timeout=10000)
        assert "LSTM & GRU" in page.title()
    finally:
        page.close()


# An image's alt text must say what it shows: a file name or path is no description.
_FILE_NAME_ALT = re.compile(r"(^|/)[^\s/]+\.(png|svg|jpe?g|gif|webp)$|_images/", re.IGNORECASE)


def test_every_page_accessible(browser_session, html_dir):
    """axe-core (pinned in package-lock.json): no serious or critical violation on any page,
    and no image whose text alternative is a file name.

    Runs after the math is typeset and the widgets are drawn, so the explorers' controls
    and pictures are audited too. On failure: one line per rule x page x element.
    """
    browser, base = browser_session
    problems, audited = [], 0
    for rel in _pages(html_dir):
        context, page, *_ = _visit(browser, base, rel)
        try:
            wait_until_drawn(page)
            for violation in axe_violations(page):
                problems += [
                    f"{violation['rule']} ({violation['impact']}) × {rel} × {target}"
                    for target in violation["targets"]
                ]
            for src, alt in page.evaluate(
                "() => Array.from(document.images).map(i => [i.src.slice(0, 80), i.getAttribute('alt') || i.title || ''])"
            ):
                if _FILE_NAME_ALT.search(alt.strip()):
                    problems.append(f"image-alt-is-a-file-name × {rel} × {src} alt={alt!r}")
            audited += 1
        except Exception as exc:  # one broken page must not hide the others
            problems.append(f"{rel}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            context.close()
    assert audited >= 18, f"only {audited} pages audited"
    assert not problems, (
        f"{len(problems)} accessibility problems (rule × page × element):\n" + "\n".join(problems)
    )


def test_the_whole_book_prints_as_one_pdf(html_dir, tmp_path):
    """`make pdf` (tools/make_pdf.py) on the built book: every chapter's title in the text,
    a bookmark for every chapter and its sections, a numbered contents page, page numbers,
    animations as strips of key frames, explorers as static pictures."""
    chromium_path()
    pypdf = pytest.importorskip("pypdf", reason="pypdf is installed by `make e2e`")
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tools"))
    import make_pdf
    from bs4 import BeautifulSoup

    # As `make pdf` runs it; a process of its own (this module's browser is still open).
    out = tmp_path / "book.pdf"
    result = subprocess.run(
        [
            sys.executable,
            str(root / "tools" / "make_pdf.py"),
            "--html",
            str(html_dir),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    # The download menu's PDF button links to <html>/lstm-gru-course.pdf (exempted from the
    # link test in test_book_build.py for this reason): make_pdf must put the PDF there.
    copied = html_dir / make_pdf.PDF_NAME
    assert make_pdf.PDF_NAME == "lstm-gru-course.pdf", make_pdf.PDF_NAME
    assert copied.is_file(), f"make_pdf did not copy the PDF to {copied}"
    assert copied.read_bytes() == out.read_bytes(), f"{copied} is not the PDF make_pdf wrote"
    numbers = re.search(r"(\d+) chapters \((\d+) with a page number", result.stdout)
    assert numbers, result.stdout
    stats = {"chapters": int(numbers.group(1)), "toc_numbers": int(numbers.group(2))}
    reader = pypdf.PdfReader(str(out))
    pages = [page.extract_text() or "" for page in reader.pages]
    text = re.sub(r"\s+", " ", " ".join(pages))
    order = make_pdf.toc_order(make_pdf.ROOT / "_toc.yml")
    assert stats["chapters"] == len(order) and stats["toc_numbers"] == len(order), stats
    bookmarks = make_pdf._outline_pages(out.read_bytes())
    titles = {title.replace(" ", "") for _depth, title, _page in bookmarks}
    assert len(bookmarks) >= 10, f"only {len(bookmarks)} bookmarks"
    for _part, stem in order:
        page = BeautifulSoup((html_dir / f"{stem}.html").read_text(encoding="utf-8"), "html.parser")
        h1 = page.select_one("article.bd-article h1")
        assert h1, f"{stem}: no title in the built page"
        title = re.sub(r"\s+", " ", h1.get_text(" ")).strip().removesuffix("#").strip()
        assert title.replace(" ", "") in titles, f"no bookmark for the chapter {title!r}"
        assert title.replace(" ", "") in text.replace(" ", ""), f"{title!r} not in the PDF's text"
    # Page numbers in the footers: each page's text ends with its own number.
    for k in (2, len(pages) // 2, len(pages) - 1):
        assert pages[k].strip().endswith(str(k + 1)), f"page {k + 1} shows no page number"
    # Animations as strips, explorers as static pictures, no player left.
    n_animations = sum(
        (html_dir / f"{stem}.html").read_text(encoding="utf-8").count('<div class="animation">')
        for _part, stem in order
    )
    strips = text.count("It plays in the HTML book and in the notebook.")
    assert strips == n_animations, f"{strips} strips for {n_animations} animations"
    assert "Interactive in the notebook" in text
    assert len(reader.pages) > 3 * len(order)
