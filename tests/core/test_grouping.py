"""The grouping process (core.folder.grouping), with real processes: the same groups as a Grouper
in this process, from the index or from summaries sent; updates; a worker that dies; no process
left behind when it is closed or when its parent is killed."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curator.core.folder import grouping, opening
from curator.core.folder.duplicates import Grouper
from curator.core.folder.grouping import GroupingFailed, GroupingProcess
from curator.core.folder.index import Index
from tests.conftest import ROOT
from tests.core.test_duplicates import OWN


def gone(pid: int, within: float = 10.0) -> bool:
    """Whether the process is gone (not running, nor a zombie) within `within` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except (FileNotFoundError, ProcessLookupError):  # (or reaped between the open and the read)
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def loaded(tmp_path: Path):
    """A copy of the labelled folder, loaded with its index: (folder, cache, entries)."""
    folder = shutil.copytree(OWN, tmp_path / "queue")
    (folder / "labels.json").unlink()
    cache = tmp_path / "cache"
    entries = opening.load(str(folder), None, index=Index(folder, cache)).entries
    return folder, cache, entries


def digests(entries) -> bytes:
    return b"".join(bytes.fromhex(e.snapshot.digest) for e in entries)


def in_process(summaries) -> Grouper:
    grouper = Grouper()
    grouper.update(summaries)
    return grouper


def test_groups_from_the_index_equal_a_grouper_in_this_process(loaded):
    folder, cache, entries = loaded
    paths = [e.summary.path for e in entries]
    process = GroupingProcess()
    try:
        assert process.start(Index(folder, cache), paths, digests(entries)) == []  # every row from the index
        members, count = process.group()
        expected = in_process([e.summary for e in entries])
        assert members == expected.members() and count == expected.count() >= 4
    finally:
        process.close()


def test_rows_the_index_cannot_vouch_for_are_sent_and_grouped_alike(loaded, tmp_path: Path):
    folder, cache, entries = loaded
    paths = [e.summary.path for e in entries]
    packed = bytearray(digests(entries))
    packed[0:16] = bytes(16)  # this row's file is not what the index holds
    expected = in_process([e.summary for e in entries])
    for cache_dir, raw, want in ((cache, bytes(packed), [paths[0]]), (tmp_path / "empty", digests(entries), paths)):
        process = GroupingProcess()
        try:
            missing = process.start(Index(folder, cache_dir), paths, raw)
            assert sorted(missing) == sorted(want)
            rows = {p: i for i, p in enumerate(paths)}
            process.feed([entries[rows[p]].summary for p in missing])
            assert process.group() == (expected.members(), expected.count())
        finally:
            process.close()


def test_updates_make_and_break_groups_as_in_this_process(loaded):
    folder, cache, entries = loaded
    summaries = {e.summary.path: e.summary for e in entries}
    paths = list(summaries)
    process = GroupingProcess()
    try:
        process.start(Index(folder, cache), paths, digests(entries))
        members, _ = process.group()
        grouper = in_process(summaries.values())
        alone = sorted(p for p in paths if p not in members)
        a, b = alone[0], alone[1]
        copy = dataclasses.replace(summaries[b], title=summaries[a].title, excerpt=summaries[a].excerpt,
                                   url=summaries[a].url)  # fmt: skip
        touched, count = process.update([copy])
        expected = grouper.update([copy])
        assert set(touched) == expected and count == grouper.count()
        assert touched[a] == touched[b] == grouper.group_of(a) and sorted(touched[a]) == [a, b]
        broken = next(p for p in members if p not in (a, b))
        touched, count = process.update([], [broken])
        expected = grouper.update(removed=[broken])
        assert set(touched) == expected and touched[broken] == [] and count == grouper.count()
        assert all(touched[p] == grouper.group_of(p) for p in touched)
    finally:
        process.close()


def test_summaries_and_groups_in_many_small_messages_group_as_in_one(loaded):
    """Summaries sent in pieces and groups answered in parts (a few ms of pickling each, which
    holds the GIL the GUI thread waits for) make the same groups as a Grouper in this process."""
    folder, cache, entries = loaded
    summaries = {e.summary.path: e.summary for e in entries}
    paths = list(summaries)
    process = GroupingProcess(piece=3)
    try:
        assert process.start(Index(folder, cache), paths, bytes(16 * len(paths))) == paths  # (none vouched for)
        process.feed(list(summaries.values()))
        members, count = process.group()
        grouper = in_process(summaries.values())
        assert members == grouper.members() and count == grouper.count() and len(members) > 3
        changed = [dataclasses.replace(s, title=f"Another story {i}", excerpt="", url="")
                   for i, s in enumerate(list(summaries.values())[:: 2])]  # fmt: skip
        touched, count = process.update(changed, [paths[1]])
        expected = grouper.update(changed, [paths[1]])
        assert set(touched) == expected and len(touched) > 3 and count == grouper.count()
        assert all(touched[p] == grouper.group_of(p) for p in touched)
    finally:
        process.close()


