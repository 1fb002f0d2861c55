"""The search text of every row of a Table (table.haystack), kept in a file of its own instead
of one str object a row: at 1,000,000 rows those took 300 MB of the window's 973 (the largest
part of it); this takes 12 bytes a row, and the file lies in the operating system's page cache.

Each row's text is stored once, UTF-8, appended to an unnamed temporary file in the folder the
table is given (the window's cache folder: a system's temporary folder may be a tmpfs, memory
again) a few MB at a time by one background thread (a write may wait for the disk; what is not
written yet is read from memory), and never written over: a
row set anew gets its new text appended and points there. So a copy of the row pointers
(`snapshot`) reads the texts as they were, for the gram index's catch-up in a background
thread, and two stores tell the rows whose text differs by comparing pointers (`changed`), as
the gram index did with the identity of str objects. A warm open hands the texts over encoded
in its loading thread (Packed), so the GUI thread only appends bytes.

Each row's bytes are followed by a NUL byte. A search reads a run of rows at a time and, where
they lie one after the other, decodes the run and splits it at the NULs in C (a text holding a
NUL of its own shows as a part too many: that run is read row by row), then checks the term as
a list of str does. Making the str objects again is the price: every row's flags took 24-37
ms at 100,000 rows where the list took 7-20, and a term of 5 bytes or more, checked on the gram
index's candidates, ~50 ms at 1,000,000 where the list took ~40 (docs/bench-1m-runs.md).
When the file cannot be written (a full disk, no temporary folder) the texts stay in memory.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import tempfile
import threading
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, islice, repeat
from operator import add, contains, ne, sub
from typing import Any

#: bytes kept in memory before they are appended to the file
FLUSH = 1 << 22
#: rows read and checked together (their bytes are read in one go when they lie together)
GROUP = 8192
#: a group's rows lying further apart than this many times their own bytes are read one by one
SPARSE = 8
#: rows asked for (containing) beyond 1 / EVERY of all are checked as every row is (in C)
EVERY = 8


def encode(text: str) -> bytes:
    """A row's bytes (lone surrogates, which YAML can carry, kept as they are)."""
    return text.encode("utf-8", "surrogatepass")


