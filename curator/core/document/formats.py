"""TOML (`+++`, Hugo and Zola) and JSON (`{…}`, Hugo) front matter: reading, and editing with the
guarantees YAML has (see editing.py): only the edited lines change, and the caller parses the
result back and writes nothing unless it gives exactly the intended values.

Reading uses the standard library (`tomllib`, `json`). Editing splices the text: a small
scanner finds each key's value span (strings, arrays, inline tables and comments understood),
and only that span, or the line of a new or removed key, is rewritten. A library that round-
trips TOML (tomlkit 0.15) was the alternative, measured on Hugo and Zola pages
(tests/bench/bench_formats.py): it re-rendered a multi-line array whole when one item was added
(5 lines differed where splicing adds 1), and was 1.3-2.3x slower per edit, parse-back check
included; splicing also needs no dependency. Arrays keep their items' text and their quoting,
one line or one item per line; anything the scanner is unsure of (comments inside an array, a
key defined twice) declines with EditError, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class FormatError(ValueError):
    """Text this module cannot read or edit; `line` is 1-based within the front matter."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


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
        raise _refused("TOML", front, exc) from None
    try:
        statements = toml_statements(front)
    except (ValueError, RecursionError):  # read all the same; an edit of it is refused (edit_toml)
        statements = []
    lines: dict[str, int] = {}
    for st in statements:
        if st.table == () and st.key and st.key[0] not in lines and not st.array_of_tables:
            lines[st.key[0]] = front.count("\n", 0, st.start)
    return data, lines


def _refused(kind: str, text: str, exc: ValueError | RecursionError) -> FormatError:
    """The reference parser's refusals that are not syntax errors: a number Python will not
    convert (more digits than sys.get_int_max_str_digits()), nesting deeper than its stack."""
    if isinstance(exc, RecursionError):
        return FormatError(f"{kind} is nested too deeply")
    limit = sys.get_int_max_str_digits()
    m = re.search(rf"[0-9][0-9_]{{{limit},}}", text) if limit else None
    line = text.count("\n", 0, m.start()) + 1 if m else None
    return FormatError(f"{kind} error: a number of more than {limit} digits, which Python does not convert", line)


