"""A persistent index of list fields, so a folder opens again without parsing every file.

One SQLite file per folder in the platform cache folder, keyed by relative path and checked
against each file's size, mtime, ctime and inode. A file whose mtime is close to (or after)
the moment it was indexed may have changed again within the clock's resolution, or under
clock skew: its content hash is checked instead. An index that is corrupt, of another
version, or unreadable is deleted and rebuilt, never trusted.
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .article import Summary
from .files import Snapshot, digest

#: Bump when Summary, the parser or the table change meaning: old indexes are rebuilt.
SCHEMA_VERSION = 3
#: Files modified this close to the indexing moment are verified by content hash.
RACY_NS = 3_000_000_000

_COLUMNS = (
    "path", "mtime_ns", "size", "ctime_ns", "ino", "digest", "indexed_ns",
    "title", "excerpt", "provider_name", "provider_domain", "provider_logo", "date", "topics", "image",
    "quality", "heat", "published", "category", "type", "related", "warnings",
)  # fmt: skip


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


@dataclass(frozen=True, slots=True)
class FileStat:
    mtime_ns: int
    size: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


def _to_row(summary: Summary, stat: FileStat, snapshot: Snapshot, indexed_ns: int) -> tuple:
    s = summary
    return (
        s.path, stat.mtime_ns, stat.size, stat.ctime_ns, stat.ino, snapshot.digest, indexed_ns,
        s.title, s.excerpt, s.provider_name, s.provider_domain, s.provider_logo,
        s.date.timestamp() if s.date else None, json.dumps(s.topics, ensure_ascii=False), s.image,
        s.quality, s.heat, int(s.published), s.category, s.type, s.related,
        json.dumps(s.warnings, ensure_ascii=False) if s.warnings else None,
    )  # fmt: skip


_UTC = dt.UTC
_from_ts = dt.datetime.fromtimestamp


def _to_summary(row: tuple) -> Summary:
    (path, _, _, _, _, _, _, title, excerpt, pname, pdomain, plogo, date, topics, image, quality, heat, published,
     category, kind, related, warnings) = row  # fmt: skip
    return Summary(
        path, title, excerpt, pname, pdomain, plogo,
        _from_ts(date, _UTC) if date is not None else None,
        tuple(json.loads(topics)), image, quality, heat, bool(published), category, kind, related,
        tuple(tuple(w) for w in json.loads(warnings)) if warnings else (),
    )  # fmt: skip


@dataclass(slots=True)
class Known:
    stat: FileStat
    digest: str
    indexed_ns: int
    row: tuple


class Index:
    """The index of one folder. Each call opens its own connection, so any thread may call."""

    def __init__(self, root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None):
        self.root = Path(root).resolve()
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        key = hashlib.sha1(str(self.root).encode("utf-8")).hexdigest()[:20]
        self.path = folder / "index" / f"{key}.sqlite3"
        self.rebuilt = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    def _fresh(self) -> sqlite3.Connection:
        """Delete whatever is there and start an empty index of this version."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.path) + suffix)
        self.rebuilt = True
        con = self._connect()
        columns = ", ".join(f"{c} {'TEXT PRIMARY KEY' if c == 'path' else ''}" for c in _COLUMNS)
        con.execute(f"CREATE TABLE files ({columns}) WITHOUT ROWID")
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO meta VALUES ('root', ?)", (str(self.root),))
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        con.commit()
        return con

    def _open(self) -> sqlite3.Connection:
        try:
            con = self._connect()
            version = con.execute("PRAGMA user_version").fetchone()[0]
            root = con.execute("SELECT value FROM meta WHERE key='root'").fetchone()
            if version == SCHEMA_VERSION and root and root[0] == str(self.root):
                return con
            con.close()
        except sqlite3.DatabaseError:
            pass  # corrupt, truncated, not a database: rebuild
        return self._fresh()

    def known(self) -> dict[str, Known]:
        """Everything the index holds, by path; an unreadable index is rebuilt empty."""
        try:
            con = self._open()
            try:
                rows = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM files").fetchall()
            finally:
                con.close()
        except sqlite3.DatabaseError:
            self._fresh().close()
            return {}
        return {r[0]: Known(FileStat(r[1], r[2], r[3], r[4]), r[5], r[6], r) for r in rows}

    def store(self, items: Iterable[tuple[Summary, FileStat, Snapshot]], removed: Iterable[str] = ()) -> None:
        now = time.time_ns()
        rows = [_to_row(s, st, snap, now) for s, st, snap in items]
        removed = [(p,) for p in removed]
        if not rows and not removed:
            return
        placeholders = ", ".join("?" * len(_COLUMNS))
        try:
            con = self._open()
            with con:
                con.executemany(f"INSERT OR REPLACE INTO files VALUES ({placeholders})", rows)
                con.executemany("DELETE FROM files WHERE path = ?", removed)
            con.close()
        except sqlite3.DatabaseError:
            self._fresh().close()  # next open parses everything again


def reusable(known: Known, stat: FileStat, root: str, path: str, now_ns: int) -> Snapshot | None:
    """The snapshot of an indexed file if its list fields can be reused, else None."""
    if known.stat != stat:
        return None
    racy = stat.mtime_ns >= known.indexed_ns - RACY_NS or stat.mtime_ns > now_ns
    if racy:
        try:
            with open(os.path.join(root, path), "rb") as f:
                if digest(f.read()) != known.digest:
                    return None
        except OSError:
            return None
    return Snapshot(stat.mtime_ns, stat.size, known.digest)


def summary_of(known: Known) -> Summary:
    return _to_summary(known.row)
