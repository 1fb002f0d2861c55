"""YAML front matter between `---` lines (Jekyll, Eleventy, Astro, Hugo): reading it safely, and
editing it line by line.

Reading: files come from the web and from other tools, so parsing never builds Python objects
beyond plain data (safe loaders only), refuses alias bombs, and reports every problem as a
`FrontMatterError` carrying the 1-based line in the file. Plain block YAML goes through the
fast reader (fastyaml.py) or, for the article list, the list-fields reader (skim.py); anything
else through PyYAML's safe loader (libyaml's where PyYAML was built with it).

Editing (minimal-diff): only the characters of the edited value change; everything else
(unknown keys, comments, quoting, blank lines, key order, line endings) stays byte-identical.
The YAML node graph gives exact character offsets of each key and value, so edits are text
splices. After all splices the caller (editing.edit_document) parses the text again, and it
must yield exactly the intended mapping; otherwise the edit is refused with `EditError` and
nothing is written. `edit_front` is also the editor of plain YAML files (`.curator.yml`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import math
import re
from collections.abc import Mapping
from typing import Any

import yaml
import yaml.constructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from curator.core.document.formats import fastyaml, skim
from curator.core.document.formats.base import (
    SIMPLE_KEY,
    EditError,
    FrontMatterError,
    FrontMatterFormat,
    Only,
    Split,
    check_value,
)
from curator.core.document.values import DELETE, Parsed

try:  # libyaml is ~10x faster; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

#: How many nodes a document may expand to through aliases before it counts as a bomb.
MAX_EXPANDED_NODES = 100_000

_OPENER = re.compile(r"---[ \t]*(\r\n|\n|\r)")
_CLOSER = re.compile(r"(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|\Z)")
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")


class YamlFormat(FrontMatterFormat):
    name = "yaml"
    fence = "---"

    def split(self, text: str, bom: bool) -> Split | None:
        opener = _OPENER.match(text)
        if not opener:
            return None
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
            format=self.name,
        )

    def read(self, front: str, *, fast: bool = True, only: Only | None = None) -> Parsed:
        return read_yaml(front, fast, only)

    def edit(self, split: Split, parsed: Parsed, changes: Mapping[str, Any]) -> str:
        front = None
        if parsed.fast:  # the quick path needs the fast reader's view, which the load already has
            front = _edit_scalar_lines(split.front, parsed.data, parsed.key_lines, changes)
        if front is None:
            front = edit_front(split.front, changes, split.newline)
        return front

    def render(self, value: Any) -> str:
        return render_scalar(value)


YAML = YamlFormat()


# --- the fences ----------------------------------------------------------------------------------


#: A line that may close the front matter; _CLOSER says whether it does.
_FENCE_LINE = re.compile(r"\n(?:---|\.\.\.)")


def _find_closer(text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the closing '---' or '...' line after `start`. (One search for either
    fence: two str.find calls, one per fence, read the front matter twice and the whole body
    for the rare '...': 3.8 against 2.0 us for a 3 KB article.)"""
    pos = start
    while True:
        if pos == start and text.startswith(("---", "..."), start):
            at = start
        else:
            found = _FENCE_LINE.search(text, pos - 1)
            if found is None:
                return None
            at = found.start() + 1
        m = _CLOSER.match(text, at)
        if m:
            return at, m.end()
        pos = at + 3


# --- reading -------------------------------------------------------------------------------------


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


def read_yaml(front: str, fast: bool = True, only: Only | None = None) -> Parsed:
    """Parse front matter YAML into plain data, refusing non-mappings and alias bombs.

    Plain block YAML goes through the fast reader (same result, several times faster);
    anything else through PyYAML's safe loader. With `only`, the list-fields reader reads just
    those keys where it can (Parsed.skimmed).
    """
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


# --- editing -------------------------------------------------------------------------------------

