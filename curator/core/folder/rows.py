"""The rows of a Table that are not columns of the index: each row's Summary, kept only for the
rows read lately (Summaries, fetched from the index when read), and the values facet counts,
topic counts and has: terms read of every row (Facets, FacetView).

Split from table.py, which searches, sorts and counts over these and the index's columns.
"""

from __future__ import annotations

from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import add, attrgetter, eq, getitem, mul, ne
from typing import Any

from curator.core.site.article import Summary

#: Rows whose summaries Summaries fetches at once from the index (SQLite allows 32,766 parameters).
FETCH = 500
#: Summary objects read from the index that Summaries keeps, most recent ones (see Summaries):
#: a few screens of cards and the rows fetched around them, not the folder's.
KEEP = 4 * FETCH


class Summaries(list):
    """The summaries of a Table, where rows that the index holds may be None.

    A warm open shows the list from columns of the index; a row's Summary is fetched when it
    is read, through `fetch` (paths -> {path: Summary}): that row alone when indexed, FETCH
    rows a query when iterated or taken (a view takes the rows shown around it). Only the
    last KEEP rows fetched keep theirs (`cached`, oldest first): reading an older one fetches
    it again, equal. Rows given a Summary otherwise (a cold open's, a file read again, an
    edit) keep it, so an unsaved value is never read back from the index; see `indexed` to
    let those go once the index holds them. Whole-folder passes read what they need from the
    Table's columns and Facets, or through `read`, which keeps nothing.
    Indexing and iterating give Summary objects; list methods that do not read items (len,
    copy, slicing assignment) see what is stored.
    """

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []  # the table's paths column
        self.fetch: Callable[[Sequence[str]], dict[str, Summary]] | None = None
        #: rows whose Summary came from the index, least recently fetched first (dropped past KEEP)
        self.cached: OrderedDict[int, None] = OrderedDict()

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        item = list.__getitem__(self, i)
        if item is None:
            i = range(len(self))[i]  # a negative index too
            # Only this row: rows read here and there (a batch in list order), each fetching
            # FETCH neighbours into a cache of KEEP, fetched ~5 million rows for a 10,000-row
            # publish. Iterating (in table order) fetches FETCH rows a query; many rows read
            # at once: take, or read.
            item = self.take([i])[0]
        return item

    def __setitem__(self, i, value) -> None:
        """A Summary put here is kept (see cached); a slice replaces what is stored."""
        list.__setitem__(self, i, value)
        if not isinstance(i, slice):
            self.cached.pop(range(len(self))[i], None)

    def __iter__(self) -> Iterator[Summary]:
        for start in range(0, len(self), FETCH):
            yield from self.take(range(start, min(start + FETCH, len(self))))

    def peek(self, row: int) -> Summary | None:
        """The row's Summary if it has one now (None: only the index has it); never fetches."""
        return list.__getitem__(self, row)

    def take(self, rows: Sequence[int]) -> list[Summary]:
        """The summaries of `rows`, read in C (10,000 selected rows: 1 ms, not 10), fetching
        those not there in one query per FETCH rows; they stay as the most recent, the first
        ones asked for most (see cached)."""
        got = list(map(list.__getitem__, repeat(self), rows))
        if all(got):  # (not `None in`: that calls Summary.__eq__ per row)
            return got
        missing = list(dict.fromkeys(r for r, s in zip(rows, got, strict=True) if s is None))
        fetched = dict(zip(missing, self.read(missing), strict=True))
        for r, s in fetched.items():
            list.__setitem__(self, r, s)
        self._keep(reversed(missing))  # (the first rows asked for are the last to go)
        return [s if s is not None else fetched[r] for r, s in zip(rows, got, strict=True)]

    def missing(self, rows: Iterable[int]) -> list[int]:
        """Those of `rows` whose Summary only the index has now (to read ahead: see fill)."""
        return [r for r in rows if list.__getitem__(self, r) is None]

    def fill(self, rows: Sequence[int], summaries: Sequence[Summary]) -> int:
        """Summaries read from the index elsewhere (a worker, ahead of the rows shown), put where
        the row has none yet and is still that path; kept as fetched ones are (see cached).
        Returns how many were put. The caller drops what was read before a change of the rows
        (Table.version): a row given a Summary since keeps it, an unsaved value is never
        replaced by the index's."""
        paths, put = self.paths, []
        for r, s in zip(rows, summaries, strict=True):
            if r < len(self) and list.__getitem__(self, r) is None and paths[r] == s.path:
                list.__setitem__(self, r, s)
                put.append(r)
        self._keep(reversed(put))
        return len(put)

    def hold(self, rows: Sequence[int]) -> dict[int, Summary]:
        """Keep the summaries of `rows` that came from the index (among the last KEEP, or fetched
        now, in one query per FETCH rows) until `let_go`: a batch of more rows than KEEP, read
        first and used again after (an edit planned, then applied), would push its first rows
        out before it is done and fetch them twice. Returns the rows held with their summaries;
        rows whose Summary is kept anyway (an edit's, a cold open's) are not among them."""
        cached, held = self.cached, {}
        for r in rows:
            if r in cached:
                del cached[r]
                held[r] = list.__getitem__(self, r)
        missing = [r for r in dict.fromkeys(rows) if list.__getitem__(self, r) is None]
        for r, s in zip(missing, self.read(missing), strict=True):
            list.__setitem__(self, r, s)
            held[r] = s
        return held

    def let_go(self, held: dict[int, Summary]) -> None:
        """Rows held (see hold) are recent ones again, to go past KEEP; not those given another
        Summary since (an edit, a file read again: kept), nor rows numbered anew (removed files)."""
        count = len(self)
        self._keep(r for r, s in held.items() if r < count and list.__getitem__(self, r) is s)

    def _keep(self, rows: Iterable[int]) -> None:
        cached = self.cached
        for r in rows:
            cached[r] = None
            cached.move_to_end(r)
        while len(cached) > KEEP:
            r, _ = cached.popitem(last=False)
            list.__setitem__(self, r, None)

    def read(self, rows: Sequence[int], piece: int = FETCH) -> list[Summary]:
        """The summaries of `rows`, those without one read from the index without keeping
        them (a pass over many rows: they go when the caller drops them)."""
        out = list(map(list.__getitem__, repeat(self), rows))
        if all(out):
            return out
        paths = self.paths
        missing = [i for i, s in enumerate(out) if s is None]
        for start in range(0, len(missing), piece):
            chunk = missing[start : start + piece]
            found = self.fetch([paths[rows[i]] for i in chunk])
            for i in chunk:
                out[i] = found[paths[rows[i]]]
        return out

    def indexed(self, rows: Iterable[int]) -> None:
        """These rows' summaries are the index's now: they may go back to None, as fetched ones
        do; but not those with warnings (a row without its Summary has none: see Table.sort_key)."""
        self._keep(r for r in rows if (s := list.__getitem__(self, r)) is not None and not s.warnings)

    def renumbered(self, keep: Sequence[int]) -> None:
        """Keep only the rows in `keep` (ascending), renumbered 0, 1, ... as Table.remove does."""
        new = {old: n for n, old in enumerate(keep)} if self.cached else {}
        self.cached = OrderedDict((new[r], None) for r in self.cached if r in new)
        list.__setitem__(self, slice(None), list(map(list.__getitem__, repeat(self), keep)))


