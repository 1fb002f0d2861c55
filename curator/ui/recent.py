"""File › Open Recent: the folders opened last, newest first."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu

from .icons import icon


class RecentMenu(QMenu):
    chosen = Signal(str)  # a folder to open

    def __init__(self, settings, parent=None):
        super().__init__("Open &Recent", parent)
        self.setIcon(icon("fa5s.history"))
        self.settings = settings
        self.aboutToShow.connect(self._fill)

    def _fill(self) -> None:
        self.clear()
        recent = [f for f in self.settings["files/recent"] if f]
        for folder in recent:
            self.addAction(folder).triggered.connect(lambda checked=False, f=folder: self._choose(f))
        if not recent:
            self.addAction("No recent folders").setEnabled(False)
            return
        self.addSeparator()
        self.addAction("Clear Menu").triggered.connect(self.settings.clear_recent)

    def _choose(self, folder: str) -> None:
        """Open it; a folder that is gone (moved, renamed, an unplugged drive) leaves the menu
        too, and the window says it is not a folder. (Checked only when chosen: a stat of every
        entry each time the menu opens could wait on a network drive.)"""
        if not os.path.isdir(folder):
            self.settings.forget_recent(folder)
        self.chosen.emit(folder)
