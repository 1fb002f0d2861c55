"""The only place that shows message boxes and the conflict dialog: the window's Prompts."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ... import __version__
from ..conflicts import ConflictDialog
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
        return {path: ConflictChoice(choice) for path, choice in dialog.choices.items()}

    def unsaved_changes(self, count: int, doing: str) -> UnsavedAnswer:
        text = f"{count:,} {'article has' if count == 1 else 'articles have'} unsaved changes. Save before you {doing}?"
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
        topic, ok = QInputDialog.getItem(self.parent, title, label, choices, 0, editable)
        topic = " ".join(topic.split())
        return topic if ok and topic else None

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