def test_a_worker_that_dies_raises_grouping_failed_and_close_leaves_no_process(loaded):
    folder, cache, entries = loaded
    process = GroupingProcess()
    process.start(Index(folder, cache), [e.summary.path for e in entries], digests(entries))
    pid = process.pid
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(GroupingFailed, match="ended unexpectedly"):
        process.group()
    process.close()
    assert gone(pid)
    with pytest.raises(GroupingFailed, match="closed"):
        process.update([])
    other = GroupingProcess()
    other.start(Index(folder, cache), [], b"")
    pid = other.pid
    other.close()
    assert gone(pid)


def test_close_does_not_wait_for_the_worker_to_go(loaded):
    """Closing (another folder opens) tells the worker to end and returns at once: waiting for
    it to exit is a background thread's (the GUI thread waited 14-18 ms at 100,000 articles; a
    worker that does not end, here a stopped one, held it 2 s). It is still killed, and gone."""
    folder, cache, entries = loaded
    process = GroupingProcess()
    process.start(Index(folder, cache), [e.summary.path for e in entries], digests(entries))
    pid = process.pid
    os.kill(pid, signal.SIGSTOP)  # (the SIGTERM close sends waits while it is stopped)
    started = time.monotonic()
    process.close()
    assert time.monotonic() - started < 0.5
    assert gone(pid)  # killed after 2 s without ending
    with pytest.raises(GroupingFailed, match="closed"):
        process.group()


def test_close_with_no_worker_starts_no_reaper(loaded, monkeypatch):
    """A folder whose grouping never started (or closed twice): close has nothing to wait for,
    and starts no thread to wait (one close of a started worker starts one)."""
    import threading

    folder, cache, entries = loaded
    started = []

    class Recorded(threading.Thread):
        def start(self):
            started.append(self.name)
            super().start()

    monkeypatch.setattr(grouping.threading, "Thread", Recorded)
    GroupingProcess().close()
    assert started == []
    process = GroupingProcess()
    process.start(Index(folder, cache), [e.summary.path for e in entries], digests(entries))
    pid = process.pid
    process.close()
    process.close()
    assert started.count("curator-grouping-reaper") == 1
    assert gone(pid)


def test_a_worker_that_dies_while_its_pipe_stays_open_still_raises(loaded, monkeypatch):
    """Under Wine a killed worker did not break the pipe for the window's reader, which waited on
    forever (and the app hung at exit, joining that thread): here another copy of the worker's end
    stays open in this process, so only the worker's end itself can tell."""
    import multiprocessing.connection
    import threading

    folder, cache, entries = loaded
    kept: list[int] = []
    real_pipe = multiprocessing.connection.Pipe

    def pipe(duplex=True):
        ours, theirs = real_pipe(duplex)
        kept.append(os.dup(theirs.fileno()))
        return ours, theirs

    monkeypatch.setattr(multiprocessing.connection, "Pipe", pipe)
    process = GroupingProcess()
    try:
        process.start(Index(folder, cache), [e.summary.path for e in entries], digests(entries))
        os.kill(process.pid, signal.SIGKILL)
        raised: list[BaseException] = []

        def ask() -> None:
            try:
                process.group()
            except BaseException as exc:
                raised.append(exc)

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        asking.join(20)
        assert not asking.is_alive(), "the call still waits for a worker that is gone"
        assert len(raised) == 1 and isinstance(raised[0], GroupingFailed) and "ended" in str(raised[0])
    finally:
        process.close()
        for fd in kept:
            os.close(fd)


PARENT = """
import sys, time
from curator.core.folder.grouping import GroupingProcess
from curator.core.folder.index import Index
process = GroupingProcess()
process.start(Index(sys.argv[1]), [], b"")
print(process.pid, flush=True)
time.sleep(60)
"""


def test_the_worker_ends_when_its_parent_is_killed(tmp_path: Path):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "CURATOR_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    try:
        pid = int(parent.stdout.readline())
        assert not gone(pid, 0.2)
        parent.kill()
        parent.wait(10)
        assert gone(pid)
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
