"""An n-gram index of the search text, kept on disk in the folder's index file (index.py), so a
keystroke looks its term up instead of scanning every row's text.

Every 1- to 4-byte gram of each row's lower-cased search text (table.haystack, UTF-8) maps to
the rows that contain it, in chunks of CHUNK rows: per chunk, a packed bitmap when the gram is
common, else a list of 16-bit row offsets. A term of up to 4 bytes is then found exactly by
one lookup; a longer one is checked only on the rows that hold its first and last 4-grams.
UTF-8 is self-synchronising, so a byte substring is a character substring: non-ASCII text is
found as a plain scan finds it.

The chunks are built in worker processes (see catch_up, which a background thread runs),
each written with a digest of the texts it was built from: a chunk whose texts changed, that
is missing, or whose postings do not hash as written is built again, never trusted. In the
GUI thread `Grams` answers from the chunks that were built for the texts the table holds;
rows edited since (a text object that is not the one indexed), rows appended after, and rows
of chunks not built yet are scanned directly, so results always equal a plain scan's.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import os
import re
import sqlite3
import threading
import weakref
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from curator.core import processes
from curator.core.folder.library import exit_with_parent
from curator.core.folder.query import And, Term
from curator.core.folder.texts import Texts

#: rows per chunk: a bitmap is CHUNK / 8 bytes; row offsets fit 16 bits
CHUNK = 8192
#: the longest gram indexed (in bytes); a longer term is checked on its 4-grams' candidates
GRAM = 4
#: rows whose text changed since their chunk was built, beyond which a catch-up is asked for
STALE_ROWS = 2048
#: when more than this share of the rows must be scanned anyway, the caller scans them all
SCAN_SHARE = 0.25

_BYTE = [bytes([b]) for b in range(256)]
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_TO_FLAGS = bytes.maketrans(b"01", b"\x00\x01")
#: the overlapping 2- to GRAM-byte grams of a text
_FIND = [re.compile(b"(?=(" + b"." * k + b"))", re.S).findall for k in range(2, GRAM + 1)]


def encode(text: str) -> bytes:
    """The bytes grams are taken from (lone surrogates, which YAML can carry, kept as they are)."""
    return text.encode("utf-8", "surrogatepass")


def grams_of(data: bytes) -> set[bytes]:
    """Every substring of 1 to GRAM bytes of `data` (found by the regex engine: slicing each
    position in Python took half as long again)."""
    out = set(map(_BYTE.__getitem__, set(data)))
    for find in _FIND:
        out.update(find(data))
    return out


def pack(rows: list[int], count: int) -> bytes:
    """Rows (ascending offsets < count) as a bitmap of `count` bits when that is smaller, else
    as 16-bit offsets (always shorter than the bitmap, which tells them apart)."""
    size = (count + 7) // 8
    if 2 * len(rows) < size:
        return array("H", rows).tobytes()
    flags = bytearray(count)
    deque(map(flags.__setitem__, rows, repeat(1)), 0)
    return int(flags.translate(_TO_DIGITS), 2).to_bytes(size, "big")


def unpack(posting: bytes, count: int) -> bytes:
    """A flag byte per row of the chunk (1 where the gram occurs); raises ValueError for a
    posting that cannot be one of `count` rows."""
    size = (count + 7) // 8
    if len(posting) == size:
        value = int.from_bytes(posting, "big")
        if value >> count:
            raise ValueError("a bitmap with bits past its rows")
        return format(value, f"0{count}b").encode().translate(_TO_FLAGS)
    if len(posting) > size or len(posting) % 2:
        raise ValueError("a posting of the wrong size")
    offsets = array("H")
    offsets.frombytes(posting)
    flags = bytearray(count)
    deque(map(flags.__setitem__, offsets, repeat(1)), 0)  # (IndexError past the chunk's rows)
    return bytes(flags)


def key(gram: bytes) -> int:
    """A gram as the integer key of its row (a rowid table keeps a 1 KB bitmap in its page; a
    table keyed by the gram's bytes spilled each to an overflow page: 3x the size on disk)."""
    return len(gram) << 32 | int.from_bytes(gram, "big")


def build(texts: Sequence[str]) -> dict[int, bytes]:
    """The postings of one chunk of texts: key(gram) -> packed rows."""
    postings: defaultdict[bytes, list[int]] = defaultdict(list)
    get, append = postings.__getitem__, list.append
    for row, text in enumerate(texts):
        deque(map(append, map(get, grams_of(encode(text))), repeat(row)), 0)
    count = len(texts)
    return {key(gram): pack(rows, count) for gram, rows in postings.items()}


def digest(texts: Sequence[str]) -> bytes:
    """What a chunk was built from: its texts and their lengths (so no join is ambiguous)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(array("q", map(len, texts)).tobytes())
    h.update(encode("\x00".join(texts)))
    return h.digest()


def postings_digest(postings: Sequence[tuple[int, bytes]]) -> bytes:
    """A hash of a chunk's postings in gram order, written with them and checked before use."""
    h = hashlib.blake2b(digest_size=16)
    for gram, posting in sorted(postings):
        h.update(gram.to_bytes(5, "big") + len(posting).to_bytes(4, "big") + posting)
    return h.digest()


# --- storage: tables of their own in the folder's index file ---------------------------------


def _table(chunk: int) -> str:
    return f"grams_{int(chunk)}"


def create(con: sqlite3.Connection) -> None:
    """The table of built chunks (the postings have a table per chunk, dropped as a whole)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS gram_chunks (chunk INTEGER PRIMARY KEY, rows INT, texts BLOB, postings BLOB)"
    )


@contextlib.contextmanager
def _writing(con: sqlite3.Connection) -> Iterator[None]:
    """One transaction around table drops and creates too (a reader sees a chunk whole or not)."""
    con.isolation_level = None
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def write_chunk(con: sqlite3.Connection, chunk: int, count: int, texts: bytes, postings: dict[int, bytes]) -> None:
    items = list(postings.items())
    with _writing(con):
        create(con)
        con.execute(f"DROP TABLE IF EXISTS {_table(chunk)}")
        con.execute(f"CREATE TABLE {_table(chunk)} (gram INTEGER PRIMARY KEY, posting BLOB)")
        con.executemany(f"INSERT INTO {_table(chunk)} VALUES (?, ?)", items)
        con.execute(
            "INSERT OR REPLACE INTO gram_chunks VALUES (?, ?, ?, ?)", (chunk, count, texts, postings_digest(items))
        )


def drop_chunks_from(con: sqlite3.Connection, first: int) -> None:
    """Forget chunks from `first` on (the table has fewer rows now)."""
    with _writing(con):
        create(con)
        for (chunk,) in con.execute("SELECT chunk FROM gram_chunks WHERE chunk >= ?", (first,)).fetchall():
            con.execute(f"DROP TABLE IF EXISTS {_table(chunk)}")
        con.execute("DELETE FROM gram_chunks WHERE chunk >= ?", (first,))


def chunk_sound(con: sqlite3.Connection, chunk: int, count: int, texts: bytes) -> bool:
    """Whether the chunk is built for these texts and its postings hash as they were written."""
    try:
        row = con.execute("SELECT rows, texts, postings FROM gram_chunks WHERE chunk = ?", (chunk,)).fetchone()
        if row is None or row[0] != count or row[1] != texts:
            return False
        items = con.execute(f"SELECT gram, posting FROM {_table(chunk)}").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc) or "no such column" in str(exc):
            return False
        raise
    try:
        return postings_digest(items) == row[2]
    except (TypeError, AttributeError, ValueError, OverflowError):  # keys or postings of another shape
        return False


def _build_and_write(path: str, chunk: int, texts: list[str]) -> None:
    """In a worker process: build one chunk and write it."""
    postings = build(texts)
    con = sqlite3.connect(path, timeout=60)
    try:
        write_chunk(con, chunk, len(texts), digest(texts), postings)
    finally:
        con.close()


def _sound_in_worker(path: str, chunk: int, count: int, texts: bytes) -> bool:
    """In a worker process: chunk_sound on a connection of its own."""
    con = sqlite3.connect(path, timeout=60)
    try:
        return chunk_sound(con, chunk, count, texts)
    finally:
        con.close()


def _worker_init() -> None:
    """A worker process ends with its parent and runs below the window's priority."""
    exit_with_parent()
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            if os.getpriority(os.PRIO_PROCESS, 0) < 10:
                os.nice(10)


@dataclass(frozen=True)
class Built:
    """What catch_up made: the texts it indexed (a snapshot of the table's, see texts.Texts),
    and for each chunk built for them its rows and the digest of its texts."""

    texts: Texts
    chunks: list[tuple[int, bytes]]


def catch_up(index: Any, texts: Texts, cancel: threading.Event | None = None, workers: int = 0) -> Built | None:
    """Bring the gram index of `index` (an index.Index) up to `texts` (a snapshot of the
    table's text column): chunks that hold other texts, or whose postings do not hash as
    written, are built again, in `workers` processes (0: in this thread). Runs in a background
    thread; None when the index cannot be used or it was cancelled. The texts are read a chunk
    at a time (a million rows' are 300 MB as str objects), when digested and when sent."""

    def chunk(number: int) -> list[str]:
        return texts[number * CHUNK : (number + 1) * CHUNK]

    sizes = [min(CHUNK, len(texts) - i) for i in range(0, len(texts), CHUNK)]
    digests = []
    for number in range(len(sizes)):
        if cancel is not None and cancel.is_set():
            return None
        digests.append(digest(chunk(number)))
    in_workers = workers > 0 and len(sizes) > 1
    todo: list[int] = []
    con = index.gram_connection()
    if con is None:
        return None
    try:
        drop_chunks_from(con, len(sizes))
        if in_workers:  # (only the chunk table's few columns here: the postings are read there)
            found = dict.fromkeys(range(len(sizes)))
            for number, rows, was in con.execute("SELECT chunk, rows, texts FROM gram_chunks").fetchall():
                if number in found:
                    found[number] = (rows, was)
            check = [n for n in found if found[n] == (sizes[n], digests[n])]
            todo = [n for n in found if found[n] != (sizes[n], digests[n])]
        else:
            for number, count in enumerate(sizes):
                if cancel is not None and cancel.is_set():
                    return None
                if not chunk_sound(con, number, count, digests[number]):
                    todo.append(number)
    except sqlite3.OperationalError:  # (locked, full, read-only): try again later
        return None
    except sqlite3.DatabaseError as exc:  # corrupt: the index file is rebuilt
        con.close()
        index.gram_failed(exc)
        return None
    finally:
        con.close()
    if in_workers and (check or todo):
        # The postings of the chunks that claim to be built are checked in the worker processes
        # too: reading and hashing them here (a million rows: 122 chunks, ~100,000 tuples each)
        # made this thread's garbage collections walk them holding the GIL, 100-283 ms a time
        # while the window listed a warm open.
        context = processes.context()
        with cf.ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init) as pool:
            path, futures = str(index.path), deque()
            try:
                futures.extend(pool.submit(_sound_in_worker, path, c, sizes[c], digests[c]) for c in check)
                todo += [c for c, future in zip(check, futures, strict=True) if not _result(future, cancel)]
                futures.clear()
                for c in sorted(todo):  # (a few chunks' texts in flight at a time, read as sent)
                    futures.append(pool.submit(_build_and_write, path, c, chunk(c)))
                    while len(futures) > 2 * workers:
                        _result(futures.popleft(), cancel)
                while futures:
                    _result(futures.popleft(), cancel)
            except (cf.CancelledError, cf.process.BrokenProcessPool, sqlite3.Error):
                for future in futures:
                    future.cancel()
                return None
    elif todo:
        try:
            for number in todo:
                if cancel is not None and cancel.is_set():
                    return None
                _build_and_write(str(index.path), number, chunk(number))
        except sqlite3.Error:
            return None
    return Built(texts, list(zip(sizes, digests, strict=True)))


