"""The Grouper of the open folder (duplicates.Grouper), kept in a process of its own.

Grouping a whole folder is long pure-Python work, and a Grouper holds a lot of memory for as
long as the folder is open (at 100,000 articles ~51 MB kept, ~186 MB at the peak of the first
grouping); in a thread of the window's process it shares the GIL with the GUI thread the whole
time. A `GroupingProcess` keeps the Grouper in one long-lived worker process instead (spawned,
as the loader's workers are, at a lower priority; it ends when its parent ends however that
ends: see library.exit_with_parent), and talks to it over one pipe:

- `start(index, paths, digests)`: the worker reads the articles itself from the
  folder's index on disk (no summary crosses the pipe), taking each row whose record has the
  digest the caller holds for that path; it returns the paths the index could not vouch for
  (not there, another digest, an index that cannot be used), whose summaries the caller then
  sends (`feed`, in chunks), before `group()` groups them all and returns the members
  (Grouper.members) and the count of groups;
- `update(summaries, removed)`: arrivals, changed articles and removed paths, grouped again
  incrementally; returns each touched path's group (Grouper.group_of, [] for none).

Summaries go over in messages of PIECE, and groups come back in parts of PIECE paths: the
caller's thread pickles and unpickles each message in one C call, holding the GIL (the GUI
thread waits that long): 10,000 summaries took 62 ms to pack and pickle, the groups of 10,000
paths 28 ms to unpickle; a piece takes a few ms.

Every call blocks until the worker answers: callers make them off the GUI thread, one at a
time (a lock keeps one conversation at a time on the pipe). A worker that died or failed makes
the call raise GroupingFailed. `close()` ends the worker at once (a folder closed or left, the
app quitting).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import operator
import threading
import traceback
from collections.abc import Iterable, Sequence
from typing import Any

from curator.core import processes
from curator.core.folder.duplicates import Grouper
from curator.core.folder.index import Index, decode_known
from curator.core.folder.library import exit_with_parent, lower_priority
from curator.core.gently import paused_gc, trim_heap
from curator.core.site.article import Summary, interned

#: path/digest pairs per message, and index rows the worker reads at a time: all either side
#: holds of them at once
CHUNK = 5000
#: summaries per message, and paths per part of a reply of groups: each pickles or unpickles in
#: a few ms, one C call that holds the GIL (see the module's text)
PIECE = 1000
#: what of a Summary the Grouper reads (duplicates: story, provider_names, _grouped_by)
GROUPED = ("path", "title", "excerpt", "provider_name", "provider_domain", "date", "quality", "published", "url")
_PACK = operator.attrgetter(*GROUPED)
_DIGEST = 16  # bytes of a packed digest (see Snapshots.digests)


class GroupingFailed(Exception):
    """The grouping process died or could not group (its message says which)."""


def pack(summaries: Iterable[Summary]) -> list[tuple]:
    """What the Grouper reads of these summaries, as plain tuples: pickling a slotted dataclass
    runs Python code per object, and the rest (topics, image, ...) it never reads."""
    return list(map(_PACK, summaries))


def _slim(path, title, excerpt, provider_name, provider_domain, date, quality, published, url) -> Summary:
    """A Summary with only what the Grouper reads (the worker keeps one per article: the image
    URL, topics and the rest would be ~20 MB more at 100,000 articles)."""
    return interned(path, title, excerpt, provider_name, provider_domain, "", date, (), "", quality, None, published,
                    "", "", (), 0, url)  # fmt: skip


def _unpack(items: Iterable[tuple]) -> list[Summary]:
    return [_slim(*item) for item in items]


class _Worker:
    """The worker's side: one Grouper, and what a first grouping gathers before it groups."""

    def __init__(self) -> None:
        self.grouper = Grouper()
        self.wanted: dict[str, bytes] = {}  # path -> the digest the window holds for it
        self.gathered: dict[str, Summary] = {}  # path -> its summary, until group()
        self.staged: list[tuple] = []  # the summaries of the next update, sent before it

    def want(self, paths: list[str], digests: bytes) -> None:
        for i, path in enumerate(paths):
            self.wanted[path] = digests[i * _DIGEST : (i + 1) * _DIGEST]

    def read(self, index: Index) -> list[str]:
        """The wanted rows from the index; returns the paths it could not vouch for."""
        wanted, gathered = self.wanted, self.gathered
        with paused_gc(keep=True):
            for chunk in index.iter_path_records(CHUNK):
                for path, record in chunk:
                    digest = wanted.get(path)
                    if digest is None:
                        continue
                    try:
                        known = decode_known(record, path)
                    except (ValueError, TypeError, IndexError):  # a record that does not decode: sent instead
                        continue
                    if known.snapshot.digest == digest.hex():
                        gathered[path] = _slim(*_PACK(known.summary))
        missing = [p for p in wanted if p not in gathered]
        self.wanted = {}
        trim_heap()  # (the records read and the wanted digests, freed)
        return missing

    def feed(self, items: list[tuple]) -> None:
        with paused_gc(keep=True):
            for s in _unpack(items):
                self.gathered[s.path] = s

    def group(self) -> tuple[dict[str, list[str]], int]:
        gathered, self.gathered = self.gathered, {}
        self.grouper = Grouper()
        self.grouper.update(gathered.values())
        del gathered
        trim_heap()
        return self.grouper.members(), self.grouper.count()

    def stage(self, items: list[tuple]) -> None:
        self.staged.extend(items)

    def update(self, removed: list[str]) -> tuple[dict[str, list[str]], int]:
        """Group again what was staged, forget `removed`."""
        grouper, items, self.staged = self.grouper, self.staged, []
        touched = grouper.update(_unpack(items), removed)
        return {p: grouper.group_of(p) for p in touched}, grouper.count()


