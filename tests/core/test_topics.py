"""Topics across a folder, without widgets: variants, rename/merge/delete plans that keep the
order, taxonomy edits of one line, and suggestions from the taxonomy's keywords."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from curator.core.site import topics
from curator.core.site.article import Summary
from curator.core.site.taxonomy import Topic


def test_variants_are_case_spacing_hyphens_and_one_typo_apart():
    groups = topics.variant_groups(
        ["Canvas apps", "Canvas Apps", "canvas-apps", "Model-driven apps", "Model driven apps", "Portal", "Portals",
         "AI", "BI", "Power Apps"]
    )  # fmt: skip
    as_sets = sorted(sorted(g) for g in groups)
    assert as_sets == [
        ["Canvas Apps", "Canvas apps", "canvas-apps"],
        ["Model driven apps", "Model-driven apps"],
        ["Portal", "Portals"],
    ]  # "AI"/"BI" are too short to be one typo apart


def test_inventory_counts_articles_and_marks_the_taxonomy():
    topic_lists = [("AI", "Portals"), ("Portals", "Portals"), None, ()]  # (None: an article's not known yet)
    site = [Topic("Portals", "Power Apps"), Topic("Power Apps")]
    infos = {t.name: t for t in topics.inventory(topic_lists, site)}
    assert infos["Portals"].count == 2 and infos["Portals"].in_taxonomy and infos["Portals"].parent == "Power Apps"
    assert infos["Power Apps"].count == 0 and infos["AI"].count == 1 and not infos["AI"].in_taxonomy
    assert next(t.name for t in topics.inventory(topic_lists, site)) == "Portals"  # most used first


def test_replaced_keeps_the_order_and_leaves_one_occurrence():
    assert topics.replaced(["A", "x", "B", "y", "A"], {"A", "B"}, "C") == ["C", "x", "y"]
    assert topics.replaced(["x", "C", "A"], {"A"}, "C") == ["x", "C"]  # merged into one already there
    assert topics.replaced(["x", "A", "y"], {"A"}, None) == ["x", "y"]
    assert topics.replaced(["x", "y"], {"A"}, "C") == ["x", "y"]


@given(st.lists(st.sampled_from(["A", "B", "C", "x", "y", "z"]), max_size=12), st.sets(st.sampled_from("ABC")))
def test_a_merge_leaves_no_duplicates_of_the_target_and_keeps_the_others_in_order(items, olds):
    after = topics.replaced(items, olds, "T")
    others = [t for t in items if t not in olds and t != "T"]
    assert [t for t in after if t != "T"] == others
    assert after.count("T") == (1 if set(items) & (olds | {"T"}) else 0)


def test_a_plan_skips_files_whose_topics_are_not_text():
    good = Summary("a.md", topics=("Old", "x"))
    bad = Summary("b.md", topics=("Old",), warnings=((3, "topics: expected a list of text items, found int 3"),))
    planned = topics.plan([good, bad, Summary("c.md", topics=("y",))], ["Old"], "New")
    assert planned.changes == {"a.md": (("Old", "x"), ["New", "x"])} and planned.skipped == ["b.md"]


def test_suggestions_come_from_keywords_as_whole_words_with_parents():
    site = [
        Topic("Power Apps", "", ("power apps",)),
        Topic("Canvas apps", "Power Apps", ("canvas app", "canvas apps")),
        Topic("Teams integration", "Power Apps", ("microsoft teams", "teams")),
        Topic("Portals", "Power Apps", ("portals",)),
    ]
    suggester = topics.Suggester(site)
    text = "Build a Canvas-App for Microsoft Teams; steamship portalsX are not portals."
    assert suggester.suggest(text) == ["Power Apps", "Canvas apps", "Teams integration", "Portals"]
    assert suggester.suggest("nothing relevant") == []
    assert suggester.suggest("canvas apps everywhere", have=["Power Apps"]) == ["Canvas apps"]
    assert suggester.suggest("canvas apps", refused=["Canvas apps"]) == ["Power Apps"]
    assert suggester.suggest("the STEAMS and teamsters") == []  # whole words only


def test_the_folders_common_topic_is_suggested_for_every_article():
    tagged = [("Site", "X") if i % 2 else ("Site",) for i in range(40)]
    assert topics.common_topics(tagged) == ["Site"]
    assert topics.common_topics(tagged[:10]) == []  # too few articles to tell
    assert topics.common_topics([*tagged, *[("Other",)] * 5]) == []
    assert topics.common_topics([*tagged, *[None, ()] * 5]) == ["Site"]  # (untagged or not known: not counted)
    suggester = topics.Suggester([Topic("Portals", "", ("portals",))], common=["Site"])
    assert suggester.suggest("about PowerApps portals") == ["Site", "Portals"]
    assert suggester.suggest("nothing", have=["Site"]) == []


def test_keywords_match_joined_words():
    suggester = topics.Suggester([Topic("Power Apps", "", ("power apps",))])
    assert suggester.suggest("New in PowerApps today") == ["Power Apps"]
    assert suggester.suggest("power-apps and Power  Apps") == ["Power Apps"]
    assert suggester.suggest("superpowerapps") == []


def test_a_cancelled_tally_stops_between_pieces():
    """Counting another folder's topics stops once cancelled (a new folder opened)."""
    import threading

    summaries = [("AI", f"t{i % 3}") for i in range(10_000)]
    names, common = topics.tally(summaries, threading.Event())
    assert names == {"AI", "t0", "t1", "t2"} and common == ["AI"]
    cancel = threading.Event()
    cancel.set()
    assert topics.tally(summaries, cancel) == (set(), [])


