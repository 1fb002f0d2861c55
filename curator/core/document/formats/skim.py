"""The list-fields reader: read only the keys the article list needs, skip the rest by indentation.

A cold open of 100,000 articles parses every file, and most of each file is what the list never
shows: `related` articles, `featuredContent`, `secured`, image lists. This reader finds the
top-level keys from the lines that start at column 0, reads the keys the list needs (one-line
values from their line, nested ones in the commonest shapes with `fastyaml.block`, the rest with
the fast reader, all in one piece), checks that `related` is a list (the list shows nothing of
it) and skips every other key's block unread.

It declines (raises `Unsupported`, and the caller parses the whole file) on anything that could
make a line at column 0 up to the last key it reads mean something else than a top-level key,
a comment or an item of the key before it: a line before that key that may leave a quoted
scalar or flow collection open (YAML lets them go on at any indentation), line breaks only YAML
knows (U+2028, U+2029, NEL), duplicate keys, directives, `...`, complex keys, keys that are not
plain names; and the fast reader declines in what it reads tabs, control characters, anchors,
tags, flow collections, block and multi-line scalars. On every document the full parse accepts
it gives the same values for the keys it reads and the same file lines for the keys up to the
last of them, so summarize gives the same Summary: tests check that on the real corpus,
generated corpora and hypothesis-generated documents.

What it skips it does not check: a file whose skipped part is broken YAML lists at once, and the
full parse that follows in the background (library.check_skimmed) names it as a problem.
"""

from __future__ import annotations

import re
from typing import Any

from curator.core.document.formats.fastyaml import Unsupported, block, parse_fast, scalar_line
from curator.core.document.values import Parsed

__all__ = ["Unsupported", "skim"]

#: A line at column 0 (but the first), with the line break before it: a key (with the text after
#: `key:`, if any) or something else.
_TOP = re.compile(r"\n(?:([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +([^\n]*))?(?=\n|\Z)|([^ \n][^\n]*))")
#: An indented line with content (not a comment), with the line break before it.
_INDENTED = re.compile(r"\n +[^ \n#]")
#: A line that surely leaves no quoted scalar or flow collection open: a key or a list item whose
#: value is a quoted scalar closed on the line, or a plain scalar (which may hold quotes and
#: brackets: they mean nothing there). YAML lets quoted scalars and flow collections go on at
#: any indentation, even at column 0; the reader declines on other lines with a quote or a bracket.
_SAFE = re.compile(
    r""" *(?:-[ \t]+)*(?:[A-Za-z_][A-Za-z0-9_-]*:[ \t]+)?(?:"(?:[^"\\]|\\.)*+"|'(?:[^']|'')*+') *"""
    r"""| *(?:-[ \t]+)*[A-Za-z_][A-Za-z0-9_-]*:[ \t]+[^-"'\[{&!?*|> \t#][^\n]*"""
    r"""| *(?:-[ \t]+)*[^-"'\[{&!?*|> \t#](?:(?!:[ \t]|:$|[ \t]#)[^\n])*"""
)
#: What may stand before a quote that opens a value: indentation, list dashes, a plain key.
#: (A tab after `:` or `-` separates as a space does: `x:\t"` opens a quoted scalar.)
_VALUE_START = re.compile(r" *(?:-[ \t]+)*(?:[A-Za-z_][A-Za-z0-9_-]*:[ \t]+)?")


