"""The references Curator is held to, and the checks of one case against them.

Reading: a case's front matter is read by Curator exactly as the reference parser reads it
(PyYAML with libyaml's CSafeLoader, as Jekyll's Psych is libyaml; `tomllib`; `json`), or
refused where the reference refuses. Curator's own rules on top, each as the generators have
them: front matter must be a mapping (an empty one is {}); a lone surrogate in JSON reads as
U+FFFD (as Hugo's Go reads it).

Editing: an edit of an accepted case changes only the lines of the edited value (a new key
only adds lines), and the result reads back, by the reference, as exactly the intended
values; or the edit is declined (EditError). A refused file is never written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import reprlib
import tomllib
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from curator.core.document.formats.base import EditError, FrontMatterError, NotAnArticle
from curator.core.document.formats.fastyaml import Unsupported, parse_fast
from curator.core.document.formats.json import json_members
from curator.core.document.formats.toml import toml_statements
from curator.core.document.frontmatter import load_document, split
from curator.core.document.saves import plan_edit
from curator.core.site.article import LISTS, list_keys, summarize
from curator.core.site.profiles import NEWS, by_name
from tests.conformance.suites import Case

REFUSED = "refused"
NONE = "no front matter"
_LONE = re.compile("[\ud800-\udfff]")
PROFILES = (NEWS, by_name("hugo"))
#: the key an edit sets, and the value (text a reference reads back as that text)
EDITED = "edited value"
ADDED = "curator_added"


def yaml_reference(front: str) -> Any:
    try:
        value = yaml.load(front, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError, IndexError, KeyError, AttributeError):
        return REFUSED  # (PyYAML's constructors raise the last three on `!!int`, `!!bool x`, `!!timestamp x`)
    if value is None:
        return {}
    return value if isinstance(value, dict) else REFUSED


def toml_reference(front: str) -> Any:
    try:
        return tomllib.loads(front)
    except (ValueError, RecursionError):
        return REFUSED


def _whole(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_whole(v) for v in value]
    if isinstance(value, dict):
        return {_whole(k): _whole(v) for k, v in value.items()}
    return value


def json_reference(text: str) -> Any:
    """The JSON object at the start of the file (what follows it is the body)."""
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return REFUSED
    return _whole(value) if isinstance(value, dict) else REFUSED


READERS = {"yaml": yaml_reference, "toml": toml_reference, "json": json_reference}


def reference(case: Case) -> Any:
    """What the reference parser reads from the case (REFUSED when it refuses)."""
    if case.front is None:
        return REFUSED  # no UTF-8 text
    return READERS[case.kind](case.front)


def curator(data: bytes, only=None) -> Any:
    try:
        return load_document(data, only=only)
    except FrontMatterError:
        return REFUSED
    except NotAnArticle:
        return NONE


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not True, nor 1.0); NaN equals NaN.
    With a stack of its own: the fuzzer makes values nested deeper than Python's recursion, and
    lists that hold themselves (`&a [*a]`), compared once."""
    stack = [(a, b)]
    seen: set[tuple[int, int]] = set()
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, (dict, list, tuple)):
            if (id(x), id(y)) in seen:
                continue
            seen.add((id(x), id(y)))
        if isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, (list, tuple)):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif isinstance(x, float) and math.isnan(x):
            if not math.isnan(y):
                return False
        elif x != y:
            return False
    return True


def check_reading(case: Case, ref: Any) -> list[str]:
    """Curator's reading of the case (the editor's path, the list's path, the fast reader)
    against the reference's."""
    problems = []
    got = curator(case.data)
    got_data = got.data if not isinstance(got, str) else got
    if isinstance(ref, str):
        if not isinstance(got, str):
            problems.append(f"{case.id}: the reference refuses it, Curator reads {_short(got_data)}")
    elif isinstance(got, str) or not same(got_data, ref):
        problems.append(f"{case.id}: Curator reads {_short(got_data)}, the reference {_short(ref)}")
    if case.kind == "yaml" and case.front is not None and case.suite not in ("hugo", "python-frontmatter"):
        problems += _check_fast_reader(case, ref)
    if not isinstance(ref, str) and not isinstance(got, str):
        for profile in PROFILES:  # the list-fields reader: the keys the list reads, the same Summary
            skimmed = curator(case.data, only=(list_keys(profile), LISTS))
            if isinstance(skimmed, str) or not skimmed.parsed.skimmed:
                continue
            wanted = {k: v for k, v in ref.items() if k in list_keys(profile)}
            if not same(skimmed.data, wanted):
                problems.append(f"{case.id}: the list-fields reader reads {_short(skimmed.data)}, not {_short(wanted)}")
            elif summarize("a.md", skimmed.parsed, profile) != summarize("a.md", got.parsed, profile):
                problems.append(f"{case.id}: the list-fields reader gives another Summary ({profile.name})")
    return problems


def _check_fast_reader(case: Case, ref: Any) -> list[str]:
    try:
        data, _ = parse_fast(case.front)
    except Unsupported:
        return []
    if isinstance(ref, str) or not same(data, ref):
        return [f"{case.id}: the fast reader reads {_short(data)}, the reference {_short(ref)}"]
    return []


_REPR = reprlib.Repr()  # (keyword arguments from Python 3.12 only)
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxstring, _REPR.maxother = 4, 8, 8, 60, 60


