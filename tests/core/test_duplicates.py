"""Duplicate stories: canonical URLs, the title and excerpt rules, near misses, keeper order, and
precision/recall over pairs on labelled sets (our own files, and the real news queue with its
hand-labelled clusters plus made-up arrivals)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.folder import duplicates, opening
from curator.core.folder.duplicates import Grouper, canonical_url, group, pairs, title_words
from curator.core.folder.query import QueryError
from curator.core.folder.table import Table
from curator.core.site.article import Summary
from tests.conftest import ROOT
from tests.core import dupsets

OWN = ROOT / "tests" / "data" / "duplicates"
UTC = dt.UTC


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.example.com/a/b/", "http://example.com/a/b"),
        ("https://example.com/a?utm_source=x&utm_medium=rss&fbclid=1&gclid=2#comments", "https://example.com/a"),
        ("https://m.example.com/story/1", "https://example.com/story/1"),
        ("https://example.com/story/1/amp", "https://example.com/story/1/"),
        ("https://example.com/story/1?amp=1", "https://example.com/story/1"),
        ("https://youtu.be/abc123?t=30", "https://www.youtube.com/watch?v=abc123"),
        ("https://www.youtube.com/embed/abc123", "https://youtube.com/watch?v=abc123&feature=share"),
        ("https://example.com/view?p=2&id=5", "https://example.com/view?id=5&p=2"),
    ],
)
def test_canonical_url_sets_aside_what_does_not_name_the_page(a, b):
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://youtube.com/watch?v=abc123", "https://youtube.com/watch?v=abc124"),
        ("https://example.com/view?id=5", "https://example.com/view?id=6"),
        ("https://example.com/?p=10", "https://example.com/?p=11"),
        ("https://example.com/story/1", "https://example.com/story/2"),
        ("https://example.com/a", "https://example.org/a"),
    ],
)
def test_canonical_url_keeps_the_parameters_that_name_the_content(a, b):
    assert canonical_url(a) != canonical_url(b)


_HOSTS = st.lists(st.sampled_from(["www", "m", "amp", "mobile", "Example", "youtu", "be", "youtube", "com", "x-y",
                                    "a_b", "1", "~", ""]), min_size=1, max_size=4).map(".".join)  # fmt: skip
_PATHS = st.lists(st.sampled_from(["", "a", "amp", "amp.html", ".amp", "embed", "shorts", "v", "Story 1", "é", "%20",
                                   "x\ty", "/", "AMP"]), max_size=5).map("/".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["https", "HTTP", "ftp", "a+b.c-d", "1x", ""]),
    st.sampled_from(["://", ":/", ":", "//", "///"]),
    _HOSTS,
    st.sampled_from(["", ":8080", "@user", ".", "[::1]"]),
    _PATHS,
    st.sampled_from(["", "/", "?v=1", "?utm_source=x", "#top", "?", " "]),
)
def test_canonical_url_of_a_plain_url_is_what_urlsplit_makes_of_it(scheme, sep, host, port, path, tail):
    """The shortcut for scheme://host/path URLs (no urlsplit) gives what the parse gives."""
    url = f"{scheme}{sep}{host}{port}/{path}{tail}"
    parsed = duplicates._PLAIN_URL  # noqa: SLF001
    try:
        duplicates._PLAIN_URL = re.compile(r"(?!)")  # noqa: SLF001 (never matches: every URL parsed)
        expected = canonical_url(url)
    finally:
        duplicates._PLAIN_URL = parsed  # noqa: SLF001
    assert canonical_url(url) == expected, url


def test_title_words_drop_wire_prefixes_and_a_provider_suffix_only():
    providers = frozenset({"digital journal", "microsoft"})
    assert title_words("RE-TRANSMISSION: Provance Releases ServiceTeam", providers) == [
        "provance", "releases", "serviceteam",
    ]  # fmt: skip
    assert title_words("Provance Releases ServiceTeam | Digital Journal", providers) == [
        "provance", "releases", "serviceteam",
    ]  # fmt: skip
    # the part after '|' is not a provider: it is the story ("2019 release wave 2")
    assert title_words("Microsoft Power Apps | 2019 release wave 2 overview", providers) == [
        "microsoft", "power", "apps", "2019", "release", "wave", "2", "overview",
    ]  # fmt: skip


