"""The window package keeps its shape: controllers never import widgets, window.py only wires."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "curator" / "ui" / "mainwindow"
CONTROLLERS = [
    "session",
    "loader",
    "saver",
    "watcher",
    "editing",
    "browsing",
    "review",
    "topics",
    "gitmode",
    "messages",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("name", CONTROLLERS)
def test_controllers_import_no_widgets(name):
    """import-linter cannot forbid one subpackage of PySide6, so the imports are read here."""
    modules = imported_modules(PACKAGE / f"{name}.py")
    widgets = sorted(m for m in modules if "QtWidgets" in m)
    assert not widgets, f"{name}.py imports {widgets}"
    # and no module of ours that is made of widgets
    ours = {"..editor", "..facets", "..preview", "..problems", "..delegate", ".prompts", ".window",
            ".statusbar", "..listarea", "..searchbox", "..recent", "..emptystate", "..changes", "..listbar",
            "..diffview", "..theme", "..topicsmanager"}  # fmt: skip
    assert not modules & ours, f"{name}.py imports widget modules {sorted(modules & ours)}"


def test_every_controller_says_what_it_owns_and_emits():
    for name in ["session", "loader", "saver", "watcher", "editing", "browsing", "review", "topics", "gitmode"]:
        doc = ast.get_docstring(ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))) or ""
        assert "owns" in doc and ("Emits" in doc or "emits" in doc), f"{name}.py: say what it owns and emits"


def test_only_prompts_shows_dialogs():
    for path in (ROOT / "curator").rglob("*.py"):
        if path.name == "prompts.py":
            continue
        text = path.read_text(encoding="utf-8")
        for dialog in ("QMessageBox", "QInputDialog", "ConflictDialog"):
            assert dialog not in text, f"{path.relative_to(ROOT)} uses {dialog}: ask through Prompts"
