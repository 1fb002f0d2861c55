"""Splitting a file into BOM, front matter and body, and parsing the front matter safely.

Files come from the web and from other tools, so parsing never builds Python objects beyond
plain data (safe loaders only), refuses alias bombs and oversized files, and reports every
problem as a `FrontMatterError` carrying the 1-based line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
import yaml.constructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from curator.core.document import fastyaml, skim
from curator.core.document.formats import FormatError, json_end, parse_json, parse_toml
from curator.core.document.values import Parsed

try:  # libyaml is ~10x faster; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

BOM = "\ufeff"
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: How many nodes a document may expand to through aliases before it counts as a bomb.
MAX_EXPANDED_NODES = 100_000

_OPENER = re.compile(r"---[ \t]*(\r\n|\n|\r)")
_CLOSER = re.compile(r"(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|\Z)")
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")


class NotAnArticle(Exception):
    """The file has no front matter: it is not an article (not an error in the file)."""


class FrontMatterError(Exception):
    """The file cannot be read as an article; `line` is 1-based in the file, or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def where(self, path: str) -> str:
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


@dataclass(slots=True)
class Split:
    """A file's text cut into its parts; `head + front + tail` is the text after the BOM."""

    bom: bool
    newline: str
    head: str  # the opening '---' line with its line break
    front: str  # the YAML between the delimiters (TOML between +++ lines; a JSON object itself)
    tail: str  # the closing delimiter line and the body, verbatim
    format: str = "yaml"  # "yaml", "toml" or "json"

    def text(self, front: str | None = None) -> str:
        return (BOM if self.bom else "") + self.head + (self.front if front is None else front) + self.tail

    @property
    def body(self) -> str:
        m = re.match(r"[^\r\n]*(?:\r\n|\n|\r)?", self.tail)
        return self.tail[m.end() :] if m else ""


def decode(data: bytes) -> str:
    """Bytes to text, keeping the BOM as a character so nothing is lost."""
    if b"\x00" in data[:65536]:
        raise FrontMatterError("binary file (contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FrontMatterError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", line) from None


