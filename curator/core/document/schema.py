"""The fields Curator knows: one table, read by every feature that edits, checks or names a field.

One entry per field (as calibre's field_metadata keeps one dict per field): its kind of value,
what an article without the key shows, how the site spells it (a profile may keep the topics in
`tags` and say published with an inverted `draft`), whether the list keeps its value in memory
(`tracked`: the editor, the batch actions and undo work on it without reading files), whether
the editor panel shows it, and the words that name it in undo texts and messages. The editor,
the batch actions, Edit Field…, Review, the type warnings and `curator set` all read it: making
a field editable is one entry here plus its widget. Any key not in the table is a plain field
of any value (`get` gives it a generic entry). Qt-free.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from curator.core import words
from curator.core.document.values import DELETE


class Profile(Protocol):
    """What the table needs of a site profile (site.profiles.Profile): where the topics live and
    which key says published (inverted: a draft flag). A protocol, so that this room knows no site."""

    topics: str
    published: str
    inverted: bool


#: Whole numbers are used (sorted, indexed) as 64-bit integers.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class Kind(enum.Enum):
    LIST = "a list of names"
    WHOLE = "a whole number"
    BOOL = "true or false"
    TEXT = "text"
    ANY = "any value"


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # the app's name of the field (the site may spell it otherwise: see file_key)
    kind: Kind = Kind.ANY
    #: the list keeps its value and whether the file has it (Summary): edited without reading files
    tracked: bool = False
    editor: bool = False  # the editor panel under the preview has a widget for it
    default: Any = DELETE  # what an article without the key shows
    minimum: int | None = None  # WHOLE: the window's smallest value
    noun: str = ""  # one item, for undo texts: "topic"
    #: the list shows it as the Summary attribute of its name, read from this key alone (a value
    #: of its kind shows as it is: an unsaved edit shows, and a save needs no read back)
    shown: bool = False

    def file_key(self, profile: Profile) -> str:
        """The key this site writes: `tags` for topics on Hugo, `draft` for published."""
        if self.key == "topics":
            return profile.topics
        if self.key == "published":
            return profile.published
        return self.key

    def to_file(self, value: Any, profile: Profile) -> Any:
        """The value as the site writes it (published as an inverted draft)."""
        if self.key == "published" and profile.inverted and value is not DELETE:
            return not value
        return value

    def check(self, value: Any) -> str:
        """Why a value cannot be this field's ("" when it can); DELETE (no key) always can."""
        if value is DELETE or self.kind is Kind.ANY:
            return ""
        if self.kind is Kind.LIST:
            ok = isinstance(value, list) and all(isinstance(t, str) and t.strip() for t in value)
        elif self.kind is Kind.BOOL:
            ok = isinstance(value, bool)
        elif self.kind is Kind.WHOLE:
            ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
            if ok and value is not None and not INT64_MIN <= value <= INT64_MAX:
                return f"{self.key} must be a whole number of at most 64 bits"
        else:
            ok = isinstance(value, str)
        return "" if ok else f"{self.key} must be {self.kind.value}, not {_shown(value)}"


def _shown(value: Any) -> str:
    """A value refused, in a few words: '"high"', '3', 'true', 'a list', 'empty'."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:39]}…"'
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("topics", Kind.LIST, tracked=True, editor=True, default=(), noun="topic"),
        Field("quality", Kind.WHOLE, tracked=True, editor=True, default=None, minimum=0),
        Field("published", Kind.BOOL, tracked=True, editor=True, default=True),
        Field("heat", Kind.WHOLE, shown=True),
        Field("category", Kind.TEXT),
        Field("type", Kind.TEXT, shown=True),
        Field("title", Kind.TEXT),
        Field("excerpt", Kind.TEXT),
        Field("originalUrl", Kind.TEXT),
        Field("webUrl", Kind.TEXT),
    )
}
#: The fields the list keeps in memory and the window edits without reading files.
TRACKED = tuple(k for k, f in FIELDS.items() if f.tracked)
#: Other fields the list shows from their own key (see Field.shown): {key: what a missing key shows}.
SHOWN = {k: None if f.kind is Kind.WHOLE else "" for k, f in FIELDS.items() if f.shown}


def get(key: str) -> Field:
    """The field of this name; any other key is a plain field of any value."""
    return FIELDS.get(key) or Field(key)


def logical(key: str, value: Any, profile: Profile) -> tuple[str, Any]:
    """A key as a file spells it (Edit Field…'s or the CLI's `tags`, `draft`) as the field the
    app tracks, with its value (a draft flag turned into published); other keys as they are."""
    if key == profile.topics and key != "topics":
        return "topics", value
    if key == profile.published and key != "published":
        return "published", (not value) if profile.inverted and isinstance(value, bool) else value
    return key, value


def file_changes(changes: Mapping[str, Any], profile: Profile) -> dict[str, Any]:
    """Edits of the fields as the keys and values this site writes."""
    out = {}
    for key, value in changes.items():
        field = get(key)
        out[field.file_key(profile)] = field.to_file(value, profile)
    return out


def undo_text(key: str, op: str, value: Any, count: int) -> str:
    """What an edit is called in the Edit menu and the Changes view: 'Publish 12 articles',
    'Add topic "AI" to 3 articles', 'Set heat of 2 articles'. `op` is an EditOp's value."""
    what = words.count(count, "article")
    field = FIELDS.get(key)
    if key == "published" and op == "set":
        return f"{'Publish' if value else 'Unpublish'} {what}"
    if field is not None and field.noun and op == "add":
        return f'Add {field.noun} "{value}" to {what}'
    if field is not None and field.noun and op == "remove":
        return f'Remove {field.noun} "{value}" from {what}'
    if op == "unset":
        return f"Clear {key} of {what}"
    if op == "set" and value is not None and not isinstance(value, (list, dict)):
        return f"Set {key} to {value} on {what}"
    return f"Set {key} of {what}"
