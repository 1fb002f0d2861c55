"""The persistent index: reused when files are unchanged, never trusted otherwise."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest

from curator.core.document.snapshots import Snapshot, digest
from curator.core.folder import library, opening
from curator.core.folder.index import (
    SCHEMA_VERSION,
    FileStat,
    Index,
    Known,
    decode_known,
    read_ahead,
    reusable,
)
from curator.core.folder.table import Table
from curator.core.folder.texts import Texts
from curator.core.folder.workspace import SaveJob, save_batch
from curator.core.site.article import Summary
from tests.core.test_files import NOBODY, NOGROUP, as_user, needs_root

TEXT = "---\ntitle: {t}\nquality: {q}\ntopics:\n  - AI\n---\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for i in range(30):
        path = root / f"{i:02}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEXT.format(t=f"Title {i}", q=i))
        old = time.time() - 3600  # written an hour ago: not racy
        os.utime(path, (old, old))
    return root


def open_with(root: Path, cache: Path, parsed: list[str] | None = None):
    index = Index(root, cache)
    if parsed is not None:
        real = library.iter_load

        def spy(root_, rels, *a, **kw):
            parsed.extend(rels)
            return real(root_, rels, *a, **kw)

        library.iter_load, restore = spy, real
        try:
            loaded = opening.load(root, index=index)
        finally:
            library.iter_load = restore
    else:
        loaded = opening.load(root, index=index)
    return loaded, index


def by_path(loaded):
    return {e.summary.path: e for e in loaded.entries}


def test_warm_open_reuses_everything_and_matches_a_cold_parse(folder, tmp_path):
    cold, index = open_with(folder, tmp_path / "cache")
    assert index.rebuilt  # a new index
    parsed: list[str] = []
    warm, index = open_with(folder, tmp_path / "cache", parsed)
    assert parsed == [] and not index.rebuilt
    assert {p: e.summary for p, e in by_path(warm).items()} == {p: e.summary for p, e in by_path(cold).items()}
    assert {p: e.snapshot for p, e in by_path(warm).items()} == {p: e.snapshot for p, e in by_path(cold).items()}


@pytest.mark.parametrize("batches", [None, (4, 10, 3)], ids=["one batch", "batches of 4, 10 and records of 3"])
def test_edited_replaced_deleted_renamed_and_new_files(folder, tmp_path, monkeypatch, batches):
    if batches:  # each row checked against its own file's stat, whichever batch it came in
        for name, size in zip(("INDEX_FIRST_BATCH", "INDEX_BATCH", "RECORD_BATCH"), batches, strict=True):
            monkeypatch.setattr(opening, name, size)
    open_with(folder, tmp_path / "cache")
    (folder / "00.md").write_text(TEXT.format(t="Edited", q=0))  # same size, new content
    (folder / "25.md").write_text(TEXT.format(t="Edited too", q=25))
    replacement = folder / "tmp.txt"
    replacement.write_text(TEXT.format(t="Replaced", q=1))
    os.replace(replacement, folder / "01.md")
    (folder / "02.md").unlink()
    os.rename(folder / "03.md", folder / "03-renamed.md")
    (folder / "new.md").write_text(TEXT.format(t="New", q=99))
    parsed: list[str] = []
    loaded, _ = open_with(folder, tmp_path / "cache", parsed)
    assert sorted(parsed) == ["00.md", "01.md", "03-renamed.md", "25.md", "new.md"]
    entries = by_path(loaded)
    assert entries["00.md"].summary.title == "Edited" and entries["01.md"].summary.title == "Replaced"
    assert entries["25.md"].summary.title == "Edited too" and entries["24.md"].summary.title == "Title 24"
    assert "02.md" not in entries and "03.md" not in entries
    parsed.clear()
    open_with(folder, tmp_path / "cache", parsed)
    assert parsed == []  # everything indexed again, deleted rows gone


def test_a_message_sent_is_not_changed_by_what_the_load_finds_after(folder, tmp_path):
    """The reader may read a message after the load has gone on (another thread)."""
    open_with(folder, tmp_path / "cache")
    (folder / "02.md").unlink()
    time.sleep(0.01)
    (folder / "05.md").write_text("---\ntitle: [broken\n---\n")  # unusable now: off the list later
    messages = list(opening.open_iter(folder, Index(folder, tmp_path / "cache")))
    changes = [m for m in messages if isinstance(m, opening.Changes) and m.deleted]
    assert [m.deleted for m in changes] == [["02.md"], ["05.md"]]


def test_racy_and_future_mtimes_are_checked_by_content(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: a\n---\n")
    st = FileStat.of(path.stat())
    right = digest(path.read_bytes())
    now = time.time_ns()
    root = str(tmp_path)

    def known(recorded_digest: str, indexed_ns: int) -> Known:
        snapshot = Snapshot(st.mtime_ns, st.size, recorded_digest)
        return Known("a.md", tuple(st), indexed_ns, snapshot, Summary("a.md"))

    # indexed long after the last write: trusted on stat alone (even with a wrong digest recorded)
    assert reusable(known("stale-digest", st.mtime_ns + 10**10), st, root, now)
    # indexed right after the write (racy): the content decides
    assert not reusable(known("stale-digest", st.mtime_ns), st, root, now)
    assert reusable(known(right, st.mtime_ns), st, root, now)
    # a clock that ran backwards (mtime in the future): the content decides
    assert not reusable(known("stale-digest", 0), st, root, st.mtime_ns - 1)
    # any stat difference: parse again
    assert not reusable(known(right, 0), st._replace(ctime_ns=st.ctime_ns + 1), root, now)


def test_corrupt_or_old_index_is_rebuilt(folder, tmp_path):
    _, index = open_with(folder, tmp_path / "cache")
    index.path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(index.path) + suffix).unlink(missing_ok=True)
    loaded, index = open_with(folder, tmp_path / "cache")
    assert index.rebuilt and len(loaded.entries) == 30
    con = sqlite3.connect(index.path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")
    con.commit()
    con.close()
    parsed: list[str] = []
    loaded, index = open_with(folder, tmp_path / "cache", parsed)
    assert index.rebuilt and len(parsed) == 30


def test_summaries_survive_the_round_trip(tmp_path):

    odd = Summary("a.md", title="T", topics=("x\x1fy", ""), warnings=((3, "quality: bad"),), quality=-4, missing=5)
    plain = Summary("b.md", title="B", topics=("AI", "Power Apps"), published=False, heat=0)
    index = Index(tmp_path, tmp_path / "cache")
    stat = FileStat(1, 2, 3, 4)
    index.store([(odd, stat, Snapshot(1, 2, "d1", 3, 4)), (plain, stat, Snapshot(1, 2, "d2", 3, 4))])
    records = {r.path: r for r in index.known()}
    assert records["a.md"].summary == odd and records["b.md"].summary == plain
    assert records["a.md"].snapshot == Snapshot(1, 2, "d1", 3, 4) and records["a.md"].stat == stat


def test_indexes_of_different_folders_stay_apart(folder, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.md").write_text(TEXT.format(t="Other", q=1))
    open_with(folder, tmp_path / "cache")
    loaded, _ = open_with(other, tmp_path / "cache")
    assert [e.summary.title for e in loaded.entries] == ["Other"]


def test_rows_read_ahead_then_summaries_match_a_cold_parse(tmp_path, corpus):
    """A warm open shows rows from columns of the index; the Summary objects follow."""
    root = corpus
    cold = opening.load(root, workers=1)
    index = Index(root, tmp_path / "cache")
    index.store([(e.summary, e.stat or FileStat.of(os.stat(root / e.summary.path)), e.snapshot) for e in cold.entries])
    typed = Summary("zz/typed.md", title="Typed", quality=None, warnings=((3, "quality: expected a whole number"),))
    index.store([(typed, FileStat(1, 2, 3, 4), Snapshot(1, 2, "d", 3, 4))])
    cold.entries.append(library.Entry(typed, Snapshot(1, 2, "d", 3, 4)))
    by_path = {e.summary.path: e for e in cold.entries}
    rows = [r for batch in index.iter_rows(100) for r in batch]
    items, columns, snapshots = read_ahead(rows, index.summaries)
    expected = Table([by_path[p].summary for p in columns.paths])  # what a cold parse gives
    texts = Texts()
    texts.extend(columns.text)  # (packed in the loading thread: the bytes the table takes)
    assert columns.paths == expected.paths and list(texts) == list(expected.text)
    assert (columns.published, columns.quality, columns.heat) == (expected.published, expected.quality, expected.heat)
    assert columns.date.tobytes() == expected.date.tobytes()  # (NaN where none: see NO_DATE)
    assert list(snapshots) == [by_path[p].snapshot for p in columns.paths]
    assert [i for i in items if i is not None] == [typed]  # warnings are listed at once
    records = [r for batch in index.iter_path_records(100) for r in batch]
    assert [p for p, _ in records] == columns.paths  # the second pass walks the same order
    known = [decode_known(record) for _, record in records]
    assert [k.summary for k in known] == [by_path[p].summary for p in columns.paths]
    assert [k.snapshot for k in known] == list(snapshots)
    seed, missing = "_news/2021-06-02-table-permissions-in-portals-studio.md", "not/there.md"
    assert index.summaries([seed, missing]) == {seed: by_path[seed].summary, missing: Summary(missing)}


def test_a_warm_open_sends_rows_then_their_summaries(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "INDEX_FIRST_BATCH", 4)
    monkeypatch.setattr(opening, "INDEX_BATCH", 10)
    monkeypatch.setattr(opening, "RECORD_BATCH", 3)  # (records read across the rows' batches)
    open_with(folder, tmp_path / "cache")
    messages = list(opening.open_iter(folder, Index(folder, tmp_path / "cache")))
    batches = [m for m in messages if isinstance(m, opening.Batch)]
    decoded = [m for m in messages if isinstance(m, opening.Decoded)]
    assert [len(b) for b in batches] == [4, 10, 10, 6]
    assert [d.start for d in decoded] == [0, 4, 14, 24]  # the rows of each batch
    assert messages.index(decoded[0]) > messages.index(batches[-1])  # the whole list first
    assert [s.title for s in batches[0].summaries] == [f"Title {i}" for i in range(4)]  # the first screen at once
    table = Table()
    for batch in batches:
        assert batch is batches[0] or batch.summaries == [None] * len(batch.summaries)  # the rest come later
        table.extend(batch.summaries, columns=batch.columns)
    assert table.select("title") == list(range(30)) and table.select("quality:>=29") == [29]  # from the columns
    assert (
        [s.title for s in table.summaries.take([0, 21, 3])]
        == [  # several rows at once: fetched as needed
            "Title 0",
            f"Title {int(table.paths[21][:2])}",
            "Title 3",
        ]
    )
    row = table.paths.index("17.md")
    assert table.summaries[row].title == "Title 17"  # read before its summary came: fetched on the spot
    for batch, message in zip(batches, decoded, strict=True):
        assert len(message.summaries) == len(batch.summaries)
        table.decoded(message.start, message.summaries)  # their facet values, not the Summary objects
    decoded_topics = {s.path: s.topics for m in decoded for s in m.summaries}
    assert table.topics_of() == [decoded_topics[p] for p in table.paths] and not table.facets.unknown()
    kept = [(s, p) for s, p in zip(list.__iter__(table.summaries), table.paths, strict=True) if s is not None]
    assert 0 < len(kept) < 30  # the first screen's and those read: the others only in the index
    # one string object per path, shared by the summary and the table (a copy each is 8 MB at 100k)
    assert all(s.path is p for s, p in kept)
    assert [s.title for s in table.summaries] == [f"Title {int(p[:2])}" for p in table.paths]
    cold = opening.load(folder, workers=1)
    assert sorted(table.summaries, key=lambda s: s.path) == [e.summary for e in cold.entries]
    warm = opening.load(folder, index=Index(folder, tmp_path / "cache"))
    assert [e.summary for e in warm.entries] == [e.summary for e in cold.entries]


def test_a_warm_open_sends_the_summaries_in_pieces(folder, tmp_path, monkeypatch):
    """Decoded summaries come DECODED_PIECE rows at a time (within each batch of rows), each
    piece's rows after the last's, so that few are alive at once: every row is covered."""
    monkeypatch.setattr(opening, "INDEX_FIRST_BATCH", 4)
    monkeypatch.setattr(opening, "INDEX_BATCH", 10)
    monkeypatch.setattr(opening, "RECORD_BATCH", 3)
    monkeypatch.setattr(opening, "DECODED_PIECE", 4)
    open_with(folder, tmp_path / "cache")
    messages = list(opening.open_iter(folder, Index(folder, tmp_path / "cache")))
    paths = [p for m in messages if isinstance(m, opening.Batch) and m.columns is not None for p in m.columns.paths]
    decoded = [m for m in messages if isinstance(m, opening.Decoded)]
    assert [(d.start, len(d.summaries)) for d in decoded] == [
        (0, 4), (4, 4), (8, 4), (12, 2), (14, 4), (18, 4), (22, 2), (24, 4), (28, 2)
    ]  # fmt: skip
    assert [s.path for d in decoded for s in d.summaries] == paths
    cold = opening.load(folder, workers=1)
    assert sorted((s for d in decoded for s in d.summaries), key=lambda s: s.path) == [e.summary for e in cold.entries]


def test_a_record_that_does_not_decode_mid_way_has_the_whole_folder_read_again(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "INDEX_FIRST_BATCH", 4)
    monkeypatch.setattr(opening, "INDEX_BATCH", 10)
    monkeypatch.setattr(opening, "RECORD_BATCH", 3)  # (records read across the rows' batches)
    _, index = open_with(folder, tmp_path / "cache")
    con = sqlite3.connect(index.path)
    with con:
        con.execute("UPDATE files SET record = 'not a record' WHERE path = '17.md'")
    con.close()
    (folder / "new.md").write_text((folder / "03.md").read_text())  # (not indexed: it comes back too)
    messages = list(opening.open_iter(folder, Index(folder, tmp_path / "cache")))
    listed = [p for m in messages if isinstance(m, opening.Batch) and m.columns is not None for p in m.columns.paths]
    decoded = [m.start for m in messages if isinstance(m, opening.Decoded)]
    (dropped,) = [m for m in messages if isinstance(m, opening.Changes) and m.deleted]
    again = [s for m in messages if isinstance(m, opening.Batch) and m.columns is None for s in m.summaries]
    assert len(listed) == 30 and sorted(dropped.deleted) == sorted(listed)  # every row shown leaves...
    assert decoded == [0, 4]  # (the batches before the bad record had come)
    cold = opening.load(folder, workers=1)
    assert sorted(again, key=lambda s: s.path) == [e.summary for e in cold.entries]  # ...and comes back read


# -- the index is a cache: without a usable one, Curator works without it ----------------------


def test_a_folder_where_the_index_file_should_be(folder: Path, tmp_path: Path):
    index = Index(folder, tmp_path / "cache")
    index.path.mkdir(parents=True)
    loaded = opening.load(folder, index=index)
    assert len(loaded.entries) == 30 and not loaded.problems
    assert index.error and "working without it" in index.error
    assert index.path.is_dir()  # nothing of the user's was deleted


def test_a_cache_folder_that_is_a_file(folder: Path, tmp_path: Path):
    (tmp_path / "cache").write_text("a file, not a folder")
    index = Index(folder, tmp_path / "cache")
    loaded = opening.load(folder, index=index)
    assert len(loaded.entries) == 30 and index.error


@needs_root
def test_a_cache_folder_left_by_sudo_is_worked_around(folder: Path):
    """`sudo curator` once: the cache folder belongs to root; an ordinary user opens the folder."""
    team = Path(tempfile.mkdtemp(prefix="curator-team-", dir="/tmp"))
    try:
        site = team / "site"
        shutil.copytree(folder, site)
        for path in [team, site, *site.iterdir()]:
            os.chown(path, NOBODY, NOGROUP)
        cache = team / "cache"
        opening.load(site, index=Index(site, cache))  # root builds the index
        assert Index(site, cache).path.exists()

        def open_as_user() -> tuple[int, str | None, list[str]]:
            index = Index(site, cache)
            loaded = opening.load(site, index=index)
            results = save_batch([job(site, "00.md", loaded)], index=index, root=site)
            return len(loaded.entries), index.error, [r.result.status.value for r in results]

        count, error, statuses = as_user(NOBODY, [NOGROUP], open_as_user)
        assert count == 30 and statuses == ["ok"] and "working without it" in error
        assert "quality: 99" in (site / "00.md").read_text()
    finally:
        shutil.rmtree(team)


def job(root: Path, rel: str, loaded: opening.Loaded) -> SaveJob:
    entry = next(e for e in loaded.entries if e.summary.path == rel)
    return SaveJob(rel, str(root / rel), {"quality": 99}, entry.snapshot, entry.summary)


@needs_root
def test_a_full_cache_disk_keeps_the_good_index_and_every_save(folder: Path, full_disk: Path):
    cache = full_disk / "cache"
    loaded = opening.load(folder, index=Index(folder, cache))  # a good index
    size = Index(folder, cache).path.stat().st_size
    with open(full_disk / "filler", "wb") as f, contextlib.suppress(OSError):  # fill the disk
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    index = Index(folder, cache)
    results = save_batch([job(folder, f"{n:02}.md", loaded) for n in range(10)], index=index, root=folder)
    assert [r.result.status.value for r in results] == ["ok"] * 10  # a written file is never "failed"
    assert index.error and "working without it" in index.error
    assert Index(folder, cache).path.stat().st_size >= size  # not deleted
    (full_disk / "filler").unlink()
    warm = opening.load(folder, index=Index(folder, cache))  # still a usable index, checked on open
    assert sorted(e.summary.quality for e in warm.entries)[-10:] == [99] * 10


def test_a_warm_open_leaves_no_index_reader_open_for_another_thread_to_close(tmp_path):
    """The index is read by a generator that the loading thread closes itself once it has
    read what it needs: a reader left suspended would be closed by whichever thread freed it,
    and SQLite refuses that ("objects created in a thread can only be used in that same
    thread"; seen once while profiling, from the profiler's thread)."""
    import gc
    import types

    folder = tmp_path / "site"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i}.md").write_text(f"---\ntitle: A {i}\n---\n")
    index = Index(folder, tmp_path / "cache")
    opening.load(folder, index=index)  # fills the index
    for _ in opening.open_iter(folder, index):  # a warm open: read from the index
        pass
    gc.collect()
    open_readers = [
        g for g in gc.get_objects()
        if isinstance(g, types.GeneratorType) and g.gi_code.co_name == "_select" and g.gi_frame is not None
    ]  # fmt: skip
    assert open_readers == []


