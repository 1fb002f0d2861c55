"""The persistent index: reused when files are unchanged, never trusted otherwise."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from curator.core import library
from curator.core.article import Summary
from curator.core.files import Snapshot, digest
from curator.core.index import (
    SCHEMA_VERSION,
    FileStat,
    Index,
    Known,
    decode_known,
    read_ahead,
    reusable,
)
from curator.core.query import Table
from tests.conftest import ROOT

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
            loaded = library.load(root, index=index)
        finally:
            library.iter_load = restore
    else:
        loaded = library.load(root, index=index)
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


def test_edited_replaced_deleted_renamed_and_new_files(folder, tmp_path):
    open_with(folder, tmp_path / "cache")
    (folder / "00.md").write_text(TEXT.format(t="Edited", q=0))  # same size, new content
    replacement = folder / "tmp.txt"
    replacement.write_text(TEXT.format(t="Replaced", q=1))
    os.replace(replacement, folder / "01.md")
    (folder / "02.md").unlink()
    os.rename(folder / "03.md", folder / "03-renamed.md")
    (folder / "new.md").write_text(TEXT.format(t="New", q=99))
    parsed: list[str] = []
    loaded, _ = open_with(folder, tmp_path / "cache", parsed)
    assert sorted(parsed) == ["00.md", "01.md", "03-renamed.md", "new.md"]
    entries = by_path(loaded)
    assert entries["00.md"].summary.title == "Edited" and entries["01.md"].summary.title == "Replaced"
    assert "02.md" not in entries and "03.md" not in entries
    parsed.clear()
    open_with(folder, tmp_path / "cache", parsed)
    assert parsed == []  # everything indexed again, deleted rows gone


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

    odd = Summary(
        "a.md", title="T", topics=("x\x1fy", ""), warnings=((3, "quality: bad"),), quality=-4, related=2, missing=5
    )
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


def test_rows_read_ahead_then_summaries_match_a_cold_parse(tmp_path):
    """A warm open shows rows from columns of the index; the Summary objects follow."""
    root = ROOT.parent / "shared" / "corpus" / "power-apps"
    cold = library.load(root, workers=1)
    index = Index(root, tmp_path / "cache")
    index.store([(e.summary, e.stat or FileStat.of(os.stat(root / e.summary.path)), e.snapshot) for e in cold.entries])
    typed = Summary("zz/typed.md", title="Typed", quality=None, warnings=((3, "quality: expected a whole number"),))
    index.store([(typed, FileStat(1, 2, 3, 4), Snapshot(1, 2, "d", 3, 4))])
    cold.entries.append(library.Entry(typed, Snapshot(1, 2, "d", 3, 4)))
    by_path = {e.summary.path: e for e in cold.entries}
    rows = [r for batch in index.iter_rows(100) for r in batch]
    items, columns, snapshots = read_ahead(rows, index.summaries)
    expected = Table([by_path[p].summary for p in columns.paths])  # what a cold parse gives
    assert columns.paths == expected.paths and columns.text == expected.text
    assert (columns.published, columns.quality, columns.heat) == (expected.published, expected.quality, expected.heat)
    assert columns.date == expected.date
    assert snapshots == [by_path[p].snapshot for p in columns.paths]
    assert [i for i in items if i is not None] == [typed]  # warnings are listed at once
    records = [r for batch in index.iter_path_records(100) for r in batch]
    assert [p for p, _ in records] == columns.paths  # the second pass walks the same order
    known = [decode_known(record) for _, record in records]
    assert [k.summary for k in known] == [by_path[p].summary for p in columns.paths]
    assert [k.snapshot for k in known] == snapshots
    seed, missing = "_news/2021-06-02-table-permissions-in-portals-studio.md", "not/there.md"
    assert index.summaries([seed, missing]) == {seed: by_path[seed].summary, missing: Summary(missing)}


def test_a_warm_open_sends_rows_then_their_summaries(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(library, "INDEX_FIRST_BATCH", 4)
    monkeypatch.setattr(library, "INDEX_BATCH", 10)
    open_with(folder, tmp_path / "cache")
    messages = list(library.open_iter(folder, Index(folder, tmp_path / "cache")))
    batches = [m for m in messages if isinstance(m, library.Batch)]
    decoded = [m for m in messages if isinstance(m, library.Decoded)]
    assert [len(b) for b in batches] == [4, 10, 10, 6]
    assert [d.start for d in decoded] == [0, 4, 14, 24]  # the rows of each batch
    assert messages.index(decoded[0]) > messages.index(batches[-1])  # the whole list first
    assert [s.title for s in batches[0].summaries] == [f"Title {i}" for i in range(4)]  # the first screen at once
    table = Table()
    for batch in batches:
        assert batch is batches[0] or batch.summaries == [None] * len(batch.summaries)  # the rest come later
        table.extend(batch.summaries, columns=batch.columns)
    assert table.select("title") == list(range(30)) and table.select("quality:>=29") == [29]  # from the columns
    row = table.paths.index("17.md")
    assert table.summaries[row].title == "Title 17"  # read before its summary came: fetched on the spot
    for batch, message in zip(batches, decoded, strict=True):
        assert len(message.summaries) == len(batch.summaries)
        table.summaries.decoded(message.start, message.summaries)
    assert all(type(item) is Summary for item in list.__iter__(table.summaries))
    assert [s.title for s in table.summaries] == [f"Title {int(p[:2])}" for p in table.paths]
    cold = library.load(folder, workers=1)
    assert sorted(table.summaries, key=lambda s: s.path) == [e.summary for e in cold.entries]
    warm = library.load(folder, index=Index(folder, tmp_path / "cache"))
    assert [e.summary for e in warm.entries] == [e.summary for e in cold.entries]
