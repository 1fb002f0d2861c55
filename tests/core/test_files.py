from __future__ import annotations

import concurrent.futures.thread  # noqa: F401 - loaded before forking: the other user cannot read the stdlib
import os
import pickle
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.document import snapshots, writes
from curator.core.document.saves import prepare_save, save_changes
from curator.core.document.snapshots import read_file
from curator.core.document.writes import Status, commit_many
from curator.core.folder import opening
from tests.conftest import lines_run

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

    monkeypatch.setattr(writes.os, "replace", boom)
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


# -- where a save lands: links, folders swapped for links ------------------------------------


def test_a_link_inside_the_folder_is_written_through(tmp_path: Path):
    root = tmp_path / "site"
    (root / "real").mkdir(parents=True)
    target = root / "real" / "a.md"
    target.write_bytes(TEXT)
    link = root / "a.md"
    link.symlink_to("real/a.md")
    result = save_changes(link, {"quality": 4}, read_file(link)[1], root=root.resolve())
    assert result.status is Status.OK
    assert link.is_symlink() and os.readlink(link) == "real/a.md"
    assert target.read_bytes() == TEXT.replace(b"quality: 3", b"quality: 4")
    assert not [n for n in os.listdir(root) if n.endswith(".curator-tmp")]


def test_a_link_out_of_the_folder_is_never_written(tmp_path: Path):
    root, outside = tmp_path / "site", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "a.md").write_bytes(TEXT)
    (root / "a.md").symlink_to(outside / "a.md")
    result = save_changes(root / "a.md", {"quality": 4}, None, root=root.resolve())
    assert result.status is Status.ERROR and "outside the opened folder" in result.message
    assert (outside / "a.md").read_bytes() == TEXT


def test_a_folder_swapped_for_a_link_after_loading_never_lets_a_save_out(tmp_path: Path):
    root, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (root / "_news").mkdir(parents=True)
    (root / "_news" / "a.md").write_bytes(TEXT)
    snapshot = read_file(root / "_news" / "a.md")[1]
    (root / "_news").rename(elsewhere)  # another program moves the folder away...
    (root / "_news").symlink_to(elsewhere)  # ...and leaves a link to it
    result = save_changes(root / "_news" / "a.md", {"quality": 4}, snapshot, root=root.resolve())
    assert result.status is Status.ERROR and "outside the opened folder" in result.message
    assert (elsewhere / "a.md").read_bytes() == TEXT


def test_a_change_with_its_mtime_put_back_is_never_overwritten(tmp_path: Path):
    """cp -p, rsync -t and sync clients restore mtimes: size and mtime alone miss the change."""
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    loaded = read_file(path)[1]
    prepared = prepare_save(path, {"quality": 4}, loaded)
    before = path.stat()
    path.write_bytes(TEXT.replace(b"title: A", b"title: B"))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert writes.commit_save(prepared).status is Status.CONFLICT
    assert path.read_bytes() == TEXT.replace(b"title: A", b"title: B")
    # and the window's watcher sees it
    changes = opening.detect_changes(str(tmp_path), ["a.md"], [loaded], set())
    assert [e.summary.title for e in changes.changed] == ["B"]


# -- what a save keeps: group, ACL, extended attributes; what it refuses ----------------------


