"""Names for assistive technology: what a screen reader says of a control (AT-SPI on Linux, UI
Automation on Windows, NSAccessibility on macOS are all fed from Qt's QAccessible).

Buttons, check boxes and labelled fields are named by their text or their label; text fields
(a placeholder is not a name), lists and the buttons Qt puts inside text fields are not, so
they are named here. tests/ui/test_accessibility.py walks the window and fails on a control
without a name.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

#: The object name Qt gives the clear button's action of a QLineEdit (setClearButtonEnabled).
CLEAR_ACTION = "_q_qlineeditclearaction"


def name(widget: QWidget, text: str, description: str = "") -> QWidget:
    """Name `widget` (and say how to use it, where its name is not enough)."""
    widget.setAccessibleName(text)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def name_clear_buttons(root: QWidget) -> None:
    """The clear buttons inside text fields under `root`: "Clear", not a nameless button."""
    fields = [root, *root.findChildren(QLineEdit)] if isinstance(root, QLineEdit) else root.findChildren(QLineEdit)
    for field in fields:
        action = field.findChild(QAction, CLEAR_ACTION)
        if action is not None and not action.text():
            action.setText("Clear")
            action.setToolTip("Clear the field")


def name_window(window) -> None:
    """The main window's controls that their text or label leaves unnamed, where the panels
    themselves do not name them; then every clear button in its fields."""
    name(window.topics_panel.filter, "Filter topics", "Type part of a topic's name to list only those topics")
    name(
        window.topics_panel.tree, "Topics",
        "Every topic with its number of articles, whether the site declares it, and its likely variants. "
        "Enter on a topic lists its articles.",
    )  # fmt: skip
    name(window.changes.tree, "Unsaved changes", "Each article, and each of its fields as on disk and after the save")
    name(window.changes.diff, "Lines Save will write")
    name(window.preview, "Preview", "The current article: its values, links and text")
    name_clear_buttons(window)
