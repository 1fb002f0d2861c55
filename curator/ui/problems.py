"""The Problems panel: files that failed to load or hold values of the wrong type."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.folder.library import Problem, Severity
from . import accessible, style
from .icons import icon

ICONS = {
    Severity.ERROR: ("fa5s.times-circle", "#c62828"),
    Severity.WARNING: ("fa5s.exclamation-triangle", "#e69500"),
    Severity.EXCLUDED: ("fa5s.info-circle", "#607d8b"),  # not content by the site's profile
}

#: What a file in conflict after a pull shows, and what to do about it.
CONFLICT = (
    "git: conflict: keep the lines you want, delete the <<<<<<<, ======= and >>>>>>> lines and save; "
    "then `git add` the file in a terminal"
)


class ProblemsPanel(QTreeWidget):
    #: relative path of the file to reveal
    reveal_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels(["File", "Line", "Problem"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSortingEnabled(True)
        style.use(self.header())  # ▼ when sorted descending
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(self._activated)
        accessible.name(
            self, "Problems", "Files that could not be read, and values of the wrong type; Enter shows the article"
        )
        self.problems: list[Problem] = []
        self.conflicts: frozenset[str] = frozenset()  # files git left in conflict (a pull)

    def set_conflicts(self, paths: Iterable[str]) -> None:
        """Files git left in conflict: an unreadable one (its front matter holds git's conflict
        lines) is listed as `git: conflict` with what to do."""
        conflicts = frozenset(paths)
        if conflicts != self.conflicts:
            self.conflicts = conflicts
            self.set_problems(self.problems)

    def set_problems(self, problems: Iterable[Problem]) -> None:
        self.problems = [p for p in problems if p.severity in ICONS]
        self.clear()
        items = []
        for p in self.problems:
            message = f"{CONFLICT} ({p.message})" if p.path in self.conflicts else p.message
            item = QTreeWidgetItem([p.path, str(p.line or ""), message])
            name, color = ICONS[p.severity]
            item.setIcon(0, icon(name, color))
            item.setData(0, Qt.ItemDataRole.UserRole, p.path)
            item.setToolTip(2, message)
            items.append(item)
        self.addTopLevelItems(items)
        self.resizeColumnToContents(0)

    def counts(self) -> tuple[int, int]:
        """Unreadable files and values of the wrong type (what the profile leaves out is listed, not counted)."""
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        return errors, sum(p.severity is Severity.WARNING for p in self.problems)

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        self.reveal_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))
