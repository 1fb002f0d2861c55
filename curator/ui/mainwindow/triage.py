"""Triage mode: the list as it is becomes a fixed queue, one article at a time.

`Triage` owns the queue (core.folder.triage.Queue) while triage runs. Every decision is an
ordinary edit through Editing.request (pending until Save, undoable, confirmed and saved as
every edit is; "Save Every Change Immediately" applies), made on the article shown, after
which the next one shows. An undo shows the article it changed back. Leaving puts the list
on the article where triage stopped. The details (the link to the original) are read in a
worker, as the preview's are. Emits:
  started(), left(str path or "") and shown(int row) after each article is shown.
QtCore only; the panel (ui/triage.py) is given to attach().
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ...core.folder.edits import EditOp
from ...core.folder.triage import Queue
from ...core.site.article import read_details
from ..tasks import Tasks
from .browsing import Browsing
from .editing import Editing
from .session import Session


class Triage(QObject):
    started = Signal()
    left = Signal(str)
    shown = Signal(int)

    def __init__(
        self,
        session: Session,
        editing: Editing,
        browsing: Browsing,
        tasks: Tasks,
        suggestions: Callable[[int], list[str]],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session, self.editing, self.browsing, self.tasks = session, editing, browsing, tasks
        self.suggestions = suggestions
        self.queue: Queue | None = None
        self.panel = None
        self.deciding = False  # an edit of ours is being made: its values_changed is no undo
        self.details = None  # of the article shown, once read
        self.paths: list[str] = []  # of the queue's rows, to follow them when rows move
        editing.values_changed.connect(self._values_changed)
        for signal in (browsing.model.layoutChanged, browsing.model.modelReset):
            signal.connect(self._rows_moved)  # files came or went on disk (the list is not sorted in triage)
        session.opened.connect(lambda workspace: self.leave())

    @property
    def active(self) -> bool:
        return self.queue is not None

    def attach(self, panel) -> None:
        self.panel = panel
        panel.command.connect(self.command)
        panel.quality_entered.connect(lambda value: self.decide("quality", EditOp.SET, value, go_on=False))
        panel.topic_entered.connect(lambda topic: self.decide("topics", EditOp.ADD, topic, go_on=False))
        self.editing.topic_choices.connect(panel.set_topic_choices)

    def start(self) -> bool:
        """The list as it is (search and sort) becomes the queue, from the current article."""
        if self.active or not self.session.is_open:
            return False
        model, workspace = self.browsing.model, self.session.workspace
        model.complete()  # (the queue is the whole list)
        current = self.browsing.current_row()
        start = model.positions().get(current, 0) if current is not None else 0
        self.queue = Queue(list(model.order), workspace.summary, start or 0)
        paths = workspace.table.paths
        self.paths = [paths[r] for r in self.queue.rows]
        self.started.emit()
        self.show()
        return True

    def leave(self) -> None:
        """Triage ends; the list shows the article where it stopped."""
        if self.queue is None:
            return
        row, self.queue = self.queue.row, None
        path = self.session.workspace.path(row) if row is not None and row < len(self.session.workspace) else ""
        if path:
            self.browsing.select_path(path)
        self.left.emit(path)

    def command(self, name: str) -> None:
        if self.queue is None:
            return
        if name == "publish":
            self.decide("published", EditOp.SET, True)
        elif name == "unpublish":
            self.decide("published", EditOp.SET, False)
        elif name == "next":
            self.queue.next()
            self.show()
        elif name == "previous":
            self.queue.previous()
            self.show()
        elif name == "undo":
            self.editing.undo_stack.undo()
        elif name == "leave":
            self.leave()

    def decide(self, key: str, op: EditOp, value, go_on: bool = True) -> bool:
        """Edit the article shown (one undo step), then show the next one when `go_on`; an
        edit that changes nothing (already published) goes on too."""
        queue = self.queue
        if queue is None or queue.row is None:
            return False
        row = queue.row
        queue.touching(row)
        self.deciding = True
        try:
            done = self.editing.request([row], key, op, value)
        finally:
            self.deciding = False
        self.editing.flush()
        if go_on:
            queue.next()
        self.show()
        return done

    def show(self) -> None:
        queue = self.queue
        if queue is None or self.panel is None:
            return
        row = queue.row
        workspace = self.session.workspace
        if row is None:
            self.panel.show_article(None, None, False, queue.counts().describe(), [])
            return
        summary = workspace.summary(row)
        self.details = None
        self.panel.show_article(
            summary, None, workspace.is_dirty(row), queue.counts().describe(), self.suggestions(row)
        )
        path = summary.path
        abspath = str(workspace.root / path)
        fresh = self.session.still(workspace)
        self.tasks.run(
            lambda p: read_details(abspath, path), lambda details: self._details(workspace, row, details),
            failed="Reading the article failed",
            still=lambda: fresh() and self.queue is not None and self.queue.row == row,
        )  # fmt: skip
        self.shown.emit(row)

    def _details(self, workspace, row: int, details) -> None:
        queue = self.queue
        self.details = details
        self.panel.show_article(
            workspace.summary(row), details, workspace.is_dirty(row), queue.counts().describe(), self.suggestions(row)
        )

    def _rows_moved(self, *_) -> None:
        queue = self.queue
        if queue is None:
            return
        rows = self.session.workspace.rows
        new_rows = [rows.get(p) for p in self.paths]
        if new_rows != queue.rows:
            self.paths = [p for p, r in zip(self.paths, new_rows, strict=True) if r is not None]
            queue.remap(new_rows)
            self.show()

    def _values_changed(self, rows: list) -> None:
        """Values changed: an undo or redo (not our own edit) shows the article it changed."""
        queue = self.queue
        if queue is None:
            return
        if not self.deciding and len(rows) == 1:
            queue.go_to(rows[0])
        if not self.deciding:
            self.show()
