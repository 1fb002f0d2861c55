"""Which rows the list shows, and in what order: the query and the sort over the folder's column
table, Qt-free (the Qt model holds a Listing and only tells the views).

Filtering and sorting run in Python on the table and produce the list of workspace rows shown,
so no sort/filter proxy model sits over Python data (at 100,000 rows a proxy's sort took
seconds; an index list takes tens of milliseconds).
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from curator.core.folder.query import And, narrows, parse, residual
from curator.core.folder.table import NUMBERS, Table, sort_numbers_gently
from curator.core.gently import paused_gc

#: a search that narrows the last one checks only the last one's matches, unless they are more
#: than this share of the rows: a scan of every row into flags is then as quick, and its
#: matches are picked in list order from the flags (see _compute_order)
NARROW_SHARE = 0.5
#: a sort of this many rows or more gets its int objects made anew in a worker (Listing.fresh_ahead)
FRESH_AHEAD_ROWS = 200_000
#: rows fresh_ahead makes in one C call
FRESH_PIECE = 32_768
#: rows a worker places in Positions in one C call
PLACE_PIECE = 8_192
#: a list of this many rows or more is picked in pieces (Listing.compute_pieces): picking 912,774
#: of 1,000,000 sorted rows took 38 ms of a keystroke's turn on the GUI thread
PIECES_FROM = 200_000
#: sorted rows looked through in one piece after the first (~7 ms at 1,000,000 rows)
PIECE = 131_072
#: sorted rows looked through for the first rows, doubled until enough are found
FIRST_SPAN = 4_096
#: a list of this many rows or more that lives on (a sort, its ranks, its picker) is made out of
#: the cyclic collector's sight (see out_of_sight)
OUT_OF_SIGHT_ROWS = 200_000


def out_of_sight(rows: int) -> AbstractContextManager[None]:
    """Make a long list of `rows` that lives on with the collector paused, then frozen out of
    its sight (gently.paused_gc). A young list of a million rows is walked by the next
    collection of the young generation, whichever thread allocates: its int objects lie
    scattered in a heap of gigabytes, and those walks took 70-460 ms with the GIL held (the
    1M bench's longest stalls while sorting, filtering and scrolling)."""
    return paused_gc(keep=True) if rows >= OUT_OF_SIGHT_ROWS else nullcontext()


class Positions:
    """Workspace row -> its shown position, as a read-only mapping over an array.

    8 bytes a row: a dict of 100,000 rows took 8.4 MB (with the int objects of its values),
    this takes 0.8. It is built in C (no bytecode for a busy worker to take the GIL between).
    """

    __slots__ = ("_at",)

    def __init__(self, order: Sequence[int], rows: int, at: array | None = None, piece: int = 0):
        """(`at`: the array itself, taken as it is: see copy; `piece`: see place.)"""
        self._at = at if at is not None else array("q", [-1]) * rows
        if order:
            self.place(order, 0, piece)

    def place(self, rows: Sequence[int], start: int, piece: int = 0) -> None:
        """`rows` are shown from position `start` on; with `piece` (in a worker), placed that
        many at a time, so the GUI thread may take the GIL between (one C call over a million
        rows held it 40 ms and more)."""
        at = self._at
        step = piece or len(rows) or 1
        for first in range(0, len(rows), step):
            part = rows[first : first + step]
            if max(part) >= len(at):  # (a max over a million shuffled rows alone held the GIL 90 ms)
                at.extend([-1] * (max(part) + 1 - len(at)))
            deque(map(at.__setitem__, part, range(start + first, start + first + len(part))), 0)

    def shown(self, rows: Iterable[int]) -> list[int]:
        """The positions of those of `rows` that are shown (read in C: 10,000 rows in 1 ms)."""
        at, n = self._at, len(self._at)
        return [p for p in map(at.__getitem__, [r for r in rows if 0 <= r < n]) if p >= 0]

    def copy(self) -> Positions:
        return Positions((), 0, array("q", self._at))

    def get(self, row: int, default: int | None = None) -> int | None:
        at = self._at
        pos = at[row] if 0 <= row < len(at) else -1
        return default if pos < 0 else pos

    def __contains__(self, row: object) -> bool:
        return isinstance(row, int) and self.get(row) is not None

    def __getitem__(self, row: int) -> int:
        pos = self.get(row)
        if pos is None:
            raise KeyError(row)
        return pos


class Listing:
    """The query and the sort in force, and the rows they pick from a table (see compute)."""

    def __init__(self, table: Callable[[], Table]):
        self._table = table  # the open folder's table (another after a folder is opened)
        self.query: Any = And(())
        self.sort_field = "date"
        self.descending = True
        self._sorted: list[int] = []
        self._sorted_key: tuple | None = None
        #: whether _sorted holds int objects made in its own order: those the sort returns were
        #: made in row order, so a pass over 100,000 of them in sorted order jumped around the
        #: heap (11-23 ms, 5-8 ms over fresh ones); made on the first search that needs it, not
        #: in the sort at the end of a load (9 ms more of that turn)
        self._fresh = False
        self._ahead_positions: Positions | None = None  # of _sorted, when a worker sorted it
        self._ranks_cache: list[int] = []
        self._rank_of: list[int] | None = None
        #: the sorted rows and an itemgetter of them (see _pick), made by the first search that
        #: needs it, dropped with the sort (it holds the old order's int objects: 4 MB at 100k)
        self._picker: tuple[list[int], Callable[[Sequence[int]], tuple[int, ...]]] | None = None
        self._last: tuple[Any, Sequence[int] | FromFlags, tuple[int, int]] | None = None  # query, its matches, table
        #: the gram index of the table's search text, once built (see grams.py and use_grams)
        self.grams: Any = None  # a grams.Grams (a layer above: it builds in worker processes)
        #: called when the gram index should catch up with the table (many rows scanned directly)
        self.on_stale: Callable[[], None] | None = None

    def use_grams(self, grams: Any) -> None:
        """Answer free-text terms from this gram index (built for the current table)."""
        if self.grams is not None and self.grams is not grams:
            self.grams.close()
        self.grams = grams

    def grams_ready(self) -> bool:
        """Whether the gram index answers for (nearly) every row of the table."""
        return self.grams is not None and not self.grams.stale(self.table)

    @property
    def table(self) -> Table:
        return self._table()

    def set_query(self, text: str) -> None:
        """Raises QueryError for a bad query (the query in force stays)."""
        self.query = parse(text)

    def set_sort(self, field: str, descending: bool) -> bool:
        """Whether the sort changed."""
        if (field, descending) == (self.sort_field, self.descending):
            return False
        self.sort_field, self.descending = field, descending
        return True

    def forget_matches(self) -> None:
        """What the query matches changed without the table changing (git: terms), or another
        folder is shown: match again from scratch."""
        self._last = None

    def matching(self, rows: Sequence[int]) -> list[int]:
        """Those of `rows` the query matches (rows appended while a folder loads)."""
        return self.table.select(self.query, rows)

    def _sort_key(self) -> tuple:
        """What the sort in force is cached by (see Table.sort_version)."""
        return (self.table.sort_version(self.sort_field), len(self.table), self.sort_field, self.descending)

    def sorted_rows(self) -> list[int]:
        """Every row in the current sort order, cached until the table or the sort changes.

        Filtering keeps this order, so a keystroke selects rows and never sorts.
        """
        key = self._sort_key()
        if self._sorted_key != key:
            was, table = self._sorted_key, self.table
            with out_of_sight(len(table)):
                if was is not None and was[:3] == key[:3]:  # the same sort the other way: reversed
                    self._sorted = table.flip(self._sorted, self.sort_field)
                else:
                    self._sorted = table.sort(list(range(len(table))), self.sort_field, self.descending)
            self._fresh, self._ahead_positions, self._picker = False, None, None
            self._sorted_key = key
        return self._sorted

    def sort_ahead(self) -> tuple[tuple, Callable[[], tuple[list[int], Positions]]] | None:
        """The sort sorted_rows() would make now, to run in a worker (the table stays as it is
        while rows are only being checked): its cache key and a function of copies; None when
        it is made already or needs the lazy columns (only numeric fields)."""
        key = self._sort_key()
        if self._sorted_key == key or self.sort_field not in NUMBERS:
            return None
        # the column itself, not a copy (a million floats copied held this thread 40 ms and more):
        # what the worker makes of it is kept only if the table is as it was (sorted_ahead)
        column, descending = getattr(self.table, self.sort_field), self.descending

        def sort() -> tuple[list[int], Positions]:
            with out_of_sight(len(column)):
                order = sort_numbers_gently(column, descending)
            return order, Positions(order, len(order), piece=PLACE_PIECE)  # (9-10 ms of the first scroll's turn)

        return key, sort

    def sorted_ahead(self, key: tuple, sorted_: tuple[list[int], Positions]) -> None:
        """A sort made in a worker (see sort_ahead): kept if the table and the sort are still
        as they were, so the end of a load lists the rows without sorting them in this thread
        (nor making their positions)."""
        if key == self._sort_key():
            self._sorted, self._ahead_positions = sorted_
            self._sorted_key, self._fresh, self._picker = key, True, None  # (made in its order)

    def fresh_ahead(self) -> tuple[tuple, Callable[[], list[int]]] | None:
        """The int objects of the current sort made anew in its order (see _fresh), to make in a
        worker a piece at a time: its cache key and the function; None when they are fresh
        already. Made on the first narrowing search instead, they were 97 ms of that keystroke
        at 1,000,000 rows. Only the sort made already (sorting is the search's work, not this)."""
        key = self._sort_key()
        if self._fresh or self._sorted_key != key or len(self._sorted) < FRESH_AHEAD_ROWS:
            return None
        ordered = self._sorted

        def fresh() -> list[int]:
            out: list[int] = []
            with out_of_sight(len(ordered)):
                for start in range(0, len(ordered), FRESH_PIECE):  # (the GIL may change hands between)
                    out.extend(array("q", ordered[start : start + FRESH_PIECE]).tolist())
            return out

        return key, fresh

    def freshened(self, key: tuple, rows: list[int]) -> None:
        """Take what fresh_ahead's function made, if the sort and the table are as they were."""
        if key == self._sorted_key and not self._fresh and len(rows) == len(self._sorted):
            self._sorted, self._fresh, self._picker = rows, True, None

    def compute(self) -> list[int]:
        """The matching rows in sort order.

        Matching runs over rows in storage order (the search text of neighbouring rows lies
        close in memory, which at 100,000 rows is twice as fast as visiting them sorted), and
        only over the last search's matches when this search narrows it.
        """
        picking = self.compute_pieces(None)
        return picking.first

    def compute_pieces(self, first: int | None) -> Picking:
        """compute(), its first `first` rows at once and the rest a piece at a time (see
        Picking) when the list is long (PIECES_FROM); `first` None: every row at once. The
        matching is done at once (in C: flags of every row); only the picking in sort order
        waits. Pieces come from the sort of this call: what changes after (edits, a new
        sort) shows at the next compute, as for a list computed whole."""
        table = self.table
        if isinstance(self.query, And) and not self.query.nodes:  # no search: every row, and no
            self._last = None  # list of them kept as "the last matches" (100,000 ints are 3.6 MB)
            return self._every(self.sorted_rows(), first)
        key = (table.version, len(table))
        last = self._last
        base = last[1] if last is not None and last[2] == key and narrows(self.query, last[0]) else None
        flags = None
        broad = base is None or len(base) > NARROW_SHARE * len(table)
        if broad or (self.grams is not None and self.grams.exact(self.query)):  # (lookups beat narrowing)
            flags = self._gram_flags(table)
        if flags is None and broad:
            flags = table.flags(self.query)  # (None for a query of other terms)
        if flags is not None:
            hits: Sequence[int] | FromFlags = FromFlags(flags)
        else:  # (narrowing: only what the last query's matches do not already match is checked)
            hits = table.select(self.query if base is None else residual(self.query, last[0]), base)
        self._last = (self.query, hits, key)
        ordered = self.sorted_rows()
        count = len(hits)
        if count == len(ordered):
            return self._every(ordered, first)
        in_pieces = first is not None and len(ordered) >= PIECES_FROM and count > first
        if count * 8 < len(ordered) and not (in_pieces and count > PIECE):
            return Picking(sorted(hits, key=self._ranks().__getitem__), count)  # a few: by their place
        if not self._fresh:  # int objects made in this order (see _fresh), once per sort
            self._sorted[:] = array("q", ordered).tolist()
            ordered, self._fresh, self._picker = self._sorted, True, None
        if flags is None:
            keep = bytearray(len(ordered))  # a flag per row: 100 KB that caches hold, where a set's table does not
            deque(map(keep.__setitem__, hits, repeat(1)), maxlen=0)  # set in C (a loop here took 10 ms at 100k)
            flags = keep
            if len(hits) >= OUT_OF_SIGHT_ROWS:  # kept as flags: a list of 339,440 matches kept as the
                self._last = (self.query, FromFlags(keep), key)  # last ones was walked by a collection (62 ms)
        if in_pieces:
            picking = Picking([], count, ordered, flags)
            span = FIRST_SPAN
            while len(picking.first) < first and not picking.done:  # (growing: matches may be sparse)
                picking.first += picking.more(span)
                span *= 2
            return picking
        return Picking(self._pick(ordered, flags), count)

    @staticmethod
    def _every(ordered: list[int], first: int | None) -> Picking:
        """Every sorted row: a long list in pieces (see compute_pieces). One copy of a million
        rows held the GUI thread 37 ms and more, and the collector walked it again after."""
        if first is not None and len(ordered) >= PIECES_FROM:
            picking = Picking([], len(ordered), ordered)
            picking.first = picking.more(first)
            return picking
        return Picking(list(ordered), len(ordered))

    def _gram_flags(self, table: Table) -> bytes | None:
        """Flags of the rows the query matches, from the gram index (None when it cannot say)."""
        grams = self.grams
        if grams is None:
            return None
        if grams.stale(table) and self.on_stale is not None:
            self.on_stale()
        return grams.flags(table, self.query)

    def _pick(self, ordered: list[int], flags: Sequence[int]) -> list[int]:
        """The rows of `ordered` whose flag (indexed by row) is set, in that order.

        An itemgetter of every sorted row (a tuple of 100,000 references, 800 KB, made once per
        sort) reads the flags in sorted order in one C call: 2.7 ms at 100,000 rows, where
        mapping flags.__getitem__ over them took 7.3.
        """
        if len(ordered) < 2:
            return [r for r in ordered if flags[r]]
        if self._picker is None or self._picker[0] is not ordered:
            with out_of_sight(len(ordered)):
                self._picker = (ordered, itemgetter(*ordered))
        return list(compress(ordered, self._picker[1](flags)))

    def _ranks(self) -> list[int]:
        """Row -> its place in sorted_rows()."""
        ordered = self.sorted_rows()
        if self._rank_of is not ordered:
            with out_of_sight(len(ordered)):
                ranks = [0] * len(ordered)
                for i, r in enumerate(ordered):
                    ranks[r] = i
            self._ranks_cache, self._rank_of = ranks, ordered
        return self._ranks_cache

    def sorted_positions(self, shown: int) -> Positions | None:
        """The positions a worker's sort came with (see sort_ahead), when all `shown` rows are the
        sorted ones; None (built when first needed) otherwise."""
        ahead = self._ahead_positions
        if ahead is None or shown != len(self._sorted):
            return None  # (the order is the sorted one when it is as long: filtering keeps its order)
        return ahead.copy()  # (appended rows are placed in the copy)


class Picking:
    """A computed list (Listing.compute_pieces): `first`, its first rows, then the rest a piece
    at a time (`more`) or at once (`rest`); `count` the rows of the whole list, known at once.
    `shown(row)` tells whether a row is in the whole list (those not picked yet included).

    The rest is picked from the sorted rows left (`ordered`, from `at` on) by their flags, a
    slice at a time through an itemgetter (in C; a lazy map over the flags took twice as long);
    without flags, every row of `ordered` is in the list."""

    __slots__ = ("_at", "_ordered", "count", "first", "flags")

    def __init__(
        self, first: list[int], count: int, ordered: Sequence[int] | None = None, flags: Sequence[int] | None = None
    ):
        self.first, self.count, self.flags = first, count, flags
        self._ordered, self._at = ordered, 0

    @property
    def done(self) -> bool:
        return self._ordered is None or self._at >= len(self._ordered)

    def more(self, span: int = PIECE) -> list[int]:
        """The rows of the list among the next `span` sorted rows ([] when none is, or once done)."""
        if self.done:
            return []
        part = self._ordered[self._at : self._at + span]
        self._at += len(part)
        if self.flags is None:
            return part
        if len(part) < 2:
            return [r for r in part if self.flags[r]]
        return list(compress(part, itemgetter(*part)(self.flags)))

    def rest(self) -> list[int]:
        """Every row not taken yet."""
        return self.more(len(self._ordered) - self._at) if not self.done else []

    def shown(self, row: int) -> bool:
        """Whether `row` is in the whole list (asked only while pieces are left)."""
        if self.flags is None:
            return self._ordered is not None and 0 <= row < len(self._ordered)  # (every row: 0 to n-1)
        return 0 <= row < len(self.flags) and bool(self.flags[row])


class FromFlags:
    """The rows whose flag is set (Table.flags), in row order: counted in C, listed when read
    (a search that narrows this one reads them; most never are)."""

    __slots__ = ("_count", "flags")

    def __init__(self, flags: bytes | bytearray):
        self.flags = flags
        self._count = flags.count(1)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        return compress(range(len(self.flags)), self.flags)
