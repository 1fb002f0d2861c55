from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.folder.query import SORT_FIELDS, QueryError, _shape, narrows, parse, quote, residual
from curator.core.folder.table import Table
from curator.core.site.article import Summary
from tests.conftest import lines_run

UTC = dt.UTC
ROWS = [
    Summary("a.md", title="Power Apps news", excerpt="Canvas", provider_name="Microsoft",
            provider_domain="microsoft.com", topics=("Power Apps", "AI Builder"), quality=80, heat=3,
            published=False, category="news", type="article", image="http://x/a.jpg",
            date=dt.datetime(2021, 1, 15, tzinfo=UTC)),
    Summary("b.md", title="Portals", excerpt="power pages", provider_name="GeekWire", provider_domain="geekwire.com",
            topics=("Portals",), quality=10, published=True, category="news", type="video",
            date=dt.datetime(2021, 3, 31, 23, tzinfo=UTC)),
    Summary("c.md", title="Other", provider_domain="news.microsoft.com", quality=None, published=True,
            date=dt.datetime(2020, 12, 31, tzinfo=UTC)),
]  # fmt: skip
TABLE = Table(ROWS)


def paths(q: str) -> list[str]:
    return [TABLE.summaries[r].path for r in TABLE.select(q)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["a.md", "b.md", "c.md"]),
        ("power", ["a.md", "b.md"]),
        ("POWER apps", ["a.md"]),
        ('"power pages"', ["b.md"]),
        ('topic:"power apps"', ["a.md"]),
        ("topic:ai*", ["a.md"]),
        ("provider:microsoft.com", ["a.md", "c.md"]),
        ("provider:GeekWire", ["b.md"]),
        ("category:news type:video", ["b.md"]),
        ("published:no", ["a.md"]),
        ("-published:no", ["b.md", "c.md"]),
        ("quality:>=50", ["a.md"]),
        ("quality:10..60", ["b.md"]),
        ("quality:<80", ["b.md"]),
        ("date:2021-01..2021-03", ["a.md", "b.md"]),
        ("date:2020", ["c.md"]),
        ("date:>=2021-02", ["b.md"]),
        ("has:image", ["a.md"]),
        ("-has:quality", ["c.md"]),
        ("portals OR other", ["b.md", "c.md"]),
        ("(portals OR other) -type:video", ["c.md"]),
        ("title:news", ["a.md"]),
        ("path:b.", ["b.md"]),
    ],
)
def test_queries(query, expected):
    assert paths(query) == expected


@pytest.mark.parametrize(
    ("query", "position", "message"),
    [
        ("foo:bar", 1, "unknown field"),
        ("quality:>=lots", 1, "not a number"),
        ('topic:"open', 1, "needs a value"),
        ("a (b", 3, r"missing '\)'"),
        ("a )", 3, "unmatched"),
        ("date:2021-13", 1, "month"),
        ("published:maybe", 1, "yes or no"),
        ("a OR", 5, "expected a search term"),
        ('"open', 1, "unclosed quote"),
    ],
)
def test_errors_name_the_position(query, position, message):
    with pytest.raises(QueryError, match=message) as info:
        parse(query)
    assert info.value.position + 1 == position


def test_sort_puts_unknown_last_both_ways():
    rows = list(range(3))
    assert [TABLE.summaries[r].path for r in TABLE.sort(rows, "quality")] == ["b.md", "a.md", "c.md"]
    assert [TABLE.summaries[r].path for r in TABLE.sort(rows, "quality", descending=True)] == ["a.md", "b.md", "c.md"]
    assert [TABLE.summaries[r].path for r in TABLE.sort(rows, "date", descending=True)] == ["b.md", "a.md", "c.md"]


def test_quote_round_trips():
    for value in ["Power Apps", 'say "hi"', "plain", "OR"]:
        assert paths(f"topic:{quote(value)}") is not None
        assert parse(f"topic:{quote(value)}").value == value


@pytest.mark.parametrize(
    ("new", "old", "expected"),
    [
        ("ch", "c", True),  # typing on
        ("chip", "", True),
        ("power apps", "power", True),  # a term added
        ("title:portals", "title:port", True),
        ("POWER", "power", True),
        ("topic:ai*", "topic:ai*", True),
        ("published:no quality:>=50", "published:no", True),
        ("c", "ch", False),  # deleting widens
        ("power", "power apps", False),
        ("title:port", "power", False),  # another field
        ("topic:ai", "topic:a", False),  # exact terms do not narrow by substring
        ("quality:>=60", "quality:>=50", False),  # ranges are not compared
        ("-power", "-pow", False),  # a longer negated word drops fewer
        ("-power x", "-power", True),
        ("portals OR other", "portals OR other", True),
        ("portals OR other", "portals", False),
    ],
)
def test_narrows(new, old, expected):
    assert narrows(parse(new), parse(old)) is expected


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("ch", "c"),
        ("power apps", "power"),
        ("-power x", "-power"),
        ("news type:video", "news"),
        ("power s", "power"),
        ("powers s", "powers"),
        ("apps power", "power apps"),
        ("-power ap", "-power a"),
    ],
)
def test_a_narrowing_query_matches_a_subset(new, old):
    if narrows(parse(new), parse(old)):
        assert set(TABLE.select(new)) <= set(TABLE.select(old))
        assert TABLE.select(new, TABLE.select(old)) == TABLE.select(new)
        # what is left to check on the old matches finds the same rows
        assert TABLE.select(residual(parse(new), parse(old)), TABLE.select(old)) == TABLE.select(new)


@pytest.mark.parametrize(
    ("new", "old", "left"),
    [("chip s", "chip", "s"), ("chips s", "chips", ""), ("chi", "ch", "chi"), ("a b", "b a", ""), ("-x y", "-x", "y")],
)
def test_residual_drops_the_terms_the_last_query_implies(new, old, left):
    assert _shape(residual(parse(new), parse(old))) == _shape(parse(left))


