"""Catalogues of the package's words for learners (see lstm_gru_course/i18n.py).

Strings are marked in the source with ``_("...")`` (translated where they are shown) or
``N_("...")`` (marked where they are defined, translated later with ``_(text)``).
Each domain collects the marked strings of some modules:

    python tools/i18n_package.py update    # source changed: refresh .pot, merge into .po
    python tools/i18n_package.py compile   # .po -> .mo (the files the package reads)
    python tools/i18n_package.py status    # untranslated / fuzzy counts (exit 1 if any)
    python tools/i18n_package.py export D  # untranslated/fuzzy messages of domain D as JSON
    python tools/i18n_package.py import F  # fill the catalogues from such a JSON file

A message with placeholders is a template: translate it with the same ``{names}``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

sys.path.insert(0, str(Path(__file__).resolve().parent))
import i18n_book  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lstm_gru_course"
LANG = "zh_CN"
OUT = PACKAGE / "locale" / LANG / "LC_MESSAGES"
TEMPLATES = ROOT / "locale" / "templates" / "package"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
# domain -> the package folders/modules whose marked strings it holds
DOMAINS = {
    "exercises": ["exercises"],
    "pictures": ["explorers", "figures", "analysis", "lessons_text.py"],
}


def sources(domain: str) -> list[Path]:
    files = []
    for name in DOMAINS[domain]:
        path = PACKAGE / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def template(domain: str) -> Catalog:
    catalog = Catalog(project="lstm-gru-course", version="1", fuzzy=False)
    for path in sources(domain):
        rel = path.relative_to(ROOT).as_posix()
        for lineno, message, comments, _context in extract_from_file(
            "python",
            str(path),
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            catalog.add(message, locations=[(rel, lineno)], auto_comments=comments)
    return catalog


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=LANG)


def _write(catalog: Catalog, path: Path) -> None:
    """The book's writer: the same layout, and no rewrite when only the dates changed."""
    i18n_book.write_catalog(catalog, path)


def po_path(domain: str) -> Path:
    return OUT / f"{domain}.po"


def update() -> None:
    for domain in DOMAINS:
        pot = template(domain)
        _write(pot, TEMPLATES / f"{domain}.pot")
        po = (
            _read(po_path(domain))
            if po_path(domain).exists()
            else Catalog(locale=LANG, project="lstm-gru-course")
        )
        po.update(pot, no_fuzzy_matching=False)
        po.obsolete.clear()
        _write(po, po_path(domain))
    compile_all()


def compile_all() -> None:
    for domain in DOMAINS:
        if po_path(domain).exists():
            buffer = io.BytesIO()
            write_mo(buffer, _read(po_path(domain)), use_fuzzy=False)
            target = OUT / f"{domain}.mo"
            if not target.exists() or target.read_bytes() != buffer.getvalue():
                target.write_bytes(buffer.getvalue())


def status() -> dict[str, tuple[int, int, int]]:
    result = {}
    for domain in DOMAINS:
        pot = template(domain)
        po = _read(po_path(domain)) if po_path(domain).exists() else Catalog(locale=LANG)
        ids = [m.id for m in pot if m.id]
        missing = sum(1 for i in ids if po.get(i) is None or not po.get(i).string)
        fuzzy = sum(
            1 for i in ids if po.get(i) is not None and po.get(i).string and po.get(i).fuzzy
        )
        result[domain] = (len(ids), missing, fuzzy)
    return result


def export(domain: str) -> list[dict]:
    todo = []
    for message in _read(po_path(domain)):
        if message.id and (not message.string or message.fuzzy):
            todo.append(
                {
                    "domain": domain,
                    "en": message.id,
                    "zh": "",
                    "old_zh_fuzzy": message.string if message.fuzzy else "",
                    "where": ", ".join(f"{f}:{n}" for f, n in message.locations),
                }
            )
    return todo


def import_json(path: Path) -> int:
    count = 0
    entries = json.loads(path.read_text(encoding="utf-8"))
    for domain in {e["domain"] for e in entries}:
        po = _read(po_path(domain))
        for entry in entries:
            if entry["domain"] != domain or not entry.get("zh"):
                continue
            message = po.get(entry["en"])
            if message is None:
                print(f"not in {domain} any more: {entry['en'][:60]!r}", file=sys.stderr)
                continue
            message.string = entry["zh"]
            message.flags.discard("fuzzy")
            message.previous_id = []
            count += 1
        _write(po, po_path(domain))
    compile_all()
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update")
    sub.add_parser("compile")
    sub.add_parser("status")
    e = sub.add_parser("export")
    e.add_argument("domain", choices=sorted(DOMAINS))
    i = sub.add_parser("import")
    i.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    elif args.command == "compile":
        compile_all()
    elif args.command == "status":
        bad = 0
        for domain, (total, missing, fuzzy) in status().items():
            print(f"{domain:12} {total:4} messages, {missing:4} untranslated, {fuzzy:3} fuzzy")
            bad += missing + fuzzy
        return 1 if bad else 0
    elif args.command == "export":
        json.dump(export(args.domain), sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.command == "import":
        print("translated", import_json(args.file), "messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
