"""The site's saved views (core.site.views): listed with their counts, applied, saved, renamed
and deleted.

`ViewsController` reads the views when a folder has loaded, counts each one's articles (a
view whose query no longer parses is listed with its error and never applied), and writes
`.curator.yml` (only its `views:` lines) in a worker when one is saved, renamed or deleted.
Alt+1…9 apply the first nine. Emits:
  listed(list[tuple[str name, int | None count, str error, str query]]),
  apply_requested(object View).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from ...core.document.writes import ByteEdit
from ...core.folder.query import QueryError, parse
from ...core.site import views
from ..tasks import Tasks
from ..throttle import Throttle
from .messages import Messages, Prompts
from .session import Session

#: counts follow edits this long after the last one (a pass per view over the folder)
COUNT_DELAY_MS = 1500
#: rows a view is counted over in one turn of the event loop: at a million rows a view's pass
#: over all of them at once held the GUI thread for each view after every edit
COUNT_PIECE = 65_536


class ViewsController(QObject):
    listed = Signal(list)
    apply_requested = Signal(object)

    def __init__(self, session: Session, tasks: Tasks, prompts: Prompts, messages: Messages, parent=None,
                 site_writes: Tasks | None = None):  # fmt: skip
        """`site_writes`: the one-thread pool that writes the site's files (shared with topics)."""
        super().__init__(parent)
        self.session, self.tasks, self.prompts, self.messages = session, tasks, prompts, messages
        self.site_writes = site_writes or Tasks(1, "site files", self, messages.failed)
        self.views = views.Views("")
        self.errors: dict[str, str] = {}
        self.count_later = Throttle(self.count, COUNT_DELAY_MS, self)
        #: the count under way, a piece per turn of the event loop (see count)
        self._counting: _Counting | None = None
        self._piece_timer = QTimer(self, singleShot=True, interval=0)
        self._piece_timer.timeout.connect(self._count_piece)
        self.shortcuts: list[QShortcut] = []
        session.opened.connect(lambda workspace: self._reset())

    def _reset(self) -> None:
        self.views = views.Views("")
        self.errors.clear()
        self.listed.emit([])

    def attach(self, widget) -> None:
        """Alt+1…9 in `widget` (the window: it owns the shortcuts) apply the first nine views."""
        for n in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Alt+{n}"), widget)
            shortcut.activated.connect(lambda n=n: self.apply_number(n))
            self.shortcuts.append(shortcut)

    def loaded(self) -> None:
        """Read the views (a small file, within bounds) and count them."""
        self.views = views.read(self.session.root) if self.session.is_open else views.Views("")
        for problem in self.views.problems:
            self.messages.warning("A saved view cannot be read", problem)
        self.count()

    def count(self) -> None:
        """Each view's articles, or its error (on the GUI thread: the table is the window's), a
        piece of COUNT_PIECE rows per turn of the event loop; listed once all are counted. A
        change of the table meanwhile counts them again."""
        table = self.session.workspace.table
        self.errors.clear()
        parsed = []
        for view in self.views.views:
            try:
                parsed.append(parse(view.query))
            except QueryError as exc:
                parsed.append(None)
                self.errors[view.name] = str(exc)
        self._counting = _Counting(table, table.version, parsed)
        self._piece_timer.stop()
        self._count_piece()

    def _count_piece(self) -> None:
        counting = self._counting
        if counting is None:
            return
        table = self.session.workspace.table
        if table is not counting.table or table.version != counting.version:
            self._counting = None
            self.count()  # (the rows changed under it: from the start)
            return
        while not counting.step():
            if len(table) > COUNT_PIECE:  # (a small folder is counted at once)
                self._piece_timer.start()
                return
        self._counting = None
        self.listed.emit([(view.name, n, self.errors.get(view.name, ""), view.query)
                          for view, n in zip(self.views.views, counting.counts, strict=True)])  # fmt: skip

    def apply_number(self, n: int) -> bool:
        return n <= len(self.views.views) and self.apply(self.views.views[n - 1].name)

    def apply(self, name: str) -> bool:
        view = self.views.get(name)
        if view is None:
            return False
        if name in self.errors:
            self.messages.error(f"The view “{name}” cannot be applied", self.errors[name])
            return False
        self.apply_requested.emit(view)
        return True

    def save_current(self, query: str, sort: str, mode: str) -> bool:
        """View › Save View…: the search and sort in force, under a name asked for."""
        name = self.prompts.ask_topic("Save View", "Name of the view (the team shares it in .curator.yml):", [], True)
        if not name or not name.strip():
            return False
        return self._write(lambda: views.plan_save(self.views, views.View(name.strip(), query, sort, mode)),
                           f"Saved the view “{name.strip()}”.")  # fmt: skip

    def rename(self, old: str) -> bool:
        new = self.prompts.ask_topic("Rename View", f"New name of “{old}”:", [], True, old)
        if not new or new.strip() == old:
            return False
        return self._write(lambda: views.plan_rename(self.views, old, new.strip()), f"Renamed “{old}”.")

    def edit_query(self, name: str) -> bool:
        """A view's query, changed in place (a view that no longer parses is mended so)."""
        view = self.views.get(name)
        if view is None:
            return False
        query = self.prompts.ask_topic("Edit View", f"Query of “{name}”:", [], True, view.query)
        if query is None or query.strip() == view.query:
            return False
        try:
            self.session.workspace.table.select(query.strip())
        except QueryError as exc:
            self.messages.error("The view was not saved", str(exc))
            return False
        new = views.View(name, query.strip(), view.sort, view.mode)
        return self._write(lambda: views.plan_save(self.views, new), f"Saved the view “{name}”.")

    def delete(self, name: str) -> bool:
        return self._write(lambda: views.plan_delete(self.views, name), f"Deleted the view “{name}”.")

    def _write(self, plan: Callable[[], ByteEdit], said: str) -> bool:
        if not self.session.is_open:
            return False
        self.site_writes.wait()  # (the file may be being written: plan from what was written)
        try:
            edit = plan()
        except views.ViewError as exc:
            self.messages.error("The view was not saved", str(exc))
            return False
        before = self.views
        self.views = views.applied(before, edit)
        self.count()

        def failed(message: str) -> None:
            self.messages.error("Writing the views failed", message)
            self.loaded()  # what the file says

        def done(result) -> None:
            if result.ok:
                self.messages.info(said, 5000)
            else:
                failed(result.message)

        self.site_writes.run(lambda p: edit.write(), done, failed=lambda error: failed(str(error)))
        return True


class _Counting:
    """Counts of parsed views (None: a view that does not parse) over a table, a piece of rows
    at a time (see ViewsController.count)."""

    def __init__(self, table, version: int, parsed: list):
        self.table, self.version, self.parsed = table, version, parsed
        self.counts: list[int | None] = [None if node is None else 0 for node in parsed]
        self._view, self._start = 0, 0

    def step(self) -> bool:
        """Count the next piece; True once every view is counted."""
        while self._view < len(self.parsed) and self.parsed[self._view] is None:
            self._view += 1
        if self._view >= len(self.parsed):
            return True
        rows = range(self._start, min(self._start + COUNT_PIECE, len(self.table)))
        self.counts[self._view] += len(self.table.select(self.parsed[self._view], rows))
        self._start = rows.stop
        if self._start >= len(self.table):
            self._view, self._start = self._view + 1, 0
        return False
