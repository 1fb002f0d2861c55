"""A persistent index of list fields, so a folder opens again without parsing every file.

One SQLite file per folder in the platform cache folder, keyed by relative path and checked
against each file's size, mtime, ctime and inode. A file whose mtime is close to (or after)
the moment it was indexed may have changed again within the clock's resolution, or under
clock skew: its content hash is checked instead. An index that is corrupt, of another
version, or unreadable is deleted and rebuilt, never trusted.

Each file has one text record (its stat, digest and list fields) and, as typed columns,
what a list needs at once: path, stat, digest, search text, date, quality, heat, published.
A warm open shows the list from those columns (SQLite converts them, no Python per file)
and decodes the records after, so 100,000 articles are on screen in under a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from curator.core.document.snapshots import Snapshot, Snapshots, digest
from curator.core.folder.table import NO_DATE, Columns, haystack
from curator.core.folder.texts import Packed
from curator.core.gently import empty_gently
from curator.core.site import profiles
from curator.core.site.article import Summary, interned

#: Bump when Summary, the parser or the table change meaning: old indexes are rebuilt.
SCHEMA_VERSION = 12  # 11: the gram tables of grams.py; 12: Summary.url (originalUrl), for duplicate stories
#: Files modified this close to the indexing moment are verified by content hash.
RACY_NS = 3_000_000_000

_SEP = "\x1f"  # joins the fields of a record
_JSON = "\x1e"  # marks a record stored as JSON (a field holds the separator)


def default_cache_dir() -> Path:
    """The platform's per-user cache folder for Curator ($CURATOR_CACHE_DIR overrides it)."""
    if os.environ.get("CURATOR_CACHE_DIR"):
        return Path(os.environ["CURATOR_CACHE_DIR"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "curator"


class FileStat(NamedTuple):
    mtime_ns: int
    size: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


def _record(summary: Summary, stat: FileStat, snapshot: Snapshot, indexed_ns: int) -> str:
    """One text record per file: its stat, digest and list fields (the search text, which a
    list needs at once, has a column of its own: see Index.iter_rows)."""
    s = summary
    fields = [
        s.path, str(stat.mtime_ns), str(stat.size), str(stat.ctime_ns), str(stat.ino), snapshot.digest,
        str(indexed_ns), "", s.title, s.excerpt, s.provider_name, s.provider_domain, s.provider_logo,
        "" if s.date is None else repr(s.date.timestamp()), s.image,
        "" if s.quality is None else str(s.quality), "" if s.heat is None else str(s.heat),
        "1" if s.published else "", s.category, s.type, str(s.missing),
        json.dumps(s.warnings, ensure_ascii=False) if s.warnings else "", s.url,
        *s.topics,
    ]  # fmt: skip
    if any(_SEP in f or _JSON in f for f in fields) or any(not t for t in s.topics):
        return _JSON + json.dumps(fields, ensure_ascii=False)
    return _SEP.join(fields)


_UTC = dt.UTC
_from_ts = dt.datetime.fromtimestamp


_new = tuple.__new__  # builds NamedTuples without a Python-level __new__ call per record
_float = float


def _fields(record: str, path: str | None) -> list:
    """A record's fields; with `path` (the caller's string of the record's path) that one
    object is kept, not a copy from the record (100,000 paths are ~8 MB)."""
    fields = json.loads(record[1:]) if record[0] == _JSON else record.split(_SEP)
    if path is not None:
        fields[0] = path
    return fields


def decode_summary(record: str, path: str | None = None) -> Summary:
    return _summary(_fields(record, path))


def _summary(fields: list[str]) -> Summary:
    (path, _mtime, _size, _ctime, _ino, _dig, _indexed, _hay, title, excerpt, pname, pdomain, plogo, date, image,
     quality, heat, published, category, kind, missing, warnings, url, *topics) = fields  # fmt: skip
    return interned(
        path, title, excerpt, pname, pdomain, plogo, _from_ts(_float(date), _UTC) if date else None, topics,
        image, int(quality) if quality else None, int(heat) if heat else None, published == "1", category, kind,
        tuple(tuple(w) for w in json.loads(warnings)) if warnings else (), int(missing), url,
    )  # fmt: skip


class Known(NamedTuple):
    """An indexed file as the check against the disk needs it (see reusable())."""

    path: str
    stat: tuple[int, int, int, int]
    indexed_ns: int
    snapshot: Snapshot
    summary: Summary

    @property
    def digest(self) -> str:
        return self.snapshot.digest


def decode_known(record: str, path: str | None = None) -> Known:
    """The record as the check against the disk needs it (`path`: see _fields)."""
    fields = _fields(record, path)
    path, mtime, size, ctime, ino, dig, indexed = fields[:7]
    stat = (int(mtime), int(size), int(ctime), int(ino))
    snapshot = _new(Snapshot, (stat[0], stat[1], dig, stat[2], stat[3]))
    return _new(Known, (path, stat, int(indexed), snapshot, _summary(fields)))


#: the columns Index.iter_rows reads, in order
#: (the search text as its UTF-8 bytes: packed for the table in the loading thread, see read_ahead)
ROW = "path, mtime_ns, size, digest, ctime_ns, ino, CAST(hay AS BLOB), date, quality, heat, published, warned"


def read_ahead(
    rows: list[tuple], fetch: Callable[[Sequence[str]], dict[str, Summary]]
) -> tuple[list[Summary | None], Columns, Snapshots]:
    """What a list needs of each row of the index (ROW): no record is read or decoded.

    SQLite hands the columns over typed, so this is a transposition. The summaries come
    later (None until then; see table.Summaries), but those of files with warnings are
    fetched now, so their warnings can be listed at once.
    """
    columns = map(list, zip(*rows, strict=True))
    paths, mtimes, sizes, digests, ctimes, inodes, hay, dates, quality, heat, published, warned = columns
    snapshots = Snapshots.of_columns(mtimes, sizes, digests, ctimes, inodes)
    items: list[Summary | None] = [None] * len(paths)
    if any(warned):
        found = fetch([p for p, w in zip(paths, warned, strict=True) if w])
        items = [found.get(p) for p in paths]
    published = bytearray(map((1).__eq__, published))
    dates = array("d", [NO_DATE if d is None else d for d in dates])
    return items, Columns(paths, Packed.of(hay), published, quality, heat, dates, fetch), snapshots


class _Unavailable(Exception):
    """The index cannot be used now (see Index.error)."""


class Index:
    """The index of one folder. Each call opens its own connection, so any thread may call.

    It is a cache: when it cannot be used (a cache folder that is not writable, a full disk,
    a folder where the file should be), every call works as if it were empty, `error` says
    why, and nothing is deleted. Only an index that is corrupt or of another version is
    thrown away and rebuilt.
    """

    def __init__(self, root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None):
        self.root = Path(root).resolve()
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        # one index per folder and profile: a summary read as Hugo is not one read as Jekyll
        self.profile = profiles.for_root(self.root).fingerprint()
        key = hashlib.sha1(f"{self.root}\0{self.profile}".encode()).hexdigest()[:20]
        self.path = folder / "index" / f"{key}.sqlite3"
        self.rebuilt = False
        self.error: str | None = None  # why the index is not used, once it is not

    def _unusable(self, exc: BaseException) -> _Unavailable:
        if self.error is None:
            detail = getattr(exc, "strerror", None) or str(exc)
            self.error = f"the index at {self.path} cannot be used ({detail}); working without it"
        return _Unavailable()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.OperationalError) as exc:
            raise self._unusable(exc) from None
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.OperationalError as exc:  # read-only, locked, full: not corrupt
            con.close()
            raise self._unusable(exc) from None
        except sqlite3.DatabaseError:
            con.close()
            raise  # not a database: the caller rebuilds it
        return con

    def _fresh(self) -> sqlite3.Connection:
        """Delete whatever is there and start an empty index of this version."""
        if self.error is not None:
            raise _Unavailable()
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(str(self.path) + suffix)
        except OSError as exc:  # a folder in its place, a folder we may not write
            raise self._unusable(exc) from None
        self.rebuilt = True
        con = self._connect()
        try:
            con.execute(
                "CREATE TABLE files (path TEXT PRIMARY KEY, mtime_ns INT, size INT, digest TEXT, ctime_ns INT,"
                " ino INT, hay TEXT, date REAL, quality INT, heat INT, published INT, warned INT, record TEXT)"
                " WITHOUT ROWID"
            )
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            con.execute("INSERT INTO meta VALUES ('root', ?)", (str(self.root),))
            con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            con.commit()
        except sqlite3.Error as exc:
            con.close()
            raise self._unusable(exc) from None
        return con

    def _open(self) -> sqlite3.Connection:
        """A connection to a usable index of this version; raises _Unavailable."""
        if self.error is not None:
            raise _Unavailable()
        try:
            con = self._connect()
        except sqlite3.DatabaseError:
            return self._fresh()
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            root = con.execute("SELECT value FROM meta WHERE key='root'").fetchone()
            if version == SCHEMA_VERSION and root and root[0] == str(self.root):
                return con
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                con.close()
                raise self._unusable(exc) from None
        except sqlite3.DatabaseError:
            pass  # corrupt, truncated, not a database: rebuild
        con.close()
        return self._fresh()

    def _failed(self, exc: sqlite3.Error) -> None:
        """A query failed: a corrupt index is rebuilt, anything else only stops its use."""
        if isinstance(exc, sqlite3.OperationalError):
            self._unusable(exc)
        else:
            self.rebuild()

    def _select(self, columns: str, batch: int, first: int | None) -> Iterator[list[tuple]]:
        """Rows of every file in batches (the first one `first` long, if given), read as they
        are needed: no second copy of the whole index."""
        try:
            con = self._open()
        except _Unavailable:
            return
        try:
            cursor = con.execute(f"SELECT {columns} FROM files")
            size = first or batch
            while rows := cursor.fetchmany(size):
                yield rows
                size = batch
        except sqlite3.Error as exc:
            self._failed(exc)
        finally:
            con.close()

    def iter_records(self, batch: int, first: int | None = None) -> Iterator[list[str]]:
        """The records in batches."""
        for rows in self._select("record", batch, first):
            yield [r[0] for r in rows]

    def iter_rows(self, batch: int, first: int | None = None) -> Iterator[list[tuple]]:
        """Rows of the ROW columns in batches."""
        return self._select(ROW, batch, first)

    def iter_path_records(self, batch: int, first: int | None = None) -> Iterator[list[tuple[str, str]]]:
        """(path, record) in the order of iter_rows() (both walk the primary key), in batches."""
        return self._select("path, record", batch, first)

    def summaries(self, paths: Sequence[str]) -> dict[str, Summary]:
        """The summaries of `paths`, read from the index in one query (rows shown before their
        summaries arrived); a bare Summary for a path that is not there."""
        found: dict[str, Summary] = {}
        mine = {p: p for p in paths}  # the summaries keep the caller's path strings
        try:
            con = self._open()
            try:
                marks = ",".join("?" * len(paths))
                for path, record in con.execute(f"SELECT path, record FROM files WHERE path IN ({marks})", paths):
                    found[path] = decode_summary(record, mine.get(path))
            finally:
                con.close()
        except (_Unavailable, sqlite3.Error, ValueError, TypeError):
            pass
        return {p: found.get(p) or Summary(p) for p in paths}

    def known(self) -> list[Known]:
        """Every record of the index, decoded; a record that does not decode means a rebuild."""
        try:
            return [decode_known(record) for batch in self.iter_records(10_000) for record in batch]
        except (ValueError, TypeError):
            self.rebuild()
            return []

    # -- the gram index of the search text (grams.py): tables of its own in this file --

    def gram_connection(self) -> sqlite3.Connection | None:
        """A connection to build the gram index with (a background thread); None when the index
        cannot be used (a corrupt one is rebuilt first)."""
        try:
            return self._open()
        except _Unavailable:
            return None

    def gram_reader(self) -> sqlite3.Connection | None:
        """A read-only connection for gram lookups (the GUI thread: never rebuilds, never
        writes); None when the file cannot be read."""
        if self.error is not None:
            return None
        try:
            con = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=1, isolation_level=None)
            if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                con.close()
                return None
            return con
        except sqlite3.Error:
            return None

    def gram_failed(self, exc: sqlite3.Error) -> None:
        """Building the gram index failed: a corrupt file is rebuilt, as any query's failure."""
        self._failed(exc)

    def rebuild(self) -> None:
        """Throw the index away: the next open parses every file."""
        with contextlib.suppress(_Unavailable):
            self._fresh().close()

    def store(self, items: Iterable[tuple[Summary, FileStat, Snapshot]], removed: Iterable[str] = ()) -> bool:
        """Record articles as read (and forget removed ones); returns whether the index holds
        them now. Never raises: a failure only means the next open reads those files again."""
        now = time.time_ns()
        rows = [
            (
                s.path, st.mtime_ns, st.size, snap.digest, st.ctime_ns, st.ino, haystack(s),
                s.date.timestamp() if s.date else None,
                s.quality, s.heat, int(s.published), int(bool(s.warnings)), _record(s, st, snap, now),
            )
            for s, st, snap in items
        ]  # fmt: skip
        removed = [(p,) for p in removed]
        if not rows and not removed:
            return True
        stored = False
        try:
            con = self._open()
        except _Unavailable:
            return False
        try:
            with con:
                con.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                con.executemany("DELETE FROM files WHERE path = ?", removed)
            stored = True
        except sqlite3.Error as exc:  # a full disk keeps the index as it was: it is checked on open
            self._failed(exc)
        except (OverflowError, ValueError) as exc:
            self._unusable(exc)
        finally:
            con.close()
        # freed a piece at a time: 100,000 rows with their records freed at once, as this
        # returned, held the GIL 37-65 ms at the end of a cold open
        empty_gently([rows], piece=512)
        return stored


def reusable(record: Known, stat: FileStat, root: str, now_ns: int) -> bool:
    """True when an indexed file's list fields still hold for the file as it is now."""
    if record.stat != stat:
        return False
    if stat.mtime_ns >= record.indexed_ns - RACY_NS or stat.mtime_ns > now_ns:
        try:  # changed within the clock's resolution, or a clock that ran backwards: compare content
            with open(os.path.join(root, record.path), "rb") as f:
                return digest(f.read()) == record.digest
        except OSError:
            return False
    return True
