"""Editing a document's front matter, whatever its format: what an edit intends (`intended`,
`value_at`, `path_of`), carrying an edit over to a newer version of a value (`merge_value`), and
`edit_document`, which has the document's format (formats/registry.py) make the edit and then
checks that the new text reads back as exactly the intended mapping (`same`); otherwise the edit
is refused with `EditError` and nothing is written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from curator.core.document.formats.base import EditError, FrontMatterError
from curator.core.document.formats.registry import named
from curator.core.document.frontmatter import Document
from curator.core.document.values import DELETE


def path_of(key: str, data: Mapping[str, Any]) -> list[str]:
    """The keys a change names: `a.b` is the key `b` of the mapping `a`, unless the document has
    a top-level key spelled `a.b` itself."""
    if "." not in key or key in data or not all(key.split(".")):
        return [key]
    return key.split(".")


def same(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from True and 1 from 1.0."""
    if type(a) is not type(b) and not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _same_or_gone(a: Any, b: Any) -> bool:
    return a is b if a is DELETE or b is DELETE else same(a, b)


def merge_value(base: Any, ours: Any, theirs: Any) -> Any:
    """Our edit of a value carried over to their new version of it (a three-way merge;
    DELETE stands for a missing key): a list takes our additions (after the item that
    preceded each in ours) and our removals, and keeps theirs; a value both sides changed
    takes ours, as the editor asked to overwrite."""
    if _same_or_gone(ours, base):
        return theirs
    if _same_or_gone(theirs, base) or _same_or_gone(ours, theirs):
        return ours
    lists = [[] if v is DELETE else v for v in (base, ours, theirs)]
    if not all(isinstance(v, (list, tuple)) for v in lists):
        return ours
    old, mine, new = (list(v) for v in lists)
    out = [x for x in new if x in mine or x not in old]  # their items, less what we removed
    for i, item in enumerate(mine):
        if item not in old and item not in out:  # what we added, after its neighbour in ours
            at = next((out.index(x) + 1 for x in reversed(mine[:i]) if x in out), 0)
            out.insert(at, item)
    return DELETE if not out and theirs is DELETE else out


def intended(data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(data)
    for key, value in changes.items():
        *parents, last = path_of(key, data)
        target = result
        for name in parents:  # copied on the way down: `data` is never changed
            inner = target.get(name)
            target[name] = dict(inner) if isinstance(inner, dict) else {}
            target = target[name]
        if value is DELETE:
            target.pop(last, None)
        else:
            target[last] = list(value) if isinstance(value, tuple) else value
    return result


def value_at(data: Mapping[str, Any], key: str, missing: Any = DELETE) -> Any:
    """The value a change's key names (see path_of); `missing` when there is none."""
    value: Any = data
    for name in path_of(key, data):
        if not isinstance(value, Mapping) or name not in value:
            return missing
        value = value[name]
    return value


def edit_document(doc: Document, changes: Mapping[str, Any]) -> bytes | None:
    """New file bytes with `changes` applied, or None when nothing changes.

    Raises EditError when the edited text would not parse back to exactly the intended mapping.
    """
    for key in changes:
        if "." in key and key not in doc.data and not all(key.split(".")):
            raise EditError(
                f"{key!r}: a dotted key names a key inside a mapping, with a name on each side of every dot"
            )
    fmt = named(doc.split.format)
    changes = {k: fmt.held(v) for k, v in changes.items()}  # (JSON has no dates: Hugo reads them from text)
    want = intended(doc.data, changes)
    changes = {k: v for k, v in changes.items() if not _same_or_gone(value_at(want, k), value_at(doc.data, k))}
    if not changes:
        return None
    try:
        front = fmt.edit(doc.split, doc.parsed, changes)
        got = fmt.read(front).data
    except FrontMatterError as exc:
        raise EditError(f"the edited front matter does not parse ({exc.message}); nothing was written") from None
    except RecursionError:  # a value that holds itself (`a: &x {b: *x}`) has no end to find
        raise EditError("the front matter is nested too deeply to edit; nothing was written") from None
    try:
        agrees = same(got, want)
    except RecursionError:
        raise EditError("the front matter is nested too deeply to check an edit; nothing was written") from None
    if not agrees:
        raise EditError("the edited front matter would not read back as intended; nothing was written")
    return doc.to_bytes(front)