#: the fields of a Summary that Facets keeps of every row (with the topics: see Facets)
FACET_FIELDS = ("provider_name", "provider_domain", "category", "type")
_TOPICS, _IMAGE = attrgetter("topics"), attrgetter("image")
_FACET_GETTERS = tuple(map(attrgetter, FACET_FIELDS))


#: the typecodes numbers into a list of names are kept in, narrowest first, with the most
#: names each can number (see _wide_enough)
_WIDTHS = (("B", 0x100), ("H", 0x10000), ("I", 0x100000000))


def _wide_enough(numbers: array, names: int) -> array:
    """`numbers`, or a wider copy of them when `names` names do not fit its typecode (a new
    array: a worker holding the old one reads it as it was)."""
    for typecode, most in _WIDTHS:
        if names <= most:
            return numbers if numbers.itemsize >= array(typecode).itemsize else array(typecode, numbers)
    raise OverflowError(f"{names:,} names")


def _numbered(ids: dict[str, int], names: list[str], into: array, items: Sequence[str]) -> tuple[array, array]:
    """The numbers of `items` in `ids`, as an array of `into`'s typecode (a new item is given the
    next number and appended to `names`), and `into` itself, or a wider copy of it once the names
    do not fit its typecode (see _wide_enough)."""
    try:  # (in C; a new item: rare, below)
        return into, _numbers(into.typecode, map(ids.__getitem__, items))
    except (KeyError, ValueError, OverflowError):
        for item in dict.fromkeys(items):
            if item not in ids:
                ids[item] = len(names)
                names.append(item)
        into = _wide_enough(into, len(names))
        return into, _numbers(into.typecode, map(ids.__getitem__, items))


