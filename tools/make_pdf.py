"""The whole book as one PDF, printed by Debian's chromium through Playwright (`make pdf`).

    .venv/bin/python tools/make_pdf.py [--html _build/html] [--out _build/pdf/lstm-gru-course.pdf]

Reads the built HTML book (`make book`) in the order of _toc.yml and joins every page's
article into one print document: a title page, a table of contents with page numbers,
then the chapters, each starting on a new page, under their part's title. In print:

- math is typeset by the book's own MathJax before printing;
- each animation becomes a strip of its key frames (first, last and evenly between);
- each explorer becomes its static picture (the last view saved in the notebook, with
  its text readout); the static companion that follows it in the chapter stays;
- code lines wrap instead of running off the page; hidden code stays hidden;
- page numbers in the footer; PDF bookmarks for every part, chapter and section
  (Chromium's tagged PDF with a document outline built from the headings).

The table of contents' page numbers come from the bookmarks of a first print; the
second print fills them in (the contents page has the same length both times). The
PDF is also copied to <html>/lstm-gru-course.pdf, where the book's download button
(".pdf", tools/sphinx_ext) links to it. No browser is downloaded; only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import io
import json
import logging
import re
import shutil
import sys
import threading
import time
from pathlib import Path

logging.getLogger("pypdf").setLevel(logging.ERROR)  # "object count exceeds trailer size": harmless

ROOT = Path(__file__).resolve().parent.parent
PDF_NAME = "lstm-gru-course.pdf"
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
PRINT_URL_PATH = "book/__print__.html"  # served beside the pages, so their links work
KEY_FRAMES = 6  # at most this many frames per animation strip

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html, body { background: #fff !important; }
body { font-size: 10.5pt; line-height: 1.45; margin: 0; }
.print-book { max-width: none; }
.print-title { break-after: page; text-align: center; padding-top: 30%; }
.print-title .print-book-title { font-size: 30pt; font-weight: 700; margin: 0 0 0.6em 0; }
.print-title .print-meta { font-size: 12pt; color: #333; margin: 0.3em 0; }
.print-title .print-logo { width: 120px; margin-bottom: 2em; }
.print-toc { break-after: page; }
.print-toc h1 { font-size: 20pt; }
.print-toc ol { list-style: none; padding-left: 0; margin: 0; }
.print-toc li { display: flex; align-items: baseline; margin: 0.18em 0; }
.print-toc li.toc-part { font-weight: 700; margin-top: 0.9em; }
.print-toc li a { color: #111; text-decoration: none; }
.print-toc li .toc-dots { flex: 1; border-bottom: 1px dotted #999; margin: 0 0.4em; }
.print-chapter { break-before: page; }
.print-part-title { font-size: 13pt !important; color: #555; margin: 0 0 0.4em 0 !important;
  letter-spacing: 0.04em; font-weight: 600; }
.print-chapter h1, .print-chapter .print-h1 { font-size: 21pt; margin-top: 0; }
h2 { font-size: 15pt; } h3 { font-size: 12.5pt; } h4 { font-size: 11pt; }
h1, h2, h3, h4, h5 { break-after: avoid; }
pre, pre code { white-space: pre-wrap !important; word-break: break-word; overflow-wrap: anywhere;
  overflow: visible !important; max-height: none !important; font-size: 8.6pt; }
div.highlight, .cell_input, .cell_output, .output { overflow: visible !important; max-height: none !important; }
img, svg { max-width: 100% !important; height: auto; break-inside: avoid; }
figure, .cell_output img, table, .admonition, .print-explorer { break-inside: avoid; }
.headerlink, .copybtn, .toggle-button, .sd-btn, button { display: none !important; }
a { color: #0b4f8a; }
.print-strip { display: flex; flex-wrap: wrap; gap: 4px; align-items: flex-start; margin: 0.4em 0; }
.print-strip figure { margin: 0; flex: 0 0 calc(50% - 4px); break-inside: avoid; }  /* 2 a row: legible */
.print-strip img { width: 100%; border: 1px solid #ddd; }
.print-strip figcaption, .print-note { font-size: 8.5pt; color: #444; }
.print-explorer { border-left: 3px solid #1565c0; padding: 0.3em 0 0.3em 0.8em; margin: 0.4em 0; }
.print-explorer img { max-width: 80% !important; }
.print-explorer .print-controls { font-size: 9pt; color: #333; }
mjx-container[display="true"] { overflow: visible !important; }
/* Wide tables fit the page: fixed layout over the full width, long words wrap. */
.pst-scrollable-table-container, .table-wrapper { overflow: visible !important; }
table { table-layout: fixed; width: 100% !important; font-size: 8.6pt; }
th, td { overflow-wrap: anywhere; word-break: normal; padding: 0.25em 0.35em !important; }
th code, td code, th .pre, td .pre { white-space: normal !important; overflow-wrap: anywhere; }
"""

