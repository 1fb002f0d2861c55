"""File › Open Recent: the folders opened last, newest first."""

from __future__ import annotations

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
            self.addAction(folder).triggered.connect(lambda checked=False, f=folder: self.chosen.emit(f))
        if not recent:
            self.addAction("No recent folders").setEnabled(False)