def test_free_text_search_builds_no_other_column():
    table = Table(ROWS)
    table.select("power")
    assert "title" not in vars(table) and "path" not in vars(table)  # lazy columns stay unbuilt
    table.select("title:power")
    assert "title" in vars(table) and "path" not in vars(table)


def test_free_text_search_runs_no_bytecode_per_row():
    """The GUI thread searches: a scan in C keeps the GIL (a loop in Python handed it to every
    busy worker each 0.1 ms), so the lines traced stay the same for 30 rows or 30,000."""

    def lines_traced(table: Table, rows) -> tuple[int, list[int]]:
        return lines_run("table.py", lambda: table.select("power", rows))

    small, big = Table(ROWS * 10), Table(ROWS * 10_000)
    assert lines_traced(small, None)[0] == lines_traced(big, None)[0]
    assert lines_traced(small, [5, 3, 1, 0])[0] == lines_traced(big, [5, 3, 1, 0])[0]
    found = lines_traced(big, None)[1]
    assert type(found) is list and len(found) == 20_000 and found[:4] == [0, 1, 3, 4]
    assert big.select("power", [4, 3, 2, 1, 0]) == [4, 3, 1, 0]  # in the order asked
    assert big.select("") == list(range(30_000))  # a list, not the range it starts from


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 5), st.floats(-2, 2, allow_nan=False)), max_size=60),
    st.booleans(),
    st.integers(1, 9),
)
def test_sorting_in_pieces_orders_as_one_sort(column, descending, piece):
    """The worker's sort (pieces merged in Python) gives the one sort's order, equal numbers in
    row order and unknown ones last, both ways."""
    from curator.core.folder.table import sort_numbers, sort_numbers_gently

    assert sort_numbers_gently(column, descending, piece) == sort_numbers(column, list(range(len(column))), descending)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(allow_nan=False)), max_size=60)
    | st.lists(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False)), max_size=60),
    st.booleans(),
)
def test_a_sort_of_numbers_orders_as_pythons_sort_of_the_values(column, descending):
    """A sort of numbers gives what sorting the rows by their values does (ints too big for a
    double and infinities included): equal values in row order, descending that list
    backwards, unknown ones last either way."""
    from curator.core.folder.table import sort_numbers

    known = sorted((r for r, v in enumerate(column) if v is not None), key=column.__getitem__)
    expected = (known[::-1] if descending else known) + [r for r, v in enumerate(column) if v is None]
    assert sort_numbers(column, list(range(len(column))), descending) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-3, 3, allow_nan=False)), max_size=60), st.booleans(), st.integers(1, 9))
def test_dates_in_an_array_with_nan_for_none_sort_as_the_list_of_them(column, descending, piece):
    """Table.date is an array of doubles, NaN where a row has no date (NO_DATE): its sorts, in
    one go and in pieces, order the rows as the same values in a list with None do."""
    from array import array

    from curator.core.folder.table import NO_DATE, sort_numbers, sort_numbers_gently

    packed = array("d", [NO_DATE if v is None else v for v in column])
    rows = list(range(len(column)))
    expected = sort_numbers(column, rows, descending)
    assert sort_numbers(packed, rows, descending) == expected == sort_numbers_gently(packed, descending, piece)
    assert sort_numbers(packed, rows[::-2], descending) == sort_numbers(column, rows[::-2], descending)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.lists(st.sampled_from(["", "a", "A", "é", "É", "b", "x" * 9]),
                                                     max_size=8)), max_size=12),
    st.randoms(use_true_random=False),
)  # fmt: skip
def test_a_column_of_codes_reads_as_the_list_of_its_strings(puts, rnd):
    """Codes (a facet field's column: a number a row) reads, lowers and keeps rows as a list of
    the same strings does, blanks "" and values put over others included (count_facets counts
    its codes: see the test of counts in pieces)."""
    from curator.core.folder.rows import Codes

    codes, plain = Codes(), []
    for at, strings in puts:
        grow = at + len(strings) - len(plain)
        if grow > 0:
            codes.blanks(grow)
            plain.extend([""] * grow)
        codes.put(at, strings)
        plain[at : at + len(strings)] = strings
        assert len(codes) == len(plain) and [codes[r] for r in range(len(plain))] == plain
    if plain:  # (an edit: one row set)
        codes.set_one(len(plain) - 1, "é")
        codes.set_one(0, "new")
        plain[-1], plain[0] = "é", "new"
    assert [codes[r] for r in range(len(plain))] == plain
    assert codes.lowered() == [v.lower() for v in plain]
    keep = sorted(rnd.sample(range(len(plain)), rnd.randint(0, len(plain))))
    codes.take(keep)
    assert [codes[r] for r in range(len(keep))] == [plain[r] for r in keep]


_TOPIC_NAMES = st.sampled_from(["AI", "ai", "Power Apps", "é", "Émile", "x" * 12, ""])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("blanks"), st.integers(0, 6)),
            st.tuples(st.just("put"), st.integers(0, 12), st.lists(st.lists(_TOPIC_NAMES, max_size=4), max_size=5)),
            st.tuples(st.just("take"), st.randoms(use_true_random=False)),
            st.tuples(st.just("one"), st.integers(0, 12), st.lists(_TOPIC_NAMES, max_size=4)),
        ),
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_packed_topic_lists_read_as_a_list_of_tuples(steps, rnd):
    """TopicLists (the facets' topics: numbers into names, a row after the other) reads as a
    list of tuples (None: not known yet) through every way the table and the workers read it,
    after rows appended, set anew (their old numbers left behind) and kept in a new order."""

    from curator.core.folder.rows import TopicLists

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TopicLists, "SLACK", 0)  # (packed again as soon as half is unused)
        _topic_lists_against_tuples(steps, rnd)


