"""The status bar's site-profile menu: read the open folder as another kind of site."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from ..core.site import profiles


class ProfileMenu(QMenu):
    """Detect, or one of the built-in profiles; emits chosen(str name, or "detect")."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = QActionGroup(self)
        self.choices: dict[str, QAction] = {}
        items = [("detect", "Detect from the folder's files")] + [(p.name, p.label) for p in profiles.BUILT_IN.values()]
        for name, label in items:
            action = QAction(label, self, checkable=True)
            self.group.addAction(action)
            self.addAction(action)
            action.triggered.connect(lambda _=False, n=name: self.chosen.emit(n))
            self.choices[name] = action
            if name == "detect":
                self.addSeparator()

    def show_profile(self, profile: profiles.Profile) -> None:
        """Check the profile in use: "detect" unless one was chosen for this folder."""
        self.choices["detect" if profile.source != "chosen" else profile.name].setChecked(True)
