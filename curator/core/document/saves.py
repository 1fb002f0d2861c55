"""Planning a file's save: read it, check it did not change since it was loaded (else CONFLICT,
unless the caller says overwrite: then the edit is merged into its current text), edit it
through the minimal-diff editor, and hand the new bytes to writes.commit_many. Pure enough to
run in a worker process. Undo of a removed key puts it back where it stood (`restore`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from curator.core.document.editing import edit_document, merge_value, same, value_at
from curator.core.document.formats.base import EditError, FrontMatterError, NotAnArticle
from curator.core.document.frontmatter import load_document
from curator.core.document.snapshots import Snapshot, read_file
from curator.core.document.values import DELETE
from curator.core.document.writes import SaveResult, Status, commit_save


def plan_edit(data: bytes, changes: Mapping[str, Any]) -> bytes | None:
    """New bytes for `changes`, None when nothing would change. Raises EditError."""
    try:
        doc = load_document(data)
    except (FrontMatterError, NotAnArticle) as exc:
        line = getattr(exc, "line", None)
        raise EditError(f"cannot edit: {exc}" + (f" (line {line})" if line else "")) from None
    return edit_document(doc, changes)


def inside(root: str | os.PathLike[str], path: str) -> bool:
    root = os.fspath(root)
    try:
        return os.path.commonpath([root, path]) == root
    except ValueError:  # another drive
        return False


def real_target(path: str | os.PathLike[str], root: str | os.PathLike[str] | None) -> str:
    """The file a save of `path` writes: a symbolic link is written through to its target,
    which must lie inside `root` (the opened folder, as resolved when it was opened).

    Raises EditError for a target outside it: a link, or a folder swapped for a link to
    elsewhere after loading, never lets a save land outside the folder.
    """
    real = os.path.realpath(path)
    if root is not None and not inside(root, real):
        raise EditError(f"it leads outside the opened folder (to {real}): not saved")
    return real


def prepare_save(
    path: str | os.PathLike[str],
    changes: Mapping[str, Any],
    expected: Snapshot | None,
    overwrite: bool = False,
    root: str | os.PathLike[str] | None = None,
    base: Mapping[str, Any] | None = None,
    restore: Sequence[tuple[bytes, str]] = (),
) -> SaveResult:
    """Everything of a save but the write: read, check for conflicts, edit, verify.

    Returns a result with status OK and the new bytes in `data` when there is something to
    write (pass it to `commit_save`), or the final result otherwise. Pure enough to run in a
    worker process. With `root`, the file (or what a link leads to) must be inside it. With
    `overwrite` and `base` (the values the changes were made from), each change is merged
    into the file's current value (see editing.merge_value), not written over it.

    `restore` is what earlier saves of this session replaced ((bytes before, digest after), the
    latest last): when the file is still exactly what the latest wrote and the changes give back
    the values of earlier bytes, those bytes are written again, so an undone edit that removed a
    key puts it back where it stood, not where a new key would go. Removing a key is the one edit
    whose inverse cannot be placed from the values alone; the result then carries `old`, for the
    caller to keep.
    """
    name = os.fspath(path)
    try:
        target = real_target(name, root)
        data, snap = read_file(target)
    except FileNotFoundError:
        return SaveResult(name, Status.ERROR, "the file was deleted or moved")
    except EditError as exc:
        return SaveResult(name, Status.ERROR, str(exc))
    except (OSError, FrontMatterError) as exc:
        return SaveResult(name, Status.ERROR, getattr(exc, "strerror", None) or str(exc))
    target = "" if target == os.path.abspath(name) else target
    if expected is not None and snap.digest != expected.digest and not overwrite:
        return SaveResult(name, Status.CONFLICT, "the file changed on disk since it was loaded", snap, target=target)
    try:
        if overwrite and base is not None and snap.digest != getattr(expected, "digest", snap.digest):
            current = load_document(data).data
            changes = {k: merge_value(base.get(k, DELETE), v, value_at(current, k)) for k, v in changes.items()}
        new = plan_edit(data, changes)
        new = _restored(data, snap.digest, new, restore)
    except (EditError, FrontMatterError, NotAnArticle) as exc:
        return SaveResult(name, Status.ERROR, str(exc), snap, target=target)
    except Exception as exc:  # one file never stops the others
        return SaveResult(name, Status.ERROR, f"cannot edit: {exc.__class__.__name__}: {exc}", snap, target=target)
    if new is None or new == data:
        return SaveResult(name, Status.UNCHANGED, "", snap, target=target)
    keep = bool(restore) or any(v is DELETE for v in changes.values())
    return SaveResult(name, Status.OK, "", snap, new, target=target, old=data if keep else None)


def _restored(data: bytes, now: str, new: bytes | None, restore: Sequence[tuple[bytes, str]]) -> bytes | None:
    """Earlier bytes of the file (see prepare_save) that read as what `new` reads as, if any."""
    if new is None or not restore or restore[-1][1] != now:
        return new
    want, current = load_document(new).data, load_document(data).data
    nearest = None  # the latest earlier version that held a key `new` adds back
    for old, _ in reversed(restore):
        if old == data:
            break  # (the chain goes back past this version: nothing older is nearer)
        try:
            before = load_document(old).data
        except (FrontMatterError, NotAnArticle):
            continue
        if same(before, want):
            return old
        if nearest is None and any(k in before and k not in current for k in want):
            nearest = (old, before)
    return _edited_from(nearest, want) or new


def _edited_from(nearest: tuple[bytes, dict] | None, want: Mapping[str, Any]) -> bytes | None:
    """`nearest` (earlier bytes) edited to read as `want`, when only top-level values that are not
    mappings differ: an undo of a removal and of other edits saved between (quality changed, then
    heat removed, both undone) puts the key back where it stood and changes only the other lines."""
    if nearest is None:
        return None
    old, before = nearest
    keys = [k for k in {*before, *want} if not same(before.get(k, DELETE), want.get(k, DELETE))]
    if any(isinstance(before.get(k), Mapping) or isinstance(want.get(k), Mapping) for k in keys):
        return None
    try:
        edited = plan_edit(old, {k: want.get(k, DELETE) for k in keys}) if keys else old
        return edited if edited is not None and same(load_document(edited).data, want) else None
    except (EditError, FrontMatterError, NotAnArticle):
        return None


def save_changes(
    path: str | os.PathLike[str],
    changes: Mapping[str, Any],
    expected: Snapshot | None,
    overwrite: bool = False,
    durable_rename: bool = True,
    root: str | os.PathLike[str] | None = None,
) -> SaveResult:
    """Apply `changes` to the file on disk. Never raises for a per-file problem.

    With `expected` set, a file whose content no longer matches it is a CONFLICT, unless
    `overwrite` is true: then the changes are applied to the file's current text.
    """
    return commit_save(prepare_save(path, changes, expected, overwrite, root), durable_rename)
