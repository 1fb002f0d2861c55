"""The gram index of the search text (grams.py): results equal a plain scan's, edits are found
at once, and a damaged or old index is rebuilt, never trusted."""

from __future__ import annotations

import sqlite3
from itertools import repeat
from operator import contains
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.folder import grams
from curator.core.folder.index import SCHEMA_VERSION, Index
from curator.core.folder.listing import Listing
from curator.core.folder.query import Term, parse
from curator.core.folder.table import Table
from curator.core.site.article import Summary

#: letters whose lower case is longer, shorter or of another byte length than themselves
ALPHABET = "abcchipsABCİıIΣσςßẞÄäÅǅǆ€😀 -\n"


def table_of(titles: list[str]) -> Table:
    return Table(Summary(f"{i}.md", title=t, excerpt="") for i, t in enumerate(titles))


def scan(table: Table, value: str) -> bytes:
    """The plain scan a term's flags must equal."""
    return bytes(map(contains, table.text, repeat(value.lower())))


def built(tmp_path: Path, table: Table) -> tuple[Index, grams.Grams]:
    index = Index(tmp_path / "site", tmp_path / "cache")
    mark = table.text_mark()
    done = grams.catch_up(index, table.text.snapshot())
    assert done is not None
    return index, grams.Grams(index.gram_reader, table, done, mark)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(grams, "CHUNK", 5)  # several chunks, bitmaps and row lists both


def test_grams_of_every_substring_up_to_four_bytes():
    data = "aé😀b".encode()
    want = {data[i:j] for i in range(len(data)) for j in range(i + 1, min(i + 4, len(data)) + 1)}
    assert grams.grams_of(data) == want


@pytest.mark.parametrize("count", [1, 7, 8, 9, 100])
def test_pack_and_unpack_round_trip(count):
    for rows in ([], [0], [count - 1], list(range(0, count, 2)), list(range(count))):
        flags = grams.unpack(grams.pack(rows, count), count)
        assert [i for i, f in enumerate(flags) if f] == rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    titles=st.lists(st.text(ALPHABET, max_size=30), min_size=1, max_size=23),
    values=st.lists(st.text(ALPHABET.replace(" ", "").replace("\n", ""), max_size=7), min_size=1, max_size=6),
)
def test_results_equal_a_plain_scan(tmp_path_factory, small_chunks, titles, values):
    tmp = tmp_path_factory.mktemp("g")
    table = table_of(titles)
    _, index = built(tmp, table)
    for value in values:
        assert index.flags(table, Term("", value, 0)) == scan(table, value), value
    both = parse(" ".join(f'"{v}"' for v in values))  # an And of terms (or one term)
    want = bytes(all(f) for f in zip(*(scan(table, v) for v in values), strict=True))
    assert index.flags(table, both) == want


def test_listing_answers_from_the_grams_as_from_a_scan(tmp_path, small_chunks):
    table = table_of([f"chip {w} {i}" for i, w in enumerate(["salt", "Sand", "stone", "CHIPS", "soup"] * 5)])
    done = grams.catch_up(Index(tmp_path / "site", tmp_path / "cache"), table.text.snapshot(), workers=2)  # processes
    index = grams.Grams(Index(tmp_path / "site", tmp_path / "cache").gram_reader, table, done)
    plain, fast = Listing(lambda: table), Listing(lambda: table)
    fast.use_grams(index)
    for text in ["c", "ch", "chi", "chip", "chip ", "chip s", "chips", "chip sa", '"p s"', "sand -salt"]:
        plain.set_query(text)
        fast.set_query(text)
        assert fast.compute() == plain.compute(), text
    assert fast.grams_ready()


