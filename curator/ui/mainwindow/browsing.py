"""What the list shows, and where the editor is in it.

`Browsing` owns the query (applied a moment after typing stops), the facet counts (counted
in a worker over the shown rows), the current article and the selection as workspace rows,
the details of the current article (read in a worker) and which thumbnails are wanted (the
rows on screen). When the list changes under them (search, facet, sort, reload) the current
article and the selection follow what is listed, never a row that is no longer there. Emits:
  query_failed(str message), query_applied(), facets_counted(dict),
  current_changed(object path or None), details_ready(str path, object details),
  selection_changed(list[int] rows), scroll_requested(QModelIndex).
QtCore (and QtGui to open the file manager) only.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from ...core import words
from ...core.folder import fields, grams
from ...core.folder.query import QueryError
from ...core.folder.table import count_facets
from ...core.site.article import read_details
from ..model import ArticleModel, Role
from ..tasks import Task, Tasks
from ..throttle import Throttle
from ..thumbnails import Thumbnails
from .messages import Messages
from .session import Session

SEARCH_DELAY_MS = 180
#: the gram index of the search text catches up this long after it was found stale
GRAMS_DELAY_MS = 2000
#: worker processes that build it (more rows than one chunk: fewer are built in a thread)
GRAM_WORKERS = 2
FACET_DELAY_MS = 250
#: rows stopped arriving this long ago: sort them in a worker, for the end of the load (see
#: ArticleModel.sort_ahead; a warm open checks the listed rows for a second or two after). Not
#: while a load is still listing rows that will come with its `listed` (see Browsing.listing).
SORT_AHEAD_MS = 150
#: a sort stayed as it is this long: its order's int objects are made anew in a worker (see
#: fresh_ahead; at once, they shared the GIL with the next sort's 0.6 s on the GUI thread)
FRESH_DELAY_MS = 150
#: the first loaded row is made current this long after the first rows are listed: a 0 ms
#: timer ran in the same pass of the event loop as the first paint (one 77 ms turn measured
#: at 100k: 22 ms of current row and preview, 26 ms of painting, Qt's layout between)
FIRST_CURRENT_MS = 40
Flag = QItemSelectionModel.SelectionFlag


class Browsing(QObject):
    query_failed = Signal(str)
    query_applied = Signal()
    facets_counted = Signal(dict)
    current_changed = Signal(object)
    details_ready = Signal(str, object)
    selection_changed = Signal(list)
    scroll_requested = Signal(QModelIndex)

    def __init__(
        self,
        session: Session,
        model: ArticleModel,
        selection: QItemSelectionModel,
        tasks: Tasks,
        thumbs: Thumbnails,
        messages: Messages,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session, self.model, self.selection = session, model, selection
        self.tasks, self.thumbs, self.messages = tasks, thumbs, messages
        self.text = ""
        self._reading: set[str] = set()  # keys of `field:` terms being read
        self.shown_path: str | None = None  # the article whose details were asked for
        self.auto_current = False  # the current article was picked by us (the first row), not the editor
        self.settling = False  # the list is being rebuilt: follow it once, at the end
        #: a load is listing its rows (from loading_started to listed or loaded): a sort ahead
        #: made now would be thrown away with the next batch (at 100k rows, a cold open on a
        #: busy machine, batches 150 ms apart, sorted the growing list again and again: 0.3 s of
        #: CPU in 256-file chunks, 2.5 s in 1,024-file ones, beside the load's own)
        self.listing = False
        self.search_later = Throttle(self.apply_search, SEARCH_DELAY_MS, self)
        self.count_later = Throttle(self.count_facets, FACET_DELAY_MS, self)
        self.sort_later = Throttle(self.sort_ahead, SORT_AHEAD_MS, self)
        #: builds the gram index of the search text (grams.catch_up: worker processes it waits
        #: for, so a thread of its own, not one of the shared pool's)
        self.gram_tasks = Tasks(1, "grams", self)
        #: the sort's work ahead (sort_ahead, fresh_ahead): a thread of its own, as it is wanted
        #: at once, where the shared pool may be busy for a minute (a million articles grouped)
        self.listing_tasks = Tasks(1, "listing", self, messages.failed)
        self._indexing: Task | None = None
        self.index_search_later = Throttle(self.index_search, GRAMS_DELAY_MS, self)
        model.listing.on_stale = self.index_search_later
        self.fresh_later = Throttle(self.fresh_ahead, FRESH_DELAY_MS, self)
        model.sort_changed.connect(lambda *_: self.fresh_later())
        selection.selectionChanged.connect(self._selection_changed)
        selection.currentChanged.connect(self._current_changed)
        # a search, sort or reload changes the list without selection signals: follow it
        for signal in (model.layoutChanged, model.modelReset, model.rowsRemoved):
            signal.connect(self.list_changed)

    # -- the query and the facets --

    def search_changed(self, text: str) -> None:
        self.text = text
        self.search_later(text)

    def apply_search(self, text: str | None = None) -> bool:
        """Apply the query now; on a bad query the last good result stays (query_failed)."""
        self.search_later.cancel()
        if text is not None:
            self.text = text
        current = self.current_path()
        try:
            self.model.set_query(self.text)
        except QueryError as exc:
            self.query_failed.emit(str(exc))
            return False
        self.restore_current(current)
        self.query_applied.emit()
        self.count_later()
        self.read_fields()
        return True

    def read_fields(self) -> None:
        """The query names keys by `field:`: read their values from the files in a worker, then
        match again (the table drops them when files change on disk)."""
        workspace = self.session.workspace
        needed = workspace.table.needed_fields(self.model.query)
        if not needed or not self.session.is_open or needed <= self._reading:
            return
        self._reading |= needed
        root, paths = self.session.root, list(workspace.table.paths)
        self.messages.info(f"Reading {', '.join(sorted(needed))} from {words.count(len(paths), 'file')}…", 0)

        def ended() -> None:
            self._reading -= needed
            self.messages.info("", 1)

        def done(values: dict) -> None:
            workspace.table.fields.update(values)
            current = self.current_path()
            self.model.requery()
            self.restore_current(current)
            self.count_later()

        self.tasks.run(
            lambda p: fields.values_of(root, paths, needed), done,
            failed="Reading the fields failed", still=self.session.still(workspace), always=ended,
        )  # fmt: skip

    def sort_ahead(self) -> None:
        """Sort the listed rows in a worker while the load goes on checking them."""
        if self.listing:
            return  # (listed() asks again once every row is there)
        job, workspace = self.model.sort_ahead(), self.session.workspace
        if job is None:
            return
        key, sort = job

        self.listing_tasks.run(
            lambda p: sort(), lambda sorted_: self.model.sorted_ahead(key, sorted_),
            failed="Sorting the list failed", still=self.session.still(workspace),
        )  # fmt: skip

    def fresh_ahead(self) -> None:
        """After a sort of many rows: its int objects made anew in a worker (Listing.fresh_ahead),
        so the first narrowing search after it does not make them."""
        job, workspace = self.model.listing.fresh_ahead(), self.session.workspace
        if job is None:
            return
        key, fresh = job
        self.listing_tasks.run(
            lambda p: fresh(), lambda rows: self.model.listing.freshened(key, rows),
            failed="Sorting the list failed", still=self.session.still(workspace),
        )  # fmt: skip

    def count_facets(self) -> None:
        """Count facets in a worker (a pass over every shown article); emit them when done."""
        if self.model.partial:  # (facets of the whole list: counted once its last pieces are in,
            self.count_later()  # not by listing them all at once on this thread)
            return
        workspace = self.session.workspace
        table, order = workspace.table, self.model.order
        # not copied (a million rows took this thread 300-460 ms): the worker reads the table's
        # columns and the shown rows while this thread may change them; what it counted is
        # shown unless rows went or the list was made anew meanwhile, and a change meanwhile
        # has it counted again (as every change of the rows does)

        def now() -> tuple[int, int, int]:
            return table.version, len(table), len(order)

        stamp = now()
        view, git, dups = table.facet_view(), dict(table.git), table.dups  # (dups: replaced whole)

        def count(_progress: object) -> dict | None:
            try:
                return count_facets(view, order, git, dups=dups)
            except IndexError:  # rows removed under it
                return None

        def counted(counts: dict | None) -> None:
            grew = len(table) >= stamp[1] and self.model.order is order and len(order) >= stamp[2]
            if counts is not None and grew:
                self.facets_counted.emit(counts)
            if counts is None or now() != stamp:
                self.count_later()

        self.tasks.run(count, counted, failed="Counting facets failed", still=self.session.still(workspace))

    # -- the current article and the selection --

    def current_path(self) -> str | None:
        index = self.selection.currentIndex()
        return index.data(Role.PATH) if index.isValid() else None

    def current_row(self) -> int | None:
        index = self.selection.currentIndex()
        return index.data(Role.ROW) if index.isValid() else None

    def selected_rows(self) -> list[int]:
        """Workspace rows of the selection (the current row when nothing is selected)."""
        # walk the selection's ranges: a 10,000-row selection is one range, not 100,000 indexes
        order = self.model.order
        found: set[int] = set()
        for r in self.selection.selection():  # (each range's rows added in C)
            found.update(range(r.top(), min(r.bottom() + 1, len(order))))
        current = self.selection.currentIndex()
        if not found and current.isValid() and current.row() < len(order):
            found.add(current.row())
        return list(map(order.__getitem__, sorted(found)))

    def restore_current(self, path: str | None) -> bool:
        """Make `path` current again if it is listed (without changing the selection)."""
        workspace = self.session.workspace
        row = workspace.rows.get(path) if path else None
        pos = self.model.position(row) if row is not None else None
        if pos is None:
            return False
        index = self.model.index(pos, 0)
        self.selection.setCurrentIndex(index, Flag.NoUpdate)
        self.scroll_requested.emit(index)
        return True

    def select_path(self, path: str) -> bool:
        """Select and show one article, clearing a search that hides it; False if not listed."""
        row = self.session.workspace.rows.get(path)
        if row is None:
            return False
        if row not in self.model.positions():
            self.apply_search("")
        pos = self.model.positions().get(row)
        if pos is None:
            return False
        index = self.model.index(pos, 0)
        self.selection.setCurrentIndex(index, Flag.ClearAndSelect | Flag.Rows)
        self.scroll_requested.emit(index)
        return True

    def reveal_rows(self, rows: list[int]) -> None:
        """The folder of the first of these articles, in the file manager."""
        if rows:
            QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(self.session.workspace.abspath(rows[0]))))

    def reveal(self, path: str) -> None:
        """Show the article if it is listed, else its folder in the file manager."""
        if not self.select_path(path):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str((self.session.workspace.root / path).parent)))

    def rows_added(self, rows: range, first: bool) -> None:
        """Rows arrived while loading: listed at the end; the first batch's first row is made
        current (moved to the top once the list is sorted) a moment later, so the first paint
        of the list and the first preview are two short turns of the event loop, not one long
        (FIRST_CURRENT_MS)."""
        self.model.append(rows, later=not first)  # (the index's batches of 10,000 too: see ArticleModel.append)
        self.sort_later()
        if first and self.model.rowCount():
            self.auto_current = True
            QTimer.singleShot(FIRST_CURRENT_MS, self, self._first_current)

    def _first_current(self) -> None:
        if self.auto_current and self.current_path() is None:  # the editor has not picked one meanwhile
            self.select_first()
            self.auto_current = True

    def loading_started(self) -> None:
        """A load began: its rows arrive in batches until listed() (or loaded())."""
        self.listing = True

    def listed(self) -> None:
        """Every file of the folder is listed (what is left of the load only checks them): the
        gram index catches up now, not after the check (at 1,000,000 articles the check took
        23 s more, and the first searches typed meanwhile scanned every row's text); the rows
        are sorted ahead in a worker."""
        self.listing = False
        self.model.flush_appends()
        self.sort_later()
        self.index_search_later()

    def loaded(self) -> None:
        """A load ended: the list in its final order, the current article kept (when the editor
        picked it) or the first one, the facets counted."""
        self.listing = False
        current = None if self.auto_current else self.current_path()
        self.settling = True  # one update of the preview and the editor at the end, not three
        try:
            self.model.reset_rows()
            if not (current and self.restore_current(current)):
                self.select_first()
        finally:
            self.settling = False
        self.list_changed()
        self.count_later()
        self.index_search_later()

    def index_search(self) -> None:
        """Bring the gram index of the search text up to the folder's rows, in worker processes
        (after a load, and when many rows are searched without it: see Listing.on_stale); until
        it is there, and for rows edited since, searches scan the rows' text."""
        if self._indexing is not None and not self._indexing.done:
            self.index_search_later()  # (again once this one is done)
            return
        if self.model.listing.grams_ready():  # (caught up already: after listed(), for a load's end)
            return
        workspace, index = self.session.workspace, self.session.index()
        table = workspace.table
        if not len(table):
            return
        texts = table.text.snapshot()  # (the rows' pointers: 12 bytes a row, see texts.py)
        mark = table.text_mark()  # (rows edited after this copy are found from it: see Grams.dirty)

        def done(built: grams.Built | None) -> None:
            if built is not None and table is workspace.table:
                self.model.listing.use_grams(grams.Grams(index.gram_reader, table, built, mark))

        def failed(error: BaseException) -> None:
            pass  # searches go on scanning the rows' text, as before the index is there

        workers = 0 if len(texts) <= grams.CHUNK else GRAM_WORKERS
        self._indexing = self.gram_tasks.run(
            lambda p: grams.catch_up(index, texts, p.cancel_event, workers), done,
            failed=failed, still=self.session.still(workspace),
        )  # fmt: skip

    def cancel_indexing(self) -> None:
        self.index_search_later.cancel()
        if self._indexing is not None:
            self._indexing.cancel()

    def files_changed(self, report) -> None:
        """Files were read again (ChangeReport): rows come and go, or show new values."""
        self.read_fields()
        if report.rows_moved:
            current = self.current_path()
            self.model.refresh()
            self.restore_current(current)
        # (rows that show new values: the model follows the workspace's events)

    def select_first(self) -> None:
        if self.model.rowCount():
            self.selection.setCurrentIndex(self.model.index(0, 0), Flag.ClearAndSelect | Flag.Rows)

    def list_changed(self, *_) -> None:
        """The shown rows changed: the current article and the selection follow the list."""
        if self.settling:
            return
        if self.current_path() != self.shown_path:
            self._current_changed()
        self._selection_changed()

    def _selection_changed(self, *_) -> None:
        if not self.settling:
            self.selection_changed.emit(self.selected_rows())

    def _current_changed(self, *_) -> None:
        if self.settling:
            return
        self.auto_current = False
        workspace, path = self.session.workspace, self.current_path()
        self.shown_path = path
        self.current_changed.emit(path)
        if path is not None:
            abspath, fresh = str(workspace.root / path), self.session.still(workspace)
            self.tasks.run(
                lambda p: read_details(abspath, path), lambda details: self.details_ready.emit(path, details),
                failed="Reading the article failed",
                still=lambda: fresh() and self.current_path() == path,
            )  # fmt: skip
        if not self.selection.selectedIndexes():
            self._selection_changed()

    # -- thumbnails --

    def want_positions(self, top: int, bottom: int) -> None:
        """Only rows on screen (and a few around) need thumbnails: queued fetches of others are dropped."""
        order, workspace = self.model.order, self.session.workspace
        urls = set()
        for s in workspace.summaries([order[pos] for pos in range(max(0, top - 5), min(len(order), bottom + 6))]):
            urls.update(u for u in (s.image, s.provider_logo) if u)
        self.thumbs.set_wanted(urls)