def regex_of(keyword: str) -> re.Pattern[str]:
    """How keywords were matched before (a regex made of the keyword): the oracle for keywords
    without hyphens or tabs, where both readings must agree."""
    alternatives = re.escape(keyword.strip()).replace(r"\ ", r"[\s\-]*")
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@given(
    st.text(alphabet="ab #", min_size=1, max_size=6).filter(str.strip),
    st.text(alphabet="abAB #_-\n.", max_size=30),
)
def test_words_match_as_the_regex_did_without_being_one(keyword, text):
    words = topics.keyword_words(keyword)
    assert topics.has_words(topics.lowered(text), words) == bool(regex_of(keyword).search(text))


def test_a_hostile_keyword_costs_as_long_as_the_text():
    """A keyword with a run of spaces, or with many words, on text made to make a matcher
    backtrack: each search takes time in proportion to the text."""
    import time

    site = [Topic("Evil", "", (f"power{' ' * 60}x", " ".join(["a"] * 11 + ["b"]), " ".join(["a"] * 5000)))]
    text = f"power{' ' * 60}y " * 2000 + "a " * 20_000
    started = time.perf_counter()
    assert topics.Suggester(site).suggest(text) == []
    assert time.perf_counter() - started < 2
    assert topics.Suggester(site).suggest("a a a a a a a a a a a b") == ["Evil"]
    assert topics.Suggester(site).suggest(" ".join(["a"] * 5000)) == []  # too long to be a keyword


def distance(a: str, b: str) -> int:
    """Levenshtein distance, by the textbook's table."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def brute_force_groups(names: list[str]) -> list[list[str]]:
    """Every pair compared (what variant_groups did): the oracle for its buckets."""
    names = sorted(set(names))
    groups = [{n} for n in names]
    for a, b in itertools.combinations(names, 2):
        fa, fb = topics.fold(a), topics.fold(b)
        long_enough = min(len(fa), len(fb)) >= topics.MIN_EDIT_LENGTH
        if fa == fb or (long_enough and distance(fa, fb) == 1):
            ga, gb = next(g for g in groups if a in g), next(g for g in groups if b in g)
            if ga is not gb:
                ga |= gb
                groups.remove(gb)
    return sorted(sorted(g) for g in groups if len(g) > 1)


@given(
    st.lists(st.text(alphabet="abcAB -_", min_size=0, max_size=8), max_size=25)
    | st.lists(st.text(alphabet="ab", min_size=4, max_size=7), max_size=25)
)
def test_variant_groups_are_the_pairs_one_edit_apart(names):
    assert sorted(sorted(g) for g in topics.variant_groups(names)) == brute_force_groups(names)


def test_variants_of_ten_thousand_topics_are_found_without_comparing_every_pair():
    """Issue 32 #11: every pair was compared, and `curator topics` took 30 s on 10,000 topics."""
    import random
    import time

    rng = random.Random(7)
    names = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randint(4, 24))) for _ in range(10_000)
    ]
    names += ["Power Apps", "power-apps", "Power Appz", "Portal", "Portals"]
    started = time.perf_counter()
    groups = topics.variant_groups(names)
    assert time.perf_counter() - started < 1
    assert ["Power Apps", "Power Appz", "power-apps"] in [sorted(g) for g in groups]
    assert ["Portal", "Portals"] in [sorted(g) for g in groups]
