"""A fast reader for the plain block YAML that front matter almost always is.

libyaml costs about a millisecond per article; at 100,000 files that is minutes. Generated
and hand-written front matter uses a small part of YAML: block mappings and lists, plain and
one-line quoted scalars, comments. This reader parses exactly that part, about ten times
faster, and raises `Unsupported` on anything else (flow collections, anchors, tags, block
scalars, multi-line scalars, tabs, odd escapes, keys that YAML would read as non-strings...),
so that the caller parses the file with PyYAML instead. It must give the same mapping as
PyYAML's safe loader on everything it accepts: tests check that on the real corpus, on
generated corpora and on hypothesis-generated documents.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from yaml.resolver import Resolver


class Unsupported(Exception):
    """Not in the subset this reader understands: parse with PyYAML."""


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?\Z")
# Anything PyYAML treats specially or refuses somewhere in a document sends it to PyYAML.
# U+2028 and U+2029 are line breaks to YAML (libyaml), not to this reader's line splitting.
_ODD = re.compile("[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: libyaml refuses an implicit key longer than 1024 characters; real keys are short. A longer
#: "key" does not match _LINE's key group, so its line is not a key and the reader declines.
MAX_KEY = 128
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
#: The commonest timestamp, whole: 2024-01-02T03:04:05Z (`fromisoformat` reads it as `_timestamp` does).
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z)?)?\Z")
_ESCAPE = re.compile(r"\\(.)")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_RESOLVERS = Resolver.yaml_implicit_resolvers
_BOOLS = {w: True for w in ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")}
_BOOLS.update({w: False for w in ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")})
_NULLS = {"~", "null", "Null", "NULL"}
_PLAIN_START_BAD = set("?:,[]{}#&*!|>'\"%@`")

SEQ, MAP, SCALAR = 0, 1, 2


def _plain(text: str) -> Any:
    """Resolve a plain scalar as PyYAML's resolver would, or refuse."""
    if text[0] in _PLAIN_START_BAD or ": " in text or text.endswith(":") or "\t" in text:
        raise Unsupported("plain scalar needs the full parser")
    if text[0] == "-" and (len(text) == 1 or text[1] == " "):
        raise Unsupported("a dash that YAML reads as a list")
    resolvers = _RESOLVERS.get(text[0])
    if not resolvers:
        return text
    if _DATE_TIME.match(text):  # (most dates: neither a float nor an int, so a timestamp; 3 us -> 0.4)
        return dt.datetime.fromisoformat(text)
    for tag, regexp in resolvers:
        if regexp.match(text):
            kind = tag.rsplit(":", 1)[1]
            if kind == "bool":
                return _BOOLS[text]
            if kind == "null":
                return None
            if kind == "int" and _INT.match(text):
                return int(text)
            if kind == "float" and _FLOAT.match(text):
                return float(text)
            if kind == "timestamp":
                return _timestamp(text)
            raise Unsupported(f"{kind} scalar")
    return text


def _timestamp(text: str) -> Any:
    m = _TIMESTAMP.match(text)
    if not m:
        raise Unsupported("timestamp form")
    year, month, day, hour, minute, second, fraction, zulu = m.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    if not zulu:
        raise Unsupported("timestamp without Z")  # PyYAML gives naive datetimes there
    micro = int((fraction or "0").ljust(6, "0"))
    return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=dt.UTC)


def _after_quote(rest: str) -> None:
    """Only spaces or a ` # comment` may follow a closing quote."""
    if rest and not (not rest.strip(" ") or (rest[0] == " " and rest.lstrip(" ").startswith("#"))):
        raise Unsupported("text after a quoted scalar")


def _double(text: str) -> str:
    """A one-line double-quoted scalar (with its quotes and maybe a comment after)."""
    if text[-1] == '"' and text.count('"') == 2 and "\\" not in text:  # the commonest: "text"
        return text[1:-1]
    end = 1
    while True:
        end = text.find('"', end)
        if end < 0:
            raise Unsupported("double-quoted scalar goes on")
        backslashes = 0
        while text[end - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            break
        end += 1
    _after_quote(text[end + 1 :])
    body = text[1:end]
    if "\\" in body:

        def unescape(m: re.Match) -> str:
            try:
                return _SIMPLE_ESCAPES[m.group(1)]
            except KeyError:
                raise Unsupported("escape") from None

        body = _ESCAPE.sub(unescape, body)
    return body


def _single(text: str) -> str:
    end = 1
    while True:
        end = text.find("'", end)
        if end < 0:
            raise Unsupported("single-quoted scalar goes on")
        if text[end + 1 : end + 2] == "'":
            end += 2
            continue
        break
    _after_quote(text[end + 1 :])
    return text[1:end].replace("''", "'")


_CACHE: dict[str, Any] = {}
_CACHE_LIMIT = 50_000


#: Texts this long or longer are not cached: titles, links, excerpts, dates (2024-01-02T03:04:05Z)
#: rarely repeat, and looking each up (hashing it, a probe into a table of 50,000) and storing it
#: cost more than reading it (py-spy: 5% of a cold open's work in the lookup).
_CACHED_BELOW = 20


def scalar(text: str) -> Any:
    """A scalar's value; repeated texts (types, booleans, sizes, names) come from a cache."""
    if len(text) >= _CACHED_BELOW:
        return _scalar(text)
    value = _CACHE.get(text, _CACHE)  # (a miss raised KeyError: 0.4 us more)
    if value is not _CACHE:
        return value
    value = _scalar(text)
    if not isinstance(value, (list, dict)):
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[text] = value
    return value


def _scalar(text: str) -> Any:
    first = text[0]
    if first == '"':
        return _double(text)
    if first == "'":
        return _single(text)
    if first in "[{":
        if text.rstrip() in ("[]", "{}"):
            return [] if first == "[" else {}
        raise Unsupported("flow collection")
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut]
    return _plain(text.rstrip(" "))


