"""What the list area shows when there is nothing to list, and what to do about it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .icons import icon


class EmptyState(QWidget):
    """What the list area shows when there is nothing to list, and what to do about it: its
    button emits open_requested (open a folder) or clear_requested (clear the search)."""

    open_requested = Signal()
    clear_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.icon = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.text = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.setVisible(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (self.icon, self.title, self.text):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addStretch(2)
        self._action = None
        self._state: tuple | None = None

    def _open_folder(self) -> None:
        self.open_requested.emit()

    def _clear_search(self) -> None:
        self.clear_requested.emit()

    def show_state(self, icon_name: str, title: str, text: str, button: str = "", action=None) -> None:
        state = (icon_name, title, text, button, action)
        if state == self._state:
            return
        self._state = state
        self.icon.setPixmap(icon(icon_name, "#9e9e9e").pixmap(64, 64))
        self.title.setText(title)
        self.text.setText(text)
        if self._action is not None:
            self.button.clicked.disconnect(self._action)
        self._action = action
        self.button.setVisible(bool(button))
        self.button.setText(button)
        if action is not None:
            self.button.clicked.connect(action)

    def show_for(self, folder: str, loading: bool, total: int, shown: int, search: str) -> bool:
        """The state that fits (no folder, loading, an empty folder, no match); False when the
        list has rows to show instead."""
        open_folder, clear_search = self._open_folder, self._clear_search
        if not folder:
            self.show_state(
                "fa5s.folder-open", "No folder open",
                "Open a folder of articles (a Jekyll checkout, for example) with File › Open Folder, "
                "drop a folder on this window, or pick one from File › Open Recent.",
                "Open Folder…", open_folder,
            )  # fmt: skip
        elif shown == 0 and loading:
            self.show_state("fa5s.hourglass-half", "Loading…", folder)
        elif total == 0:
            self.show_state(
                "fa5s.file-alt", "No articles in this folder",
                f"{folder} has no .md, .markdown or .txt files that start with front matter ('---').",
                "Open Another Folder…", open_folder,
            )  # fmt: skip
        elif shown == 0:
            self.show_state("fa5s.search", "No articles match the search", search, "Clear Search", clear_search)
        else:
            return False
        return True
