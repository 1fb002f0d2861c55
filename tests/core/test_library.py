from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curator.core import gently
from curator.core.folder import library, opening, scan
from curator.core.folder.index import FileStat, Index
from curator.core.site.article import Summary
from tests.conftest import ROOT, lines_run


def scanned(root, extensions=None) -> list[str]:
    """The relative paths a scan lists, in its order."""
    return [rel for rel, _ in library.scan_stats(root, extensions, stats=False)]


GOOD = "---\ntitle: {n}\nquality: 5\n---\n"


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)


def test_scan_skips_hidden_build_and_outside_links(tmp_path: Path):
    root = tmp_path / "site"
    write(root, "_news/a.md", GOOD.format(n="a"))
    write(root, "b.markdown", GOOD.format(n="b"))
    write(root, "c.txt", GOOD.format(n="c"))
    write(root, "d.html", GOOD.format(n="d"))
    write(root, ".git/x.md", GOOD.format(n="x"))
    write(root, "_site/y.md", GOOD.format(n="y"))
    write(root, "node_modules/z.md", GOOD.format(n="z"))
    write(tmp_path / "outside", "o.md", GOOD.format(n="o"))
    os.symlink(tmp_path / "outside", root / "linked")
    os.symlink(root / "_news", root / "inside")
    # a link to a folder inside is not listed twice
    assert scanned(root) == ["_news/a.md", "b.markdown", "c.txt"]
    assert sorted(rel for rel, _ in library.scan_stats(root, ordered=False)) == ["_news/a.md", "b.markdown", "c.txt"]
    assert "d.html" in scanned(root, [".html"])


def test_bad_files_are_problems_and_the_rest_loads(tmp_path: Path):
    write(tmp_path, "ok.md", GOOD.format(n="ok"))
    write(tmp_path, "yaml.md", '---\ntitle: "x\n---\n')
    write(tmp_path, "junk.md", b"\x00\x01\x02junk")
    write(tmp_path, "plain.md", "# no front matter\n")
    write(tmp_path, "typed.md", '---\ntitle: t\nquality: "high"\n---\n')
    loaded = opening.load(tmp_path)
    assert sorted(e.summary.path for e in loaded.entries) == ["ok.md", "typed.md"]
    by_path = {p.path: p for p in loaded.problems}
    assert by_path["yaml.md"].severity == "error" and by_path["yaml.md"].line
    assert "binary" in by_path["junk.md"].message
    assert by_path["plain.md"].severity == "skipped"
    assert str(by_path["typed.md"]) == "typed.md:3: quality: expected a whole number, found str 'high'"


def test_parallel_load_matches_serial(tmp_path: Path):
    for i in range(library.PARALLEL_THRESHOLD + 50):
        write(tmp_path, f"{i:04}.md" if i % 3 else f"{i % 7}/{i:04}.md", GOOD.format(n=i))
    for name in ("a-c.md", "a/b.md", "a.md", "A.md", "a/c/d.md", "a b.md"):  # '-', ' ' sort before '/'
        write(tmp_path, name, GOOD.format(n=name))
    write(tmp_path, "broken.md", "---\n[\n---\n")
    serial = opening.load(tmp_path, workers=1)
    parallel = opening.load(tmp_path, workers=2)
    assert [e.summary for e in serial.entries] == [e.summary for e in parallel.entries]
    assert serial.problems == parallel.problems
    assert len(parallel.entries) == library.PARALLEL_THRESHOLD + 56
    # both in scan order, though the parallel load reads its first rows before sorting
    assert [e.summary.path for e in parallel.entries] == [p for p in scanned(tmp_path) if p != "broken.md"]


def test_values_that_repeat_are_one_object_across_the_workers_chunks(tmp_path: Path):
    """Topics, providers, categories and types come back from the worker processes as one
    string object each (pickled, every chunk had its own copies): memory, and counting the
    topics of a 10,000-article selection touches 200 strings, not 30,000."""
    text = "---\ntitle: {n}\ntopics: [AI, Power Apps]\ncategory: news\ntype: article\nprovider:\n  name: Blog\n---\n"
    for i in range(library.PARALLEL_THRESHOLD + library.CHUNK * 2):
        write(tmp_path, f"{i:04}.md", text.format(n=i))
    summaries = [e.summary for e in opening.load(tmp_path, workers=2).entries]
    assert len(summaries) == library.PARALLEL_THRESHOLD + library.CHUNK * 2
    for field in ("category", "type", "provider_name"):
        assert len({id(getattr(s, field)) for s in summaries}) == 1, field
    assert len({id(topic) for s in summaries for topic in s.topics}) == 2
    assert summaries[0].topics == ("AI", "Power Apps") and summaries[-1].provider_name == "Blog"


