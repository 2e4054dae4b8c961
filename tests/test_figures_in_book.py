"""Every figure in the built book, as a reader's browser shows it: sharp, readable, described.

Opens each page of the strictly built book in chromium at a desktop (1400 px) and a phone
(390 px) viewport and measures every image in the page's content: its natural width
against the width it is displayed at (at least 1.8 device pixels per CSS pixel, so it
stays sharp on high-density screens), its alt text (present and a real description, not
a file name), and, at both widths, the size its smallest text is displayed at (at least
11 CSS px; on a phone figures keep a readable width and scroll sideways). Also: each animation at most 1.5 MB, each edition of the whole book at most 60 MB.

Run as a script on an already built book to print the measurements:
``python tests/test_figures_in_book.py /tmp/figs-book/_build/html``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import CHROMIUM_ARGS, chromium_path, serve, sync_playwright  # noqa: E402

VIEWPORTS = {"desktop": 1400, "phone": 390}
MIN_DENSITY = 1.8
MIN_TEXT_PX = 11.0
MAX_ANIMATION_BYTES = int(1.5 * 1024 * 1024)
MAX_BOOK_BYTES = 60 * 1024 * 1024
#: The smallest text on a course figure, in CSS px at its natural width: 10.5 pt at the
#: figure's CSS pixels per inch (100 for figures, 80 for animations).
SMALLEST_TEXT = {"figure": 10.5 * 100 / 72, "animation": 10.5 * 80 / 72}

_MEASURE = """() => Array.from(document.querySelectorAll('main img, article img')).map(img => ({
    src: img.currentSrc.slice(0, 80), natural: img.naturalWidth, shown: img.clientWidth,
    attr: parseInt(img.getAttribute('width') || '0'), alt: img.getAttribute('alt'),
    kind: img.id.startsWith('_anim_img') ? 'animation' :
          (img.classList.contains('course-figure') ? 'figure' : 'other'),
}))"""


def _pages(html_dir: Path):
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if "_static" not in p.relative_to(html_dir).parts
        and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8").lower()
    )


def measure(html_dir: Path) -> list[dict]:
    """One row per (page, viewport, image) of the book in ``html_dir``."""
    rows = []
    with serve(html_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for name, width in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for rel in _pages(html_dir):
                    page.goto(f"{base}/{rel}", wait_until="load")
                    page.wait_for_function(
                        "() => Array.from(document.images).every(i => i.complete)"
                    )
                    for row in page.evaluate(_MEASURE):
                        if row["shown"] == 0:  # a hidden image (e.g. a closed dropdown)
                            continue
                        rows.append({"page": rel, "viewport": name, **row})
                context.close()
        finally:
            browser.close()
    return rows


def _real_alt(alt) -> bool:
    """A sentence saying what the image shows: not missing, not a file name."""
    alt = (alt or "").strip()
    return len(alt) >= 25 and not re.search(r"\.(png|svg|jpe?g|gif)$", alt)


def smallest_text_px(row):
    """CSS px at which a course figure's smallest text is displayed (None for other
    images): its size at the figure's natural CSS width (the ``width`` attribute) times
    displayed / natural width. On a phone (book/assets/figures-phone.css) figures keep a
    width at which this is >= 11 px and their output scrolls sideways."""
    if row["kind"] not in SMALLEST_TEXT or not row["attr"]:
        return None
    return SMALLEST_TEXT[row["kind"]] * row["shown"] / row["attr"]


def problems(rows) -> list[str]:
    """Every way the measured images fall short of the course's bar, as sentences."""
    out = []
    for r in rows:
        where = f"{r['page']} ({r['viewport']}): {r['src'][:40]}"
        density = r["natural"] / r["shown"]
        if density < MIN_DENSITY:
            out.append(
                f"{where} has {density:.2f} device px per CSS px ({r['natural']} px "
                f"shown at {r['shown']} px)"
            )
        if not _real_alt(r["alt"]):
            out.append(f"{where} has no real alt text ({r['alt']!r})")
        text = smallest_text_px(r)
        if text is not None and text < MIN_TEXT_PX:
            out.append(f"{where} shows its smallest text at {text:.1f} CSS px")
    return out


def animation_sizes(html_dir: Path) -> list[int]:
    """Bytes of each animation player embedded in the book's pages."""
    sizes = []
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for start in [m.start() for m in re.finditer(r'<div class="animation">', text)]:
            end = text.find("</script>", text.find("<script", start))
            sizes.append(end - start)
    return sizes


# `make pdf` (and the PDF test, on the same session-wide build) copies the whole book as a
# PDF into the HTML folder for the download button; that download is not part of the
# pages, and counting it would make this limit depend on the order the tests run in.
PDF_DOWNLOAD = "lstm-gru-course.pdf"


def book_bytes(html_dir: Path) -> int:
    """Bytes of one edition of the built HTML book: pages, images, scripts; not the PDF
    download, and not the other edition (the Chinese one sits in zh/, a book of its own)."""
    return sum(
        p.stat().st_size
        for p in html_dir.rglob("*")
        if p.is_file()
        and p.relative_to(html_dir).as_posix() != PDF_DOWNLOAD
        and p.relative_to(html_dir).parts[0] != "zh"
    )


@pytest.fixture(scope="module")
def measured(html_dir):
    return measure(html_dir)


def test_every_figure_is_sharp_described_and_readable(measured):
    assert measured, "no image was found in the book's pages"
    found = problems(measured)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])


def test_course_figures_are_html_images_with_alt_text(measured):
    kinds = {r["kind"] for r in measured}
    assert {"figure", "animation"} <= kinds


def test_animations_and_the_book_stay_small(html_dir):
    sizes = animation_sizes(html_dir)
    assert sizes and max(sizes) <= MAX_ANIMATION_BYTES, max(sizes)
    assert book_bytes(html_dir) <= MAX_BOOK_BYTES
    assert book_bytes(html_dir / "zh") <= MAX_BOOK_BYTES, "the Chinese edition"


if __name__ == "__main__":
    html = Path(sys.argv[1])
    rows = measure(html)
    desktop = [r for r in rows if r["viewport"] == "desktop"]
    phone = [r for r in rows if r["viewport"] == "phone"]
    for label, group in (("desktop 1400", desktop), ("phone 390", phone)):
        dens = sorted(r["natural"] / r["shown"] for r in group)
        sharp = sum(d >= MIN_DENSITY for d in dens)
        alts = sum(_real_alt(r["alt"]) for r in group)
        texts = sorted(t for t in map(smallest_text_px, group) if t is not None)
        print(
            f"{label}: {len(group)} images, device px per CSS px min {dens[0]:.2f} "
            f"median {dens[len(dens) // 2]:.2f}; >= {MIN_DENSITY}: {sharp}; with alt: {alts}; "
            f"smallest figure text min {texts[0]:.1f} px median {texts[len(texts) // 2]:.1f} px"
        )
    print("book bytes:", book_bytes(html), "largest animation:", max(animation_sizes(html) or [0]))
    for p in problems(rows)[:60]:
        print(" -", p)
