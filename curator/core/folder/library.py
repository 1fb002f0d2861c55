"""Loading the articles of a folder.

The scan (scan.py) lists candidate files; loading parses each one into a `Summary` (only the
list fields), in worker processes when the folder is large. A file that cannot be read becomes
a `Problem` and never stops the others. Opening a folder (open_iter) shows what the index holds
first and checks it against the disk.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import heapq
import itertools
import multiprocessing
import multiprocessing.connection
import operator
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from curator.core.document.formats.base import FrontMatterError, NotAnArticle, Only
from curator.core.document.frontmatter import load_document
from curator.core.document.snapshots import Snapshot, Snapshots, read_file_stat
from curator.core.document.writes import remove_stale_temps
from curator.core.folder.index import RACY_NS, FileStat, Index, decode_known, decode_summary, read_ahead, reusable
from curator.core.folder.scan import EXTENSIONS, SKIP_DIRS, FileStats, Problem, Severity, scan_stats  # noqa: F401 (library's names)
from curator.core.folder.table import Columns
from curator.core.gently import empty_gently, paused_gc, trim_heap
from curator.core.site import profiles
from curator.core.site.article import LISTS, Summary, interned, list_keys, summarize

#: Below this many files, loading in this process beats starting workers.
PARALLEL_THRESHOLD = 400
CHUNK = 256
FIRST_CHUNK = 64


@dataclass(slots=True)
class Entry:
    summary: Summary
    snapshot: Snapshot
    stat: FileStat | None = None  # of the open file it was read from, for the index


def load_one(root: str, rel: str, profile: profiles.Profile | None = None, skim: bool = False) -> Entry | Problem:
    """Parse one file into an Entry (read as the site's profile says), or say why it is not one.

    With `skim`, only what the list needs is read where the list-fields reader can (see
    skim.py): what it skipped is checked later by check_skimmed.
    """
    profile = profile or profiles.for_root(root)
    return _load(root, rel, profile, _only(profile) if skim else None)


def _load(root: str, rel: str, profile: profiles.Profile, only: Only | None) -> Entry | Problem:
    """load_one with the keys the list-fields reader reads (None: the whole file), worked out
    once for a chunk of files: they come from a cache keyed by the profile, whose hash and
    comparison (its 22 fields, markers and all) took ~4 us a file, 5% of a cold open's work."""
    try:
        data, snapshot, st = read_file_stat(os.path.join(root, rel))
    except (OSError, FrontMatterError) as exc:
        item: Entry | Problem = _unreadable(rel, exc)
    else:
        item = _parsed(rel, data, snapshot, st, profile, only)
    if isinstance(item, Problem) and item.severity is Severity.ERROR:
        with contextlib.suppress(OSError):  # so the watcher reads it again once it changes
            item = dataclasses.replace(item, stat=FileStat.of(os.stat(os.path.join(root, rel))))
    return item


def _unreadable(rel: str, exc: OSError | FrontMatterError) -> Problem:
    if isinstance(exc, FrontMatterError):
        return Problem(rel, exc.message, exc.line)
    return Problem(rel, f"cannot read: {exc.strerror or exc}")


def _only(profile: profiles.Profile) -> Only:
    return list_keys(profile), LISTS


def _parsed(
    rel: str, data: bytes, snapshot: Snapshot, st: os.stat_result, profile: profiles.Profile, only: Only | None
) -> Entry | Problem:
    try:
        doc = load_document(data, only=only)
    except NotAnArticle as exc:
        return Problem(rel, str(exc), None, Severity.SKIPPED)
    except FrontMatterError as exc:
        return Problem(rel, exc.message, exc.line)
    except Exception as exc:  # one file never stops the others, whatever is wrong with it
        return Problem(rel, f"cannot read: {exc.__class__.__name__}: {exc}")
    try:
        return Entry(summarize(rel, doc.parsed, profile), snapshot, FileStat.of(st))
    except Exception as exc:
        return Problem(rel, f"cannot use its values: {exc.__class__.__name__}: {exc}")


def check_skimmed(root: str, rel: str, profile: profiles.Profile, only: Only | None = None) -> Entry | Problem | None:
    """The full parse of a file the list-fields reader read: None when both give the same
    Entry (or the reader declined the file, so it was parsed whole), else what the full parse
    gives: an Entry to show instead, or a Problem (the file is not usable after all).

    A file changed since its first read is checked as it is now: if that differs from what
    the list shows, the watcher notices the change anyway. (`only`: _only(profile), given
    by a caller that checks many files; see _load.)
    """
    try:
        data, snapshot, st = read_file_stat(os.path.join(root, rel))
        doc = load_document(data, only=only or _only(profile))
    except Exception:  # unreadable now, or not read by the skim: the first read was a full one
        return None
    if not doc.parsed.skimmed:
        return None
    full = _parsed(rel, data, snapshot, st, profile, None)
    if isinstance(full, Entry):
        try:
            if summarize(rel, doc.parsed, profile) == full.summary:
                return None
        except Exception:
            pass
    elif full.severity is Severity.ERROR:
        full = dataclasses.replace(full, stat=FileStat.of(st))
    return full


def exit_with_parent() -> None:
    """Initializer of worker processes: end this process when its parent ends, however it
    ended (killed, crashed, closed mid-load); a worker waiting for work would wait forever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _load_chunk(
    root: str, rels: list[str], profile: profiles.Profile | None = None, skim: bool = False
) -> list[Entry | Problem]:
    """(In a worker process the profile comes along: it may have been chosen, not detected.)"""
    profile = profile or profiles.for_root(root)
    only = _only(profile) if skim else None
    with paused_gc():
        return [_load(root, rel, profile, only) for rel in rels]


_SUMMARY = operator.attrgetter(*(f.name for f in dataclasses.fields(Summary)))
_new_tuple = tuple.__new__


def _load_packed(root: str, rels: list[str], profile: profiles.Profile, skim: bool) -> list[tuple | Problem]:
    """_load_chunk in a worker process, each Entry as plain tuples: pickling a slotted dataclass
    runs Python code per object (38 µs per article; the tuples take 9 µs), and so does
    unpickling it in the window's process (see _unpack)."""
    return [
        (_SUMMARY(item.summary), tuple(item.snapshot), item.stat and tuple(item.stat))
        if isinstance(item, Entry)
        else item
        for item in _load_chunk(root, rels, profile, skim)
    ]


def _unpack(items: list[tuple | Problem]) -> list[Entry | Problem]:
    """_load_packed's items as Entries (their repeated values interned again: see interned)."""
    with paused_gc(keep=True):
        return [
            Entry(interned(*item[0]), _new_tuple(Snapshot, item[1]), item[2] and _new_tuple(FileStat, item[2]))
            if type(item) is tuple
            else item
            for item in items
        ]


def _check_chunk(root: str, rels: list[str], profile: profiles.Profile) -> list[Entry | Problem]:
    """check_skimmed for each file, in a worker process at a lower priority than the window's:
    the list is complete already, this only confirms it."""
    lower_priority()
    with paused_gc():
        only = _only(profile)
        return [item for rel in rels if (item := check_skimmed(root, rel, profile, only)) is not None]


def lower_priority() -> None:
    """In a worker process: run below the window's priority (nice 10), so the GUI goes first."""
    if hasattr(os, "nice") and multiprocessing.parent_process() is not None:
        with contextlib.suppress(OSError):
            if os.getpriority(os.PRIO_PROCESS, 0) < 10:
                os.nice(10)


def _ready() -> None:
    """A worker process's first task: it is up, with this module imported."""


class Workers:
    """The worker processes of a load: started by its first parallel step, or ahead of it
    (start). A cold open starts them once its scan has found PARALLEL_THRESHOLD files, so that
    they start up (a Python process that imports this module: 0.2-0.4 s each) while the folder
    is still being listed and its first rows read, not after the first rows are shown."""

    __slots__ = ("pool", "size")

    def __init__(self, size: int):
        self.size = size
        self.pool: cf.ProcessPoolExecutor | None = None

    def start(self) -> cf.ProcessPoolExecutor:
        if self.pool is None:
            # 'spawn' keeps workers clear of the GUI's threads (fork with threads can deadlock).
            context = multiprocessing.get_context("spawn")
            self.pool = cf.ProcessPoolExecutor(self.size, mp_context=context, initializer=exit_with_parent)
            for _ in range(self.size):  # (a task given to a pool with no idle process starts one)
                self.pool.submit(_ready)
        return self.pool

    def close(self, wait: bool = True) -> None:
        """Cancel what has not started; with `wait`, wait for what runs (a chunk or two)."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None


@dataclass(slots=True)
class Loaded:
    entries: list[Entry]
    problems: list[Problem]
    cancelled: bool = False

    @property
    def summaries(self) -> list[Summary]:
        return [e.summary for e in self.entries]


def walk_order(rel: str) -> str:
    """Sort key that puts relative paths in scan order (scan_stats): depth first, by name in each folder.

    Path components compared one by one, as one string: '\0' sorts before any character
    a name can hold (a list of components as the key made sorting 100,000 paths take 0.38 s).
    """
    return rel.replace("/", "\0")


def sorted_gently(rels: list[str], piece: int = 8192) -> list[str]:
    """sorted(rels, key=walk_order) without holding the GIL for the whole sort.

    One sort of 100,000 strings runs ~70 ms in C, and the GUI thread waits that long for the
    GIL; sorting pieces and merging them in Python lets it in between.
    """
    pieces = [sorted(rels[i : i + piece], key=walk_order) for i in range(0, len(rels), piece)]
    return pieces[0] if len(pieces) == 1 else list(heapq.merge(*pieces, key=walk_order))


@dataclass(slots=True)
class Checking:
    """The list is complete: this many files are now parsed whole, to check what the
    list-fields reader read (see check_skimmed)."""

    files: int


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


@dataclass(slots=True)
class Checked:
    """Of `files` files parsed whole, those that read differently from the list-fields reader."""

    items: list[Entry | Problem]
    files: int


def iter_load(
    root: str | os.PathLike[str],
    rels: list[str],
    workers: int | None = None,
    cancel: threading.Event | None = None,
    skim: bool = False,
    processes: Workers | None = None,
) -> Iterator[list[Entry | Problem] | Checking | Checked]:
    """Yield loaded files in batches, in scan order (whatever order `rels` come in), so
    callers can show rows early.

    Many files (in worker processes) are read with the list-fields reader where it can (see
    skim.py, `skim`): once all are listed comes Checking, then Checked batches with what the
    full parse of those files found different (in the workers at a lower priority). The
    worker processes are `processes` when given (maybe started already: see Workers), and
    closed at the end either way.
    """
    root = os.fspath(root)
    profile = profiles.for_root(root)
    workers = _workers(workers)
    processes = processes or Workers(workers)
    ended = False
    try:
        yield from _iter_load(root, rels, workers, cancel, skim, profile, processes)
        ended = True
    finally:  # (a caller that stops early does not wait for processes still starting up)
        processes.close(wait=ended)


def _workers(workers: int | None) -> int:
    """How many worker processes a load uses: `workers`, or one a core (four at most)."""
    return workers or min(os.cpu_count() or 1, 4)


def _iter_load(
    root: str,
    rels: list[str],
    workers: int,
    cancel: threading.Event | None,
    skim: bool,
    profile: profiles.Profile,
    processes: Workers,
) -> Iterator[list[Entry | Problem] | Checking | Checked]:
    if workers <= 1 or len(rels) < PARALLEL_THRESHOLD:
        rels = sorted(rels, key=walk_order)
        for chunk in [rels[i : i + CHUNK] for i in range(0, len(rels), CHUNK)]:
            if cancel is not None and cancel.is_set():
                return
            yield _load_chunk(root, chunk, profile)
        return
    # The first rows come from this process at once: a screenful, picked before sorting the
    # rest (sorting 100,000 names takes a tenth of a second). They go out once the rest is
    # sorted (and, with processes started ahead, handed to them): the sort's merge and the
    # submitting run in Python, and while the window painted its first screen, they took
    # turns at the GIL (a 51-67 ms stall at 100k). Processes not started yet start
    # FIRST_PAINT_S after, as starting them took the CPU from that paint (53-67 ms with one
    # core busy); a caller that stops at the first rows then neither starts nor waits for them.
    first = heapq.nsmallest(FIRST_CHUNK, rels, key=walk_order)
    loaded = _load_chunk(root, first, profile, skim)
    skip = set(first)
    rels = sorted_gently([r for r in rels if r not in skip])
    chunks = [rels[i : i + CHUNK] for i in range(0, len(rels), CHUNK)]
    checked = [first, *chunks] if skim else []
    loads: deque = deque()
    checks: deque = deque()

    def submit() -> None:
        pool = processes.start()
        loads.extend((chunk, pool.submit(_load_packed, root, chunk, profile, skim)) for chunk in chunks)
        checks.extend((chunk, pool.submit(_check_chunk, root, chunk, profile)) for chunk in checked)  # (run last)

    ahead = processes.pool is not None
    if ahead:
        submit()  # (they work while the first rows are shown)
    yield loaded
    time.sleep(FIRST_PAINT_S)
    if cancel is not None and cancel.is_set():
        return  # (before any worker starts, unless started ahead)
    if not ahead:
        submit()
    # Each future is dropped once its result is handed on: a worker's result (three tuples
    # per file) is freed a chunk at a time, not all at the end, when 100,000 files' tuples
    # freed at once held the GIL 45-60 ms (one core busy) as the load finished. (What is left
    # when the caller stops is cancelled as iter_load closes the processes.)
    while loads:
        if cancel is not None and cancel.is_set():
            return
        chunk, future = loads.popleft()
        try:
            batch = _unpack(future.result())
        except cf.process.BrokenProcessPool:  # a worker died: carry on in this process
            batch = _load_chunk(root, chunk, profile)
        del future
        yield batch
    if checked:
        yield Checking(sum(map(len, checked)))
    while checks:
        if cancel is not None and cancel.is_set():
            return
        chunk, future = checks.popleft()
        try:
            items = future.result()
        except cf.process.BrokenProcessPool:
            items = _check_chunk(root, chunk, profile)
        del future
        yield Checked(items, len(chunk))


#: A cold open's worker processes start this long after its first rows went out (see iter_load).
FIRST_PAINT_S = 0.1

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
    def of(cls, items: Iterable[Entry | Problem]) -> Batch:
        batch = cls([], [], [])
        for item in items:
            if isinstance(item, Entry):
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

    changed: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: files whose stat changed but not their bytes (touched, copied back): new snapshots only
    touched: list[tuple[str, Snapshot]] = field(default_factory=list)
    #: files parsed whole to check what the list-fields reader read (see Checked)
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
) -> Iterator[Batch | Decoded | Changes | Checking | Listed | Indexed]:
    """See _open_iter. The worker processes a cold open starts during its scan (see Workers)
    are closed however the open ends: a load cancelled, or failing, before they were handed
    their work left them idle until the app quit."""
    processes = Workers(_workers(workers))
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
    processes: Workers,
) -> Iterator[Batch | Decoded | Changes | Checking | Listed | Indexed]:
    """Open a folder: yield batches of articles to append, then Changes to apply.

    With `skim`, many files are listed from what the list-fields reader reads, then parsed
    whole in the background (see iter_load): Checking, then Changes with what that found.

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
    shown = {p: p for _, paths in sizes for p in paths}  # (the list's own strings: see FileStats)
    unlisted: list[Problem] = []
    temps: list[str] = []
    # With the index's rows shown, list the folder with stats to check them; in a cold open
    # list names only, the stats come from reading each file. iter_load sorts. (Each file's
    # stat is kept in compact columns, built as the scan goes: a dict built of 100,000 pairs
    # at once held the GIL up to 30 ms, and the tuples it held left emptied pools behind.)
    # A cold open of many files starts its worker processes as soon as the scan has found
    # enough files for them: they start up while the scan goes on (see Workers).
    early = (PARALLEL_THRESHOLD, processes.start) if not shown and processes.size > 1 else None
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
    for batch in iter_load(root, stale, workers, cancel, skim, processes):
        if isinstance(batch, Checking):
            yield batch
            continue
        if isinstance(batch, Checked):  # listed already: what the full parse reads differently
            changes = Changes(checked=batch.files)
            for item in batch.items:
                if isinstance(item, Entry):
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
            if isinstance(item, Entry):
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
            item = load_one(root, path)
            if isinstance(item, Entry):
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
        item = load_one(root, path)
        if isinstance(item, Entry):
            out.added.append(item)
        elif item.severity is not Severity.SKIPPED or path in known_bad:  # (a broken file that lost its front matter)
            out.problems.append(item)
    return out


def load(
    root: str | os.PathLike[str],
    extensions: Iterable[str] | None = None,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    on_batch: Callable[[list[Entry | Problem]], None] | None = None,
    index: Index | None = None,
) -> Loaded:
    """Scan and load a folder. Warnings about field types become problems with severity 'warning'."""
    result = Loaded([], [])
    coming: list[Entry] = []  # entries shown from the index, until their summaries come
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
            items: list[Entry | Problem] = [*batch.changed, *batch.added, *batch.problems]
        else:
            entries = list(map(Entry, batch.summaries, batch.snapshots))
            if batch.columns is not None:
                coming.extend(entries)
            items = [*entries, *batch.problems]
        for item in items:
            if isinstance(item, Entry):
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
