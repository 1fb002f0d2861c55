"""A facet sidebar like calibre's tag browser: counts that follow the current search."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.article import Summary
from ..core.query import Table, quote
from .icons import icon

GROUPS = (
    ("published", "Published", "fa5s.check-circle"),
    ("category", "Category", "fa5s.folder"),
    ("type", "Type", "fa5s.shapes"),
    ("topic", "Topics", "fa5s.tags"),
    ("provider", "Providers", "fa5s.building"),
)
MAX_ITEMS = 60


def count_facets(summaries: Sequence[Summary | None], rows: Sequence[int]) -> dict[str, Counter]:
    """Counts per facet value over `rows` (plain Python: run it in a worker at scale).

    `summaries` may be a copy of Table.summaries made while a warm open still fetches them:
    rows without a summary yet are left out.
    """
    counts: dict[str, Counter] = {g: Counter() for g, _, _ in GROUPS}
    topics, providers = counts["topic"], counts["provider"]
    shown = [s for s in map(summaries.__getitem__, rows) if s is not None]
    for s in shown:
        topics.update(s.topics)
        providers[s.provider_name or s.provider_domain] += 1
    counts["published"] = Counter("yes" if s.published else "no" for s in shown)
    counts["category"] = Counter(s.category for s in shown)
    counts["type"] = Counter(s.type for s in shown)
    providers.pop("", None)
    counts["category"].pop("", None)
    counts["type"].pop("", None)
    return counts


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

    def update_counts(self, table: Table, rows: Sequence[int]) -> None:
        self.show_counts(count_facets(table.summaries, rows))

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
