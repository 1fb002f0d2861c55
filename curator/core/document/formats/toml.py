"""TOML front matter between `+++` lines (Hugo, Zola): reading with the standard library
(`tomllib`), and editing by splicing the value spans a small scanner finds (`toml_statements`;
see splicing.py for what TOML and JSON share and why splicing).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from curator.core.document.formats.base import EditError, FrontMatterError, FrontMatterFormat, Only, Split
from curator.core.document.formats.splicing import (
    FormatError,
    Item,
    edit_spliced,
    join_list,
    kept_items,
    read_spliced,
    refused,
)
from curator.core.document.values import DELETE, Parsed

_OPENER = re.compile(r"\+\+\+[ \t]*(\r\n|\n|\r)")
_CLOSER = re.compile(r"(?m)^\+\+\+[ \t]*(?:\r\n|\n|\r|\Z)")


class TomlFormat(FrontMatterFormat):
    name = "toml"
    fence = "+++"

    def split(self, text: str, bom: bool) -> Split | None:
        opener = _OPENER.match(text)
        if not opener:
            return None
        closer = _CLOSER.search(text, opener.end())
        if not closer:
            raise FrontMatterError("front matter is never closed: no '+++' line after the opening one", None)
        front = text[opener.end() : closer.start()]
        return Split(bom, opener.group(1), text[: opener.end()], front, text[closer.start() :], self.name)

    def read(self, front: str, *, fast: bool = True, only: Only | None = None) -> Parsed:
        return read_spliced(parse_toml, front, 2)  # the front's first line is the file's second

    def edit(self, split: Split, parsed: Parsed, changes: Mapping[str, Any]) -> str:
        return edit_spliced(self.name, edit_toml, split, parsed, changes)

    def render(self, value: Any) -> str:
        try:
            return toml_value(value)
        except FormatError as exc:
            raise EditError(exc.message) from None


TOML = TomlFormat()


# --- reading -----------------------------------------------------------------------------------

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def parse_toml(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The mapping and the 0-based front line of each top-level key. Raises FormatError."""
    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        message = _TOML_LINE.sub("", str(exc)).strip()
        raise FormatError(f"TOML error: {message}", int(m.group(1)) if m else None) from None
    except (ValueError, RecursionError) as exc:  # what tomllib refuses beyond its own errors
        raise refused("TOML", front, exc) from None
    try:
        statements = toml_statements(front)
    except (ValueError, RecursionError):  # read all the same; an edit of it is refused (edit_toml)
        statements = []
    lines: dict[str, int] = {}
    for st in statements:
        if st.table == () and st.key and st.key[0] not in lines and not st.array_of_tables:
            lines[st.key[0]] = front.count("\n", 0, st.start)
    return data, lines


# --- rendering values --------------------------------------------------------------------------


def _toml_string(text: str, literal: bool = False) -> str:
    if literal and "'" not in text and not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", text):
        return f"'{text}'"
    out = json.dumps(text, ensure_ascii=False)
    return out.replace("\x7f", "\\u007f")


def toml_value(value: Any, literal: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value, literal)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v, literal) for v in value) + "]"
    raise FormatError(f"cannot write {type(value).__name__} as TOML")


# --- editing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """A `key = value` line (possibly several lines) of a TOML document."""

    table: tuple[str, ...]  # the [table] it is in; () at the top
    key: tuple[str, ...]  # its (dotted) key
    start: int  # of the line
    value_start: int
    value_end: int
    end: int  # after the line break (or the text's end)
    array_of_tables: bool = False


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _string_end(text: str, i: int) -> int:
    """End of the TOML string starting at i."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, i):
            j = i + 3
            while True:
                k = text.find(quote, j)
                if k < 0:
                    raise FormatError("a multi-line string is never closed")
                if quote == '"""' and _escaped(text, k):
                    j = k + 1
                    continue
                while text.startswith(quote[0], k + 3):  # up to two quotes may end the content
                    k += 1
                return k + 3
    q = text[i]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c in "\r\n":
            break
        if q == '"' and c == "\\":
            j += 2
            continue
        if c == q:
            return j + 1
        j += 1
    raise FormatError("a string is never closed")


