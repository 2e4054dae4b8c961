"""The Chinese edition of the book, made from the English pages and gettext catalogues.

Every English page (``book/*.ipynb`` and ``book/*.md`` in ``_toc.yml``) is cut into
messages: a heading, a paragraph, a list, a table or an admonition title. Code cells,
code fences, display maths, labels and directive options are never messages; they are
copied unchanged. The messages of one page live in one catalogue,
``locale/zh_CN/LC_MESSAGES/book/<page>.po`` (template: ``locale/templates/book/<page>.pot``),
which Poedit, Weblate or Crowdin can open.

    python tools/i18n_book.py update      # English changed: refresh .pot and merge into .po
    python tools/i18n_book.py pages       # write book/zh/ from the English pages + .po
    python tools/i18n_book.py status      # how many messages are untranslated or fuzzy
    python tools/i18n_book.py export P    # untranslated/fuzzy messages of page P as JSON
    python tools/i18n_book.py import F    # fill the catalogues from such a JSON file

``pages`` copies code cells unchanged and adds one hidden cell after the set-up cell that
switches the package to Chinese (``lstm_gru_course.set_language("zh_CN")``). Outputs of
``book/zh`` notebooks are made by executing them (``make notebooks``). Every generated
page records a fingerprint of its English source and catalogue, so a test can tell when
the Chinese edition is behind (tests/test_translations.py).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import os
import re
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
ZH = BOOK / "zh"
LANG = "zh_CN"
LOCALE = ROOT / "locale"
PO_DIR = LOCALE / LANG / "LC_MESSAGES" / "book"
POT_DIR = LOCALE / "templates" / "book"
FINGERPRINT_KEY = "lstm_gru_course_translation"
LANGUAGE_CELL = (
    "# 中文版：让课程包（练习的反馈、讲解器、图中的文字）用中文输出。\n"
    "import lstm_gru_course\n"
    "\n"
    'lstm_gru_course.set_language("zh_CN")'
)
LANGUAGE_TAG = "course-language"

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(\{[\w:-]+\})?\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*?)\s*$")
_LABEL = re.compile(r"^\s*\([\w:.-]+\)=\s*$")
_OPTION = re.compile(r"^\s*:[\w-]+:")
# Directives whose body is prose (their argument, if any, is a title to translate).
_PROSE_DIRECTIVES = {
    "{admonition}",
    "{dropdown}",
    "{note}",
    "{tip}",
    "{warning}",
    "{important}",
    "{caution}",
    "{attention}",
    "{hint}",
    "{seealso}",
    "{epigraph}",
    "{sidebar}",
    "{topic}",
    "{margin}",
}


def pages() -> list[str]:
    """The English pages of the book, in the order of _toc.yml (paths under book/)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    found = []
    for name in files:
        stem = name.removeprefix("book/")
        for suffix in (".ipynb", ".md"):
            if (BOOK / (stem + suffix)).exists():
                found.append(stem + suffix)
                break
        else:
            raise FileNotFoundError(f"_toc.yml lists {name!r}, but no .ipynb or .md exists")
    return found


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", _strip(text)))


