"""Saving a batch of articles: a job per file (a copy a worker may own), planned and verified in
worker processes for large batches, written in chunks and made durable together (see save_batch).
Knows no Workspace: the Workspace makes the jobs (Workspace.save_jobs) and records the results
(Workspace.apply_saved). Qt-free."""

from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from curator.core import processes
from curator.core.document.saves import prepare_save
from curator.core.document.schema import SHOWN
from curator.core.document.snapshots import Snapshot
from curator.core.document.writes import SaveResult, Status, commit_many, sync_dir
from curator.core.folder.edits import shows_as_is, value_of, with_changes
from curator.core.folder.index import FileStat, Index
from curator.core.folder.library import Entry, exit_with_parent, load_one
from curator.core.gently import paused_gc
from curator.core.site.article import EDITABLE, Summary
from curator.core.site.profiles import NEWS, Profile


@dataclass(frozen=True, slots=True)
class SaveJob:
    path: str
    abspath: str
    changes: dict[str, Any]
    snapshot: Snapshot
    base: Summary  # the article as on disk before this save
    profile: Profile = NEWS  # what the keys mean in this site: the changes are written as it says
    #: the values on disk of the changed keys the list does not keep (base has only the tracked ones)
    disk: dict[str, Any] = field(default_factory=dict)
    restore: tuple[tuple[bytes, str], ...] = ()  # see Workspace.restores

    def base_values(self) -> dict[str, Any]:
        """The values the changes were made from (DELETE: the file did not have the key)."""
        return {k: self.disk[k] if k in self.disk else value_of(self.base, k) for k in self.changes}

    def changes_shown(self) -> bool:
        """Whether the list's summary after this save follows from the changes alone (only the
        tracked keys changed); otherwise it is read back from the file."""
        return all(k in EDITABLE or (k in SHOWN and shows_as_is(self.base, k, v)) for k, v in self.changes.items())

    def file_changes(self) -> dict[str, Any]:
        return self.profile.file_changes(self.changes)


@dataclass(frozen=True, slots=True)
class Saved:
    job: SaveJob
    result: SaveResult
    summary: Summary | None  # the article as on disk after a successful save


#: Files written (and fsynced together) at a time by save_batch; a cancel waits for one chunk.
COMMIT_CHUNK = 200
#: Batches at least this large plan their edits in worker processes while this one writes.
PARALLEL_SAVE = 300


def _prepare_chunk(jobs: list[tuple]) -> list[SaveResult]:
    with paused_gc():
        return [prepare_save(*job) for job in jobs]


def _prepared(
    jobs: list[SaveJob], overwrite: bool, cancelled: Callable[[], bool] | None, root: str | None
) -> Iterator[SaveResult]:
    """prepare_save for each job, in order: in two worker processes for large batches."""
    args = [(job.abspath, job.file_changes(), job.snapshot, overwrite, root,
             job.profile.file_changes(job.base_values()) if overwrite else None, job.restore)
            for job in jobs]  # fmt: skip
    if len(jobs) < PARALLEL_SAVE or (os.cpu_count() or 1) < 2:
        for arg in args:
            yield prepare_save(*arg)
        return
    chunks = [args[i : i + 100] for i in range(0, len(args), 100)]
    context = processes.context()
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
    in chunks (see writes.commit_many: each file is fsynced before its rename, the fsyncs of a
    chunk run together), and each folder is synced once at the end, before this returns. A
    cancel stops between files, so each is old or new. With `root` (the opened folder as
    resolved at open), nothing is written outside it.

    The cyclic collector waits meanwhile and what is kept is frozen after (see paused_gc): a
    full collection in the middle of a 10,000-file save held the GIL 54-66 ms, and the GUI
    thread with it.
    """
    jobs = list(jobs)
    with paused_gc(keep=True):
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
                    if overwrite or not job.changes_shown():  # read the article back
                        item = load_one(job.abspath[: len(job.abspath) - len(job.path)], job.path, job.profile)
                        summary = item.summary if isinstance(item, Entry) else None
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
