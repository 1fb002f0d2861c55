"""The column table a folder's articles are searched, sorted and counted in: one list per
searchable field, index-aligned with the summaries (see Table), and facet counts.

Split from query.py (which parses queries); evaluation of a parsed query lives here.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import contains, eq, is_, is_not, ne, not_
from typing import Any

from curator.core.folder.query import (
    SORT_FIELDS,
    YES,
    And,
    Not,
    Or,
    QueryError,
    Term,
    date_bounds,
    fields_named,
    number_bounds,
    parse,
    value_range,
)
from curator.core.folder.rows import FETCH, Facets, FacetView, Summaries
from curator.core.folder.texts import Packed, Texts
from curator.core.gently import back_off
from curator.core.site.article import Summary

# --- evaluation over columns ----------------------------------------------------------------


def haystack(s: Summary) -> str:
    """The lower-cased text that free-text terms search."""
    return f"{s.title}\n{s.excerpt}\n{s.provider_name}\n{s.provider_domain}".lower()


@dataclass(slots=True)
class Columns:
    """What a Table keeps for every row, read ahead of the summaries (see Summaries)."""

    paths: list[str]
    text: Packed  # (encoded where the rows are read: see texts.Packed)
    published: bytearray  # (1: published)
    quality: list[int | None]
    heat: list[int | None]
    date: array  # ('d': NaN where a row has none, see NO_DATE)
    fetch: Callable[[Sequence[str]], dict[str, Summary]]  # for rows read before their summaries came


class Table:
    """Columns of the searchable fields of every article, index-aligned with `summaries`.

    The columns every keystroke needs are kept up to date; the others (for field terms and
    sorting) are built the first time a query or sort asks for them.
    """

    #: how a lazy column's value is made of a Summary (of many rows at once: see _build)
    _LAZY: dict[str, Callable[[Summary], Any]] = {
        "title": lambda s: s.title.lower(),
        "topics": lambda s: tuple(t.lower() for t in s.topics),
        "provider": lambda s: (s.provider_name.lower(), s.provider_domain.lower()),
        "category": lambda s: s.category.lower(),
        "type": lambda s: s.type.lower(),
    }

    # lazy columns (see _LAZY), declared for readers and type checkers
    title: list[str]
    path: list[str]
    topics: list[tuple[str, ...]]
    provider: list[tuple[str, str]]
    category: list[str]
    type: list[str]

    def containers(self) -> list[Any]:
        """Every per-row list it keeps, and the dict of lazy columns (see Workspace.release)."""
        return [self.summaries, self.summaries.cached, self.paths, self.quality, self.heat,
                *self._lazy.values(), self._lazy]  # fmt: skip

    def __init__(self, summaries: Iterable[Summary] = (), text_folder: str | None = None):
        """`text_folder`: where the search text's file goes (see texts.py; None: the system's
        temporary folder)."""
        self.summaries: Summaries = Summaries()
        self.paths: list[str] = self.summaries.paths
        #: the search text of each row (haystack), in a file: see texts.py
        self.text = Texts(text_folder)
        self.published = bytearray()  # 1 where published (a byte a row, not a reference: 8)
        self.quality: list[float | None] = []
        self.heat: list[float | None] = []
        #: each row's date as a timestamp, NO_DATE (NaN) where it has none: 8 bytes a row (a float
        #: object a row took 32 MB of a million-article window)
        self.date = array("d")
        self.facets = Facets()  # what facets and topic counts read of every row
        self.version = 0  # bumped on every change, so callers can cache what they derive
        #: bumped when rows come or go; and per column, when a row's value in it changes (see
        #: sort_version: a sort stays good through edits of other columns)
        self._rows_version = 0
        self._column_versions: dict[str, int] = {}
        #: path -> git state ("modified", ...) of files that differ from the last commit (git: terms)
        self.git: dict[str, str] = {}
        #: path -> number of its group of duplicate stories, for articles in a group (dup: terms)
        self.dups: dict[str, int] = {}
        #: path -> the worst status of its checked links, "ok", "moved", "dead" or "error" (link: terms)
        self.links: dict[str, str] = {}
        #: key -> {path: value} of any key a `field:` term names, read from the files (dropped
        #: when files change on disk; see needed_fields)
        self.fields: dict[str, dict[str, Any]] = {}
        self._lazy: dict[str, list[Any]] = {}  # the lazy columns built so far
        #: rows whose search text was set anew, in the order set, since the rows were last
        #: renumbered (`_text_epoch` counts those): see text_mark
        self._text_log: list[int] = []
        self._text_epoch = 0
        self.extend(summaries)

    def __len__(self) -> int:
        return len(self.summaries)

    def sort_version(self, field: str) -> tuple[int, int]:
        """What a sort by `field` depends on, to cache it by: rows come or go, or a row's value
        of that column changes. Publishing 10,000 of a million rows sorted by date bumped
        `version` and so sorted the million again on the GUI thread (215 ms, the GIL held)."""
        return self._rows_version, self._column_versions.get(field, 0)

    def _changed(self, name: str) -> None:
        self._column_versions[name] = self._column_versions.get(name, 0) + 1

    def __getattr__(self, name: str) -> list[Any]:
        """A lazy column, built on first use (only called when the attribute is not there yet)."""
        if name == "path":
            column = [p.lower() for p in self.paths]
        elif name in Table._LAZY:
            column = self._build(name)
        else:
            raise AttributeError(name)
        setattr(self, name, column)
        self._lazy[name] = column
        return column

    def _build(self, name: str) -> list[Any]:
        """A lazy column of every row, from the facets and the search text: no Summary object
        is fetched for it, but for rows whose values have not come yet (see complete) and
        titles that the search text does not tell apart (one with a line break)."""
        if name == "title":  # haystack() starts with the title and a line break, lower-cased as one
            column, odd = [], []
            for r, t in enumerate(self.text):
                column.append(t.partition("\n")[0])
                if t.count("\n") != 3:  # a field with a line break
                    odd.append(r)
            for r, s in zip(odd, self.summaries.read(odd), strict=True):
                column[r] = s.title.lower()
            return column
        self.complete()
        facets = self.facets
        if name == "provider":
            return list(zip(facets.lowered("provider_name"), facets.lowered("provider_domain"), strict=True))
        return facets.lowered(name)

    def complete(self) -> None:
        """Give every row its facet values (rows listed from the index before their summaries
        came are read from it, a FETCH of rows at a time, and not kept)."""
        unknown = self.facets.unknown()
        for start in range(0, len(unknown), FETCH * 10):
            rows = unknown[start : start + FETCH * 10]
            self.facets.set(rows, self.summaries.read(rows))

    def decoded(self, start: int, summaries: Sequence[Summary]) -> None:
        """The summaries of rows from `start` on, as a warm open decodes them after listing the
        rows: their facet values are kept (where a row has none yet), not the Summary objects."""
        rows = self.facets.unknown(range(start, start + len(summaries)))
        self.facets.set(rows, [summaries[r - start] for r in rows])

    def facet_view(self) -> FacetView:
        """What count_facets reads: the table's own columns, not copies. A worker counting
        them reads rows this thread may change meanwhile: it counts again when the table
        changed under it (see Browsing.count_facets). Copying them here held the GUI thread
        for a million rows (seven lists of scattered objects, and the collector walked every
        copy while the count ran: stalls of 300-460 ms after a keystroke)."""
        return FacetView(self.facets, self.paths, self.published)

    def topics_of(self, rows: Sequence[int] | None = None) -> Sequence[tuple[str, ...] | None]:
        """The topics of `rows` (of all if None: a TopicLists, read a piece at a time), as the
        files have them (None: not known yet). Copied: a worker may count them."""
        topics = self.facets.topics
        return topics.copy() if rows is None else list(map(topics.__getitem__, rows))

    def having_topics(self, names: Iterable[str]) -> list[int]:
        """The rows that have any of these topics (as the files write them)."""
        self.complete()
        return self.facets.topics.having(names)

    def _lazy_value(self, name: str, s: Summary) -> Any:
        return s.path.lower() if name == "path" else Table._LAZY[name](s)

    def extend(self, summaries: Iterable[Summary | None], columns: Columns | None = None) -> None:
        """Append rows: Summary objects, or (from the index) `columns` read ahead with None for
        the summaries that come later (see Summaries). Nothing to append changes nothing (the
        version stays: caches of what was derived from the table stay good)."""
        summaries = list(summaries)
        if not summaries:
            return
        self.version += 1
        self._rows_version += 1
        start = len(self.summaries)
        self.summaries.extend(summaries)
        self.facets.extend(summaries)
        if columns is not None:
            self.summaries.fetch = columns.fetch
            # the index's rows: their summaries may go (those with warnings are kept, see sort_key)
            self.summaries.indexed(r for r in range(start, len(self.summaries)) if summaries[r - start])
            self.paths.extend(columns.paths)
            self.text.extend(columns.text)
            self.published.extend(columns.published)
            self.quality.extend(columns.quality)
            self.heat.extend(columns.heat)
            self.date.extend(columns.date)
        else:
            self.paths.extend([s.path for s in summaries])
            self.text.extend(map(haystack, summaries))
            self.published.extend([s.published for s in summaries])
            self.quality.extend([s.quality for s in summaries])
            self.heat.extend([s.heat for s in summaries])
            self.date.extend([s.date.timestamp() if s.date else NO_DATE for s in summaries])
        if columns is not None:  # rows whose values come later: the lazy columns are built again
            for name in self._lazy:
                delattr(self, name)
            self._lazy.clear()
        for name, column in self._lazy.items():
            column.extend(self._lazy_value(name, s) for s in summaries)

    def replace(self, row: int, s: Summary) -> None:
        self.version += 1
        old = self.summaries.peek(row)  # (not fetched for this: a batch of rows the index holds)
        self.summaries[row] = s
        self.paths[row] = s.path
        if old is None:  # the search text kept as the same object when it reads the same (see grams)
            if (text := haystack(s)) != self.text[row]:
                self._set_text(row, text)
        elif not (  # an edit (topics, quality, published) leaves the search text as it was
            old.title is s.title
            and old.excerpt is s.excerpt
            and old.provider_name is s.provider_name
            and old.provider_domain is s.provider_domain
        ):
            self._set_text(row, haystack(s))
        date = s.date.timestamp() if s.date else NO_DATE
        numbers = (("published", self.published, s.published), ("quality", self.quality, s.quality),
                   ("heat", self.heat, s.heat), ("date", self.date, date))  # fmt: skip
        for name, column, value in [*numbers, *((n, c, self._lazy_value(n, s)) for n, c in self._lazy.items())]:
            was = column[row]
            if was != value and (value == value or was == was):  # (NaN both times: no date either time)
                self._changed(name)  # (a sort by that column is made again: see sort_version)
            column[row] = value
        self.facets.set([row], [s])
        self._changed("warnings")  # (read from the summary itself: see sort_key)

    def _set_text(self, row: int, text: str) -> None:
        self.text[row] = text
        self._text_log.append(row)
        if len(self._text_log) > max(len(self.text), 1 << 16):  # (a long session: marks made before
            self._renumbered()  # compare every row once, as after a removal)

    def _renumbered(self) -> None:
        self._text_epoch += 1
        self._text_log = []

    def text_mark(self) -> tuple[int, int]:
        """Where the search text stands now (see text_changed_since)."""
        return self._text_epoch, len(self._text_log)

    def text_changed_since(self, mark: tuple[int, int]) -> list[int] | None:
        """The rows whose search text was set anew since `mark` (text_mark), ascending, rows
        appended since aside; None when rows were removed since (the others moved up): then
        every row may differ. What grams.Grams compares, instead of every row's text: at
        1,000,000 rows that comparison held the GUI thread ~65 ms at each search after an edit."""
        epoch, at = mark
        return None if epoch != self._text_epoch else sorted(set(self._text_log[at:]))

    def remove(self, rows: Iterable[int]) -> None:
        self.version += 1
        self._rows_version += 1
        self._renumbered()
        drop = set(rows)
        columns = [self.paths, self.quality, self.heat]
        columns += self._lazy.values()
        for column in columns:
            column[:] = [v for i, v in enumerate(column) if i not in drop]  # in place: Summaries shares paths
        keep = [i for i in range(len(self.summaries)) if i not in drop]
        self.date[:] = array("d", map(self.date.__getitem__, keep))
        self.published[:] = bytearray(map(self.published.__getitem__, keep))
        self.text.take(keep)
        self.summaries.renumbered(keep)  # (nothing fetched)
        self.facets.take(keep)

    # -- queries --

    def needed_fields(self, query: Any) -> set[str]:
        """The keys the query's `field:` terms name whose values are not read yet."""
        return fields_named(query) - self.fields.keys()

    def select(self, query: str | Any, rows: Sequence[int] | None = None) -> list[int]:
        """Rows matching `query` (text or parsed tree), in the order of `rows`."""
        node = parse(query) if isinstance(query, str) else query
        candidates = range(len(self.summaries)) if rows is None else list(rows)
        found = self._eval(node, candidates)
        return found if isinstance(found, list) else list(found)  # (an empty query: the range)

    def flags(self, query: str | Any) -> bytes | None:
        """A byte per row, 1 where `query` matches, for a query of one text term (what typing
        in the search box makes); None for any other query (see select).

        The scan stores each row's answer in C, so a caller that wants the matches in another
        order picks them from these flags (`compress(order, map(flags.__getitem__, order))`)
        without setting a flag per match first.
        """
        node = parse(query) if isinstance(query, str) else query
        if isinstance(node, And) and len(node.nodes) == 1:
            node = node.nodes[0]
        if not isinstance(node, Term) or node.field not in ("", "title", "path"):
            return None
        if not node.field:
            return self.text.flags(node.value.lower())
        return bytes(map(contains, getattr(self, node.field), repeat(node.value.lower())))

    def _eval(self, node: Any, rows: Sequence[int]) -> Sequence[int]:
        if isinstance(node, And):
            for child in node.nodes:
                rows = self._eval(child, rows)
            return rows
        if isinstance(node, Or):
            hit: set[int] = set()
            for child in node.nodes:
                hit.update(self._eval(child, [r for r in rows if r not in hit]))
            return [r for r in rows if r in hit]
        if isinstance(node, Not):
            drop = set(self._eval(node.node, rows))
            return [r for r in rows if r not in drop]
        return self._term(node, rows)

    def _term(self, term: Term, rows: Sequence[int]) -> list[int]:
        value = term.value.lower()
        field = term.field
        if not field or field in ("title", "path"):
            column = self.text if not field else getattr(self, field)  # build only the column asked for
            return _containing(column, rows, value)
        if field == "topic":
            topics = self.topics
            if value.endswith("*"):
                prefix = value[:-1]
                return [r for r in rows if any(t.startswith(prefix) for t in topics[r])]
            return [r for r in rows if value in topics[r]]
        if field == "provider":
            prov = self.provider
            suffix = "." + value
            return [r for r in rows if prov[r][0] == value or prov[r][1] == value or prov[r][1].endswith(suffix)]
        if field in ("category", "type"):
            column = self.category if field == "category" else self.type
            return [r for r in rows if column[r] == value]
        if field == "published":
            want = value in YES
            pub = self.published
            return [r for r in rows if pub[r] == want]
        if field in ("quality", "heat", "date"):
            lo, hi = value_range(term, date_bounds if field == "date" else number_bounds)
            column = getattr(self, field)
            return [r for r in rows if column[r] is not None and lo <= column[r] <= hi]
        if field == "has":
            return self._has(value, rows)
        if field == "field":  # any key, from values read from the files (see needed_fields)
            key, eq, want = term.value.partition("=")
            values, paths = self.fields.get(key.strip()), self.paths
            if values is None:
                return []
            if not eq:
                return [r for r in rows if paths[r] in values]
            want = want.strip().casefold()
            return [r for r in rows if _field_matches(values.get(paths[r], _ABSENT), want)]
        if field == "git":
            states, paths = self.git, self.paths
            if value == "changed":
                return [r for r in rows if paths[r] in states]
            return [r for r in rows if states.get(paths[r]) == value]
        if field == "dup":
            groups, paths, want = self.dups, self.paths, value in YES
            return [r for r in rows if (paths[r] in groups) is want]
        if field == "link":
            checked, paths = self.links, self.paths
            return [r for r in rows if checked.get(paths[r]) == value]
        raise QueryError(f"unknown field '{field}:'", term.position)  # pragma: no cover - parse() refuses

    def _has(self, what: str, rows: Sequence[int]) -> list[int]:
        """The rows that have `what` (see query.HAS), from the columns: no Summary is fetched but
        those of rows whose search text does not tell their excerpt (a field with a line break)."""
        if what == "date":
            date = self.date
            return [r for r in rows if date[r] == date[r]]  # (not NaN: see NO_DATE)
        if what == "quality":
            quality = self.quality
            return [r for r in rows if quality[r] is not None]
        if what == "warnings":  # (a row without its Summary has none: see Summaries.indexed)
            peek = self.summaries.peek
            return [r for r in rows if (s := peek(r)) is not None and s.warnings]
        if what == "excerpt":  # the search text's second line (see haystack)
            rows = list(rows)
            texts = self.text.read(rows)
            odd = [r for r, t in zip(rows, texts, strict=True) if t.count("\n") != 3]
            read = {r for r, s in zip(odd, self.summaries.read(odd), strict=True) if s.excerpt}
            return [r for r, t in zip(rows, texts, strict=True)
                    if r in read or (t.count("\n") == 3 and t.split("\n", 2)[1])]  # fmt: skip
        self.complete()
        facets = self.facets
        if what == "image":
            images = facets.images
            return [r for r in rows if images[r]]
        if what == "topics":
            return facets.topics.tagged(rows)
        name, domain = facets.columns["provider_name"].data, facets.columns["provider_domain"].data
        return [r for r in rows if name[r] or domain[r]]  # (code 0: "")

    def sort(self, rows: Sequence[int], field: str, descending: bool = False) -> list[int]:
        """Rows ordered by `field`, equal values in the order of `rows`; descending is that list
        backwards (equal values too), so a sort the other way is a reversal (see flip). Unknown
        values sort last either way, in the order of `rows`."""
        if field in NUMBERS:
            return sort_numbers(getattr(self, field), rows, descending)
        key = self.sort_key(field)
        known = [r for r in rows if key(r) is not None]
        return _ordered(known, [r for r in rows if key(r) is None], key, descending)

    def flip(self, order: list[int], field: str) -> list[int]:
        """`order`, a sort of rows by `field` one way (sort), sorted the other way: the rows
        with a value reversed in one slice, those without (the last of `order`, counted from its
        end: counting None in a million dates took 20-24 ms) kept last. What sort would give,
        without sorting: at 1,000,000 rows a sort by date held the GUI thread 0.4-0.6 s."""
        key, unknown = self.sort_key(field), 0
        while unknown < len(order) and key(order[-1 - unknown]) is None:
            unknown += 1
        known = len(order) - unknown
        flipped = order[known - 1 :: -1] if known else []
        return flipped + order[known:] if unknown else flipped  # (a concatenation copies it again)

    def sort_key(self, field: str) -> Callable[[int], Any]:
        """A key for `field`; None for unknown values. Lazy columns are built only when sorted by."""
        s = self.summaries
        if field == "date":
            date = self.date
            return lambda r: v if (v := date[r]) == v else None  # (NaN: none, see NO_DATE)
        if field in ("quality", "heat", "published"):
            return getattr(self, field).__getitem__
        if field in ("title", "path"):
            return getattr(self, field).__getitem__
        if field == "provider":
            provider = self.provider
            return lambda r: provider[r][0] or None
        if field in ("topics", "category", "type"):
            column = getattr(self, field)
            return lambda r: column[r] or None
        if field == "warnings":  # (a row without its Summary has none: those are never dropped)
            peek = s.peek
            return lambda r: len(w.warnings) if (w := peek(r)) is not None else 0
        raise ValueError(f"cannot sort by {field!r}; use one of {', '.join(SORT_FIELDS)}")


