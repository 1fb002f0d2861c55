"""Reading folders and files.

`Loader` owns the load of the session's folder (one at a time, in a worker, rows delivered
as they come) and reading a few files again. A load that was cancelled never delivers into
the folder opened after it. Emits:
  started(), total(int files), rows_added(range rows, bool first), progressed(int files),
  checking(int files) (every file listed; now parsed whole, in the background, to check),
  listed() (a warm open: every row of the index listed; now checked against the disk),
  disk_changed(ChangeReport, bool announce), problems_changed(), finished(LoadDone).
QtCore only.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from ...core import words
from ...core.folder import library, opening
from ...core.folder.index import Index
from ...core.folder.library import Entry
from ...core.folder.workspace import ChangeReport, Workspace
from ...core.site.topics import SiteTopics
from ..tasks import Progress, Task, Tasks
from .messages import Messages
from .session import Session


@dataclass(frozen=True, slots=True)
class LoadDone:
    articles: int
    seconds: float
    cancelled: bool
    index_error: str  # why the index could not be used ("" when it could)
    site_topics: SiteTopics  # the taxonomy and the retired topics

    def describe(self) -> str:
        text = f"{'Cancelled: loaded' if self.cancelled else 'Loaded'} {words.count(self.articles, 'article')}"
        text += f" in {self.seconds:.1f} s"
        return text + (f" (without the index: {self.index_error})" if self.index_error else "")


class Loader(QObject):
    started = Signal()
    total = Signal(int)
    rows_added = Signal(object, bool)
    progressed = Signal(int)
    checking = Signal(int)
    listed = Signal()
    disk_changed = Signal(object, bool)
    problems_changed = Signal()
    finished = Signal(object)

    def __init__(self, session: Session, tasks: Tasks, messages: Messages, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.tasks, self.messages = session, tasks, messages
        #: empties the folders shown before, on a thread of its own: with its pauses it runs for
        #: a second or two, and in the shared pool it held back the new folder's tasks (the
        #: sort ahead of the list waited for it until the load had ended)
        self.releaser = Tasks(1, "release", self, messages.failed)
        self.task: Task | None = None
        self.loading = False
        self._started = 0.0

    def start(self) -> None:
        """Load the session's folder (cancelling any load before). The folder shown before is
        emptied in a worker, a piece at a time (see Workspace.release)."""
        self.cancel()
        while self.session.retired:
            old = self.session.retired.pop()
            self.releaser.run(
                lambda p, old=old: old.release(pause=RELEASE_PAUSE), failed="Emptying the last folder failed"
            )
        workspace = self.session.workspace
        root, index = self.session.root, self.session.index()
        self.loading = True
        self._started = time.perf_counter()
        self.task = self.tasks.run(
            lambda p: _load(root, index, p),
            lambda topics: self._done(workspace, index, topics),
            lambda message: self._progress(workspace, index, message),
            failed=lambda error: self._failed(workspace, index, error),
            still=self.session.still(workspace),  # (not a cancelled load of another folder)
            ahead=LOAD_AHEAD,
        )
        self.started.emit()

    def cancel(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()

    def reload(self, paths: Sequence[str], drop_edits: bool = False) -> None:
        """Read these files again: with `drop_edits` their unsaved edits go (the editor chose
        the file as it is on disk), else they are applied as changes on disk."""
        workspace, root = self.session.workspace, self.session.root
        paths = list(paths)

        self.tasks.run(
            lambda p: [library.load_one(root, path) for path in paths],
            lambda items: self._reloaded(workspace, items, drop_edits),
            failed="Reading files again failed", still=self.session.still(workspace),
        )  # fmt: skip

    def _reloaded(self, workspace: Workspace, items: list, drop_edits: bool) -> None:
        entries = [i for i in items if isinstance(i, Entry)]
        changes = opening.Changes(problems=[i for i in items if not isinstance(i, Entry)])
        if drop_edits:
            report = ChangeReport(reloaded=[workspace.replace(e) for e in entries if e.summary.path in workspace.rows])
            workspace.changed(report.reloaded, disk=True)
            workspace.note_problems(changes.problems)
            report.problems_changed = True
        else:
            changes.changed = entries
            report = workspace.apply_disk_changes(changes)
        self.disk_changed.emit(report, False)

    def _progress(
        self,
        workspace: Workspace,
        index: Index,
        value: Total
        | opening.Batch
        | opening.Decoded
        | opening.Changes
        | library.Checking
        | opening.Listed
        | opening.Indexed,
    ) -> None:
        if isinstance(value, Total):
            self.total.emit(value.files)
            return
        if isinstance(value, library.Checking):
            self.checking.emit(value.files)
            return
        if isinstance(value, opening.Listed):
            self.listed.emit()
            return
        if isinstance(value, opening.Changes):  # the index's rows checked against the disk (or the full parse)
            report = workspace.apply_disk_changes(value)
            if report:  # (as it was: nothing to show again)
                self.disk_changed.emit(report, False)
            self.progressed.emit(value.checked or len(value))
            return
        if isinstance(value, opening.Indexed):  # the index holds them now: the table may let them go
            self._let_go(workspace, index, value.summaries, 0)
            return
        if isinstance(value, opening.Decoded):  # summaries of rows shown from the index
            workspace.table.decoded(value.start, value.summaries)  # (their facets: the summaries are not kept)
            return
        warned = [s for s in value.summaries if s is not None and s.warnings]  # (these come with their summary)
        problems = workspace.note_problems(value.problems, warned)
        first = len(workspace) == 0
        rows = workspace.add(value.summaries, value.snapshots, value.columns)
        # The articles live as long as the folder: keep them out of the cyclic collector, whose
        # full collections over a growing list of 100,000 articles stalled the window ~200 ms.
        gc.freeze()
        self.rows_added.emit(rows, first)
        if problems:
            self.problems_changed.emit()
        self.progressed.emit(len(value))

    def _let_go(self, workspace: Workspace, index: Index, summaries: list, start: int) -> None:
        """Let the table drop the summaries the index took, a piece per turn of the event loop:
        100,000 Summary objects freed at once held the GUI thread 61 ms."""
        if not self.session.still(workspace)():
            return
        workspace.indexed(summaries[start : start + LET_GO_PIECE], index.summaries)
        if start + LET_GO_PIECE < len(summaries):
            QTimer.singleShot(0, lambda: self._let_go(workspace, index, summaries, start + LET_GO_PIECE))

    def _failed(self, workspace: Workspace, index: Index, error: BaseException) -> None:
        """The load failed: said, and it ends with what was read."""
        self.messages.failed(f"Could not read {workspace.root}", error)
        self._done(workspace, index, None)

    def _done(self, workspace: Workspace, index: Index, topics: SiteTopics | None) -> None:
        self.loading = False
        gc.freeze()  # and what arrived as changes
        cancelled = self.task is not None and self.task.cancelled
        seconds = time.perf_counter() - self._started
        self.finished.emit(LoadDone(len(workspace), seconds, cancelled, index.error or "", topics or SiteTopics()))


#: the load's reports (batches of rows, decoded summaries, changes) not yet taken by the GUI
#: thread that its worker may have sent before it waits (see Progress.report)
LOAD_AHEAD = 1
#: summaries a cold open let go of per turn of the event loop (see Loader._let_go): ~3 ms
LET_GO_PIECE = 5_000
#: the emptying of the folder shown before sleeps this long after each piece: it ran as the
#: new load began, and the window's first turns shared the GIL with it (see Workspace.release)
RELEASE_PAUSE = 0.002


class Total(NamedTuple):
    """How many files the folder has (reported once the scan is done)."""

    files: int


def _load(root: str, index: Index, progress: Progress) -> SiteTopics:
    """The worker: Total, then the folder's Batch, Decoded and Changes messages as progress;
    returns the site's topics (its taxonomy, read within bounds, and the retired topics)."""
    for message in opening.open_iter(
        root, index, cancel=progress.cancel_event, on_total=lambda n: progress.report(Total(n)), skim=True
    ):
        progress.report(message)
        if progress.cancelled:
            break
    return SiteTopics.read(root)
