"""Writing the unsaved edits.

`Saver` owns the writer: one thread, so two writes of a file never race, and one save run at
a time. A request made while a run goes on is merged into one follow-up run when it ends (no
polling). Files that changed on disk before they were written are read again: where the
other program changed other values the edits are carried over and saved, and about the rest
the editor is asked (Prompts). Emits:
  started(int files), progressed(int done), saved(list[SaveResult]) after each run,
  disk_changed(ChangeReport, bool announce), reload_requested(list[str] paths), idle().
QtCore only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from ...core import words
from ...core.folder import library, opening, review
from ...core.folder.index import Index
from ...core.folder.library import Entry
from ...core.folder.workspace import Saved, SaveJob, SaveReport, Workspace, save_batch
from ...core.gently import paused_gc
from ..slices import CHUNK, Slices
from ..tasks import Progress, Task, Tasks
from .messages import ConflictChoice, Messages, Prompts, UnsavedAnswer
from .session import Session


class Saver(QObject):
    started = Signal(int)
    progressed = Signal(int)
    saved = Signal(list)
    disk_changed = Signal(object, bool)
    reload_requested = Signal(list)
    idle = Signal()

    def __init__(
        self, session: Session, readers: Tasks, prompts: Prompts, messages: Messages,
        before: Callable[[], object] = lambda: None, parent: QObject | None = None,
    ):  # fmt: skip
        super().__init__(parent)
        self.session, self.readers, self.prompts, self.messages = session, readers, prompts, messages
        self.writer = Tasks(1, "save", self)  # one writer: two saves of a file never race
        self.task: Task | None = None
        self._queued: dict[bool, set[str] | None] = {}  # overwrite? -> paths (None: every unsaved file)
        self._rereading = 0  # conflict checks still reading files
        self._held = ""  # what a run with conflicts saved, said after the editor's answer
        self._then: Callable[[], object] | None = None  # once everything is saved (close, open)
        #: run before a save or a count of what is unsaved: the window finishes edits still being
        #: applied in slices (Editing.flush)
        self.before = before
        #: the results of a large save are recorded a slice per event-loop turn
        self.slices = Slices(parent=self)

    @property
    def running(self) -> bool:
        return (self.task is not None and not self.task.done) or self._rereading > 0 or self.slices.busy

    def request(self, rows: Iterable[int] | None = None, overwrite: bool = False) -> bool:
        """Save these rows (None: every unsaved one); False when there is nothing to save."""
        self.before()
        workspace = self.session.workspace
        paths = None if rows is None else {workspace.path(r) for r in rows}
        if self.running:
            queued = self._queued.get(overwrite, set())
            self._queued[overwrite] = None if paths is None or queued is None else queued | paths
            return True
        rows = workspace.dirty_rows() if paths is None else [workspace.rows[p] for p in paths if p in workspace.rows]
        rows = [r for r in rows if workspace.is_dirty(r)]
        if not rows:
            return False
        if len(rows) <= 2 * CHUNK:
            self._run(workspace, workspace.save_jobs(rows), overwrite)
            return True
        jobs: list[SaveJob] = []  # thousands: copied a slice per event-loop turn (4 us a job)

        def copy():
            for start in range(0, len(rows), CHUNK):
                # (no collection walks what the edits before it built: see Editing._apply; the
                # jobs go when the save ends)
                with paused_gc(keep=True):
                    jobs.extend(workspace.save_jobs(rows[start : start + CHUNK]))
                yield

        self.slices.run(
            copy(), lambda: self._run(workspace, jobs, overwrite) if workspace is self.session.workspace else None
        )
        return True

    def settle(self, doing: str, then: Callable[[], object]) -> bool:
        """Before closing or opening another folder: with unsaved edits, ask Save / Discard /
        Cancel. True means go ahead now; after Save, `then` runs once everything is saved and
        nothing is left unsaved (a real close-when-saved, no blocking wait)."""
        self.before()
        count = len(self.session.workspace.pending)
        if not count:
            return True
        answer = self.prompts.unsaved_changes(count, doing)
        if answer is UnsavedAnswer.SAVE and self.request():
            self._then = then
        return answer is UnsavedAnswer.DISCARD

    def cancel(self) -> None:
        self._queued.clear()
        if self.task is not None and not self.task.done:
            self.task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self.writer.wait(msecs)

    def _run(self, workspace: Workspace, jobs: list[SaveJob], overwrite: bool) -> None:
        index, root = self.session.index(), self.session.root
        self.started.emit(len(jobs))
        self.task = self.writer.run(
            lambda p: _save(jobs, overwrite, index, root, p),
            lambda results: self._done(workspace, index, results),
            self.progressed.emit,
            failed=self._failed,
            still=self.session.still(workspace),
        )

    def _failed(self, error: BaseException) -> None:
        self.messages.failed("Saving stopped", error)
        self.saved.emit([])
        self._next()

    def _done(self, workspace: Workspace, index: Index, results: list[Saved]) -> None:
        # recorded in slices: 10,000 results at once held the GUI thread for ~100 ms
        report = SaveReport()

        def record():
            for start in range(0, len(results), CHUNK):
                with paused_gc(keep=True):  # (the rows' new summaries live on: see Editing._apply)
                    part = workspace.apply_saved(results[start : start + CHUNK])
                report.rows += part.rows
                report.written += part.written
                report.conflicts += part.conflicts
                report.failures += part.failures
                yield

        self.slices.run(record(), lambda: self._recorded(workspace, index, results, report))

    def _recorded(self, workspace: Workspace, index: Index, results: list[Saved], report: SaveReport) -> None:
        if workspace is not self.session.workspace:
            self._next()
            return
        cancelled = self.task is not None and self.task.cancelled
        left = len(workspace.pending) - len(report.conflicts) - len(report.failures)
        message = f"Saved {words.count(report.written, 'file')}"
        if cancelled and left:
            message += f"; cancelled, {left:,} still unsaved"
        if index.error:
            message += f" (the index was not updated: {index.error})"
        if report.conflicts:
            self._held = message  # said once the editor has answered about the conflicts
        else:
            self.messages.info(message)
        self.saved.emit([saved.result for saved in results])
        if report.failures:
            self.prompts.show_failures(
                f"{words.count(len(report.failures), 'file')} could not be saved; the changes are kept.",
                report.failures,
            )
        if report.conflicts:
            self._reread(workspace, report.conflicts)
        self._next()

    def _reread(self, workspace: Workspace, paths: list[str]) -> None:
        """Files changed on disk before they were written: read them again, carry the edits over
        where the other program changed other values (and save those), ask about the rest."""
        root = self.session.root
        self._rereading += 1

        def ended() -> None:
            self._rereading -= 1

        def failed(error: BaseException) -> None:
            self.messages.failed("Reading changed files failed", error)
            self._next()

        def done(items: list) -> None:
            changes = opening.Changes(
                changed=[i for i in items if isinstance(i, Entry)],
                problems=[i for i in items if not isinstance(i, Entry)],
            )
            report = workspace.apply_disk_changes(changes)
            self.disk_changed.emit(report, False)
            if report.rebased:
                self.request(report.rebased)
            if report.kept:
                self._ask(workspace, report.kept)
            else:
                self._say_held()
            self._next()

        self.readers.run(
            lambda p: [library.load_one(root, path) for path in paths], done,
            failed=failed, still=self.session.still(workspace), always=ended,
        )  # fmt: skip

    def _ask(self, workspace: Workspace, paths: list[str]) -> None:
        """Ask what to do with edited files that changed on disk, showing (read in a worker)
        what changed there and what Overwrite would write."""
        jobs, root = workspace.save_jobs([workspace.rows[p] for p in paths if p in workspace.rows]), self.session.root
        self._rereading += 1

        def ended() -> None:
            self._rereading -= 1

        def done(previews: list) -> None:
            shown = {p.path: p for p in previews}
            choices = self.prompts.resolve_conflicts(paths, shown)
            overwrite = [p for p, c in choices.items() if c is ConflictChoice.OVERWRITE and p in workspace.rows]
            reload = [p for p, c in choices.items() if c is ConflictChoice.RELOAD]
            if overwrite:
                self.request([workspace.rows[p] for p in overwrite], overwrite=True)
            if reload:
                self.reload_requested.emit(reload)
            self._say_held(sum(c is ConflictChoice.SKIP for c in choices.values()))
            self._next()

        self.readers.run(
            lambda p: review.previews(jobs, root), done,
            failed=lambda error: done([]),  # asked all the same, without what changed
            still=self.session.still(workspace), always=ended,
        )  # fmt: skip

    def _say_held(self, kept: int = 0) -> None:
        """The held "Saved N files", now that nothing waits for an answer (with how many files
        stay unsaved because they changed on disk); none when Overwrite saves again anyway."""
        held, self._held = self._held, ""
        if kept:
            self.messages.info(f"{held}; {words.count(kept, 'file')} changed on disk, kept unsaved", 10000)
        elif held and not held.startswith("Saved 0 files"):
            self.messages.info(held)

    def _next(self) -> None:
        """Run what was requested meanwhile (overwrites first), as one run each; else say idle."""
        if self.running:
            return
        for overwrite in (True, False):
            if overwrite in self._queued:
                paths = self._queued.pop(overwrite)
                workspace = self.session.workspace
                rows = None if paths is None else [workspace.rows[p] for p in paths if p in workspace.rows]
                if self.request(rows, overwrite):
                    return
        then, self._then = self._then, None
        pending = len(self.session.workspace.pending)
        if then is not None and not pending:
            then()
        elif then is not None:
            self.messages.info(f"{words.count(pending, 'article is')} still unsaved.", 10000)
        self.idle.emit()


def _save(jobs: list[SaveJob], overwrite: bool, index: Index, root: str, progress: Progress) -> list[Saved]:
    """The worker: write the jobs, reporting progress at most every 50 ms."""
    last = [0.0]

    def report(done: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.05:
            progress.report(done)
            last[0] = now

    return save_batch(jobs, overwrite, index, report, lambda: progress.cancelled, root)
