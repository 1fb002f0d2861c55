"""The only place that shows message boxes and dialogs: the window's Prompts, and the dialog
that asks what to do with files that changed on disk since they were loaded."""

from __future__ import annotations

import html
import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ...core import words
from .messages import ConflictChoice, UnsavedAnswer

Button = QMessageBox.StandardButton


class DialogPrompts:
    """Asks with dialogs over `parent` (see messages.Prompts)."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def batch_box(self, text: str, count: int) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Change many articles?", f"{text}?", parent=self.parent)
        box.setInformativeText(f"This changes {count:,} files when you save. You can undo it with Edit › Undo.")
        box.setStandardButtons(Button.Yes | Button.Cancel)
        box.setDefaultButton(Button.Yes)
        box.button(Button.Yes).setText(text)
        return box

    def confirm_batch(self, text: str, count: int) -> bool:
        return self.batch_box(text, count).exec() == Button.Yes

    def resolve_conflicts(self, paths: list[str]) -> dict[str, ConflictChoice]:
        dialog = ConflictDialog(paths, self.parent)
        dialog.exec()
        return dict(dialog.choices)

    def unsaved_changes(self, count: int, doing: str) -> UnsavedAnswer:
        text = f"{words.count(count, 'article has')} unsaved changes. Save before you {doing}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", text, parent=self.parent)
        box.setStandardButtons(Button.Save | Button.Discard | Button.Cancel)
        box.setDefaultButton(Button.Save)
        answer = box.exec()
        return {Button.Save: UnsavedAnswer.SAVE, Button.Discard: UnsavedAnswer.DISCARD}.get(
            answer, UnsavedAnswer.CANCEL
        )

    def show_failures(self, text: str, details: list[str]) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Some files were not saved", text, parent=self.parent)
        box.setDetailedText("\n".join(details))
        box.exec()

    def show_error(self, text: str, detail: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, "Curator", text, parent=self.parent)
        if detail:
            box.setDetailedText(detail)
        box.exec()

    def ask_topic(self, title: str, label: str, choices: list[str], editable: bool) -> str | None:
        """A topic: picked from `choices`, or typed when `editable` (then the box starts empty,
        so Enter never adds the first topic of the list by accident)."""
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setComboBoxItems(choices)
        dialog.setComboBoxEditable(editable)
        if editable:
            dialog.setTextValue("")
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        topic = " ".join(dialog.textValue().split())
        return topic if ok and topic else None

    def confirm_new_topic(self, topic: str, similar: list[str]) -> bool:
        """A topic no article and no taxonomy file has yet: asked once, No is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, "New topic?", f"“{topic}” is a new topic.", parent=self.parent)
        hint = f" Did you mean {', '.join(f'“{t}”' for t in similar)}?" if similar else ""
        box.setInformativeText(f"No article in this folder and no topic of the site has it yet.{hint}")
        box.setStandardButtons(Button.Yes | Button.No)
        box.setDefaultButton(Button.No)
        box.button(Button.Yes).setText(f"Add “{topic}”")
        return box.exec() == Button.Yes

    def show_shortcuts(self, rows: list[tuple[str, str]]) -> None:
        cells = "".join(
            f"<tr><td>{html.escape(what)}</td><td><b>{html.escape(keys)}</b></td></tr>" for what, keys in rows
        )
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard Shortcuts", "", parent=self.parent)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table cellspacing='6'>{cells}</table>")
        box.exec()

    def ask_quality(self, start: int) -> int | None:
        value, ok = QInputDialog.getInt(
            self.parent, "Set Quality", "Quality of the selected articles:", start, -(2**31), 2**31 - 1
        )
        return value if ok else None

    def about(self) -> None:
        QMessageBox.about(
            self.parent, "About Curator",
            f"Curator {__version__}\n\nReview and curate folders of front-matter articles.\n\n"
            f"Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {platform.python_version()}",
        )  # fmt: skip


CHOICES = (
    (ConflictChoice.RELOAD, "Reload", "Drop my edit and show the file as it is now"),
    (ConflictChoice.OVERWRITE, "Overwrite", "Apply my edit to the new text; other changes in the file are kept"),
    (ConflictChoice.SKIP, "Skip", "Keep my edit unsaved for now"),
)


class ConflictDialog(QDialog):
    """One row per file with Reload / Overwrite / Skip; `choices` holds the answers."""

    def __init__(self, paths: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Files changed on disk")
        self.choices: dict[str, ConflictChoice] = dict.fromkeys(paths, ConflictChoice.SKIP)
        intro = QLabel(
            f"{words.count(len(paths), 'file')} changed on disk after Curator loaded them, so your edits "
            "were not written. Choose for each file:"
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

    def choose_all(self, key: ConflictChoice) -> None:
        index = [k for k, _, _ in CHOICES].index(key)
        for group in self.groups.values():
            group.buttons()[index].setChecked(True)
        for path in self.choices:
            self.choices[path] = key