def _containing(column: list[str] | Texts, rows: Sequence[int], value: str) -> list[int]:
    """The rows whose text in `column` contains `value`, in the order of `rows`.

    One chain of C iterators: no bytecode runs per row, so the GUI thread that searches keeps
    the GIL until the scan is done (a loop in Python handed it to each busy worker every
    0.1 ms: 100,000 rows right after an open, with the facets counted in a worker, took 54 ms
    where the same scan alone takes 15).
    """
    every = rows == range(len(column))
    if isinstance(column, Texts):  # (read and checked as bytes: see texts.py)
        return list(compress(rows, column.flags(value))) if every else column.containing(rows, value)
    texts = column if every else map(column.__getitem__, rows)
    return list(compress(rows, map(contains, texts, repeat(value))))


#: a row's date when it has none, in Table.date (NaN: no comparison with it is true, so a date:
#: range leaves it out as it is)
NO_DATE = float("nan")

#: the fields whose sort needs no lazy column (see sort_numbers)
NUMBERS = ("date", "quality", "heat")


def _known(column: Sequence[float | None], rows: Sequence[int]) -> tuple[list[int], list[int]]:
    """`rows` with a number in `column` and those without (None; NaN in an array: see
    NO_DATE), each in the order of `rows`."""
    values = column if rows == range(len(column)) else list(map(column.__getitem__, rows))
    if isinstance(column, array):
        if all(map(eq, values, values)):  # (in C)
            return list(rows), []
        return list(compress(rows, map(eq, values, values))), list(compress(rows, map(ne, values, values)))
    if None not in values:  # (most columns: one scan in C, no split)
        return list(rows), []
    return list(compress(rows, map(is_not, values, repeat(None)))), list(compress(rows, map(is_, values, repeat(None))))


