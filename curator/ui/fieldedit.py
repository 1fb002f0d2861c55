"""Edit field…: one key of the selected articles set, added to, removed from, cleared, or found
and replaced by a regular expression, with a preview of every value that changes and of what
the selection holds now; and the column chooser's list of the folder's keys.

The dialogs read nothing themselves: they are given the keys, a function that returns the
selection's current values of a key (read once, in a worker, before they open), and the
function that plans an edit as Apply will (`check(key, edit)`, the window's Workspace.plan_field
with its checks of the field's kind): the preview shows what Apply changes and, first, what it
refuses and why, and Apply stays disabled while nothing valid would change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import words
from ..core.folder import fields
from ..core.folder.fields import FieldEdit, FieldError, Op, parse_value
from . import style

#: Rows the preview lists; the rest are counted.
PREVIEW_ROWS = 500


class FieldDialog(QDialog):
    """Choose a key and an edit; the preview follows every keystroke."""

    def __init__(
        self, keys: Sequence[str], values: Callable[[str], Mapping[str, Any]], count: int,
        key: str = "", parent: QWidget | None = None,
        check: Callable[[str, FieldEdit], fields.FieldPlan] | None = None,
    ):  # fmt: skip
        super().__init__(parent)
        self.values_of = values
        # what Apply will do (without a window: the edit's own rules on the values)
        self.check = check or (lambda k, edit: fields.plan(values(k), edit, k))
        self.setWindowTitle("Edit Field")
        self.resize(720, 520)
        self.key = QComboBox(editable=True)
        self.key.addItems(list(keys))
        # no field is chosen until the editor chooses one: a stray Enter must apply nothing
        self.key.setCurrentIndex(-1)
        self.key.setCurrentText(key)
        self.key.setToolTip("A key of the front matter; nested keys as paths, such as provider.name")
        self.op = QComboBox()
        for op in Op:
            self.op.addItem(op.value, op)
        self.value = QLineEdit(placeholderText="read as YAML: text, 3, true, [a, b]")
        self.pattern = QLineEdit(placeholderText="regular expression, e.g. (?i)power ?apps")
        self.replacement = QLineEdit(placeholderText=r"replacement; \1 for the first group")
        self.now = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.outcome = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.preview = QTreeWidget()
        self.preview.setHeaderLabels(["Article", "Now", "After"])
        self.preview.setRootIsDecorated(False)
        self.preview.setUniformRowHeights(True)
        self.preview.setColumnWidth(0, 240)
        self.preview.setColumnWidth(1, 200)
        form = QFormLayout()
        form.addRow("&Field:", self.key)
        form.addRow("&Change:", self.op)
        form.addRow("&Value:", self.value)
        form.addRow("F&ind:", self.pattern)
        form.addRow("&Replace with:", self.replacement)
        form.addRow(f"In the {words.count(count, 'selected article')}:", self.now)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Apply")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        self.form = form
        for signal in (self.key.currentTextChanged, self.value.textChanged, self.pattern.textChanged,
                       self.replacement.textChanged):  # fmt: skip
            signal.connect(self.update_preview)
        self.op.currentIndexChanged.connect(self.update_preview)
        self.update_preview()

    def chosen(self) -> tuple[str, FieldEdit]:
        """The key and the edit as the dialog stands. Raises FieldError for a value that does not read."""
        op = self.op.currentData()
        value = parse_value(self.value.text()) if op in (Op.SET, Op.ADD, Op.REMOVE) else None
        return self.key.currentText().strip(), FieldEdit(op, value, self.pattern.text(), self.replacement.text())

    def update_preview(self, *_) -> None:
        op = self.op.currentData()
        for widget, shown in ((self.value, op in (Op.SET, Op.ADD, Op.REMOVE)),
                              (self.pattern, op is Op.REPLACE), (self.replacement, op is Op.REPLACE)):  # fmt: skip
            widget.setVisible(shown)
            self.form.labelForField(widget).setVisible(shown)
        self.preview.clear()
        key = self.key.currentText().strip()
        values = self.values_of(key) if key else {}
        self.now.setText(fields.mixed(values.values()) if key else "choose a field")
        try:
            if not key:
                raise FieldError("Choose a field.")
            if op in (Op.SET, Op.ADD, Op.REMOVE) and not self.value.text().strip():
                raise FieldError("Type a value." + (" To remove the key, choose Clear." if op is Op.SET else ""))
            _, edit = self.chosen()
            if op is Op.REPLACE and not edit.pattern:
                raise FieldError("Type what to find.")
            plan = self.check(key, edit)
        except FieldError as exc:
            self.outcome.setText(str(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        parts = [words.count(len(plan.changes), "article", "changes")]
        if plan.unchanged:
            parts.append(f"{plan.unchanged:,} unchanged")
        if plan.errors:
            reasons = set(plan.errors.values())
            why = f": {next(iter(reasons))}" if len(reasons) == 1 else " (listed first, with why)"
            parts.append(f"{len(plan.errors):,} cannot take it{why}")
        self.outcome.setText("; ".join(parts) + ".")
        rows = [(path, "⚠ " + why, "not changed") for path, why in plan.errors.items()]
        rows += [(path, fields.describe(a), fields.describe(b)) for path, (a, b) in plan.changes.items()]
        for path, before, after in rows[:PREVIEW_ROWS]:
            item = QTreeWidgetItem([path, before, after])
            item.setToolTip(0, path)
            item.setToolTip(1, before)
            item.setToolTip(2, after)
            self.preview.addTopLevelItem(item)
        if len(rows) > PREVIEW_ROWS:
            self.preview.addTopLevelItem(QTreeWidgetItem([f"… and {len(rows) - PREVIEW_ROWS} more", "", ""]))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(plan.changes))


class FieldsDialog(QDialog):
    """The column chooser's other fields: every key of the folder with how many articles have it."""

    def __init__(self, counts: Sequence[tuple[str, int]], shown: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Columns for Other Fields")
        self.resize(380, 480)
        self.list = QListWidget()
        style.use(self.list)  # (its check boxes show on a dark palette too)
        for key, count in counts:
            item = QListWidgetItem(f"{key}  ({count})")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in shown else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.filter = QLineEdit(placeholderText="Filter keys", clearButtonEnabled=True)
        self.filter.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Show these keys as columns (how many articles have each):"))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        folded = text.casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(folded not in item.data(Qt.ItemDataRole.UserRole).casefold())

    def chosen(self) -> list[str]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