def _decode(data: bytes | bytearray) -> str:
    return str(data, "utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class Packed:
    """Rows' texts encoded ahead, in a load's own thread (a warm open reads them from the index
    as UTF-8 bytes): each followed by a NUL, and their lengths. Texts.extend takes them as
    they are: encoded where they were added, on the GUI thread, a 1M warm open's longest stall
    was 64-102 ms against 44-47 (docs/bench-1m-runs.md)."""

    data: bytes
    lens: array

    @classmethod
    def of(cls, blobs: Sequence[bytes]) -> Packed:
        """Of the rows' bytes (see encode)."""
        blobs = [b or b"" for b in blobs]  # (a damaged index's missing text: none, not a crash)
        return cls(b"\x00".join(blobs) + b"\x00" if blobs else b"", array("I", map(len, blobs)))


class _Spill:
    """The file a store's texts go to, written by one background thread (a write may wait for
    the disk: never the GUI thread's), and the runs of bytes handed to it and not written yet,
    read from memory until they are (for good, when the file cannot be written: a full disk,
    no folder). Any thread reads it; the file closes when the last store that reads it goes."""

    def __init__(self, folder: str | None):
        self.folder = folder
        self.file: Any = None
        self.failed = False
        self._lock = threading.Lock()
        self._bases: list[int] = []  # first offsets of the runs not written yet, ascending
        self._runs: dict[int, bytes | bytearray] = {}
        self._pread = getattr(os, "pread", None)
        self._pwrite = getattr(os, "pwrite", None)

    def __del__(self) -> None:
        if self.file is not None:
            self.file.close()  # (unnamed: nothing is left on disk)

    def put(self, base: int, data: bytes | bytearray) -> None:
        """Bytes that belong at `base` (after every run put before): written in the background."""
        with self._lock:
            self._bases.append(base)
            self._runs[base] = data
        _writer().submit(self._write, base, data)

    def _write(self, base: int, data: bytes | bytearray) -> None:
        try:
            if self.failed:
                return
            if self.file is None:
                if self.folder is not None:
                    os.makedirs(self.folder, exist_ok=True)
                # (open as long as a store reads it, closed when it goes: not a with block)
                self.file = tempfile.TemporaryFile(prefix="curator-text-", dir=self.folder, buffering=0)  # noqa: SIM115
            view, at = memoryview(data), base
            while view:
                if self._pwrite is not None:
                    written = self._pwrite(self.file.fileno(), view, at)
                else:  # (Windows)
                    with self._lock:
                        self.file.seek(at)
                        written = self.file.write(view)
                view, at = view[written:], at + written
        except OSError:
            self.failed = True  # (what is not written stays in memory, and so does what comes)
            return
        with self._lock:
            self._bases.remove(base)
            del self._runs[base]

    def read(self, start: int, end: int) -> bytes | bytearray:
        """The bytes from `start` to `end`, from the runs not written yet and from the file."""
        with self._lock:
            bases, runs = list(self._bases), dict(self._runs)
        out, at = [], start
        while at < end:
            i = bisect_right(bases, at) - 1
            if i >= 0 and at < bases[i] + len(runs[bases[i]]):
                base = bases[i]
                stop = min(end, base + len(runs[base]))
                out.append(runs[base][at - base : stop - base])
            else:  # written: a run not there any more is in the file
                stop = min(end, bases[i + 1]) if i + 1 < len(bases) else end
                out.append(self._read_file(at, stop))
            at = stop
        return out[0] if len(out) == 1 else b"".join(out)

    def _read_file(self, start: int, end: int) -> bytes:
        if self._pread is not None:
            data = self._pread(self.file.fileno(), end - start, start)
        else:  # (Windows)
            with self._lock:
                self.file.seek(start)
                data = self.file.read(end - start)
        if len(data) != end - start:
            raise OSError(f"the search text file ended early ({len(data)} of {end - start} bytes)")
        return data


_WRITER: cf.ThreadPoolExecutor | None = None


def _writer() -> cf.ThreadPoolExecutor:
    """The one thread that writes every store's file, in the order the runs were put."""
    global _WRITER
    if _WRITER is None:
        _WRITER = cf.ThreadPoolExecutor(1, thread_name_prefix="search-text")
    return _WRITER


def written() -> None:
    """Wait until every run put so far is written (or kept in memory): for tests."""
    _writer().submit(int).result()


class Texts:
    """The search text of each row, as a list of str reads it (len, [row], [slice], iterating,
    setting a row), with searches over the bytes (flags, containing) and pointer copies
    (snapshot, changed). Rows are only appended, set, or kept in their order (take)."""

    def __init__(self, folder: str | None = None):
        self._folder = folder  # where the temporary file goes (None: the system's)
        self._starts = array("q")  # each row's first byte (in the file, then in _pending)
        self._lens = array("I")  # and its length in bytes (the NUL after it aside)
        self._spill = _Spill(folder)  # (no file until the first FLUSH bytes are written)
        self._flushed = 0  # bytes handed to the spill: offsets past it are in _pending
        self._pending = bytearray()
        #: rows set anew since they were appended: their bytes lie after the others' (see _order)
        self._moved: set[int] = set()
        #: stores whose pointers are comparable (this one and its snapshots: see changed)
        self._lineage = object()

    # -- as a list --

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return self.read(range(*i.indices(len(self))))
        start = self._starts[i]
        return _decode(self._read(start, start + self._lens[i]))

    def __iter__(self) -> Iterator[str]:
        for first in range(0, len(self), GROUP):
            yield from self.read(range(first, min(first + GROUP, len(self))))

    def __setitem__(self, row: int, text: str) -> None:
        row = range(len(self))[row]
        data = encode(text)
        self._starts[row], self._lens[row] = self._end(), len(data)
        self._pending += data + b"\x00"
        self._moved.add(row)
        self._flush_if_full()

    def extend(self, texts: Iterable[str] | Packed) -> None:
        packed = texts if isinstance(texts, Packed) else Packed.of(list(map(encode, texts)))
        if not packed.lens:
            return
        self._starts.extend(accumulate(map(add, packed.lens[:-1], repeat(1)), initial=self._end()))
        self._lens.extend(packed.lens)
        self._pending += packed.data
        self._flush_if_full()

    def take(self, keep: Sequence[int]) -> None:
        """Keep only the rows in `keep`, in that order (ascending: see Table.remove)."""
        if any(map(ne, sorted(keep), keep)):  # (not kept in order: written again, in the new one)
            texts = self.read(keep)
            self.clear()
            self.extend(texts)
            return
        new = {old: n for n, old in enumerate(keep)} if self._moved else {}
        self._moved = {new[r] for r in self._moved if r in new}
        self._starts = array("q", map(self._starts.__getitem__, keep))
        self._lens = array("I", map(self._lens.__getitem__, keep))

    def clear(self) -> None:
        """No rows (the file goes once no snapshot reads it)."""
        self.__init__(self._folder)

    def read(self, rows: Sequence[int]) -> list[str]:
        """The texts of `rows`, in that order."""
        got: dict[int, str] = {}
        for group, texts in self._groups(rows):
            got.update(zip(group, texts, strict=True))
        return list(map(got.__getitem__, rows))

    # -- searching --

    def flags(self, value: str) -> bytes:
        """A byte per row, 1 where the row's text contains `value`."""
        return bytes(self._hits(None, value))

    def containing(self, rows: Sequence[int], value: str) -> list[int]:
        """Those of `rows` whose text contains `value`, in the order of `rows`."""
        if not rows:
            return []
        hit = self._hits(rows if len(rows) * EVERY < len(self) else None, value)
        return list(compress(rows, map(hit.__getitem__, rows)))

    def _hits(self, rows: Sequence[int] | None, value: str) -> bytearray:
        hit = bytearray(len(self))
        for group, texts in self._groups(rows):
            deque(map(hit.__setitem__, compress(group, map(contains, texts, repeat(value))), repeat(1)), 0)
        return hit

    # -- copies --

    def snapshot(self) -> Texts:
        """The texts as they are now, to read from another thread while this one changes
        (12 bytes a row: the file and the bytes in memory are shared, both only appended to)."""
        copy: Texts = Texts.__new__(Texts)
        copy._folder, copy._spill, copy._flushed = self._folder, self._spill, self._flushed
        copy._pending = self._pending  # (a copy never appends, so it never flushes)
        copy._starts, copy._lens = array("q", self._starts), array("I", self._lens)
        copy._moved, copy._lineage = set(self._moved), self._lineage
        return copy

    def changed(self, other: Texts, rows: Iterable[int] | None = None) -> list[int]:
        """Those of `rows` (of all) below both lengths whose text here is not the one `other`
        holds: set anew, or moved up by a removal (a copy of `other` made by snapshot)."""
        n = min(len(self), len(other))
        mine, theirs = self._starts, other._starts
        if other._lineage is not self._lineage:  # (another store, or this one cleared since)
            return list(range(n)) if rows is None else [r for r in rows if r < n]
        if rows is None:
            return list(compress(range(n), map(ne, islice(mine, n), islice(theirs, n))))
        return [r for r in rows if r < n and mine[r] != theirs[r]]

    # -- the bytes --

    def _end(self) -> int:
        return self._flushed + len(self._pending)

    def _flush_if_full(self) -> None:
        if len(self._pending) < FLUSH:
            return
        self._spill.put(self._flushed, self._pending)
        self._flushed += len(self._pending)
        self._pending = bytearray()  # (a new one: the spill, and a snapshot, may hold the old)

    def _read(self, start: int, end: int) -> bytes | bytearray:
        flushed = self._flushed
        if start >= flushed:
            return self._pending[start - flushed : end - flushed]
        if end <= flushed:
            return self._spill.read(start, end)
        return self._spill.read(start, flushed) + self._pending[: end - flushed]

    def _order(self, rows: Sequence[int] | None) -> list[Sequence[int]]:
        """`rows` (all when None) once each, in runs whose bytes lie in ascending order: the
        rows never set anew, in row order (their bytes were appended in it), and the others,
        by where their bytes are (after some of the first run's, not after all of them)."""
        n, moved = len(self), self._moved
        if rows is None and not moved:
            return [range(n)]
        if rows is not None and len(rows) * EVERY < n:  # (a few: sorted, not a flag for every row)
            return [sorted(set(rows), key=self._starts.__getitem__)]
        if rows is None:
            wanted = bytearray(b"\x01") * n
        else:
            wanted = bytearray(n)
            deque(map(wanted.__setitem__, rows, repeat(1)), 0)
        later = sorted((r for r in moved if wanted[r]), key=self._starts.__getitem__)
        for r in later:
            wanted[r] = 0
        return [list(compress(range(n), wanted)), later]

    def _groups(self, rows: Sequence[int] | None) -> Iterator[tuple[Sequence[int], Iterable[str]]]:
        """(rows, their texts) a GROUP of rows at a time, read in one go where they lie together
        (a group is one run of _order: its bytes in ascending order, so rows whose bytes follow
        each other are one span, split at the NULs in C)."""
        for order in self._order(rows):
            yield from self._run(order)

    def _run(self, order: Sequence[int]) -> Iterator[tuple[Sequence[int], Iterable[str]]]:
        starts, lens = self._starts, self._lens
        for first in range(0, len(order), GROUP):
            group = order[first : first + GROUP]
            if isinstance(group, range):  # (every row, none set anew: array slices, in C)
                at, size = starts[group.start : group.stop], lens[group.start : group.stop]
            else:
                at, size = array("q", map(starts.__getitem__, group)), array("I", map(lens.__getitem__, group))
            low, high = at[0], at[-1] + size[-1]
            if high - low == sum(size) + len(size) - 1:  # one after the other: decoded and split in C
                texts = _decode(self._read(low, high)).split("\x00")
                if len(texts) == len(group):  # (else a text holds a NUL)
                    yield group, texts
                    continue
            ends = map(add, at, size)  # (low and high as above: a group's bytes lie in ascending order)
            if high - low <= SPARSE * (sum(size) + len(size)) + FLUSH:
                data = self._read(low, high)
                spans = map(slice, map(sub, at, repeat(low)), map(sub, ends, repeat(low)))
                yield group, map(_decode, map(data.__getitem__, spans))
            else:  # (a few rows here and there in a long file)
                yield group, map(_decode, map(self._read, at, ends))
