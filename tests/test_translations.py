"""The Chinese edition is made from the English one and cannot silently fall behind it.

The book's catalogues (locale/zh_CN/LC_MESSAGES/book/*.po) and the package's
(lstm_gru_course/locale/zh_CN/LC_MESSAGES/*.po) must translate every current English
message, none fuzzy; the pages in book/zh must be what tools/i18n_book.py makes from
the English pages and those catalogues today, and be executed. When this fails after an
English edit: `make translations`, translate what it lists, `make notebooks`.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import i18n_book  # noqa: E402
import i18n_package  # noqa: E402

FIX = "run `make translations`, translate the messages it lists, then `make notebooks`"


def test_cutting_every_page_into_messages_gives_the_page_back():
    for page in i18n_book.pages():
        for where, cell, text in i18n_book._markdown_texts(page):
            assert i18n_book.translate_text(text, lambda msgid: None) == text, (where, cell)


def test_a_translation_replaces_prose_and_keeps_code_maths_and_options():
    text = "\n".join(
        [
            "## A heading",
            "",
            "A paragraph with $x_t$ and `code`.",
            "",
            ":::{admonition} A title",
            ":class: dropdown",
            "Inside the box.",
            ":::",
            "",
            "```python",
            "print('not prose')",
            "```",
            "",
            "$$",
            "h_t = \\tanh(a_t)",
            "$$",
            "",
            "| col | other |",
            "|---|---|",
            "| a cell | more words |",
        ]
    )
    found = [msgid for msgid, _ in i18n_book.messages(text)]
    assert found == [
        "A heading",
        "A paragraph with $x_t$ and `code`.",
        "A title",
        "Inside the box.",
        "| col | other |",
        "| a cell | more words |",
    ]
    out = i18n_book.translate_text(text, lambda msgid: "译文")
    assert out.splitlines()[0] == "## 译文"
    assert ":::{admonition} 译文" in out and ":class: dropdown" in out
    assert "print('not prose')" in out and "h_t = \\tanh(a_t)" in out and "|---|---|" in out


def test_the_translation_check_catches_broken_maths_numbers_tables_and_emphasis():
    problems = i18n_book.problems
    assert problems("Gate $f$ keeps 0.95 of it.", "门 $f$ 保留其中的 0.95。") == []
    assert problems("Gate $f$ keeps it.", "门 f 保留它。")  # maths lost
    assert problems("It keeps 0.95 of it.", "它保留大部分。")  # number lost
    assert problems("| a | b |", "| 甲 乙 |")  # a cell lost
    assert problems("The **cell state** is here.", "这是**“细胞状态”**的位置。")  # cannot render


def test_every_english_message_is_translated_and_none_is_fuzzy():
    behind = {page: counts for page, counts in i18n_book.status().items() if counts[1] or counts[2]}
    assert not behind, (
        "book pages with untranslated or fuzzy messages (page: messages, untranslated, fuzzy): "
        f"{behind}; {FIX}"
    )
    behind = {d: c for d, c in i18n_package.status().items() if c[1] or c[2]}
    assert not behind, f"package catalogues with untranslated or fuzzy messages: {behind}; {FIX}"


def test_translations_keep_maths_code_links_numbers_and_render():
    report = io.StringIO()
    stdout, sys.stdout = sys.stdout, report
    try:
        count = i18n_book.check()
    finally:
        sys.stdout = stdout
    assert count == 0, report.getvalue()[:3000]


def test_the_package_mo_files_are_compiled_from_the_current_po_files():
    from babel.messages.mofile import write_mo

    for domain in i18n_package.DOMAINS:
        po = i18n_package.po_path(domain)
        assert po.exists(), f"{po} is missing; {FIX}"
        buffer = io.BytesIO()
        write_mo(buffer, i18n_package._read(po), use_fuzzy=False)
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.read_bytes() == buffer.getvalue(), (
            f"{mo.name} is older than {po.name}: python tools/i18n_package.py compile"
        )


def test_the_chinese_pages_are_made_from_the_current_english_and_catalogues():
    for name, text in i18n_book.zh_structure().items():
        assert (i18n_book.ZH / name).read_text(encoding="utf-8") == text, (
            f"book/zh/{name} is stale; {FIX}"
        )
    anchors = i18n_book.heading_anchors()
    for page in i18n_book.pages():
        stored = i18n_book.ZH / page
        assert stored.exists(), f"book/zh/{page} is missing; {FIX}"
        fresh = i18n_book.zh_page(page, anchors)
        if page.endswith(".md"):
            assert stored.read_text(encoding="utf-8") == fresh, f"book/zh/{page} is stale; {FIX}"
            continue
        want, got = json.loads(fresh), json.loads(stored.read_text(encoding="utf-8"))
        key = i18n_book.FINGERPRINT_KEY
        assert got["metadata"].get(key) == want["metadata"][key], (
            f"book/zh/{page} is older than book/{page} or its catalogue; {FIX}"
        )
        assert [(c["cell_type"], c["source"]) for c in got["cells"]] == [
            (c["cell_type"], c["source"]) for c in want["cells"]
        ], f"book/zh/{page} differs from what the English page and catalogue make; {FIX}"


@pytest.mark.parametrize("page", [p for p in i18n_book.pages() if p.endswith(".ipynb")])
def test_the_chinese_notebooks_are_executed_with_the_package_in_chinese(page):
    nb = json.loads((i18n_book.ZH / page).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    ids = [c.get("id") for c in code]
    assert i18n_book.LANGUAGE_TAG in ids, f"book/zh/{page} never switches the package to Chinese"
    before = code[: ids.index(i18n_book.LANGUAGE_TAG)]
    assert all("course-setup" in c["metadata"].get("tags", []) for c in before), (
        "only the set-up cell may run before the language cell"
    )
    unrun = [k for k, c in enumerate(code) if c["execution_count"] is None]
    assert not unrun, f"book/zh/{page}: code cells never executed: {unrun}; run `make notebooks`"


def test_the_chinese_notebooks_keep_the_english_code():
    for page in (p for p in i18n_book.pages() if p.endswith(".ipynb")):
        english = json.loads((i18n_book.BOOK / page).read_text(encoding="utf-8"))
        chinese = json.loads((i18n_book.ZH / page).read_text(encoding="utf-8"))
        en_code = [c["source"] for c in english["cells"] if c["cell_type"] == "code"]
        zh_code = [
            c["source"]
            for c in chinese["cells"]
            if c["cell_type"] == "code"
            and i18n_book.LANGUAGE_TAG not in c["metadata"].get("tags", [])
        ]
        assert zh_code == en_code, page


def test_the_chinese_pages_are_mostly_chinese():
    import re

    for page in i18n_book.pages():
        text = (i18n_book.ZH / page).read_text(encoding="utf-8")
        if page.endswith(".ipynb"):
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        prose = i18n_book._strip(text)
        han = len(re.findall(r"[\u4e00-\u9fff]", prose))
        latin_words = len(re.findall(r"[A-Za-z]{3,}", prose))
        assert han > 2 * latin_words, (
            f"book/zh/{page}: {han} Chinese characters, {latin_words} English words"
        )


def test_the_glossary_gives_d2l_zh_terms_beside_the_course_terms():
    glossary = (i18n_book.BOOK / "appendix-c-glossary.md").read_text(encoding="utf-8")
    for term in ("记忆元", "隐状态", "候选记忆元", "通过时间反向传播"):
        assert term in glossary, term