def test_a_cold_open_lets_its_summaries_go_once_the_index_holds_them(folder, tmp_path, monkeypatch):
    """What the index took (Indexed) is read from it again when needed: equal, and the edited
    row keeps its edit."""
    from curator.core.folder import rows as rows_module
    from curator.core.folder.workspace import Workspace

    monkeypatch.setattr(rows_module, "KEEP", 4)
    index = Index(folder, tmp_path / "cache")
    workspace = Workspace(folder)
    messages = list(opening.open_iter(folder, index))
    for message in messages:
        if isinstance(message, opening.Batch):
            workspace.add(message.summaries, message.snapshots, message.columns)
            if message is messages[0]:
                workspace.set_values({"03.md": {"quality": 77}})  # edited while the open goes on
        elif isinstance(message, opening.Indexed):
            assert len(message.summaries) == 30
            workspace.indexed(message.summaries, index.summaries)
    assert [type(m).__name__ for m in messages][-1] == "Indexed"
    held = [r for r, s in enumerate(list.__iter__(workspace.table.summaries)) if s is not None]
    assert workspace.rows["03.md"] in held and len(held) == 4 + 1  # the last 4 and the edited one
    cold = {e.summary.path: e.summary for e in opening.load(folder, workers=1).entries}
    row = workspace.rows["03.md"]
    assert workspace.summary(row).quality == 77 and workspace.table.select("quality:77") == [row]
    for r in range(30):
        if r != row:
            assert workspace.summary(r) == cold[workspace.path(r)]
    assert workspace.table.summaries.peek(row) is not None  # (never let go: its edit is not in the index)