def as_user(uid: int, groups: list[int], func):
    """Run `func` in a forked child with the given user and groups; returns what it returns."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgroups(groups)
            os.setgid(groups[0])
            os.setuid(uid)
            out = ("ok", func())
        except BaseException as exc:
            out = ("error", repr(exc))
        os.write(write_end, pickle.dumps(out))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    assert kind == "ok", value
    return value


NOBODY, NOGROUP, USERS = 65534, 65534, 100
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as another (non-root) user"
)


@pytest.fixture
def team_folder():
    """A folder that root and an ordinary user may both write (as a team's shared folder)."""
    folder = Path(tempfile.mkdtemp(prefix="curator-team-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder)


def save_as(uid: int, groups: list[int], path: Path) -> tuple[str, str]:
    def save() -> tuple[str, str]:
        result = save_changes(path, {"quality": 4}, read_file(path)[1])
        return result.status.value, result.message

    return as_user(uid, groups, save)


@needs_root
def test_a_file_of_another_user_is_refused_not_taken_over(team_folder: Path):
    path = team_folder / "a.md"
    path.write_bytes(TEXT)
    os.chown(path, 0, NOGROUP)
    path.chmod(0o664)  # the group may write it
    status, message = save_as(NOBODY, [NOGROUP], path)
    assert status == "error" and "belongs to another user" in message
    assert path.read_bytes() == TEXT and (path.stat().st_uid, path.stat().st_gid) == (0, NOGROUP)


@needs_root
def test_an_ordinary_user_keeps_group_mode_and_attributes(team_folder: Path):
    path = team_folder / "a.md"
    path.write_bytes(TEXT)
    os.chown(path, NOBODY, USERS)  # a group that is not the user's primary one
    path.chmod(0o640)
    os.setxattr(path, "user.origin", b"feed-42")
    status, message = save_as(NOBODY, [NOGROUP, USERS], path)
    assert status == "ok", message
    st = path.stat()
    assert path.read_bytes() == TEXT.replace(b"quality: 3", b"quality: 4")
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (NOBODY, USERS, 0o640)
    assert os.getxattr(path, "user.origin") == b"feed-42"


@pytest.mark.skipif(not shutil.which("setfacl"), reason="setfacl (Debian package acl) is not installed")
def test_acl_entries_are_kept(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    subprocess.run(["setfacl", "-m", "u:daemon:rw", str(path)], check=True)
    before = subprocess.run(["getfacl", "-c", str(path)], capture_output=True, text=True, check=True).stdout
    assert "user:daemon:rw-" in before
    assert save_changes(path, {"quality": 4}, read_file(path)[1]).status is Status.OK
    after = subprocess.run(["getfacl", "-c", str(path)], capture_output=True, text=True, check=True).stdout
    assert after == before


def test_a_read_only_file_is_refused_not_replaced(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    path.chmod(0o444)  # (the folder is writable: a rename would replace it, as root too)
    result = save_changes(path, {"quality": 4}, read_file(path)[1])
    assert result.status is Status.ERROR and "read-only" in result.message
    assert path.read_bytes() == TEXT and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temp file left


def test_a_file_with_other_hard_links_is_refused_not_split(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    os.link(path, tmp_path / "b.md")
    result = save_changes(path, {"quality": 4}, read_file(path)[1])
    assert result.status is Status.ERROR and "2 hard links" in result.message
    assert os.path.samefile(path, tmp_path / "b.md") and path.read_bytes() == TEXT


# -- snapshots kept in columns ---------------------------------------------------------------

_ints = st.integers(min_value=-(2**70), max_value=2**70)
_snapshots = st.builds(
    snapshots.Snapshot,
    st.one_of(st.integers(0, 2**62), _ints),
    st.integers(0, 2**40),
    st.one_of(
        st.binary(min_size=16, max_size=16).map(bytes.hex),  # as digest() makes them
        st.text("0123456789abcdefABCDEF ", max_size=34),  # what an odd index or a caller may hold
    ),
    st.one_of(st.integers(0, 2**62), _ints),
    st.one_of(st.integers(0, 2**64 - 1), _ints),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_snapshots, max_size=12), st.lists(_snapshots, max_size=6), st.data())
def test_snapshots_in_columns_give_back_what_was_put_in(first, more, data):
    kept = snapshots.Snapshots(first)
    assert list(kept) == first and len(kept) == len(first)
    columns = snapshots.Snapshots.of_columns(*map(list, zip(*first, strict=True))) if first else snapshots.Snapshots()
    assert list(columns) == first  # from the index's columns: packed at once, or row by row
    kept.extend(snapshots.Snapshots(more))
    expected = first + more
    assert list(kept) == expected
    if expected:
        row = data.draw(st.integers(0, len(expected) - 1))
        expected[row] = kept[row] = data.draw(_snapshots)
        assert kept[row] == expected[row] and kept[-1] == expected[-1]
        rows = data.draw(st.lists(st.integers(0, len(expected) - 1), max_size=8))
        assert list(kept.take(rows)) == [expected[r] for r in rows]
    packed = kept.digests()  # (what the grouping process checks the index by: a digest or zeros)
    assert len(packed) == 16 * len(expected)
    for row, s in enumerate(expected):
        digest = packed[row * 16 : (row + 1) * 16]
        assert digest.hex() == s.digest if _packs(s) else digest == bytes(16)
    copy = kept.copy()
    kept.clear()
    assert list(copy) == expected and len(kept) == 0


def _packs(s: snapshots.Snapshot) -> bool:
    """Whether a Snapshot packs into the columns (else it is kept aside, its digest unknown to digests())."""
    ints = all(-(2**63) <= v < 2**63 for v in (s.mtime_ns, s.size, s.ctime_ns)) and 0 <= s.ino < 2**64
    return ints and len(s.digest) == 32 and all(c in "0123456789abcdef" for c in s.digest)


def test_snapshots_take_a_tenth_of_the_memory_of_snapshot_tuples():
    import tracemalloc

    ns = 1_700_000_000_000_000_000
    rows = [snapshots.Snapshot(ns + i, 4000 + i, snapshots.digest(b"%d" % i), ns + i, 10**9 + i) for i in range(20_000)]
    columns = list(map(list, zip(*rows, strict=True)))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = snapshots.Snapshots.of_columns(*columns)
        size = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert list(kept) == rows
    assert size < 20_000 * 60  # 4 x 8 bytes and 16 of digest a row (tuples: ~300 bytes a row)


def test_a_batch_of_snapshots_is_packed_with_no_python_per_row():
    """A cold open appends each batch's snapshots on the GUI thread: packed in C, the lines
    run are the same for 10 rows or 10,000 (one by one took 1.4 s of that thread at 100k)."""

    def lines(count: int) -> int:
        rows = [snapshots.Snapshot(10**18 + i, i, snapshots.digest(b"%d" % i), 10**18, i) for i in range(count)]
        kept = snapshots.Snapshots()
        run, _ = lines_run("snapshots.py", lambda: kept.extend(rows))
        assert list(kept) == rows
        return run

    assert lines(10) == lines(10_000)


def test_a_byte_edit_makes_and_removes_a_whole_file_and_its_reverse_undoes_it(tmp_path: Path):
    """A merge removes a taxonomy file and makes `.curator.yml`: each over what it was planned from."""
    made, gone = tmp_path / ".curator.yml", tmp_path / "old.yaml"
    gone.write_bytes(b"name: Old\n")
    edits = [writes.ByteEdit(str(made), None, b"retired:\n  - Old\n"), writes.ByteEdit(str(gone), b"name: Old\n", None)]
    assert [r.status for r in writes.write_edits(edits)] == [Status.OK, Status.OK]
    assert made.read_bytes() == b"retired:\n  - Old\n" and not gone.exists()
    assert stat.S_IMODE(made.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in tmp_path.iterdir()] == [".curator.yml"]  # no temp file left
    assert [r.status for r in writes.write_edits([e.reversed() for e in edits])] == [Status.OK, Status.OK]
    assert not made.exists() and gone.read_bytes() == b"name: Old\n"
    made.write_bytes(b"mine\n")  # made meanwhile by someone else: never replaced
    gone.write_bytes(b"name: Changed\n")  # changed since: never removed
    results = writes.write_edits(edits)
    assert [r.status for r in results] == [Status.CONFLICT, Status.CONFLICT], results
    assert made.read_bytes() == b"mine\n" and gone.read_bytes() == b"name: Changed\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
