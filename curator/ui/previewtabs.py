"""The preview with, inside a git work tree, a Diff tab: the current file against the last commit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from .diffview import DiffView


class PreviewTabs(QTabWidget):
    """Preview and Diff (git). Outside a work tree (or with no folder open) only the preview
    shows, with no tab bar. Emits `diff_wanted` (QTabWidget.currentChanged) for the window to
    read the current file's diff while the Diff tab is shown."""

    def __init__(self, preview: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.diff = DiffView()
        self.diff.setAccessibleName("Diff against the last commit")
        self.setDocumentMode(True)
        self.setSizePolicy(preview.sizePolicy())  # (a splitter keeps its shares in the size policy)
        self.addTab(preview, "Preview")
        self.addTab(self.diff, "Diff (git)")
        self.show_git(False)

    def show_git(self, shown: bool) -> None:
        """The Diff tab, and the tab bar (the Preview tab alone needs none), inside a work tree only."""
        if not shown:
            self.setCurrentIndex(0)
        self.setTabVisible(1, shown)
        self.tabBar().setVisible(shown)
        # (the tab widget hands the focus to its bar: a hidden bar with Tab focus held Tab in the list)
        self.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus if shown else Qt.FocusPolicy.NoFocus)

    def diff_shown(self) -> bool:
        return self.currentWidget() is self.diff