_BREAK = re.compile(r"\r\n|\n|\r")
# What a single-quoted scalar cannot hold: line breaks and what YAML calls non-printable.
_NOT_SINGLE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BOOL_PAIRS = {
    "true": "false", "True": "False", "TRUE": "FALSE",
    "yes": "no", "Yes": "No", "YES": "NO",
    "on": "off", "On": "Off", "ON": "OFF",
}  # fmt: skip
_BOOL_WORDS = {**_BOOL_PAIRS, **{v: k for k, v in _BOOL_PAIRS.items()}}
_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
    "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P",
}  # fmt: skip


# --- rendering scalars -------------------------------------------------------------------


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\ufeff\ufffe\uffff":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _plain_ok(text: str, flow: bool = False) -> bool:
    """True when `text` written plain reads back as the same string (inside `[...]` with `flow`)."""
    if not text or text != text.strip() or any(c in text for c in "\r\n\t\x85\u2028\u2029#"):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    if text[0] in "!&*[]{}|>'\"%@`,?:-" or ": " in text or text.endswith(":"):
        return False
    try:
        return read_yaml(f"k: {text}\n").data == {"k": text}
    except FrontMatterError:
        return False


def render_scalar(value: Any, old: ScalarNode | None = None, flow: bool = False) -> str:
    """Write a scalar in the file's own style: the old value's quoting where it still fits."""
    if isinstance(value, bool):
        old_word = old.value if old is not None and not old.style else ""
        if old_word in _BOOL_WORDS:
            want_true = old_word in _BOOL_PAIRS  # old word is a "true" word
            return old_word if want_true == value else _BOOL_WORDS[old_word]
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
            return value.replace(tzinfo=None).isoformat() + "Z"
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        style = (old.style or None) if old is not None and old.tag.endswith(":str") else None
        if style == "'" and not _NOT_SINGLE.search(value):
            return "'" + value.replace("'", "''") + "'"
        if style == '"' or not _plain_ok(value, flow):
            return _double_quoted(value)
        return value
    raise EditError(f"cannot write a value of type {type(value).__name__}")


# --- locating things in text ---------------------------------------------------------------


def _line_start(text: str, index: int) -> int:
    if 0 < index < len(text) and text[index] == "\n" and text[index - 1] == "\r":
        index -= 1  # the LF of a CRLF belongs to the line the CR ends
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def _line_end(text: str, index: int) -> int:
    """Index just past the line break that ends the line holding `index`."""
    if index > 0 and text[index - 1] in "\r\n":
        # libyaml reads CRLF as one break, and a mark may sit between its two characters
        return index + 1 if text[index - 1] == "\r" and text.startswith("\n", index) else index
    m = _BREAK.search(text, index)
    return m.end() if m else len(text)


