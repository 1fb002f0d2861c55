"""Finding the article files of a folder: what the site's profile counts as content, each file
once, never following a link out of the folder; and the Problem of a file that is not a usable
article (which the loading in library.py reports too)."""

from __future__ import annotations

import dataclasses
import enum
import itertools
import operator
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curator.core import words
from curator.core.document.writes import TEMP_SUFFIX
from curator.core.folder.index import FileStat
from curator.core.gently import SplitDict, wait_turn
from curator.core.site import profiles

EXTENSIONS = (".md", ".markdown", ".txt")
SKIP_DIRS = frozenset({"_site", "node_modules", "__pycache__", "vendor"})


class Severity(enum.StrEnum):
    ERROR = "error"  # the file could not be read: not listed
    WARNING = "warning"  # listed, with a value of the wrong type
    SKIPPED = "skipped"  # not an article (no front matter)
    EXCLUDED = "excluded"  # not content by the site's profile (`_data/`, a Hugo `_index.md`): not read


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that is not a usable article, or an article with questionable values."""

    path: str
    message: str
    line: int | None = None
    severity: Severity = Severity.ERROR
    stat: FileStat | None = field(default=None, compare=False)  # of an unreadable file, when known

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def listed(profile: profiles.Profile, rel: str) -> bool:
    """Whether a scan of the root lists the file `rel` ('/'-separated, from the root): not in a
    hidden, build or dependency folder, nor in one the profile skips, and content by the profile."""
    parts = rel.split("/")
    if any(p.startswith(".") or not p for p in parts) or any(p in SKIP_DIRS for p in parts[:-1]):
        return False
    folder = ""
    for part in parts[:-1]:
        folder += part + "/"
        if profile.skips_folder(folder):
            return False
    return profile.is_content(rel)


#: rows FileStats.for_rows maps in one C loop (a few ms each) before the GIL may change hands
PIECE = 1 << 15


class FileStats:
    """Path -> FileStat (or None) of the files a scan found, the stats kept in columns.

    A dict of FileStat tuples costs ~200 bytes a file in small objects (the tuple and its four
    ints): a warm open at 100,000 files holds them while it builds the list's summaries, and
    freeing them after left ~20 MB of emptied pools the process kept. Here the numbers go in
    arrays; `canonical` (path -> the same path) gives the path strings to keep as keys (the
    list's own, so the scan's copies are freed as soon as they are looked up). `when` is
    (count, call): `call()` once the scan has found that many files.
    """

    __slots__ = ("_canonical", "_columns", "_when", "rows")

    def __init__(
        self,
        canonical: Mapping[str, str] | SplitDict | None = None,
        when: tuple[int, Callable[[], object]] | None = None,
    ):
        self.rows = SplitDict()  # path -> its place in the columns (-1: no stat)
        self._columns = (array("q"), array("q"), array("q"), array("q"))  # FileStat's fields
        self._canonical = canonical
        self._when = when

    def append(self, item: tuple[str, FileStat | None]) -> None:
        """Add a (path, stat) pair, as a scan's list of them is appended to."""
        rel, stat = item
        if self._canonical is not None:
            rel = self._canonical.get(rel, rel)
        if self._when is not None and len(self.rows) + 1 >= self._when[0]:
            when, self._when = self._when, None
            when[1]()
        if stat is None:
            self.rows[rel] = -1
            return
        self.rows[rel] = len(self._columns[0])
        for column, value in zip(self._columns, stat, strict=True):
            column.append(value)

    def get(self, rel: str) -> FileStat | None:
        row = self.rows.get(rel, -1)
        return None if row < 0 else FileStat._make([column[row] for column in self._columns])

    def __contains__(self, rel: object) -> bool:
        return rel in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def for_rows(self, paths: Iterable[str]) -> RowStats:
        """The stats of `paths` in that order (None for a path not found or with no stat): the
        place of each in the columns, which it shares (no copy: at a million rows a copy of the
        four columns, made while the scan's dict and the list's dict of paths were alive, was
        the warm open's peak of memory). Free `rows` after (see forget_paths).

        In pieces of PIECE rows: each is one C loop that holds the GIL, and the GUI thread gets
        it back between them (in one piece each, a million rows held it for 0.8-2.1 s)."""
        at, source, get = array("q"), iter(paths), self.rows.get
        while piece := list(itertools.islice(source, PIECE)):
            at.extend(map(get, piece, itertools.repeat(-1)))  # (-1: none)
        return RowStats(at, self._columns if self._columns[0] else ())

    def forget_paths(self) -> SplitDict:
        """Let go of the path -> place dict (and the canonical paths) once for_rows has mapped
        what it needs: returned, for the caller to empty gently (see gently.empty_gently)."""
        rows, self.rows, self._canonical = self.rows, SplitDict(), None
        return rows


