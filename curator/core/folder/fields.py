"""Any field of any article: the keys a folder uses, their values, and one edit of one key over
many articles (set, add to a list, remove from a list, clear, find and replace by regular
expression), planned first so that it can be previewed.

Nothing here writes: `plan` says what each article's value becomes, and `byte_edits` turns a
plan into each file's new bytes (edited line by line and checked by parsing back, as every
save is; see editing.edit_document). The caller writes them (files.write_edits) or, for the
keys the window edits itself (article.EDITABLE), makes an undo step of them.
"""

from __future__ import annotations

import enum
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from curator.core.document.editing import edit_document, value_at
from curator.core.document.formats.base import EditError, FrontMatterError, NotAnArticle
from curator.core.document.formats.yaml import CONSTRUCTOR_ERRORS, SafeLoader
from curator.core.document.frontmatter import Document, load_document
from curator.core.document.snapshots import read_file
from curator.core.document.values import DELETE
from curator.core.document.writes import ByteEdit
from curator.core.gently import back_off


class FieldError(ValueError):
    """An edit that cannot apply to a value (a list edit of a text, a bad regular expression)."""


class Op(enum.Enum):
    SET = "Set to"
    ADD = "Add to list"
    REMOVE = "Remove from list"
    CLEAR = "Clear (remove the key)"
    REPLACE = "Find and replace (regex)"


@dataclass(frozen=True, slots=True)
class FieldEdit:
    op: Op
    value: Any = None  # SET: the new value; ADD / REMOVE: the item
    pattern: str = ""  # REPLACE: a regular expression (Python syntax) ...
    replacement: str = ""  # ... and what replaces each match (\1 and \g<name> allowed)

    def compiled(self) -> re.Pattern[str]:
        try:
            return re.compile(self.pattern)
        except re.error as exc:
            raise FieldError(f"the pattern is not a valid regular expression: {exc}") from None

    def apply(self, before: Any, key: str = "the value") -> Any:
        """The value after this edit (DELETE: the key is removed). Raises FieldError."""
        op = self.op
        if op is Op.SET:
            return self.value
        if op is Op.CLEAR:
            return DELETE
        if op in (Op.ADD, Op.REMOVE):
            if before is not DELETE and before is not None and not isinstance(before, list):
                raise FieldError(f"{key} is {describe(before)}, not a list")
            items = [] if before is DELETE or before is None else list(before)
            if op is Op.ADD:
                return items if self.value in items else [*items, self.value]
            if before is DELETE:
                return DELETE
            return [x for x in items if x != self.value]
        pattern = self.compiled()
        try:
            if isinstance(before, str):
                return pattern.sub(self.replacement, before)
            if isinstance(before, list):
                return [pattern.sub(self.replacement, x) if isinstance(x, str) else x for x in before]
        except (re.error, IndexError) as exc:
            raise FieldError(f"the replacement does not fit the pattern: {exc}") from None
        return before  # numbers, dates, mappings and missing keys have no text to replace


@dataclass(slots=True)
class FieldPlan:
    """What an edit does to each article: {path: (before, after)} for those it changes."""

    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # path -> why it cannot apply there
    unchanged: int = 0


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type (1 is not True, and not 1.0); DELETE only equals itself."""
    if a is DELETE or b is DELETE:
        return a is b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def plan(values: Mapping[str, Any], edit: FieldEdit, key: str = "the value") -> FieldPlan:
    """The edit applied to each article's current value ({path: value}, DELETE when missing)."""
    out = FieldPlan()
    if edit.op is Op.REPLACE:
        edit.compiled()  # a bad pattern is one error, not one per article
    for path, before in values.items():
        try:
            after = edit.apply(before, key)
        except FieldError as exc:
            out.errors[path] = str(exc)
            continue
        if same(after, before):
            out.unchanged += 1
        else:
            out.changes[path] = (before, after)
    return out


def describe(value: Any, most: int = 80) -> str:
    """A value as one line of text, as the front matter would show it."""
    if value is DELETE:
        return "(missing)"
    if value is None:
        return "(empty)"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        text = "[" + ", ".join(describe(x, most) for x in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {describe(v, most)}" for k, v in value.items()) + "}"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= most else text[: most - 1] + "…"


