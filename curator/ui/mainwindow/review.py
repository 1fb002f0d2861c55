"""Review before saving: feeds the Changes view.

`Review` owns what the Changes view shows: it lists the unsaved articles with their old and
new values (core.folder.review.pending) while the view is shown, again shortly after each change,
and reads the diff Save would write for the picked article in a worker (core.folder.review.preview:
it reads the file). Emits:
  listed(list[PendingArticle]), diff_ready(int row, str text).
QtCore only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ...core.folder import review
from ..tasks import Tasks
from ..throttle import Throttle
from .session import Session


class Review(QObject):
    listed = Signal(list)
    diff_ready = Signal(int, str)

    def __init__(self, session: Session, tasks: Tasks, shown: Callable[[], bool], parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.tasks, self.shown = session, tasks, shown
        self.refresh_later = Throttle(self.refresh, 150, self)

    def attach(self, panel, dock) -> None:
        """Feed a ChangesPanel (listed while its dock is shown) and follow what it picks."""
        self.listed.connect(panel.show_pending)
        self.diff_ready.connect(panel.show_diff)
        panel.article_picked.connect(self.read_diff)
        dock.visibilityChanged.connect(lambda shown: shown and self.refresh())

    def refresh(self) -> None:
        """List the unsaved articles now (only while the view is shown: it costs a pass over them)."""
        if self.shown():
            self.listed.emit(review.pending(self.session.workspace))

    def read_diff(self, row: int) -> None:
        """The diff saving this article would write, read in a worker: emits diff_ready."""
        workspace, root = self.session.workspace, self.session.root
        jobs = workspace.save_jobs([row])
        if not jobs:
            self.diff_ready.emit(row, "No unsaved changes.")
            return

        self.tasks.run(
            lambda p: review.preview(jobs[0], root), lambda preview: self.diff_ready.emit(row, preview.as_text()),
            failed=lambda error: self.diff_ready.emit(row, f"The file could not be read: {error}"),
            still=self.session.still(workspace),
        )  # fmt: skip
