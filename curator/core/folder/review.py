"""What a save would do, shown before it is done: the Changes view and the conflict dialog.

`pending(workspace)` lists each unsaved article with its values on disk and its new values
(as MusicBrainz Picard shows original and new tags). `preview(job)` reads the file and gives
the exact diff Save would write, without writing; for a file that changed on disk since it
was loaded, it also tells what the other program changed (`disk_fields`) and the diff an
Overwrite would write onto the new text. Reads files: call `preview` off the GUI thread.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from curator.core.document.frontmatter import decode
from curator.core.document.saves import prepare_save, real_target
from curator.core.document.snapshots import digest, read_file
from curator.core.document.values import DELETE
from curator.core.document.writes import Status
from curator.core.folder.edits import value_of
from curator.core.folder.library import Entry, load_one
from curator.core.folder.workspace import SaveJob, Workspace
from curator.core.site.article import EDITABLE, Summary

#: Lines of context around each change in a diff.
CONTEXT = 2
#: Fields compared to tell what another program changed (as `Summary.as_row` names them).
COMPARED = ("title", "excerpt", "provider", "date", "category", "type", "image", "heat", *EDITABLE)
#: A diff longer than this many lines is cut (a file of megabytes is not shown whole).
MOST_LINES = 400


def shown(value: Any) -> str:
    """A value as the Changes view shows it: `(none)` for a missing key, lists joined."""
    if value is DELETE:
        return "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "(empty list)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "(empty)" if value is None or value == "" else str(value)


@dataclass(frozen=True, slots=True)
class FieldChange:
    key: str
    before: Any  # DELETE when the file does not have the key
    after: Any

    @property
    def texts(self) -> tuple[str, str, str]:
        return self.key, shown(self.before), shown(self.after)


@dataclass(frozen=True, slots=True)
class PendingArticle:
    row: int
    path: str
    title: str
    fields: tuple[FieldChange, ...]
    changed_on_disk: bool


def pending(workspace: Workspace, rows: Iterable[int] | None = None) -> list[PendingArticle]:
    """Each unsaved article (in row order) with its values on disk (as the file is now, for one
    another program changed since) and its new values."""
    out = []
    for row in workspace.dirty_rows() if rows is None else sorted(r for r in rows if workspace.is_dirty(r)):
        path = workspace.path(row)
        now = workspace.changed_on_disk.get(path)  # the file as it is now, when another program changed it
        fields = tuple(
            FieldChange(key, value_of(now, key) if now and key in EDITABLE else workspace.disk_value(row, key), after)
            for key, after in workspace.pending[row].items()
        )
        title = workspace.summary(row).title or os.path.basename(path)
        out.append(PendingArticle(row, path, title, fields, path in workspace.changed_on_disk))
    return out


def unified(path: str, old: bytes, new: bytes, old_label: str = "on disk", new_label: str = "after save") -> str:
    """A unified diff of two versions of a file, as text (line endings not shown)."""
    lines = difflib.unified_diff(
        decode_lines(old), decode_lines(new), f"{path} ({old_label})", f"{path} ({new_label})", n=CONTEXT, lineterm=""
    )
    out = list(lines)
    if len(out) > MOST_LINES:
        out = [*out[:MOST_LINES], f"… {len(out) - MOST_LINES:,} more lines not shown"]
    return "\n".join(out)


def decode_lines(data: bytes) -> list[str]:
    try:
        text = decode(data)
    except Exception:
        text = data.decode("utf-8", "replace")
    return text.splitlines()


def field_changes(before: Summary, after: Summary) -> list[FieldChange]:
    """The fields that differ between two versions of an article."""
    a, b = before.as_row(), after.as_row()
    a["excerpt"], b["excerpt"] = before.excerpt, after.excerpt
    for key in EDITABLE:
        a[key] = a[key] if before.has(key) else DELETE
        b[key] = b[key] if after.has(key) else DELETE
    return [FieldChange(key, a[key], b[key]) for key in COMPARED if shown(a[key]) != shown(b[key])]


@dataclass(frozen=True, slots=True)
class Preview:
    path: str
    status: Status  # what Save would do now: OK (the diff), UNCHANGED, CONFLICT or ERROR
    message: str = ""
    diff: str = ""  # what Save writes; for a CONFLICT, what Overwrite would write
    disk_fields: tuple[FieldChange, ...] = ()  # CONFLICT: what changed on disk since loading
    other_lines: bool = False  # CONFLICT: lines changed on disk beyond the compared fields

    def as_text(self) -> str:
        """What the Changes view and the conflict dialog show for this file."""
        if self.status is Status.OK:
            return self.diff
        if self.status is Status.UNCHANGED:
            return "Saving changes nothing: the file already has these values."
        if self.status is Status.ERROR:
            return f"This file cannot be saved: {self.message}."
        lines = ["This file changed on disk since Curator loaded it. What changed there:"]
        for change in self.disk_fields:
            key, before, after = change.texts
            lines += [f"  {key}:", f"-   {before}", f"+   {after}"]
        if self.other_lines:
            lines.append("  lines that are not fields Curator shows (the body or other keys)")
        lines += ["", "Your edits, as Overwrite would write them onto the file as it is now:"]
        lines.append(self.diff or f"  ({self.message})")
        return "\n".join(lines)


def preview(job: SaveJob, root: str | os.PathLike[str] | None = None, tries: int = 3) -> Preview:
    """The diff that saving `job` would write now, read from the file as it is; nothing is written."""
    try:
        old, _ = read_file(real_target(job.abspath, root))
    except Exception as exc:
        return Preview(job.path, Status.ERROR, getattr(exc, "strerror", None) or str(exc))
    result = prepare_save(job.abspath, job.file_changes(), job.snapshot, False, root, restore=job.restore)
    if result.status is Status.CONFLICT:
        return _conflict(job, root, old)
    if result.snapshot is not None and result.snapshot.digest != digest(old):
        if tries > 1:
            return preview(job, root, tries - 1)  # it changed between the two reads: look again
        return Preview(job.path, Status.ERROR, "the file keeps changing on disk; look again in a moment")
    if result.status is not Status.OK or result.data is None:
        return Preview(job.path, result.status, result.message)
    return Preview(job.path, Status.OK, diff=unified(job.path, old, result.data))


def _conflict(job: SaveJob, root: str | os.PathLike[str] | None, old: bytes) -> Preview:
    base = job.profile.file_changes(job.base_values())
    merged = prepare_save(job.abspath, job.file_changes(), job.snapshot, True, root, base)
    item = load_one(job.abspath[: len(job.abspath) - len(job.path)], job.path, job.profile)
    disk: list[FieldChange] = []
    if isinstance(item, Entry):
        disk = field_changes(job.base, item.summary)
    diff = unified(job.path, old, merged.data, "on disk now", "after Overwrite") if merged.data is not None else ""
    message = "the file changed on disk since it was loaded"
    if merged.status is Status.ERROR:
        message += f"; Overwrite would fail: {merged.message}"
    elif merged.status is Status.UNCHANGED:
        message += "; it already has your values"
    return Preview(job.path, Status.CONFLICT, message, diff, tuple(disk), other_lines=not disk)


def previews(jobs: Sequence[SaveJob], root: str | os.PathLike[str] | None = None, most: int = 200) -> list[Preview]:
    """`preview` of the first `most` jobs (a dialog shows no more)."""
    return [preview(job, root) for job in jobs[:most]]
