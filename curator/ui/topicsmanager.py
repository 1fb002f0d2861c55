"""The Topics manager: every topic of the folder with its count, whether the site's taxonomy
declares it (or retired it: then listed only while an article has it), and its likely variants
(case, spacing, hyphens, one typo). Rename, Merge Into and Delete act on every article; a
double-click shows the articles that have the topic.

Signals: action_requested(str action, list[str] topics), show_requested(str query term).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.folder.query import quote
from ..core.site.topics import TopicInfo, fold
from . import style, theme
from .icons import icon

NAME = Qt.ItemDataRole.UserRole
#: The list's width from which the Site column shows (see TopicsPanel._fit_columns).
SITE_FROM = 340


class TopicsPanel(QWidget):
    action_requested = Signal(str, list)
    show_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter topics")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Topic", "Articles", "Site", "Variants"])
        self.tree.headerItem().setToolTip(2, "Declared in the site's taxonomy (_data/topics)")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSortingEnabled(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.tree.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        style.use(self.tree.header())  # ▼ while sorted descending (the most used first)
        header = self.tree.header()  # the four columns in the panel's width, Variants too (see _fit_columns)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = {}
        row = QHBoxLayout()
        for action, text, tip in (
            ("rename", "Rename…", "Rename the topic in every article (and in the site taxonomy)"),
            ("merge", "Merge Into…", "Replace the selected topics by one, in every article"),
            ("delete", "Delete", "Remove the selected topics from every article"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda checked=False, a=action: self.action_requested.emit(a, self.selected()))
            row.addWidget(button)
            self.buttons[action] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.filter.textChanged.connect(self._filter)
        self.tree.itemSelectionChanged.connect(self._enable)
        self.tree.itemDoubleClicked.connect(lambda item, _: self.show_requested.emit(f"topic:{quote(item.text(0))}"))
        self._enable()

    def show_topics(self, infos: list[TopicInfo]) -> None:
        """List these topics; the selection (by name) stays."""
        selected = set(self.selected())
        self.tree.setSortingEnabled(False)
        self.tree.clear()
        warn = theme.color("warning")
        for info in infos:
            declared = "retired" if info.retired else "✓" if info.in_taxonomy else ""
            item = SortableItem([info.name, f"{info.count:,}", declared, ", ".join(info.variants)])
            item.setData(0, NAME, info.name)
            item.setData(1, NAME, info.count)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if info.variants:  # marked where it is seen: beside the name
                item.setIcon(0, icon("fa5s.exclamation-triangle", warn.name()))
                tip = f"Likely the same topic as {', '.join(info.variants)}: merge them with Merge Into…"
                item.setToolTip(0, tip)
                item.setToolTip(3, tip)
            about = [f"In the taxonomy, under {info.parent}." if info.parent else ""]
            if info.aliases:
                about.append(f"Also called {', '.join(info.aliases)} (merged into it).")
            if info.retired:
                about.append("Retired by a merge or a delete: never suggested or completed (.curator.yml).")
            if any(about):
                item.setToolTip(2, " ".join(a for a in about if a))
            self.tree.addTopLevelItem(item)
            item.setSelected(info.name in selected)
        self.tree.setSortingEnabled(True)
        self._fit_columns()
        self._filter(self.filter.text())

    def _fit_columns(self) -> None:
        """Every column in the panel's width, Variants too: as wide as they are (their header at
        least, a third of the panel at most), the topic taking the rest; in a panel narrower than
        SITE_FROM (beside the list of a 1024-pixel window) the Site column gives way."""
        header, width = self.tree.header(), self.tree.viewport().width()
        self.tree.setColumnHidden(2, width < SITE_FROM)
        widest = min(self.tree.sizeHintForColumn(3) + 8, width // 3)
        self.tree.setColumnWidth(3, max(header.sectionSizeHint(3), widest))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def selected(self) -> list[str]:
        return [item.data(0, NAME) for item in self.tree.selectedItems()]

    def _enable(self) -> None:
        n = len(self.selected())
        self.buttons["rename"].setEnabled(n == 1)
        self.buttons["merge"].setEnabled(n >= 1)
        self.buttons["delete"].setEnabled(n >= 1)

    def _filter(self, text: str) -> None:
        wanted = fold(text)
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setHidden(bool(wanted) and wanted not in fold(item.text(0)))


class SortableItem(QTreeWidgetItem):
    """Counts sort as numbers."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        if column == 1:
            return (self.data(1, NAME) or 0) < (other.data(1, NAME) or 0)
        return self.text(column).casefold() < other.text(column).casefold()
