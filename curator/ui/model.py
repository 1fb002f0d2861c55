"""The article list model: a thin Qt adapter over a core Workspace and the Listing that picks and
orders its rows (core.folder.listing: the query and the sort, Qt-free); `order` is the list of
workspace rows shown, so no sort/filter proxy model sits over Python data.
"""

from __future__ import annotations

import enum
import html
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont

from ..core import words
from ..core.folder.listing import PIECE, Listing, Picking, Positions, out_of_sight
from ..core.folder.table import Table
from ..core.folder.workspace import Changed, Workspace
from ..core.gently import busy_while
from . import theme
from .tasks import Tasks

Index = QModelIndex | QPersistentModelIndex


#: rows read from the index in a worker around the row shown, in the order shown, whenever the
#: rows shown move this many or more: the rows the list is about to show are there before it
#: paints them (see ArticleModel.read_ahead)
AHEAD = 128
#: rows a paint reads itself, in the order shown from the row it needs, when that row has no
#: Summary (read ahead, it has), and rows read ahead where a scroll lands: a screen of cards,
#: most of the table's. At 100,000 articles a read of 128 rows took 3.6 ms (idle), 6 ms of
#: this thread's time in the fast scroll of the browse bench (which read at every step), 64
#: rows 2.5 ms, 32 rows 0.7 ms
SCREEN = 24


class Role(enum.IntEnum):
    SUMMARY = Qt.ItemDataRole.UserRole + 1
    PATH = enum.auto()
    DIRTY = enum.auto()
    CHANGED_ON_DISK = enum.auto()  # unsaved edits, and the file changed the same values on disk
    THUMBNAIL = enum.auto()
    LOGO = enum.auto()
    ROW = enum.auto()
    GIT = enum.auto()  # the file's git state (core.team.git.State) or None
    IMAGE_FAILED = enum.auto()  # the article has an image (or logo) and none of them could be shown
    CARD = enum.auto()  # all a card paints, as a Card: one call, where seven took a fifth of its time


#: the roles a change of an article's values touches (see ItemModel._workspace_changed)
VALUE_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Role.SUMMARY, Role.DIRTY)


class Card(NamedTuple):
    summary: Any  # core.site.article.Summary
    dirty: bool
    changed_on_disk: bool
    thumbnail: Any  # a QPixmap, or None until it is there
    image_failed: bool
    logo: Any
    git: Any


COLUMNS = ("title", "provider", "date", "quality", "heat", "published", "topics", "category", "type", "path", "git")
HEADERS = ("Title", "Provider", "Date", "Quality", "Heat", "Published", "Topics", "Category", "Type", "Path", "Git")
#: The columns the list can be sorted by (the git state is shown, not sorted).
SORTABLE = COLUMNS[:-1]
#: rows that arrive while a folder loads are listed together at most this often (see append)
APPEND_MS = 250


#: a list this long is told of changed rows in one signal over it when its positions are not made
SPAN_ROWS = 100_000
#: rows a long list shows at once after a search; the rest come a piece per turn of the event
#: loop (Listing.compute_pieces), or at once when anything needs the whole list (complete)
FIRST_ROWS = 2_048


