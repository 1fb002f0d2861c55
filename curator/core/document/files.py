"""Reading and writing article files safely.

Writes are atomic (a temp file in the same folder, fsync, rename) and keep the mode bits; a
file whose bytes changed since it was loaded is never overwritten unless the caller says so,
and then the edit is re-applied to the new text through the minimal-diff editor.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import enum
import hashlib
import os
import re
import stat
import tempfile
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from curator.core.document.editing import edit_document, merge_value, same, value_at
from curator.core.document.formats.base import EditError, FrontMatterError, NotAnArticle
from curator.core.document.frontmatter import DEFAULT_MAX_BYTES, load_document
from curator.core.document.values import DELETE


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
            want = 1 << 16
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
    return data, Snapshot.of(data, st), st


def read_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, Snapshot]:
    data, snapshot, _ = read_file_stat(path, max_bytes)
    return data, snapshot


def sync_dir(folder: str | os.PathLike[str]) -> None:
    """Make renames in `folder` durable (POSIX; Windows has no directory handles for this)."""
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class Status(enum.Enum):
    OK = "ok"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class SaveResult:
    path: str
    status: Status
    message: str = ""
    snapshot: Snapshot | None = None  # the file as it is on disk after the save
    data: bytes | None = None  # the new bytes, when written
    target: str = ""  # the real file written, where `path` is a symbolic link to it
    #: the bytes before, kept where a later undo may need them back (see prepare_save's `restore`)
    old: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Status.OK, Status.UNCHANGED)


def plan_edit(data: bytes, changes: Mapping[str, Any]) -> bytes | None:
    """New bytes for `changes`, None when nothing would change. Raises EditError."""
    try:
        doc = load_document(data)
    except (FrontMatterError, NotAnArticle) as exc:
        line = getattr(exc, "line", None)
        raise EditError(f"cannot edit: {exc}" + (f" (line {line})" if line else "")) from None
    return edit_document(doc, changes)


@dataclass(frozen=True, slots=True)
class ByteEdit:
    """A file's new bytes, written only over the very bytes they were made from: a file changed
    since is left alone (CONFLICT). Its reverse writes the old bytes back, on the same terms.
    `old` None: the file is made, never over one made meanwhile; `new` None: it is removed."""

    path: str
    old: bytes | None
    new: bytes | None

    def write(self) -> SaveResult:
        (result,) = write_edits([self])
        return result

    def reversed(self) -> ByteEdit:
        return ByteEdit(self.path, self.new, self.old)


def write_edits(edits: Sequence[ByteEdit]) -> list[SaveResult]:
    """Write each edit atomically (see commit_many; a file made or removed, one by one), then
    sync each folder once."""
    prepared: list[SaveResult | None] = []
    for edit in edits:
        try:
            data, snapshot = read_file(edit.path)
        except FileNotFoundError:
            data = snapshot = None
        except OSError as exc:
            prepared.append(SaveResult(edit.path, Status.ERROR, exc.strerror or str(exc)))
            continue
        if data != edit.old:
            why = "it is gone" if data is None else "it was made since" if edit.old is None else "it changed since"
            prepared.append(SaveResult(edit.path, Status.CONFLICT, f"{why}; it was left alone"))
        elif data is None or edit.new is None:
            prepared.append(None)  # made or removed below
        else:
            prepared.append(SaveResult(edit.path, Status.OK, "", snapshot, edit.new))
    written = iter(commit_many([p for p in prepared if p is not None]))  # no cancel: never None
    results = [
        (next(written) or p) if p is not None else _make_or_remove(edit)
        for p, edit in zip(prepared, edits, strict=True)
    ]
    for folder in {os.path.dirname(os.path.abspath(r.path)) for r in results if r.status is Status.OK}:
        sync_dir(folder)
    return results


def _make_or_remove(edit: ByteEdit) -> SaveResult:
    """Remove the file (its bytes were just compared), or make it: a temp file beside it,
    fsynced, then linked to its name, which fails if a file of that name was made meanwhile."""
    try:
        if edit.new is None:
            os.unlink(edit.path)
            return SaveResult(edit.path, Status.OK)
        folder, name = os.path.split(os.path.abspath(edit.path))
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
        try:
            view = memoryview(edit.new)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, edit.path)
        finally:
            os.unlink(tmp)
        return SaveResult(edit.path, Status.OK, "", None, edit.new)
    except FileExistsError:
        return SaveResult(edit.path, Status.CONFLICT, "it was made since; it was left alone")
    except OSError as exc:
        return SaveResult(edit.path, Status.ERROR, f"could not write: {exc.strerror or exc}")


def inside(root: str | os.PathLike[str], path: str) -> bool:
    root = os.fspath(root)
    try:
        return os.path.commonpath([root, path]) == root
    except ValueError:  # another drive
        return False


def real_target(path: str | os.PathLike[str], root: str | os.PathLike[str] | None) -> str:
    """The file a save of `path` writes: a symbolic link is written through to its target,
    which must lie inside `root` (the opened folder, as resolved when it was opened).

    Raises EditError for a target outside it: a link, or a folder swapped for a link to
    elsewhere after loading, never lets a save land outside the folder.
    """
    real = os.path.realpath(path)
    if root is not None and not inside(root, real):
        raise EditError(f"it leads outside the opened folder (to {real}): not saved")
    return real


def prepare_save(
    path: str | os.PathLike[str],
    changes: Mapping[str, Any],
    expected: Snapshot | None,
    overwrite: bool = False,
    root: str | os.PathLike[str] | None = None,
    base: Mapping[str, Any] | None = None,
    restore: Sequence[tuple[bytes, str]] = (),
) -> SaveResult:
    """Everything of a save but the write: read, check for conflicts, edit, verify.

    Returns a result with status OK and the new bytes in `data` when there is something to
    write (pass it to `commit_save`), or the final result otherwise. Pure enough to run in a
    worker process. With `root`, the file (or what a link leads to) must be inside it. With
    `overwrite` and `base` (the values the changes were made from), each change is merged
    into the file's current value (see editing.merge_value), not written over it.

    `restore` is what earlier saves of this session replaced ((bytes before, digest after), the
    latest last): when the file is still exactly what the latest wrote and the changes give back
    the values of earlier bytes, those bytes are written again, so an undone edit that removed a
    key puts it back where it stood, not where a new key would go. Removing a key is the one edit
    whose inverse cannot be placed from the values alone; the result then carries `old`, for the
    caller to keep.
    """
    name = os.fspath(path)
    try:
        target = real_target(name, root)
        data, snap = read_file(target)
    except FileNotFoundError:
        return SaveResult(name, Status.ERROR, "the file was deleted or moved")
    except EditError as exc:
        return SaveResult(name, Status.ERROR, str(exc))
    except (OSError, FrontMatterError) as exc:
        return SaveResult(name, Status.ERROR, getattr(exc, "strerror", None) or str(exc))
    target = "" if target == os.path.abspath(name) else target
    if expected is not None and snap.digest != expected.digest and not overwrite:
        return SaveResult(name, Status.CONFLICT, "the file changed on disk since it was loaded", snap, target=target)
    try:
        if overwrite and base is not None and snap.digest != getattr(expected, "digest", snap.digest):
            current = load_document(data).data
            changes = {k: merge_value(base.get(k, DELETE), v, value_at(current, k)) for k, v in changes.items()}
        new = plan_edit(data, changes)
        new = _restored(data, snap.digest, new, restore)
    except (EditError, FrontMatterError, NotAnArticle) as exc:
        return SaveResult(name, Status.ERROR, str(exc), snap, target=target)
    except Exception as exc:  # one file never stops the others
        return SaveResult(name, Status.ERROR, f"cannot edit: {exc.__class__.__name__}: {exc}", snap, target=target)
    if new is None or new == data:
        return SaveResult(name, Status.UNCHANGED, "", snap, target=target)
    keep = bool(restore) or any(v is DELETE for v in changes.values())
    return SaveResult(name, Status.OK, "", snap, new, target=target, old=data if keep else None)


def _restored(data: bytes, now: str, new: bytes | None, restore: Sequence[tuple[bytes, str]]) -> bytes | None:
    """Earlier bytes of the file (see prepare_save) that read as what `new` reads as, if any."""
    if new is None or not restore or restore[-1][1] != now:
        return new
    want, current = load_document(new).data, load_document(data).data
    nearest = None  # the latest earlier version that held a key `new` adds back
    for old, _ in reversed(restore):
        if old == data:
            break  # (the chain goes back past this version: nothing older is nearer)
        try:
            before = load_document(old).data
        except (FrontMatterError, NotAnArticle):
            continue
        if same(before, want):
            return old
        if nearest is None and any(k in before and k not in current for k in want):
            nearest = (old, before)
    return _edited_from(nearest, want) or new


def _edited_from(nearest: tuple[bytes, dict] | None, want: Mapping[str, Any]) -> bytes | None:
    """`nearest` (earlier bytes) edited to read as `want`, when only top-level values that are not
    mappings differ: an undo of a removal and of other edits saved between (quality changed, then
    heat removed, both undone) puts the key back where it stood and changes only the other lines."""
    if nearest is None:
        return None
    old, before = nearest
    keys = [k for k in {*before, *want} if not same(before.get(k, DELETE), want.get(k, DELETE))]
    if any(isinstance(before.get(k), Mapping) or isinstance(want.get(k), Mapping) for k in keys):
        return None
    try:
        edited = plan_edit(old, {k: want.get(k, DELETE) for k in keys}) if keys else old
        return edited if edited is not None and same(load_document(edited).data, want) else None
    except (EditError, FrontMatterError, NotAnArticle):
        return None


def commit_save(prepared: SaveResult, durable_rename: bool = True) -> SaveResult:
    """Write what prepare_save planned, unless the file changed since it was read.

    With `durable_rename` false the caller promises to `sync_dir()` the folder itself (a batch
    does that once per folder instead of once per file).
    """
    (result,) = commit_many([prepared])  # no cancel: never None
    if durable_rename and result.status is Status.OK:
        sync_dir(os.path.dirname(os.path.abspath(prepared.target or result.path)))
    return result


#: Files whose fsyncs run at once in commit_many; the file system commits them as a group.
SYNC_THREADS = 16
#: Temp files are named `.NAME.PID.RANDOM.curator-tmp`, beside the file they replace.
TEMP_SUFFIX = ".curator-tmp"
_TEMP_NAME = re.compile(r"\..+\.(\d+)\.[^.]+" + re.escape(TEMP_SUFFIX) + r"\Z")
#: A temp file whose writer cannot be told alive is stale after this long.
STALE_TEMP_SECONDS = 3600

_writes_lock = threading.Lock()
_writes_running = 0  # commit_many calls running in this process


class _Refused(Exception):
    """Writing this file by replacing it would lose something that cannot be kept."""


@dataclass(slots=True)
class _Pending:
    prepared: SaveResult
    tmp: str = ""
    fd: int = -1
    result: SaveResult | None = None

    @property
    def target(self) -> str:
        return self.prepared.target or self.prepared.path


def _check_replaceable(st: os.stat_result) -> None:
    """Refuse what a rename cannot keep (other hard links, another owner) or must not replace (a read-only file)."""
    if not st.st_mode & stat.S_IWUSR:
        raise _Refused("the file is read-only (its owner may not write it): not saved; make it writable to save it")
    if st.st_nlink > 1:
        raise _Refused(f"the file has {st.st_nlink} hard links, which saving (a replace) would split: not saved")
    if hasattr(os, "geteuid") and os.geteuid() != 0 and st.st_uid != os.geteuid():
        raise _Refused(
            f"the file belongs to another user (uid {st.st_uid}), and saving replaces it, which would make it "
            "yours: not saved"
        )


def _keep_attributes(fd: int, tmp_path: str, source: str, st: os.stat_result) -> None:
    """Give the temp file the file's group, owner (as root), mode, ACL and extended attributes."""
    if hasattr(os, "fchown"):
        tmp = os.fstat(fd)
        if (tmp.st_uid, tmp.st_gid) != (st.st_uid, st.st_gid):
            try:
                os.fchown(fd, st.st_uid if os.geteuid() == 0 else -1, st.st_gid)
            except OSError as exc:
                raise _Refused(f"its group (gid {st.st_gid}) cannot be kept ({exc.strerror}): not saved") from None
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits
    else:
        os.chmod(tmp_path, stat.S_IMODE(st.st_mode))
    if hasattr(os, "listxattr"):  # ACLs are the system.posix_acl_* attributes
        try:
            names = os.listxattr(source)
        except OSError:
            names = []
        for name in names:
            value = os.getxattr(source, name)
            try:
                if os.getxattr(fd, name) == value:
                    continue  # set by the system already (an SELinux label)
            except OSError:
                pass
            try:
                os.setxattr(fd, name, value)
            except OSError as exc:
                raise _Refused(f"its attribute {name} cannot be kept ({exc.strerror}): not saved") from None


