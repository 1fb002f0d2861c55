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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .article import Summary, summarize
from .files import Snapshot, read_file
from .frontmatter import FrontMatterError, NotAnArticle, load_document

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
    top = Path(root).resolve()
    exts = tuple(e.lower() for e in extensions)
    found: list[str] = []
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
                found.append(prefix + name)

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


def load(
    root: str | os.PathLike[str],
    extensions: Iterable[str] = EXTENSIONS,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    on_batch: Callable[[list[Entry | Problem]], None] | None = None,
) -> Loaded:
    """Scan and load a folder. Warnings about field types become problems with severity 'warning'."""
    rels = scan(root, extensions)
    result = Loaded([], [])
    for batch in iter_load(root, rels, workers, cancel):
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