def _numbers(typecode: str, numbers: Iterable[int]) -> array:
    """An array of `numbers` (ValueError or OverflowError if one does not fit the typecode):
    bytes first for a byte each (made in C twice as fast as the array itself makes them)."""
    return array("B", bytes(numbers)) if typecode == "B" else array(typecode, list(numbers))


class Codes:
    """A column of strings kept as a number a row, into the list of its distinct strings
    (`values`; "" is 0): a byte a row while there are at most 256 of them, 2 bytes to 65,536,
    4 after. A list of references to the (shared) strings took 8 bytes a row: 34 MB for a
    million rows' four facet fields, against 4-8.

    Reading many rows goes through `data` and `values` in C: map(values.__getitem__,
    map(data.__getitem__, rows)). Codes are never taken back (a value whose rows went keeps its
    number), so a worker reading `data` and `values` while rows change reads numbers it can
    name; `data` may be replaced by a wider array (see put): read it once.
    """

    __slots__ = ("_code", "data", "values")

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self._code: dict[str, int] = {"": 0}
        self.data = array("B")

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, row: int) -> str:
        return self.values[self.data[row]]

    def blanks(self, count: int) -> None:
        """Append `count` rows of "" (code 0)."""
        self.data.frombytes(bytes(count * self.data.itemsize))

    def put(self, first: int, strings: Sequence[str]) -> None:
        """Set rows `first`, `first` + 1, ... to `strings`."""
        self.data, codes = _numbered(self._code, self.values, self.data, strings)  # (see the class's note)
        self.data[first : first + len(codes)] = codes

    def set_one(self, row: int, value: str) -> None:
        """Set one row (an edit: put's arrays cost 1 µs more a row of a 10,000-row publish)."""
        code = self._code.get(value)
        if code is None:
            self.put(row, [value])
        else:
            self.data[row] = code

    def take(self, keep: Sequence[int]) -> None:
        """Keep only the rows in `keep`, in that order."""
        self.data = array(self.data.typecode, map(self.data.__getitem__, keep))

    def lowered(self) -> list[str]:
        """Every row's value lower-cased (one str object per distinct value)."""
        low = [v.lower() for v in self.values]
        return list(map(low.__getitem__, self.data))


#: TopicLists.count of a row whose topics are not known yet
UNKNOWN = 0xFFFFFFFF