def _escaped(text: str, k: int) -> bool:
    n = 0
    while k - 1 - n >= 0 and text[k - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def _keys(text: str, i: int, stop: str) -> tuple[tuple[str, ...], int]:
    """A dotted key starting at i, up to `stop` ('=' or ']')."""
    parts = []
    while True:
        i = _skip_ws(text, i)
        if i < len(text) and text[i] in "\"'":
            end = _string_end(text, i)
            raw = text[i:end]
            # a basic string's escapes are TOML's (\\U0001F600, a raw tab), not JSON's
            parts.append(tomllib.loads(f"k = {raw}")["k"] if raw[0] == '"' else raw[1:-1])
            i = end
        else:
            m = _BARE.match(text, i)
            if not m:
                raise FormatError("a key is not understood")
            parts.append(m.group())
            i = m.end()
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        if i < len(text) and text[i] in stop:
            return tuple(parts), i
        raise FormatError("a key is not understood")


def _value_end(text: str, i: int, items: list[Item] | None = None) -> int:
    """End of the TOML value starting at i (items: filled with an array's items)."""
    c = text[i] if i < len(text) else ""
    if c in "\"'":
        return _string_end(text, i)
    if c in "[{":
        close = "]" if c == "[" else "}"
        j = i + 1
        while True:
            j = _skip_space_comments(text, j, comments=c == "[", items=items)
            if j >= len(text):
                raise FormatError("an array or inline table is never closed")
            if text[j] == close:
                return j + 1
            if text[j] == ",":
                j += 1
                continue
            if c == "{":
                _, j = _keys(text, j, "=")
                j = _skip_ws(text, j + 1)
            start = j
            j = _value_end(text, j)
            if items is not None and c == "[":
                raw = text[start:j]
                items.append(Item(tomllib.loads(f"v = {raw}")["v"], raw, start, j))
    m = re.compile(r"[^\s,\]}#]+(?:[ T][0-9:.+\-Z]+)?").match(text, i)
    if not m:
        raise FormatError("a value is not understood")
    return m.end()


def _skip_space_comments(text: str, j: int, comments: bool, items: list[Item] | None) -> int:
    while j < len(text):
        c = text[j]
        if c in " \t\r\n":
            j += 1
        elif c == "#" and comments:
            if items is not None:
                raise FormatError("the array has comments inside: set the whole value by hand")
            nl = text.find("\n", j)
            j = len(text) if nl < 0 else nl + 1
        else:
            break
    return j


def toml_statements(text: str) -> list[Statement]:
    """Every key = value statement, with the table it is in, and every [table] header (as a
    statement with no key). Raises FormatError."""
    out = []
    table: tuple[str, ...] = ()
    array = False
    i = 0
    while i < len(text):
        line_start = i
        i = _skip_ws(text, i)
        if i >= len(text):
            break
        c = text[i]
        if c in "\r\n":
            i += 2 if text.startswith("\r\n", i) else 1
            continue
        if c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl + 1
            continue
        if c == "[":
            array = text.startswith("[[", i)
            table, j = _keys(text, i + (2 if array else 1), "]")
            j += 2 if array else 1
            out.append(Statement(table, (), line_start, j, j, 0, array))
        else:
            key, j = _keys(text, i, "=")
            value_start = _skip_ws(text, j + 1)
            value_end = _value_end(text, value_start)
            j = value_end
            out.append(Statement(table, key, line_start, value_start, value_end, 0, array))
        j = _skip_ws(text, j)
        if j < len(text) and text[j] == "#":
            nl = text.find("\n", j)
            j = len(text) if nl < 0 else nl
        if j < len(text) and text[j] not in "\r\n":
            raise FormatError("something follows a value on its line")
        end = j + (2 if text.startswith("\r\n", j) else 1 if j < len(text) else 0)
        last = out[-1]
        out[-1] = Statement(last.table, last.key, line_start, last.value_start, last.value_end, end, array)
        i = end
    return out


def edit_toml(front: str, changes: Mapping[str, Any], newline: str) -> str:
    """TOML text with `changes` ({dotted key: value or DELETE}) applied, line by line."""
    for key, value in changes.items():
        front = _edit_toml_one(front, tuple(key.split(".")), value, newline)
    return front


def _edit_toml_one(text: str, path: tuple[str, ...], value: Any, newline: str) -> str:
    everything = toml_statements(text)
    if any(s.array_of_tables for s in everything if s.table == path[: len(s.table)] and s.table):
        raise FormatError(f"{'.'.join(path)} is inside an array of tables")
    headers = {s.table: s for s in everything if not s.key}
    statements = [s for s in everything if s.key]
    found = [s for s in statements if s.table + s.key == path]
    if len(found) > 1:
        raise FormatError(f"{'.'.join(path)} is defined twice")
    if found:
        s = found[0]
        if value is DELETE:
            return text[: s.start] + text[s.end :]
        return text[: s.value_start] + _toml_replacement(text, s, value) + text[s.value_end :]
    if value is DELETE:
        return text
    if any(s.table + s.key == path[: len(s.table + s.key)] for s in statements if len(s.table + s.key) < len(path)):
        raise FormatError(f"{'.'.join(path[:-1])} is not a table of its own here")
    # the deepest table (header) that holds the path, then the key relative to it
    tables = {s.table for s in statements} | {()} | set(headers)
    table = max((t for t in tables if path[: len(t)] == t and len(t) < len(path)), key=len)
    rel = path[len(table) :]
    line = ".".join(_toml_key(k) for k in rel) + " = " + toml_value(value, _literal_style(text)) + newline
    in_table = [s for s in statements if s.table == table]
    if in_table:
        at = in_table[-1].end
        if at == len(text) and not text.endswith(("\n", "\r")):
            return text + newline + line.removesuffix(newline)
        return text[:at] + line + text[at:]
    if table == ():
        first = min((h.start for h in headers.values()), default=len(text))
        return text[:first] + line + text[first:]
    at = headers[table].end
    if at == len(text) and not text.endswith(("\n", "\r")):
        return text + newline + line.removesuffix(newline)
    return text[:at] + line + text[at:]


def _toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _literal_style(text: str) -> bool:
    """Whether this document writes its strings in single quotes (most of them)."""
    single = text.count("= '") + text.count(", '") + text.count("['")
    return single > text.count('= "') + text.count(', "') + text.count('["')


def _toml_replacement(text: str, s: Statement, value: Any) -> str:
    old = text[s.value_start : s.value_end]
    if isinstance(value, (list, tuple)) and old.startswith("["):
        items: list[Item] = []
        _value_end(text, s.value_start, items)
        literal = any(i.raw.startswith("'") for i in items) if items else _literal_style(text)
        raws = kept_items(items, list(value), lambda v: toml_value(v, literal))
        return join_list(text, s.value_start, s.value_end, items, raws)
    literal = old.startswith("'") and not old.startswith("'''")
    return toml_value(value, literal)
