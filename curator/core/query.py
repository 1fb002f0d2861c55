"""The query language shared by the CLI and the GUI, and a column store that runs it fast.

    power apps topic:"AI Builder" -published:no quality:>=50 date:2021-01..2021-03 OR has:image

Words match title, excerpt and provider (case-insensitive); terms are ANDed unless joined by
OR; `-` negates; parentheses group. A query is parsed once into a tree and evaluated over
columns (one Python list per field) with one list comprehension per term, which keeps a
keystroke at 100,000 articles in the tens of milliseconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .article import Summary

FIELDS = {
    "topic": "topic name (exact, or prefix with *)",
    "provider": "provider name or domain",
    "category": "category",
    "type": "type",
    "published": "yes or no",
    "draft": "yes or no (the same as published:no or yes)",
    "quality": "number, >=N, <N, N..M",
    "heat": "number, >=N, <N, N..M",
    "date": "YYYY[-MM[-DD]], a range A..B, or >=A",
    "has": "image, topics, date, quality, excerpt, warnings",
    "title": "words in the title",
    "path": "part of the file path",
    "git": "modified, new, untracked, deleted, renamed, conflict, or changed (any of them)",
}
GIT_STATES = ("modified", "new", "untracked", "deleted", "renamed", "conflict", "changed")
ALIASES = {"topics": "topic", "is": "published", "pub": "published"}
HAS = ("image", "topics", "date", "quality", "excerpt", "warnings", "provider")
SORT_FIELDS = ("title", "provider", "date", "quality", "heat", "published", "topics", "category", "type", "path")


class QueryError(ValueError):
    """A query that cannot be parsed; `position` is the 0-based character offset."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} (at position {position + 1})")
        self.message = message
        self.position = position