def test_an_edited_row_is_found_by_its_new_text_at_once(tmp_path, small_chunks, monkeypatch):
    monkeypatch.setattr(grams, "SCAN_SHARE", 1.0)  # (the rows the index does not answer for merged in)
    table = table_of(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"])
    _, index = built(tmp_path, table)
    table.replace(1, Summary("1.md", title="Omega", excerpt=""))
    assert index.flags(table, Term("", "omeg", 0)) == scan(table, "omeg")
    assert index.flags(table, Term("", "beta", 0)) == scan(table, "beta")  # (the old text: gone)
    table.extend([Summary("7.md", title="omega too", excerpt="")])  # appended after the build
    assert index.flags(table, Term("", "omega", 0)) == scan(table, "omega")
    table.remove([0])  # every row after it moves up: scanned until the index catches up
    for value in ("eta", "a", "omega", "zet"):
        assert index.flags(table, Term("", value, 0)) == scan(table, value)
    monkeypatch.setattr(grams, "SCAN_SHARE", 0.25)
    assert index.flags(table, Term("", "eta", 0)) is None  # most rows moved: the caller scans them all
    listing = Listing(lambda: table)
    listing.use_grams(index)
    listing.set_query("eta")
    assert listing.compute() == table.select("eta")


EDIT = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, 40), st.sampled_from(["alpha", "beta", "gamma", "x"])),
    st.tuples(st.just("again"), st.integers(0, 40), st.just("")),  # the same text read again
    st.tuples(st.just("extend"), st.integers(1, 3), st.sampled_from(["new", "alpha"])),
    st.tuples(st.just("remove"), st.integers(0, 40), st.just("")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(st.sampled_from(["alpha", "beta", "gamma"]), min_size=1, max_size=12),
       edits=st.lists(st.lists(EDIT, max_size=4), min_size=1, max_size=4))  # fmt: skip
def test_the_rows_edited_since_the_build_are_those_a_comparison_of_every_row_finds(
    tmp_path_factory, small_chunks, titles, edits
):
    """Grams.dirty from the table's log of texts set (text_changed_since) equals comparing every
    row's text object with the one indexed, through edits, text set back, appends and removals,
    asked after each batch of them."""
    table = table_of(titles)
    index, logged = built(tmp_path_factory.mktemp("g"), table)
    compared = grams.Grams(index.gram_reader, table, grams.Built(logged.texts, logged.chunks))  # no mark
    indexed = list(table.text)
    replaced: set[int] = set()  # rows given a new text, while no row was removed
    removed = False
    for batch in edits:
        for op, at, title in batch:
            if op == "replace" and at < len(table):
                table.replace(at, Summary(f"{at}.md", title=title, excerpt=""))
                replaced.add(at)
            elif op == "again" and at < len(table):  # read anew from the index: equal text, kept
                table.summaries[at] = None
                table.replace(at, Summary(f"{at}.md", title=table.text[at].split("\n")[0], excerpt=""))
            elif op == "extend":
                table.extend([Summary(f"n{len(table) + i}.md", title=title, excerpt="") for i in range(at)])
            elif op == "remove" and at < len(table):
                table.remove([at])
                removed = True
        dirty = logged.dirty(table)
        assert dirty == compared.dirty(table)
        n = len(indexed)
        assert dirty == sorted(dirty) and dirty[len(dirty) - max(0, len(table) - n) :] == list(range(n, len(table)))
        # every row whose text is not the one indexed is scanned directly; and until a removal
        # moves rows up, only the rows given a new text are
        assert {r for r in range(min(n, len(table))) if table.text[r] != indexed[r]} <= set(dirty)
        if not removed:
            assert set(dirty) - set(range(n, len(table))) <= replaced


def test_many_rows_scanned_directly_ask_for_a_catch_up(tmp_path, monkeypatch):
    monkeypatch.setattr(grams, "STALE_ROWS", 2)
    table = table_of(["a", "b", "c", "d"])
    _, index = built(tmp_path, table)
    listing = Listing(lambda: table)
    listing.use_grams(index)
    asked = []
    listing.on_stale = lambda: asked.append(1)
    listing.set_query("a")
    listing.compute()
    assert not asked
    table.extend([Summary(f"{i}.md", title="x", excerpt="") for i in range(4, 8)])
    listing.compute()
    assert asked and not listing.grams_ready()