def _strip(text: str) -> str:
    """The text without maths, code, roles and link targets (what is left to translate)."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return text


def segments(text: str) -> list[tuple]:
    """Cut MyST markdown into pieces that, joined with newlines, give ``text`` back.

    A piece is ("keep", line) for a line copied as it is, or ("msg", prefix, msgid, note)
    for a message (a paragraph may span several lines; a heading or directive title
    follows its prefix on the same line).
    """
    lines = text.split("\n")
    out: list[tuple] = []
    _cut(lines, 0, len(lines), out)
    return out


def _cut(lines, start, stop, out):  # noqa: C901 - one small state machine
    i = start
    while i < stop:
        line = lines[i]
        fence = _FENCE.match(line)
        heading = _HEADING.match(line)
        if not line.strip():
            out.append(("keep", line))
            i += 1
        elif fence:
            indent, marks, directive, arg = fence.groups()
            closing = re.compile(r"^\s*" + re.escape(marks[0]) + "{" + str(len(marks)) + r",}\s*$")
            close = i + 1
            while close < stop and not closing.match(lines[close]):
                close += 1
            if directive in _PROSE_DIRECTIVES:
                if arg and _has_words(arg):
                    out.append(("msg", line[: len(line) - len(arg)], arg, "title of " + directive))
                else:
                    out.append(("keep", line))
                j = i + 1
                while j < close and _OPTION.match(lines[j]):
                    out.append(("keep", lines[j]))
                    j += 1
                _cut(lines, j, close, out)
            else:
                out.extend(("keep", lines[k]) for k in range(i, close))
            if close < stop:
                out.append(("keep", lines[close]))
            i = close + 1
        elif line.lstrip().startswith(("$$", "\\begin{")):
            opener = "$$" if line.lstrip().startswith("$$") else "\\end{"
            one_line = opener == "$$" and line.strip() != "$$" and line.rstrip().endswith("$$")
            end = i
            if not one_line:
                end = i + 1 if opener == "$$" else i
                while end < stop - 1 and opener not in lines[end]:
                    end += 1
            out.extend(("keep", lines[k]) for k in range(i, min(end, stop - 1) + 1))
            i = end + 1
        elif _LABEL.match(line) or line.lstrip().startswith(("<!--", "<div", "</div", "---")):
            out.append(("keep", line))
            i += 1
        elif heading:
            out.append(("msg", heading.group(1), heading.group(2), "heading"))
            i += 1
        else:
            j = i + 1
            while j < stop and lines[j].strip() and not _starts_block(lines[j]):
                j += 1
            para = "\n".join(lines[i:j])
            if line.lstrip().startswith("|"):  # a table: one message per row
                for k in range(i, j):
                    row = lines[k]
                    out.append(("msg", "", row, "table row") if _has_words(row) else ("keep", row))
            elif _has_words(para):
                out.append(("msg", "", para, ""))
            else:
                out.extend(("keep", lines[k]) for k in range(i, j))
            i = j


def _starts_block(line: str) -> bool:
    return bool(
        _FENCE.match(line)
        or _HEADING.match(line)
        or _LABEL.match(line)
        or line.lstrip().startswith(("$$", "\\begin{"))
    )


def messages(text: str) -> list[tuple[str, str]]:
    """The messages of one markdown text: (msgid, note)."""
    return [(piece[2], piece[3]) for piece in segments(text) if piece[0] == "msg"]


def translate_text(text: str, lookup) -> str:
    """``text`` with every message replaced by ``lookup(msgid)`` (None keeps English)."""
    lines = []
    for piece in segments(text):
        if piece[0] == "keep":
            lines.append(piece[1])
        else:
            lines.append(piece[1] + (lookup(piece[2]) or piece[2]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- pages


def _markdown_texts(page: str):
    """(location, markdown) for every prose part of a page."""
    path = BOOK / page
    if page.endswith(".md"):
        yield page, 0, path.read_text(encoding="utf-8")
        return
    nb = json.loads(path.read_text(encoding="utf-8"))
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            yield page, k, "".join(cell["source"])


def template(page: str) -> Catalog:
    if page == STRUCTURE:
        return structure_template()
    catalog = Catalog(project="lstm-gru-course", version="1", fuzzy=False)
    for where, cell, text in _markdown_texts(page):
        for msgid, note in messages(text):
            if msgid in catalog:
                catalog[msgid].locations.append((where, cell))
            else:
                catalog.add(msgid, locations=[(where, cell)], auto_comments=[note] if note else [])
    return catalog


STRUCTURE = "_toc"  # the catalogue of the book's title and part captions
SEARCH_TEXT = "Search this book..."


def structure_template() -> Catalog:
    catalog = Catalog(project="lstm-gru-course", version="1", fuzzy=False)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    catalog.add(config["title"], locations=[("_config.yml", 1)], auto_comments=["the book's title"])
    catalog.add(SEARCH_TEXT, locations=[("_config.yml", 2)], auto_comments=["the search box"])
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for k, part in enumerate(toc.get("parts", []), start=1):
        catalog.add(
            part["caption"], locations=[("_toc.yml", k)], auto_comments=["a part of the book"]
        )
    return catalog


def _stem(page: str) -> str:
    return page.rsplit(".", 1)[0]


def po_path(page: str) -> Path:
    return PO_DIR / (_stem(page) + ".po")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=LANG)


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` unless only its dates would change (translators work on it)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, omit_header=False, sort_output=False, include_previous=True)
    if path.exists() and _undated(path.read_bytes()) == _undated(buffer.getvalue()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _undated(data: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"\n', b"", data)


def catalogues() -> list[str]:
    """Every catalogue: the book's structure, then one per page."""
    return [STRUCTURE, *pages()]