def commit_many(prepared: Sequence[SaveResult], cancelled: Callable[[], bool] | None = None) -> list[SaveResult | None]:
    """Write what prepare_save planned for many files, so that a reader sees each file old or
    new, never half, and a file changed since it was read is never overwritten.

    Every temp file (in the file's folder, with the file's group, mode, ACL and extended
    attributes) is written first, then all of them are fsynced at once from threads (the
    file system commits concurrent fsyncs together: 2,000 files took 0.19 s here instead
    of 1.1 s one after another), then each is renamed over its file after one more look at
    its stat (mtime, size, ctime and inode). Each file is fsynced before its rename, so
    after a crash it is old or new. A file that replacing would change in a way that cannot
    be kept (other hard links, another owner) is refused. The caller syncs the folders. A
    cancel stops before the next rename: the files not yet renamed stay as they were and
    their results are None.
    """
    global _writes_running
    with _writes_lock:
        _writes_running += 1
    items = [_Pending(p) for p in prepared]
    try:
        for item in items:
            p = item.prepared
            if p.status is not Status.OK or p.data is None or p.snapshot is None:
                item.result = p
                continue
            try:
                item.result = _write_temp(item)
            except _Refused as exc:
                item.result = SaveResult(p.path, Status.ERROR, str(exc), p.snapshot)
            except OSError as exc:
                item.result = SaveResult(p.path, Status.ERROR, f"could not write: {exc.strerror or exc}", p.snapshot)
        writing = [item for item in items if item.result is None]
        with cf.ThreadPoolExecutor(min(SYNC_THREADS, max(1, len(writing)))) as pool:
            failures = list(pool.map(_fsync, [item.fd for item in writing]))
        for item, failure in zip(writing, failures, strict=True):
            p = item.prepared
            if failure is not None:
                item.result = SaveResult(p.path, Status.ERROR, f"could not write: {failure}", p.snapshot)
                continue
            if cancelled is not None and cancelled():
                break
            try:
                os.close(item.fd)
                item.fd = -1
                if _moved(item) or stat_key(os.stat(item.target)) != p.snapshot.stat:
                    item.result = SaveResult(p.path, Status.CONFLICT, "the file changed on disk while saving", None)
                    continue
                os.replace(item.tmp, item.target)
                item.tmp = ""
                snapshot = Snapshot.of(p.data, os.stat(item.target))
                item.result = SaveResult(p.path, Status.OK, "", snapshot, p.data, p.target, p.old)
            except OSError as exc:
                item.result = SaveResult(p.path, Status.ERROR, f"could not write: {exc.strerror or exc}", p.snapshot)
    finally:
        for item in items:  # temp files that were not renamed
            if item.fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(item.fd)
            if item.tmp:
                with contextlib.suppress(OSError):
                    os.unlink(item.tmp)
        with _writes_lock:
            _writes_running -= 1
    return [item.result for item in items]