def _topic_lists_against_tuples(steps, rnd):
    from collections import Counter

    from curator.core.folder.rows import TopicLists

    packed, plain = TopicLists(), []
    for step in steps:
        if step[0] == "blanks":
            packed.blanks(step[1])
            plain.extend([None] * step[1])
        elif step[0] == "put":
            at, lists = min(step[1], len(plain)), [tuple(ts) for ts in step[2]]
            lists = lists[: len(plain) - at]
            packed.put(at, lists)
            plain[at : at + len(lists)] = lists
        elif step[0] == "one":  # (an edit)
            if step[1] < len(plain):
                packed.set_one(step[1], step[2])
                plain[step[1]] = tuple(step[2])
        else:
            keep = step[1].sample(range(len(plain)), step[1].randint(0, len(plain)))
            packed.take(keep)
            plain = [plain[r] for r in keep]
        copy = packed.copy()
        unused = len(packed.flat) - sum(len(ts) for ts in plain if ts)  # (numbers no row lists)
        assert unused == packed._unused <= len(packed.flat) // 2  # noqa: SLF001 (packed again past half)
        assert len(packed) == len(plain) and list(packed) == plain and copy == plain and packed[1:4] == plain[1:4]
    rows = [rnd.randrange(len(plain)) for _ in range(len(plain))] if plain else []
    assert packed.known(rows) == [r for r in rows if plain[r] is not None]
    assert packed.unknown() == [r for r, ts in enumerate(plain) if ts is None] and packed.unknown(rows) == [
        r for r in rows if plain[r] is None
    ]
    assert packed.tagged(rows) == [r for r in rows if plain[r]]
    known = packed.known(rows)
    assert Counter(packed.names[i] for i in packed.ids(known)) == Counter(t for r in known for t in plain[r])
    for run in (sorted(set(known)), packed.known(range(len(plain)))):  # (in order: one slice where it can)
        assert Counter(packed.names[i] for i in packed.ids(run, ascending=True)) == Counter(
            t for r in run for t in plain[r]
        )
    tagged, counted = packed.counted(1, len(plain) + 3)
    assert tagged == sum(1 for ts in plain[1:] if ts) and counted == Counter(t for ts in plain[1:] for t in ts or ())
    wanted = {"AI", "é"}
    assert packed.having(wanted) == [r for r, ts in enumerate(plain) if ts and not wanted.isdisjoint(ts)]
    assert packed.lowered() == [tuple(t.lower() for t in ts or ()) for ts in plain]


def test_topic_lists_of_more_than_65536_names_widen_their_numbers():
    from curator.core.folder.rows import TopicLists

    packed = TopicLists()
    packed.blanks(2)
    packed.put(0, [("a", "b")])
    narrow = packed.flat
    packed.blanks(300)
    packed.put(2, [(f"t{i}",) for i in range(300)])  # (302 names: past a byte each)
    assert packed.flat.itemsize == 2 and narrow.itemsize == 1 and packed[301] == ("t299",) and packed[0] == ("a", "b")
    many = [(f"t{i}", "a") for i in range(70_000)]
    packed.blanks(len(many) - 300)
    packed.put(2, many)
    assert packed.flat.itemsize == 4 and narrow.itemsize == 1 and packed.flat is not narrow
    assert packed[0] == ("a", "b") and packed[1] is None and packed[70_001] == ("t69999", "a")
    assert packed.having(["t69999"]) == [70_001]


def test_an_edit_that_brings_the_257th_name_widens_the_numbers():
    from curator.core.folder.rows import Codes, TopicLists

    packed, codes = TopicLists(), Codes()
    packed.blanks(257)
    codes.blanks(257)
    packed.put(0, [(f"t{i}",) for i in range(256)])  # (256 names: a byte each)
    codes.put(1, [f"v{i}" for i in range(255)])  # (with "": 256 values)
    assert packed.flat.itemsize == codes.data.itemsize == 1
    packed.set_one(256, ["t0", "new"])
    codes.set_one(256, "new")
    assert packed.flat.itemsize == codes.data.itemsize == 2
    assert packed[256] == ("t0", "new") and packed[255] == ("t255",) and codes[256] == "new" and codes[255] == "v254"


def test_a_column_of_more_than_65536_distinct_strings_widens_its_codes():
    from curator.core.folder.rows import Codes

    codes = Codes()
    codes.blanks(3)
    codes.put(1, ["a"])
    narrow = codes.data
    assert narrow.itemsize == 1
    many = [f"v{i}" for i in range(70_000)]
    codes.blanks(len(many))
    codes.put(3, many)
    assert codes.data.itemsize == 4 and codes.data is not narrow  # (a worker holding `narrow` reads it still)
    assert [codes[r] for r in (0, 1, 2, 3, 70_002)] == ["", "a", "", "v0", "v69999"]
    assert narrow[1] == 1 and codes.values[narrow[1]] == "a"


def test_appending_nothing_keeps_the_version():
    """An empty batch (a check of the files that found nothing new) leaves what was derived from
    the table good: the list's sort, the last search's matches."""
    table = Table(ROWS)
    version = table.version
    table.extend([])
    assert table.version == version
    table.extend([Summary("d.md")])
    assert table.version == version + 1


