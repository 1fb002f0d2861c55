"""Guards against known faults of the Qt binding that the rest of the suite would only hit by chance."""

from __future__ import annotations

import sys

from PySide6.QtCore import QStringListModel, Qt

from curator.core.folder.workspace import Workspace
from curator.core.site.article import Summary
from curator.ui.model import ArticleModel, Role


def test_empty_qvariants_keep_none_alive(tmp_path):
    """PySide6 6.12.0 hands None back without a reference for every empty QVariant.

    Each card without a thumbnail asks `index.data(Role.THUMBNAIL)`; on Python 3.11 (where
    None is not immortal) the interpreter aborted with `none_dealloc` after some thousands of
    such calls. The fix is the version pin in pyproject.toml; this test fails on a binding
    that brings the fault back.
    """
    qt_model = QStringListModel(["a"])
    ours = ArticleModel(Workspace(tmp_path))
    ours.workspace.add([Summary("a.md")], [None])
    ours.reset_rows()
    before = sys.getrefcount(None)
    for _ in range(2000):
        assert qt_model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None  # Qt's own model
        assert ours.index(0, 0).data(Role.THUMBNAIL) is None  # ours, through Qt and back
    assert sys.getrefcount(None) >= before - 100