def skim(front: str, wanted: frozenset[str], lists: frozenset[str] = frozenset()) -> Parsed:
    """The `wanted` top-level keys of this front matter (YAML) and the file line of each
    top-level key up to the last of them; other keys' values are not read, those of `lists`
    only checked to be lists (or null): they are left out of the mapping.

    Raises Unsupported where the full parse must decide.
    """
    if "\r" in front:
        if "\r" in front.replace("\r\n", ""):
            raise Unsupported("lone carriage return")
        front = front.replace("\r\n", "\n")
    if not front.isascii() and ("\x85" in front or "\u2028" in front or "\u2029" in front):
        raise Unsupported("a line break YAML knows and this reader does not")
    text = "\n" + front
    # (key, offset of the line break before its line, the value on its line or None)
    keys: list[tuple[str, int, str | None]] = []
    last = -1  # the index in keys of the last key read or checked
    for m in _TOP.finditer(text):
        key, value, line = m.groups()
        if key is None:
            if line[0] == "#":
                continue
            if line[0] == "-" and (len(line) == 1 or line[1] == " "):
                if not keys or keys[-1][2] is not None:
                    raise Unsupported("a list item at column 0 after a key with a value")
                continue  # `key:` followed by its list's items at the key's own indentation
            raise Unsupported("a line at column 0 that is not a key")
        if key in wanted or key in lists:
            last = len(keys)
        value = value.strip(" ") if value else ""
        keys.append((key, m.start(), value if value and value[0] != "#" else None))
    if len({k for k, _, _ in keys}) != len(keys):
        raise Unsupported("duplicate key")
    if _INDENTED.search(text, 0, keys[0][1] if keys else len(text)):
        raise Unsupported("front matter does not start with a key")
    pieces: list[str] = []
    data: dict = {}
    key_lines: dict[str, int] = {}
    line = 1  # the file line of the front matter's first line is 2: the `---` line is 1
    at = 0
    for i, (key, start, value) in enumerate(keys[: last + 1]):  # (what follows is not vouched for)
        line += text.count("\n", at, start + 1)
        at = start + 1
        key_lines[key] = line
        end = keys[i + 1][1] if i + 1 < len(keys) else len(text)
        if key in wanted:
            eol = text.find("\n", at, end)
            if eol < 0 or not text[eol:end].strip(" \n"):  # its line only (and blank lines): read it here
                data[key] = scalar_line(key, value, text, at, end if eol < 0 else eol)
            elif value is None and (read := _block(text[eol:end])) is not None:
                data[key] = read[0]
            else:
                data[key] = None  # (its place in the mapping's order)
                pieces.append(text[start:end])
            continue
        if key in lists:
            _check_list(value, text, start, end)
        if i < last and _may_go_on(text[start + 1 : end]):  # a key read follows: nothing may go on into it
            raise Unsupported("a scalar or collection that may go on past its line")
    if pieces:
        data.update(parse_fast("".join(pieces)[1:])[0])
    return Parsed(data, key_lines, fast=True, skimmed=True)


def _block(lines: str) -> tuple[Any] | None:
    """(value,) of the lines under a key when they are a list, a mapping or a list of mappings
    of one-line values (most are: fastyaml.block), else None: the fast reader reads them."""
    try:
        return (block(lines),)
    except Unsupported:
        return None


def _may_go_on(block: str) -> bool:
    """Whether a line of this block may leave a quoted scalar or flow collection open."""
    if '"' in block or "'" in block or "[" in block or "{" in block:
        for line in block.split("\n"):
            if '"' in line or "'" in line or "[" in line or "{" in line:
                # most often one double-quoted value without escapes that ends the line: closed
                # (`'`, `[` or `{` after its opening quote are inside it). Only where that first
                # quote opens the value: in `x"y: "` it is text, and the second one opens a scalar.
                quote = line.find('"')
                if (
                    quote >= 0
                    and line[-1] == '"'
                    and line.count('"') == 2
                    and "\\" not in line
                    and _VALUE_START.fullmatch(line, 0, quote)
                ):
                    continue
                if not _SAFE.fullmatch(line):
                    return True
    return False


_FIRST = re.compile(r"\n *([^ \n#])(.?)")


def _check_list(value: str | None, text: str, start: int, end: int) -> None:
    """Decline unless the value (the text after `key:`, the lines under it) is a block list, `[]` or null."""
    eol = text.find("\n", start + 1, end)
    first = _FIRST.search(text, eol, end) if eol >= 0 else None
    if value is not None:
        if value != "[]" or first is not None:
            raise Unsupported("a value that may not be a list")
    elif first is not None and (first.group(1) != "-" or first.group(2) not in ("", " ")):
        raise Unsupported("a value that may not be a list")