_LINE = re.compile(
    rf"^( *)(- +|-(?=\n|\Z))?(?:([A-Za-z_][A-Za-z0-9_-]{{0,{MAX_KEY - 1}}}):(?: +([^\n]*)|(?=\n|\Z))|([^\n]*))$",
    re.MULTILINE,
)


def _tokens(front: str) -> list[tuple[int, int, Any, Any, int]]:
    """(indent, kind, key, value text, line) for each meaningful line."""
    if _ODD.search(front):
        raise Unsupported("characters YAML treats specially")
    if "\r" in front:
        if "\r" in front.replace("\r\n", ""):
            raise Unsupported("lone carriage return")
        front = front.replace("\r\n", "\n")
    tokens = []
    append = tokens.append
    no = -1
    for indent_text, dash, key, value, rest in _LINE.findall(front):
        no += 1
        indent = len(indent_text)
        if dash:
            append((indent, SEQ, None, None, no))
            indent += len(dash)  # content after the dash starts a block at this column
        if key:
            if key in _BOOLS or key in _NULLS:
                raise Unsupported("key that is not a string")
            if value:
                value = value.rstrip(" ")
                if value[0] == "#":
                    value = None
            else:
                value = None
            append((indent, MAP, key, value, no))
        elif rest:
            if rest[0] == "#" or not rest.strip(" "):
                continue
            if dash or rest[0] != "-":
                append((indent, SCALAR, None, rest.rstrip(" "), no))
            else:
                raise Unsupported("nested list on one line")
    return tokens


class _Parser:
    __slots__ = ("i", "n", "tokens")

    def __init__(self, tokens: list):
        self.tokens = tokens
        self.i = 0
        self.n = len(tokens)

    def block(self, indent: int) -> Any:
        kind = self.tokens[self.i][1]
        if kind == MAP:
            return self.mapping(indent)
        if kind == SEQ:
            return self.sequence(indent)
        raise Unsupported("multi-line scalar or value without a key")

    def nested(self, parent_indent: int, allow_same_seq: bool) -> Any:
        """The value of `key:` with nothing after it: a nested block, or null."""
        if self.i >= self.n:
            return None
        indent, kind = self.tokens[self.i][0], self.tokens[self.i][1]
        if indent > parent_indent or (allow_same_seq and kind == SEQ and indent == parent_indent):
            return self.block(indent)
        return None

    def mapping(self, indent: int) -> dict:
        tokens, out = self.tokens, {}
        while self.i < self.n:
            tok_indent, kind, key, value, _ = tokens[self.i]
            if tok_indent < indent:
                break
            if tok_indent > indent or kind != MAP:
                raise Unsupported("indentation the reader does not follow")
            if key in out:
                raise Unsupported("duplicate key")
            self.i += 1
            if value is None:
                out[key] = self.nested(indent, allow_same_seq=True)
            else:
                out[key] = scalar(value)
        return out

    def sequence(self, indent: int) -> list:
        tokens, out = self.tokens, []
        while self.i < self.n:
            tok_indent, kind = tokens[self.i][0], tokens[self.i][1]
            if tok_indent < indent or (kind != SEQ and tok_indent == indent):
                break
            if tok_indent > indent or kind != SEQ:
                raise Unsupported("indentation the reader does not follow")
            line = tokens[self.i][4]
            self.i += 1
            if self.i < self.n and tokens[self.i][4] == line:  # content on the dash's line
                inner_indent, inner_kind, _, value, _ = tokens[self.i]
                if inner_kind == SCALAR:
                    self.i += 1
                    if self.i < self.n and tokens[self.i][0] > indent:
                        raise Unsupported("multi-line scalar in a list")
                    out.append(scalar(value))
                else:
                    out.append(self.block(inner_indent))
            else:
                out.append(self.nested(indent, allow_same_seq=False))
        return out


