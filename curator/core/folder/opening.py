"""Opening a folder: what the index holds is shown first, then checked against the disk.

open_iter lists the rows the index holds (a warm open: the whole list in seconds at a million
files) and then compares them with what a scan finds, loading (library.iter_load) only the
files that changed, appeared or were never indexed; a cold open (no index) loads every file.
`load` gathers all of it for callers that want the folder at once (the CLI, tests).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from curator.core.document.snapshots import Snapshot, Snapshots
from curator.core.document.writes import remove_stale_temps
from curator.core.folder import library
from curator.core.folder.index import RACY_NS, FileStat, Index, decode_known, decode_summary, read_ahead, reusable
from curator.core.folder.scan import FileStats, Problem, Severity, scan_stats
from curator.core.folder.table import Columns
from curator.core.gently import SplitDict, empty_gently, paused_gc, trim_heap, wait_turn
from curator.core.site.article import Summary


@dataclass(slots=True)
class Listed:
    """Every row of the index is listed (a warm open): what follows checks them against the
    disk (at 1,000,000 files, 26 s more), so work over the listed rows may start now."""

    rows: int


@dataclass(slots=True)
class Indexed:
    """The index holds these summaries now, as read by this load (a cold open's, or files that
    changed): a caller keeping the same objects may let them go and read them from the index
    again when needed (see table.Summaries.indexed)."""

    summaries: list[Summary]


#: Entries from the index reach the caller in batches of this many, the first one smaller so
#: that the first screen shows at once; fewer, larger batches cost the GUI less work.
INDEX_BATCH = 10_000
INDEX_FIRST_BATCH = 2_000
#: Records are read from the index this many at a time to be decoded (after the first screen's):
#: a batch of 10,000 (~530 characters each) was ~6 MB of a warm open's peak at 100,000 files.
RECORD_BATCH = 1_000
#: The summaries decoded from the index reach the caller this many at a time (Decoded), to be
#: dropped once it took their facets: decoded and dropped 10,000 at a time, their memory was
#: left between the long-lived objects made meanwhile (the allocator's arenas kept it), 11 MB
#: more of a warm open's and of browsing's peak at 100,000 files (102 arenas of 1 MB, not 90).
DECODED_PIECE = RECORD_BATCH


@dataclass(slots=True)
class Batch:
    """Articles to append (summaries with their snapshots, in step) and files that failed.

    From the index, `summaries` holds None for what comes later, as a Decoded message, and
    `columns` holds what the list needs at once (see table.Summaries).
    """

    summaries: list[Summary | None]
    snapshots: list[Snapshot] | Snapshots  # (from the index: in columns)
    problems: list[Problem]
    columns: Columns | None = None

    @classmethod
    def of(cls, items: Iterable[library.Entry | Problem]) -> Batch:
        batch = cls([], [], [])
        for item in items:
            if isinstance(item, library.Entry):
                batch.summaries.append(item.summary)
                batch.snapshots.append(item.snapshot)
            else:
                batch.problems.append(item)
        return batch

    def __len__(self) -> int:
        return len(self.summaries) + len(self.problems)


@dataclass(slots=True)
class Decoded:
    """The Summary objects of rows shown from the index, from row `start` on, in order (the
    index's rows are the first ones of an open, so row numbers are the caller's)."""

    start: int
    summaries: list[Summary]


@dataclass(slots=True)
class Changes:
    """What differs on disk from what the caller holds: files to replace, add and drop."""

    changed: list[library.Entry] = field(default_factory=list)
    added: list[library.Entry] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: files whose stat changed but not their bytes (touched, copied back): new snapshots only
    touched: list[tuple[str, Snapshot]] = field(default_factory=list)
    #: files parsed whole to check what the list-fields reader read (see library.Checked)
    checked: int = 0

    def __len__(self) -> int:
        return len(self.changed) + len(self.added) + len(self.deleted) + len(self.problems)


def open_iter(
    root: str | os.PathLike[str],
    index: Index | None,
    extensions: Iterable[str] | None = None,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    on_total: Callable[[int], None] | None = None,
    skim: bool = False,
) -> Iterator[Batch | Decoded | Changes | library.Checking | Listed | Indexed]:
    """See _open_iter. The worker processes a cold open starts during its scan (see library.Workers)
    are closed however the open ends: a load cancelled, or failing, before they were handed
    their work left them idle until the app quit."""
    processes = library.Workers(library.worker_count(workers))
    try:
        yield from _open_iter(root, index, extensions, workers, cancel, on_total, skim, processes)
    finally:
        processes.close(wait=False)


def _open_iter(
    root: str | os.PathLike[str],
    index: Index | None,
    extensions: Iterable[str] | None,
    workers: int | None,
    cancel: threading.Event | None,
    on_total: Callable[[int], None] | None,
    skim: bool,
    processes: library.Workers,
) -> Iterator[Batch | Decoded | Changes | library.Checking | Listed | Indexed]:
    """Open a folder: yield batches of articles to append, then Changes to apply.

    With `skim`, many files are listed from what the list-fields reader reads, then parsed
    whole in the background (see library.iter_load): library.Checking, then Changes with what that found.

    With an index, what it holds comes first, at once (records with a few columns read
    ahead, then Listed, then Decoded summaries for each batch), and is then checked against the disk:
    files that changed, appeared or went away arrive as Changes. Without one (a cold open),
    the files are parsed and arrive as batches in scan order. The index is updated after, and
    Indexed names the summaries it took.
    """
    root = os.fspath(Path(root).resolve())
    sizes: list[tuple[int, list[str]]] = []  # rows and paths of each batch shown from the index
    records: Iterator[list[tuple[str, str]]] = iter(())
    if index is not None:
        source = index.iter_path_records(RECORD_BATCH, INDEX_FIRST_BATCH)
        records = source
        try:
            for chunk in index.iter_rows(INDEX_BATCH, INDEX_FIRST_BATCH):
                wait_turn()  # (in the window's loader: its turns come first)
                with paused_gc(keep=True):  # acyclic objects that live as long as the folder is open
                    items, columns, snapshots = read_ahead(chunk, index.summaries)
                    if not sizes:  # the first screen comes with its summaries: no lookup per painted row
                        first = next(records, [])
                        records = itertools.chain([first], records)
                        if [p for p, _ in first] == columns.paths:
                            items = list(map(decode_summary, [r for _, r in first], columns.paths))
                sizes.append((len(items), columns.paths))
                yield Batch(items, snapshots, [], columns)
        except (ValueError, TypeError):  # a row that does not read: trust none of the index
            index.rebuild()
            yield Changes(deleted=[p for _, paths in sizes for p in paths])
            sizes = []
    if sizes:
        yield Listed(sum(n for n, _ in sizes))
    shown = SplitDict((p, p) for _, paths in sizes for p in paths)  # (the list's own strings: see FileStats)
    unlisted: list[Problem] = []
    temps: list[str] = []
    # With the index's rows shown, list the folder with stats to check them; in a cold open
    # list names only, the stats come from reading each file. library.iter_load sorts. (Each file's
    # stat is kept in compact columns, built as the scan goes: a dict built of 100,000 pairs
    # at once held the GIL up to 30 ms, and the tuples it held left emptied pools behind.)
    # A cold open of many files starts its worker processes as soon as the scan has found
    # enough files for them: they start up while the scan goes on (see library.Workers).
    early = (library.PARALLEL_THRESHOLD, processes.start) if not shown and processes.size > 1 else None
    current = FileStats(canonical=shown, when=early)
    scan_stats(root, extensions, stats=bool(shown), ordered=False, problems=unlisted, temps=temps, into=current)
    remove_stale_temps(temps)
    warm = bool(shown)
    if unlisted:
        yield Changes(problems=unlisted) if warm else Batch([], [], unlisted)
    if on_total is not None:
        on_total(len(current))
    now = time.time_ns()
    stale = [rel for rel in current if rel not in shown]  # new files (all of them in a cold open)
    added = set(stale) if warm else set()  # (what a warm open lists anew, not in place of a row)
    deleted = [p for p in shown if p not in current]
    # The shown rows' stats in their order, and the dicts of every path freed, before the
    # summaries are decoded: at 100,000 files those ~20 MB and the summaries together made the
    # open's peak (the summaries stay; the dicts do not). The list's dict goes first, and the
    # stats are not copied: at a million files the two dicts, the scan's columns and their
    # copy in list order, alive at once, were the open's peak (+150 MB, 1.1 GB in all).
    empty_gently([shown], piece=512)  # (the scan's canonical paths: emptied in place)
    del shown
    disk = current.for_rows(itertools.chain.from_iterable(paths for _, paths in sizes))
    empty_gently([current.forget_paths()], piece=512)
    del current
    trim_heap()
    stored: dict[str, tuple[Summary, FileStat, Snapshot]] = {}  # what the index is to hold, by path
    #: the indexed digest of each listed file whose stat changed: read again with the same bytes
    #: (a chmod, a copy back, a hard link: every file's ctime), it is touched, not changed
    digests: dict[str, str] = {}
    try:  # the summaries of the shown rows, batch by batch, each file checked against the disk
        start = 0
        indexed = itertools.chain.from_iterable(records)  # (path, record), fetched RECORD_BATCH at a time
        for batch, paths_of_batch in sizes:
            for at in range(0, batch, DECODED_PIECE):
                if cancel is not None and cancel.is_set():
                    return
                wait_turn()  # (in the window's loader: its turns come first)
                paths = paths_of_batch[at : at + DECODED_PIECE]
                count, summaries = len(paths), []
                with paused_gc(keep=True):
                    rows = zip(itertools.count(start), paths, itertools.islice(indexed, count))
                    for row, path, (was, record) in rows:
                        if was != path:
                            raise ValueError("the index changed while it was read")
                        known = decode_known(record, path)  # (the table's path string, not a copy)
                        summaries.append(known.summary)
                        stat = disk.get(row)
                        if stat is None:
                            continue  # deleted
                        if not reusable(known, stat, root, now):
                            stale.append(known.path)
                            digests[known.path] = known.snapshot.digest
                        elif stat.mtime_ns >= known.indexed_ns - RACY_NS:  # checked by content: index it again
                            stored[known.path] = (known.summary, stat, known.snapshot)  # so it stops being racy
                if len(summaries) != count:
                    raise ValueError("the index changed while it was read")
                yield Decoded(start, summaries)
                start += count
            trim_heap()  # (the records decoded, freed: memory the allocator would keep)
    except (ValueError, TypeError, IndexError):  # a record that does not decode: trust none of the index
        index.rebuild()
        yield Changes(deleted=sorted(p for _, paths in sizes for p in paths))
        listed = itertools.chain.from_iterable(paths for _, paths in sizes)
        on_disk = [p for row, p in enumerate(listed) if disk.get(row)]  # (and the new files, below)
        warm, added, deleted, stale, stored, digests = False, set(), [], on_disk + sorted(added), {}, {}
    finally:
        if index is not None:
            source.close()  # its connection is closed by this thread, not by whichever frees it later
    del sizes, disk
    if deleted:
        yield Changes(deleted=list(deleted))  # a copy: files found unusable later are added to `deleted`
    for batch in library.iter_load(root, stale, workers, cancel, skim, processes):
        if isinstance(batch, library.Checking):
            yield batch
            continue
        if isinstance(batch, library.Checked):  # listed already: what the full parse reads differently
            changes = Changes(checked=batch.files)
            for item in batch.items:
                if isinstance(item, library.Entry):
                    if item.stat is not None:
                        stored[item.summary.path] = (item.summary, item.stat, item.snapshot)
                    changes.changed.append(item)
                else:  # not usable after all: off the list, into the problems
                    stored.pop(item.path, None)
                    changes.problems.append(item)
                    changes.deleted.append(item.path)
                    deleted.append(item.path)
            yield changes
            continue
        changes = Changes()
        for item in batch:
            if isinstance(item, library.Entry):
                if item.stat is not None:
                    stored[item.summary.path] = (item.summary, item.stat, item.snapshot)
                path = item.summary.path
                if path in added:
                    changes.added.append(item)
                elif digests.get(path) == item.snapshot.digest:  # the row shows it already: a new stat only
                    changes.touched.append((path, item.snapshot))
                else:
                    changes.changed.append(item)
            else:
                changes.problems.append(item)
                if warm and item.path not in added:  # indexed before, unreadable now
                    changes.deleted.append(item.path)
                    deleted.append(item.path)
        yield changes if warm else Batch.of(batch)
    cancelled = cancel is not None and cancel.is_set()
    if index is not None and not cancelled and index.store(stored.values(), removed=deleted) and stored:
        yield Indexed([s for s, _, _ in stored.values()])
    # what only this load holds (the summaries and stats to index), freed a piece at a time:
    # dropped at once when the generator ends, freeing it held the GIL ~70 ms at 100k (not the
    # lists the messages share: their reader may not have read them yet)
    empty_gently([stored], piece=512)
    trim_heap()  # (those, and each batch's temporaries, left free memory the allocator keeps)


def detect_changes(
    root: str,
    paths: list[str],
    snapshots: list[Snapshot],
    known_bad: Mapping[str, FileStat | None],
    extensions: Iterable[str] | None = None,
) -> Changes:
    """Compare the folder with what the caller holds (a stat-based rescan; run it in a worker).

    `known_bad` are files that could not be read, with their stat then: read again once
    changed (a fixed file is added), reported as deleted once gone (their problems go).
    """
    out = Changes()
    current = dict(scan_stats(root, extensions, problems=out.problems, name_excluded=False))
    known = dict(zip(paths, snapshots, strict=True))
    for path, snap in known.items():
        stat = current.get(path)
        if stat is None:
            out.deleted.append(path)
        elif stat != snap.stat:  # mtime, size, ctime, inode: a change with its mtime put back too
            item = library.load_one(root, path)
            if isinstance(item, library.Entry):
                if item.snapshot.digest != snap.digest:
                    out.changed.append(item)
                else:  # touched, same bytes: keep the article, remember the new stat (or it is read every time)
                    out.touched.append((path, item.snapshot))
            else:
                out.deleted.append(path)  # it no longer reads as an article
                out.problems.append(item)
    out.deleted.extend(p for p in known_bad if p not in current and p not in known)
    for path in sorted(current.keys() - known.keys()):
        if path in known_bad and known_bad[path] is not None and known_bad[path] == current[path]:
            continue  # still as it was when it failed
        item = library.load_one(root, path)
        if isinstance(item, library.Entry):
            out.added.append(item)
        elif item.severity is not Severity.SKIPPED or path in known_bad:  # (a broken file that lost its front matter)
            out.problems.append(item)
    return out


@dataclass(slots=True)
class Loaded:
    entries: list[library.Entry]
    problems: list[Problem]
    cancelled: bool = False

    @property
    def summaries(self) -> list[Summary]:
        return [e.summary for e in self.entries]


def load(
    root: str | os.PathLike[str],
    extensions: Iterable[str] | None = None,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    on_batch: Callable[[list[library.Entry | Problem]], None] | None = None,
    index: Index | None = None,
) -> Loaded:
    """Scan and load a folder. Warnings about field types become problems with severity 'warning'."""
    result = Loaded([], [])
    coming: list[library.Entry] = []  # entries shown from the index, until their summaries come
    for batch in open_iter(root, index, extensions, workers, cancel):
        if isinstance(batch, (Listed, Indexed)):
            continue
        if isinstance(batch, Decoded):
            end = batch.start + len(batch.summaries)
            for entry, summary in zip(coming[batch.start : end], batch.summaries, strict=True):
                entry.summary = summary
            continue
        if isinstance(batch, Changes):
            drop = set(batch.deleted) | {e.summary.path for e in batch.changed}
            if drop:
                result.entries = [e for e in result.entries if e.summary is not None and e.summary.path not in drop]
            items: list[library.Entry | Problem] = [*batch.changed, *batch.added, *batch.problems]
        else:
            entries = list(map(library.Entry, batch.summaries, batch.snapshots))
            if batch.columns is not None:
                coming.extend(entries)
            items = [*entries, *batch.problems]
        for item in items:
            if isinstance(item, library.Entry):
                result.entries.append(item)
            else:
                result.problems.append(item)
        if on_batch is not None:
            on_batch(items)
    result.problems.extend(p for e in result.entries for p in warning_problems(e.summary))
    result.cancelled = bool(cancel is not None and cancel.is_set())
    return result


def warning_problems(summary: Summary) -> list[Problem]:
    return [Problem(summary.path, message, line, Severity.WARNING) for line, message in summary.warnings]