def test_a_corrupted_gram_table_is_detected_and_rebuilt(tmp_path, small_chunks, monkeypatch):
    table = table_of([f"title {i} chip" for i in range(12)])
    index, _ = built(tmp_path, table)
    con = sqlite3.connect(index.path)
    with con:  # a flipped posting, the digest of the texts untouched
        (posting,) = con.execute("SELECT posting FROM grams_1 WHERE gram = ?", (grams.key(b"t"),)).fetchone()
        con.execute("UPDATE grams_1 SET posting = ? WHERE gram = ?", (bytes(len(posting)), grams.key(b"t")))
    con.close()
    assert not grams.chunk_sound(
        sqlite3.connect(index.path), 1, grams.CHUNK, grams.digest(table.text[grams.CHUNK : 2 * grams.CHUNK])
    )
    con = sqlite3.connect(index.path)
    with con:  # and a chunk of another layout (keyed by the gram's bytes, as a first draft was)
        con.execute("CREATE TABLE old (gram BLOB PRIMARY KEY, posting BLOB) WITHOUT ROWID")
        con.execute("INSERT INTO old SELECT CAST(gram AS BLOB), posting FROM grams_2")
        con.execute("DROP TABLE grams_2")
        con.execute("ALTER TABLE old RENAME TO grams_2")
    con.close()
    rebuilt, real = [], grams.build
    monkeypatch.setattr(grams, "build", lambda texts: (rebuilt.append(list(texts)), real(texts))[1])
    done = grams.catch_up(index, table.text.snapshot())
    assert rebuilt == [table.text[grams.CHUNK : 2 * grams.CHUNK], table.text[2 * grams.CHUNK :]]  # the damaged ones
    found = grams.Grams(index.gram_reader, table, done)
    for value in ("t", "1", "e 1"):
        assert found.flags(table, Term("", value, 0)) == scan(table, value)


def test_worker_processes_check_the_postings_and_rebuild_a_damaged_chunk(tmp_path, small_chunks):
    """With workers, the postings are read and hashed in the processes (not in the window's
    process): a damaged chunk is still found there and built again; the sound ones are kept."""
    table = table_of([f"title {i} chip" for i in range(12)])
    index, _ = built(tmp_path, table)
    con = sqlite3.connect(index.path)
    with con:
        (posting,) = con.execute("SELECT posting FROM grams_1 WHERE gram = ?", (grams.key(b"t"),)).fetchone()
        con.execute("UPDATE grams_1 SET posting = ? WHERE gram = ?", (bytes(len(posting)), grams.key(b"t")))
        written = dict(con.execute("SELECT chunk, postings FROM gram_chunks").fetchall())
    con.close()
    texts = list(table.text)
    parts = [texts[i : i + grams.CHUNK] for i in range(0, len(texts), grams.CHUNK)]
    done = grams.catch_up(index, table.text.snapshot(), workers=2)
    assert done is not None
    con = sqlite3.connect(index.path)
    assert all(grams.chunk_sound(con, n, len(part), grams.digest(part)) for n, part in enumerate(parts))
    after = dict(con.execute("SELECT chunk, postings FROM gram_chunks").fetchall())
    con.close()
    assert after == written  # (chunk 1 built again from the same texts: the same postings as first written)
    found = grams.Grams(index.gram_reader, table, done)
    for value in ("t", "1", "e 1", "chip"):
        assert found.flags(table, Term("", value, 0)) == scan(table, value)


def test_a_posting_that_cannot_be_read_is_not_trusted(tmp_path, small_chunks):
    table = table_of([f"title {i}" for i in range(12)])
    index, found = built(tmp_path, table)
    con = sqlite3.connect(index.path)
    with con:  # a posting of an impossible size
        con.execute("UPDATE grams_0 SET posting = ? WHERE gram = ?", (b"\x01\x02\x03", grams.key(b"t")))
    con.close()
    assert found.flags(table, Term("", "t", 0)) is None  # the caller scans
    assert found.broken and found.stale(table)
    listing = Listing(lambda: table)
    listing.use_grams(found)
    listing.set_query("t")
    assert listing.compute() == Listing(lambda: table).table.select("t")


def test_a_damaged_index_file_is_rebuilt_and_an_old_one_not_read(tmp_path, small_chunks):
    table = table_of([f"title {i}" for i in range(12)])
    index, _ = built(tmp_path, table)
    con = sqlite3.connect(index.path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")
    con.close()
    assert index.gram_reader() is None  # an old index: not read
    again = Index(tmp_path / "site", tmp_path / "cache")
    done = grams.catch_up(again, table.text.snapshot())  # (opens it as the app does: rebuilt)
    assert done is not None and again.rebuilt
    found = grams.Grams(again.gram_reader, table, done)
    assert found.flags(table, Term("", "title 1", 0)) == scan(table, "title 1")
    index.path.write_bytes(b"not a database" * 100)
    third = Index(tmp_path / "site", tmp_path / "cache")
    assert grams.catch_up(third, table.text.snapshot()) is not None and third.rebuilt