def _find_closer(text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the closing '---' or '...' line after `start`, found with str.find."""
    pos = start
    while True:
        candidates = [i for i in (text.find("\n---", pos - 1), text.find("\n...", pos - 1)) if i >= 0]
        if pos == start and text.startswith(("---", "..."), start):
            candidates.append(start - 1)
        if not candidates:
            return None
        at = min(candidates) + 1
        m = _CLOSER.match(text, at)
        if m:
            return at, m.end()
        pos = at + 3


_TOML_OPENER = re.compile(r"\+\+\+[ \t]*(\r\n|\n|\r)")
_TOML_CLOSER = re.compile(r"(?m)^\+\+\+[ \t]*(?:\r\n|\n|\r|\Z)")
_NEWLINE = re.compile(r"\r\n|\n|\r")
#: What follows `{` in a template tag that starts a page without front matter (Liquid `{%`,
#: Go templates and Liquid `{{`, Nunjucks `{#`): never a JSON object, whose next character is `"`.
_TEMPLATE_TAG = ("{", "%", "#")


def _split_other(text: str, bom: bool) -> Split | None:
    """TOML front matter between '+++' lines (Hugo, Zola), or a JSON object (Hugo)."""
    opener = _TOML_OPENER.match(text)
    if opener:
        closer = _TOML_CLOSER.search(text, opener.end())
        if not closer:
            raise FrontMatterError("front matter is never closed: no '+++' line after the opening one", None)
        front = text[opener.end() : closer.start()]
        return Split(bom, opener.group(1), text[: opener.end()], front, text[closer.start() :], "toml")
    if text.startswith("{") and text[1:2] not in _TEMPLATE_TAG:
        try:
            end = json_end(text)
        except FormatError as exc:
            raise FrontMatterError(exc.message, exc.line) from None
        newline = _NEWLINE.search(text)
        return Split(bom, newline.group() if newline else "\n", "", text[:end], text[end:], "json")
    return None


def split(text: str) -> Split:
    """Cut text into parts; raises NotAnArticle when there is no front matter."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    opener = _OPENER.match(text)
    if not opener:
        other = _split_other(text, bom) if text[:1] in "+{" else None
        if other is not None:
            return other
        raise NotAnArticle("no front matter: the first line is not '---' (nor '+++' or '{')")
    closer = _find_closer(text, opener.end())
    if not closer:
        line = text.count("\n") + 1
        raise FrontMatterError("front matter is never closed: no '---' line after the opening one", line)
    return Split(
        bom=bom,
        newline=opener.group(1),
        head=text[: opener.end()],
        front=text[opener.end() : closer[0]],
        tail=text[closer[0] :],
    )


def _yaml_error(exc: yaml.YAMLError) -> FrontMatterError:
    if isinstance(exc, yaml.MarkedYAMLError):
        # "while scanning a quoted scalar", "while parsing a flow sequence": where the quote or
        # the bracket that is never closed starts, not where the text ends or the next key is
        opened = exc.context and exc.context.startswith(("while scanning", "while parsing a flow"))
        mark = exc.context_mark if opened and exc.context_mark else exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return FrontMatterError(f"YAML error: {problem}", mark.line + 2 if mark is not None else None)
    return FrontMatterError(f"YAML error: {exc}")


def compose(front: str) -> Node | None:
    """YAML text to a node graph (safe loader), errors as FrontMatterError with file lines."""
    loader = SafeLoader(front)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except RecursionError:
        raise FrontMatterError("YAML is nested too deeply") from None
    finally:
        loader.dispose()


def _check_expansion(root: Node) -> None:
    """Refuse documents whose aliases expand to more nodes than any article needs."""
    sizes: dict[int, int] = {}

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # breaks recursion on self-referencing nodes
        if isinstance(node, SequenceNode):
            total = 1 + sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        else:
            total = 1
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            raise FrontMatterError(
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes (alias bomb?)", node.start_mark.line + 2
            )
        return total

    size(root)


#: What PyYAML's constructors raise on a value they cannot make: a date that does not exist
#: (ValueError), and on tagged scalars such as `!!int` with nothing after it (IndexError),
#: `!!bool maybe` (KeyError), `!!timestamp x` (AttributeError).
CONSTRUCTOR_ERRORS = (ValueError, TypeError, OverflowError, IndexError, KeyError, AttributeError)

_NULL = "tag:yaml.org,2002:null"

#: (keys to read, keys only checked to be lists) for the list-fields reader (see skim.py)
Only = tuple[frozenset[str], frozenset[str]]


def parse_front(front: str, fast: bool = True, format: str = "yaml", only: Only | None = None) -> Parsed:
    """Parse front matter YAML into plain data, refusing non-mappings and alias bombs.

    Plain block YAML goes through the fast reader (same result, several times faster);
    anything else through PyYAML's safe loader. TOML and JSON go through the standard library.
    With `only`, the list-fields reader reads just those keys where it can (Parsed.skimmed).
    """
    if format != "yaml":
        return _parse_other(front, format)
    if only is not None:
        try:
            return skim.skim(front, *only)
        except skim.Unsupported:
            pass
    if fast:
        try:
            return Parsed(*fastyaml.parse_fast(front), fast=True)
        except fastyaml.Unsupported:
            pass
    loader = SafeLoader(front)
    try:
        node = loader.get_single_node()
        if node is None or node.tag == _NULL:  # `null`, `~`, an empty `---` document: Jekyll reads {}
            return Parsed({})
        if not isinstance(node, MappingNode):
            kind = "list" if isinstance(node, SequenceNode) else "single value"
            raise FrontMatterError(f"front matter is a {kind}, not a mapping of keys", node.start_mark.line + 2)
        if _ANCHOR.search(front):
            _check_expansion(node)
        data = loader.construct_document(node)
        if not isinstance(data, dict):  # a mapping node tagged otherwise: `--- !!set`
            raise FrontMatterError(f"front matter is a {type(data).__name__}, not a mapping of keys", 2)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except CONSTRUCTOR_ERRORS as exc:
        raise FrontMatterError(f"YAML value error: {exc}", _bad_value_line(node)) from None
    except RecursionError:
        raise FrontMatterError("YAML is nested too deeply") from None
    finally:
        loader.dispose()
    key_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value if isinstance(k, ScalarNode)}
    return Parsed(data, key_lines)


def _parse_other(front: str, format: str) -> Parsed:
    first = 2 if format == "toml" else 1  # the file line of the front matter's first line
    try:
        data, lines = parse_toml(front) if format == "toml" else parse_json(front)
    except FormatError as exc:
        raise FrontMatterError(exc.message, exc.line + first - 1 if exc.line else None) from None
    return Parsed(data, {k: line + first for k, line in lines.items()})


def _bad_value_line(root: Node) -> int | None:
    """File line of the first scalar that does not construct (a date that does not exist)."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            try:
                constructor.construct_object(node)
            except (*CONSTRUCTOR_ERRORS, yaml.YAMLError):
                return node.start_mark.line + 2
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
    return None


@dataclass(slots=True)
class Document:
    """A whole article file: its parts and the parsed front matter."""

    split: Split
    parsed: Parsed

    @property
    def data(self) -> dict[str, Any]:
        return self.parsed.data

    def to_bytes(self, front: str | None = None) -> bytes:
        return self.split.text(front).encode("utf-8")


def load_document(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, only: Only | None = None) -> Document:
    """Parse a file's bytes (with `only`, maybe just some keys: see parse_front). Raises
    NotAnArticle or FrontMatterError."""
    if len(data) > max_bytes:
        raise FrontMatterError(f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    parts = split(decode(data))
    return Document(parts, parse_front(parts.front, format=parts.format, only=only))
