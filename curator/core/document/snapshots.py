"""What a file was when it was read: its bytes, and a snapshot (times, size, inode, digest)
to notice any later change; Snapshots keeps a folder's of them packed in columns.

Reading opens only regular files and never blocks (a FIFO named like an article is refused).
"""

from __future__ import annotations

import hashlib
import os
import stat
from array import array
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import NamedTuple

from curator.core.document.formats.base import FrontMatterError
from curator.core.document.frontmatter import DEFAULT_MAX_BYTES


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Snapshot(NamedTuple):
    """What a file was when it was loaded: enough to notice any later change.

    Size and mtime alone miss a change whose mtime was put back (`cp -p`, `rsync -t`, sync
    clients): ctime (which no program can set) and the inode come with the same stat.
    """

    mtime_ns: int
    size: int
    digest: str
    ctime_ns: int = 0
    ino: int = 0

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Snapshot:
        return cls(st.st_mtime_ns, st.st_size, digest(data), st.st_ctime_ns, st.st_ino)

    @property
    def stat(self) -> tuple[int, int, int, int]:
        """(mtime, size, ctime, inode): equal to a FileStat of the unchanged file."""
        return (self.mtime_ns, self.size, self.ctime_ns, self.ino)


_DIGEST = 16  # bytes of a digest() (32 hex digits)