FOOTER = (
    '<div style="font-size:8pt; color:#555; width:100%; text-align:center; '
    'font-family:sans-serif;"><span class="pageNumber"></span></div>'
)


# ---------------------------------------------------------------- the table of contents


def toc_order(toc_file: Path) -> list[tuple[str | None, str]]:
    """``[(part caption or None, file without suffix), ...]`` in reading order (_toc.yml)."""
    import yaml

    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    order = [(None, toc["root"])]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            order.append((part.get("caption"), chapter["file"]))
            for section in chapter.get("sections", []) or []:
                order.append((part.get("caption"), section["file"]))
    for chapter in toc.get("chapters", []):
        order.append((None, chapter["file"]))
    return order


# ---------------------------------------------------------------- one page, for print


def _widget_snapshot(soup, model_id: str, state: dict):
    """An explorer's saved view as static HTML: its title, picture, readout, control values."""
    models = state.get("state", {})
    titles, pictures, texts, controls = [], [], [], []

    def walk(mid, depth=0):
        model = models.get(mid)
        if model is None or depth > 12:
            return
        name, values = model.get("model_name", ""), model.get("state", {})
        if name == "ImageModel":
            for buffer in model.get("buffers", []):
                if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                    pictures.append(
                        (
                            buffer["data"],
                            values.get("format", "png"),
                            values.get("tooltip") or "the explorer's picture",
                        )
                    )
        elif name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
            text = values.get("value") or ""
            if "font-size:1.1em" in text and not titles and not pictures:
                titles.append(text)  # the explorer's title and help
            elif pictures and text.strip():
                texts.append(text)  # the readout, below the picture
        elif (
            (values.get("description") or "").strip()
            and "value" in values
            and name != "ButtonModel"
        ):
            value = values["value"]
            if isinstance(value, float):
                value = f"{value:g}"
            controls.append(
                f"{html.escape(str(values['description']))} = {html.escape(str(value))}"
            )
        for child in values.get("children", []) or []:
            walk(str(child).removeprefix("IPY_MODEL_"), depth + 1)

    walk(model_id)
    parts = ['<div class="print-explorer">']
    parts += titles
    if controls:
        parts.append(f'<p class="print-controls">Controls: {"; ".join(controls)}.</p>')
    for data, fmt, alt in pictures:
        parts.append(f'<p><img src="data:image/{fmt};base64,{data}" alt="{html.escape(alt)}"></p>')
    parts += [f"<div>{t}</div>" for t in texts if t.strip()]
    parts.append(
        '<p class="print-note">Interactive in the notebook and the HTML book: '
        "run the cell to move the controls.</p></div>"
    )
    from bs4 import BeautifulSoup

    return BeautifulSoup("".join(parts), "html.parser")


def _key_frames(n: int, k: int = KEY_FRAMES) -> list[int]:
    if n <= k:
        return list(range(n))
    return sorted({round(j * (n - 1) / (k - 1)) for j in range(k)})


