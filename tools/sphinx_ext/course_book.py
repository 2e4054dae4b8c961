"""Small Sphinx fixes for the course book, loaded through _config.yml (local_extensions).

sphinx-thebe 0.3 registers its configuration script once per read phase, and Jupyter
Book reads twice, so every page declared `const THEBE_JS_URL` twice and the browser
logged a SyntaxError. Identical script entries are dropped here, keeping the first.

It also serves static/course-a11y.js and static/course-a11y.css on every page:
accessible names for widget sliders and animation frame sliders, a live region for
explorer readouts, and fixes to the theme's search button, colour-mode button and
bibliography list (the axe-core audit in tests/test_browser_book.py checks them).

The theme's download menu offers ".pdf" as the browser's print of one page; here it
links to the whole book as one PDF instead (made by `make pdf`, tools/make_pdf.py,
which puts a copy at the root of the built HTML).

Each page links to its twin in the other language (``course_twin`` in the Sphinx
config): the English book in ``_build/html`` and the Chinese one in ``_build/html/zh``,
made from ``book/zh`` (tools/i18n_book.py). The link sits at the top of the article and
in the page's ``<link rel="alternate" hreflang>``.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
BOOK_PDF = "lstm-gru-course.pdf"  # tools/make_pdf.py PDF_NAME


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # The same inline script is registered once with filename None and once with "".
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique


def _link_the_book_pdf(app, pagename, templatename, context, doctree):
    """The download menu's ".pdf": the whole book (``make pdf``), not a print of this page."""
    pathto = context.get("pathto")
    for group in context.get("header_buttons") or []:
        if not isinstance(group, dict) or group.get("label") != "download-buttons":
            continue
        for k, button in enumerate(group.get("buttons", [])):
            if button.get("label") == "download-pdf-button" and pathto is not None:
                # The PDF sits at the root of the English book; the Chinese edition
                # (course_twin prefix "../") links to that one.
                twin = app.config.course_twin or {}
                prefix = twin.get("prefix", "") if twin.get("lang") == "en" else ""
                group["buttons"][k] = {
                    "type": "link",
                    "url": prefix + pathto(BOOK_PDF, 1),
                    "text": ".pdf (whole book)",
                    "tooltip": "The whole book as one PDF",
                    "icon": "fas fa-file-pdf",
                    "label": "download-book-pdf-button",
                }


def twin_url(pagename: str, twin: dict) -> str:
    """The relative URL, from page ``pagename``, of the same page in the other edition.

    >>> en = {"prefix": "zh/", "from": "book/", "to": "book/zh/"}
    >>> twin_url("book/01-short-term-memory", en)
    '../zh/book/zh/01-short-term-memory.html'
    >>> zh = {"prefix": "../", "from": "book/zh/", "to": "book/"}
    >>> twin_url("book/zh/01-short-term-memory", zh)
    '../../../book/01-short-term-memory.html'
    >>> twin_url("search", en)
    'zh/search.html'
    """
    target = pagename
    if pagename.startswith(twin["from"]):
        target = twin["to"] + pagename[len(twin["from"]) :]
    up = "../" * pagename.count("/")
    return f"{up}{twin['prefix']}{target}.html"


def _link_the_twin(app, pagename, templatename, context, doctree):
    twin = app.config.course_twin
    if not twin or "body" not in context:
        return
    url = twin_url(pagename, twin)
    lang = twin["lang"]
    context["body"] = (
        f'<nav class="course-twin" aria-label="{twin["nav_label"]}">'
        f'<a href="{url}" hreflang="{lang}" lang="{lang}">{twin["label"]}</a></nav>\n'
        + context["body"]
    )
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{url}">'
    )


def _add_static_path(app, config):
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("config-inited", _add_static_path)
    app.connect("html-page-context", _link_the_book_pdf, priority=600)
    app.add_config_value("course_twin", {}, "html")
    app.connect("html-page-context", _link_the_twin, priority=600)
    app.add_js_file("course-a11y.js", defer="defer")
    app.add_css_file("course-a11y.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