def _short(value: Any) -> str:
    """A value in a message, bounded: repr() of a document whose aliases nest (a YAML alias bomb
    the reference reads and Curator refuses) is exponential, and took 14 GB in one fuzz run."""
    text = _REPR.repr(value)
    return text if len(text) < 160 else text[:157] + "..."


# --- edits ---------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    """Lines as files have them: ended by "\n" (str.splitlines also breaks at U+2028 and others)."""
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


def changed(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The line ranges that differ: (old start, old end, new start, new end), 0-based."""
    matcher = difflib.SequenceMatcher(None, _lines(old), _lines(new), autojunk=False)
    return [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def value_lines(case: Case, key: str) -> tuple[int, int] | None:
    """The file lines (0-based, inclusive) of a top-level key and its value; None if unknown."""
    text = case.data.decode("utf-8")
    parts = split(text)
    offset = len(parts.head) + (1 if parts.bom else 0)  # where the front starts in the text
    front = parts.front

    def line(index: int) -> int:
        return text.count("\n", 0, offset + index)

    if case.kind == "yaml":
        node = yaml.compose(front, Loader=yaml.CSafeLoader)
        pairs = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == key]
        if not isinstance(node, MappingNode) or not pairs:
            return None
        k, v = pairs[-1]
        end = v.end_mark
        last = end.line - 1 if end.column == 0 and end.line > k.start_mark.line else end.line
        return line(k.start_mark.index), line(k.start_mark.index) + last - k.start_mark.line
    if case.kind == "toml":
        found = [s for s in toml_statements(front) if s.table == () and s.key == (key,)]
        return (line(found[0].start), line(max(found[0].end - 1, found[0].start))) if len(found) == 1 else None
    members = [m for m in json_members(front, front.index("{")) if m.key == key]
    return (line(members[0].key_start), line(members[0].value_end)) if len(members) == 1 else None


def _last_member_line(case: Case) -> int:
    text = case.data.decode("utf-8")
    brace = text.index("{")
    members = json_members(text, brace)
    return text.count("\n", 0, members[-1].value_end if members else brace)


def check_edits(case: Case, ref: dict) -> tuple[list[str], int, int]:
    """(problems, edits made, edits declined) for setting the first and last top-level keys
    and adding a key; each result is read back by the reference."""
    problems: list[str] = []
    made = declined = 0
    old = case.data.decode("utf-8")
    keys = [k for k in ref if isinstance(k, str) and k.strip() == k and k]
    for key in dict.fromkeys([*keys[:1], *keys[-1:], ADDED]):
        changes = {key: EDITED}
        try:
            new_data = plan_edit(case.data, changes)
        except EditError:
            declined += 1
            continue
        except Exception as exc:
            problems.append(f"{case.id}: setting {key!r} raised {exc.__class__.__name__}: {exc}")
            continue
        if new_data is None:
            problems.append(f"{case.id}: setting {key!r} to a new value changed nothing")
            continue
        made += 1
        new = new_data.decode("utf-8")
        problems += _check_read_back(case, new_data, {**ref, key: EDITED}, key)
        ranges = changed(old, new)
        if key == ADDED:  # only new lines; in JSON also the line of the last member, which gets a comma
            comma_line = _last_member_line(case) if case.kind == "json" else None
            if any(i1 != i2 and (i1, i2) != (comma_line, (comma_line or 0) + 1) for i1, i2, _, _ in ranges):
                problems.append(f"{case.id}: adding a key changed lines {ranges}")
            continue
        where = value_lines(case, key)
        if where is None:
            continue
        first, last = where
        outside = [r for r in ranges if r[0] < first or r[1] > last + 1 or (r[0] == r[1] and r[0] > last + 1)]
        if outside:
            problems.append(f"{case.id}: setting {key!r} (lines {first}-{last}) changed lines {outside}")
    return problems, made, declined


def _check_read_back(case: Case, new_data: bytes, want: dict, key: str) -> list[str]:
    new = new_data.decode("utf-8")
    if case.suite in ("hugo", "python-frontmatter"):  # read back by Curator (edit_document checked it too)
        got = curator(new_data)
        ok = not isinstance(got, str) and same(got.data, want)
    else:
        old = case.data.decode("utf-8")
        head, tail = _head_tail(case, old)
        if not (new.startswith(head) and new.endswith(tail)):
            return [f"{case.id}: setting {key!r} changed what is not front matter"]
        new_front = new[len(head) : len(new) - len(tail)]
        got = READERS[case.kind](new_front if case.kind != "json" else new)
        ok = not isinstance(got, str) and same(got, want)
    return [] if ok else [f"{case.id}: setting {key!r} reads back as {_short(got)}"]


def _head_tail(case: Case, text: str) -> tuple[str, str]:
    if case.kind == "json":
        return "", "\nBody stays.\n"
    marker = "---\n" if case.kind == "yaml" else "+++\n"
    return marker, marker + "Body stays.\n"


# --- what `curator show --format json` prints ---------------------------------------------------


def as_json(value: Any) -> Any:
    """A reference value as `curator show` prints it: dates as ISO 8601 text, keys as text."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else json.dumps(as_json(k)).strip('"'): as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((as_json(v) for v in value), key=repr)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return value