def test_replace_keeps_every_column_in_step():
    table = Table(ROWS)
    table.select("topic:portals")  # builds the lazy topics column
    lazy = ("title", "path", "topics", "provider", "category", "type")  # built as attributes on first use
    assert [c for c in lazy if c in vars(table)] == ["topics"] and not any(c in vars(Table()) for c in lazy)
    edited = Summary(**{**{f: getattr(ROWS[1], f) for f in ROWS[1].__slots__}, "topics": ("AI Builder",)})
    table.replace(1, edited)
    assert table.select("topic:portals") == [] and table.select("topic:ai*") == [0, 1]
    assert table.select("portals") == [1]  # search text kept (same title and excerpt)
    retitled = Summary(**{**{f: getattr(edited, f) for f in edited.__slots__}, "title": "Renamed"})
    table.replace(1, retitled)
    assert table.select("portals") == [] and table.select("renamed") == [1]


def test_summaries_fetch_what_is_read_before_it_came(tmp_path):
    from curator.core.document.snapshots import Snapshot
    from curator.core.folder.index import FileStat, Index, read_ahead

    index = Index(tmp_path, tmp_path / "cache")
    index.store([(s, FileStat(1, 2, 3, 4), Snapshot(1, 2, "d")) for s in ROWS])
    items, columns, _ = read_ahead([r for batch in index.iter_rows(10) for r in batch], index.summaries)
    table = Table()
    table.extend(items, columns=columns)
    stored = table.summaries
    assert table.select("power") == [0, 1] and table.select("published:no") == [0]  # from the columns
    assert stored.copy() == [None, None, None]  # a worker's copy: nothing fetched
    table.remove([2])
    assert stored.copy() == [None, None] and table.paths == ["a.md", "b.md"]
    assert stored[1] == ROWS[1] and stored.copy() == [None, ROWS[1]]  # read: fetched and kept
    assert stored[0:2] == ROWS[:2] and list(stored) == ROWS[:2]
    assert table.select("title:portals") == [1] and table.select("path:a.") == [0]
    assert table.facets.unknown() == [0, 1]  # (what facets count comes with a warm open's decoded summaries)
    assert table.select("topic:portals") == [1] and not table.facets.unknown()  # or read from the index
    table.decoded(0, [ROWS[2], ROWS[2]])  # only where no values are yet
    assert table.topics_of() == [ROWS[0].topics, ROWS[1].topics]


@pytest.mark.parametrize("field", ["date", "quality", "heat"])
@pytest.mark.parametrize("descending", [False, True])
def test_numeric_sort_matches_known_then_unknown(field, descending):
    import random

    rnd = random.Random(3)
    rows = [
        Summary(f"{i}.md", quality=rnd.choice([None, 1, 2, 3]), heat=rnd.choice([None, -1, 0, 5]),
                date=rnd.choice([None, dt.datetime(2021, 1, 1, tzinfo=UTC), dt.datetime(2020, 5, 1, tzinfo=UTC)]))
        for i in range(200)
    ]  # fmt: skip
    table = Table(rows)
    order = list(range(200))
    rnd.shuffle(order)
    key = table.sort_key(field)
    known = sorted((r for r in order if key(r) is not None), key=key)  # stable: ties keep order
    expected = (known[::-1] if descending else known) + [r for r in order if key(r) is None]
    assert table.sort(order, field, descending) == expected
    assert table.flip(expected, field) == table.sort(order, field, not descending)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda i, q, h, d, t, p: Summary(f"{p}{i}.md", title=t, quality=q, heat=h, date=d, provider_name=p),
            st.integers(0, 3),
            st.one_of(st.none(), st.integers(0, 3)),
            st.one_of(st.none(), st.integers(-2, 2), st.floats(-2, 2, allow_nan=False)),
            st.one_of(
                st.none(), st.sampled_from([dt.datetime(2021, 1, 1, tzinfo=UTC), dt.datetime(2020, 5, 1, tzinfo=UTC)])
            ),
            st.sampled_from(["", "a", "A", "b", "é"]),
            st.sampled_from(["", "x", "y"]),
        ),
        max_size=40,
    ),
    st.sampled_from(SORT_FIELDS),
    st.booleans(),
    st.booleans(),
)
def test_a_sort_the_other_way_is_the_sort_flipped(rows, field, descending, every):
    """The list sorted one way, flipped, is what sorting it the other way gives (the listing
    flips it when only the direction changes): for every field, every row or a part of them."""
    table = Table(rows)
    order = list(range(len(rows))) if every else list(range(len(rows)))[::2][::-1]
    assert table.flip(table.sort(order, field, descending), field) == table.sort(order, field, not descending)


def test_rows_without_summaries_are_fetched_a_window_at_a_time(tmp_path):
    from curator.core.document.snapshots import Snapshot
    from curator.core.folder.index import FileStat, Index, read_ahead

    index = Index(tmp_path, tmp_path / "cache")
    many = [Summary(f"{i:04}.md", title=f"T{i}") for i in range(1200)]
    index.store([(s, FileStat(1, 2, 3, 4), Snapshot(1, 2, "d")) for s in many])
    items, columns, _ = read_ahead([r for batch in index.iter_rows(5000) for r in batch], index.summaries)
    table = Table()
    table.extend(items, columns=columns)
    calls: list[int] = []
    table.summaries.fetch = lambda paths: calls.append(len(paths)) or index.summaries(paths)
    assert table.summaries[10].title == "T10" and calls == [1]  # a row read alone: that row (the model
    # fetches the rows shown around a painted one itself, in list order: see ArticleModel.data)
    assert table.summaries.take(range(20, 520))[-1].title == "T519" and calls == [1, 500]  # many: one query
    assert table.select("title:t1199") == [1199] and calls == [1, 500]  # the titles: from the search text
    assert table.select("has:excerpt") == [] and calls == [1, 500]  # the excerpts: from the search text too
    assert table.select("has:image") == [] and calls[:2] == [1, 500] and sum(calls[2:]) == 1200 - 501  # the facets:
    assert all(n <= 500 for n in calls)  # a pass over the rows whose values are not known yet, by 500
    again = len(calls)
    assert table.select("has:image") == [] and len(calls) == again  # (kept)
    assert len([s for s in list.__iter__(table.summaries) if s is not None]) == 501  # ...the summaries not kept


