"""The Chinese edition of the built book: every page has a twin, linked both ways, and
its Chinese text is drawn with real CJK glyphs (not empty boxes), on desktop and phone.

The built book is `make book`'s layout (the `html_dir` fixture): English in html/, the
Chinese edition in html/zh/. Screenshots go to test-artifacts/screenshots-zh/.
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

from browser import ARTIFACTS, CHROMIUM_ARGS, chromium_path, serve, sync_playwright
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n_book  # noqa: E402

HAN = re.compile(r"[\u4e00-\u9fff]")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _twin(html_dir: Path, page_path: Path) -> Path:
    link = _soup(page_path).select_one("nav.course-twin a")
    assert link is not None, f"{page_path.relative_to(html_dir)} has no language link"
    rel = page_path.parent.relative_to(html_dir).as_posix()
    return html_dir / posixpath.normpath(posixpath.join(rel, link["href"]))


def test_every_page_has_a_chinese_twin_linked_both_ways(html_dir):
    for page in i18n_book.pages():
        stem = page.rsplit(".", 1)[0]
        english = html_dir / "book" / f"{stem}.html"
        chinese = html_dir / "zh" / "book" / "zh" / f"{stem}.html"
        assert english.exists() and chinese.exists(), stem
        assert _twin(html_dir, english) == chinese, (
            f"{stem}: the English page's link misses its twin"
        )
        assert _twin(html_dir, chinese) == english, (
            f"{stem}: the Chinese page's link misses its twin"
        )
        assert _soup(english).html.get("lang") == "en"
        assert _soup(chinese).html.get("lang") == "zh-CN"


def test_the_chinese_pages_are_mostly_chinese_navigation_and_search_included(html_dir):
    for page in i18n_book.pages():
        stem = page.rsplit(".", 1)[0]
        soup = _soup(html_dir / "zh" / "book" / "zh" / f"{stem}.html")
        article = soup.select_one("article") or soup.body
        # Not prose: code, maths, outputs, and the bibliography's (English) references.
        for hidden in article.select(
            "script, style, pre, .math, .highlight, .output, .citation-list"
        ):
            hidden.decompose()
        text = article.get_text(" ")
        han, words = len(HAN.findall(text)), len(re.findall(r"[A-Za-z]{3,}", text))
        assert han > 2 * words, f"zh {stem}: {han} Chinese characters, {words} English words"
    nav = _soup(html_dir / "zh" / "book" / "zh" / "intro.html").select_one(
        "nav.bd-links, #bd-docs-nav"
    )
    assert nav is not None and "第一部分" in nav.get_text(), "the navigation is not in Chinese"
    search = (html_dir / "zh" / "search.html").read_text(encoding="utf-8")
    assert "搜索" in search, "the Chinese search page is not in Chinese"


_GLYPHS = """
([family, a, b]) => {
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 48; c.height = 48;
    const g = c.getContext('2d'); g.fillStyle = '#000';
    g.font = '32px ' + family; g.fillText(ch, 4, 38);
    return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
  };
  return [draw(a), draw(b), draw('\\uE000')];
}
"""


def test_chinese_text_is_drawn_with_cjk_glyphs_on_desktop_and_phone(html_dir):
    """Two different characters must give two different pictures, and neither the
    picture of a character no font has (U+E000): otherwise the reader sees boxes."""
    executable = chromium_path()
    shots = ARTIFACTS / "screenshots-zh"
    shots.mkdir(parents=True, exist_ok=True)
    with serve(html_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for width, height in ((1280, 900), (390, 844)):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(f"{base}/zh/book/zh/05a-lstm-gates.html", wait_until="load")
                family = page.evaluate(
                    "() => getComputedStyle(document.querySelector('article p')).fontFamily"
                )
                gate, gradient, missing = page.evaluate(_GLYPHS, [family, "门", "梯"])
                assert gate != gradient, (
                    f"'门' and '梯' look the same in {family!r} at {width}px: boxes"
                )
                assert missing not in (gate, gradient), (
                    f"CJK text is drawn as the missing-glyph box ({family!r})"
                )
                page.screenshot(path=str(shots / f"05a-lstm-gates-{width}.png"))
                context.close()
        finally:
            browser.close()
