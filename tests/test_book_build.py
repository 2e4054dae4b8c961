"""Build the book from clean, warnings as errors, and check the HTML a reader gets."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

from book_helpers import ROOT, WIDGET_STATE, notebooks, read, source_of, toc_files, widget_view_ids

#: The download menu's "whole book" PDF button (tools/sphinx_ext/course_book.py) links to
#: lstm-gru-course.pdf next to the pages, a file that only `make pdf` writes (tools/make_pdf.py
#: copies it there); a plain `make book` has no PDF yet. test_the_whole_book_prints_as_one_pdf
#: (tests/test_browser_book.py) runs make_pdf on the built book and checks the file lands
#: exactly there, so the link test exempts only this file name, only in that menu button,
#: and still checks that it points at the book's top folder.
BOOK_PDF = "lstm-gru-course.pdf"
BOOK_PDF_BUTTON = "btn-download-book-pdf-button"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.hrefs, self.ids = [], [], set()
        self.scripts, self.stylesheets = [], []
        self.book_pdf_links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
            self.stylesheets.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            href = attrs["href"]
            in_pdf_button = BOOK_PDF_BUTTON in (attrs.get("class") or "").split()
            if in_pdf_button and unquote(urlparse(href).path).rsplit("/", 1)[-1] == BOOK_PDF:
                self.book_pdf_links.append(href)
            else:
                self.hrefs.append(href)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(html_dir: Path) -> list[Path]:
    """The book's pages (not the theme's templates under _static)."""
    return sorted(
        p for p in html_dir.rglob("*.html") if "_static" not in p.relative_to(html_dir).parts
    )


def test_every_toc_entry_became_a_page(html_dir):
    missing = [e for e in toc_files() if not (html_dir / f"{e}.html").is_file()]
    assert not missing, f"these _toc.yml entries produced no page: {missing}"
    assert (html_dir / "index.html").is_file()


def test_no_page_shows_an_error_output(html_dir):
    for page in _pages(html_dir):
        text = page.read_text(encoding="utf-8")
        assert "output traceback" not in text, f"{page.name} shows a stored traceback"
        assert "output stderr" not in text, f"{page.name} shows stderr output"


def test_every_widget_page_carries_saved_state(html_dir):
    for nb_path in notebooks():
        if not widget_view_ids(read(nb_path)):
            continue
        rel = nb_path.relative_to(ROOT).with_suffix(".html")
        # The Chinese edition (book/zh) is built into html/zh/.
        page = html_dir / ("zh" if rel.parts[:2] == ("book", "zh") else "") / rel
        text = page.read_text(encoding="utf-8")
        assert WIDGET_STATE in text, f"{page.name} shows widgets but carries no saved state"
        for model_id in widget_view_ids(read(nb_path)):
            assert model_id in text, f"{page.name}: widget {model_id} has no state in the page"


def test_every_image_and_script_is_local_and_exists(html_dir):
    checked = 0
    for page in _pages(html_dir):
        parsed = _parse(page)
        for src in parsed.images + parsed.scripts + parsed.stylesheets:
            if src.startswith("data:"):
                continue
            url = urlparse(src)
            assert not url.scheme, f"{page.name} loads a file from another host: {src}"
            target = (page.parent / unquote(url.path)).resolve()
            assert target.is_file() and target.stat().st_size > 0, f"{page.name}: missing {src}"
            checked += 1
    assert checked, "no images at all: the figures did not make it into the book"


def test_every_internal_link_and_anchor_resolves(html_dir):
    parsed = {page: _parse(page) for page in _pages(html_dir)}
    broken = []
    for page, links in parsed.items():
        for href in links.hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.name} -> {href}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if url.fragment not in ids:
                    broken.append(f"{page.name} -> {href} (no such anchor)")
        # Exempt from existing (see BOOK_PDF), but it must point where make_pdf copies it.
        for href in links.book_pdf_links:
            if (
                page.parent / unquote(urlparse(href).path)
            ).resolve() != html_dir.resolve() / BOOK_PDF:
                broken.append(f"{page.name} -> {href} (the PDF button must point at {BOOK_PDF})")
    pdf_buttons = sum(len(links.book_pdf_links) for links in parsed.values())
    assert pdf_buttons, f"no page's download menu links to {BOOK_PDF}: is the exemption stale?"
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_every_page_source_is_used():
    sources = {source_of(e) for e in toc_files() + toc_files("book/zh/_toc.yml")}
    pages = [
        p
        for p in (ROOT / "book").rglob("*")
        if p.suffix in (".md", ".ipynb") and ".ipynb_checkpoints" not in p.parts
    ]
    orphans = [str(p.relative_to(ROOT)) for p in pages if p not in sources]
    assert not orphans, f"pages in book/ that _toc.yml leaves out: {orphans}"


def test_launch_buttons_point_at_the_repository(html_dir):
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    owner_name = urlparse(repo).path.strip("/")
    text = (html_dir / "book" / "using-the-notebooks.html").read_text(encoding="utf-8")
    expected = [
        f"https://mybinder.org/v2/gh/{owner_name}/{branch}?urlpath=lab/tree/book/using-the-notebooks.ipynb",
        f"https://colab.research.google.com/github/{owner_name}/blob/{branch}/book/using-the-notebooks.ipynb",
        f"{repo}/issues/new?title=Issue%20on%20page%20%2Fbook/using-the-notebooks.html",
    ]
    hub = config["launch_buttons"].get("jupyterhub_url")
    if hub:  # a teacher's own hub; none by default (no one else's hub to log in to)
        expected.append(f"{hub}/hub/user-redirect/git-pull?repo=" + repo.replace("://", "%3A//"))
    else:
        assert "/hub/user-redirect/git-pull" not in text, "a JupyterHub button with no hub set"
    for url in expected:
        assert url.replace("&", "&amp;") in text or url in text, f"launch link missing: {url}"
    assert re.search(r"thebe-launch-button|initThebe", text), "Live Code (Thebe) button missing"