class Snapshots:
    """The Snapshot of every row of a folder, kept in columns.

    Four arrays of 8-byte integers and the digests' bytes in one bytearray: ~50 bytes a row,
    where a Snapshot tuple with its int and str objects took ~300 (30 MB at 100,000 rows).
    Reading a row builds its Snapshot; a row whose values do not pack (a digest that is not
    32 hex digits, an integer out of range) is kept as its Snapshot aside.
    """

    __slots__ = ("_ctime", "_digests", "_ino", "_mtime", "_odd", "_size")

    def __init__(self, snapshots: Iterable[Snapshot] = ()):
        self.clear()
        self.extend(snapshots)

    @classmethod
    def of_columns(
        cls, mtimes: list[int], sizes: list[int], digests: list[str], ctimes: list[int], inodes: list[int]
    ) -> Snapshots:
        """From columns (as the index hands them over), with no Snapshot object per row."""
        new = cls()
        if not new._extend_columns(mtimes, sizes, digests, ctimes, inodes):  # one row that does not pack
            for snapshot in map(Snapshot, mtimes, sizes, digests, ctimes, inodes):
                new.append(snapshot)
        return new

    def _extend_columns(
        self, mtimes: list[int], sizes: list[int], digests: list[str], ctimes: list[int], inodes: list[int]
    ) -> bool:
        """Append rows given as columns, packed in C; False (nothing appended) when a value does
        not pack (a digest that is not 32 lower-case hex digits, an integer out of range)."""
        try:
            columns = [array("q", mtimes), array("q", sizes), array("q", ctimes), array("Q", inodes)]
            hexes = "".join(digests)
            packed = bytes.fromhex(hexes)
            if packed.hex() != hexes or set(map(len, digests)) - {2 * _DIGEST}:
                return False
        except (ValueError, TypeError, OverflowError):
            return False
        for column, values in zip((self._mtime, self._size, self._ctime, self._ino), columns, strict=True):
            column.extend(values)
        self._digests += packed
        return True

    def __len__(self) -> int:
        return len(self._mtime)

    def __getitem__(self, row: int) -> Snapshot:
        if row < 0:
            row += len(self)
        if self._odd and row in self._odd:
            return self._odd[row]
        at = row * _DIGEST
        digest = self._digests[at : at + _DIGEST].hex()
        return Snapshot(self._mtime[row], self._size[row], digest, self._ctime[row], self._ino[row])

    def __iter__(self) -> Iterator[Snapshot]:
        for row in range(len(self)):
            yield self[row]

    def __setitem__(self, row: int, snapshot: Snapshot) -> None:
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        self._odd.pop(row, None)
        try:
            packed = self._packed(snapshot)
        except (ValueError, TypeError, OverflowError, AttributeError):  # (None too: a test's row)
            self._odd[row] = snapshot
            return
        self._mtime[row], self._size[row], self._ctime[row], self._ino[row] = packed[:4]
        self._digests[row * _DIGEST : (row + 1) * _DIGEST] = packed[4]

    def append(self, snapshot: Snapshot) -> None:
        for column in (self._mtime, self._size, self._ctime, self._ino):
            column.append(0)
        self._digests += bytes(_DIGEST)
        self[len(self) - 1] = snapshot

    def extend(self, snapshots: Iterable[Snapshot]) -> None:
        if isinstance(snapshots, Snapshots):
            start = len(self)
            for name in ("_mtime", "_size", "_ctime", "_ino", "_digests"):
                getattr(self, name).extend(getattr(snapshots, name))
            self._odd.update({start + r: s for r, s in snapshots._odd.items()})  # noqa: SLF001 - its own class
            return
        snapshots = list(snapshots)
        try:  # a batch at once, in C (one by one took 14 us a row: 1.4 s of a cold open's GUI thread at 100k)
            columns = [list(map(attrgetter(name), snapshots)) for name in Snapshot._fields]
        except AttributeError:  # (None: a test's row)
            columns = None
        if columns is None or not self._extend_columns(*columns):  # one that does not pack: row by row
            for snapshot in snapshots:
                self.append(snapshot)

    def take(self, rows: Iterable[int]) -> Snapshots:
        """A new Snapshots of these rows, in this order."""
        return Snapshots(map(self.__getitem__, rows))

    def digests(self) -> bytes:
        """Every row's digest packed, 16 bytes a row in row order (one copy, in C); a row whose
        Snapshot does not pack has zero bytes, which match no digest."""
        if not self._odd:
            return bytes(self._digests)
        packed = bytearray(self._digests)
        for row in self._odd:
            packed[row * _DIGEST : (row + 1) * _DIGEST] = bytes(_DIGEST)
        return bytes(packed)

    def copy(self) -> Snapshots:
        new = Snapshots()
        new.extend(self)
        return new

    def clear(self) -> None:
        self._mtime, self._size, self._ctime = array("q"), array("q"), array("q")
        self._ino = array("Q")
        self._digests = bytearray()
        self._odd: dict[int, Snapshot] = {}  # row -> a Snapshot that does not pack

    @staticmethod
    def _packed(s: Snapshot) -> tuple[int, int, int, int, bytes]:
        packed = bytes.fromhex(s.digest)
        if len(packed) != _DIGEST or packed.hex() != s.digest:
            raise ValueError("a digest that is not 32 lower-case hex digits")
        for value in (s.mtime_ns, s.size, s.ctime_ns):
            if not -(2**63) <= value < 2**63:
                raise OverflowError(value)
        if not 0 <= s.ino < 2**64:
            raise OverflowError(s.ino)
        return s.mtime_ns, s.size, s.ctime_ns, s.ino, packed


def stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_file_stat(
    path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, Snapshot, os.stat_result]:
    """The file's bytes, snapshot, and the stat of the very file that was read.

    Only a regular file is read, and opening never blocks: a FIFO named like an article
    would otherwise wait for a writer forever.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FrontMatterError("not a regular file (a FIFO, socket or device)")
        if st.st_size > max_bytes:
            raise FrontMatterError(f"file is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        # os.read, not open(): a file object stats the file twice more and builds a buffer
        # around it (48 us per small file against 15 us, most of a cold open's reading)
        chunks, total, want = [], 0, st.st_size + 1  # one byte more: a file that grew reads on
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FrontMatterError(f"file is over the {max_bytes:,}-byte limit")
            if total == st.st_size and len(chunk) < want:  # the end, as stat said: no read more to see it
                break
            want = 1 << 16
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
    return data, Snapshot.of(data, st), st


def read_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, Snapshot]:
    data, snapshot, _ = read_file_stat(path, max_bytes)
    return data, snapshot
