"""Asking the editor what to do with files that changed on disk since they were loaded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

CHOICES = (
    ("reload", "Reload", "Drop my edit and show the file as it is now"),
    ("overwrite", "Overwrite", "Apply my edit to the new text; other changes in the file are kept"),
    ("skip", "Skip", "Keep my edit unsaved for now"),
)


class ConflictDialog(QDialog):
    """One row per file with Reload / Overwrite / Skip; `choices` holds the answers."""

    def __init__(self, paths: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Files changed on disk")
        self.choices: dict[str, str] = {p: "skip" for p in paths}
        intro = QLabel(
            f"{len(paths):,} files changed on disk after Curator loaded them, so your edits were not written. "
            "Choose for each file:"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout()
        self.groups: dict[str, QButtonGroup] = {}
        for i, path in enumerate(paths[:500]):
            label = QLabel(path)
            label.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(label, i, 0)
            group = QButtonGroup(self)
            for j, (key, text, tip) in enumerate(CHOICES):
                button = QRadioButton(text)
                button.setToolTip(tip)
                button.setChecked(key == "skip")
                button.toggled.connect(lambda on, p=path, k=key: on and self.choices.__setitem__(p, k))
                group.addButton(button)
                grid.addWidget(button, i, j + 1)
            self.groups[path] = group
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        all_row = QDialogButtonBox()
        for key, text, tip in CHOICES:
            button = QPushButton(f"{text} All")
            button.setToolTip(tip)
            button.clicked.connect(lambda checked=False, k=key: self.choose_all(k))
            all_row.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(all_row)
        layout.addWidget(buttons)
        self.resize(760, min(520, 160 + 30 * len(paths)))

    def choose_all(self, key: str) -> None:
        index = [k for k, _, _ in CHOICES].index(key)
        for group in self.groups.values():
            group.buttons()[index].setChecked(True)
        for path in self.choices:
            self.choices[path] = key