# --- parsing --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\()|(?P<rparen>\))|
        (?P<neg>-)(?=\S)|
        (?:(?P<field>[A-Za-z]+):)?(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s()"]+))?
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Term:
    field: str  # "" for free text
    value: str
    position: int


@dataclass(frozen=True, slots=True)
class Not:
    node: Any


@dataclass(frozen=True, slots=True)
class And:
    nodes: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Or:
    nodes: tuple[Any, ...]


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    return [(kind, value, start) for kind, value, start, _ in _spans(text)]


def _spans(text: str) -> list[tuple[str, Any, int, int]]:
    """The query's tokens: (kind, value, start, end)."""
    out: list[tuple[str, Any, int, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if m.group("lparen"):
            out.append(("(", None, start, m.end()))
        elif m.group("rparen"):
            out.append((")", None, start, m.end()))
        elif m.group("neg"):
            out.append(("-", None, start, m.end()))
        elif m.group("quoted") is not None or m.group("bare") is not None:
            field = (m.group("field") or "").lower()
            value = m.group("quoted")
            value = re.sub(r"\\(.)", r"\1", value) if value is not None else m.group("bare")
            if not field and m.group("quoted") is None and value == "OR":
                out.append(("OR", None, start, m.end()))
            else:
                out.append(("term", (field, value), start, m.end()))
        elif text[start] == '"':
            raise QueryError("unclosed quote", start)
        elif m.group("field"):
            raise QueryError(f"'{m.group('field')}:' needs a value", start)
        else:
            raise QueryError(f"unexpected {text[start]!r}", start)
        pos = m.end()
    return out


def clauses(text: str) -> list[str]:
    """The search's top-level clauses, each as typed: the filters that all apply (shown as
    chips). A search with a top-level OR, or one that does not parse, is one clause."""
    try:
        spans = _spans(text)
        parse(text)
    except QueryError:
        return [text.strip()] if text.strip() else []
    if any(kind == "OR" for kind, _, _, _ in _top_level(spans)):
        return [text.strip()]
    out, start, depth = [], None, 0
    for kind, _, begin, end in spans:
        if start is None:
            start = begin
        depth += (kind == "(") - (kind == ")")
        if depth == 0 and kind != "-":
            out.append(text[start:end])
            start = None
    return out


def _top_level(spans: list[tuple[str, Any, int, int]]) -> list[tuple[str, Any, int, int]]:
    depth, out = 0, []
    for span in spans:
        depth -= span[0] == ")"
        if depth == 0:
            out.append(span)
        depth += span[0] == "("
    return out


def with_clause(text: str, clause: str) -> str:
    """The search with `clause` added, once; adding `-x` takes away `x` and the other way round."""
    have = clauses(text)
    if clause in have:
        return text.strip()
    opposite = clause[1:] if clause.startswith("-") else f"-{clause}"
    if opposite in have:
        return " ".join(clause if c == opposite else c for c in have)
    return f"{text.strip()} {clause}".strip()


def without_clause(text: str, clause: str) -> str:
    """The search without that top-level clause."""
    return " ".join(c for c in clauses(text) if c != clause)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, Any, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Any:
        if not self.tokens:
            return And(())
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise QueryError("unmatched ')'", tok[2])
        return node

    def or_expr(self) -> Any:
        nodes = [self.and_expr()]
        while (tok := self.peek()) and tok[0] == "OR":
            self.i += 1
            nodes.append(self.and_expr())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_expr(self) -> Any:
        nodes = []
        while (tok := self.peek()) and tok[0] not in ("OR", ")"):
            nodes.append(self.unary())
        if not nodes:
            tok = self.peek()
            where = tok[2] if tok else len(self.text)
            raise QueryError("expected a search term", where)
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self) -> Any:
        kind, value, pos = self.tokens[self.i]
        self.i += 1
        if kind == "-":
            if self.peek() is None:
                raise QueryError("'-' needs a term after it", pos)
            return Not(self.unary())
        if kind == "(":
            node = self.or_expr()
            tok = self.peek()
            if tok is None or tok[0] != ")":
                raise QueryError("missing ')'", pos)
            self.i += 1
            return node
        field, text = value
        field = ALIASES.get(field, field)
        if field == "draft":  # Hugo, Zola, Astro: draft:yes is published:no
            if text.lower() not in _YES + _NO:
                raise QueryError("draft: use yes or no", pos)
            field, text = "published", "no" if text.lower() in _YES else "yes"
        if field and field not in FIELDS:
            raise QueryError(f"unknown field '{field}:' (known: {', '.join(FIELDS)})", pos)
        term = Term(field, text, pos)
        _check(term)
        return term


def parse(text: str) -> Any:
    """Parse a query into a tree; raises QueryError naming the position."""
    return _Parser(text).parse()


def narrows(new: Any, old: Any) -> bool:
    """True when every article that matches `new` also matches `old`.

    Typing on (`chi` after `ch`) or adding a term narrows the last search, so only its
    matches need checking again.
    """
    new_terms = _conjuncts(new)
    return all(any(_implies(n, o) for n in new_terms) for o in _conjuncts(old))


def _conjuncts(node: Any) -> tuple[Any, ...]:
    return node.nodes if isinstance(node, And) else (node,)


def _implies(n: Any, o: Any) -> bool:
    if isinstance(n, Term) and isinstance(o, Term) and n.field == o.field:
        if n.field in ("", "title", "path"):  # substring terms: a longer text matches fewer
            return o.value.lower() in n.value.lower()
        return n.value.lower() == o.value.lower()
    return _shape(n) == _shape(o)


def _shape(node: Any) -> Any:
    """A node without the positions of its terms, for comparing queries."""
    if isinstance(node, Term):
        return (node.field, node.value.lower())
    if isinstance(node, Not):
        return ("not", _shape(node.node))
    return (type(node).__name__, tuple(map(_shape, node.nodes)))


# --- values ---------------------------------------------------------------------------------

_CMP = re.compile(r"(>=|<=|>|<|=)?(.*)\Z", re.S)


def _number(text: str, term: Term) -> float:
    try:
        return float(text)
    except ValueError:
        raise QueryError(f"{term.field}: '{text}' is not a number", term.position) from None


def _date_bounds(text: str, term: Term) -> tuple[float, float]:
    """The first and last instant (as UTC timestamps) that a YYYY[-MM[-DD]] value covers."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not m:
        raise QueryError(f"date: '{text}' is not YYYY, YYYY-MM or YYYY-MM-DD", term.position)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            start = dt.datetime(year, int(month), int(day), tzinfo=dt.UTC)
            end = start + dt.timedelta(days=1)
        elif month:
            start = dt.datetime(year, int(month), 1, tzinfo=dt.UTC)
            end = start + dt.timedelta(days=calendar.monthrange(year, int(month))[1])
        else:
            start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
            end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    except ValueError as exc:
        raise QueryError(f"date: {exc}", term.position) from None
    return start.timestamp(), end.timestamp() - 1e-6


def _range(term: Term, bounds: Callable[[str, Term], tuple[float, float]]) -> tuple[float, float]:
    """A closed interval [lo, hi] from `N`, `>=N`, `<N`, `A..B`, `A..`, `..B`."""
    inf = float("inf")
    if ".." in term.value:
        a, b = term.value.split("..", 1)
        lo = bounds(a, term)[0] if a else -inf
        hi = bounds(b, term)[1] if b else inf
        return lo, hi
    op, rest = _CMP.match(term.value).groups()
    lo, hi = bounds(rest, term)
    if op in (None, "="):
        return lo, hi
    if op == ">=":
        return lo, inf
    if op == ">":
        return hi + 1e-6, inf
    if op == "<=":
        return -inf, hi
    return -inf, lo - 1e-6


def _number_bounds(text: str, term: Term) -> tuple[float, float]:
    n = _number(text, term)
    return n, n


def _check(term: Term) -> None:
    if term.field in ("quality", "heat"):
        _range(term, _number_bounds)
    elif term.field == "date":
        _range(term, _date_bounds)
    elif term.field == "published" and term.value.lower() not in _YES + _NO:
        raise QueryError("published: use yes or no", term.position)
    elif term.field == "git" and term.value.lower() not in GIT_STATES:
        raise QueryError(f"git: use one of {', '.join(GIT_STATES)}", term.position)
    elif term.field == "has" and term.value.lower() not in HAS:
        raise QueryError(f"has: use one of {', '.join(HAS)}", term.position)


_YES = ("yes", "true", "y", "1")
_NO = ("no", "false", "n", "0")


# --- evaluation over columns ----------------------------------------------------------------


def haystack(s: Summary) -> str:
    """The lower-cased text that free-text terms search."""
    return f"{s.title}\n{s.excerpt}\n{s.provider_name}\n{s.provider_domain}".lower()


#: Rows whose summaries Summaries fetches at once from the index (SQLite allows 32,766 parameters).
FETCH = 500


class Summaries(list):
    """The summaries of a Table, where rows read ahead from the index may still be None.

    A warm open shows the list from columns of the index and fetches the Summary objects
    after (see library.Decoded); a row read before its summary came is fetched on the spot
    through `fetch` (paths -> {path: Summary}), with its neighbours that have none yet (a
    painted screen, or a column built over every row, then costs a query per FETCH rows).
    Indexing and iterating give Summary objects; list
    methods that do not read items (len, copy, slicing assignment) see what is stored.
    """

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []  # the table's paths column
        self.fetch: Callable[[Sequence[str]], dict[str, Summary]] | None = None

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        item = list.__getitem__(self, i)
        if item is None:
            i = range(len(self))[i]  # a negative index too
            rows = [r for r in range(i, min(i + FETCH, len(self))) if list.__getitem__(self, r) is None]
            found = self.fetch([self.paths[r] for r in rows])
            for r in rows:
                list.__setitem__(self, r, found[self.paths[r]])
            item = list.__getitem__(self, i)
        return item

    def __iter__(self) -> Iterator[Summary]:
        for i in range(len(self)):
            yield self[i]

    def decoded(self, start: int, summaries: Sequence[Summary]) -> None:
        """Put `summaries` in rows from `start` on, where no summary is yet."""
        if not any(list.__getitem__(self, slice(start, start + len(summaries)))):
            list.__setitem__(self, slice(start, start + len(summaries)), summaries)
            return
        for offset, summary in enumerate(summaries):
            if list.__getitem__(self, start + offset) is None:
                list.__setitem__(self, start + offset, summary)


@dataclass(slots=True)
class Columns:
    """What a Table keeps for every row, read ahead of the summaries (see Summaries)."""

    paths: list[str]
    text: list[str]
    published: list[bool]
    quality: list[int | None]
    heat: list[int | None]
    date: list[float | None]
    fetch: Callable[[Sequence[str]], dict[str, Summary]]  # for rows read before their summaries came


class Table:
    """Columns of the searchable fields of every article, index-aligned with `summaries`.

    The columns every keystroke needs are kept up to date; the others (for field terms and
    sorting) are built the first time a query or sort asks for them.
    """

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
        return [self.summaries, self.paths, self.text, self.published, self.quality, self.heat, self.date,
                *self._lazy.values(), self._lazy]  # fmt: skip

    def __init__(self, summaries: Iterable[Summary] = ()):
        self.summaries: Summaries = Summaries()
        self.paths: list[str] = self.summaries.paths
        self.text: list[str] = []
        self.published: list[bool] = []
        self.quality: list[float | None] = []
        self.heat: list[float | None] = []
        self.date: list[float | None] = []
        self.version = 0  # bumped on every change, so callers can cache what they derive
        #: path -> git state ("modified", ...) of files that differ from the last commit (git: terms)
        self.git: dict[str, str] = {}
        self._lazy: dict[str, list[Any]] = {}  # the lazy columns built so far
        self.extend(summaries)

    def __len__(self) -> int:
        return len(self.summaries)

    def __getattr__(self, name: str) -> list[Any]:
        """A lazy column, built on first use (only called when the attribute is not there yet)."""
        if name == "path":
            column = [p.lower() for p in self.paths]
        else:
            make = Table._LAZY.get(name)
            if make is None:
                raise AttributeError(name)
            column = [make(s) for s in self.summaries]
        setattr(self, name, column)
        self._lazy[name] = column
        return column

    @property
    def built_lazy_columns(self) -> list[str]:
        """The lazy columns built so far (a search that needs one builds it)."""
        return list(self._lazy)

    def _lazy_value(self, name: str, s: Summary) -> Any:
        return s.path.lower() if name == "path" else Table._LAZY[name](s)

    def extend(self, summaries: Iterable[Summary | None], columns: Columns | None = None) -> None:
        """Append rows: Summary objects, or (from the index) `columns` read ahead with None for
        the summaries that come later (see Summaries)."""
        self.version += 1
        summaries = list(summaries)
        start = len(self.summaries)
        self.summaries.extend(summaries)
        if columns is not None:
            self.summaries.fetch = columns.fetch
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
            self.date.extend([s.date.timestamp() if s.date else None for s in summaries])
        for name, column in self._lazy.items():
            column.extend(self._lazy_value(name, self.summaries[r]) for r in range(start, len(self.summaries)))

    def replace(self, row: int, s: Summary) -> None:
        self.version += 1
        old = self.summaries[row]
        self.summaries[row] = s
        self.paths[row] = s.path
        if not (  # an edit (topics, quality, published) leaves the search text as it was
            old.title is s.title
            and old.excerpt is s.excerpt
            and old.provider_name is s.provider_name
            and old.provider_domain is s.provider_domain
        ):
            self.text[row] = haystack(s)
        self.published[row] = s.published
        self.quality[row] = s.quality
        self.heat[row] = s.heat
        self.date[row] = s.date.timestamp() if s.date else None
        for name, column in self._lazy.items():
            column[row] = self._lazy_value(name, s)

    def remove(self, rows: Iterable[int]) -> None:
        self.version += 1
        drop = set(rows)
        columns = [self.paths, self.text, self.published, self.quality, self.heat, self.date]
        columns += self._lazy.values()
        for column in columns:
            column[:] = [v for i, v in enumerate(column) if i not in drop]  # in place: Summaries shares paths
        kept = [v for i, v in enumerate(list.__iter__(self.summaries)) if i not in drop]  # not fetched here
        self.summaries[:] = kept

    # -- queries --

    def select(self, query: str | Any, rows: Sequence[int] | None = None) -> list[int]:
        """Rows matching `query` (text or parsed tree), in the order of `rows`."""
        node = parse(query) if isinstance(query, str) else query
        candidates = list(range(len(self.summaries))) if rows is None else list(rows)
        return self._eval(node, candidates)

    def _eval(self, node: Any, rows: list[int]) -> list[int]:
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

    def _term(self, term: Term, rows: list[int]) -> list[int]:
        value = term.value.lower()
        field = term.field
        if not field or field in ("title", "path"):
            column = self.text if not field else getattr(self, field)  # build only the column asked for
            return [r for r in rows if value in column[r]]
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
            want = value in _YES
            pub = self.published
            return [r for r in rows if pub[r] is want]
        if field in ("quality", "heat", "date"):
            lo, hi = _range(term, _date_bounds if field == "date" else _number_bounds)
            column = getattr(self, field)
            return [r for r in rows if column[r] is not None and lo <= column[r] <= hi]
        if field == "has":
            return [r for r in rows if _has(self.summaries[r], value)]
        if field == "git":
            states, paths = self.git, self.paths
            if value == "changed":
                return [r for r in rows if paths[r] in states]
            return [r for r in rows if states.get(paths[r]) == value]
        raise QueryError(f"unknown field '{field}:'", term.position)  # pragma: no cover - parse() refuses

    def sort(self, rows: list[int], field: str, descending: bool = False) -> list[int]:
        """Rows ordered by `field`; unknown values sort last either way (in the order of `rows`)."""
        if field in ("date", "quality", "heat"):  # numbers: one sort, unknown as an infinity that goes last
            last = -math.inf if descending else math.inf
            keys = [last if v is None else v for v in getattr(self, field)]
            return sorted(rows, key=keys.__getitem__, reverse=descending)
        key = self.sort_key(field)
        known = [r for r in rows if key(r) is not None]
        unknown = [r for r in rows if key(r) is None]
        known.sort(key=key, reverse=descending)
        return known + unknown

    def sort_key(self, field: str) -> Callable[[int], Any]:
        """A key for `field`; None for unknown values. Lazy columns are built only when sorted by."""
        s = self.summaries
        if field in ("date", "quality", "heat", "published"):
            return getattr(self, field).__getitem__
        if field in ("title", "path"):
            return getattr(self, field).__getitem__
        if field == "provider":
            provider = self.provider
            return lambda r: provider[r][0] or None
        if field in ("topics", "category", "type"):
            column = getattr(self, field)
            return lambda r: column[r] or None
        if field == "warnings":
            return lambda r: len(s[r].warnings)
        raise ValueError(f"cannot sort by {field!r}; use one of {', '.join(SORT_FIELDS)}")


def _has(s: Summary, what: str) -> bool:
    return bool(
        {
            "image": s.image,
            "topics": s.topics,
            "date": s.date,
            "quality": s.quality is not None,
            "excerpt": s.excerpt,
            "warnings": s.warnings,
            "provider": s.provider_name or s.provider_domain,
        }[what]
    )


def quote(value: str) -> str:
    """A value as it should appear after `field:` in a query."""
    if re.fullmatch(r'[^\s()"]+', value) and value != "OR":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: What the facet panel counts, in its order.
FACETS = ("published", "category", "type", "topic", "provider", "git")


def count_facets(
    summaries: Sequence[Summary | None], rows: Sequence[int], git: Mapping[str, str] | None = None
) -> dict[str, Counter]:
    """Counts per facet value over `rows` (plain Python: run it in a worker at scale).

    `summaries` may be a copy of Table.summaries made while a warm open still fetches them:
    rows without a summary yet are left out.
    """
    counts: dict[str, Counter] = {g: Counter() for g in FACETS}
    topics, providers = counts["topic"], counts["provider"]
    shown = [s for s in map(summaries.__getitem__, rows) if s is not None]
    for s in shown:
        topics.update(s.topics)
        providers[s.provider_name or s.provider_domain] += 1
    counts["published"] = Counter("yes" if s.published else "no" for s in shown)
    counts["category"] = Counter(s.category for s in shown)
    counts["type"] = Counter(s.type for s in shown)
    if git:  # the git state of each shown file that differs from the last commit
        counts["git"] = Counter(state for s in shown if (state := git.get(s.path)) is not None)
    providers.pop("", None)
    counts["category"].pop("", None)
    counts["type"].pop("", None)
    return counts
