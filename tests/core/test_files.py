from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from curator.core import files
from curator.core.files import Status, atomic_write, read_file, save_changes

TEXT = b"---\ntitle: A\nquality: 3\npublished: false\n---\nbody\n"


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    path.chmod(0o640)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.md"]


def test_failed_write_leaves_original_and_no_temp(tmp_path: Path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(path, b"new")
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