def _s(path, title, excerpt="", day=1, **kw) -> Summary:
    return Summary(path, title=title, excerpt=excerpt, date=dt.datetime(2021, 5, day, tzinfo=UTC), **kw)


def test_one_typo_joins_but_a_number_or_a_product_apart_does_not():
    rows = [
        _s("a.md", "Provance Releases ServiceTeam a New Family of ITSM Power Apps Products"),
        _s("b.md", "Provance Releases ServiceTeam a New Family of ISTM Power Apps Products", day=2),
        _s("c.md", "Microsoft Power Apps 2019 release wave 2 overview", "Same boilerplate words " * 3),
        _s("d.md", "Microsoft Power Apps 2020 release wave 1 overview", "Same boilerplate words " * 3, day=3),
        _s("e.md", "Contoso adds charts to Power Apps", "Contoso adds charts, maps and tables to its apps today."),
        _s("f.md", "Contoso adds charts to Power BI", "Contoso adds charts, maps and tables to its apps today."),
    ]
    assert [g.paths for g in group(rows, {})] == [["a.md", "b.md"]]


def test_equal_titles_months_apart_are_a_recurring_column_not_one_story():
    rows = [
        _s("a.md", "Power Platform weekly roundup for makers", day=1),
        _s("b.md", "Power Platform weekly roundup for makers"),
    ]
    rows[1].date = dt.datetime(2021, 8, 1, tzinfo=UTC)
    assert group(rows, {}) == []


def test_a_series_opening_line_does_not_make_its_episodes_one_story():
    opening = "In this feature overview video series, we highlight new capabilities in the latest update."
    rows = [
        _s("a.md", "Governing at scale", opening + " Connectors can be governed."),
        _s("b.md", "Managing form settings", opening + " Forms have new settings."),
        _s("c.md", "Portal improvements", opening + " Portals sign in differently."),
        _s("d.md", "A syndicated copy of one episode", opening),
    ]
    assert group(rows, {}) == []


def test_keeper_is_published_then_higher_quality_then_earliest():
    rows = [
        _s("late.md", "Microsoft fleshes out Power Apps today", day=9, published=True, quality=50),
        _s("draft.md", "Microsoft fleshes out Power Apps today", day=1, published=False, quality=99),
        _s("best.md", "Microsoft fleshes out Power Apps today", day=5, published=True, quality=90),
        _s("early.md", "Microsoft fleshes out Power Apps today", day=2, published=True, quality=50),
    ]
    assert [g.paths for g in group(rows, {})] == [["best.md", "early.md", "late.md", "draft.md"]]


def test_arrivals_are_grouped_against_the_others_without_starting_again():
    old = [_s("a.md", "Northwind opens a data centre in Oslo"), _s("b.md", "Something else entirely today")]
    grouper = Grouper()
    grouper.add(old, {"a.md": "https://northwind.example/oslo"})
    assert grouper.groups() == []
    grouper.add(
        [_s("c.md", "Oslo gets a Northwind data centre")], {"c.md": "https://www.northwind.example/oslo/?utm_source=x"}
    )
    assert [(g.paths, g.reasons) for g in grouper.groups()] == [(["a.md", "c.md"], ["url"])]


def _view(groups) -> list[tuple[list[str], list[str]]]:
    return [(g.paths, g.reasons) for g in groups]


