"""The only place that shows message boxes and dialogs: the window's Prompts, and the dialog
that asks what to do with files that changed on disk since they were loaded."""

from __future__ import annotations

import html
import platform
from collections.abc import Callable, Mapping
from typing import Any

import PySide6
from PySide6.QtCore import Qt, QTimer, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import README_URL, __version__
from ...core import words
from ...core.folder.fields import FieldEdit, FieldError, FieldPlan
from ...core.folder.review import Preview
from ...core.team.git import PullWay
from .. import style
from ..diffview import DiffView
from ..editor import QUALITY_MAX, QUALITY_MIN
from ..fieldedit import FieldDialog, FieldsDialog
from ..preferences import PreferencesDialog
from .messages import ConflictChoice, UnsavedAnswer

Button = QMessageBox.StandardButton
#: The Pull dialog's button for each way (the way's own words say it in full above them).
PULL_BUTTONS = {
    PullWay.FAST_FORWARD: "Pull",
    PullWay.COMMIT_FIRST: "Commit First…",
    PullWay.STASH: "Put Aside, Pull, Put Back",
    PullWay.REBASE: "Pull With Rebase",
}


class DialogPrompts:
    """Asks with dialogs over `parent` (see messages.Prompts)."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def change_box(self, title: str, text: str, detail: str) -> QMessageBox:
        """A question before a change over many articles; its Yes button says what it does."""
        box = QMessageBox(QMessageBox.Icon.Question, title, f"{text}?", parent=self.parent)
        box.setInformativeText(f"{detail} You can undo it with Edit › Undo.")
        box.setStandardButtons(Button.Yes | Button.Cancel)
        box.setDefaultButton(Button.Yes)
        box.button(Button.Yes).setText(text)
        return box

    def batch_box(self, text: str, count: int) -> QMessageBox:
        return self.change_box(
            "Change many articles?", text, f"This changes {words.count(count, 'file')} when you save."
        )

    def confirm_batch(self, text: str, count: int) -> bool:
        return self.batch_box(text, count).exec() == Button.Yes

    def ask_commit(
        self, files: list[tuple[str, str, bool]], message_for: Callable[[list[str]], str]
    ) -> tuple[list[str], str] | None:
        dialog = CommitDialog(files, message_for, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen(), dialog.message.toPlainText().strip()

    def ask_pull(self, text: str, ways: list[PullWay]) -> PullWay | None:
        """What git can do with local work that stands in the way of a pull: one button each,
        said in full above them; Cancel (and Escape) pulls nothing."""
        lines = [text, *(f"• {way.value}" for way in ways)]
        box = QMessageBox(QMessageBox.Icon.Question, "Pull", "\n".join(lines), parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        buttons = {box.addButton(PULL_BUTTONS[way], QMessageBox.ButtonRole.AcceptRole): way for way in ways}
        box.setDefaultButton(next(iter(buttons)))
        box.setEscapeButton(box.addButton(Button.Cancel))
        box.exec()
        return buttons.get(box.clickedButton())

    def confirm_change(self, text: str, detail: str) -> bool:
        """A change over many articles (rename, merge or delete a topic), said before it is made."""
        return self.change_box("Change the articles?", text, detail).exec() == Button.Yes

    def resolve_conflicts(self, paths: list[str], previews: dict[str, Preview]) -> dict[str, ConflictChoice]:
        dialog = ConflictDialog(paths, previews, self.parent)
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

    def ask_topic(self, title: str, label: str, choices: list[str], editable: bool, start: str = "") -> str | None:
        """A topic: picked from `choices`, or typed when `editable` (then the box starts with
        `start`, selected, or empty, so Enter never adds the first topic of the list by accident).
        No choices: a plain text box (a combo box would turn "Ai" into its item "AI" on Enter)."""
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        if choices:
            dialog.setComboBoxItems(choices)
            dialog.setComboBoxEditable(editable)
        if editable:
            dialog.setTextValue(start)
            box = dialog.findChild(QComboBox)
            line = box.lineEdit() if box is not None else dialog.findChild(QLineEdit)
            if line is not None:  # typing replaces it, arrows edit it
                QTimer.singleShot(0, line.selectAll)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        topic = " ".join(dialog.textValue().split())
        return topic if ok and topic else None

    def confirm_new_topic(self, topic: str, similar: list[str]) -> bool:
        """A topic no article and no taxonomy file has yet: asked once; Return adds it (the
        editor typed it and pressed Return already), No leaves it out (and says so)."""
        box = QMessageBox(QMessageBox.Icon.Question, "New topic?", f"“{topic}” is a new topic.", parent=self.parent)
        hint = f" Did you mean {', '.join(f'“{t}”' for t in similar)}?" if similar else ""
        box.setInformativeText(f"No article in this folder and no topic of the site has it yet.{hint}")
        box.setStandardButtons(Button.Yes | Button.No)
        box.setDefaultButton(Button.Yes)
        box.button(Button.Yes).setText(f"Add “{topic}”")
        return box.exec() == Button.Yes

    def ask_merge_entry(self, text: str, detail: str, entries: list[str], target: str) -> bool | None:
        """A merge whose old topics have taxonomy entries: keep their names as aliases of the
        target (the default), remove them, or cancel (None)."""
        box = self.change_box("Change the articles?", text, detail)
        names = ", ".join(f"“{n}”" for n in entries)
        box.setText(f"{text}?\n\nThe site's taxonomy has an entry for {names}: it is removed. Keep "
                    f"{'its name' if len(entries) == 1 else 'their names'} as another name of “{target}”?")  # fmt: skip
        box.setStandardButtons(Button.Yes | Button.No | Button.Cancel)
        box.button(Button.Yes).setText("Merge, Keep as Alias")
        box.button(Button.No).setText("Merge, Remove Entry")
        box.setDefaultButton(Button.Yes)
        answer = box.exec()
        return {Button.Yes: True, Button.No: False}.get(answer)

    def show_shortcuts(self, rows: list[tuple[str, str]]) -> None:
        cells = "".join(
            f"<tr><td>{html.escape(what)}</td><td><b>{html.escape(keys)}</b></td></tr>" for what, keys in rows
        )
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard Shortcuts", "", parent=self.parent)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table cellspacing='6'>{cells}</table>")
        box.exec()

    def edit_field(
        self, keys: list[str], values: Callable[[str], Mapping[str, Any]], count: int, key: str = "",
        check: Callable[[str, FieldEdit], FieldPlan] | None = None,
    ) -> tuple[str, FieldEdit] | None:  # fmt: skip
        dialog = FieldDialog(keys, values, count, key, self.parent, check)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                return dialog.chosen()
            except FieldError as exc:  # the preview said so too; the dialog stays open
                self.show_error(str(exc))
        return None

    def pick_fields(self, counts: list[tuple[str, int]], shown: list[str]) -> list[str] | None:
        dialog = FieldsDialog(counts, shown, self.parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_quality(self, start: int) -> int | None:
        start = start if QUALITY_MIN <= start <= QUALITY_MAX else QUALITY_MIN
        value, ok = QInputDialog.getInt(
            self.parent, "Set Quality", f"Quality of the selected articles ({QUALITY_MIN} to {QUALITY_MAX:,}):",
            start, QUALITY_MIN, QUALITY_MAX,
        )  # fmt: skip
        return value if ok else None

    def about_box(self) -> QMessageBox:
        """The version, where the user's guide is (the README, also for the keys), and the libraries."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, "About Curator", "", parent=self.parent)
        box.setTextFormat(Qt.TextFormat.RichText)  # (only our own words and numbers, escaped)
        box.setText(
            f"<h3>Curator {html.escape(__version__)}</h3><p>Review and curate folders of front-matter articles.</p>"
            f"<p>The user's guide: <a href='{html.escape(README_URL)}'>{html.escape(README_URL)}</a><br>"
            "Every key: Help › Keyboard Shortcuts.</p>"
            f"<p><small>Qt {html.escape(qVersion())}, PySide6 {html.escape(PySide6.__version__)}, "
            f"Python {html.escape(platform.python_version())}</small></p>"
        )
        box.setIconPixmap(QApplication.windowIcon().pixmap(64, 64))
        return box

    def about(self) -> None:
        self.about_box().exec()

    def preferences(self, values: dict[str, Any]) -> dict[str, Any] | None:
        dialog = PreferencesDialog(values, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


CHOICES = (
    (ConflictChoice.RELOAD, "Reload", "Drop my edit and show the file as it is now"),
    (ConflictChoice.OVERWRITE, "Overwrite", "Apply my edit to the new text; other changes in the file are kept"),
    (ConflictChoice.SKIP, "Skip", "Keep my edit unsaved for now"),
)


class ConflictDialog(QDialog):
    """The files that changed on disk, each with what changed there and the diff Overwrite would
    write; a choice per file (Reload / Overwrite / Skip, Skip unless changed). `choices` holds
    the answers."""

    def __init__(self, paths: list[str], previews: dict[str, Preview] | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Files changed on disk")
        self.previews = previews or {}
        self.choices: dict[str, ConflictChoice] = dict.fromkeys(paths, ConflictChoice.SKIP)
        intro = QLabel(
            f"{words.count(len(paths), 'file')} changed on disk after Curator loaded them, so your edits "
            "were not written. Pick a file to see what changed, then choose what to do with it:"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.files = QTreeWidget()
        self.files.setAccessibleName("Files changed on disk")
        self.files.setHeaderLabels(["File", "Choice"])
        self.files.setRootIsDecorated(False)
        self.files.setUniformRowHeights(True)
        self.files.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # long paths: their start and end show
        self.files.header().setStretchLastSection(False)
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for path in paths:
            item = QTreeWidgetItem(self.files, [path, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, path)
            item.setToolTip(0, path)
        self.diff = DiffView()
        self.diff.setAccessibleName("What changed on disk, and what Overwrite would write")
        self.group = QButtonGroup(self)
        choice_row = QHBoxLayout()
        choice_row.addWidget(QLabel("This file:"))
        for key, text, tip in CHOICES:
            button = QRadioButton(text)
            style.use(button)  # (its circle shows on a dark palette too)
            button.setToolTip(tip)
            self.group.addButton(button)
            button.toggled.connect(lambda on, k=key: on and self._choose(self._selected(), k))
            choice_row.addWidget(button)
        choice_row.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.diff, 1)
        right_layout.addLayout(choice_row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.files)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([300, 640])
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
        layout.addWidget(split, 1)
        layout.addWidget(all_row)
        layout.addWidget(buttons)
        self.files.currentItemChanged.connect(lambda item, _: self._show(item))
        self._label_all()
        self.files.setCurrentItem(self.files.topLevelItem(0))
        self.resize(980, 560)

    def _selected(self) -> str | None:
        item = self.files.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def _label_all(self) -> None:
        names = {key: text for key, text, _ in CHOICES}
        for i in range(self.files.topLevelItemCount()):
            item = self.files.topLevelItem(i)
            item.setText(1, names[self.choices[item.data(0, Qt.ItemDataRole.UserRole)]])

    def _show(self, item: QTreeWidgetItem | None) -> None:
        path = None if item is None else item.data(0, Qt.ItemDataRole.UserRole)
        if path is None:
            self.diff.setPlainText("")
            return
        self.diff.show_text(conflict_text(path, self.previews.get(path)))
        index = [k for k, _, _ in CHOICES].index(self.choices[path])
        self.group.buttons()[index].setChecked(True)

    def _choose(self, path: str | None, key: ConflictChoice) -> None:
        if path is not None and self.choices.get(path) is not key:
            self.choices[path] = key
            self._label_all()

    def choose_all(self, key: ConflictChoice) -> None:
        for path in self.choices:
            self.choices[path] = key
        self._label_all()
        self._show(self.files.currentItem())


def conflict_text(path: str, preview: Preview | None) -> str:
    """What the dialog shows for one file: what changed on disk, and what Overwrite would write."""
    if preview is None:
        return f"{path}\n\n(Not shown: only the first files' differences are read.)"
    return f"{path}\n\n{preview.as_text()}"


class CommitDialog(QDialog):
    """The changed article and site files (state, path), the articles saved this session and the
    site files checked (Check All and Uncheck All for the rest: after a restart no article is),
    and a message that must not be empty:
    `message_for(checked paths)`, made again as the checks change until the editor types in it."""

    def __init__(self, files: list[tuple[str, str, bool]], message_for: Callable[[list[str]], str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Commit")
        self.files = QTreeWidget()
        self.files.setHeaderLabels(["File", "Change"])
        self.files.setRootIsDecorated(False)
        self.files.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.files.header().setStretchLastSection(False)
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        style.use(self.files)  # (its check boxes show on a dark palette too)
        for path, state, checked in files:
            item = QTreeWidgetItem(self.files, [path, state])
            item.setToolTip(0, path)
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.files.setAccessibleName("Files to commit")
        self.message = QPlainTextEdit()
        self.message.setAccessibleName("Commit message")
        self.message.setPlaceholderText("What changed and why (required)")
        self.message_for = message_for
        self.made = message_for(self.chosen())  # the message as made, not (yet) typed over
        self.message.setPlainText(self.made)
        self.message.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Commit")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for text, state in (("Check All", Qt.CheckState.Checked), ("Uncheck All", Qt.CheckState.Unchecked)):
            button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ResetRole)
            button.clicked.connect(lambda _=False, s=state: self.check_all(s))
        intro = QLabel("Only the checked files are committed (git add -A is never used). Push is a separate step.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.files, 1)
        layout.addWidget(QLabel("Message"))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.message.textChanged.connect(self._enable)
        self.files.itemChanged.connect(self._remake)
        self._enable()
        self.resize(760, 480)

    def chosen(self) -> list[str]:
        items = [self.files.topLevelItem(i) for i in range(self.files.topLevelItemCount())]
        return [item.text(0) for item in items if item.checkState(0) == Qt.CheckState.Checked]

    def check_all(self, state: Qt.CheckState) -> None:
        self.files.blockSignals(True)  # the message is made once, not once per file
        for i in range(self.files.topLevelItemCount()):
            self.files.topLevelItem(i).setCheckState(0, state)
        self.files.blockSignals(False)
        self._remake()

    def _remake(self, *_) -> None:
        """The checks changed: a message the editor has not typed over follows them."""
        if self.message.toPlainText() == self.made:
            self.made = self.message_for(self.chosen())
            self.message.setPlainText(self.made)
        self._enable()

    def _enable(self, *_) -> None:
        ok = bool(self.message.toPlainText().strip()) and bool(self.chosen())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
