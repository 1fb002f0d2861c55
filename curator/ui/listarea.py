"""The list area: the cards, the table, or a helpful empty state in their place."""

from __future__ import annotations

import enum
import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QStackedWidget, QVBoxLayout, QWidget

from .delegate import ArticleTable, CardView
from .emptystate import EmptyState
from .model import COLUMNS


class ViewMode(enum.StrEnum):
    CARDS = "cards"
    TABLE = "table"


class ListArea(QStackedWidget):
    """Both views share one model and one selection model; `mode` says which one shows. A
    folder dropped on it is emitted as folder_dropped(path)."""

    folder_dropped = Signal(str)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.cards, self.table, self.empty = CardView(), ArticleTable(), EmptyState()
        self.cards.setModel(model)
        self.table.setModel(model)
        self.table.setSelectionModel(self.cards.selectionModel())
        self.selection = self.cards.selectionModel()
        self.mode = ViewMode.CARDS
        self.page: QWidget | None = None  # shown in place of the list (see show_page)
        for widget in (self.empty, self.cards, self.table):
            self.addWidget(widget)

    def view(self) -> QAbstractItemView:
        return self.table if self.mode is ViewMode.TABLE else self.cards

    def set_mode(self, mode: str) -> ViewMode:
        self.mode = ViewMode(mode) if mode in tuple(ViewMode) else ViewMode.CARDS
        if self.currentWidget() is not self.empty and self.page is None:
            self.setCurrentWidget(self.view())
        return self.mode

    def show_sort(self, field: str, descending: bool) -> None:
        """The table's sort indicator follows the sort, wherever it was chosen."""
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(COLUMNS.index(field), order)

    def show_list(self, empty: bool) -> None:
        if self.page is None:
            self.setCurrentWidget(self.empty if empty else self.view())

    def show_page(self, widget: QWidget | None) -> None:
        """A page in place of the list (triage), until show_page(None)."""
        if widget is not None and self.indexOf(widget) < 0:
            self.addWidget(widget)
        self.page = widget
        self.setCurrentWidget(widget or self.view())

    def on_screen(self) -> tuple[int, int] | None:
        """The first and last positions on screen (a screenful when the end is not known)."""
        view = self.view()
        top = view.indexAt(view.viewport().rect().topLeft()).row()
        bottom = view.indexAt(view.viewport().rect().bottomLeft()).row()
        return None if top < 0 else (top, bottom if bottom >= 0 else top + 50)

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and os.path.isdir(urls[0].toLocalFile()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.folder_dropped.emit(urls[0].toLocalFile())
            event.acceptProposedAction()


def column(*widgets: QWidget) -> QWidget:
    """The widgets one above the other, without margins (the list bar over the list area)."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, int(i == len(widgets) - 1))
    return holder
