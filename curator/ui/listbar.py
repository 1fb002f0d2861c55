"""The bar above the list: the filters in force as removable chips, and the sort (field and
direction), shared by the cards and the table, so the current order is always in sight.

Signals: clause_removed(str clause), sort_requested(str field, bool descending).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from .icons import icon
from .model import COLUMNS, HEADERS, SORTABLE

#: Chips shown at most (a long search shows the rest as "+N").
MOST_CHIPS = 8
CHIP_STYLE = (
    "QToolButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px;"
    " background: palette(alternate-base); color: palette(text); }"
    "QToolButton:hover { border-color: palette(highlight); }"
)
#: What the direction button says for each field: (ascending, descending).
DIRECTION_WORDS = {
    "date": ("Oldest first", "Newest first"),
    "quality": ("Lowest first", "Highest first"),
    "heat": ("Coolest first", "Hottest first"),
    "published": ("Unpublished first", "Published first"),
}


class ListBar(QWidget):
    clause_removed = Signal(str)
    sort_requested = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.descending = True
        self.chips: list[QToolButton] = []
        self.chip_row = QHBoxLayout()
        self.chip_row.setContentsMargins(0, 0, 0, 0)
        self.chip_row.setSpacing(4)
        self.field = QComboBox()
        self.field.setToolTip("Sort the list by")
        for field, header in zip(COLUMNS, HEADERS, strict=True):
            if field in SORTABLE:
                self.field.addItem(header, field)
        self.direction = QToolButton()
        self.direction.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.direction.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addLayout(self.chip_row)
        layout.addStretch(1)
        sort_label = QLabel("Sort:")
        sort_label.setBuddy(self.field)
        layout.addWidget(sort_label)
        layout.addWidget(self.field)
        layout.addWidget(self.direction)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # not in the Tab chain: Tab from the search box goes to the list (with the arrow keys a
        # focused combo box would change the sort instead of moving in the list)
        for widget in (self.field, self.direction):
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.field.activated.connect(lambda _: self.sort_requested.emit(self.field.currentData(), self.descending))
        self.direction.clicked.connect(lambda: self.sort_requested.emit(self.field.currentData(), not self.descending))
        self.show_sort("date", True)

    def show_sort(self, field: str, descending: bool) -> None:
        self.descending = descending
        self.field.setCurrentIndex(max(0, SORTABLE.index(field) if field in SORTABLE else 0))
        words = DIRECTION_WORDS.get(field, ("A to Z", "Z to A"))
        self.direction.setText(words[descending])
        self.direction.setIcon(icon("fa5s.sort-amount-down" if descending else "fa5s.sort-amount-up-alt"))
        self.direction.setToolTip(f"Sorted {'descending' if descending else 'ascending'}: click to reverse")

    def show_clauses(self, clauses: list[str]) -> None:
        """A chip per filter in force; clicking one removes that filter from the search."""
        for chip in self.chips:
            chip.deleteLater()
        self.chips = []
        for clause in clauses[:MOST_CHIPS]:
            chip = QToolButton()
            chip.setText(f"{_short(clause)}  ✕")
            chip.setToolTip(f"Filtering by {clause}: click to remove this filter")
            chip.setStyleSheet(CHIP_STYLE)
            chip.setAccessibleName(f"Remove filter {clause}")
            chip.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            chip.clicked.connect(lambda checked=False, c=clause: self.clause_removed.emit(c))
            self.chip_row.addWidget(chip)
            self.chips.append(chip)
        if len(clauses) > MOST_CHIPS:
            more = QToolButton()
            more.setText(f"+{len(clauses) - MOST_CHIPS}")
            more.setEnabled(False)
            more.setStyleSheet(CHIP_STYLE)
            self.chip_row.addWidget(more)
            self.chips.append(more)


def _short(clause: str, most: int = 40) -> str:
    return clause if len(clause) <= most else clause[: most - 1] + "…"