def _mutated(rng: random.Random, s: Summary, others: list[Summary]) -> Summary:
    """An edit of one article that may make it join or leave a story, or change what others read."""
    other = rng.choice(others)
    kind = rng.randrange(7)
    if kind == 0:  # retitled as another's story, another provider's suffix or a wire prefix
        return dataclasses.replace(
            s, title=rng.choice([other.title, f"{other.title} | Fresh Wire", f"UPDATE: {s.title}"])
        )
    if kind == 1:  # a provider no other article names (the titles ending with it read again)
        return dataclasses.replace(s, provider_name=rng.choice(["Fresh Wire", "Northwind", s.provider_name]))
    if kind == 2:  # another's excerpt, or its first sentence
        return dataclasses.replace(s, excerpt=rng.choice([other.excerpt, other.excerpt.split(". ")[0] + "."]))
    if kind == 3:
        return dataclasses.replace(s, url=rng.choice([other.url, "", s.url + "?utm_source=x"]))
    if kind == 4:
        return dataclasses.replace(s, date=other.date)
    if kind == 5:
        return dataclasses.replace(s, published=not s.published, quality=rng.choice([None, 10, 90]))
    return dataclasses.replace(s, title=s.title.replace("2020", "2021").replace("Power Apps", "Power BI"))


