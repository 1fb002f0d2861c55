"""Values of front-matter keys as every part of the core passes them: DELETE stands for a key
the file does not have (or that an edit removes), and Parsed is what a reader makes of a front
matter. Qt-free, and imports nothing of the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"

    def __reduce__(self) -> str:
        return "DELETE"  # one object also across worker processes (pickled by name)


#: Use as a value in a change set to remove the key; a value read as DELETE: no such key.
DELETE: Any = _Delete()


@dataclass(slots=True)
class Parsed:
    """A front matter mapping and the 1-based file line of each top-level key."""

    data: dict[str, Any]
    key_lines: dict[str, int] = field(default_factory=dict)
    fast: bool = False  # read by the fast reader: plain block YAML, one line per scalar
    #: read by the list-fields reader (skim): `data` holds only the keys the article list needs
    skimmed: bool = False
