"""The Changes view: every unsaved article with its values on disk and after the save (as
Picard shows original and new tags), and below, the exact diff Save will write for the
article picked. Revert takes back one field or one whole article; Save saves what is listed.

Signals: article_picked(int row), revert_requested(int row, str key or ""),
save_requested(list[int] rows), reveal_requested(str path).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import words
from ..core.folder.review import PendingArticle
from .diffview import DiffView

ROW, KEY = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
#: Articles listed at most (a 10,000-file batch lists its first ones; Save still saves all).
MOST = 2000


class ChangesPanel(QWidget):
    article_picked = Signal(int)
    revert_requested = Signal(int, str)
    save_requested = Signal(list)
    reveal_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[int] = []
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Article / field", "On disk", "After save"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.header().setStretchLastSection(True)
        self.diff = DiffView()
        self.diff.setPlaceholderText("Pick an article to see the lines Save will write.")
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Take back the picked field, or every edit of the picked article")
        self.save_button = QPushButton("Save These")
        self.save_button.setToolTip("Save every article listed here")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.diff)
        split.setStretchFactor(0, 3)  # the list of changes first: in a low window its rows were cut
        split.setStretchFactor(1, 2)
        split.setSizes([300, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.tree.currentItemChanged.connect(self._picked)
        self.tree.itemDoubleClicked.connect(lambda item, _: self._reveal(item))
        self.revert_button.clicked.connect(self._revert)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(list(self.rows)))
        self.show_pending([])

    def show_pending(self, articles: list[PendingArticle]) -> None:
        """List these articles; the picked one stays picked when it is still listed."""
        picked = self.picked()
        self.rows = [a.row for a in articles]
        self.tree.blockSignals(True)
        self.tree.clear()
        current = None
        for article in articles[:MOST]:
            top = QTreeWidgetItem([article.title, article.path, ""])
            top.setData(0, ROW, article.row)
            top.setData(0, KEY, "")
            top.setToolTip(0, article.path)
            if article.changed_on_disk:
                top.setText(2, "changed on disk: Save asks")
            for change in article.fields:
                child = QTreeWidgetItem(top, list(change.texts))
                child.setData(0, ROW, article.row)
                child.setData(0, KEY, change.key)
                for column in (1, 2):
                    child.setToolTip(column, change.texts[column])
            self.tree.addTopLevelItem(top)
            if picked is not None and picked[0] == article.row:
                current = top if not picked[1] else next(
                    (top.child(i) for i in range(top.childCount()) if top.child(i).data(0, KEY) == picked[1]), top
                )  # fmt: skip
        self.tree.expandAll()
        self.tree.blockSignals(False)
        n = len(articles)
        more = f" (the first {MOST:,} are listed)" if n > MOST else ""
        self.summary.setText(f"{words.count(n, 'unsaved article')}{more}" if n else "No unsaved changes.")
        self.save_button.setEnabled(bool(n))
        if current is not None:
            self.tree.setCurrentItem(current)
        else:
            self.diff.clear()
        self.revert_button.setEnabled(current is not None)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Article and the two values share the width (4:3:3), whatever the dock's size."""
        width = self.tree.viewport().width()
        self.tree.setColumnWidth(0, width * 4 // 10)
        self.tree.setColumnWidth(1, width * 3 // 10)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def picked(self) -> tuple[int, str] | None:
        item = self.tree.currentItem()
        return None if item is None else (item.data(0, ROW), item.data(0, KEY))

    def show_diff(self, row: int, text: str) -> None:
        if (picked := self.picked()) is not None and picked[0] == row:
            self.diff.show_text(text)

    def _picked(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        self.revert_button.setEnabled(item is not None)
        if item is None:
            self.diff.clear()
            return
        row = item.data(0, ROW)
        if previous is None or previous.data(0, ROW) != row:
            self.diff.setPlainText("Reading the file…")
            self.article_picked.emit(row)

    def _revert(self) -> None:
        if (picked := self.picked()) is not None:
            self.revert_requested.emit(*picked)

    def _reveal(self, item: QTreeWidgetItem) -> None:
        if item.parent() is None:
            self.reveal_requested.emit(item.toolTip(0))