@pytest.mark.parametrize("skim", [False, True], ids=["parsed", "skimmed, then parsed in workers"])
def test_files_whose_stat_changed_but_not_their_bytes_are_touched_not_changed(folder, tmp_path, skim):
    """A chmod, a copy back, a hard link: every file's stat changes, not its bytes. A warm open
    reads them again and sends new snapshots only (touched), not rows to replace (changed):
    replacing 100,000 rows in the window after a `cp -al` of the folder held it 80 s."""
    open_with(folder, tmp_path / "cache")
    later = time.time() - 1800
    for i in range(10):
        os.utime(folder / f"{i:02}.md", (later, later))
    (folder / "10.md").write_text(TEXT.format(t="Edited", q=10))
    messages = list(opening.open_iter(folder, Index(folder, tmp_path / "cache"), workers=2, skim=skim))
    changes = [m for m in messages if isinstance(m, opening.Changes)]
    touched = {p: s for m in changes for p, s in m.touched}
    changed = [e.summary.path for m in changes for e in m.changed]
    assert sorted(touched) == [f"{i:02}.md" for i in range(10)] and changed == ["10.md"], (touched, changed)
    assert all(s.mtime_ns == (folder / p).stat().st_mtime_ns for p, s in touched.items())
    parsed: list[str] = []
    open_with(folder, tmp_path / "cache", parsed)
    assert parsed == []  # their new stats were indexed


def test_a_row_read_from_the_index_is_replaced_without_fetching_it(folder, tmp_path):
    """A file changed on disk replaces its row; the topics it showed (for the topics another
    program changed) come from the table's facets, not from the index a row at a time."""
    from curator.core.folder.workspace import Workspace

    open_with(folder, tmp_path / "cache")
    workspace = Workspace(folder)
    for message in opening.open_iter(folder, Index(folder, tmp_path / "cache")):
        if isinstance(message, opening.Batch):
            workspace.add(message.summaries, message.snapshots, message.columns)
        elif isinstance(message, opening.Decoded):
            workspace.table.decoded(message.start, message.summaries)
    fetched: list[str] = []
    summaries = workspace.table.summaries
    real = summaries.fetch
    summaries.fetch = lambda paths: fetched.extend(paths) or real(paths)
    (folder / "20.md").write_text(TEXT.format(t="Edited", q=20).replace("AI", "Robots"))
    entry = library.load_one(str(folder), "20.md")
    row = workspace.replace(entry)
    assert fetched == []
    assert workspace.foreign["20.md"].added == {"Robots"} and workspace.foreign["20.md"].removed == {"AI"}
    assert workspace.table.summaries[row].title == "Edited"
