"""The search box of the toolbar, with the message of a query it cannot read beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from .icons import icon


class SearchBox(QLineEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText('Search…  e.g. topic:"Power Apps" published:no quality:>=50')
        self.setClearButtonEnabled(True)
        self.addAction(icon("fa5s.search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(380)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828; padding-left: 8px")

    def focus_all(self) -> None:
        self.setFocus()
        self.selectAll()

    def show_error(self, message: str) -> None:
        """A query that cannot be read: said in red beside the box (the last good result stays)."""
        self.error.setText(message)
        self.setStyleSheet("QLineEdit { border: 1px solid #c62828; }")

    def clear_error(self) -> None:
        self.error.setText("")
        self.setStyleSheet("")
