"""Values of front-matter keys as every part of the core passes them: DELETE stands for a key
the file does not have (or that an edit removes). Qt-free, and imports nothing of the core."""

from __future__ import annotations

from typing import Any


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"

    def __reduce__(self) -> str:
        return "DELETE"  # one object also across worker processes (pickled by name)


#: Use as a value in a change set to remove the key; a value read as DELETE: no such key.
DELETE: Any = _Delete()