def test_clauses_are_the_filters_that_all_apply():
    from curator.core.folder.query import clauses, with_clause, without_clause

    text = 'topic:"Power Apps" -published:no (a OR b) hello'
    assert clauses(text) == ['topic:"Power Apps"', "-published:no", "(a OR b)", "hello"]
    assert clauses("a OR b") == ["a OR b"] and clauses('"open') == ['"open'] and clauses("  ") == []
    assert without_clause(text, "-published:no") == 'topic:"Power Apps" (a OR b) hello'
    assert with_clause("topic:x hello", "-topic:x") == "-topic:x hello"  # excluding replaces including
    assert with_clause("-topic:x", "topic:x") == "topic:x"
    assert with_clause("a", "a") == "a" and with_clause("", "b") == "b"
    assert with_clause("topic:xy", "topic:x") == "topic:xy topic:x"  # a clause, not a substring


def _facets_one_by_one(summaries, rows, git, dups=None):
    """count_facets as a plain loop: what the piecewise C passes must count."""
    from collections import Counter

    counts = {g: Counter() for g in ("published", "category", "type", "topic", "provider", "git", "dup", "dup groups")}
    for s in (summaries[r] for r in rows):
        if s is None:
            continue
        counts["topic"].update(s.topics)
        counts["provider"][s.provider_name or s.provider_domain] += 1
        counts["published"]["yes" if s.published else "no"] += 1
        counts["category"][s.category] += 1
        counts["type"][s.type] += 1
        if git and s.path in git:
            counts["git"][git[s.path]] += 1
        if dups:
            counts["dup"]["yes" if s.path in dups else "no"] += 1
            if s.path in dups:
                counts["dup groups"][dups[s.path]] += 1
    for g in ("provider", "category", "type"):
        counts[g].pop("", None)
    return counts


_names = st.sampled_from(["", "a", "b", "Ab"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),  # a row whose summary has not come yet
            st.builds(
                Summary,
                path=st.sampled_from(["x.md", "y.md", "z.md"]),
                topics=st.lists(_names, max_size=3).map(tuple),
                provider_name=_names,
                provider_domain=_names,
                published=st.booleans(),
                category=_names,
                type=_names,
            ),
        ),
        max_size=40,
    ),
    st.integers(1, 7),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_facets_counted_in_pieces_count_what_a_loop_counts(summaries, piece, with_git, rnd):
    from curator.core.folder.rows import FacetView
    from curator.core.folder.table import count_facets

    rows = list(range(len(summaries)))
    rnd.shuffle(rows)
    rows = rows[: rnd.randint(0, len(rows))]
    git = {"x.md": "modified", "y.md": "added"} if with_git else {}
    dups = {"x.md": 1, "z.md": 1} if rnd.random() < 0.5 else {}
    counted = count_facets(FacetView.of(summaries), rows, git, piece=piece, dups=dups)
    assert counted == _facets_one_by_one(summaries, rows, git, dups)
    assert {k: +v for k, v in counted.items()} == {
        k: +v for k, v in _facets_one_by_one(summaries, rows, git, dups).items()
    }


@pytest.mark.parametrize(
    ("query", "one_term"),
    [("power", True), ("title:Power", True), ("path:news", True), ("zzz", True), ("Apps", True),
     ("", False), ("power apps", False), ("-power", False), ("type:video", False), ("power OR x", False)],
)  # fmt: skip
def test_flags_mark_the_rows_a_one_term_query_selects(query, one_term):
    flags = TABLE.flags(query)
    if not one_term:
        assert flags is None  # selected as before (see Table.select)
    else:
        assert len(flags) == len(TABLE) and [r for r, flag in enumerate(flags) if flag] == TABLE.select(query)


def _plainly(table: Table, field: str, value: str, rows: list[int]) -> list[int]:
    """A field term as a loop over the rows' summaries, one by one (what Table._term picks in C)."""
    value, yes = value.lower(), value.lower() in ("yes", "true", "y", "1")
    out = []
    for r in rows:
        s, path = table.summaries[r], table.paths[r]
        if field == "topic":
            keep = value in tuple(t.lower() for t in s.topics)
        elif field in ("category", "type"):
            keep = getattr(s, field).lower() == value
        elif field == "published":
            keep = s.published is yes
        elif field == "git":
            keep = (path in table.git) if value == "changed" else table.git.get(path) == value
        elif field == "dup":
            keep = (path in table.dups) is yes
        else:
            keep = table.links.get(path) == value
        if keep:
            out.append(r)
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.builds(
            Summary,
            path=st.sampled_from(["x.md", "y.md", "z.md", "w.md"]),
            topics=st.lists(_names, max_size=3).map(tuple),
            published=st.booleans(),
            category=_names,
            type=_names,
        ),
        max_size=30,
    ),
    st.sampled_from(
        [(f, v) for f in ("topic", "category", "type") for v in ("a", "ab", "b")]
        + [("published", v) for v in ("yes", "no", "true")]
        + [("git", v) for v in ("changed", "modified", "new", "deleted")]
        + [("dup", v) for v in ("yes", "no")]
        + [("link", v) for v in ("dead", "ok", "moved")]
    ),
    st.randoms(use_true_random=False),
)
def test_field_terms_select_what_a_loop_selects(summaries, term, rnd):
    field, value = term
    table = Table(summaries)
    table.git = {"x.md": "modified", "y.md": "new"}
    table.dups = {"x.md": 1, "z.md": 1}
    table.links = {"y.md": "dead", "w.md": "ok"}
    rows = list(range(len(summaries)))
    rnd.shuffle(rows)
    rows = rows[: rnd.randint(0, len(rows))]
    query = f"{field}:{value}"
    assert table.select(query, rows) == _plainly(table, field, value, rows)  # some rows, in their order
    every = range(len(summaries))
    assert table.select(query) == _plainly(table, field, value, list(every))  # every row
    assert table.select(f"-{field}:{value}") == [
        r for r in every if r not in set(_plainly(table, field, value, list(every)))
    ]