def test_cancel_stops_loading(tmp_path: Path):
    import threading

    for i in range(600):
        write(tmp_path, f"{i:04}.md", GOOD.format(n=i))
    cancel = threading.Event()
    loaded = opening.load(tmp_path, workers=1, cancel=cancel, on_batch=lambda batch: cancel.set())
    assert loaded.cancelled and len(loaded.entries) == library.CHUNK


def test_stopping_after_the_first_batch_starts_no_worker(tmp_path: Path, monkeypatch):
    """The first batch goes out before the worker processes start (FIRST_PAINT_S later): a
    caller that stops there (another folder opened) neither starts nor waits for them."""
    import concurrent.futures as cf
    import threading

    for i in range(library.PARALLEL_THRESHOLD + 2 * library.CHUNK):
        write(tmp_path, f"{i:04}.md", GOOD.format(n=i))
    started = []
    monkeypatch.setattr(cf.ProcessPoolExecutor, "submit", lambda *args, **kwargs: started.append(args))
    batches = library.iter_load(str(tmp_path), scanned(tmp_path), workers=2)
    assert len(next(batches)) == library.FIRST_CHUNK
    batches.close()
    assert started == []
    cancel = threading.Event()  # nor does one that cancels the load while it is shown
    batches = library.iter_load(str(tmp_path), scanned(tmp_path), workers=2, cancel=cancel)
    assert len(next(batches)) == library.FIRST_CHUNK
    cancel.set()
    assert list(batches) == [] and started == []


def test_a_cold_open_starts_its_workers_while_it_scans(tmp_path: Path, monkeypatch):
    """A cold open of many files starts its worker processes once the scan has found
    PARALLEL_THRESHOLD files (before the scan ends), and hands them the rest before its first
    rows go out: they start up while the folder is listed, not after. A warm open starts none;
    both end with every row, and the processes closed."""
    import concurrent.futures as cf

    for i in range(library.PARALLEL_THRESHOLD + 2 * library.CHUNK):
        write(tmp_path, f"{i:04}.md", GOOD.format(n=i))
    events: list[str] = []
    start, submit, close = library.Workers.start, cf.ProcessPoolExecutor.submit, library.Workers.close

    def started(self):
        events.append("start")
        return start(self)

    def submitted(pool, fn, *args):
        events.append(fn.__name__)
        return submit(pool, fn, *args)

    def closed(self, wait=True):
        events.append("close" if self.pool is not None else "nothing to close")
        close(self, wait)

    monkeypatch.setattr(library.Workers, "start", started)
    monkeypatch.setattr(cf.ProcessPoolExecutor, "submit", submitted)
    monkeypatch.setattr(library.Workers, "close", closed)
    index = Index(tmp_path, tmp_path / "cache")
    messages = opening.open_iter(tmp_path, index, workers=2, skim=True, on_total=lambda n: events.append("scanned"))
    first = next(messages)
    assert isinstance(first, opening.Batch) and len(first) == library.FIRST_CHUNK
    assert events[:4] == ["start", "_ready", "_ready", "scanned"]  # started as the scan went on
    assert "_load_packed" in events  # and given the rest before the first rows went out
    rows = len(first) + sum(len(m) for m in messages if isinstance(m, opening.Batch))
    assert rows == library.PARALLEL_THRESHOLD + 2 * library.CHUNK
    assert events[-2:] == ["close", "nothing to close"]  # (by iter_load, then open_iter's guard)
    events.clear()
    messages = opening.open_iter(tmp_path, index, workers=2, skim=True)  # warm: nothing to read again
    assert sum(len(m) for m in messages if isinstance(m, opening.Batch)) == rows
    assert set(events) == {"nothing to close"}
    events.clear()

    def failing(*args, **kwargs):
        raise OSError("the disk went away")
        yield  # (a generator)

    monkeypatch.setattr(library, "iter_load", failing)  # a cold open failing after its scan started them
    with pytest.raises(OSError):
        list(opening.open_iter(tmp_path, None, workers=2, skim=True))
    assert events[0] == "start" and events[-1] == "close"  # not left idle until the app quits


