"""Watching the open folder for changes by other programs.

`Watcher` owns a timer and one check at a time in a worker (a stat-based rescan); what it
finds is applied to the session's workspace: clean files reload, edited ones keep their edits
(carried over where possible), new files appear, deleted ones leave, problems follow.
A check costs ~1.5 s of a core at 100,000 files, so the next one waits at least ten times as
long as the last took. Emits disk_changed(ChangeReport, True), the files Curator wrote itself
marked in it (see expect). QtCore only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from ...core.folder import opening
from ...core.folder.workspace import Workspace
from ..tasks import Task, Tasks
from .messages import Messages
from .session import Session


class Watcher(QObject):
    disk_changed = Signal(object, bool)

    def __init__(
        self,
        session: Session,
        tasks: Tasks,
        messages: Messages,
        seconds: Callable[[], int],
        busy: Callable[[], bool],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session, self.tasks, self.messages, self.busy, self.seconds = session, tasks, messages, busy, seconds
        self.timer = QTimer(self, interval=max(1, seconds()) * 1000)
        self.timer.timeout.connect(self.check_now)
        self.task: Task | None = None
        #: absolute path -> (digest of the bytes Curator wrote there: Edit Field…, its undo; when):
        #: the check that reads them again does not tell the editor the file changed (see expect)
        self._ours: dict[str, tuple[str, float]] = {}

    @property
    def checking(self) -> bool:
        return self.task is not None and not self.task.done

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def check_now(self) -> bool:
        """Start a check unless one runs, or the folder is being loaded or saved."""
        if not self.session.is_open or self.checking or self.busy():
            return False
        workspace = self.session.workspace
        root, paths, snapshots = str(workspace.root), list(workspace.table.paths), workspace.snapshots.copy()
        bad = workspace.bad_files()
        started = time.perf_counter()
        since = time.monotonic()
        ours: dict[str, tuple[str, float]] = {}  # what Curator wrote, as the check ends

        def ended() -> None:
            self.space_out(time.perf_counter() - started)
            ours.update(self._ours)
            self._ours = {p: v for p, v in ours.items() if v[1] >= since}  # (this check read the others)

        self.task = self.tasks.run(
            lambda p: opening.detect_changes(root, paths, snapshots, bad),
            lambda changes: self._checked(workspace, changes, ours),
            failed="Checking the folder for changes failed", still=self.session.still(workspace), always=ended,
        )  # fmt: skip
        return True

    def expect(self, written: Iterable[tuple[str, str]]) -> None:
        """Files Curator itself has just written, as (absolute path, digest of the bytes): the
        next check that finds them so says nothing of them; one whose bytes are not those (a
        program changed it again since) is told as ever. Forgotten once a check that started
        after the write has run."""
        now = time.monotonic()
        self._ours.update((os.path.normpath(path), (digest, now)) for path, digest in written)

    def space_out(self, seconds: float) -> None:
        """The next check waits ten times as long as the last one took, at least the setting."""
        self.timer.setInterval(max(max(1, self.seconds()) * 1000, int(seconds * 10_000)))

    def _checked(self, workspace: Workspace, changes: opening.Changes, ours: dict[str, tuple[str, float]]) -> None:
        if not (len(changes) or changes.touched):
            return
        report = workspace.apply_disk_changes(changes)
        if ours:
            root, paths, snapshots = str(workspace.root), workspace.table.paths, workspace.snapshots
            read_again = (*report.reloaded, *report.rebased)
            report.ours = frozenset(
                r for r in read_again if ours.get(_join(root, paths[r]), ("", 0.0))[0] == snapshots[r].digest
            )
        self.disk_changed.emit(report, True)


def _join(root: str, rel: str) -> str:
    return os.path.normpath(os.path.join(root, rel))
