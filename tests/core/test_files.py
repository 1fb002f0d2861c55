from __future__ import annotations

import os
import stat
from pathlib import Path

from curator.core import files
from curator.core.files import Status, commit_many, prepare_save, read_file, save_changes

TEXT = b"---\ntitle: A\nquality: 3\npublished: false\n---\nbody\n"


def test_save_keeps_mode_and_leaves_no_temp(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    path.chmod(0o640)
    assert save_changes(path, {"quality": 4}, read_file(path)[1]).status is Status.OK
    assert path.read_bytes() == TEXT.replace(b"quality: 3", b"quality: 4")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.md"]


def test_failed_write_leaves_original_and_no_temp(tmp_path: Path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", boom)
    result = save_changes(path, {"quality": 4}, read_file(path)[1])
    assert result.status is Status.ERROR and "No space left" in result.message
    assert path.read_bytes() == TEXT
    assert os.listdir(tmp_path) == ["a.md"]


def test_save_writes_only_the_changed_line(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    _, snap = read_file(path)
    result = save_changes(path, {"quality": 9}, snap)
    assert result.status is Status.OK
    assert path.read_bytes() == TEXT.replace(b"quality: 3", b"quality: 9")
    assert result.snapshot == read_file(path)[1]


def test_unchanged_value_is_not_written(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    before = path.stat().st_mtime_ns
    _, snap = read_file(path)
    assert save_changes(path, {"quality": 3}, snap).status is Status.UNCHANGED
    assert path.stat().st_mtime_ns == before


def test_changed_on_disk_is_a_conflict_until_overwrite(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    _, snap = read_file(path)
    path.write_bytes(TEXT.replace(b"title: A", b"title: B"))  # someone else edits another key
    result = save_changes(path, {"published": True}, snap)
    assert result.status is Status.CONFLICT
    assert b"title: B" in path.read_bytes() and b"published: false" in path.read_bytes()
    result = save_changes(path, {"published": True}, snap, overwrite=True)
    assert result.status is Status.OK
    assert path.read_bytes() == TEXT.replace(b"title: A", b"title: B").replace(b"false", b"true")


def test_commit_many_writes_all_keeps_modes_and_stops_at_changes_and_cancels(tmp_path: Path):
    paths = []
    for i in range(6):
        path = tmp_path / f"{i}.md"
        path.write_bytes(b"---\ntitle: A\nquality: 1\n---\nbody\n")
        path.chmod(0o640 if i % 2 else 0o604)
        paths.append(path)
    prepared = [prepare_save(p, {"quality": 2}, read_file(p)[1]) for p in paths]
    paths[1].write_bytes(b"---\ntitle: B\nquality: 1\n---\n")  # changed after planning: not overwritten
    calls = []

    def cancelled() -> bool:  # asked before each rename (not for the conflict): stops before the fifth file
        calls.append(1)
        return len(calls) > 3

    results = commit_many(prepared, cancelled)
    assert [r.status if r else None for r in results] == [Status.OK, Status.CONFLICT, Status.OK, Status.OK, None, None]
    assert b"quality: 2" in paths[0].read_bytes() and b"quality: 2" in paths[3].read_bytes()
    assert paths[1].read_bytes() == b"---\ntitle: B\nquality: 1\n---\n"
    assert all(b"quality: 1" in p.read_bytes() for p in paths[4:])
    assert [p.stat().st_mode & 0o777 for p in paths] == [0o604, 0o640] * 3
    assert results[0].snapshot == read_file(paths[0])[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{i}.md" for i in range(6)]  # no temp files left