def test_a_workers_result_is_let_go_once_its_batch_is_out(tmp_path: Path, monkeypatch):
    """iter_load keeps no worker's result after handing on its batch: freeing 100,000 files'
    results at once, as the load ended, held the GIL the window needed for 45-60 ms."""
    import concurrent.futures as cf
    import weakref

    for i in range(library.PARALLEL_THRESHOLD + 3 * library.CHUNK):
        write(tmp_path, f"{i:04}.md", GOOD.format(n=i))
    futures: list[weakref.ref] = []
    submit = cf.ProcessPoolExecutor.submit

    def tracked(pool, *args, **kwargs):
        future = submit(pool, *args, **kwargs)
        futures.append(weakref.ref(future))
        return future

    monkeypatch.setattr(cf.ProcessPoolExecutor, "submit", tracked)
    batches = library.iter_load(str(tmp_path), scanned(tmp_path), workers=2, skim=True)
    listed = 0
    for batch in batches:
        if isinstance(batch, library.Checking):
            break  # every file listed: the futures of the loads are all handed on
        listed += len(batch)
    loads = (len(futures) - 1) // 2  # (then a check of each chunk and of the first rows)
    assert listed == library.PARALLEL_THRESHOLD + 3 * library.CHUNK and loads >= 3
    assert sum(ref() is not None for ref in futures[:loads]) <= 1  # (the pool's last one, at most)
    assert all(isinstance(b, library.Checked) for b in batches)


def test_unordered_scan_lists_the_same_files(tmp_path: Path):
    for name in ("b.md", "a.md", "sub/c.md", "sub/deeper/d.markdown", "z.txt", "skip.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: x\n---\n")
    ordered = library.scan_stats(tmp_path)
    assert [rel for rel, _ in ordered] == ["a.md", "b.md", "sub/c.md", "sub/deeper/d.markdown", "z.txt"]
    assert sorted(library.scan_stats(tmp_path, ordered=False)) == sorted(ordered)


def test_file_stats_hold_what_a_scan_lists_in_columns(tmp_path: Path):
    for name in ("b.md", "a.md", "sub/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: x\n---\n")
    listed = dict(library.scan_stats(tmp_path, ordered=False))
    mine = "".join(["a", ".md"])  # an equal string that is not the scan's: the one kept as key
    stats = library.FileStats(canonical={mine: mine})
    library.scan_stats(tmp_path, ordered=False, into=stats)
    assert len(stats) == 3 and sorted(stats) == sorted(listed)
    assert {rel: stats.get(rel) for rel in stats} == listed
    assert all(isinstance(stats.get(rel), FileStat) for rel in stats)
    assert next(rel for rel in stats if rel == "a.md") is mine
    assert "gone.md" not in stats and stats.get("gone.md") is None
    names = library.FileStats()  # a cold open lists names only
    library.scan_stats(tmp_path, stats=False, into=names)
    assert sorted(names) == sorted(listed) and names.get("a.md") is None and "a.md" in names
    # the stats of a list's rows, in its order, as a warm open checks them (not found: None)
    rows = ["sub/c.md", "gone.md", "a.md", "b.md"]
    in_order = stats.for_rows(iter(rows))
    assert [in_order.get(r) for r in range(4)] == [listed["sub/c.md"], None, listed["a.md"], listed["b.md"]]
    # the dict of paths goes once the rows are mapped (a warm open at 1M: its peak); they still answer
    assert len(stats.forget_paths()) == 3 and len(stats) == 0 and "a.md" not in stats
    assert [in_order.get(r) for r in range(4)] == [listed["sub/c.md"], None, listed["a.md"], listed["b.md"]]
    assert [names.for_rows(rows).get(r) for r in range(4)] == [None] * 4  # listed without stats
    assert library.FileStats().for_rows(["a.md"]).get(0) is None  # nothing listed