class RowStats:
    """The stats of a list's rows in its order (see FileStats.for_rows): the check of an index
    against the disk holds these, not the scan's dict of every path."""

    __slots__ = ("_at", "_columns")

    def __init__(self, at: array, columns: tuple[array, ...]):
        self._at, self._columns = at, columns

    def get(self, row: int) -> FileStat | None:
        place = self._at[row]
        if place < 0 or not self._columns:  # (not found, no stat, or a scan of names only)
            return None
        return FileStat._make([column[place] for column in self._columns])


def scan_stats(
    root: str | os.PathLike[str],
    extensions: Iterable[str] | None = None,
    stats: bool = True,
    ordered: bool = True,
    problems: list[Problem] | None = None,
    temps: list[str] | None = None,
    name_excluded: bool = True,
    into: FileStats | None = None,
) -> list[tuple[str, FileStat | None]]:
    """Relative paths ('/'-separated) of candidate files under `root`, depth first in name order,
    each with its stat when `stats` is true (else None); in the order the file system
    lists them when `ordered` is false (sorting 100,000 names holds the GIL for ~100 ms).
    Hidden folders, build output and dependency folders are skipped, and so are symlinks that
    lead outside the folder.
    With `into`, the pairs go there (in compact columns: see FileStats), not in the list.

    Only regular files are listed, each once: a link to a file or folder that the scan lists
    anyway is skipped, a link back up the tree is not followed. Candidates that cannot be
    listed (a FIFO named like an article, a link that loops or leads nowhere) are appended to
    `problems`, and temp files of interrupted saves to `temps`, when those lists are given.

    Which files are content is the site's profile's say (profiles.for_root): its extensions
    (unless `extensions` are given), its include and exclude globs. What it excludes is not
    read, and is named in `problems` (Severity.EXCLUDED): a folder once, a file each (unless
    `name_excluded` is false: the watcher's rescans do not name them again).
    """
    top = Path(root).resolve()
    found: list[tuple[str, FileStat | None]] = []
    sink: Any = found if into is None else into
    profile = profiles.for_root(top)
    if extensions is not None:
        profile = dataclasses.replace(profile, extensions=tuple(e.lower() for e in extensions))
    walk = _Walk(top, profile.extensions, stats, ordered, sink, problems, temps, profile, name_excluded)
    try:
        st = os.stat(top)
        walk.seen_dirs.add((st.st_dev, st.st_ino))  # a link back to the root is a loop
    except OSError:
        pass
    walk.walk(str(top), "")
    return found