def update(only: list[str] | None = None) -> None:
    for page in catalogues():
        if only and page not in only and _stem(page) not in only:
            continue
        pot = template(page)
        write_catalog(pot, POT_DIR / (_stem(page) + ".pot"))
        target = po_path(page)
        if target.exists():
            po = read_catalog(target)
            po.update(pot, no_fuzzy_matching=False)
            po.obsolete.clear()
        else:
            po = Catalog(locale=LANG, project="lstm-gru-course", version="1", fuzzy=False)
            for message in pot:
                if message.id:
                    po.add(
                        message.id, locations=message.locations, auto_comments=message.auto_comments
                    )
        write_catalog(po, target)
    print(
        f"updated {len(only) if only else len(catalogues())} catalogues in {PO_DIR.relative_to(ROOT)}"
    )


def lookup_for(page: str):
    path = po_path(page)
    table = {}
    if path.exists():
        for message in read_catalog(path):
            if message.id and message.string and not message.fuzzy:
                table[message.id] = message.string
    return table.get


def fingerprint(page: str) -> str:
    h = hashlib.sha256()
    h.update((BOOK / page).read_bytes() if page.endswith(".md") else _source_only(page))
    path = po_path(page)
    h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


def _source_only(page: str) -> bytes:
    nb = json.loads((BOOK / page).read_text(encoding="utf-8"))
    return json.dumps([[c["cell_type"], "".join(c["source"])] for c in nb["cells"]]).encode()


def _rewrite_links(text: str) -> str:
    """book/zh/ is one folder down: links to book/ assets go one level up."""
    text = re.sub(r"\]\((?!https?:|#|[\w.-]+\.(?:ipynb|md)\b)([^)\s]+)\)", r"](../\1)", text)
    text = re.sub(r'(src|href)="(?!https?:|#|/)([^"]+)"', r'\1="../\2"', text)
    return text