def _arrive_in_random_orders(summaries: list[Summary], seed: int, every_step: bool) -> None:
    """Arrivals, edits and removals in a random order, grouped incrementally: the groups equal
    a grouping from scratch of what is there (after each step, or at the end)."""
    rng = random.Random(seed)
    waiting = summaries[:]
    rng.shuffle(waiting)
    grouper, live, steps = Grouper(), {}, 0
    while waiting or steps < 5:
        steps += 1
        arriving = [waiting.pop() for _ in range(min(len(waiting), rng.randint(1, 12)))]
        removed = rng.sample(sorted(live), min(len(live), rng.choice([0, 0, 1, 3])))
        gone = [live.pop(p) for p in removed]
        waiting.extend(s for s in gone if rng.random() < 0.7)  # most come back later
        changed = [
            _mutated(rng, live[p], summaries) for p in rng.sample(sorted(live), min(len(live), rng.randint(0, 4)))
        ]
        changed = [c for c in changed if c.path not in removed]
        live.update((s.path, s) for s in [*arriving, *changed])
        grouper.update([*arriving, *changed], removed)
        if every_step or not waiting:
            assert _view(grouper.groups()) == _view(group(list(live.values()))), f"seed {seed}, step {steps}"
            assert grouper.count() == len(grouper.groups())
            members = grouper.members()  # (what the window takes at once, instead of group_of per article)
            assert members == {p: grouper.group_of(p) for p in live if grouper.group_of(p)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_incremental_grouping_equals_grouping_from_scratch_in_any_order(seed):
    _arrive_in_random_orders(_own_summaries(), seed, every_step=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_incremental_grouping_with_frozen_keys_equals_grouping_from_scratch(seed):
    """The keys held by one path frozen after every update (as after the first grouping of a
    large folder: Buckets.freeze), then looked up, shared, dropped and frozen again."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "FREEZE", 1)
        _arrive_in_random_orders(_own_summaries(), seed, every_step=True)


@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["set", "add", "del", "freeze"])), max_size=200))
def test_buckets_answer_as_a_dict_whatever_is_frozen(ops):
    buckets, model = duplicates.Buckets(), {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "FREEZE", 3)
        for key, op in ops:
            if op == "set":
                buckets[key] = model[key] = f"{key}.md"
            elif op == "add" and key in model:
                paths = [model[key], "x.md"] if type(model[key]) is str else [*model[key], "x.md"]
                buckets[key] = model[key] = paths
            elif op == "del" and key in model:
                del buckets[key], model[key]
            elif op == "freeze":
                buckets.freeze()
            assert [buckets.get(k) for k in range(41)] == [model.get(k) for k in range(41)]
            assert len(buckets) == len(model)


def test_buckets_freeze_the_keys_held_by_one_path_and_thaw_one_that_is_shared():
    buckets = duplicates.Buckets()
    for key in range(duplicates.FREEZE + 1):
        buckets[key * 7] = f"{key}.md"
    buckets[3] = ["a.md", "b.md"]
    buckets.freeze()
    assert buckets.recent == {3: ["a.md", "b.md"]} and len(buckets.keys) == duplicates.FREEZE + 1
    assert (buckets.get(14), buckets.get(15), len(buckets)) == ("2.md", None, duplicates.FREEZE + 2)
    buckets[14] = ["2.md", "c.md"]
    del buckets[21]
    assert (buckets.get(14), buckets.get(21), buckets.recent.keys()) == (["2.md", "c.md"], None, {3, 14})


@pytest.mark.parametrize("seed", range(3))
def test_incremental_grouping_of_the_queue_equals_grouping_from_scratch(corpus: Path, tmp_path: Path, seed: int):
    dupsets.build_queue(corpus / "_news", tmp_path / "news", 2)
    summaries = list(opening.load(str(tmp_path / "news"), None, index=None).summaries)
    assert sum(bool(s.url) for s in summaries) > len(summaries) / 2  # (the index and the loader carry them)
    _arrive_in_random_orders(summaries, seed, every_step=False)


def test_a_grouper_follows_edits_and_removals_without_regrouping_the_rest():
    rows = [_s(f"{i}.md", f"Story number {i} about the harbour crane", f"Text {i} " * 9) for i in range(50)]
    rows += [_s("x.md", "Contoso adds charts to Power Apps"), _s("y.md", "Contoso adds charts to Power Apps")]
    grouper = Grouper()
    grouper.update(rows)
    assert _view(grouper.groups()) == [(["x.md", "y.md"], ["title"])]
    touched = grouper.update([dataclasses.replace(rows[-1], title="Contoso adds maps to Power BI")])
    assert grouper.groups() == [] and touched == {"x.md", "y.md"}  # the group's two, not the 52
    touched = grouper.update([dataclasses.replace(rows[3], title=rows[-2].title)], removed=["0.md"])
    assert _view(grouper.groups()) == [(["3.md", "x.md"], ["title"])] and grouper.group_of("x.md") == ["3.md", "x.md"]
    assert touched == {"0.md", "3.md", "x.md"}


@functools.cache
def _own_summaries_cached() -> tuple[Summary, ...]:
    return tuple(opening.load(str(OWN), None, index=None).summaries)


def _own_summaries() -> list[Summary]:
    return list(_own_summaries_cached())


def _report(name: str, precision: float, recall: float, labels) -> None:
    print(f"\n{name}: precision {precision:.3f} recall {recall:.3f} over {len(pairs(labels))} labelled pairs")


def test_own_labelled_set_meets_the_target():
    labels = dupsets.own_labels(OWN)
    precision, recall, groups = dupsets.measure(OWN, labels)
    _report("own set", precision, recall, labels)
    assert precision >= 0.95 and recall >= 0.90
    keepers = {g.paths[0] for g in groups}
    assert keepers == {g[0] for g in labels}


def test_real_clusters_of_the_queue_are_found_and_its_near_misses_kept_apart(corpus: Path):
    news = corpus / "_news"
    precision, recall, groups = dupsets.measure(news, dupsets.REAL_CLUSTERS)
    _report("real queue", precision, recall, dupsets.REAL_CLUSTERS)
    assert (precision, recall) == (1.0, 1.0)
    grouped = {p for g in groups for p in g.paths}
    assert not grouped & set(dupsets.REAL_NEAR_MISSES)


@pytest.mark.parametrize("step", [1, 2, 5])
def test_queue_with_made_up_arrivals_meets_the_target(corpus: Path, tmp_path: Path, step: int):
    labels = dupsets.build_queue(corpus / "_news", tmp_path / "news", step)
    precision, recall, _ = dupsets.measure(tmp_path / "news", labels)
    _report(f"queue + arrivals (every {step})", precision, recall, labels)
    assert precision >= 0.95 and recall >= 0.90


def test_dup_and_link_terms_select_from_the_marks_the_table_is_given():
    rows = [_s("a.md", "One story told here today"), _s("b.md", "One story told here today"), _s("c.md", "Another")]
    table = Table(rows)
    table.dups = duplicates.numbered(group(rows, {}))
    table.links = {"a.md": "dead", "c.md": "moved"}
    assert [table.paths[r] for r in table.select("dup:yes")] == ["a.md", "b.md"]
    assert [table.paths[r] for r in table.select("dup:no OR link:moved")] == ["c.md"]
    assert [table.paths[r] for r in table.select("link:dead dup:yes")] == ["a.md"]
    with pytest.raises(QueryError, match="link: use one of ok, moved, dead, error"):
        table.select("link:broken")
