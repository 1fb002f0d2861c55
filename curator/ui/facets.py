"""A facet sidebar like calibre's tag browser: counts that follow the current search."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QMenu, QTreeWidget, QTreeWidgetItem

from ..core import words
from ..core.folder.query import quote
from . import accessible
from .icons import icon

GROUPS = (
    ("published", "Published", "fa5s.check-circle"),
    ("category", "Category", "fa5s.folder"),
    ("type", "Type", "fa5s.shapes"),
    ("topic", "Topics", "fa5s.tags"),
    ("provider", "Providers", "fa5s.building"),
    ("git", "Changed (git)", "fa5s.code-branch"),  # shown inside a git work tree only
    ("dup", "Duplicates", "fa5s.clone"),  # shown when the search holds a group of duplicate stories
)
MAX_ITEMS = 60
VALUE = Qt.ItemDataRole.UserRole + 1
VIEW = Qt.ItemDataRole.UserRole + 2  # a saved view's name
#: Held while clicking a value: the search excludes it instead (Ctrl, or Cmd on macOS; or Alt).
EXCLUDE_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
KEYS = "Counts in the current search. Enter on a value shows only its articles, Ctrl+Enter hides them."
HOW = "Click a value to show only articles with it; Ctrl+click (or Alt+click) to hide them."


class FacetPanel(QTreeWidget):
    #: a query term such as `topic:"Power Apps"` to add to the search
    term_activated = Signal(str)
    #: a saved view's name: to apply, rename or delete
    view_activated = Signal(str)
    view_rename_requested = Signal(str)
    view_delete_requested = Signal(str)
    view_edit_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        self.setToolTip(HOW)
        accessible.name(self, "Browse", KEYS)
        self._clicked = False
        self._groups: dict[str, QTreeWidgetItem] = {}
        for key, label, icon_name in GROUPS:
            item = QTreeWidgetItem([label])
            item.setIcon(0, icon(icon_name))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addTopLevelItem(item)
            item.setExpanded(key in ("published", "topic", "category", "git", "dup"))
            item.setHidden(key in ("git", "dup"))
            self._groups[key] = item
        self.views = QTreeWidgetItem(["Views"])
        self.views.setIcon(0, icon("fa5s.bookmark"))
        self.views.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.views.setToolTip(0, "The site's saved views (.curator.yml): click or Alt+1…9 to apply; right-click to "
                              "rename or delete; View › Save View… saves the search and sort in force.")  # fmt: skip
        self.insertTopLevelItem(0, self.views)
        self.views.setHidden(True)
        self.views.setExpanded(True)
        self.shown_views: list[tuple] = []
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._view_menu)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def group(self, key: str) -> QTreeWidgetItem:
        """The group of one facet (see GROUPS); its children are the values shown."""
        return self._groups[key]

    def show_counts(self, counts: dict[str, Counter]) -> None:
        """Show the counts, most common first; while the pointer is over the panel (or just
        after a click in it) the values stay where they are and only their counts change, so
        nothing moves under the pointer (a value that no longer occurs shows 0, greyed)."""
        keep = self._clicked or self.underMouse()
        self._clicked = False
        self.setUpdatesEnabled(False)
        for key, _, _ in GROUPS:
            group, count = self._groups[key], counts.get(key, Counter())
            old = [group.child(i).data(0, VALUE) for i in range(group.childCount())] if keep else []
            listed = set(old)
            values = old + [v for v, _ in count.most_common(MAX_ITEMS) if v not in listed][: MAX_ITEMS - len(old)]
            if key == "dup":
                values = ["yes", "no"]  # (the articles in a group first, however many there are)
            group.takeChildren()
            for value in values:
                n = count.get(value, 0)
                child = QTreeWidgetItem([f"{value}  ({n:,})"])
                child.setData(0, VALUE, value)
                child.setData(0, Qt.ItemDataRole.UserRole, f"{key}:{quote(value)}")
                child.setToolTip(0, f"{value}: {words.count(n, 'article')} in the current search. {HOW}")
                if not n:
                    child.setFlags(Qt.ItemFlag.NoItemFlags)
                group.addChild(child)
            label = group.text(0).split("  (")[0]
            if key == "dup":  # how many groups the search shows, not how many values
                n = len(counts.get("dup groups", ()))
                group.setText(0, f"{label}  ({words.count(n, 'group')})")
                group.setToolTip(0, f"{words.count(n, 'group')} of articles telling the same story in the current "
                                 "search; click yes to list them (dup:yes)")  # fmt: skip
                group.setHidden(not count.get("yes"))
                continue
            group.setText(0, f"{label}  ({len(count):,})")
            group.setHidden(key == "git" and not count)
        self.setUpdatesEnabled(True)

    def show_views(self, rows: list[tuple[str, int | None, str, str]]) -> None:
        """The saved views: (name, count or None, the query's error, query); the first nine
        with their Alt+N key. A view whose query no longer parses shows its error. The same
        rows again change nothing (the counts are made again after every edit)."""
        if rows == self.shown_views:
            return
        self.shown_views = list(rows)
        self.views.takeChildren()
        for n, (name, count, error, query) in enumerate(rows, 1):
            key = f" (Alt+{n})" if n < 10 else ""
            shown = f"{name}  ⚠ cannot apply: {error}" if error else f"{name}  ({count:,})"
            child = QTreeWidgetItem([shown])
            child.setData(0, VIEW, name)
            said = error or words.count(count or 0, "article")
            child.setToolTip(0, f"{name}{key}: {query or '(every article)'}\n{said}")
            if error:
                child.setForeground(0, self.palette().placeholderText())
            self.views.addChild(child)
        self.views.setText(0, f"Views  ({len(rows)})")
        self.views.setHidden(not rows)

    def _view_menu(self, pos) -> None:
        item = self.itemAt(pos)
        name = item.data(0, VIEW) if item is not None else None
        if not name:
            return
        menu = QMenu(self)
        menu.addAction("Apply", lambda: self.view_activated.emit(name))
        menu.addAction("Edit Query…", lambda: self.view_edit_requested.emit(name))
        menu.addAction("Rename…", lambda: self.view_rename_requested.emit(name))
        menu.addAction("Delete", lambda: self.view_delete_requested.emit(name))
        menu.exec(self.viewport().mapToGlobal(pos))

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        if name := item.data(0, VIEW):
            self.view_activated.emit(name)
            return
        term = item.data(0, Qt.ItemDataRole.UserRole)
        if term:
            self._clicked = True
            exclude = QApplication.keyboardModifiers() & (EXCLUDE_MODIFIERS)
            self.term_activated.emit(f"-{term}" if exclude else term)
