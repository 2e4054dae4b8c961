"""Shared helpers for the tests that look at the book: its pages, notebooks and HTML."""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def toc_files(toc_path: str = "_toc.yml") -> list[str]:
    """Every file named in _toc.yml (root first), without its extension; the Chinese
    edition's with ``toc_files("book/zh/_toc.yml")``."""
    toc = yaml.safe_load((ROOT / toc_path).read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def source_of(entry: str) -> Path:
    """The source file (.ipynb or .md) behind a _toc.yml entry."""
    for suffix in (".ipynb", ".md"):
        path = ROOT / (entry + suffix)
        if path.exists():
            return path
    raise FileNotFoundError(f"_toc.yml names {entry!r}, but neither .ipynb nor .md exists")


def notebooks() -> list[Path]:
    """Every notebook under book/ (the ones nbval runs)."""
    return sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def read(path: Path):
    return nbformat.read(path, as_version=4)


def widget_view_ids(nb) -> list[str]:
    """The model ids of every widget view a notebook displays in its stored outputs."""
    ids = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                ids.append(view["model_id"])
    return ids
