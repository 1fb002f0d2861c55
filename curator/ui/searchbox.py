"""The search box of the toolbar, with the message of a query it cannot read beside it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit

from . import accessible
from .icons import icon


class UndoPassThrough(QObject):
    """Ctrl+Z in a text field that has nothing to undo reaches the window's Undo (the article
    edit), instead of doing nothing; likewise redo."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit):
            undo = event.matches(QKeySequence.StandardKey.Undo) and not watched.isUndoAvailable()
            redo = event.matches(QKeySequence.StandardKey.Redo) and not watched.isRedoAvailable()
            if undo or redo:
                event.ignore()  # no override: the shortcut goes to the window's action
                return True
        return False


class SearchBox(QLineEdit):
    """Escape clears it (and so the search); Down goes on to the list of results."""

    to_results = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.undo_pass = UndoPassThrough(self)
        self.installEventFilter(self.undo_pass)
        self.setPlaceholderText('Search…  e.g. topic:"Power Apps" published:no quality:>=50')
        self.setClearButtonEnabled(True)
        find = self.addAction(icon("fa5s.search"), QLineEdit.ActionPosition.LeadingPosition)
        find.setText("Search")  # (its button is named by it; a click puts the keys in the box)
        find.triggered.connect(self.focus_all)
        accessible.name(
            self, "Search",
            "Words in the title, excerpt or provider, or terms such as topic:\"Power Apps\", published:no, "
            "quality:>=50. The list follows as you type; Down goes to the list, Escape clears the search.",
        )  # fmt: skip
        accessible.name_clear_buttons(self)
        self.setMinimumWidth(380)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828; padding-left: 8px")

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.to_results.emit()
            return
        super().keyPressEvent(event)

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
