"""Finding and loading the articles of a folder.

A scan lists candidate files; loading parses each one into a `Summary` (only the list
fields), in worker processes when the folder is large. A file that cannot be read becomes a
`Problem` and never stops the others.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .article import Summary, summarize
from .files import Snapshot, read_file
from .frontmatter import FrontMatterError, NotAnArticle, load_document
from .index import RACY_NS, FileStat, Index, reusable, summary_of

EXTENSIONS = (".md", ".markdown", ".txt")
SKIP_DIRS = frozenset({"_site", "node_modules", "__pycache__", "vendor"})
#: Below this many files, loading in this process beats starting workers.
PARALLEL_THRESHOLD = 400
CHUNK = 256


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that is not a usable article, or an article with questionable values."""

    path: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error" (not loaded), "warning" (loaded), "skipped" (not an article)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(slots=True)
class Entry:
    summary: Summary
    snapshot: Snapshot


def scan(root: str | os.PathLike[str], extensions: Iterable[str] = EXTENSIONS) -> list[str]:
    """Relative paths ('/'-separated) of candidate files under `root`, sorted.

    Hidden folders, build output and dependency folders are skipped, and so are symlinks that
    lead outside the folder.
    """
    return [rel for rel, _ in scan_stats(root, extensions, stats=False)]


def scan_stats(
    root: str | os.PathLike[str], extensions: Iterable[str] = EXTENSIONS, stats: bool = True
) -> list[tuple[str, FileStat | None]]:
    """Like scan(), with each file's stat when `stats` is true."""
    top = Path(root).resolve()
    exts = tuple(e.lower() for e in extensions)
    found: list[tuple[str, FileStat | None]] = []
    seen_dirs: set[tuple[int, int]] = set()

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_symlink():
                try:
                    real = Path(entry.path).resolve()
                except OSError:
                    continue
                if real != top and top not in real.parents:
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if name in SKIP_DIRS:
                    continue
                st = entry.stat()
                if (st.st_dev, st.st_ino) in seen_dirs:
                    continue  # a link loop
                seen_dirs.add((st.st_dev, st.st_ino))
                walk(entry.path, f"{prefix}{name}/")
            elif name.lower().endswith(exts):
                if not stats:
                    found.append((prefix + name, None))
                    continue
                try:
                    found.append((prefix + name, FileStat.of(entry.stat())))
                except OSError:
                    continue

    walk(str(top), "")
    return found


def load_one(root: str, rel: str) -> Entry | Problem:
    """Parse one file into an Entry, or say why it is not one."""
    try:
        data, snapshot = read_file(os.path.join(root, rel))
        doc = load_document(data)
    except NotAnArticle as exc:
        return Problem(rel, str(exc), None, "skipped")
    except FrontMatterError as exc:
        return Problem(rel, exc.message, exc.line)
    except OSError as exc:
        return Problem(rel, f"cannot read: {exc.strerror or exc}")
    return Entry(summarize(rel, doc.parsed), snapshot)


def _load_chunk(root: str, rels: list[str]) -> list[Entry | Problem]:
    return [load_one(root, rel) for rel in rels]


@dataclass(slots=True)
class Loaded:
    entries: list[Entry]
    problems: list[Problem]
    cancelled: bool = False

    @property
    def summaries(self) -> list[Summary]:
        return [e.summary for e in self.entries]


def iter_load(
    root: str | os.PathLike[str],
    rels: list[str],
    workers: int | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[list[Entry | Problem]]:
    """Yield loaded files in batches, in scan order, so callers can show rows early."""
    root = os.fspath(root)
    chunks = [rels[i : i + CHUNK] for i in range(0, len(rels), CHUNK)]
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(rels) < PARALLEL_THRESHOLD:
        for chunk in chunks:
            if cancel is not None and cancel.is_set():
                return
            yield _load_chunk(root, chunk)
        return
    # 'spawn' keeps workers clear of the GUI's threads (fork with threads can deadlock).
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(workers, mp_context=context) as pool:
        # Load the first chunk here while the workers start, so the first rows come at once.
        futures = [pool.submit(_load_chunk, root, chunk) for chunk in chunks[1:]]
        try:
            yield _load_chunk(root, chunks[0])
            for chunk, future in zip(chunks[1:], futures, strict=False):
                if cancel is not None and cancel.is_set():
                    break
                try:
                    yield future.result()
                except cf.process.BrokenProcessPool:  # a worker died: carry on in this process
                    yield _load_chunk(root, chunk)
        finally:
            for future in futures:
                future.cancel()


#: Entries from the index reach the caller in batches of this many.
INDEX_BATCH = 10_000


def open_iter(
    root: str | os.PathLike[str],
    index: Index | None,
    extensions: Iterable[str] = EXTENSIONS,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Iterator[list[Entry | Problem]]:
    """Yield a folder's entries in batches: first what the index still vouches for, then the
    files it does not know or that changed, parsed; the index is brought up to date after."""
    root = os.fspath(Path(root).resolve())
    files = scan_stats(root, extensions)
    if on_total is not None:
        on_total(len(files))
    known = index.known() if index is not None else {}
    now = time.time_ns()
    fresh: list[Entry] = []
    verified: list[tuple[Summary, FileStat, Snapshot]] = []
    stale: list[str] = []
    stats: dict[str, FileStat] = {}
    for rel, stat in files:
        stats[rel] = stat
        entry = known.get(rel)
        snapshot = reusable(entry, stat, root, rel, now) if entry is not None else None
        if snapshot is None:
            stale.append(rel)
            continue
        summary = summary_of(entry)
        fresh.append(Entry(summary, snapshot))
        if stat.mtime_ns >= entry.indexed_ns - RACY_NS:
            verified.append((summary, stat, snapshot))  # checked by hash: re-date it so it stops being racy
        if len(fresh) >= INDEX_BATCH:
            yield fresh
            fresh = []
    if fresh:
        yield fresh
    parsed: list[tuple[Summary, FileStat, Snapshot]] = list(verified)
    for batch in iter_load(root, stale, workers, cancel):
        for item in batch:
            if isinstance(item, Entry):
                parsed.append((item.summary, stats[item.summary.path], item.snapshot))
        yield batch
    if index is not None and not (cancel is not None and cancel.is_set()):
        index.store(parsed, removed=[p for p in known if p not in stats])


def load(
    root: str | os.PathLike[str],
    extensions: Iterable[str] = EXTENSIONS,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    on_batch: Callable[[list[Entry | Problem]], None] | None = None,
    index: Index | None = None,
) -> Loaded:
    """Scan and load a folder. Warnings about field types become problems with severity 'warning'."""
    result = Loaded([], [])
    for batch in open_iter(root, index, extensions, workers, cancel):
        for item in batch:
            if isinstance(item, Entry):
                result.entries.append(item)
                result.problems.extend(warning_problems(item.summary))
            else:
                result.problems.append(item)
        if on_batch is not None:
            on_batch(batch)
    result.cancelled = bool(cancel is not None and cancel.is_set())
    return result


def warning_problems(summary: Summary) -> list[Problem]:
    return [Problem(summary.path, message, line, "warning") for line, message in summary.warnings]