def _animation_strip(soup, container) -> None:
    """Replace the jshtml animation player inside ``container`` by a strip of key frames."""
    source = "".join(s.get_text() for s in container.find_all("script"))
    frames = re.findall(r'frames\[(\d+)\]\s*=\s*"(data:image/[a-z]+;base64,[^"]+)"', source)
    frames = [
        uri.replace("\\\n", "").replace("\\n", "")
        for _, uri in sorted(frames, key=lambda f: int(f[0]))
    ]
    if not frames:
        return
    img = container.find("img")
    alt = (img.get("alt") if img else None) or "a frame of the animation"
    strip = soup.new_tag("div", attrs={"class": "print-strip"})
    keys = _key_frames(len(frames))
    for k in keys:
        figure = soup.new_tag("figure")
        figure.append(
            soup.new_tag(
                "img", attrs={"src": frames[k], "alt": f"{alt} (frame {k + 1} of {len(frames)})"}
            )
        )
        caption = soup.new_tag("figcaption")
        caption.string = f"frame {k + 1} / {len(frames)}"
        figure.append(caption)
        strip.append(figure)
    note = soup.new_tag("p", attrs={"class": "print-note"})
    note.string = (
        f"Animation: {len(keys)} of its {len(frames)} frames. "
        "It plays in the HTML book and in the notebook."
    )
    container.clear()
    container.append(strip)
    container.append(note)


def print_page(path: Path, stem: str, demote: int, part_title: str | None):
    """The article of one built page, rewritten for print; also its title."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main") or soup.body
    state_tag = soup.find("script", attrs={"type": "application/vnd.jupyter.widget-state+json"})
    state = json.loads(state_tag.string) if state_tag and state_tag.string else {}
    h1 = article.find("h1")
    title = h1.get_text(" ", strip=True).rstrip("#").strip() if h1 else stem

    for tag in article.select(
        "a.headerlink, .tag_hide-input details, .tag_hide-cell, "
        ".tag_remove-cell, .tag_remove-input .cell_input, script[src], "
        "button, .thebe-launch-button"
    ):
        tag.decompose()
    for view in article.find_all(
        "script", attrs={"type": "application/vnd.jupyter.widget-view+json"}
    ):
        try:
            model_id = json.loads(view.string)["model_id"]
        except (TypeError, ValueError, KeyError):
            view.decompose()
            continue
        view.replace_with(_widget_snapshot(soup, model_id, state))
    for player in article.select("div.animation"):
        container = (
            player.find_parent(class_=re.compile(r"\b(output|cell_output)\b")) or player.parent
        )
        _animation_strip(soup, container)

    # Unique ids in the joined document: "<stem>--<id>"; links between pages follow.
    for tag in article.find_all(id=True):
        tag["id"] = f"{stem}--{tag['id']}"
    for link in article.find_all("a", href=True):
        href = link["href"]
        if href.startswith("#"):
            link["href"] = f"#{stem}--{href[1:]}"
            continue
        match = re.fullmatch(r"(?:\./)?([\w.-]+)\.html(?:#(.*))?", href)
        if match:
            target = f"book/{match.group(1)}" if "/" in stem else match.group(1)
            link["href"] = f"#{target}--{match.group(2)}" if match.group(2) else f"#{target}"
    # Headings one level down inside parts, so bookmarks nest part > chapter > section.
    if demote:
        for level in range(6, 0, -1):
            for heading in article.find_all(f"h{level}"):
                heading.name = f"h{min(level + demote, 6)}"
                if level == 1:
                    heading["class"] = heading.get("class", []) + ["print-h1"]
    section = soup.new_tag("section", attrs={"class": "print-chapter", "id": stem})
    if part_title:
        heading = soup.new_tag("h1", attrs={"class": "print-part-title"})
        heading.string = part_title
        section.append(heading)
    for child in list(article.children):
        section.append(child)
    return section, title


# ---------------------------------------------------------------- the joined document


def build_document(html_dir: Path, order) -> tuple[str, list[dict]]:
    """The print document (HTML text) and its contents: ``[{stem, title, part}, ...]``."""
    from bs4 import BeautifulSoup

    first = html_dir / f"{order[0][1]}.html"
    head_soup = BeautifulSoup(first.read_text(encoding="utf-8"), "html.parser")
    head = []
    for link in head_soup.find_all("link", rel="stylesheet"):
        head.append(str(link))
    for script in head_soup.find_all("script"):
        src = script.get("src", "")
        if "mathjax" in src.lower() or (script.string and "window.MathJax" in script.string):
            head.append(str(script))
    config = _book_config()
    title, author = config.get("title", "The book"), config.get("author", "")
    logo = config.get("logo")
    logo_html = ""
    if logo and (ROOT / logo).exists() and (html_dir / "_static" / Path(logo).name).exists():
        logo_html = f'<img class="print-logo" src="../_static/{Path(logo).name}" alt="">'

    chapters, contents, seen_parts = [], [], set()
    for part, stem in order:
        path = html_dir / f"{stem}.html"
        if not path.exists():
            raise SystemExit(f"{path} is missing: build the book first (`make book`).")
        new_part = part if part and part not in seen_parts else None
        seen_parts.add(part)
        section, chapter_title = print_page(path, stem, 1 if part else 0, new_part)
        chapters.append(str(section))
        contents.append({"stem": stem, "title": chapter_title, "part": new_part})

    toc = ['<nav class="print-toc"><h1 id="contents">Contents</h1><ol>']
    for entry in contents:
        if entry["part"]:
            toc.append(f'<li class="toc-part"><span>{html.escape(entry["part"])}</span></li>')
        toc.append(
            f'<li><a href="#{entry["stem"]}">{html.escape(entry["title"])}</a>'
            f'<span class="toc-dots"></span><span class="toc-page" data-stem="{entry["stem"]}"></span></li>'
        )
    toc.append("</ol></nav>")
    date = time.strftime("%Y")
    document = f"""<!DOCTYPE html>