class ArticleModel(QAbstractTableModel):
    #: shown rows, total rows
    counts_changed = Signal(int, int)
    #: field, descending
    sort_changed = Signal(str, bool)

    def __init__(
        self, workspace: Workspace, thumbnails: Any = None, parent=None,
        git_state: Callable[[str], Any] = lambda path: None, reads: Tasks | None = None,
    ):  # fmt: skip
        """`git_state(path)`: the file's core.team.git.State, or None (GitController.state);
        `reads`: a one-thread pool that reads rows from the index ahead of the paints (see
        read_ahead; without it a paint reads the rows it shows)."""
        super().__init__(parent)
        self.workspace = workspace
        self.thumbnails = thumbnails
        self.reads = reads
        #: where rows were last read ahead (a position shown), and the read that waits for the
        #: one running (only the last one asked for: the list has moved on since the others)
        self._ahead_at: int | None = None  # (None: the list changed since; no pace to follow)
        self._ahead_running = False
        self._ahead_next: tuple[int, int] | None = None  # (position, moved)
        self.order: list[int] = []  # the workspace rows shown, in order (see Listing)
        self.listing = Listing(lambda: self.workspace.table)
        self.git_state = git_state
        self._positions: Positions | None = None
        self._waiting: dict[str, dict[int, int]] = {}  # url -> {row: the position it was painted at}
        #: other fields shown as columns after COLUMNS: their keys, and {key: {path: text}}
        self.extra: list[str] = []
        self.extra_text: dict[str, dict[str, str]] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        #: rows appended while loading, listed together every APPEND_MS (see append)
        self._appending: list[int] = []
        self._append_timer = QTimer(self, singleShot=True, interval=APPEND_MS, timeout=self.flush_appends)
        #: the rest of the list being shown a piece at a time (see refresh and complete)
        self._picking: Picking | None = None
        self._piece_timer = QTimer(self, singleShot=True, interval=0, timeout=self._next_piece)
        if thumbnails is not None:
            thumbnails.ready.connect(self._thumbnail_ready)
        workspace.subscribe(self._workspace_changed)

    def set_workspace(self, workspace: Workspace) -> None:
        """Show another folder's workspace (empty until its rows are appended)."""
        self.beginResetModel()
        self.workspace.unsubscribe(self._workspace_changed)
        workspace.subscribe(self._workspace_changed)
        self.workspace = workspace
        self.order = []
        self._ahead_at = None
        self._appending = []
        self._positions = None
        self._stop_pieces()
        self.listing.forget_matches()
        self.listing.use_grams(None)  # (the last folder's: its texts go with it)
        self.extra, self.extra_text = [], {}  # another folder's values: read again for it
        self.endResetModel()

    @property
    def table(self) -> Table:
        return self.workspace.table

    @property
    def query(self) -> Any:
        return self.listing.query

    @property
    def sort_field(self) -> str:
        return self.listing.sort_field

    @property
    def descending(self) -> bool:
        return self.listing.descending

    def sorted_rows(self) -> list[int]:
        return self.listing.sorted_rows()

    def search_ready(self) -> bool:
        """Whether searches are answered from the gram index (see Listing.grams_ready)."""
        return self.listing.grams_ready()

    def sort_ahead(self) -> tuple[tuple, Callable[[], tuple[list[int], Positions]]] | None:
        return self.listing.sort_ahead()

    def sorted_ahead(self, key: tuple, sorted_: tuple[list[int], Positions]) -> None:
        self.listing.sorted_ahead(key, sorted_)

    # -- Qt model API --

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS) + len(self.extra)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(HEADERS):
                return HEADERS[section]
            if 0 <= section - len(HEADERS) < len(self.extra):
                return self.extra[section - len(HEADERS)]
        return None

    def set_extra_columns(self, texts: dict[str, dict[str, str]]) -> None:
        """Show these other fields as columns after the built-in ones, in this order."""
        if self.extra:
            self.beginRemoveColumns(QModelIndex(), len(COLUMNS), len(COLUMNS) + len(self.extra) - 1)
            self.extra, self.extra_text = [], {}
            self.endRemoveColumns()
        if texts:
            self.beginInsertColumns(QModelIndex(), len(COLUMNS), len(COLUMNS) + len(texts) - 1)
            self.extra, self.extra_text = list(texts), dict(texts)
            self.endInsertColumns()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.order):
            return None
        row = self.order[index.row()]
        if row < 0:  # (a row leaving the list: see _rows_removed)
            return None
        pos = index.row()
        s = self.table.summaries.peek(row)
        if s is None:  # not read ahead: read now with the rows shown after it (see Summaries)
            near = self.order[max(0, pos - SCREEN // 4) : pos + SCREEN]
            s = self.table.summaries.take([row, *(r for r in near if r >= 0 and r != row)])[0]
        if self._ahead_at is None or abs(pos - self._ahead_at) >= AHEAD // 2:
            self.read_ahead(pos)
        if index.column() >= len(COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.extra_text[self.extra[index.column() - len(COLUMNS)]].get(s.path, "")
            return self._bold if role == Qt.ItemDataRole.FontRole and self.workspace.is_dirty(row) else None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, column, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "title":
                return s.title  # plain text: the views show tooltips with Qt.PlainText via delegate
            return self._display(s, column, row)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "title":
            return self._spoken(s, row)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == "title":
            return spoken_details(s)
        if role == Role.CARD:
            thumbnail = self._image(index.row(), row, s.image or s.provider_logo, fallback=s.provider_logo)
            return Card(
                s,
                self.workspace.is_dirty(row),
                s.path in self.workspace.changed_on_disk,
                thumbnail,
                (thumbnail is None or thumbnail.isNull()) and self._image_failed(s),
                self._image(index.row(), row, s.provider_logo) if s.provider_logo else None,
                self.git_state(s.path),
            )
        if role == Role.SUMMARY:
            return s
        if role == Role.ROW:
            return row
        if role == Role.PATH:
            return s.path
        if role == Role.DIRTY:
            return self.workspace.is_dirty(row)
        if role == Role.CHANGED_ON_DISK:
            return s.path in self.workspace.changed_on_disk
        if role == Role.THUMBNAIL:
            return self._image(index.row(), row, s.image or s.provider_logo, fallback=s.provider_logo)
        if role == Role.GIT:
            return self.git_state(s.path)
        if role == Role.IMAGE_FAILED:
            return self._image_failed(s)
        if role == Role.LOGO:
            return self._image(index.row(), row, s.provider_logo) if s.provider_logo else None
        if role == Qt.ItemDataRole.FontRole and self.workspace.is_dirty(row):
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and column == "published" and not s.published:
            return QBrush(theme.color("unpublished"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("quality", "heat"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def read_ahead(self, pos: int) -> None:
        """Read from the index, in the `reads` worker, the summaries of the rows around the
        position `pos` shown and of the screens a scroll at its last pace shows next (it moved
        by `pos` less the position of the last read ahead; twice that far): a paint then finds
        them there, and this thread neither reads nor decodes them. One read runs at a time;
        asked meanwhile, the last one asked for follows it."""
        moved, self._ahead_at = 0 if self._ahead_at is None else pos - self._ahead_at, pos
        if self.reads is None or self.table.summaries.fetch is None:
            return
        if self._ahead_running:
            self._ahead_next = (pos, moved)
            return
        order, table = self.order, self.table
        summaries = table.summaries
        if AHEAD // 2 < abs(moved) < len(order):  # jumps: the screens where the next two land at this pace
            spans = [
                range(max(0, at - SCREEN // 4), min(len(order), max(0, at + SCREEN)))
                for at in (pos + moved, pos + 2 * moved)
            ]
        else:  # a few rows at a time: the rows around
            spans = [range(max(0, pos - AHEAD // 4), min(len(order), pos + AHEAD - AHEAD // 4))]
        rows = summaries.missing(dict.fromkeys(r for span in spans for p in span if (r := order[p]) >= 0))
        if not rows:
            return
        paths = [summaries.paths[r] for r in rows]
        version, fetch = table.version, summaries.fetch
        self._ahead_running = True
        self.reads.run(
            lambda progress: fetch(paths),
            lambda found: self._read_ahead_came(table, version, rows, [found[p] for p in paths]),
            failed=lambda error: None,  # (a paint reads its rows itself)
            still=lambda: self.table is table,
            dropped=self._read_ahead_done,
        )

    def _read_ahead_came(self, table: Table, version: int, rows: list[int], summaries: list) -> None:
        """Put what was read where rows have none yet, unless the table changed meanwhile (its
        rows renumbered, or given other summaries: what was read may be stale); see Summaries.fill."""
        if table.version == version:
            table.summaries.fill(rows, summaries)
        self._read_ahead_done()

    def _read_ahead_done(self) -> None:
        self._ahead_running = False
        if self._ahead_next is not None:
            (pos, moved), self._ahead_next = self._ahead_next, None
            self._ahead_at = pos - moved
            self.read_ahead(pos)

    def _display(self, s, column: str, row: int) -> str:
        if column == "title":
            changed = "⚠ changed on disk · " if s.path in self.workspace.changed_on_disk else ""
            return changed + ("● " if self.workspace.is_dirty(row) else "") + (s.title or s.path)
        if column == "provider":
            return s.provider_name or s.provider_domain
        if column == "date":
            return s.date.astimezone().strftime("%Y-%m-%d %H:%M") if s.date else ""
        if column in ("quality", "heat"):
            value = getattr(s, column)
            return "" if value is None else str(value)
        if column == "published":
            return "yes" if s.published else "no"
        if column == "topics":
            return ", ".join(s.topics)
        if column == "git":
            state = self.git_state(s.path)
            return state.value if state is not None else ""
        return getattr(s, column)

    def _spoken(self, s, row: int) -> str:
        """What a screen reader says of an article: its title, then its state and quality (what
        the card shows as badges, the table as columns)."""
        state = ["unpublished" if not s.published else "published"]
        if self.workspace.is_dirty(row):
            state.append("unsaved changes")
        if s.path in self.workspace.changed_on_disk:
            state.append("changed on disk")
        if (git := self.git_state(s.path)) is not None:
            state.append(f"git: {git.value}")
        if s.quality is not None:
            state.append(f"quality {s.quality}")
        if s.warnings:
            state.append(words.count(len(s.warnings), "problem"))
        return f"{html.unescape(s.title or s.path)} — {', '.join(state)}"

    def _image_failed(self, s) -> bool:
        urls = [u for u in (s.image, s.provider_logo) if u]
        return bool(urls) and self.thumbnails is not None and all(self.thumbnails.error(u) for u in urls)

    def _image(self, pos: int, row: int, url: str, fallback: str = "") -> Any:
        """The image of `url` for the row shown at `pos`, or None while it is fetched (the row is
        told when it comes: see _thumbnail_ready)."""
        if self.thumbnails is None or not url:
            return None
        image = self.thumbnails.get(url, fallback)
        if image is None:
            self._waiting.setdefault(url, {})[row] = pos
        return image

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < len(COLUMNS) and COLUMNS[column] in SORTABLE:
            self.set_sort(COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        else:
            self.sort_changed.emit(self.sort_field, self.descending)  # the header shows the sort in force

    def requery(self) -> None:
        """Match the query again (what it matches changed without the table changing: git: terms)."""
        self.listing.forget_matches()
        self.refresh()

    def git_changed(self) -> None:
        """The git states changed (a new status was read): every row may show another badge."""
        if self.order:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.order) - 1, len(COLUMNS) - 1), [Role.GIT])

    # -- filtering and sorting --

    def set_query(self, text: str) -> None:
        """Raises QueryError for a bad query (the current filter stays)."""
        self.listing.set_query(text)
        self.refresh()

    def set_sort(self, field: str, descending: bool) -> None:
        """Sort by `field`; emits sort_changed (also when it was already so: views show it)."""
        if self.listing.set_sort(field, descending):
            self.refresh()
        self.sort_changed.emit(field, descending)

    def refresh(self) -> None:
        """Recompute the shown rows from the whole table. A long list shows its first rows at
        once and the rest a piece per turn of the event loop (a search's first screenful is
        not kept waiting by the last of a million rows); complete() lists them all at once."""
        self._stop_pieces()
        with busy_while():  # (background work that can wait leaves the GIL to this and the paints after)
            picking = self.listing.compute_pieces(FIRST_ROWS)
        order = picking.first
        self._appending = []  # (the order holds them: it is computed from every row of the table)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self.order[i.row()] if i.row() < len(self.order) else -1 for i in old]
        distinct = set(old_rows)  # (a table's current row has a persistent index per column)
        if not picking.done:  # the current and selected rows stay where they are listed
            if len(distinct) > 16:
                order.extend(picking.rest())
            else:
                wanted = {r for r in distinct if r >= 0 and picking.shown(r)} - set(order)
                while wanted and not picking.done:
                    piece = picking.more()
                    order.extend(piece)
                    wanted.difference_update(piece)
        self.order = order
        self._ahead_at = None
        self._positions = self.listing.sorted_positions(len(self.order))
        if len(distinct) > 16:
            positions = self.positions()
            position = positions.get
        else:  # a few rows (the current one): look each up once, no need to index every row
            found: dict[int, int | None] = {}
            for r in distinct:
                try:
                    found[r] = order.index(r)
                except ValueError:
                    found[r] = None
            position = found.get

        new = []
        for r, i in zip(old_rows, old, strict=True):
            pos = position(r)
            new.append(self.index(pos, i.column()) if pos is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        if not picking.done:
            self._picking = picking
            self._piece_timer.start()
        self.counts_changed.emit(picking.count, len(self.table))

    @property
    def partial(self) -> bool:
        """Whether rows of the list are still to come (see refresh)."""
        return self._picking is not None

    def complete(self) -> None:
        """List every row still to come now: whatever reads the whole list (select all, the
        triage queue, positions) calls this first, and so does input in the views (facet counts
        wait for the last piece instead)."""
        picking = self._picking
        self._stop_pieces()
        if picking is not None:
            with out_of_sight(picking.count):  # (the whole list, as its last piece is: see _next_piece)
                self._insert(picking.rest())

    def _next_piece(self) -> None:
        picking = self._picking
        if picking is None:
            return
        with busy_while():
            rows = picking.more(PIECE)
            if picking.done:
                self._picking = None
            # the list whole: out of the collector's sight (a walk of a million rows: 59 ms)
            with out_of_sight(picking.count if picking.done else 0):
                self._insert(rows)
        if self._picking is not None:
            self._piece_timer.start()

    def _insert(self, rows: list[int]) -> None:
        """Rows at the end of the list (those still to come of the last refresh, or arrivals)."""
        if rows:
            start = len(self.order)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.order.extend(rows)
            if self._positions is not None:
                self._positions.place(rows, start)
            self.endInsertRows()

    def _stop_pieces(self) -> None:
        self._picking = None
        self._piece_timer.stop()

    def reset_rows(self) -> None:
        self._stop_pieces()
        self.beginResetModel()
        with busy_while(), out_of_sight(len(self.table)):
            self.order = self.listing.compute()
        self._ahead_at = None
        self._appending = []
        self._positions = self.listing.sorted_positions(len(self.order))
        self.endResetModel()
        self.counts_changed.emit(len(self.order), len(self.table))

    def append(self, rows: Iterable[int], later: bool = False) -> None:
        """Rows loaded while opening: matching ones go at the end until the load completes.

        With `later`, they are listed with the others that arrive within APPEND_MS: each insert
        makes the views lay out and paint what they show again (the first screen, unchanged),
        and 100,000 rows arrive in hundreds of batches (that painting took 4 of the 5 s of CPU
        this thread spent on a cold open).
        """
        if later:
            self._appending.extend(rows)
            if not self._append_timer.isActive():
                self._append_timer.start()
            return
        self.complete()
        self.flush_appends()  # (in order)
        self._append(list(rows))

    def flush_appends(self) -> None:
        """List the rows waiting to be appended now."""
        self.complete()  # (after the list's own rows)
        self._append_timer.stop()
        if self._appending:
            rows, self._appending = self._appending, []
            self._append(rows)

    def _append(self, rows: list[int]) -> None:
        self._insert(self.listing.matching(rows))
        self.counts_changed.emit(len(self.order), len(self.table))

    def positions(self) -> Positions:
        """Workspace row -> shown position, built when first needed after a change of order."""
        self.complete()
        if self._positions is None:
            self._positions = Positions(self.order, len(self.table))
        return self._positions

    def position(self, row: int) -> int | None:
        """Where `row` is listed (None: not listed). While pieces are left, the rows shown are
        looked through first: a search keeps the current row among them (see refresh)."""
        picking = self._picking
        if picking is not None:
            try:
                return self.order.index(row)
            except ValueError:
                if not picking.shown(row):
                    return None
        return self.positions().get(row)

    def _workspace_changed(self, event: Changed) -> None:
        """The workspace's event (core.folder.workspace.Changed) as the roles it touches."""
        if event.removed:
            self._rows_removed(event.removed)
            return
        roles = [*VALUE_ROLES, Role.CHANGED_ON_DISK] if event.disk else VALUE_ROLES
        self.rows_changed(event.rows, roles)

    def _rows_removed(self, gone: Sequence[int]) -> None:
        """Rows left the workspace (their old numbers, ascending): number the others as the
        workspace does now, then take the gone ones out of the list (the views and the
        selection follow, so nothing reads a row by its old number after)."""
        self.complete()  # (the rows still to come are numbered as before too)
        positions = sorted(self.positions().shown(gone))
        leaving = set(gone)
        self.order = [-1 if r in leaving else r - bisect_left(gone, r) for r in self.order]
        self._appending = [r - bisect_left(gone, r) for r in self._appending if r not in leaving]
        self._waiting.clear()  # (the thumbnails still wanted ask again when painted)
        self._positions = None
        self.listing.forget_matches()
        runs: list[list[int]] = []
        for pos in positions:
            if runs and pos == runs[-1][1] + 1:
                runs[-1][1] = pos
            else:
                runs.append([pos, pos])
        for first, last in reversed(runs):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self.order[first : last + 1]
            self._positions = None
            self.endRemoveRows()
        if positions:
            self.counts_changed.emit(len(self.order), len(self.table))

    def rows_changed(self, rows: Iterable[int], roles: Sequence[int] | None = None) -> None:
        """Tell the views that these workspace rows show new values (names the roles)."""
        roles = list(roles or [*VALUE_ROLES, Role.CHANGED_ON_DISK])
        last = self.columnCount() - 1
        if self._positions is None and len(self.order) >= SPAN_ROWS:
            # A long list whose positions are not made: they are not made for this (a million
            # rows: 250-350 ms of this thread); one signal over the list, and the views repaint
            # what they show, as for rows here and there below.
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.order) - 1, last), roles)
            return
        shown = sorted(self.positions().shown(rows))
        if not shown:
            return
        if len(shown) > 64 and shown[-1] - shown[0] + 1 > len(shown):
            # many rows here and there (every other article of a search): one signal over the
            # span costs the views the same (they repaint what is on screen) and no 1,000s of calls
            self.dataChanged.emit(self.index(shown[0], 0), self.index(shown[-1], last), roles)
            return
        # one signal per run of neighbouring rows keeps a 10,000-row batch cheap
        start = prev = shown[0]
        for pos in [*shown[1:], None]:
            if pos is not None and pos == prev + 1:
                prev = pos
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, last), roles)
            if pos is not None:
                start = prev = pos

    def _thumbnail_ready(self, url: str) -> None:
        rows = self._waiting.pop(url, None)
        if not rows:
            return
        order = self.order
        for row, pos in rows.items():
            # Where it was painted, if it is still there; else where the positions say, if they are
            # made. Not made, they are not made for this (a million rows: ~40 ms of this thread
            # after every search): the list changed since the paint, so its rows are painted
            # again and ask for the image again (see refresh and _rows_removed).
            if not (pos < len(order) and order[pos] == row):
                pos = self._positions.get(row) if self._positions is not None else None
            if pos is not None:
                self.dataChanged.emit(self.index(pos, 0), self.index(pos, 0), [Role.THUMBNAIL, Role.LOGO])


def spoken_details(s) -> str:
    """The rest of a card, for a screen reader: provider, date, topics, excerpt."""
    parts = [s.provider_name or s.provider_domain, s.date.astimezone().strftime("%d %B %Y") if s.date else ""]
    parts.append(f"topics: {', '.join(s.topics)}" if s.topics else "no topics")
    parts.append(html.unescape(s.excerpt))
    return ". ".join(p for p in parts if p)
