"""What the TOML and JSON formats share (toml.py, json.py): both read with the standard library
and edit by splicing the text, with the guarantees YAML has: only the edited lines change, and
the caller parses the result back and writes nothing unless it gives exactly the intended values.

A small scanner per format finds each key's value span (strings, arrays, inline tables and
comments understood), and only that span, or the line of a new or removed key, is rewritten. A
library that round-trips TOML (tomlkit 0.15) was the alternative, measured on Hugo and Zola
pages (tests/bench/bench_formats.py): it re-rendered a multi-line array whole when one item was
added (5 lines differed where splicing adds 1), and was 1.3-2.3x slower per edit, parse-back
check included; splicing also needs no dependency. Arrays keep their items' text and their
quoting, one line or one item per line (this module: `Item`, `kept_items`, `join_list`);
anything a scanner is unsure of (comments inside an array, a key defined twice) declines with
FormatError, which `edited` turns into EditError, and nothing is written.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curator.core.document.formats.base import EditError, FrontMatterError, Split, check_value
from curator.core.document.values import Parsed


class FormatError(ValueError):
    """Text a TOML or JSON scanner cannot read or edit; `line` is 1-based within the front matter."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


def refused(kind: str, text: str, exc: ValueError | RecursionError) -> FormatError:
    """The reference parser's refusals that are not syntax errors: a number Python will not
    convert (more digits than sys.get_int_max_str_digits()), nesting deeper than its stack."""
    if isinstance(exc, RecursionError):
        return FormatError(f"{kind} is nested too deeply")
    limit = sys.get_int_max_str_digits()
    m = re.search(rf"[0-9][0-9_]{{{limit},}}", text) if limit else None
    line = text.count("\n", 0, m.start()) + 1 if m else None
    return FormatError(f"{kind} error: a number of more than {limit} digits, which Python does not convert", line)


# --- lists that keep their items -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    value: Any
    raw: str  # its text in the file
    start: int
    end: int


def kept_items(old: Sequence[Item], new: Sequence[Any], render: Callable[[Any], str]) -> list[str]:
    """The new list's item texts: an item still there keeps its text, a new one is rendered."""
    matcher = difflib.SequenceMatcher(None, [repr(i.value) for i in old], [repr(v) for v in new], autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [i.raw for i in old[i1:i2]]
        else:
            out += [render(v) for v in new[j1:j2]]
    return out


def join_list(text: str, start: int, end: int, items: Sequence[Item], raws: list[str]) -> str:
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


# --- reading and editing, as the formats do them ------------------------------------------------


def read_spliced(parse: Callable[[str], tuple[dict[str, Any], dict[str, int]]], front: str, first: int) -> Parsed:
    """What `parse` reads, with file lines: `first` is the file line of the front's first line."""
    try:
        data, lines = parse(front)
    except FormatError as exc:
        raise FrontMatterError(exc.message, exc.line + first - 1 if exc.line else None) from None
    return Parsed(data, {k: line + first for k, line in lines.items()})


def edit_spliced(
    name: str,
    edit: Callable[[str, Mapping[str, Any], str], str],
    split: Split,
    parsed: Parsed,
    changes: Mapping[str, Any],
) -> str:
    """TOML or JSON front matter edited line by line by `edit` (a dotted key is a path of
    tables, or objects, as in YAML)."""
    for key, value in changes.items():
        check_value(key, value)
    if any("." in k and k in parsed.data for k in changes):
        raise EditError("a key with a dot in its name cannot be edited in TOML or JSON front matter")
    try:
        return edit(split.front, changes, split.newline)
    except FormatError as exc:
        raise EditError(f"cannot edit this {name.upper()} front matter: {exc.message}") from None
