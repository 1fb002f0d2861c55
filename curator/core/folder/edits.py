"""The values of the editable keys, and the undoable steps that change them.

An EditStep is one edit of one key over many files: for each file the value before and
after (DELETE where the file has no such key). Undo and redo work on the values as they
are when they run (see undone and redone): a value is restored only where it is still what
the step set, a topic edit is undone item by item, and nothing another program changed
(Foreign) is reversed. Qt-free.
"""

from __future__ import annotations

import dataclasses
import enum
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from curator.core.document import schema
from curator.core.document.schema import SHOWN
from curator.core.document.values import DELETE
from curator.core.site.article import DEFAULTS, EDITABLE, MISSING_BIT, Summary


def summary_value(summary: Summary, key: str) -> Any:
    return list(summary.topics) if key == "topics" else getattr(summary, key)


_FIELDS = tuple(f.name for f in dataclasses.fields(Summary))
_values = operator.attrgetter(*_FIELDS)


def with_changes(summary: Summary, changes: Mapping[str, Any]) -> Summary:
    """A summary showing unsaved values: what the list displays for an edited article.

    A DELETE value shows the key's default and marks it missing. Copies by position
    (dataclasses.replace looks the fields up on every call: 24 us a copy, a quarter of a
    second for a 10,000-article batch on the GUI thread).
    """
    fields = {k: v for k, v in changes.items() if k in EDITABLE}
    shown = {k: v for k, v in changes.items() if k in SHOWN and shows_as_is(summary, k, v)}
    if not fields and not shown:
        return summary
    copy = Summary(*_values(summary))
    for key, value in shown.items():
        setattr(copy, key, SHOWN[key] if value is DELETE else value)
    for key, value in fields.items():
        bit = MISSING_BIT[key]
        if value is DELETE:
            setattr(copy, key, DEFAULTS[key])
            copy.missing |= bit
        else:
            setattr(copy, key, tuple(value) if key == "topics" else value)
            copy.missing &= ~bit
    return copy


def shows_as_is(summary: Summary, key: str, value: Any) -> bool:
    """Whether the list shows this value of a shown field as it is (schema.SHOWN): of its kind,
    and the article had no warning about the key (which reading the file again would drop)."""
    if schema.get(key).check(value):
        return False
    return not any(message.startswith(f"{key}:") for _, message in summary.warnings)


class EditOp(enum.Enum):
    """What an edit does to a key's value."""

    SET = "set"
    ADD = "add"  # a list item, at the end, when not there yet
    REMOVE = "remove"  # every occurrence of a list item
    UNSET = "unset"  # remove the key


@dataclass(frozen=True, slots=True)
class FileEdit:
    """One file's part of an edit: the key's value before and after (DELETE: no such key)."""

    path: str
    before: Any
    after: Any


@dataclass(slots=True)
class EditStep:
    """One undoable edit of one key over many files."""

    key: str
    op: EditOp
    value: Any
    edits: list[FileEdit]
    #: files the last do, undo or redo changed: only they take part in the next turn (a file
    #: the redo left alone, because its value had changed, is not "restored" by the undo)
    live: set[str] | None = None  # None: not done yet (all of them)


@dataclass(slots=True)
class StepResult:
    rows: list[int]  # rows whose shown values changed
    kept: list[str]  # files left alone: their value changed since the edit (or they are gone)


def value_of(summary: Summary, key: str) -> Any:
    return summary_value(summary, key) if summary.has(key) else DELETE


def same_value(a: Any, b: Any) -> bool:
    if a is DELETE or b is DELETE:
        return a is b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return list(a) == list(b)
    return type(a) is type(b) and a == b


def applied(op: EditOp, value: Any, current: Any) -> Any:
    """The value `op` makes of `current` (DELETE: the key is missing)."""
    if op is EditOp.SET:
        return list(value) if isinstance(value, (list, tuple)) else value
    if op is EditOp.UNSET:
        return DELETE
    items = [] if current is DELETE or current is None else list(current)
    if op is EditOp.ADD:
        return items if value in items else [*items, value]
    return [t for t in items if t != value]


NOTHING = object()  # undo or redo has nothing to do for a file
KEPT = object()  # ...or must leave it alone: another program changed that value


@dataclass(slots=True)
class Foreign:
    """Topics another program added to or removed from a file since it was opened: undo and
    redo never reverse those."""

    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    def note(self, old: Iterable[str], new: Iterable[str]) -> None:
        old, new = set(old), set(new)
        self.added = (self.added - old) | (new - old)
        self.removed = (self.removed - new) | (old - new)


NO_FOREIGN = Foreign()


def undone(step: EditStep, edit: FileEdit, current: Any, foreign: Foreign) -> Any:
    """What undo makes of a file's current value. A value is restored only where it is still
    what the step set; a list edit is undone on the list as it is now (the added item taken
    out, the removed one put back in its place), unless another program made that same
    change; anything else is left alone (KEPT)."""
    if step.op not in (EditOp.ADD, EditOp.REMOVE):
        return edit.before if same_value(current, edit.after) else KEPT
    items = [] if current is DELETE or current is None else list(current)
    if step.op is EditOp.ADD:
        if step.value not in items:
            return NOTHING
        if step.value in foreign.added:
            return KEPT
        rest = [t for t in items if t != step.value]
        return DELETE if edit.before is DELETE and not rest else rest
    if step.value in items:
        return NOTHING
    if step.value in foreign.removed:
        return KEPT
    return reinsert(edit.before, items, step.value)


def redone(step: EditStep, edit: FileEdit, current: Any, foreign: Foreign) -> Any:
    if step.op not in (EditOp.ADD, EditOp.REMOVE):
        return edit.after if same_value(current, edit.before) else KEPT
    if step.value in (foreign.removed if step.op is EditOp.ADD else foreign.added):
        return KEPT
    new = applied(step.op, step.value, current)
    return NOTHING if same_value(new, current) else new


def reinsert(before: list, items: list, value: Any) -> list:
    """Put `value` back into `items` after the nearest item that preceded it in `before`."""
    at = 0
    for earlier in reversed(before[: before.index(value)]):
        if earlier in items:
            at = items.index(earlier) + 1
            break
    return [*items[:at], value, *items[at:]]