def test_file_stats_of_many_rows_are_taken_in_pieces_that_let_the_gil_go():
    """A warm open at a million files checks each row's stat: one C loop over them all held the
    GIL (and froze the window) for 0.8-2.1 s; in pieces of PIECE rows, Python runs between."""
    count = 2 * scan.PIECE + 5
    stats = library.FileStats()
    for i in range(count):
        stats.append((f"{i}.md", FileStat(i, i + 1, i + 2, i + 3) if i % 7 else None))
    rows = [f"{i}.md" for i in reversed(range(count))] + ["gone.md"]

    def lines(n: int) -> int:
        run, taken = lines_run("scan.py", lambda: stats.for_rows(rows[-n - 1 :]))
        assert [taken.get(r) for r in range(n + 1)] == [stats.get(p) for p in rows[-n - 1 :]]
        return run

    assert lines(count) >= lines(10) + 4  # (a loop turn a piece, two lines each: 3 pieces against 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's (Linux)")
def test_trim_heap_gives_freed_memory_back():
    """Memory a thread freed stays with the allocator (its arena cannot shrink past what it
    still holds) until trim_heap gives its pages back."""
    import threading

    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    kept = []

    def churn():
        blocks = [b"x" * 30_000 for _ in range(2000)]  # 60 MB written, in blocks under the mmap threshold
        kept.append(bytes(30_000))  # after them: the arena's top stays in use
        del blocks

    thread = threading.Thread(target=churn)
    thread.start()
    thread.join()
    before = rss()
    assert gently.trim_heap()
    assert before - rss() > 30_000_000


def test_kept_objects_are_frozen_out_of_collections():
    """What a load keeps is moved out of the collector's sight, so no full collection walks it."""
    try:
        with gently.paused_gc(keep=True):
            kept = [Summary(f"{i}.md", topics=("a", str(i))) for i in range(100)]
        with gently.paused_gc():
            passing = [Summary(f"{i}.md", topics=("b", str(i))) for i in range(100)]
        seen = {id(o) for o in gc.get_objects()}
        assert not any(id(s) in seen for s in kept)
        assert all(id(s) in seen for s in passing)
    finally:
        gc.unfreeze()