def _ordered(known: list[int], unknown: list[int], key: Callable[[int], Any], descending: bool) -> list[int]:
    """`known` sorted by `key` (equal ones as they are), backwards if `descending`; then `unknown`."""
    known.sort(key=key)
    if descending:
        known.reverse()
    return known + unknown


def sort_numbers(column: Sequence[float | None], rows: Sequence[int], descending: bool) -> list[int]:
    """`rows` ordered by their numbers in `column` (one of NUMBERS) as Table.sort orders them:
    equal ones in the order of `rows`, descending that list backwards, unknown ones last."""
    return _ordered(*_known(column, rows), column.__getitem__, descending)


def sort_numbers_gently(column: Sequence[float | None], descending: bool, piece: int = 4096) -> list[int]:
    """Every row ordered as sort_numbers(column, list(range(len(column))), descending) orders
    them, for a worker: pieces sorted in C (a few ms each) and merged in Python, so the GIL
    goes to the GUI thread all along (the one sort of 100,000 rows held it 24-43 ms).

    The merge keeps equal numbers in row order, as the one sort does: pieces are runs of
    consecutive rows and heapq.merge takes ties from the earlier run first. The list holds
    int objects made in its order (see ArticleModel._fresh).
    """
    key = column.__getitem__
    runs, unknown = [], array("q")  # (the rows without a number, in row order: last)
    for start in range(0, len(column), piece):
        back_off()  # (while the user scrolls or searches: the sort is made ahead, it can wait)
        known, missing = _known(column, range(start, min(start + piece, len(column))))
        runs.append(sorted(known, key=key))
        unknown.extend(missing)
    merged = heapq.merge(*runs, key=key)
    order = array("q")
    while True:
        back_off()
        made = len(order)
        order.extend(islice(merged, piece * 4))
        if len(order) == made:
            break
    if descending:
        order.reverse()  # (in C: 1,000,000 rows in a few ms)
    order.extend(unknown)
    out: list[int] = []  # made a piece at a time: one tolist of 1,000,000 rows held the GIL 20-40
    for start in range(0, len(order), piece * 16):  # ms, the GUI thread waiting (the warm open's longest stall)
        out.extend(order[start : start + piece * 16].tolist())
    return out


