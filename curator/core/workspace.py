"""An open folder: its articles, the editor's unsaved changes and what is on disk.

Qt-free so that editing, undo bookkeeping and saving logic are tested without widgets. Rows
are positions in `table`; paths ('/'-separated, relative to the root) identify articles across
reloads, so undo steps keep working when rows come and go.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .article import EDITABLE, Summary
from .files import SaveResult, Snapshot, Status, commit_many, prepare_save, sync_dir
from .index import FileStat, Index
from .library import Entry, Problem, exit_with_parent, load_one, paused_gc
from .query import Columns, Table


def summary_value(summary: Summary, key: str) -> Any:
    return list(summary.topics) if key == "topics" else getattr(summary, key)


_FIELDS = tuple(f.name for f in dataclasses.fields(Summary))
_values = operator.attrgetter(*_FIELDS)


def with_changes(summary: Summary, changes: Mapping[str, Any]) -> Summary:
    """A summary showing unsaved values: what the list displays for an edited article.

    Copies by position (dataclasses.replace looks the fields up on every call: 24 us a copy,
    a quarter of a second for a 10,000-article batch on the GUI thread).
    """
    fields = {k: (tuple(v) if k == "topics" else v) for k, v in changes.items() if k in EDITABLE}
    if not fields:
        return summary
    copy = Summary(*_values(summary))
    for key, value in fields.items():
        setattr(copy, key, value)
    return copy


class Workspace:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.table = Table()
        self.snapshots: list[Snapshot] = []
        self.rows: dict[str, int] = {}  # path -> row
        self.saved: dict[int, Summary] = {}  # row -> summary as on disk, for rows with edits
        self.pending: dict[int, dict[str, Any]] = {}  # row -> {key: unsaved value}
        self.problems: list[Problem] = []

    def __len__(self) -> int:
        return len(self.table)

    # -- loading --

    def add(
        self, summaries: Sequence[Summary | None], snapshots: Sequence[Snapshot], columns: Columns | None = None
    ) -> range:
        """Append loaded articles (or rows read ahead from the index, see Table.extend); returns their rows."""
        start = len(self.table)
        paths = columns.paths if columns is not None else [s.path for s in summaries]
        self.rows.update(zip(paths, range(start, start + len(summaries)), strict=True))
        self.snapshots.extend(snapshots)
        self.table.extend(summaries, columns)
        return range(start, len(self.table))

    def add_entries(self, entries: Sequence[Entry]) -> range:
        return self.add([e.summary for e in entries], [e.snapshot for e in entries])

    def replace(self, entry: Entry) -> int:
        """A file changed on disk and was loaded again: its unsaved changes are dropped."""
        row = self.rows[entry.summary.path]
        self.saved.pop(row, None)
        self.pending.pop(row, None)
        self.snapshots[row] = entry.snapshot
        self.table.replace(row, entry.summary)
        return row

    def remove(self, paths: Iterable[str]) -> list[int]:
        """Forget deleted files; returns the removed rows (old numbering), ascending."""
        gone = sorted(self.rows[p] for p in paths if p in self.rows)
        if not gone:
            return []
        drop = set(gone)
        keep = [r for r in range(len(self.table)) if r not in drop]
        renumber = {old: new for new, old in enumerate(keep)}
        self.table.remove(gone)
        self.snapshots = [self.snapshots[r] for r in keep]
        self.saved = {renumber[r]: s for r, s in self.saved.items() if r in renumber}
        self.pending = {renumber[r]: c for r, c in self.pending.items() if r in renumber}
        self.rows = {p: i for i, p in enumerate(self.table.paths)}
        return gone

    def path(self, row: int) -> str:
        return self.table.paths[row]

    def abspath(self, row: int) -> str:
        return os.path.join(self.root, self.path(row))  # not pathlib: 10,000 of these per batch save

    def summary(self, row: int) -> Summary:
        return self.table.summaries[row]

    # -- editing --

    def value(self, row: int, key: str) -> Any:
        return summary_value(self.table.summaries[row], key)

    def saved_value(self, row: int, key: str) -> Any:
        return summary_value(self.saved.get(row, self.table.summaries[row]), key)

    def set_values(self, values: Mapping[str, Mapping[str, Any]]) -> list[int]:
        """Set {path: {key: value}} as the shown values; returns the rows that changed.

        A value equal to what is on disk cancels the unsaved change, so undoing back to the
        saved state leaves nothing to save.
        """
        changed = []
        for path, changes in values.items():
            row = self.rows.get(path)
            if row is None:
                continue
            base = self.saved.get(row, self.table.summaries[row])
            pending = dict(self.pending.get(row, {}))
            for key, value in changes.items():
                if key not in EDITABLE:
                    raise ValueError(f"{key} cannot be edited here")
                if value == summary_value(base, key):
                    pending.pop(key, None)
                else:
                    pending[key] = list(value) if key == "topics" else value
            if pending:
                self.saved.setdefault(row, base)
                self.pending[row] = pending
            else:
                self.saved.pop(row, None)
                self.pending.pop(row, None)
            self.table.replace(row, with_changes(base, pending))
            changed.append(row)
        return changed

    def dirty_rows(self) -> list[int]:
        return sorted(self.pending)

    def is_dirty(self, row: int) -> bool:
        return row in self.pending

    def revert(self, rows: Iterable[int]) -> list[int]:
        reverted = []
        for row in rows:
            if row in self.pending:
                del self.pending[row]
                self.table.replace(row, self.saved.pop(row))
                reverted.append(row)
        return reverted

    # -- saving --

    def save_jobs(self, rows: Iterable[int] | None = None) -> list[SaveJob]:
        """A job for each row with unsaved changes: a copy that a worker may own."""
        rows = self.dirty_rows() if rows is None else [r for r in rows if r in self.pending]
        return [
            SaveJob(self.path(r), self.abspath(r), dict(self.pending[r]), self.snapshots[r], self.saved[r])
            for r in rows
        ]

    def saved_ok(self, path: str, result: SaveResult, summary: Summary, written: Mapping[str, Any]) -> int | None:
        """Record a successful save of `written`; changes made while it ran stay unsaved."""
        row = self.rows.get(path)
        if row is None or result.status not in (Status.OK, Status.UNCHANGED):
            return row
        if result.snapshot is not None:
            self.snapshots[row] = result.snapshot
        pending = {k: v for k, v in self.pending.get(row, {}).items() if written.get(k, _MISSING) != v}
        if pending:
            self.saved[row] = summary
            self.pending[row] = pending
        else:
            self.saved.pop(row, None)
            self.pending.pop(row, None)
        self.table.replace(row, with_changes(summary, pending))
        return row


_MISSING = object()


@dataclass(frozen=True, slots=True)
class SaveJob:
    path: str
    abspath: str
    changes: dict[str, Any]
    snapshot: Snapshot
    base: Summary  # the article as on disk before this save


@dataclass(frozen=True, slots=True)
class Saved:
    job: SaveJob
    result: SaveResult
    summary: Summary | None  # the article as on disk after a successful save


#: Files written (and fsynced together) at a time by save_batch; a cancel waits for one chunk.
COMMIT_CHUNK = 200
#: Batches at least this large plan their edits in worker processes while this one writes.
PARALLEL_SAVE = 300


def _prepare_chunk(jobs: list[tuple[str, dict[str, Any], Snapshot, bool, str | None]]) -> list[SaveResult]:
    with paused_gc():
        return [prepare_save(*job) for job in jobs]


def _prepared(
    jobs: list[SaveJob], overwrite: bool, cancelled: Callable[[], bool] | None, root: str | None
) -> Iterator[SaveResult]:
    """prepare_save for each job, in order: in two worker processes for large batches."""
    args = [(job.abspath, job.changes, job.snapshot, overwrite, root) for job in jobs]
    if len(jobs) < PARALLEL_SAVE or (os.cpu_count() or 1) < 2:
        for arg in args:
            yield prepare_save(*arg)
        return
    chunks = [args[i : i + 100] for i in range(0, len(args), 100)]
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(2, mp_context=context, initializer=exit_with_parent) as pool:
        futures = [pool.submit(_prepare_chunk, chunk) for chunk in chunks]
        try:
            for chunk, future in zip(chunks, futures, strict=True):
                if cancelled is not None and cancelled():
                    return
                try:
                    results = future.result()
                except cf.process.BrokenProcessPool:
                    results = _prepare_chunk(chunk)
                yield from results
        finally:
            for future in futures:
                future.cancel()


def save_batch(
    jobs: Iterable[SaveJob],
    overwrite: bool = False,
    index: Index | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> list[Saved]:
    """Save each job on its own (one failure never stops the others), then make it durable.

    Edits are planned and verified (in worker processes for large batches) and written here
    in chunks (see files.commit_many: each file is fsynced before its rename, the fsyncs of a
    chunk run together), and each folder is synced once at the end, before this returns. A
    cancel stops between files, so each is old or new. With `root` (the opened folder as
    resolved at open), nothing is written outside it.
    """
    jobs = list(jobs)
    out: list[Saved] = []
    folders: set[str] = set()
    planned = _prepared(jobs, overwrite, cancelled, None if root is None else os.fspath(root))
    for start in range(0, len(jobs), COMMIT_CHUNK):
        if cancelled is not None and cancelled():
            break
        chunk = jobs[start : start + COMMIT_CHUNK]
        prepared = [p for _, p in zip(chunk, planned, strict=False)]
        for job, result in zip(chunk, commit_many(prepared, cancelled), strict=False):
            if result is None:  # cancelled before its rename: the file is as it was
                continue
            summary = None
            if result.ok:
                if overwrite:  # other keys may have changed on disk: read the article back
                    item = load_one(os.path.dirname(job.abspath), os.path.basename(job.abspath))
                    summary = dataclasses.replace(item.summary, path=job.path) if isinstance(item, Entry) else None
                else:
                    summary = with_changes(job.base, job.changes)
                if result.status is Status.OK:
                    folders.add(os.path.dirname(result.target or job.abspath))
            out.append(Saved(job, result, summary))
        if progress is not None:
            progress(len(out))
    planned.close()  # ends the planning workers at once when a cancel left plans unused
    for folder in folders:
        sync_dir(folder)
    if index is not None:
        stored = []
        for saved in out:
            if saved.result.status is Status.OK and saved.summary is not None:
                try:
                    stat = FileStat.of(os.stat(saved.job.abspath))
                except OSError:
                    continue
                stored.append((saved.summary, stat, saved.result.snapshot))
        index.store(stored)
    return out