def test_a_touched_file_is_reported_once_with_its_new_stat(tmp_path: Path):
    write(tmp_path, "a.md", GOOD.format(n="a"))
    write(tmp_path, "b.md", GOOD.format(n="b"))
    loaded = opening.load(tmp_path)
    paths = [e.summary.path for e in loaded.entries]
    snapshots = [e.snapshot for e in loaded.entries]
    st = (tmp_path / "a.md").stat()
    os.utime(tmp_path / "a.md", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # touched, same bytes
    changes = opening.detect_changes(str(tmp_path), paths, snapshots, set())
    assert not (changes.changed or changes.added or changes.deleted or changes.problems)
    assert [(p, s.mtime_ns) for p, s in changes.touched] == [("a.md", st.st_mtime_ns + 5_000_000_000)]
    snapshots[paths.index("a.md")] = changes.touched[0][1]
    assert opening.detect_changes(str(tmp_path), paths, snapshots, set()).touched == []  # not read again


def test_gentle_sort_is_the_scan_order():
    import random

    names = ["a", "a-c.md", "a b.md", "A.md", "b.md", "é.md", "z"]
    rels = [f"{x}/{y}" for x in names for y in names] + names
    random.Random(7).shuffle(rels)
    expected = sorted(rels, key=lambda r: r.split("/"))  # component by component
    assert library.sorted_gently(rels, piece=5) == expected == sorted(rels, key=library.walk_order)


DEEP = "---\na:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 400)) + "  " * 400 + "x: 1\n---\n"


def hostile_folder(root: Path) -> Path:
    """Good articles beside every kind of file that once stopped a whole folder."""
    for n in range(3):
        write(root, f"_news/good{n}.md", GOOD.format(n=f"good{n}"))
    write(root, "_news/baddate.md", "---\ntitle: x\npublishedDateTime: 2021-02-30T00:00:00Z\n---\n")
    write(root, "_news/huge.md", "---\ntitle: huge\nquality: 99999999999999999999999\n---\n")
    write(root, "_news/deep.md", DEEP)
    os.symlink("loop2.md", root / "_news" / "loop1.md")
    os.symlink("loop1.md", root / "_news" / "loop2.md")
    os.symlink("..", root / "_news" / "up")  # back up to the root: no file twice
    os.symlink("good0.md", root / "_news" / "alias.md")  # a link to a listed file: listed once
    os.mkfifo(root / "_news" / "fifo.md")
    return root


@pytest.mark.timeout(60)
@pytest.mark.parametrize("workers", [1, 2])
def test_one_bad_file_never_stops_the_folder(tmp_path: Path, workers: int, monkeypatch):
    root = hostile_folder(tmp_path / "site")
    monkeypatch.setattr(library, "PARALLEL_THRESHOLD", 1)  # the worker-process path too
    for index in (None, Index(root, tmp_path / "cache"), Index(root, tmp_path / "cache")):  # cold, then warm
        loaded = opening.load(root, workers=workers, index=index)
        paths = sorted(e.summary.path for e in loaded.entries)
        assert paths == ["_news/deep.md", "_news/good0.md", "_news/good1.md", "_news/good2.md", "_news/huge.md"]
        problems = {p.path: p for p in loaded.problems}
        assert problems["_news/baddate.md"].severity == "error" and "day is out of range" in problems[
            "_news/baddate.md"].message  # fmt: skip
        assert problems["_news/huge.md"].severity == "warning" and problems["_news/huge.md"].line == 3
        assert "loops or leads nowhere" in problems["_news/loop1.md"].message
        assert "not a regular file" in problems["_news/fifo.md"].message
        assert not any(p.startswith("_news/up") for p in problems)
        huge = next(e.summary for e in loaded.entries if e.summary.path == "_news/huge.md")
        assert huge.quality is None and huge.title == "huge"


def test_stale_temp_files_of_killed_saves_are_removed_on_open(tmp_path: Path):
    root = tmp_path / "site"
    write(root, "a.md", GOOD.format(n="a"))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [root / f".a.md.{dead.pid}.k3j2h1.curator-tmp", root / f".a.md.{os.getpid()}.zz9x.curator-tmp"]
    live = root / f".a.md.{os.getppid()}.abcd.curator-tmp"  # a save running in another process
    others = [root / ".a.md.swp", root / ".a.md.tmp"]  # not Curator's
    for path in [*stale, live, *others]:
        path.write_text("half")
    opening.load(root)
    assert [p.exists() for p in stale] == [False, False]
    assert live.exists() and all(p.exists() for p in others)


def _descendants(pid: int) -> list[int]:
    """Processes started by `pid`, and by those (read from /proc): a fork server's workers are
    its children, not the loading process's."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        found += (children := parents.get(todo.pop(), []))
        todo += children
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
@pytest.mark.timeout(120)
def test_worker_processes_end_when_the_loading_process_is_killed(tmp_path: Path):
    for n in range(1200):
        write(tmp_path / "site", f"{n:04}.md", GOOD.format(n=n))
    code = (
        "import time\nfrom curator.core.folder import opening\n"
        "def batch(items):\n    print('batch', flush=True)\n    time.sleep(3)\n"
        f"opening.load({str(tmp_path / 'site')!r}, workers=2, on_batch=batch)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline() == "batch\n"  # the first rows, read in-process
        assert proc.stdout.readline() == "batch\n"  # the workers' first chunk: the pool is up
        workers = _descendants(proc.pid)
        assert len(workers) >= 3  # two workers and the resource tracker (and the fork server, on Linux)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    deadline = time.monotonic() + 20
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _running(w)]


def _final_state(messages) -> tuple[dict[str, Summary], dict[str, str], int]:
    """What a window shows after these open_iter messages: rows by path, errors by path, and
    how many files the full parse checked."""
    rows: dict[str, Summary] = {}
    errors: dict[str, str] = {}
    order: list[str] = []
    checked = 0
    for message in messages:
        if isinstance(message, opening.Batch):
            if message.columns is not None:  # rows from the index: their summaries come as Decoded
                order.extend(message.columns.paths)
            for summary in message.summaries:
                if summary is not None:
                    rows[summary.path] = summary
            errors.update({p.path: p.message for p in message.problems})
        elif isinstance(message, opening.Decoded):
            rows.update({s.path: s for s in message.summaries})
        elif isinstance(message, opening.Changes):
            checked += message.checked
            for path in message.deleted:
                rows.pop(path, None)
            rows.update({e.summary.path: e.summary for e in [*message.changed, *message.added]})
            errors.update({p.path: p.message for p in message.problems})
    return rows, errors, checked


@pytest.mark.timeout(120)
def test_a_skimmed_open_ends_as_a_full_one(tmp_path: Path, monkeypatch):
    """Listed from the list-fields reader, then checked by the full parse in the background: the
    folder ends as a full load shows it, the files whose skipped part is broken named with
    their line, cold and warm; and the index holds what the full parse read."""
    root = hostile_folder(tmp_path / "site")
    write(root, "_news/broken.md", "---\ntitle: listed at first\nrelated:\n  - a\n - b\n---\n")
    write(root, "_news/tabbed.md", "---\ntitle: tab\nsecured:\n  a: 1\n  \tb: 2\n---\n")
    write(root, "_news/control.md", '---\ntitle: control\nsecured: "x\x01y"\n---\n')
    for n in range(30):
        write(root, f"_news/more{n}.md", GOOD.format(n=f"more{n}"))
    monkeypatch.setattr(library, "PARALLEL_THRESHOLD", 1)  # the worker-process path, where the skim is used
    full = opening.load(root, workers=2)
    expected_rows = {e.summary.path: e.summary for e in full.entries}
    expected_errors = {p.path: p.message for p in full.problems if p.severity != "warning"}
    broken = {"_news/broken.md", "_news/tabbed.md", "_news/control.md"}
    assert broken <= set(expected_errors)
    for cold in (True, False):
        index = Index(root, tmp_path / "cache")
        messages = list(opening.open_iter(root, index, workers=2, skim=True))
        rows, errors, checked = _final_state(messages)
        assert rows == expected_rows
        assert errors == expected_errors
        if cold:  # every file listed first (the broken ones too), then checked
            kinds = [type(m).__name__ for m in messages]
            listed = [s.path for m in messages[: kinds.index("Checking")] if isinstance(m, opening.Batch)
                      for s in m.summaries]  # fmt: skip
            assert broken <= set(listed)
            assert len(listed) == len(expected_rows) + len(broken) and checked >= len(listed)
        else:  # warm: the broken files are read again (the index holds no problems), and checked again
            assert len(broken) <= checked < len(expected_rows)
            # every row of the index is listed before any is checked: Listed says so (the window
            # starts the gram index's catch-up then, not after the check)
            kinds = [type(m).__name__ for m in messages]
            at = kinds.index("Listed")
            assert set(kinds[:at]) == {"Batch"} and kinds.count("Listed") == 1
            assert messages[at].rows == sum(len(m.summaries) for m in messages[:at]) == len(expected_rows)
        assert {r.path for r in index.known()} == set(expected_rows)


def test_the_scan_and_the_writer_wait_for_the_gui_threads_turn(tmp_path, monkeypatch):
    """The folder's scan (every 256 entries) and the writer (each file) call gently.wait_turn:
    while the GUI thread is in a turn (gently.gui_turn) they wait for it, up to TURN_WAIT_S."""
    import threading

    from curator.core.document.saves import prepare_save
    from curator.core.document.snapshots import read_file
    from curator.core.document.writes import Status, commit_many

    for i in range(300):
        (tmp_path / f"{i:03}.md").write_text("---\ntitle: A\nquality: 1\n---\n", encoding="utf-8")
    monkeypatch.setattr(gently, "TURN_WAIT_S", 0.3)
    monkeypatch.setattr(gently, "TURN_FREE_S", 0.0)
    monkeypatch.setattr(gently, "_free_until", 0.0)
    one = tmp_path / "000.md"

    def timed(work) -> float:
        took = []

        def run() -> None:
            start = time.monotonic()
            work()
            took.append(time.monotonic() - start)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(10)
        return took[0]

    def scan_it() -> None:
        assert len(library.scan_stats(tmp_path, stats=False)) == 300

    writes = iter(range(2, 10))

    def write_it() -> None:
        [result] = commit_many([prepare_save(one, {"quality": next(writes)}, read_file(one)[1])])
        assert result.status is Status.OK

    assert timed(scan_it) < 0.25 and timed(write_it) < 0.25  # (no turn: no wait)
    with gently.gui_turn():
        assert timed(scan_it) >= 0.3
        assert timed(write_it) >= 0.3