def _moved(item: _Pending) -> bool:
    """True when the path no longer leads to the file that was read (a link or folder changed)."""
    return os.path.realpath(item.prepared.path) != os.path.abspath(item.target)


def _write_temp(item: _Pending) -> SaveResult | None:
    """The new bytes in a temp file beside the target, with its attributes; None, or a
    CONFLICT result when the file is no longer the one that was read."""
    p = item.prepared
    target = item.target
    st = os.stat(target)
    if stat_key(st) != p.snapshot.stat:  # (where the path leads is checked just before the rename)
        return SaveResult(p.path, Status.CONFLICT, "the file changed on disk while saving", None)
    _check_replaceable(st)
    folder, name = os.path.split(target)
    item.fd, item.tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.{os.getpid()}.", suffix=TEMP_SUFFIX)
    view = memoryview(p.data)
    while view:
        view = view[os.write(item.fd, view) :]
    _keep_attributes(item.fd, item.tmp, target, st)
    return None


def _fsync(fd: int) -> str | None:
    try:
        os.fsync(fd)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _pid_alive(pid: int) -> bool | None:
    """Whether a process runs with this id; None where that cannot be asked safely (Windows)."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def remove_stale_temps(paths: Sequence[str], now: float | None = None) -> list[str]:
    """Delete temp files that interrupted saves left (only Curator's own names); returns them.

    A temp file is stale when the process that wrote it is gone, or is this one with no save
    running, or (where that cannot be told) it is over an hour old.
    """
    removed = []
    now = time.time() if now is None else now
    for path in paths:
        m = _TEMP_NAME.match(os.path.basename(path))
        if not m:
            continue
        pid = int(m.group(1))
        with _writes_lock:
            ours_idle = pid == os.getpid() and _writes_running == 0
        alive = None if pid == os.getpid() else _pid_alive(pid)
        try:
            old = now - os.lstat(path).st_mtime > STALE_TEMP_SECONDS
            if ours_idle or alive is False or (alive is None and pid != os.getpid() and old):
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue
    return removed


def save_changes(
    path: str | os.PathLike[str],
    changes: Mapping[str, Any],
    expected: Snapshot | None,
    overwrite: bool = False,
    durable_rename: bool = True,
    root: str | os.PathLike[str] | None = None,
) -> SaveResult:
    """Apply `changes` to the file on disk. Never raises for a per-file problem.

    With `expected` set, a file whose content no longer matches it is a CONFLICT, unless
    `overwrite` is true: then the changes are applied to the file's current text.
    """
    return commit_save(prepare_save(path, changes, expected, overwrite, root), durable_rename)