def zh_page(page: str, anchors: dict[str, dict[str, str]]) -> str:
    """The Chinese page as text (notebook JSON or markdown)."""
    lookup = lookup_for(page)

    def render(text):
        return _fix_anchors(_rewrite_links(translate_text(text, lookup)), anchors)

    if page.endswith(".md"):
        body = render((BOOK / page).read_text(encoding="utf-8"))
        return (
            f"<!-- {FINGERPRINT_KEY}: {fingerprint(page)} (tools/i18n_book.py pages) -->\n" + body
        )
    nb = json.loads((BOOK / page).read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        new = copy.deepcopy(cell)
        if cell["cell_type"] == "markdown":
            new["source"] = _lines(render("".join(cell["source"])))
        elif cell["cell_type"] == "code":
            new["outputs"], new["execution_count"] = [], None
        cells.append(new)
        if "course-setup" in cell.get("metadata", {}).get("tags", []):
            cells.append(_language_cell())
    if not any(LANGUAGE_TAG in c.get("metadata", {}).get("tags", []) for c in cells):
        first_code = next((k for k, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
        cells.insert(first_code, _language_cell())
    meta = {k: v for k, v in nb["metadata"].items() if k != "widgets"}
    meta[FINGERPRINT_KEY] = {"source": f"book/{page}", "fingerprint": fingerprint(page)}
    out = {
        "cells": cells,
        "metadata": meta,
        "nbformat": nb["nbformat"],
        "nbformat_minor": nb["nbformat_minor"],
    }
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


def _language_cell():
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": LANGUAGE_TAG,
        "metadata": {"tags": [LANGUAGE_TAG, "remove-cell"]},
        "outputs": [],
        "source": _lines(LANGUAGE_CELL),
    }


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _slug(title: str) -> str:
    from myst_parser.mdit_to_docutils.base import default_slugify

    return default_slugify(re.sub(r"[*_`$]", "", title))


def heading_anchors() -> dict[str, dict[str, str]]:
    """For each page, English heading slug -> Chinese heading slug."""
    table = {}
    for page in pages():
        lookup = lookup_for(page)
        mapping = {}
        for _, _, text in _markdown_texts(page):
            for msgid, note in messages(text):
                if note == "heading":
                    mapping.setdefault(_slug(msgid), _slug(lookup(msgid) or msgid))
        table[page] = mapping
    return table


def _fix_anchors(text: str, anchors) -> str:
    def swap(m):
        target, frag = m.group(1), m.group(2)
        return f"]({target}#{anchors.get(target, {}).get(frag, frag)})"

    return re.sub(r"\]\(([\w.-]+\.(?:ipynb|md))#([^)]+)\)", swap, text)


ZH_TWIN = {"prefix": "../", "from": "book/zh/", "to": "book/", "lang": "en", "label": "English"}
ZH_TWIN["nav_label"] = "语言 / Language"


def zh_structure() -> dict[str, str]:
    """book/zh/_toc.yml and book/zh/_config.yml (file name -> text)."""
    lookup = lookup_for(STRUCTURE)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    toc["root"] = toc["root"].replace("book/", "book/zh/", 1)
    for part in toc.get("parts", []):
        part["caption"] = lookup(part["caption"]) or part["caption"]
        for chapter in part.get("chapters", []):
            chapter["file"] = chapter["file"].replace("book/", "book/zh/", 1)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = lookup(config["title"]) or config["title"]
    # Jupyter Book finds local extensions relative to the config file (book/zh).
    extensions = config.get("sphinx", {}).get("local_extensions", {})
    for name, path in extensions.items():
        extensions[name] = os.path.relpath(ROOT / path, ZH)
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["language"] = LANG
    sphinx["course_twin"] = ZH_TWIN
    sphinx.setdefault("html_theme_options", {})["search_bar_text"] = (
        lookup(SEARCH_TEXT) or SEARCH_TEXT
    )
    head = (
        "# Made by tools/i18n_book.py pages from _toc.yml / _config.yml and locale/: do not edit.\n"
    )
    dump = lambda data: head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    return {"_toc.yml": dump(toc), "_config.yml": dump(config)}


def write_pages(only: list[str] | None = None) -> list[Path]:
    ZH.mkdir(exist_ok=True)
    written = []
    for name, text in zh_structure().items():
        target = ZH / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    anchors = heading_anchors()
    for page in pages():
        if only and page not in only and _stem(page) not in only:
            continue
        target = ZH / page
        text = zh_page(page, anchors)
        if page.endswith(".ipynb") and target.exists():
            text = _keep_outputs(text, target)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def _keep_outputs(text: str, old_path: Path) -> str:
    """Keep the stored outputs of code cells whose source did not change."""
    new = json.loads(text)
    old = json.loads(old_path.read_text(encoding="utf-8"))
    old_meta = {k: v for k, v in old["metadata"].items() if k == "widgets"}
    old_fp = old["metadata"].get(FINGERPRINT_KEY, {}).get("fingerprint")
    if old_fp != new["metadata"][FINGERPRINT_KEY]["fingerprint"]:
        return text  # something changed: outputs must be made again
    for a, b in zip(new["cells"], old["cells"], strict=False):
        if a["cell_type"] == "code" and a["source"] == b["source"]:
            a["outputs"], a["execution_count"] = b.get("outputs", []), b.get("execution_count")
    new["metadata"].update(old_meta)
    return json.dumps(new, ensure_ascii=False, indent=1) + "\n"


_SPANS = re.compile(
    r"\$\$.*?\$\$|\$[^$]+\$"  # maths (a span may wrap onto the next line)
    r"|\{[\w:-]+\}`[^`]*`"  # roles: {cite:p}`key`
    r"|`[^`]+`"  # inline code
    r"|\]\([^)\s]+\)",  # link targets
    re.S,
)


def _span_key(span: str) -> str:
    """What must survive translation: the span with its line breaks evened out; of a
    {ref}/{doc} role with its own text (``{ref}`text <target>` ``), only the target."""
    role = re.fullmatch(r"\{(ref|doc|numref)\}`[^`<]*<([^>]+)>`", span, flags=re.S)
    if role:
        return f"{{{role.group(1)}}}<{role.group(2).strip()}>"
    return re.sub(r"\s+", " ", span)


def problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation broke: maths, code, roles, links, tables, emphasis, numbers."""
    found = []
    want = sorted(map(_span_key, _SPANS.findall(msgid)))
    got = sorted(map(_span_key, _SPANS.findall(msgstr)))
    if want != got:
        lost = [x for x in want if x not in got]
        extra = [x for x in got if x not in want]
        found.append(f"maths/code/role/link spans differ: lost {lost[:3]}, new {extra[:3]}")
    if msgid.lstrip().startswith("|") and msgid.count("|") != msgstr.count("|"):
        found.append(f"table row has {msgstr.count('|')} pipes, the English {msgid.count('|')}")
    numbers = lambda t: sorted(re.findall(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?", _SPANS.sub(" ", t)))  # noqa: E731
    lost_numbers = [n for n in numbers(msgid) if n not in numbers(msgstr)]
    if lost_numbers:
        found.append(f"numbers missing from the translation: {lost_numbers[:5]}")
    if re.search(r"[A-Za-z]{3,}", _strip(msgid)) and not re.search(r"[\u4e00-\u9fff]", msgstr):
        if not _same_words_ok(msgid):
            found.append("no Chinese characters in the translation")
    for leftover in _unrendered_emphasis(msgstr):
        found.append(f"emphasis markers do not render (put punctuation outside them): {leftover!r}")
    return found


def _same_words_ok(msgid: str) -> bool:
    """Messages that are names (a citation key list, a code name) may stay as they are."""
    return len(_strip(msgid).split()) <= 2


def _unrendered_emphasis(text: str) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(_SPANS.sub("X", text))
    bad = []
    for block in tokens:
        for child in block.children or []:
            if child.type == "text" and re.search(
                r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", child.content
            ):
                bad.append(child.content.strip()[:40])
    return bad


def check(pages_: list[str] | None = None) -> int:
    count = 0
    for page in catalogues():
        if pages_ and page not in pages_ and _stem(page) not in pages_:
            continue
        for message in read_catalog(po_path(page)):
            if message.id and message.string:
                for problem in problems(message.id, message.string):
                    count += 1
                    print(f"{page}: {problem}\n    en: {message.id[:90]!r}")
    return count


def status() -> dict[str, tuple[int, int, int]]:
    result = {}
    for page in catalogues():
        pot = template(page)
        po = read_catalog(po_path(page)) if po_path(page).exists() else Catalog(locale=LANG)
        missing = fuzzy = 0
        for message in pot:
            if not message.id:
                continue
            got = po.get(message.id)
            if got is None or not got.string:
                missing += 1
            elif got.fuzzy:
                fuzzy += 1
        result[page] = (len([m for m in pot if m.id]), missing, fuzzy)
    return result


def export(page: str) -> list[dict]:
    page = next(p for p in catalogues() if p == page or _stem(p) == page)
    po = read_catalog(po_path(page))
    todo = []
    for message in po:
        if message.id and (not message.string or message.fuzzy):
            todo.append(
                {
                    "page": page,
                    "en": message.id,
                    "zh": "",
                    "old_zh_fuzzy": message.string if message.fuzzy else "",
                    "note": "; ".join(message.auto_comments),
                }
            )
    return todo


def import_json(path: Path) -> int:
    entries = json.loads(path.read_text(encoding="utf-8"))
    by_page: dict[str, list[dict]] = {}
    for entry in entries:
        if entry.get("zh"):
            by_page.setdefault(entry["page"], []).append(entry)
    count = 0
    for page, items in by_page.items():
        po = read_catalog(po_path(page))
        for item in items:
            message = po.get(item["en"])
            if message is None:
                print(
                    f"not in {page} any more (English changed?): {item['en'][:60]!r}",
                    file=sys.stderr,
                )
                continue
            message.string = item["zh"]
            message.flags.discard("fuzzy")
            message.previous_id = []
            count += 1
        write_catalog(po, po_path(page))
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    u = sub.add_parser("update")
    u.add_argument("only", nargs="*", help="page names (default: all)")
    p = sub.add_parser("pages")
    p.add_argument("only", nargs="*", help="page names (default: all)")
    sub.add_parser("status")
    e = sub.add_parser("export")
    e.add_argument("page")
    c = sub.add_parser("check")
    c.add_argument("only", nargs="*", help="page names (default: all)")
    i = sub.add_parser("import")
    i.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "update":
        update(args.only)
    elif args.command == "pages":
        for path in write_pages(args.only):
            print("wrote", path.relative_to(ROOT))
    elif args.command == "status":
        total = [0, 0, 0]
        for page, counts in status().items():
            print(
                f"{page:40} {counts[0]:4} messages, {counts[1]:4} untranslated, {counts[2]:3} fuzzy"
            )
            total = [a + b for a, b in zip(total, counts, strict=True)]
        print(f"{'all':40} {total[0]:4} messages, {total[1]:4} untranslated, {total[2]:3} fuzzy")
        return 1 if total[1] or total[2] else 0
    elif args.command == "export":
        json.dump(export(args.page), sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.command == "check":
        found = check(args.only)
        print(f"{found} problems")
        return 1 if found else 0
    elif args.command == "import":
        print("translated", import_json(args.file), "messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