_ABSENT = object()


def _field_text(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).casefold()


def _field_matches(value: Any, want: str) -> bool:
    if value is _ABSENT:
        return False
    if isinstance(value, list):
        return any(_field_text(v) == want for v in value)
    return _field_text(value) == want


#: What the facet panel counts, in its order.
FACETS = ("published", "category", "type", "topic", "provider", "git", "dup")


def count_facets(
    view: FacetView,
    rows: Sequence[int],
    git: Mapping[str, str] | None = None,
    piece: int = 256,
    dups: Mapping[str, int] | None = None,
) -> dict[str, Counter]:
    """Counts per facet value over `rows` (run it in a worker at scale), from the columns of
    `view` (Table.facet_view): no Summary object is read.

    With `dups` (Table.dups), "dup" counts the rows in a group of duplicate stories ("yes") and
    the others ("no"), and "dup groups" counts the rows of each group that are shown.

    Rows whose values are not known yet (listed from the index before their summaries came)
    are left out.

    Counted `piece` rows at a time, each facet by one chain of C iterators over the piece (a
    loop in Python took ~1 s of a worker at 100,000 rows, taking turns with the GUI thread for
    all that time: scrolling right after an open stalled 50-90 ms).
    """
    counts: dict[str, Counter] = {g: Counter() for g in FACETS}
    groups = counts["dup groups"] = Counter()
    published, states, topics = counts["published"], counts["git"], counts["topic"]
    facets = view.facets
    columns, topic_lists = facets.columns, facets.topics
    topic_ids: Counter[int] = Counter()  # (named at the end, as the codes below)
    # the facet fields' codes (see rows.Codes), counted here and named at the end; each array
    # read once (a wider one may replace it meanwhile: the count is made again then)
    coded = [columns[f] for f in ("provider_name", "provider_domain", "category", "type")]
    name, domain, category, type_ = (c.data.__getitem__ for c in coded)
    by_code: list[Counter[int]] = [Counter() for _ in coded]
    names, domains, categories, types = by_code
    path, pub = view.paths.__getitem__, view.published.__getitem__
    # rows in their table order (a count does not depend on order): columns read one after the
    # other, not at random (100,000 rows in the order shown took 1.6x the time)
    marked = bytearray(len(view.paths))
    for start in range(0, len(rows), 16 * piece):
        any(map(marked.__setitem__, rows[start : start + 16 * piece], repeat(1)))  # (in C: None each)
    for start in range(0, len(marked), piece):
        back_off()  # (while the user scrolls)
        some = list(compress(range(start, start + piece), marked[start : start + piece]))
        shown = topic_lists.known(some)  # (not known yet: left out)
        topic_ids.update(topic_lists.ids(shown, ascending=True))
        name_codes = list(map(name, shown))
        names.update(name_codes)
        if 0 in name_codes:  # no name: counted by its domain
            domains.update(map(domain, compress(shown, map(not_, name_codes))))
        published.update(map(pub, shown))
        categories.update(map(category, shown))
        types.update(map(type_, shown))
        if git:  # the git state of each shown file that differs from the last commit
            states.update(filter(None, map(git.get, map(path, shown))))
        if dups:
            grouped = list(filter(None, map(dups.get, map(path, shown))))
            groups.update(grouped)
            counts["dup"].update(yes=len(grouped), no=len(shown) - len(grouped))
    names_of_topics = topic_lists.names
    for code, n in topic_ids.items():
        topics[names_of_topics[code]] += n
    counts["published"] = Counter()
    for value, n in published.items():
        counts["published"]["yes" if value else "no"] += n
    for group, column, codes in zip(("provider", "provider", "category", "type"), coded, by_code, strict=True):
        values = column.values
        for code, n in codes.items():
            if code:  # ("" is 0: no value)
                counts[group][values[code]] += n
    return counts