def mixed(values: Iterable[Any]) -> str:
    """The current values of a selection in a few words: 'all: [AI]', '3 different values (…)'."""
    counts: Counter[str] = Counter(describe(v, 40) for v in values)
    if not counts:
        return "nothing selected"
    missing = counts.pop("(missing)", 0)
    gone = f"; missing in {missing}" if missing else ""
    if not counts:
        return "no selected article has this key"
    if len(counts) == 1:
        return f"{'all' if not missing else 'the others'}: {next(iter(counts))}{gone}"
    common = ", ".join(f"{text} ×{n}" for text, n in counts.most_common(3))
    more = ", …" if len(counts) > 3 else ""
    return f"{len(counts)} different values ({common}{more}){gone}"


def keys_of(data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """The keys of a document, nested mappings' keys as dotted paths (`provider.name`)."""
    for key, value in data.items():
        if not isinstance(key, str) or "." in key:
            continue
        yield prefix + key
        if isinstance(value, dict):
            yield from keys_of(value, f"{prefix}{key}.")


# --- reading files ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Read:
    """One file as read for an edit: its bytes and what they parse to (None: not readable)."""

    path: str  # as given (relative to the root)
    abspath: str
    data: bytes = b""
    document: Document | None = None
    error: str = ""

    def value(self, key: str) -> Any:
        return DELETE if self.document is None else value_at(self.document.data, key)


#: files read between two checks whether the GUI thread is busy (see iter_read): ~10-20 ms of parsing
GENTLY = 64


def iter_read(root: str | os.PathLike[str], paths: Iterable[str], gently: bool = False) -> Iterator[Read]:
    """Each file read and parsed in turn (and let go of, unless the caller keeps it); a file
    that cannot be carries its reason. `gently` (a read of the whole folder in a worker: the
    values a `field:` term names, the keys to choose columns from) pauses every GENTLY files
    while the GUI thread is busy with the list (see gently.back_off)."""
    for i, path in enumerate(paths):
        if gently and i % GENTLY == GENTLY - 1:
            back_off()
        full = os.path.join(os.fspath(root), path)
        try:
            data = read_file(full)[0]
            yield Read(path, full, data, load_document(data))
        except OSError as exc:
            yield Read(path, full, error=exc.strerror or str(exc))
        except (FrontMatterError, NotAnArticle) as exc:
            yield Read(path, full, error=str(exc))


def read(root: str | os.PathLike[str], paths: Iterable[str]) -> list[Read]:
    """Every file read and kept (a selection to edit: its bytes are what a write checks against)."""
    return list(iter_read(root, paths))


def key_counts(reads: Iterable[Read]) -> Counter[str]:
    """How many of the files have each key (nested keys as dotted paths)."""
    counts: Counter[str] = Counter()
    for item in reads:
        if item.document is not None:
            counts.update(keys_of(item.document.data))
    return counts


def column_texts(reads: Iterable[Read], keys: Sequence[str]) -> dict[str, dict[str, str]]:
    """{key: {path: text}}: each key's value in each file, as text for a list column."""
    return {key: {p: describe(v, 200) for p, v in found.items()} for key, found in values_of_reads(reads, keys).items()}


def byte_edits(
    reads: Sequence[Read], key: str, changes: Mapping[str, tuple[Any, Any]]
) -> tuple[list[ByteEdit], dict[str, str]]:
    """Each changed file's new bytes (from the bytes read, so a write over a file changed since
    is refused), and why a file cannot take its change ({path: message})."""
    edits, errors = [], {}
    for item in reads:
        if item.path not in changes or item.document is None:
            continue
        try:
            new = edit_document(item.document, {key: changes[item.path][1]})
        except EditError as exc:
            errors[item.path] = str(exc)
            continue
        if new is not None:
            edits.append(ByteEdit(item.abspath, item.data, new))
    return edits, errors


def values_of(root: str | os.PathLike[str], paths: Iterable[str], keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """{key: {path: value}} of these keys in these files (a file without the key, or that
    cannot be read, is left out); each file is read and let go in turn."""
    return values_of_reads(iter_read(root, paths, gently=True), list(keys))


def values_of_reads(reads: Iterable[Read], keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {key: {} for key in keys}
    for item in reads:
        if item.document is None:
            continue
        for key in keys:
            value = item.value(key)
            if value is not DELETE:
                out[key][item.path] = value
    return out


def parse_value(text: str) -> Any:
    """A value as typed (the CLI's VALUE, the dialog's Value), read as YAML: `true`, `3`,
    `[a, b]`, text; empty is empty text. Raises FieldError."""
    if not text.strip():
        return ""
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FieldError(f"cannot read {text!r} as YAML: {mark}") from None
    except CONSTRUCTOR_ERRORS as exc:  # `!!int` with nothing after it, `!!bool maybe`
        raise FieldError(f"cannot read {text!r} as YAML: {exc!r}") from None
