"""Loading the articles of a folder.

The scan (scan.py) lists candidate files; loading parses each one into a `Summary` (only the
list fields), in worker processes when the folder is large. A file that cannot be read becomes
a `Problem` and never stops the others. Opening a folder (opening.py) shows what the index
holds first, checks it against the disk, and loads here the files it must read.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import heapq
import multiprocessing
import multiprocessing.connection
import operator
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from curator.core import processes
from curator.core.document.formats.base import FrontMatterError, NotAnArticle, Only
from curator.core.document.frontmatter import load_document
from curator.core.document.snapshots import Snapshot, read_file_stat
from curator.core.folder.index import FileStat
from curator.core.folder.scan import EXTENSIONS, SKIP_DIRS, FileStats, Problem, Severity, scan_stats  # noqa: F401 (library's names)
from curator.core.gently import paused_gc
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
            context = processes.context()  # (a fork server's: see core/processes.py)
            self.pool = cf.ProcessPoolExecutor(self.size, mp_context=context, initializer=exit_with_parent)
            for _ in range(self.size):  # (a task given to a pool with no idle process starts one)
                self.pool.submit(_ready)
        return self.pool

    def close(self, wait: bool = True) -> None:
        """Cancel what has not started; with `wait`, wait for what runs (a chunk or two)."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None


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
    workers = worker_count(workers)
    processes = processes or Workers(workers)
    ended = False
    try:
        yield from _iter_load(root, rels, workers, cancel, skim, profile, processes)
        ended = True
    finally:  # (a caller that stops early does not wait for processes still starting up)
        processes.close(wait=ended)


def worker_count(workers: int | None) -> int:
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