class TopicLists(Sequence):
    """Each row's topics, a tuple of str (None while not known), packed: the topics' numbers
    into `names` one row after the other in `flat` (a byte each while there are at most 256
    names, 2 bytes to 65,536, 4 after; small numbers are counted quicker too), and where each
    row's lie (`start`, `count`: 4 bytes each a row). A tuple a row took 72.5 MB of a
    million-article window (636,367 distinct ones); this ~12 MB.

    A row set anew has its numbers appended, and rows taken (see take) leave theirs where they
    are: once most of `flat` is unused it is packed again. Read many rows through known() and
    ids() (in C); indexing makes the row's tuple. `names` only grows, and each array is set in
    place or replaced whole, so a worker reading them while rows change reads numbers it can
    name: a stale count, never a failure (see count_facets, which counts again then).
    """

    __slots__ = ("_ids", "_unused", "count", "flat", "names", "start")
    #: unused numbers `flat` may hold beyond half of it before it is packed again
    SLACK = 1 << 16

    def __init__(self) -> None:
        self.names: list[str] = []
        self._ids: dict[str, int] = {}
        self.flat = array("B")
        self.start = array("I")
        self.count = array("I")
        self._unused = 0  # numbers in `flat` no row lists (set anew, or gone): packed past half

    def __len__(self) -> int:
        return len(self.count)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.of(range(*i.indices(len(self))))
        return self._row(range(len(self))[i])

    def of(self, rows: Sequence[int]) -> list[tuple[str, ...] | None]:
        """The tuples of `rows` (None: not known yet), made in C (a call a row took 3.5x as long)."""
        known = self.known(rows)
        name = self.names.__getitem__
        made = list(map(tuple, map(map, repeat(name), map(getitem, repeat(self.flat), self._slices(known)))))
        if len(known) == len(rows):
            return made
        at = dict(zip(known, made, strict=True))
        return [at.get(r) for r in rows]

    def _row(self, row: int) -> tuple[str, ...] | None:
        n = self.count[row]
        if n == UNKNOWN:
            return None
        at = self.start[row]
        return tuple(map(self.names.__getitem__, self.flat[at : at + n])) if n else ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (TopicLists, list)):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # (mutable)

    def copy(self) -> TopicLists:
        """A copy to read in a worker (the arrays copied: a few ms at a million rows)."""
        other = TopicLists()
        other.names, other._ids = self.names, self._ids  # (only grow: shared)
        other.flat = array(self.flat.typecode, self.flat)
        other.start, other.count = array("I", self.start), array("I", self.count)
        other._unused = self._unused
        return other

    def blanks(self, n: int) -> None:
        """Append `n` rows whose topics are not known yet."""
        self.start.frombytes(bytes(4 * n))
        self.count.frombytes(b"\xff" * (4 * n))

    def put(self, first: int, lists: Sequence[Sequence[str]]) -> None:
        """Set rows `first`, `first` + 1, ... to these topics."""
        names = list(chain.from_iterable(lists))
        self.flat, numbers = _numbered(self._ids, self.names, self.flat, names)  # (see the class's note)
        counts = array("I", map(len, lists))
        starts = array("I", accumulate(counts, initial=len(self.flat)))
        starts.pop()
        self._unused += self._listed(self.count[first : first + len(counts)])  # (the numbers set over)
        self.flat.extend(numbers)
        self.start[first : first + len(counts)] = starts
        self.count[first : first + len(counts)] = counts
        self._pack_if_worth_it()

    def set_one(self, row: int, names: Sequence[str]) -> None:
        """Set one row's topics (an edit: put's arrays cost ~3 µs more a row of a 10,000-row
        publish, where the whole edit of a row takes ~6)."""
        get = self._ids.get
        numbers = [get(n) for n in names]
        if None in numbers or (numbers and max(numbers) >= 1 << 8 * self.flat.itemsize):
            self.put(row, [names])
            return
        if (was := self.count[row]) != UNKNOWN:
            self._unused += was
        self.start[row], self.count[row] = len(self.flat), len(numbers)
        self.flat.extend(numbers)
        self._pack_if_worth_it()

    def known(self, rows: Iterable[int]) -> list[int]:
        """Those of `rows` whose topics are known."""
        return list(compress(rows, map(ne, map(self.count.__getitem__, rows), repeat(UNKNOWN))))

    def unknown(self, rows: Iterable[int] | None = None) -> list[int]:
        """The rows (of `rows`, or of all) whose topics are not known yet."""
        if rows is None:
            return list(compress(range(len(self)), map(eq, self.count, repeat(UNKNOWN))))
        count = self.count
        return [r for r in rows if count[r] == UNKNOWN]

    def tagged(self, rows: Iterable[int]) -> list[int]:
        """Those of `rows` that have a topic (known, and not none)."""
        count = self.count
        return [r for r in rows if 0 < count[r] != UNKNOWN]

    def ids(self, rows: Sequence[int], ascending: bool = False) -> Iterable[int]:
        """The numbers (into `names`) of the topics of `rows`, whose topics must be known (see
        known): in C, a slice of `flat` a row. With `ascending` (rows in order, each once),
        consecutive rows whose numbers lie one after the other in `flat` (as a load puts them)
        are one slice: a slice a row cost ~280 ns, four times the counting of its numbers."""
        flat = self.flat
        if ascending and len(rows) > 1 and rows[-1] - rows[0] == len(rows) - 1:
            a, b = rows[0], rows[-1] + 1
            start, count = self.start, self.count
            if all(map(eq, start[a + 1 : b], map(add, start[a : b - 1], count[a : b - 1]))):
                return flat[start[a] : start[b - 1] + count[b - 1]]
        return chain.from_iterable(map(getitem, repeat(flat), self._slices(rows)))

    def _slices(self, rows: Sequence[int]) -> Iterator[slice]:
        """Where in `flat` the numbers of each of `rows` (known ones) lie."""
        starts = list(map(self.start.__getitem__, rows))
        return map(slice, starts, map(add, starts, map(self.count.__getitem__, rows)))

    def counted(self, start: int, stop: int) -> tuple[int, Counter[str]]:
        """Of rows `start` to `stop`: how many have a topic, and how often each topic is
        listed (what topics.tally counts, a piece at a time, without making their tuples)."""
        stop = min(stop, len(self))
        rows = self.known(range(start, stop))
        by_id = Counter(self.ids(rows, ascending=True))
        names = self.names
        return len(rows) - self.count[start:stop].count(0), Counter({names[i]: n for i, n in by_id.items()})

    def having(self, names: Iterable[str]) -> list[int]:
        """The rows that have any of `names`."""
        wanted = {self._ids[n] for n in names if n in self._ids}
        if not wanted:
            return []
        rows = self.known(range(len(self)))
        flat, start, count = self.flat, self.start, self.count
        return [r for r in rows if not wanted.isdisjoint(flat[start[r] : start[r] + count[r]])]

    def take(self, keep: Sequence[int]) -> None:
        """Keep only the rows in `keep`, in that order (their numbers stay where they are, in C;
        see _unused)."""
        self.start = array("I", map(self.start.__getitem__, keep))
        self.count = array("I", map(self.count.__getitem__, keep))
        self._unused = len(self.flat) - self._listed(self.count)
        self._pack_if_worth_it()

    @staticmethod
    def _listed(counts: array) -> int:
        """How many numbers these rows list (those not known yet: none)."""
        return sum(map(mul, counts, map(ne, counts, repeat(UNKNOWN))))

    def _pack_if_worth_it(self) -> None:
        """Pack `flat` again once most of it is unused (rows set anew or gone)."""
        if self._unused <= len(self.flat) // 2 + self.SLACK:
            return
        counts = array("I", map(mul, self.count, map(ne, self.count, repeat(UNKNOWN))))
        flat = array(self.flat.typecode, self.ids(self.known(range(len(self)))))
        starts = array("I", accumulate(counts, initial=0))
        starts.pop()
        self.flat, self.start, self._unused = flat, starts, 0

    def lowered(self) -> list[tuple[str, ...]]:
        """Each row's topics lower-cased, a tuple a row (() where not known)."""
        low = [n.lower() for n in self.names]
        flat, start, count, get = self.flat, self.start, self.count, low.__getitem__
        return [tuple(map(get, flat[start[r] : start[r] + n])) if 0 < (n := count[r]) != UNKNOWN else ()
                for r in range(len(self))]  # fmt: skip