# --- Summary objects dropped back to the index (see table.Summaries) ----------------------------

_TEXTS = st.sampled_from(["Power", "ΑΣ", "aσ b", "İstanbul", "ﬁne", "a\nb", "", "Ab"])
_EVICTED = st.lists(
    st.builds(
        Summary,
        title=_TEXTS, excerpt=_TEXTS, provider_name=_TEXTS, provider_domain=st.sampled_from(["", "x.com", "y.X.com"]),
        topics=st.lists(_TEXTS.filter(bool), max_size=3).map(tuple), category=_TEXTS, type=_TEXTS,
        image=st.sampled_from(["", "http://i/a.jpg"]), quality=st.sampled_from([None, 5, 60]), published=st.booleans(),
        warnings=st.sampled_from([(), ((1, "topics: not a list"),)]),
    ),
    min_size=1, max_size=30,
)  # fmt: skip
_EVICTION_QUERIES = ["power", "σ", "ας", "i̇", "title:σ", "title:b", "topic:ας", "topic:p*", "provider:x.com",
                     "provider:ab", "category:ab", "type:power", "has:image", "has:excerpt", "has:warnings",
                     "published:no", "quality:>10", "-topic:power", "power OR ab", ""]  # fmt: skip


def _indexed_workspace(tmp_path, summaries):
    """A Workspace listing `summaries` from an index, as a warm open does (rows first, no Summary)."""
    from curator.core.document.snapshots import Snapshot
    from curator.core.folder.index import FileStat, Index, read_ahead
    from curator.core.folder.workspace import Workspace

    index = Index(tmp_path, tmp_path / "cache")
    index.store([(s, FileStat(1, 2, 3, 4), Snapshot(1, 2, "d")) for s in summaries])
    items, columns, snapshots = read_ahead([r for b in index.iter_rows(1000) for r in b], index.summaries)
    workspace = Workspace(tmp_path)
    workspace.add(items, snapshots, columns)
    return workspace


