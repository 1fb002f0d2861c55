"""A facet sidebar like calibre's tag browser: counts that follow the current search."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.query import quote
from .icons import icon

GROUPS = (
    ("published", "Published", "fa5s.check-circle"),
    ("category", "Category", "fa5s.folder"),
    ("type", "Type", "fa5s.shapes"),
    ("topic", "Topics", "fa5s.tags"),
    ("provider", "Providers", "fa5s.building"),
)
MAX_ITEMS = 60


class FacetPanel(QTreeWidget):
    #: a query term such as `topic:"Power Apps"` to add to the search
    term_activated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        self.setToolTip("Click a value to add it to the search")
        self._groups: dict[str, QTreeWidgetItem] = {}
        for key, label, icon_name in GROUPS:
            item = QTreeWidgetItem([label])
            item.setIcon(0, icon(icon_name))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addTopLevelItem(item)
            item.setExpanded(key in ("published", "topic", "category"))
            self._groups[key] = item
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def show_counts(self, counts: dict[str, Counter]) -> None:
        self.setUpdatesEnabled(False)
        for key, _, _ in GROUPS:
            group = self._groups[key]
            group.takeChildren()
            for value, n in counts[key].most_common(MAX_ITEMS):
                child = QTreeWidgetItem([f"{value}  ({n:,})"])
                child.setData(0, Qt.ItemDataRole.UserRole, f"{key}:{quote(value)}")
                child.setToolTip(0, f"{value}: {n:,} articles in the current search")
                group.addChild(child)
            group.setText(0, f"{group.text(0).split('  (')[0]}  ({len(counts[key]):,})")
        self.setUpdatesEnabled(True)

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        term = item.data(0, Qt.ItemDataRole.UserRole)
        if term:
            self.term_activated.emit(term)
