"""What a front-matter format is: the `FrontMatterFormat` protocol every format implements
(split its fences, read, edit, render a value), the parts a split makes (`Split`), the errors
reading and editing raise, and the checks an edit makes in every format.

A format never writes a file: `edit` returns the new front matter text, and the caller
(`editing.edit_document`) reads it back with the same format and writes nothing unless it
gives exactly the intended values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from curator.core.document.values import DELETE, Parsed

BOM = "\ufeff"

#: (keys to read, keys only checked to be lists) for the list-fields reader (see skim.py)
Only = tuple[frozenset[str], frozenset[str]]

#: A key an edit may add to a file that does not have it yet (a part of a dotted path).
SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


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


class EditError(Exception):
    """The edit cannot be made without risking other content; nothing was changed."""


@dataclass(slots=True)
class Split:
    """A file's text cut into its parts; `head + front + tail` is the text after the BOM."""

    bom: bool
    newline: str
    head: str  # the opening '---' line with its line break
    front: str  # the YAML between the delimiters (TOML between +++ lines; a JSON object itself)
    tail: str  # the closing delimiter line and the body, verbatim
    format: str = "yaml"  # the name of its FrontMatterFormat: "yaml", "toml" or "json"

    def text(self, front: str | None = None) -> str:
        return (BOM if self.bom else "") + self.head + (self.front if front is None else front) + self.tail

    @property
    def body(self) -> str:
        m = re.match(r"[^\r\n]*(?:\r\n|\n|\r)?", self.tail)
        return self.tail[m.end() :] if m else ""


class FrontMatterFormat(Protocol):
    """One front-matter format. Each is one module of this package, registered in
    `registry.FORMATS` (whose order is the order a file's first line is tried in)."""

    #: what `Split.format` holds and `curator show` prints: "yaml", "toml", "json"
    name: str
    #: how its first line starts, as the message for a file with no front matter names it
    fence: str

    def split(self, text: str, bom: bool) -> Split | None:
        """The text (after its BOM) cut into parts, or None when it does not open with this
        format's fence. Raises FrontMatterError when it opens but never closes."""
        ...

    def read(self, front: str, *, fast: bool = True, only: Only | None = None) -> Parsed:
        """The front matter as plain data with the file line of each top-level key (`fast`
        and `only`: the YAML reader's shortcuts, see frontmatter.parse_front). Raises
        FrontMatterError with the line in the file."""
        ...

    def held(self, value: Any) -> Any:
        """A value as this format holds it once written: the same value, but where the format
        has no such type (a date in JSON) what a reader makes of it."""
        return value

    def edit(self, split: Split, parsed: Parsed, changes: Mapping[str, Any]) -> str:
        """The front matter text with `changes` ({key or dotted path: value or DELETE})
        applied, changing only the lines of the keys they name. Raises EditError (or
        FrontMatterError, when the text it edits does not read)."""
        ...

    def render(self, value: Any) -> str:
        """A scalar value as this format writes a new one (where no old value shows a style to
        keep). Raises EditError on a value it cannot write."""
        ...


# --- the checks an edit makes in every format ---------------------------------------------------


def writable(value: Any) -> bool:
    """Whether an edit can write this value: a scalar, a list of strings, or no key (DELETE).
    A planned edit checks its value and the one its Undo writes back (see Workspace.plan_field)."""
    if value is DELETE or value is None or isinstance(value, (bool, int, float, str, dt.date)):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def new_key_ok(key: str) -> bool:
    """Whether a key a file does not have yet can be added: a simple name, or a path of them
    (`seo.image`, a name on each side of every dot), as the writer adds them (a planned edit
    checks it; see Workspace.plan_field)."""
    return all(SIMPLE_KEY.match(part) for part in key.split("."))


def check_value(key: str, value: Any) -> None:
    if not writable(value):
        raise EditError(f"{key}: only scalars and lists of strings can be written, not {type(value).__name__}")