class Facets:
    """What facet counts, topic counts, has: terms and the lazy columns of a Table read of every
    row, without the rows' Summary objects (~780 bytes a row): the values of FACET_FIELDS (a
    Codes column each, a byte or two a row), the topics (a TopicLists) and whether the row has an
    image.

    A row listed from the index whose summary has not come yet has None for its topics, and
    its other values are not known either (see Table.decoded, Table.complete).
    """

    def __init__(self) -> None:
        self.columns: dict[str, Codes] = {name: Codes() for name in FACET_FIELDS}
        self.topics = TopicLists()
        self.images = bytearray()  # 1 where the article has an image (has:image)

    def __len__(self) -> int:
        return len(self.topics)

    def extend(self, summaries: Sequence[Summary | None]) -> None:
        """Append rows (None: not known yet)."""
        start = len(self)
        self.topics.blanks(len(summaries))
        self.images.extend(bytes(len(summaries)))
        for column in self.columns.values():
            column.blanks(len(summaries))
        known = [start + i for i, s in enumerate(summaries) if s is not None]
        self.set(known, [s for s in summaries if s is not None])

    def set(self, rows: Sequence[int], summaries: Sequence[Summary]) -> None:
        """Set the values of these rows (ascending) from their summaries."""
        if not rows:
            return
        if len(rows) == 1:  # (an edit)
            row, s = rows[0], summaries[0]
            self.topics.set_one(row, s.topics)
            self.images[row] = bool(s.image)
            for column, get in zip(self.columns.values(), _FACET_GETTERS, strict=True):
                column.set_one(row, get(s))
            return
        first, last = rows[0], rows[-1] + 1
        if last - first == len(rows):  # one run of rows (a batch): slices, in C
            self.topics.put(first, list(map(_TOPICS, summaries)))
            self.images[first:last] = map(bool, map(_IMAGE, summaries))
            for column, get in zip(self.columns.values(), _FACET_GETTERS, strict=True):
                column.put(first, list(map(get, summaries)))  # (a list: read twice when a value is new)
            return
        for run in _runs(rows):
            self.set(rows[run], summaries[run])

    def unknown(self, rows: Iterable[int] | None = None) -> list[int]:
        """The rows (of `rows`, or of all) whose values are not known yet."""
        return self.topics.unknown(rows)

    def take(self, keep: Sequence[int]) -> None:
        """Keep only the rows in `keep`, in that order (see Table.remove)."""
        for column in self.columns.values():
            column.take(keep)
        self.topics.take(keep)
        self.images = bytearray(map(self.images.__getitem__, keep))

    def lowered(self, name: str) -> list[Any]:
        """The column of `name`'s values lower-cased (the topics: a tuple of them), a row each."""
        if name == "topics":
            return self.topics.lowered()
        return self.columns[name].lowered()


def _runs(rows: Sequence[int]) -> Iterator[slice]:
    """Slices of `rows` (ascending) over consecutive numbers."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[i - 1] + 1:
            yield slice(start, i)
            start = i


@dataclass(slots=True)
class FacetView:
    """What count_facets reads of the rows (see Table.facet_view)."""

    facets: Facets
    paths: list[str]
    published: Sequence[int]  # (Table.published: 1 where published)

    @classmethod
    def of(cls, summaries: Sequence[Summary | None]) -> FacetView:
        """Of these summaries (None: a row not known yet, left out of the counts)."""
        facets = Facets()
        facets.extend(summaries)
        return cls(facets, [s.path if s else "" for s in summaries], [bool(s and s.published) for s in summaries])
