"""Imports point down only: the numeric core imports nothing above it, and the content
helpers (analysis/) import no presentation layer (figures, explorers, exercises)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lstm_gru_course"
PRESENTATION = {"figures", "explorers", "exercises"}
CORE = {
    "activations",
    "cells",
    "layers",
    "_kernels",
    "_validate",
    "losses",
    "optim",
    "train",
    "tasks",
    "gradcheck",
    "charmodel",
    "data",
    "lessons_text",
}


def _imported_subpackages(path: Path) -> set[str]:
    """The first-level lstm_gru_course modules that ``path`` imports (relative or absolute)."""
    module_parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_parts[: len(module_parts) - node.level]
                if path.name == "__init__.py":
                    base = module_parts[: len(module_parts) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [target] if node.module else [[*target, a.name] for a in node.names]
            else:
                names = [node.module.split(".")] if node.module else []
        elif isinstance(node, ast.Import):
            names = [a.name.split(".") for a in node.names]
        else:
            continue
        for parts in names:
            if len(parts) >= 2 and parts[0] == "lstm_gru_course":
                found.add(parts[1])
    return found


def _modules(where: Path):
    return sorted(p for p in where.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules(PACKAGE / "analysis"), ids=lambda p: p.name)
def test_analysis_imports_no_presentation_layer(path):
    assert not _imported_subpackages(path) & PRESENTATION, path


@pytest.mark.parametrize("name", sorted(CORE))
def test_the_numeric_core_imports_nothing_above_it(name):
    path = PACKAGE / f"{name}.py"
    if not path.exists():
        path = PACKAGE / name / "__init__.py"
    if not path.exists():
        pytest.skip(f"{name} is not a module of this version")
    above = _imported_subpackages(path) & (PRESENTATION | {"analysis", "experiments"})
    assert not above, f"{name} imports {sorted(above)}"


def test_importing_the_package_and_analysis_needs_only_numpy():
    code = (
        "import sys, lstm_gru_course, lstm_gru_course.analysis, lstm_gru_course.experiments; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'torch', 'joblib') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_layering_check_sees_relative_imports():
    assert "analysis" in _imported_subpackages(PACKAGE / "figures" / "memory_span.py")
    assert "analysis" in _imported_subpackages(PACKAGE / "experiments.py")
    assert "cells" in _imported_subpackages(PACKAGE / "analysis" / "gates.py")