#: requests that get no answer (a chunk of many): an error in one is told with the next answer
_SILENT = frozenset({"want", "feed", "stage"})
#: requests answered with (groups, count), the groups sent in parts of PIECE paths
_PARTED = frozenset({"group", "update"})


def serve(conn: multiprocessing.connection.Connection, piece: int = PIECE) -> None:
    """The worker process: answer requests until the pipe closes (the window's side went away);
    groups go back in parts of `piece` paths."""
    exit_with_parent()
    lower_priority()
    worker = _Worker()
    error = ""
    while True:
        try:
            kind, *args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: Any = getattr(worker, kind)(*args)
        except Exception as exc:  # told to the window, which stops grouping: no half-made groups
            error = error or f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        if kind in _SILENT:
            continue
        if error:
            conn.send(("error", error))
        elif kind in _PARTED:
            groups, count = reply
            items = list(groups.items())
            *parts, last = [dict(items[at : at + piece]) for at in range(0, len(items), piece)] or [{}]
            for part in parts:
                conn.send(("part", part))
            conn.send(("ok", (last, count)))
        else:
            conn.send(("ok", reply))
        error = ""


def _receive(conn: multiprocessing.connection.Connection, process: multiprocessing.process.BaseProcess) -> Any:
    """The worker's next message. Waits for it or for the worker's end, whichever comes first: a
    worker that died (killed, closed, or failing to unpickle a request) does not always break
    the pipe for a reader waiting on it (under Wine it did not: the app then hung at exit, its
    grouping thread still waiting)."""
    while not multiprocessing.connection.wait([conn, process.sentinel]):
        pass
    if not conn.poll():
        raise EOFError("the grouping process ended")
    return conn.recv()