@dataclass(slots=True)
class _Walk:
    """One scan's settings and results. A recursive method, not a closure: a recursive
    closure is a reference cycle that would keep `found` alive until the collector runs."""

    top: Path
    exts: tuple[str, ...]
    stats: bool
    ordered: bool
    found: list | FileStats  # (either is appended (path, stat) pairs)
    problems: list | None
    temps: list | None
    profile: profiles.Profile
    name_excluded: bool = True
    seen_dirs: set = field(default_factory=set)
    entries: int = 0  # (counted: the scan waits for the GUI thread's turn every 256)

    def problem(self, rel: str, message: str, severity: Severity = Severity.ERROR) -> None:
        if self.problems is not None:
            self.problems.append(Problem(rel, message, None, severity))

    def excluded(self, rel: str, folder: bool) -> bool:
        """Whether the profile leaves this out; an excluded folder or file is named (a folder
        outside the profile's include globs, such as a Hugo theme, is left out silently)."""
        profile = self.profile
        if folder:
            if not profile.skips_folder(rel):
                return False
            if self.name_excluded and self.problems is not None and profiles.excludes_folder(profile, rel):
                count = _candidates(os.path.join(self.top, rel), self.exts)
                if count:
                    files = words.count(count, "file") if count < _PEEK else "its files"
                    self.problem(rel, f"not listed: {files} (the {profile.label} profile excludes {rel}**)",
                                 Severity.EXCLUDED)  # fmt: skip
            return True
        if profile.is_content(rel):
            return False
        if self.name_excluded:
            self.problem(rel, f"not listed: {profile.why_not(rel)}", Severity.EXCLUDED)
        return True

    def listed_anyway(self, real: Path, is_dir: bool) -> bool:
        """True when the scan reaches `real` (inside the root) by its own path."""
        parts = real.relative_to(self.top).parts
        if any(p.startswith(".") for p in parts) or any(p in SKIP_DIRS for p in parts[: -1 if not is_dir else None]):
            return False
        rel = "/".join(parts)
        if is_dir:
            return not self.profile.skips_folder(rel + "/")
        return real.name.lower().endswith(self.exts) and self.profile.is_content(rel)

    def walk(self, folder: str, prefix: str) -> None:
        """Depth first, in name order if `ordered`. Entries are read as a stream: a list of
        100,000 DirEntry objects took ~70 MB at once."""
        # name, then a file's rel path and stat, or a folder's path and (device, inode)
        here: list[tuple[str, str, Any, bool]] = []
        exts = self.exts
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    self.entries += 1
                    if not self.entries & 255:
                        wait_turn()  # (in the window's loader: its turns come first)
                    name = entry.name
                    if name.startswith("."):
                        if name.endswith(TEMP_SUFFIX) and self.temps is not None:
                            self.temps.append(entry.path)
                        continue
                    try:
                        if entry.is_symlink():
                            try:
                                real = Path(entry.path).resolve(strict=True)
                            except (OSError, RuntimeError):  # RuntimeError: a loop (Python 3.11)
                                if name.lower().endswith(exts) or not os.path.exists(entry.path):
                                    self.problem(prefix + name, "a symbolic link that loops or leads nowhere")
                                continue
                            if real != self.top and self.top not in real.parents:
                                continue  # outside the folder
                            if self.listed_anyway(real, entry.is_dir()):
                                continue  # listed by its own path: each file once
                        if entry.is_dir():
                            if name in SKIP_DIRS or self.excluded(f"{prefix}{name}/", True):
                                continue
                            st = entry.stat()
                            here.append((name, entry.path, (st.st_dev, st.st_ino), True))
                        elif name.lower().endswith(exts):
                            if self.excluded(prefix + name, False):
                                continue
                            if not entry.is_file():  # opening a FIFO would wait for a writer forever
                                self.problem(prefix + name, "not a regular file (a FIFO, socket or device)")
                                continue
                            item = (prefix + name, FileStat.of(entry.stat()) if self.stats else None)
                            if self.ordered:
                                here.append((name, *item, False))
                            else:
                                self.found.append(item)
                    except OSError:
                        continue
        except OSError as exc:
            if prefix:
                self.problem(prefix.rstrip("/"), f"cannot list the folder: {exc.strerror or exc}")
            return
        here.sort(key=_NAME)  # folders always, so a link to a folder never wins over the folder itself
        for name, where, st, is_dir in here:
            if not is_dir:
                self.found.append((where, st))
            elif st not in self.seen_dirs:  # (a folder seen before is a link to it, or a link loop)
                self.seen_dirs.add(st)
                self.walk(where, f"{prefix}{name}/")


#: An excluded folder is looked into this far to say how many files it leaves out.
_PEEK = 10_000


def _candidates(folder: str, exts: tuple[str, ...]) -> int:
    """How many files with these extensions lie under the folder (up to _PEEK entries looked at)."""
    count = seen = 0
    for _, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        seen += len(names) + len(dirs)
        count += sum(1 for n in names if n.lower().endswith(exts))
        if seen >= _PEEK:
            return _PEEK
    return count


_NAME = operator.itemgetter(0)  # a C key: a Python one made sorting 100,000 names take 0.2 s