def parse_json(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        data = json.loads(front)
    except json.JSONDecodeError as exc:
        raise FormatError(f"JSON error: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise _refused("JSON", front, exc) from None
    if not isinstance(data, dict):
        raise FormatError("front matter is not a JSON object of keys", 1)
    if _SURROGATE_ESCAPE.search(front):
        data = _whole_characters(data)
    lines = {m.key: front.count("\n", 0, m.key_start) for m in json_members(front, front.index("{"))}
    return data, lines


#: `\ud800`-`\udfff`: half of a UTF-16 pair, which json.loads keeps when the other half is missing
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(value: Any) -> Any:
    """A lone surrogate read as U+FFFD, as Hugo (Go's encoding/json) reads it: half a character
    cannot be written as UTF-8, so it could be neither listed, indexed nor shown."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_whole_characters(v) for v in value]
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    return value


def json_end(text: str) -> int:
    """Where the JSON object that starts the text ends. Raises FormatError."""
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"JSON error: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise _refused("JSON", text, exc) from None
    return end


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


def json_value(value: Any) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise FormatError("JSON has no NaN or infinity")
    return json.dumps(value, ensure_ascii=False)


# --- lists that keep their items -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    value: Any
    raw: str  # its text in the file
    start: int
    end: int


def _kept_items(old: Sequence[Item], new: Sequence[Any], render: Callable[[Any], str]) -> list[str]:
    """The new list's item texts: an item still there keeps its text, a new one is rendered."""
    matcher = difflib.SequenceMatcher(None, [repr(i.value) for i in old], [repr(v) for v in new], autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [i.raw for i in old[i1:i2]]
        else:
            out += [render(v) for v in new[j1:j2]]
    return out


def _join_list(text: str, start: int, end: int, items: Sequence[Item], raws: list[str]) -> str:
    """A list's new text, laid out as the old one was: on one line (with its inner spacing and
    separator), or one item per line (with its indent and trailing comma)."""
    old = text[start:end]
    if not raws:
        return "[]"
    if "\n" not in old or not items:
        pad = " " if old.startswith("[ ") and items else ""
        sep = text[items[0].end : items[1].start] if len(items) > 1 else ", "
        sep = sep if "\n" not in sep and sep.strip() == "," else ", "
        return "[" + pad + sep.join(raws) + pad + "]"
    first_line_start = text.rfind("\n", start, items[0].start) + 1
    indent = text[first_line_start : items[0].start]
    close_start = text.rfind("\n", start, end - 1) + 1
    close = text[close_start : end - 1]
    if close.strip():
        raise FormatError("the list's closing bracket shares a line with an item")
    trailing = text[items[-1].end : close_start].strip().startswith(",")
    newline = "\r\n" if "\r\n" in old else "\n"
    body = ("," + newline).join(indent + r for r in raws)
    return "[" + newline + body + ("," if trailing else "") + newline + close + "]"


# --- TOML --------------------------------------------------------------------------------------


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


def edit_toml(front: str, changes: Mapping[str, Any], newline: str, deleted: object) -> str:
    """TOML text with `changes` ({dotted key: value or `deleted`}) applied, line by line."""
    for key, value in changes.items():
        front = _edit_toml_one(front, tuple(key.split(".")), value, newline, deleted)
    return front


def _edit_toml_one(text: str, path: tuple[str, ...], value: Any, newline: str, deleted: object) -> str:
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
        if value is deleted:
            return text[: s.start] + text[s.end :]
        return text[: s.value_start] + _toml_replacement(text, s, value) + text[s.value_end :]
    if value is deleted:
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
        raws = _kept_items(items, list(value), lambda v: toml_value(v, literal))
        return _join_list(text, s.value_start, s.value_end, items, raws)
    literal = old.startswith("'") and not old.startswith("'''")
    return toml_value(value, literal)


# --- JSON --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    key: str
    key_start: int
    value_start: int
    value_end: int


def json_members(text: str, brace: int) -> list[Member]:
    """The members of the JSON object whose `{` is at `brace`."""
    return [m for m in _json_entries(text, brace, "}") if isinstance(m, Member)]


def _json_items(text: str, start: int) -> list[Item]:
    """The items of the JSON array whose `[` is at `start`."""
    return [i for i in _json_entries(text, start, "]") if isinstance(i, Item)]


def _json_entries(text: str, start: int, close: str) -> list[Member | Item]:
    """Each member (of an object) or item (of an array) with where its text lies."""
    decoder = json.JSONDecoder()
    out: list[Member | Item] = []
    i = start + 1
    while True:
        i = _skip_json_ws(text, i)
        if i >= len(text):
            raise FormatError("a JSON object or array is never closed")
        if text[i] == close:
            return out
        if text[i] == ",":
            i += 1
            continue
        if close == "]":
            value, end = decoder.raw_decode(text, i)
            out.append(Item(value, text[i:end], i, end))
            i = end
            continue
        if text[i] != '"':
            raise FormatError("a JSON key is not understood")
        key, j = json.decoder.scanstring(text, i + 1)
        j = _skip_json_ws(text, j)
        if text[j : j + 1] != ":":
            raise FormatError("a JSON key has no value")
        value_start = _skip_json_ws(text, j + 1)
        _, end = decoder.raw_decode(text, value_start)
        out.append(Member(key, i, value_start, end))
        i = end


def _skip_json_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def edit_json(front: str, changes: Mapping[str, Any], newline: str, deleted: object) -> str:
    for key, value in changes.items():
        front = _edit_json_one(front, key.split("."), value, newline, deleted)
    return front


def _edit_json_one(text: str, path: list[str], value: Any, newline: str, deleted: object) -> str:
    brace = text.index("{")
    for depth, name in enumerate(path[:-1]):
        found = [m for m in json_members(text, brace) if m.key == name]
        if len(found) != 1 or text[found[0].value_start] != "{":
            raise FormatError(f"{'.'.join(path[: depth + 1])} is not an object in this file")
        brace = found[0].value_start
    members = json_members(text, brace)
    found = [m for m in members if m.key == path[-1]]
    if len(found) > 1:
        raise FormatError(f"{'.'.join(path)} is defined twice")
    if found:
        m = found[0]
        if value is deleted:
            k = members.index(m)
            if k > 0:  # from the end of the one before (its comma) to the end of this one
                return text[: members[k - 1].value_end] + text[m.value_end :]
            if len(members) > 1:
                return text[: m.key_start] + text[members[1].key_start :]
            line_start = text.rfind("\n", brace, m.key_start) + 1
            line_end = text.find("\n", m.value_end)
            if line_start > 0 and line_end >= 0 and not text[m.value_end : line_end].strip():
                return text[:line_start] + text[line_end + 1 :]  # the member's own lines go
            return text[: m.key_start] + text[_skip_json_ws(text, m.value_end) :]
        if isinstance(value, (list, tuple)) and text[m.value_start] == "[":
            items = _json_items(text, m.value_start)
            raws = _kept_items(items, list(value), json_value)
            new = _join_list(text, m.value_start, m.value_end, items, raws)
        else:
            new = json_value(value)
        return text[: m.value_start] + new + text[m.value_end :]
    if value is deleted:
        return text
    member = f"{json_value(path[-1])}: {json_value(value)}"
    if not members:
        close = _skip_json_ws(text, brace + 1)
        return text[: brace + 1] + member + text[close:]
    last = members[-1]
    line_start = text.rfind("\n", 0, last.key_start) + 1
    indent = text[line_start : last.key_start]
    sep = ("," + newline + indent) if indent.strip() == "" and line_start > brace else ", "
    return text[: last.value_end] + sep + member + text[last.value_end :]