class GroupingProcess:
    """The window's side of one grouping process (see the module's text)."""

    def __init__(self, piece: int = PIECE) -> None:
        self.piece = piece  # summaries per message, paths per part of a reply (see PIECE)
        self._lock = threading.Lock()
        self._conn: multiprocessing.connection.Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._closed = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _ensure(self) -> tuple[multiprocessing.connection.Connection, multiprocessing.process.BaseProcess]:
        if self._closed:
            raise GroupingFailed("the grouping process was closed")
        if self._conn is None:
            context = processes.context()  # (not fork: with the GUI's threads it can deadlock)
            ours, theirs = context.Pipe()
            process = context.Process(target=serve, args=(theirs, self.piece), name="curator-grouping", daemon=True)
            process.start()
            theirs.close()
            if self._closed:  # closed while it started: it ends now, not at the app's exit
                process.terminate()
                process.join(2)
                ours.close()
                raise GroupingFailed("the grouping process was closed")
            self._conn, self._process = ours, process
        return self._conn, self._process

    def _ask(self, *request: Any, answer: bool = True) -> Any:
        conn, process = self._ensure()
        try:
            conn.send(request)
            if not answer:
                return None
            status, reply = _receive(conn, process)
            parts: dict[str, list[str]] = {}
            while status == "part":  # (groups in parts: see PIECE)
                parts.update(reply)
                status, reply = _receive(conn, process)
        except (EOFError, OSError) as exc:
            raise GroupingFailed(self._why_gone()) from exc
        if status != "ok":
            raise GroupingFailed(f"the grouping process failed: {reply}")
        if parts:
            groups, count = reply
            parts.update(groups)
            return parts, count
        return reply

    def _why_gone(self) -> str:
        code = None
        with contextlib.suppress(AttributeError, ValueError):  # (closed meanwhile)
            self._process.join(1)
            code = self._process.exitcode
        return f"the grouping process ended unexpectedly (exit code {code})"

    def launch(self) -> None:
        """Start the worker now, before it has work. Starting a process holds the GIL for as
        long as forking the caller takes, in proportion to its memory (measured: 4 ms at 35 MB,
        96 ms at 0.9 GB, 213 ms at 2.2 GB): cheapest before a folder's articles are loaded."""
        with self._lock:
            self._ensure()

    def start(self, index: Index, paths: Sequence[str], digests: bytes) -> list[str]:
        """Begin a first grouping from the index (the caller's Index: its file, for the profile
        the window uses); returns the paths whose summaries to `feed`. `digests`: 16 bytes per
        path, what the caller holds (a zero digest matches nothing)."""
        with self._lock:
            for at in range(0, len(paths), CHUNK):
                self._ask("want", list(paths[at : at + CHUNK]), digests[at * _DIGEST : (at + CHUNK) * _DIGEST],
                          answer=False)  # fmt: skip
            return self._ask("read", index)

    def feed(self, summaries: Sequence[Summary]) -> None:
        with self._lock:
            for at in range(0, len(summaries), self.piece):
                self._ask("feed", pack(summaries[at : at + self.piece]), answer=False)

    def group(self) -> tuple[dict[str, list[str]], int]:
        """Group what start and feed gathered: (path -> its group, keeper first; the count of groups)."""
        with self._lock:
            return self._ask("group")

    def update(self, summaries: Sequence[Summary], removed: Sequence[str] = ()) -> tuple[dict[str, list[str]], int]:
        """Group again arrivals and changed articles, forget removed paths: (touched path -> its
        group, [] when in none; the count of groups)."""
        with self._lock:
            for at in range(0, len(summaries), self.piece):
                self._ask("stage", pack(summaries[at : at + self.piece]), answer=False)
            return self._ask("update", list(removed))

    def close(self) -> None:
        """End the worker now (what it was doing is dropped: a call in progress raises). The
        worker is told to end here; waiting for it to go is a background thread's: a worker
        that held 100,000 articles took 14-18 ms to exit, which the window waited for on the
        GUI thread as the next folder opened."""
        closed, self._closed = self._closed, True
        process, self._process = self._process, None
        if closed or (process is None and self._conn is None):
            return  # closed already (its reaper runs), or never started: nothing to wait for
        if process is not None:
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
        threading.Thread(target=self._reap, args=(process,), name="curator-grouping-reaper", daemon=True).start()

    def _reap(self, process: multiprocessing.process.BaseProcess | None) -> None:
        """Wait for the worker to end (killed if it does not), then close the window's end of
        the pipe once no call is in progress (one ends as the worker does)."""
        if process is not None:
            process.join(2)
            if process.exitcode is None:
                process.kill()
                process.join(2)
            with contextlib.suppress(ValueError):
                process.close()
        if self._lock.acquire(timeout=2):
            try:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
            finally:
                self._lock.release()
