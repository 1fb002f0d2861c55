"""Triage: one article at a time, large, and a key for each decision.

The panel shows the article (the preview's rendering: picture, title, provider, date,
quality, topics, excerpt, the link to the original), the topics the taxonomy suggests, a
counter, and a button for each key with the key on it. It decides nothing itself: each key
is a signal the triage controller (mainwindow/triage.py) turns into an ordinary edit. Q and
T open a line under the article to type the quality or a topic (with completion); Return
applies it, Escape closes it.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .preview import PreviewPane

#: (signal argument, text, key shown, keys taken): the buttons, in their order.
BUTTONS = (
    ("publish", "Publish", "P", (Qt.Key.Key_P,)),
    ("unpublish", "Unpublish", "U", (Qt.Key.Key_U,)),
    ("previous", "Previous", "K / ←", (Qt.Key.Key_K, Qt.Key.Key_Left)),
    ("next", "Next", "J / →", (Qt.Key.Key_J, Qt.Key.Key_Right)),
    ("quality", "Quality…", "Q", (Qt.Key.Key_Q,)),
    ("topic", "Add topic…", "T", (Qt.Key.Key_T,)),
    ("undo", "Undo", "Ctrl+Z", ()),  # the window's Undo action has Ctrl+Z
    ("leave", "Leave", "Esc", (Qt.Key.Key_Escape,)),
)


class TriagePanel(QWidget):
    #: "publish", "unpublish", "previous", "next", "undo" or "leave"
    command = Signal(str)
    quality_entered = Signal(int)
    topic_entered = Signal(str)

    def __init__(self, large, small, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("triage")
        self.counter = QLabel()
        self.counter.setObjectName("triage-counter")
        font = self.counter.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.counter.setFont(font)
        self.counter.setAccessibleName("Triage progress")
        self.preview = PreviewPane(large, small)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys are the panel's
        self.suggested = QLabel()
        self.suggested.setWordWrap(True)
        self.suggested.setTextFormat(Qt.TextFormat.PlainText)  # topics are untrusted text
        self.ask_label = QLabel()
        self.ask = QLineEdit()
        self.ask.setClearButtonEnabled(True)
        self.completion = QStringListModel(self)
        self.completer = QCompleter(self.completion, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.asking = ""  # "quality", "topic" or "" (the line is hidden)
        self.ask.returnPressed.connect(self._answered)
        ask_row = QHBoxLayout()
        ask_row.addWidget(self.ask_label)
        ask_row.addWidget(self.ask, 1)
        self.ask_holder = QWidget()
        self.ask_holder.setLayout(ask_row)
        self.ask_holder.hide()
        self.buttons: dict[str, QPushButton] = {}
        self.keys: dict[int, str] = {}
        grid = QGridLayout()
        for i, (name, text, shown, keys) in enumerate(BUTTONS):
            button = QPushButton(f"{text}   [{shown}]")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{text} ({shown})")
            button.clicked.connect(lambda checked=False, name=name: self.press(name))
            self.buttons[name] = button
            grid.addWidget(button, i // 4, i % 4)
            self.keys.update(dict.fromkeys(keys, name))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.counter)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.suggested)
        layout.addWidget(self.ask_holder)
        layout.addLayout(grid)

    def show_article(self, summary, details, dirty: bool, counter: str, suggested: list[str]) -> None:
        self.counter.setText(counter)
        if summary is None:
            self.preview.show_empty("Nothing to triage: the list is empty.")
        else:
            self.preview.show_article(summary, details, dirty)
        self.suggested.setText(f"Suggested topics: {', '.join(suggested)}" if suggested else "")
        self.suggested.setVisible(bool(suggested))

    def set_topic_choices(self, topics: list[str]) -> None:
        self.completion.setStringList(topics)

    def press(self, name: str) -> None:
        if name == "quality":
            self.open_ask("quality", "Quality (0–100), Return:")
        elif name == "topic":
            self.open_ask("topic", "Topic to add, Return:")
        else:
            self.close_ask()
            self.command.emit(name)

    def open_ask(self, what: str, label: str) -> None:
        self.asking = what
        self.ask_label.setText(label)
        self.ask.clear()
        self.ask.setValidator(QIntValidator(0, 100, self.ask) if what == "quality" else None)
        self.ask.setCompleter(self.completer if what == "topic" else None)
        self.ask_holder.show()
        self.ask.setFocus()

    def close_ask(self) -> None:
        if self.asking:
            self.asking = ""
            self.ask_holder.hide()
            self.setFocus()

    def _answered(self) -> None:
        what, text = self.asking, self.ask.text().strip()
        self.close_ask()
        if not text:
            return
        if what == "quality" and text.isdigit():
            self.quality_entered.emit(int(text))
        elif what == "topic":
            self.topic_entered.emit(text)

    def keyPressEvent(self, event) -> None:
        if self.asking and event.key() == Qt.Key.Key_Escape:
            self.close_ask()
            return
        name = self.keys.get(event.key())
        if name is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.press(name)
            return
        super().keyPressEvent(event)