def _result(future: cf.Future, cancel: threading.Event | None) -> Any:
    """The future's result, waited for in steps so that a cancel is seen (raises
    CancelledError then)."""
    while True:
        try:
            return future.result(timeout=0.2)
        except cf.TimeoutError:
            if cancel is not None and cancel.is_set():
                raise cf.CancelledError from None


# --- searching, in the GUI thread ------------------------------------------------------------


class Grams:
    """Answers free-text terms from the gram index of one table (see Listing.compute)."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection | None],
        table: Any,
        built: Built,
        mark: tuple[int, int] | None = None,
    ):
        """`mark`: the table's text_mark() when `built.texts` was copied from it (None: every
        row's text is compared with the indexed one to find those edited since)."""
        self._connect = connect  # a read-only connection to the index file
        self._con: sqlite3.Connection | None = None
        self._table = weakref.ref(table)
        self.texts = built.texts
        self.mark = mark
        self.chunks = built.chunks
        self._dirty_key: tuple | None = None
        self._dirty: list[int] = []
        self.broken = False

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def for_table(self, table: Any) -> bool:
        return self._table() is table and not self.broken

    def dirty(self, table: Any) -> list[int]:
        """Rows the index does not answer for: text objects other than those indexed (edited,
        or moved up by a removal), and rows past the indexed ones (once per table version)."""
        key = (table.version, len(table))
        if self._dirty_key != key:
            text, n = table.text, len(self.texts)
            changed = None if self.mark is None or len(text) < n else table.text_changed_since(self.mark)
            # (every row when not known which: pointers compared, 1,000,000 in ~50 ms; else only
            # the rows whose text was set since, of which those set back are not dirty)
            dirty = text.changed(self.texts, changed)
            dirty.extend(range(n, len(text)))
            self._dirty_key, self._dirty = key, dirty
        return self._dirty

    def stale(self, table: Any) -> bool:
        """Whether the index should catch up: it cannot be read, or enough rows are scanned
        directly."""
        return self.broken or self._table() is not table or len(self.dirty(table)) > STALE_ROWS

    def exact(self, node: Any) -> bool:
        """Whether the index answers `node` by lookups alone (free-text terms of up to GRAM
        bytes): quicker than narrowing the last search's matches, however few they are."""
        values = _values(node)
        return values is not None and all(len(encode(v)) <= GRAM for v in values)

    def flags(self, table: Any, node: Any) -> bytes | None:
        """A flag byte per row where `node` (a free-text term, or an And of them) matches, as
        Table.flags gives; None for other queries or when the index cannot answer."""
        values = _values(node)
        if values is None or not self.for_table(table):
            return None
        try:
            found = self._lookup(values, len(table))
        except (sqlite3.Error, ValueError, IndexError, OverflowError):
            self.broken = True  # (not trusted again: see stale)
            self.close()
            return None
        if found is None:
            return None
        flags, scan = found
        dirty = self.dirty(table)
        if len(scan) + len(dirty) > SCAN_SHARE * len(flags):  # (a plain scan, in C, is as quick)
            return None
        text = table.text
        deque(map(flags.__setitem__, dirty, repeat(0)), 0)
        for rows in (scan, dirty):
            for value in values:
                rows = text.containing(rows, value)
            deque(map(flags.__setitem__, rows, repeat(1)), 0)
        return bytes(flags)

    def _lookup(self, values: list[str], rows: int) -> tuple[bytearray, list[int]] | None:
        """Flags of the rows the index answers for (the And of every value), and the rows it
        does not, to be scanned (their flags 0 here)."""
        if self._con is None:
            self._con = self._connect()
            if self._con is None:
                return None
        con = self._con
        covered = min(len(self.texts), rows)
        con.execute("BEGIN")
        try:  # (one read transaction: a chunk written meanwhile is seen whole or not at all)
            stored = {c: (n, d) for c, n, d in con.execute("SELECT chunk, rows, texts FROM gram_chunks")}
            usable, scan, start = [], [], 0
            for number, (count, dig) in enumerate(self.chunks):
                if start >= covered:
                    break
                if stored.get(number) == (count, dig):
                    usable.append((number, start, count))
                else:  # built since for other texts: its rows are scanned
                    scan.extend(range(start, min(start + count, covered)))
                start += count
            found = [f for f in (self._value(v, usable, covered) for v in values) if f is not None]
        finally:
            con.execute("COMMIT")
        if not found:  # (only empty values: every row)
            flags = bytearray(b"\x01" * covered)
        elif len(found) == 1:
            flags = found[0]
        else:  # the And of the values, over the rows as bits of one int
            bits = _to_bits(found[0])
            for more in found[1:]:
                bits &= _to_bits(more)
            flags = bytearray(_to_flags(bits, covered))
        flags.extend(bytes(rows - covered))
        for row in scan:
            flags[row] = 0
        return flags, scan

    def _value(self, value: str, usable: list[tuple[int, int, int]], covered: int) -> bytearray | None:
        """A flag per indexed row where `value` occurs; None for an empty value (every row)."""
        data = encode(value)
        if not data:
            return None
        if len(data) <= GRAM:
            return self._gram(data, usable, covered)
        # rows with its first and last 4-grams, then checked
        bits = _to_bits(self._gram(data[:GRAM], usable, covered)) & _to_bits(self._gram(data[-GRAM:], usable, covered))
        candidates = list(compress(range(covered), _to_flags(bits, covered)))
        hit = bytearray(covered)
        deque(map(hit.__setitem__, self.texts.containing(candidates, value), repeat(1)), 0)
        return hit

    def _gram(self, gram: bytes, usable: list[tuple[int, int, int]], covered: int) -> bytearray:
        flags = bytearray(covered)
        query = self._con.execute
        for number, start, count in usable:
            row = query(f"SELECT posting FROM {_table(number)} WHERE gram = ?", (key(gram),)).fetchone()
            if row is not None:
                end = min(start + count, covered)
                flags[start:end] = unpack(row[0], count)[: end - start]
        return flags


def _to_bits(flags: bytes | bytearray) -> int:
    return int(flags.translate(_TO_DIGITS), 2) if flags else 0


def _to_flags(bits: int, count: int) -> bytes:
    return format(bits, f"0{count}b").encode().translate(_TO_FLAGS) if count else b""


def _values(node: Any) -> list[str] | None:
    """The lower-cased values of a free-text term or an And of them; None for other queries."""
    if isinstance(node, And) and node.nodes and all(_free(n) for n in node.nodes):
        return [n.value.lower() for n in node.nodes]
    return [node.value.lower()] if _free(node) else None


def _free(node: Any) -> bool:
    return isinstance(node, Term) and node.field == ""