def scalar_line(key: str, value: str | None, text: str, start: int, end: int) -> Any:
    """The value parse_fast(line) gives `key` for a `key: value` line at column 0 alone, the
    line being text[start:end] (`value`: the text after `key: `, without spaces around it; None
    when there is none or it is a comment). The list-fields reader (skim.py) reads one-line
    values so, without tokenizing their lines again. Raises Unsupported where parse_fast would."""
    if key in _BOOLS or key in _NULLS:
        raise Unsupported("key that is not a string")
    line = text[start:end]
    # (an ASCII line with no line break is free of _ODD's characters exactly when printable:
    # two C calls where the regex search took ~0.4 us a line)
    if not (line.isascii() and line.isprintable()) and _ODD.search(line):
        raise Unsupported("characters YAML treats specially")
    if value is None:
        return None
    try:
        return scalar(value)
    except (ValueError, OverflowError, RecursionError):  # as parse_fast: the full parser decides
        raise Unsupported("the full parser decides") from None


_NAME = rf"[A-Za-z_][A-Za-z0-9_-]{{0,{MAX_KEY - 1}}}"
_PAIR_LINE = rf"{_NAME}: ++[^\n]*+"
#: The lines under a key (from the line break that ends its line) in the three shapes that
#: front matter's nested values almost always take, each line one item or one `key: value`,
#: all at one indentation: a list (`topics`), a mapping (`provider`), a list of mappings
#: (`images`: `- url: ...` and the `  key: value` lines under it). Blank lines, comments,
#: nesting deeper and anything else are left to the tokens.
_LIST_BLOCK = re.compile(r"\n( *+)- ++[^\n]*+(?:\n\1- ++[^\n]*+)*+\n*+")
_MAPPING_BLOCK = re.compile(rf"\n( ++){_PAIR_LINE}(?:\n\1{_PAIR_LINE})*+\n*+")
_MAPPINGS_BLOCK = re.compile(
    rf"\n( *+)- {_PAIR_LINE}(?:\n\1  {_PAIR_LINE})*+(?:\n\1- {_PAIR_LINE}(?:\n\1  {_PAIR_LINE})*+)*+\n*+"
)
_ITEM = re.compile(r"\n *- +([^\n]*)")
_PAIR = re.compile(rf"\n *(- )?({_NAME}): +([^\n]*)")


def block(lines: str) -> Any:
    """The value of a `key:` with nothing after it on its line whose `lines` (the text from the
    line break that ends the key's line to the next key's line) take one of the three commonest
    shapes, as parse_fast reads it (in a third of the time: no tokens, no parser). Raises
    Unsupported on any other shape, where parse_fast must read it (and may well accept it)."""
    try:
        if _ODD.search(lines):
            raise Unsupported("characters YAML treats specially")
        if _MAPPING_BLOCK.fullmatch(lines):
            mapping: dict[str, Any] = {}
            for _, key, value in _PAIR.findall(lines):
                _put(mapping, key, value)
            return mapping
        if _MAPPINGS_BLOCK.fullmatch(lines):  # (before the list: its lines are list items too)
            out: list[dict[str, Any]] = []
            for dash, key, value in _PAIR.findall(lines):
                if dash:
                    out.append({})
                _put(out[-1], key, value)
            return out
        if _LIST_BLOCK.fullmatch(lines):
            return [_one_line(value) for value in _ITEM.findall(lines)]  # (`- key:` is declined there)
    except (ValueError, OverflowError):  # as parse_fast: the full parser decides
        pass
    raise Unsupported("not a block of one-line items")


def _one_line(value: str) -> Any:
    """The value of a list item or `key: value` line, the text after its dash or colon."""
    value = value.rstrip(" ")
    if not value:  # (a null, or a value on the lines below: the tokens' work; and so is `# ...`)
        raise Unsupported("no value on the line")
    return scalar(value)


def _put(mapping: dict[str, Any], key: str, value: str) -> None:
    if key in mapping or key in _BOOLS or key in _NULLS:
        raise Unsupported("duplicate key, or a key that is not a string")
    mapping[key] = _one_line(value)


def parse_fast(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    """(mapping, file line of each top-level key) for front matter in the plain subset.

    Raises Unsupported for anything else.
    """
    try:
        return _parse(front)
    except (ValueError, OverflowError, RecursionError):  # a date that does not exist, nesting too deep
        raise Unsupported("the full parser decides") from None


def _parse(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    tokens = _tokens(front)
    if not tokens:
        return {}, {}
    if tokens[0][0] != 0 or tokens[0][1] != MAP:
        raise Unsupported("front matter does not start with a key")
    parser = _Parser(tokens)
    data = parser.mapping(0)
    if parser.i != parser.n:
        raise Unsupported("text after the mapping")
    key_lines = {t[2]: t[4] + 2 for t in tokens if t[0] == 0 and t[1] == MAP}
    return data, key_lines
