"""Editing topics, quality and published for the current article or the whole selection.

The panel never changes data itself: it emits what the editor asked for, and the main window
turns that into one undoable step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from operator import attrgetter, is_

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.folder.edits import EditOp
from ..core.folder.workspace import Brief
from ..core.site.article import Summary
from . import accessible, style
from .icons import icon
from .searchbox import UndoPassThrough

#: What the quality field holds: whole numbers from 0 (negative ones are refused, with a
#: message) to the largest a spin box holds. A file's value outside it is shown as it is.
QUALITY_MIN, QUALITY_MAX = 0, 2**31 - 1
NO_QUALITY = QUALITY_MIN - 1  # the box shows "—": none, or mixed values
LIMIT = f"Quality is a whole number from {QUALITY_MIN} to {QUALITY_MAX:,}."


class QualityBox(QSpinBox):
    """A spin box that says why it refuses a value instead of ignoring the key press."""

    refused = Signal(str)

    def validate(self, text: str, pos: int):
        state = super().validate(text, pos)
        digits = text.strip().replace(",", "")
        if state[0] == QValidator.State.Invalid and digits not in ("", self.specialValueText()):
            if digits.startswith("-"):
                self.refused.emit(f"Quality cannot be negative. {LIMIT}")
            elif digits.isdigit() and int(digits) > QUALITY_MAX:
                self.refused.emit(f"Too large. {LIMIT}")
        return state


#: A selection of more articles than this shows its topic chips CHIPS_LATER_MS later: counting
#: the topics of 10,000 articles and making their chips took 11-22 ms of the turn that selected
#: them (or saved them), which also paints the list (a 10k batch publish's longest stalls).
CHIPS_LATER_OVER = 1000
#: (1 ms put them in the same pass of the event loop as the list's paint: the selection's turn
#: still took 31-49 ms with them; 40 ms later, 26-31 ms, and theirs alone 8-15 ms)
CHIPS_LATER_MS = 40

#: The tallest the chips get before they scroll.
MAX_CHIP_HEIGHT = 96


class TopicChips(QListWidget):
    """Topics as chips that wrap like words; clicking one removes that topic.

    A list view rather than a hand-written flow layout of buttons: it wraps natively, and a
    Python QLayout subclass returns None from itemAt(), which PySide mishandles on Python 3.11.
    """

    removed = Signal(str)

    def __init__(self, parent=None, add: bool = False):
        super().__init__(parent)
        self.add = add  # chips that add their topic (suggestions) rather than remove it
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            "QListWidget::item { border-radius: 9px; padding: 1px 6px; background: palette(alternate-base); }"
            "QListWidget::item:hover { background: palette(midlight); }"
        )
        self.itemClicked.connect(lambda item: self.removed.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.itemActivated.connect(lambda item: self.removed.emit(item.data(Qt.ItemDataRole.UserRole)))

    def set_topics(self, topics: Sequence[tuple[str, str]]) -> None:
        """(topic, label) pairs."""
        self.clear()
        mark = icon("fa5s.plus" if self.add else "fa5s.times")
        for topic, label in topics:
            item = QListWidgetItem(mark, label)
            item.setData(Qt.ItemDataRole.UserRole, topic)
            item.setToolTip(f"Click to {'add' if self.add else 'remove'} the topic {topic!r}")
            self.addItem(item)
        self.fit_height()

    def fit_height(self) -> None:
        """As tall as its rows of chips (up to MAX_CHIP_HEIGHT, then it scrolls): one row of chips
        leaves no blank band under it."""
        self.doItemsLayout()
        rows = self.contentsSize().height() if self.count() else 0
        self.setFixedHeight(max(8, min(MAX_CHIP_HEIGHT, rows + 2 * self.frameWidth() + 2)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_height()  # a narrower panel wraps the chips into more rows


class EditorPanel(QWidget):
    #: key, EditOp, value
    edit_requested = Signal(str, object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summaries: list[Summary | Brief] = []
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)

        self.chips = TopicChips()
        accessible.name(self.chips, "Topics", "The topics of the selection; Enter or a click on one removes it")
        self.chips.removed.connect(self._remove_topic)
        self.topic_input = QLineEdit()
        self.topic_input.setPlaceholderText("Add a topic…")
        self.topic_input.setClearButtonEnabled(True)
        accessible.name(
            self.topic_input, "Add a topic", "Type a topic (the folder's and the site's complete it) and press Enter"
        )
        self.completions = QStringListModel(self)
        completer = QCompleter(self.completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.topic_input.setCompleter(completer)
        self.topic_input.returnPressed.connect(self._add_topic)
        self.topic_input.installEventFilter(UndoPassThrough(self.topic_input))
        self.add_button = QPushButton(icon("fa5s.plus"), "Add")
        self.add_button.clicked.connect(self._add_topic)
        topic_row = QHBoxLayout()
        topic_row.addWidget(self.topic_input, 1)
        topic_row.addWidget(self.add_button)

        self.quality = QualityBox()
        self.quality.setRange(NO_QUALITY, QUALITY_MAX)  # real files hold 104 and more: no 0-100 cap
        self.quality.setSpecialValueText("—")
        self.quality.setKeyboardTracking(False)
        self.quality.setAccelerated(True)
        self.quality.setToolTip(f"{LIMIT} Press Enter to apply.")
        self.quality.editingFinished.connect(self._quality_edited)
        self.quality_note = QLabel()
        self.quality_note.setWordWrap(True)
        self.quality_note.setTextFormat(Qt.TextFormat.PlainText)
        self.quality_note.hide()
        self.quality.refused.connect(self._note)

        self.published = QCheckBox("Published")
        style.use(self.published)  # its unchecked box shows on a dark palette too
        self.published.clicked.connect(self._published_clicked)

        self.suggested_label = QLabel("Suggested")
        self.suggested = TopicChips(add=True)
        accessible.name(self.suggested, "Suggested topics", "Enter or a click on one adds it to the article")
        self.suggested.removed.connect(lambda topic: self.edit_requested.emit("topics", EditOp.ADD, topic))

        form = QFormLayout()
        form.addRow("Quality", self.quality)
        form.addRow("", self.quality_note)
        form.addRow("", self.published)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("Topics"))
        layout.addWidget(self.chips)
        layout.addLayout(topic_row)
        layout.addWidget(self.suggested_label)
        layout.addWidget(self.suggested)
        layout.addLayout(form)
        layout.addStretch(1)
        self._updating = False
        self._chips_later = QTimer(self, singleShot=True, interval=CHIPS_LATER_MS, timeout=self._show_chips)
        self.show_selection([])
        self.show_suggestions([])

    def set_topic_choices(self, topics: Iterable[str]) -> None:
        self.completions.setStringList(sorted(set(topics), key=str.casefold))

    def topic_choices(self) -> list[str]:
        """The topics the input completes from (the folder's and the taxonomy's): Add Topic… offers them."""
        return self.completions.stringList()

    def show_selection(self, summaries: Sequence[Summary | Brief]) -> None:
        """Show the common values of the selected articles (mixed values shown as such): their
        quality, published and topics, and a lone one's title (see Workspace.brief).

        The same Summary objects again (a search that keeps the selection in the list) show
        nothing new: the panel stays as it is (its chips took 2-3 ms of every keystroke)."""
        summaries = list(summaries)
        if len(summaries) == len(self.summaries) and all(map(is_, summaries, self.summaries)) and summaries:
            return
        self._updating = True
        self.summaries = summaries
        n = len(self.summaries)
        enabled = n > 0
        for widget in (self.topic_input, self.add_button, self.quality, self.published, self.chips):
            widget.setEnabled(enabled)
        if n == 0:
            self.heading.setText("No article selected")
        elif n == 1:
            self.heading.setText(self.summaries[0].title or self.summaries[0].path)
        else:
            self.heading.setText(f"{n:,} articles selected: changes apply to all of them")
        if n > CHIPS_LATER_OVER:  # in a turn of their own (see CHIPS_LATER_OVER)
            self.chips.set_topics([])
            self._chips_later.start()
        else:
            self._chips_later.stop()
            self._show_chips()
        qualities = set(map(attrgetter("quality"), self.summaries))
        value = qualities.pop() if len(qualities) == 1 else None
        fits = value is not None and QUALITY_MIN <= value <= QUALITY_MAX
        self.quality.setValue(value if fits else NO_QUALITY)  # "—": none, mixed, or beyond the field
        self._note(
            ""
            if value is None or fits
            else f"The file says {value:,}, which this field cannot hold. {LIMIT} Type a value to replace it."
        )
        published = set(map(attrgetter("published"), self.summaries))
        self.published.setTristate(len(published) > 1)
        if len(published) > 1:
            self.published.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.published.setChecked(bool(published and published.pop()))
        self._updating = False

    def _show_chips(self) -> None:
        """The topics of the selected articles, as chips (those all of them have, and the others
        with how many have them)."""
        n = len(self.summaries)
        counts = Counter(chain.from_iterable(map(attrgetter("topics"), self.summaries)))  # (in C: 10,000 rows)
        if n == 1:  # one article: its topics in the file's order
            ranked = list(counts.items())
        else:  # a selection: the most shared first
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:200]
        self.chips.set_topics([(t, t if c == n else f"{t} ({c}/{n})") for t, c in ranked])

    def show_suggestions(self, topics: Sequence[str]) -> None:
        """Topics the site's taxonomy suggests for the article: one click adds one."""
        self.suggested.set_topics([(t, t) for t in topics])
        self.suggested_label.setVisible(bool(topics))
        self.suggested.setVisible(bool(topics))

    def _add_topic(self) -> None:
        topic = " ".join(self.topic_input.text().split())
        if topic and self.summaries:
            self.topic_input.clear()
            # Enter on one of the completer's offers: the completer writes the offer into the
            # field again after this slot, so the field is emptied once more after that
            QTimer.singleShot(0, self.topic_input.clear)
            self.edit_requested.emit("topics", EditOp.ADD, topic)

    def _remove_topic(self, topic: str) -> None:
        self.edit_requested.emit("topics", EditOp.REMOVE, topic)

    def _note(self, text: str) -> None:
        self.quality_note.setText(text)
        self.quality_note.setVisible(bool(text))

    def _quality_edited(self) -> None:
        if self._updating or not self.summaries or self.quality.value() == NO_QUALITY:
            return
        value = self.quality.value()
        if any(s.quality != value for s in self.summaries):
            self.edit_requested.emit("quality", EditOp.SET, value)

    def _published_clicked(self) -> None:
        if self._updating or not self.summaries:
            return
        # a click on a mixed box publishes all; otherwise it follows the box
        state = self.published.checkState()
        value = state != Qt.CheckState.Unchecked
        self.published.setTristate(False)
        self.published.setChecked(value)
        self.edit_requested.emit("published", EditOp.SET, value)
