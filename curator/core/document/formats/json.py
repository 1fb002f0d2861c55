"""JSON front matter (Hugo): a JSON object that starts the file, read with the standard library
(`json`) and edited by splicing the value spans of its members (`json_members`; see splicing.py
for what TOML and JSON share and why splicing). JSON has no dates: a date is written as its
text, which is how Hugo reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
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

_NEWLINE = re.compile(r"\r\n|\n|\r")
#: What follows `{` in a template tag that starts a page without front matter (Liquid `{%`,
#: Go templates and Liquid `{{`, Nunjucks `{#`): never a JSON object, whose next character is `"`.
_TEMPLATE_TAG = ("{", "%", "#")


class JsonFormat(FrontMatterFormat):
    name = "json"
    fence = "{"

    def split(self, text: str, bom: bool) -> Split | None:
        if not text.startswith("{") or text[1:2] in _TEMPLATE_TAG:
            return None
        try:
            end = json_end(text)
        except FormatError as exc:
            raise FrontMatterError(exc.message, exc.line) from None
        newline = _NEWLINE.search(text)
        return Split(bom, newline.group() if newline else "\n", "", text[:end], text[end:], self.name)

    def read(self, front: str, *, fast: bool = True, only: Only | None = None) -> Parsed:
        return read_spliced(parse_json, front, 1)  # the front starts on the file's first line

    def held(self, value: Any) -> Any:
        return date_text(value) if isinstance(value, dt.date) else value

    def edit(self, split: Split, parsed: Parsed, changes: Mapping[str, Any]) -> str:
        return edit_spliced(self.name, edit_json, split, parsed, changes)

    def render(self, value: Any) -> str:
        try:
            return json_value(self.held(value))
        except FormatError as exc:
            raise EditError(exc.message) from None


JSON = JsonFormat()


def date_text(value: dt.date) -> str:
    """A date as JSON front matter holds it: `2024-01-02`, `2024-01-02T03:04:05Z` (as YAML
    writes it, see yaml.render_scalar)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


# --- reading -----------------------------------------------------------------------------------


def parse_json(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        data = json.loads(front)
    except json.JSONDecodeError as exc:
        raise FormatError(f"JSON error: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise refused("JSON", front, exc) from None
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
        raise refused("JSON", text, exc) from None
    return end


# --- rendering values --------------------------------------------------------------------------


def json_value(value: Any) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise FormatError("JSON has no NaN or infinity")
    return json.dumps(value, ensure_ascii=False)


# --- editing -----------------------------------------------------------------------------------


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


def edit_json(front: str, changes: Mapping[str, Any], newline: str) -> str:
    for key, value in changes.items():
        front = _edit_json_one(front, key.split("."), value, newline)
    return front


def _edit_json_one(text: str, path: list[str], value: Any, newline: str) -> str:
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
        if value is DELETE:
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
            raws = kept_items(items, list(value), json_value)
            new = join_list(text, m.value_start, m.value_end, items, raws)
        else:
            new = json_value(value)
        return text[: m.value_start] + new + text[m.value_end :]
    if value is DELETE:
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
