"""The query language shared by the CLI and the GUI (evaluated over columns by table.Table).

    power apps topic:"AI Builder" -published:no quality:>=50 date:2021-01..2021-03 OR has:image

Words match title, excerpt and provider (case-insensitive); terms are ANDed unless joined by
OR; `-` negates; parentheses group. A query is parsed once into a tree and evaluated over
columns (see table.py), which keeps a keystroke at 100,000 articles in the tens of milliseconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    "dup": "yes (the article is in a group of duplicate stories) or no",
    "link": "ok, moved, dead or error (the last link check of the article, its worst link)",
    "field": "KEY (the article has it) or KEY=VALUE (its value, or an item of its list); nested keys as a.b",
}
LINK_STATES = ("ok", "moved", "dead", "error")
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
            if text.lower() not in YES + NO:
                raise QueryError("draft: use yes or no", pos)
            field, text = "published", "no" if text.lower() in YES else "yes"
        if field and field not in FIELDS:
            raise QueryError(f"unknown field '{field}:' (known: {', '.join(FIELDS)})", pos)
        term = Term(field, text, pos)
        _check(term)
        return term


def parse(text: str) -> Any:
    """Parse a query into a tree; raises QueryError naming the position."""
    return _Parser(text).parse()


def fields_named(node: Any) -> set[str]:
    """The keys a query's `field:` terms name (their values are read from the files)."""
    if isinstance(node, Term):
        return {node.value.partition("=")[0].strip()} if node.field == "field" else set()
    if isinstance(node, Not):
        return fields_named(node.node)
    if isinstance(node, (And, Or)):
        return set().union(*(fields_named(n) for n in node.nodes)) if node.nodes else set()
    return set()


def terms_named(node: Any) -> set[str]:
    """The fields a query's terms name (`dup`, `link`, ...)."""
    if isinstance(node, Term):
        return {node.field}
    if isinstance(node, Not):
        return terms_named(node.node)
    if isinstance(node, (And, Or)):
        return set().union(*(terms_named(n) for n in node.nodes)) if node.nodes else set()
    return set()


def narrows(new: Any, old: Any) -> bool:
    """True when every article that matches `new` also matches `old`.

    Typing on (`chi` after `ch`) or adding a term narrows the last search, so only its
    matches need checking again.
    """
    new_terms = _conjuncts(new)
    return all(any(_implies(n, o) for n in new_terms) for o in _conjuncts(old))


def residual(new: Any, old: Any) -> Any:
    """What of `new` is left to check on the matches of `old`: its terms that no term of `old`
    implies (`chip s` after `chip `: only `s`; an empty And when nothing is left)."""
    old_terms = _conjuncts(old)
    left = tuple(n for n in _conjuncts(new) if not any(_implies(o, n) for o in old_terms))
    return left[0] if len(left) == 1 else And(left)


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


def date_bounds(text: str, term: Term) -> tuple[float, float]:
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


def value_range(term: Term, bounds: Callable[[str, Term], tuple[float, float]]) -> tuple[float, float]:
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


def number_bounds(text: str, term: Term) -> tuple[float, float]:
    n = _number(text, term)
    return n, n


def _check(term: Term) -> None:
    if term.field in ("quality", "heat"):
        value_range(term, number_bounds)
    elif term.field == "date":
        value_range(term, date_bounds)
    elif term.field == "published" and term.value.lower() not in YES + NO:
        raise QueryError("published: use yes or no", term.position)
    elif term.field == "git" and term.value.lower() not in GIT_STATES:
        raise QueryError(f"git: use one of {', '.join(GIT_STATES)}", term.position)
    elif term.field == "dup" and term.value.lower() not in YES + NO:
        raise QueryError("dup: use yes or no", term.position)
    elif term.field == "link" and term.value.lower() not in LINK_STATES:
        raise QueryError(f"link: use one of {', '.join(LINK_STATES)}", term.position)
    elif term.field == "field" and not term.value.partition("=")[0].strip():
        raise QueryError("field: use field:KEY or field:KEY=VALUE", term.position)
    elif term.field == "has" and term.value.lower() not in HAS:
        raise QueryError(f"has: use one of {', '.join(HAS)}", term.position)


YES = ("yes", "true", "y", "1")
NO = ("no", "false", "n", "0")


def quote(value: str) -> str:
    """A value as it should appear after `field:` in a query."""
    if re.fullmatch(r'[^\s()"]+', value) and value != "OR":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