def _node_end(node: Node) -> int:
    """Index just past the last character that belongs to `node`."""
    if isinstance(node, (SequenceNode, MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _node_end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark.index


def _region_end(text: str, node: Node) -> int:
    end = _line_end(text, _node_end(node))
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        # A block scalar's end mark swallows the blank lines after it; leave those in place.
        while True:
            prev = _line_start(text, end - 1) if end else 0
            if prev >= end or text[prev:end].strip():
                break
            end = prev
    return end


def _root(front: str) -> MappingNode | None:
    node = compose(front)
    if node is None:
        return None
    if not isinstance(node, MappingNode) or node.flow_style:
        raise EditError("front matter is not a block mapping of keys")
    return node


def _find(root: MappingNode | None, key: str) -> tuple[ScalarNode, Node] | None:
    found = None
    for k, v in root.value if root is not None else ():
        if isinstance(k, ScalarNode) and k.value == key and k.tag.endswith(":str"):  # `yes:` is True, not "yes"
            found = (k, v)  # the last one wins, as in the parser
    return found


def _key_text(key: str) -> str:
    """A new key as YAML reads it back as that text: `"yes"` quoted (plain, it is True)."""
    return key if _plain_ok(key) else _double_quoted(key)


def _is_scalar_line(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.start_mark.line == node.end_mark.line


def _list_style(front: str) -> tuple[str, str]:
    """Indentation before the dash and space after it, as block lists in this file use them."""
    m = re.search(r"^[^\s#][^\r\n]*:[ \t]*(?:\r\n|\n|\r)(?P<ind>[ ]*)-(?P<sp>[ ]+)\S", front, re.MULTILINE)
    return (m.group("ind"), m.group("sp")) if m else ("  ", " ")


def _item_style(items: list[ScalarNode]) -> ScalarNode | None:
    """A representative item whose quoting new items copy: the most common style, and of
    styles used equally often, the one nearest the end (where new items go). Decided by the
    items' order alone (it once depended on a set's order, which changes from run to run)."""
    if not items:
        return None
    styles = [i.style for i in items]
    common = max(reversed(styles), key=styles.count)
    return next(i for i in reversed(items) if i.style == common)


# --- the edits ------------------------------------------------------------------------------


def _render_block_list(values: list[str], indent: str, space: str, newline: str, like: ScalarNode | None) -> str:
    return "".join(f"{indent}-{space}{render_scalar(v, like)}{newline}" for v in values)


def _edit_block_list(front: str, seq: SequenceNode, values: list[str], newline: str) -> str | None:
    """Splice a block list item by item so unchanged items (of one line or several: a plain or
    quoted scalar that goes on, a block scalar) stay as they are."""
    items = seq.value
    if not items or not all(isinstance(i, ScalarNode) and i.tag.endswith(":str") for i in items):
        return None
    spans = []
    for item in items:
        start = _line_start(front, item.start_mark.index)
        if not re.fullmatch(r"[ ]*-[ ]+", front[start : item.start_mark.index]):
            return None  # something else shares the line: rewrite the whole value instead
        spans.append((start, _region_end(front, item)))
    for (_, end), (start, _) in itertools.pairwise(spans):
        if front[end:start].strip() and not all(
            line.strip().startswith("#") for line in front[end:start].splitlines() if line.strip()
        ):
            return None
    first = front[spans[0][0] : items[0].start_mark.index]
    indent, space = first[: first.index("-")], first[first.index("-") + 1 :]
    like = _item_style(items)
    ends_text = not front[: spans[-1][1]].endswith(("\n", "\r"))  # the list ends the text, no line break
    old = [i.value for i in items]
    out = []
    matcher = difflib.SequenceMatcher(None, old, values, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i in range(i1, i2):
                gap_start = spans[i - 1][1] if i > 0 else spans[0][0]
                out.append(front[gap_start : spans[i][1]])
        elif op == "replace" and i2 - i1 == j2 - j1:  # renamed items keep their own quoting
            for k in range(i2 - i1):
                out.append(_render_block_list([values[j1 + k]], indent, space, newline, items[i1 + k]))
        else:
            out.append(_render_block_list(values[j1:j2], indent, space, newline, like))
    new = "".join(out)
    if ends_text and new.endswith(newline):
        new = new[: -len(newline)]
    return front[: spans[0][0]] + new + front[spans[-1][1] :]


def _edit_flow_list(front: str, seq: SequenceNode, values: list[str]) -> str:
    raw = front[seq.start_mark.index : seq.end_mark.index]
    if ("\n" in raw or "\r" in raw) and values:
        return _FlowLines(front, seq).edit(values)
    sep = "," if re.search(r",\S", raw) and not re.search(r",\s", raw) else ", "
    inner_pad = " " if raw.startswith("[ ") else ""
    old = {i.value: front[i.start_mark.index : i.end_mark.index] for i in seq.value if isinstance(i, ScalarNode)}
    like = _item_style([i for i in seq.value if isinstance(i, ScalarNode)])
    parts = [old.get(v) or render_scalar(v, like, flow=True) for v in values]
    text = "[" + inner_pad + sep.join(parts) + inner_pad + "]" if parts else "[]"
    return front[: seq.start_mark.index] + text + front[seq.end_mark.index :]


class _FlowLines:
    """A flow list laid out over several lines (`[A,⏎  B, # note⏎  C]`), edited item by item:
    an item kept keeps its text, the comma and comment after it, and its line; a removed item
    takes its own line with it; a new one goes on a line of its own where each item has one,
    else beside the item before it. Collapsing it onto one line would lose its comments."""

    def __init__(self, front: str, seq: SequenceNode):
        if not all(isinstance(i, ScalarNode) for i in seq.value):
            raise EditError("a list over several lines holds lists or mappings: set it whole by hand")
        self.text = front
        self.spans = [[i.start_mark.index, i.end_mark.index] for i in seq.value]
        if any(b[0] < a[1] for a, b in itertools.pairwise(self.spans)):  # an alias: `[&a A,⏎ *a]`
            raise EditError("a list over several lines repeats an item by an alias: set it whole by hand")
        self.close = seq.end_mark.index - 1  # the `]`
        self.items = list(seq.value)
        gaps = [front[a[1] : b[0]] for a, b in itertools.pairwise(self.spans)]
        self.per_line = all(_BREAK.search(g) for g in gaps) if gaps else bool(_BREAK.search(front, *self._list()))
        self.newline = _BREAK.search(front, *self._list()).group()
        self.indent = self._indent()
        self.like = _item_style(self.items)
        #: the list ends with a comma after its last item (`[⏎  A,⏎  B,⏎]`): new last items get one too
        self.trailing = self._comma_after(self.spans[-1][1]) is not None

    def _list(self) -> tuple[int, int]:
        return self.spans[0][0] if self.spans else self.close, self.close + 1

    def _indent(self) -> str:
        """The indentation of an item that starts its own line (of the `]` if none does)."""
        for start, _ in reversed(self.spans):
            line = _line_start(self.text, start)
            if not self.text[line:start].strip(" \t"):
                return self.text[line:start]
        line = _line_start(self.text, self.close)
        return self.text[line : self.close] if not self.text[line : self.close].strip() else "  "

    def _splice(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]
        shift = len(new) - (end - start)
        for span in self.spans:  # text put at an item's end follows it, at its start precedes it
            span[0] += shift if span[0] >= end else 0
            span[1] += shift if span[1] > start else 0
        self.close += shift

    def _comma_after(self, at: int) -> int | None:
        """The index of the comma that follows an item ending at `at` (past spaces and comments)."""
        i = at
        while i < self.close:
            c = self.text[i]
            if c == ",":
                return i
            if c == "#":
                m = _BREAK.search(self.text, i)
                i = m.start() if m else len(self.text)
            elif c in " \t\r\n":
                i += 1
            else:
                return None
        return None

    def _render(self, value: str, like: ScalarNode | None = None) -> str:
        return render_scalar(value, like or self.like, flow=True)

    def edit(self, values: list[str]) -> str:
        old = [i.value for i in self.items]
        ops = difflib.SequenceMatcher(None, old, values, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in reversed(ops):  # from the end: the spans before stay valid
            if op == "equal":
                continue
            renamed = min(i2 - i1, j2 - j1)  # items replaced one for one keep their place and quoting
            news = values[j1 + renamed : j2]
            if news:
                self._insert(i1 + renamed - 1, news)
            for k in reversed(range(i1 + renamed, i2)):
                self._delete(k)
            for k in reversed(range(renamed)):
                start, end = self.spans[i1 + k]
                self._splice(start, end, self._render(values[j1 + k], self.items[i1 + k]))
        return self.text

    def _delete(self, k: int) -> None:
        start, end = self.spans.pop(k)
        self.items.pop(k)
        if k < len(self.spans):  # the item, its comma and what follows on its line, up to the next item
            self._splice(start, self.spans[k][0], "")
            return
        comma = self._comma_after(end)
        if comma is not None:  # a trailing comma: the item goes with it
            self._splice(start, comma + 1, "")
        elif self.spans:  # the item before it is the last now: its comma goes
            before_end = self.spans[-1][1]
            if "#" not in self.text[before_end:start]:  # and the line break, if no comment ends that line
                self._splice(before_end, end, "")
                return
            self._splice(start, end, "")
            before = self._comma_after(before_end)
            if before is not None:
                self._splice(before, before + 1, "")
                start -= 1
        else:
            self._splice(start, end, "")
        line = _line_start(self.text, start)
        line_end = _line_end(self.text, start)
        rest = self.text[line:line_end].strip()
        if line > 0 and (not rest or rest.startswith("#")) and line_end <= self.close:
            self._splice(line, line_end, "")  # its line held nothing else

    def _insert(self, after: int, news: list[str]) -> None:
        rendered = [self._render(v) for v in news]
        if after < 0:  # at the start
            start = self.spans[0][0] if self.spans else self.close
            line = _line_start(self.text, start)
            if self.per_line and line > 0 and not self.text[line:start].strip() and self.spans:
                text = "".join(f"{self.indent}{r},{self.newline}" for r in rendered)
                self._splice(line, line, text)
            else:
                self._splice(start, start, "".join(f"{r}, " for r in rendered) if self.spans else ", ".join(rendered))
            return
        end = self.spans[after][1]
        comma = self._comma_after(end)
        last = after == len(self.spans) - 1
        limit = self.close if last else self.spans[after + 1][0]
        brk = _BREAK.search(self.text, comma if comma is not None else end, limit)
        if not self.per_line or (brk is None and not last):  # beside the item (before its comma)
            self._splice(end, end, "".join(f", {r}" for r in rendered))
            return
        if comma is None:  # the last item, with no trailing comma: one goes after it now
            self._splice(end, end, ",")
            comma = end
            brk = _BREAK.search(self.text, comma, self.close)
        if brk is None:  # `]` on the item's line: the new items go on lines of their own before it
            text = "".join(f"{self.newline}{self.indent}{r}," for r in rendered)
            self._splice(comma + 1, comma + 1, text[:-1] if not self.trailing else text)
            return
        trailing = "," if not last or self.trailing else ""
        text = "".join(f"{self.indent}{r},{self.newline}" for r in rendered[:-1])
        text += f"{self.indent}{rendered[-1]}{trailing}{self.newline}"
        self._splice(brk.end(), brk.end(), text)


def _replace(front: str, knode: ScalarNode, vnode: Node, value: Any, newline: str) -> str:
    key_start = _line_start(front, knode.start_mark.index)
    if front[key_start : knode.start_mark.index].strip(" "):
        raise EditError(f"{knode.value}: key is not at the start of its line")
    nested = front[key_start : knode.start_mark.index]  # a nested key's indentation ("" at the top)
    if isinstance(value, (list, tuple)):
        values = list(value)
        if isinstance(vnode, SequenceNode) and vnode.flow_style and (vnode.value or not values):
            return _edit_flow_list(front, vnode, values)
        # else an empty `[]` (as an emptied list is written) filled again: the file's block style
        if isinstance(vnode, SequenceNode) and values:
            edited = _edit_block_list(front, vnode, values, newline)
            if edited is not None:
                return edited
        end = _region_end(front, vnode)
        key_text = front[key_start : knode.end_mark.index]
        if not values:
            return front[:key_start] + f"{key_text}: []{newline}" + front[end:]
        indent, space = _list_style(front)
        indent = nested + indent
        like = (
            _item_style([i for i in vnode.value if isinstance(i, ScalarNode)])
            if isinstance(vnode, SequenceNode)
            else None
        )
        block = _render_block_list(values, indent, space, newline, like)
        return front[:key_start] + f"{key_text}:{newline}" + block + front[end:]
    # A scalar value.
    if isinstance(vnode, ScalarNode) and _is_scalar_line(vnode) and vnode.start_mark.line == knode.start_mark.line:
        if vnode.value == "" and not vnode.style:  # `key:` with nothing after it
            colon = front.index(":", knode.end_mark.index)
            return front[: colon + 1] + " " + render_scalar(value) + front[colon + 1 :]
        return front[: vnode.start_mark.index] + render_scalar(value, vnode) + front[vnode.end_mark.index :]
    end = _region_end(front, vnode)
    old = vnode if isinstance(vnode, ScalarNode) else None
    key_text = front[key_start : knode.end_mark.index]
    return front[:key_start] + f"{key_text}: {render_scalar(value, old)}{newline}" + front[end:]


def _insert(front: str, root: MappingNode | None, key: str, value: Any, newline: str) -> str:
    if not SIMPLE_KEY.match(key):
        raise EditError(f"{key!r}: new keys must be simple names")
    if front and not front.endswith(("\n", "\r")):
        front += newline  # the last line had no break (only possible before a `---` at EOF)
    entries = root.value if root is not None else []
    name = _key_text(key)
    if isinstance(value, (list, tuple)):
        indent, space = _list_style(front)
        text = f"{name}:{newline}" + _render_block_list(list(value), indent, space, newline, None)
        if not value:
            text = f"{name}: []{newline}"
        blocks = [(k, v) for k, v in entries if isinstance(v, (SequenceNode, MappingNode)) and not v.flow_style]
        if blocks:
            k, v = blocks[-1]
            at = _region_end(front, v)
            # Lists in this file are separated by a blank line: keep that layout.
            before = front[: _line_start(front, k.start_mark.index)]
            if re.search(r"(?:\r\n|\n|\r)[ \t]*(?:\r\n|\n|\r)\Z", before):
                text = newline + text
            return front[:at] + text + front[at:]
    else:
        text = f"{name}: {render_scalar(value)}{newline}"
    # A scalar goes after the last `key: scalar` line of the opening block: the run of scalar
    # keys at the top, up to the first blank line or nested value.
    at = 0
    for k, v in entries:
        gap = front[at : _line_start(front, k.start_mark.index)] if at else ""
        if not isinstance(v, ScalarNode) or any(not line.strip() for line in gap.splitlines()):
            break
        at = _region_end(front, v)
    if not entries:
        at = len(front)
    return front[:at] + text + front[at:]


def _delete(front: str, knode: ScalarNode, vnode: Node) -> str:
    """Remove a key with its value, and the blank line that set it apart from the key before
    (as _insert writes a list after a blank line: so deleting an inserted key restores the text)."""
    start = _line_start(front, knode.start_mark.index)
    if start > 0:
        before = _line_start(front, start - 1)
        if not front[before:start].strip():
            start = before
    return front[:start] + front[_region_end(front, vnode) :]


_SCALAR_TAGS = {bool: "bool", int: "int", float: "float", str: "str"}


def _edit_scalar_lines(
    front: str, data: Mapping[str, Any], key_lines: Mapping[str, int], changes: Mapping[str, Any]
) -> str | None:
    """The quick path for the common edit: existing top-level keys set to new scalars.

    Only for documents the fast reader understood (`data`, `key_lines` are its result): there
    every `key:` at the start of a line is a top-level key on one line, so the edit replaces
    the value on that line. Returns None when that does not hold (the caller then edits
    through the YAML node graph).
    """
    if not all(type(v) in _SCALAR_TAGS for v in changes.values()):
        return None
    lines = front.splitlines(keepends=True)
    for key, value in changes.items():
        if key not in key_lines or type(data[key]) not in _SCALAR_TAGS:
            return None
        index = key_lines[key] - 2
        line = lines[index]
        body = line.rstrip("\r\n")
        m = re.fullmatch(re.escape(key) + r":( +)([^#]*?)", body)
        if not m:
            return None  # a comment on the line, or no value: let the full editor handle it
        raw = m.group(2)
        style = raw[0] if raw[:1] in ("'", '"') else None
        old = ScalarNode(f"tag:yaml.org,2002:{_SCALAR_TAGS[type(data[key])]}", raw, style=style)
        lines[index] = f"{key}:{m.group(1)}{render_scalar(value, old)}{line[len(body) :]}"
    return "".join(lines)


def _edit_nested(front: str, parts: list[str], value: Any, newline: str) -> str:
    """Set or delete the key at a path of block mappings (which must all exist)."""
    parent = _root(front)
    for depth, name in enumerate(parts[:-1]):
        found = _find(parent, name)
        if found is None and value is not DELETE:  # the mappings that are missing are made
            return _insert_nested(front, parent, depth, parts, value, newline)
        if found is None or not isinstance(found[1], MappingNode) or found[1].flow_style:
            where = ".".join(parts[: depth + 1])
            if found is None:  # nothing to delete
                return front
            raise EditError(f"{where} is not a block mapping in this file: set the whole value with --set {parts[0]}=…")
        parent = found[1]
    key = parts[-1]
    found = _find(parent, key)
    if value is DELETE:
        if found and len(parent.value) == 1:
            where = ".".join(parts[:-1])
            raise EditError(f"{key} is the only key of {where}: unset {where} itself instead")
        return _delete(front, *found) if found else front
    if found:
        return _replace(front, found[0], found[1], value, newline)
    if not SIMPLE_KEY.match(key):
        raise EditError(f"{key!r}: new keys must be simple names")
    first = parent.value[0][0] if parent.value else None
    if first is None:
        raise EditError(f"{'.'.join(parts[:-1])} is empty: set the whole value instead")
    indent = front[_line_start(front, first.start_mark.index) : first.start_mark.index]
    name = _key_text(key)
    if isinstance(value, (list, tuple)):
        _, space = _list_style(front)
        text = f"{indent}{name}:{newline}" + _render_block_list(list(value), indent + "  ", space, newline, None)
        if not value:
            text = f"{indent}{name}: []{newline}"
    else:
        text = f"{indent}{name}: {render_scalar(value)}{newline}"
    at = _region_end(front, parent)
    return front[:at] + text + front[at:]


def _insert_nested(
    front: str, parent: MappingNode | None, depth: int, parts: list[str], value: Any, newline: str
) -> str:
    """`parts[depth:]` made as nested block mappings under `parent` (the root when depth is
    0), with the value at the end: `seo.image` in a file without `seo` adds `seo:` and
    `  image: …` lines."""
    if not all(SIMPLE_KEY.match(p) for p in parts[depth:]):
        raise EditError(f"{'.'.join(parts)!r}: new keys must be simple names")
    if depth == 0:
        indent, at = "", None
    else:
        first = parent.value[0][0] if parent is not None and parent.value else None
        if first is None:
            raise EditError(f"{'.'.join(parts[:depth])} is empty: set the whole value instead")
        indent = front[_line_start(front, first.start_mark.index) : first.start_mark.index]
        at = _region_end(front, parent)
    lines = []
    for level, name in enumerate(parts[depth:-1]):
        lines.append(f"{indent}{'  ' * level}{_key_text(name)}:{newline}")
    inner = indent + "  " * (len(parts) - depth - 1)
    last = _key_text(parts[-1])
    if isinstance(value, (list, tuple)):
        _, space = _list_style(front)
        lines.append(f"{inner}{last}:{newline}" if value else f"{inner}{last}: []{newline}")
        if value:
            lines.append(_render_block_list(list(value), inner + "  ", space, newline, None))
    else:
        lines.append(f"{inner}{last}: {render_scalar(value)}{newline}")
    text = "".join(lines)
    if at is None:  # a new top-level mapping goes at the end
        if front and not front.endswith(("\n", "\r")):
            front += newline
        return front + text
    return front[:at] + text + front[at:]


def edit_front(front: str, changes: Mapping[str, Any], newline: str = "\n") -> str:
    """Apply changes to front matter text without verifying; see `edit_document`."""
    for key, value in changes.items():
        check_value(key, value)
        root = _root(front)
        if "." in key and _find(root, key) is None and all(key.split(".")):
            front = _edit_nested(front, key.split("."), value, newline)
            continue
        found = _find(root, key)
        if value is DELETE:
            if found:
                front = _delete(front, *found)
        elif found:
            front = _replace(front, found[0], found[1], value, newline)
        else:
            front = _insert(front, root, key, value, newline)
    return front