@settings(max_examples=40, deadline=None)
@given(_EVICTED, st.randoms(use_true_random=False))
def test_searches_sorts_and_facets_after_summaries_were_dropped_equal_a_plain_scan(tmp_path_factory, rows, rnd):
    """Rows fetched, dropped and fetched again, some edited (their edits kept): every query, sort
    and facet count equals the one of a table holding every Summary as it now reads."""
    from curator.core.folder import rows as rows_module
    from curator.core.folder.edits import with_changes
    from curator.core.folder.rows import FacetView
    from curator.core.folder.table import count_facets

    rows = [Summary(f"{i:03}.md", **{f: getattr(s, f) for f in s.__slots__ if f != "path"}) for i, s in enumerate(rows)]
    keep = rows_module.KEEP
    rows_module.KEEP = 3  # (a module constant: hypothesis runs examples outside a monkeypatch's scope)
    try:
        workspace = _indexed_workspace(tmp_path_factory.mktemp("folder"), rows)
        table = workspace.table
        truth = list(rows)
        edited = rnd.sample(range(len(rows)), k=len(rows) // 3)
        for row in edited:  # some rows edited
            change = {"topics": [*rows[row].topics[:1], "Ας"], "quality": 42, "published": not rows[row].published}
            workspace.set_values({rows[row].path: change})
            truth[row] = with_changes(rows[row], workspace.pending.get(row, {}))
        for _ in range(len(rows)):  # read, so fetched and dropped again
            assert table.summaries[rnd.randrange(len(rows))] is not None
        if rnd.random() < 0.5:
            table.complete()  # (or left to the queries that need the facets)
        kept = sum(s is not None for s in list.__iter__(table.summaries))
        assert kept <= 3 + len(edited) + sum(bool(s.warnings) for s in rows)  # fetched ones: the last 3 only
        plain = Table(truth)
        for query in _EVICTION_QUERIES:
            assert table.select(query) == plain.select(query), query
        every = list(range(len(rows)))
        for field in ("title", "path", "topics", "provider", "category", "type", "warnings", "quality", "date"):
            assert table.sort(every, field) == plain.sort(every, field), field
        shown = rnd.sample(every, k=rnd.randint(0, len(rows)))
        assert count_facets(table.facet_view(), shown) == count_facets(FacetView.of(truth), shown)
        assert table.topics_of() == [tuple(s.topics) for s in truth]
        held = list(list.__iter__(table.summaries))
        assert table.summaries.read(every) == truth  # (a pass over every row: none kept)
        assert list(list.__iter__(table.summaries)) == held
        assert [workspace.summary(r) for r in every] == truth
    finally:
        rows_module.KEEP = keep


def test_a_dropped_row_is_fetched_again_equal_and_an_edited_one_keeps_its_edit(tmp_path, monkeypatch):
    from curator.core.folder import rows as rows_module

    monkeypatch.setattr(rows_module, "KEEP", 4)
    rows = [Summary(f"{i:03}.md", title=f"T{i}", topics=("a",), quality=i) for i in range(20)]
    workspace = _indexed_workspace(tmp_path, rows)
    summaries = workspace.table.summaries
    first = summaries[0]
    assert first == rows[0] and summaries.peek(0) is first
    for row in range(20):
        assert summaries[row] == rows[row]
    assert summaries.peek(0) is None and summaries[0] == first  # dropped: read again from the index, equal
    assert len(summaries.cached) == 4 and sum(s is not None for s in list.__iter__(summaries)) == 4
    workspace.set_values({"005.md": {"topics": ["b"], "quality": 99}})
    for row in range(20):
        summaries[row]
    assert summaries.peek(5) is not None and workspace.summary(5).quality == 99  # kept: never read back from disk
    assert workspace.summary(5).topics == ("b",) and workspace.table.select("topic:b") == [5]
    assert workspace.table.select("quality:99") == [5] and workspace.disk_value(5, "quality") == 5
    workspace.remove(["002.md"])  # the kept rows are renumbered with the table's
    assert workspace.summary(4).quality == 99 and summaries.peek(4) is not None
    assert [workspace.summary(r).path for r in range(19)] == [s.path for s in rows if s.path != "002.md"]


def test_a_batch_edit_of_rows_here_and_there_reads_each_summary_about_once(tmp_path):
    """A publish of rows in list order (scattered in table order) over a folder listed from the
    index: the rows' summaries are read in a few queries, not one fetch of neighbours per row
    (10,000 rows fetched ~5 million summaries: a 116 s edit step)."""
    import random

    from curator.core.folder.edits import EditOp

    n = 3000
    workspace = _indexed_workspace(tmp_path, [Summary(f"{i:05}.md", title=f"t{i}", published=False) for i in range(n)])
    summaries = workspace.table.summaries
    fetched: list[int] = []
    real = summaries.fetch
    summaries.fetch = lambda paths: fetched.append(len(paths)) or real(paths)
    assert workspace.summary(1500).path == "01500.md" and fetched == [1]  # one row read alone: that row
    fetched.clear()
    rows = random.Random(3).sample(range(n), 2500)  # (as a list sorted by date picks them)
    step = workspace.plan_edit(rows, "published", EditOp.SET, True)
    assert step is not None and len(step.edits) == 2500
    workspace.apply_step(step)
    assert sum(fetched) <= 2 * 2500 and len(fetched) <= 20
    assert [workspace.summary(r).published for r in rows] == [True] * 2500
    assert not any(workspace.summary(r).published for r in set(range(n)) - set(rows))
    fetched.clear()
    assert [s.path for s in summaries] == [f"{i:05}.md" for i in range(n)]  # in table order: FETCH a query
    assert len(fetched) <= n // 500 + 1


def test_rows_held_for_a_batch_are_read_once_then_let_go(tmp_path):
    """A batch of more rows than the table keeps summaries for (KEEP), held while it is planned
    a piece at a time and then applied, reads each summary once (the plan's were gone when the
    apply came: read twice); let go after, the rows it did not change go back to the index,
    the edited ones keep their new summaries, and a row removed meanwhile is skipped."""
    import random
    from collections import Counter

    from curator.core.folder.edits import EditOp, EditStep
    from curator.core.folder.rows import KEEP

    n = 6000
    made = [Summary(f"{i:05}.md", title=f"t{i}", published=i % 4 == 0) for i in range(n)]
    workspace = _indexed_workspace(tmp_path, made)
    summaries = workspace.table.summaries
    fetched: Counter[str] = Counter()
    real = summaries.fetch
    summaries.fetch = lambda paths: fetched.update(paths) or real(paths)
    rows = random.Random(5).sample(range(n), 5000)
    assert len(rows) > 2 * KEEP
    held: dict = {}
    edits = []
    for start in range(0, len(rows), 1000):  # as Editing plans it: held 250 rows at a time, planned 1,000
        part = rows[start : start + 1000]
        for at in range(0, len(part), 250):
            held.update(workspace.hold(part[at : at + 250]))
        edits += workspace.plan_edit(part, "published", EditOp.SET, True).edits
    assert len(held) == 5000 and max(fetched.values()) == 1 and sum(fetched.values()) == 5000
    changed = [r for r in rows if r % 4]
    assert sorted(workspace.rows[e.path] for e in edits) == sorted(changed)
    workspace.apply_step(EditStep("published", EditOp.SET, True, edits))
    assert sum(fetched.values()) == 5000  # the apply read nothing again
    gone = workspace.path(rows[0])
    workspace.remove([gone])  # (rows after it are numbered anew: those held are skipped)
    workspace.let_go(held)
    assert len(summaries.cached) <= KEEP
    assert all(summaries.peek(workspace.rows[made[r].path]) is not None for r in changed if made[r].path != gone)
    assert all(workspace.summary(workspace.rows[made[r].path]).published for r in rows if made[r].path != gone)
    assert len(workspace.pending) == len(changed) - (rows[0] in changed)
    kept = sum(s is not None for s in list.__iter__(summaries))
    assert kept <= len(changed) + KEEP + 1 and kept < len(held)  # the unchanged ones may go again
    assert [workspace.summary(r).title for r in range(n - 1)] == [s.title for s in made if s.path != gone]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.builds(
            Summary,
            path=st.just(""),
            quality=st.one_of(st.none(), st.integers(0, 100)),
            published=st.booleans(),
            topics=st.lists(_names, max_size=3).map(tuple),
        ),
        min_size=2,
        max_size=30,
    ),
    st.randoms(use_true_random=False),
)
def test_the_brief_of_a_selection_reads_as_its_summaries_without_the_index(tmp_path_factory, rows, rnd):
    """What the editor panel reads of many selected rows (path, quality, published, topics) is
    what their summaries say, edited ones included, and nothing is read from the index for
    rows whose topics are known (a warm open's decoded batches gave them)."""
    from curator.core.folder.edits import EditOp

    rows = [
        Summary(f"{i:03}.md", quality=s.quality, published=s.published, topics=s.topics) for i, s in enumerate(rows)
    ]
    workspace = _indexed_workspace(tmp_path_factory.mktemp("b"), rows)
    workspace.table.decoded(0, rows)  # (the facets of a warm open)
    edited = rnd.sample(range(len(rows)), rnd.randint(0, len(rows) // 2))
    if edited and (step := workspace.plan_edit(edited, "quality", EditOp.SET, 7)) is not None:
        workspace.apply_step(step)  # (None: every row edited had quality 7 already)
    fetched: list[int] = []
    real = workspace.table.summaries.fetch
    workspace.table.summaries.fetch = lambda paths: fetched.append(len(paths)) or real(paths)
    picked = rnd.sample(range(len(rows)), rnd.randint(2, len(rows)))
    brief = workspace.brief(picked)
    assert not fetched
    full = workspace.summaries(picked)
    fields = ("path", "quality", "published", "topics")
    assert [tuple(getattr(s, f) for f in fields) for s in brief] == [tuple(getattr(s, f) for f in fields) for s in full]


def test_the_brief_reads_rows_whose_topics_are_not_known_yet_from_the_index(tmp_path):
    """Rows listed from the index before their decoded batch came (topics not known): the brief
    reads those rows' summaries, only those, and gives what they say, beside rows it makes of columns."""
    rows = [Summary(f"{i:03}.md", quality=i, published=i % 2 == 0, topics=("AI",) * (i % 3)) for i in range(8)]
    workspace = _indexed_workspace(tmp_path, rows)
    workspace.table.decoded(0, rows[:4])  # the first four's facets came; the rest not yet
    fetched: list[str] = []
    real = workspace.table.summaries.fetch
    workspace.table.summaries.fetch = lambda paths: fetched.extend(paths) or real(paths)
    picked = [6, 1, 5, 0, 3]
    brief = workspace.brief(picked)
    assert sorted(fetched) == ["005.md", "006.md"]
    fields = ("path", "quality", "published", "topics")
    assert [tuple(getattr(s, f) for f in fields) for s in brief] == [
        tuple(getattr(rows[r], f) for f in fields) for r in picked
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("set"), st.text(max_size=6), st.integers(0, 50)),
            st.tuples(st.just("del"), st.text(max_size=6)),
            st.tuples(st.just("update"), st.lists(st.tuples(st.text(max_size=6), st.integers(0, 50)), max_size=8)),
        ),
        max_size=40,
    )
)
def test_path_rows_read_as_a_dict(steps):
    """SplitDict (a workspace's path -> row, the scan's paths: split into dicts by hash) answers
    as one dict would, and empties gently."""
    from curator.core.gently import SplitDict, empty_gently

    split, plain = SplitDict(), {}
    for step in steps:
        if step[0] == "set":
            split[step[1]] = plain[step[1]] = step[2]
        elif step[0] == "del":
            assert split.pop(step[1], None) == plain.pop(step[1], None)
        else:
            split.update(step[1])
            plain.update(step[1])
        assert len(split) == len(plain) and split == plain
    assert sorted(split) == sorted(plain) and sorted(split.items()) == sorted(plain.items())
    for key in {*plain, "", "zz-none"}:
        assert (key in split) == (key in plain) and split.get(key, -1) == plain.get(key, -1)
        if key in plain:
            assert split[key] == plain[key]
        else:
            with pytest.raises(KeyError):
                split[key]
    assert SplitDict(plain.items()) == split
    empty_gently([split], piece=3)
    assert len(split) == 0 and split == {}