<html lang="en" data-theme="light" data-mode="light"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
{chr(10).join(head)}
<style>{PRINT_CSS}</style></head>
<body><main class="print-book bd-article">
<div class="print-title">{logo_html}
<p class="print-book-title">{html.escape(title)}</p>
<p class="print-meta">{html.escape(author)}</p>
<p class="print-meta">The whole book as one PDF, printed from the HTML edition ({date}).</p>
<p class="print-meta">The notebooks run in JupyterLab, Colab or Binder; the animations play and
the explorers move there and in the HTML book.</p></div>
{"".join(toc)}
{"".join(chapters)}
</main></body></html>"""
    return document, contents


def _book_config() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}


# ---------------------------------------------------------------- printing


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise SystemExit("make pdf needs Debian's chromium: sudo apt-get install chromium")
    return path


def _outline_pages(pdf: bytes) -> list[tuple[int, str, int]]:
    """``(depth, title, page number from 1)`` of every bookmark."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def _tidy_outline(pdf: bytes, headings: list[str]) -> bytes:
    """The bookmarks titled with the document's own heading texts.

    Chromium titles each bookmark with the heading's text as laid out: a wrapped heading
    loses the space at its line break, and a heading at the top of a page is written
    twice ("TitleTitle"). Bookmarks follow the headings in document order, so when the
    counts agree each bookmark gets its heading's text; otherwise doubled titles are halved.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    outlines = writer._root_object.get("/Outlines")
    nodes = []

    def walk(node):
        while node is not None:
            node = node.get_object()
            nodes.append(node)
            if node.get("/First") is not None:
                walk(node["/First"])
            node = node.get("/Next")

    if outlines is not None:
        walk(outlines.get_object().get("/First"))
    by_order = len(nodes) == len(headings)
    for k, node in enumerate(nodes):
        title = str(node.get("/Title", ""))
        half = len(title) // 2
        if by_order:
            title = headings[k]
        elif title and len(title) % 2 == 0 and title[:half] == title[half:]:
            title = title[:half]
        node[NameObject("/Title")] = TextStringObject(title)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_pdf(html_dir: Path, out: Path, log=print) -> dict:
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    order = toc_order(ROOT / "_toc.yml")
    document, contents = build_document(html_dir, order)
    out.parent.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    options = dict(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
        outline=True,
        tagged=True,
    )
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.route(
                f"{base}/{PRINT_URL_PATH}",
                lambda route: route.fulfill(body=document, content_type="text/html; charset=utf-8"),
            )
            page.route(re.compile(r"^(?!http://127\.0\.0\.1)"), lambda route: route.abort())
            page.goto(f"{base}/{PRINT_URL_PATH}", wait_until="load", timeout=120000)
            page.emulate_media(media="print")
            page.wait_for_function(
                "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
                timeout=60000,
            )
            page.evaluate("() => window.MathJax.startup.promise")
            missing = page.evaluate(
                "() => Array.from(document.querySelectorAll('.math')).filter(m => !m.querySelector('mjx-container')).length"
            )
            if missing:
                raise SystemExit(f"{missing} math blocks were not typeset")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            page.wait_for_function(
                "() => Array.from(document.images).every(i => i.complete)", timeout=60000
            )
            broken = page.evaluate(
                "() => Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.src.slice(0, 100))"
            )
            if broken:
                raise SystemExit("images did not load: " + ", ".join(broken))
            headings = page.evaluate("""() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
                .filter(h => h.getClientRects().length)
                .map(h => h.textContent.replace(/\\s+/g, ' ').trim())""")
            first = _tidy_outline(page.pdf(**options), headings)
            bookmarks = _outline_pages(first)
            # The contents page's numbers: each chapter's first bookmark (its title).
            numbers, remaining = {}, list(bookmarks)
            for entry in contents:
                for k, (_depth, text, number) in enumerate(remaining):
                    if text.strip() == entry["title"]:
                        numbers[entry["stem"]] = number
                        remaining = remaining[k + 1 :]
                        break
            page.evaluate(
                """numbers => { for (const [stem, n] of Object.entries(numbers)) {
                const el = document.querySelector(`.toc-page[data-stem="${stem}"]`);
                if (el) el.textContent = String(n); } }""",
                numbers,
            )
            pdf = _tidy_outline(page.pdf(**options), headings)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    out.write_bytes(pdf)
    if html_dir.is_dir():
        shutil.copyfile(out, html_dir / PDF_NAME)
    from pypdf import PdfReader

    n_pages = len(PdfReader(io.BytesIO(pdf)).pages)
    stats = {
        "pages": n_pages,
        "bytes": len(pdf),
        "seconds": time.perf_counter() - start,
        "bookmarks": len(_outline_pages(pdf)),
        "chapters": len(contents),
        "toc_numbers": len(numbers),
    }
    log(
        f"{out}: {n_pages} pages, {len(pdf) / 1e6:.1f} MB, {stats['bookmarks']} bookmarks, "
        f"{stats['chapters']} chapters ({stats['toc_numbers']} with a page number in the contents), "
        f"{stats['seconds']:.0f} s"
    )
    return stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html",
        type=Path,
        default=ROOT / "_build" / "html",
        help="the built HTML book (default: _build/html)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "_build" / "pdf" / PDF_NAME,
        help=f"where to write the PDF (default: _build/pdf/{PDF_NAME})",
    )
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        print(f"{args.html} holds no built book: run `make book` first.", file=sys.stderr)
        return 1
    make_pdf(args.html, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
