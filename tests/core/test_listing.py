"""The Listing (core.folder.listing) picks and orders the shown rows without Qt: whatever the
keystrokes, the rows equal a plain scan of the table sorted, narrowing or not."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.folder.listing import Listing, Positions
from curator.core.folder.table import Table
from curator.core.site.article import Summary

WORDS = ["power", "apps", "portals", "teams", "ai", "news"]
ROWS = [
    Summary(f"{i:02}.md", title=" ".join(WORDS[j % len(WORDS)] for j in range(i, i + 3)), quality=(i * 37) % 101,
            date=dt.datetime(2021, 1 + i % 12, 1 + i % 27, tzinfo=dt.UTC), published=bool(i % 3))
    for i in range(40)
]  # fmt: skip


def plain(table: Table, query: str, field: str, descending: bool) -> list[int]:
    return table.sort(table.select(query), field, descending)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["p", "po", "pow", "power", "power a", "a", "ai", "published:no", "quality:>50", ""]),
             min_size=1, max_size=6),
    st.sampled_from(["date", "quality", "title"]),
    st.booleans(),
)  # fmt: skip
def test_the_rows_shown_equal_a_plain_scan_keystroke_after_keystroke(keystrokes, field, descending):
    table = Table(ROWS)
    listing = Listing(lambda: table)
    listing.set_sort(field, descending)
    for text in keystrokes:
        listing.set_query(text)
        assert listing.compute() == plain(table, text, field, descending), text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["", "po", "power a", "published:no"]), st.booleans()), min_size=1, max_size=6),
    st.sampled_from(["date", "quality", "heat", "title", "provider", "published"]),
)
def test_the_sort_the_other_way_is_flipped_not_sorted_and_lists_what_a_sort_would(steps, field):
    """A click on the sorted column's header (the direction alone changes) reverses the sorted
    list (Table.flip), and what it lists equals a fresh sort, search after search."""
    table, sorts = Table(ROWS), []
    sort = table.sort
    table.sort = lambda *args: sorts.append(args[1:]) or sort(*args)
    listing, descending = Listing(lambda: table), True
    listing.set_sort(field, descending)
    for text, flip in steps:
        if flip:
            descending = not descending
            listing.set_sort(field, descending)
        listing.set_query(text)
        assert listing.compute() == plain(Table(ROWS), text, field, descending), (text, descending)
    assert sorts.count((field, True)) + sorts.count((field, False)) == 1  # (the first; the others flipped)


def test_a_new_sort_is_reported_once_and_matches_are_forgotten_on_request():
    table = Table(ROWS)
    listing = Listing(lambda: table)
    assert listing.set_sort("quality", False) and not listing.set_sort("quality", False)
    listing.set_query("power")
    first = listing.compute()
    listing.forget_matches()
    assert listing.compute() == first == plain(table, "power", "quality", False)
    assert listing.matching(range(5)) == [r for r in range(5) if r in set(first)]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["date", "quality", "heat", "title", "provider", "published", "topics"]),
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["published", "quality", "date", "title", "topics"])),
             min_size=1, max_size=8),
)  # fmt: skip
def test_a_sort_is_kept_through_edits_of_other_columns_and_made_again_after_its_own(field, descending, edits):
    """Edits bump the table's version; the sort is cached by its own column's changes (and
    rows coming or going), so it stays the same object until its column changes, and always
    equals a sort made afresh."""
    import dataclasses

    table = Table(ROWS)
    listing = Listing(lambda: table)
    listing.set_sort(field, descending)
    for row, changed in edits:
        before = listing.sorted_rows()
        s = table.summaries[row]
        new = {
            "published": {"published": not s.published},
            "quality": {"quality": ((s.quality or 0) + 41) % 101},
            "date": {"date": dt.datetime(2020, 1 + row % 12, 1, tzinfo=dt.UTC)},
            "title": {"title": s.title[::-1]},
            "topics": {"topics": ("Zeta",) if s.topics != ("Zeta",) else ()},
        }[changed]
        table.replace(row, dataclasses.replace(s, **new))
        after = listing.sorted_rows()
        assert after == plain(table, "", field, descending)
        if changed != field:
            assert after is before  # (not sorted again)
    table.extend([dataclasses.replace(ROWS[0], path="new.md")])
    assert listing.sorted_rows() == plain(table, "", field, descending)


@pytest.mark.parametrize("threshold", [0, 10_000])
def test_long_lists_that_live_on_are_kept_out_of_the_collectors_sight(monkeypatch, threshold):
    """A sort, its ranks and its picker of OUT_OF_SIGHT_ROWS rows or more are frozen as they are
    made (no collection of the young generation walks them); shorter ones are not."""
    import gc

    from curator.core.folder import listing as listing_module

    monkeypatch.setattr(listing_module, "OUT_OF_SIGHT_ROWS", threshold)
    table = Table(ROWS)
    listing = Listing(lambda: table)
    listing.set_sort("quality", True)
    rows = listing.sorted_rows()
    ranks = listing._ranks()  # noqa: SLF001 (what a search of a few matches orders them by)
    listing.set_query("power")
    assert listing.compute() == plain(table, "power", "quality", True)
    assert gc.isenabled()
    tracked = {id(o) for o in gc.get_objects()}  # (every generation's; not the frozen ones)
    frozen = threshold == 0
    assert (id(rows) not in tracked) == (id(ranks) not in tracked) == frozen
    assert listing.set_sort("date", False)
    _key, sort = listing.sort_ahead()
    order, _positions = sort()
    assert order == plain(table, "", "date", False) and (id(order) not in {id(o) for o in gc.get_objects()}) == frozen
    assert gc.isenabled()


def test_a_sort_made_fresh_in_a_worker_lists_the_same_rows_and_a_stale_one_is_dropped(monkeypatch):
    from curator.core.folder import listing as listing_module

    monkeypatch.setattr(listing_module, "FRESH_AHEAD_ROWS", 0)
    monkeypatch.setattr(listing_module, "FRESH_PIECE", 7)  # (pieces that do not divide the rows)
    table = Table(ROWS)
    listing = Listing(lambda: table)
    listing.set_sort("quality", True)
    assert listing.fresh_ahead() is None  # (not sorted yet: a search sorts, not this)
    listing.sorted_rows()
    key, fresh = listing.fresh_ahead()
    rows = fresh()
    assert rows == listing.sorted_rows() and rows is not listing.sorted_rows()
    listing.freshened(key, rows)
    assert listing.sorted_rows() is rows and listing.fresh_ahead() is None  # (fresh now: nothing to make)
    for text in ["p", "po", "power a", "published:no", ""]:
        listing.set_query(text)
        assert listing.compute() == plain(table, text, "quality", True), text
    listing.set_sort("date", False)
    listing.sorted_rows()
    key, fresh = listing.fresh_ahead()
    made = fresh()
    listing.set_sort("title", False)  # sorted again before the worker's rows came
    listing.freshened(key, made)
    assert listing.sorted_rows() is not made and listing.sorted_rows() == plain(table, "", "title", False)


@settings(max_examples=100, deadline=None)
@given(st.permutations(list(range(40))).map(lambda rows: rows[: len(rows) // 2 + 3]), st.integers(1, 9))
def test_positions_placed_in_pieces_equal_those_placed_at_once(order, piece):
    whole, pieces = Positions(order, 40), Positions(order, 40, piece=piece)
    assert all(whole.get(r) == pieces.get(r) for r in range(45))
    assert [pieces[r] for r in order] == list(range(len(order)))
    pieces.place([41, 44], len(order), piece=piece)  # rows beyond the array: it grows
    assert pieces.get(44) == len(order) + 1 and pieces.get(42) is None


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(["p", "po", "pow", "power", "power a", "a", "ai", "published:no", "quality:>50", ""]),
             min_size=1, max_size=6),
    st.sampled_from(["date", "quality", "title"]),
    st.booleans(),
    st.integers(1, 12),
    st.integers(1, 9),
    st.booleans(),
)  # fmt: skip
def test_a_list_picked_in_pieces_is_the_list_computed_whole(keystrokes, field, descending, first, piece, at_once):
    from curator.core.folder import listing as listing_module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listing_module, "PIECES_FROM", 0)  # (every list long enough here)
        patch.setattr(listing_module, "FIRST_SPAN", 1)
        patch.setattr(listing_module, "OUT_OF_SIGHT_ROWS", 0 if at_once else 10_000)  # (matches kept as flags or not)
        pieces(keystrokes, field, descending, first, piece, at_once)


def pieces(keystrokes, field, descending, first, piece, at_once):
    table = Table(ROWS)
    listing = Listing(lambda: table)
    listing.set_sort(field, descending)
    for text in keystrokes:
        listing.set_query(text)
        whole = plain(table, text, field, descending)
        picking = listing.compute_pieces(first)
        assert picking.count == len(whole), text
        assert all(picking.shown(r) == (r in whole) for r in range(len(table))) or picking.done
        rows = list(picking.first)
        if at_once:
            rows += picking.rest()
        while not picking.done:
            rows += picking.more(piece)
        assert rows == whole, text
        assert picking.more(piece) == [] and picking.rest() == []
        assert listing.compute() == whole  # (and a whole compute after it agrees)