def test_rows_read_ahead_are_put_only_where_a_row_still_has_none_and_is_that_path(tmp_path, monkeypatch):
    from curator.core.folder import rows as rows_module

    monkeypatch.setattr(rows_module, "KEEP", 6)
    rows = [Summary(f"{i:03}.md", title=f"T{i}", quality=i) for i in range(12)]
    workspace = _indexed_workspace(tmp_path, rows)
    summaries = workspace.table.summaries
    ahead = [2, 3, 4, 5]
    assert summaries.missing(range(12)) == list(range(12))
    read = summaries.fetch([summaries.paths[r] for r in ahead])  # (as a worker reads them)
    workspace.set_values({"003.md": {"quality": 99}})  # an edit meanwhile
    workspace.remove(["004.md"])  # and a row gone: the rows after it renumbered
    assert workspace.table.version > 0
    came = [read[p] for p in ("002.md", "003.md", "004.md", "005.md")]
    assert summaries.fill(ahead, came) == 1  # the row 2 alone: 3 has its edit, 4 and 5 are other paths now
    assert summaries.peek(2) is came[0] and workspace.summary(3).quality == 99
    assert summaries.peek(4) is None and summaries.peek(5) is None
    truth = {s.path: s for s in rows if s.path != "004.md"} | {"003.md": workspace.summary(3)}
    assert {workspace.path(r): workspace.summary(r) for r in range(11)} == truth  # what reading them gives
    for r in (6, 7, 8, 9, 10, 0):  # read since: what was put goes as fetched rows go, past KEEP
        summaries[r]
    assert summaries.peek(2) is None and summaries[2] == rows[2]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.lists(st.lists(st.integers(0, 40), max_size=5), max_size=4))
def test_removed_files_leave_every_path_at_its_new_row(tmp_path_factory, count, removals):
    """Workspace.remove renumbers only the rows after the first one gone: every path still maps
    to its row in the table, and the paths gone map to nothing."""
    rows = [Summary(f"{i:03}.md", quality=i) for i in range(count)]
    workspace = _indexed_workspace(tmp_path_factory.mktemp("r"), rows)
    gone: set[str] = set()
    for removal in removals:
        paths = [f"{i:03}.md" for i in removal]
        workspace.remove(paths)
        gone.update(paths)
        assert workspace.rows == {p: i for i, p in enumerate(workspace.table.paths)}
        assert not any(p in workspace.rows for p in gone)
