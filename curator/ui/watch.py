"""Noticing files that changed on disk: a stat-based rescan, run in a worker.

File watchers do not scale to 100,000 files on every platform; a scan of names, sizes and
modification times does, and it also notices changes made while Curator was not looking.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..core import library
from ..core.files import Snapshot
from ..core.library import Entry, Problem


@dataclass
class Changes:
    root: str
    changed: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def detect_changes(root: str, paths: list[str], snapshots: list[Snapshot], known_bad: set[str]) -> Changes:
    out = Changes(root)
    current = set(library.scan(root))
    known = dict(zip(paths, snapshots, strict=True))
    for path, snap in known.items():
        if path not in current:
            out.deleted.append(path)
            continue
        try:
            st = os.stat(os.path.join(root, path))
        except OSError:
            out.deleted.append(path)
            continue
        if (st.st_mtime_ns, st.st_size) != (snap.mtime_ns, snap.size):
            item = library.load_one(root, path)
            if isinstance(item, Entry):
                if item.snapshot.digest != snap.digest:  # touched but unchanged files stay as they are
                    out.changed.append(item)
            else:
                out.deleted.append(path)  # it no longer reads as an article
                out.problems.append(item)
    for path in sorted(current - known.keys() - known_bad):
        item = library.load_one(root, path)
        if isinstance(item, Entry):
            out.added.append(item)
        elif item.severity != "skipped":
            out.problems.append(item)
    return out
