"""Site profiles: detection from a folder's files, `.curator.yml` overrides, what the keys
mean when read, and how an edit of the logical fields is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from curator.core.document.frontmatter import load_document
from curator.core.document.values import DELETE
from curator.core.folder import opening
from curator.core.folder.table import Table
from curator.core.site import profiles
from curator.core.site.article import summarize


@pytest.mark.parametrize(
    ("files", "name"),
    [
        ({"hugo.toml": ""}, "hugo"),
        ({"config.toml": 'baseURL = "x"'}, "hugo"),
        ({"config.toml": 'base_url = "x"'}, "zola"),
        ({"config.yaml": "", "content/a.md": ""}, "hugo"),
        ({".eleventy.js": ""}, "eleventy"),
        ({"astro.config.mjs": ""}, "astro"),
        ({"_config.yml": ""}, "jekyll"),
        ({"_config.yml": "", "_data/topics/a.yaml": ""}, "news"),
        ({}, "news"),
    ],
)
def test_the_generator_is_detected_from_its_files(tmp_path: Path, files, name):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found = profiles.detect(tmp_path)
    assert found.name == name
    assert found.source == "the default" if not files else found.source.startswith("detected (")


def test_curator_yml_picks_and_overrides(tmp_path: Path):
    (tmp_path / "_config.yml").write_text("")
    (tmp_path / ".curator.yml").write_text("profile: hugo\ntopics: taxonomies.topics\nexclude: [drafts/**]\n")
    found = profiles.detect(tmp_path)
    assert (found.name, found.topics, found.exclude, found.inverted) == (
        "hugo",
        "taxonomies.topics",
        (*profiles.HUGO.exclude, "drafts/**"),  # added to the profile's own
        True,
    )
    assert found.describe() == "Hugo, .curator.yml"
    (tmp_path / ".curator.yml").write_text("topcs: tags\n")
    with pytest.raises(profiles.ProfileError, match="unknown setting 'topcs'"):
        profiles.detect(tmp_path)
    assert "unknown setting" in profiles.config_problem(tmp_path)
    assert profiles.for_root(tmp_path).name == "jekyll"  # a bad file never stops the folder opening


def test_globs_decide_what_is_content():
    hugo = profiles.HUGO
    assert hugo.is_content("content/posts/a.md") and not hugo.is_content("content/posts/_index.md")
    assert not hugo.is_content("themes/x/content/a.md") and hugo.skips_folder("themes/")
    assert not hugo.skips_folder("content/") and not hugo.skips_folder("content/posts/")
    news = profiles.NEWS
    assert news.skips_folder("_data/") and not news.is_content("_data/organizations/x.md")
    assert news.in_drafts("_drafts/a.md") and news.is_content("_news/a.md")
    assert profiles.ASTRO.is_content("src/content/blog/a.mdx") and not profiles.ASTRO.is_content("src/pages/a.md")


def read(text: str, profile: profiles.Profile, path: str = "content/a-post.md"):
    return summarize(path, load_document(text.encode()).parsed, profile)


def test_the_keys_are_read_as_the_profile_says():
    hugo = read(
        "---\ndraft: true\ntags: [a, b]\ndate: 2024-01-02\nsummary: S\ncategories: [news]\n---\n", profiles.HUGO
    )
    assert (hugo.published, hugo.topics, hugo.excerpt, hugo.category, hugo.title) == (
        False,
        ("a", "b"),
        "S",
        "news",
        "A post",
    )
    assert hugo.date.isoformat() == "2024-01-02T00:00:00+00:00" and hugo.has("published")
    plain = read("---\ntitle: T\n---\n", profiles.HUGO)
    assert plain.published and not plain.has("published")  # no draft key: published, as Hugo does
    zola = read("+++\ndraft = false\n[taxonomies]\ntags = ['x']\n+++\n", profiles.ZOLA)
    assert zola.published and zola.topics == ("x",) and zola.has("topics")
    jekyll = read("---\ntags: [t]\n---\n", profiles.JEKYLL, "_drafts/2024-03-04-idea.md")
    assert not jekyll.published and jekyll.date.day == 4 and jekyll.title == "Idea"
    eleventy = read("---\ntags: post\n---\n", profiles.ELEVENTY)
    assert eleventy.topics == ("post",) and not eleventy.warnings


def test_edits_are_written_as_the_sites_keys():
    assert profiles.HUGO.file_changes({"published": True, "topics": ["a"]}) == {"draft": False, "tags": ["a"]}
    assert profiles.HUGO.file_changes({"published": DELETE}) == {"draft": DELETE}
    assert profiles.ZOLA.file_changes({"topics": ["a"]}) == {"taxonomies.tags": ["a"]}
    assert profiles.NEWS.file_changes({"published": False, "quality": 3}) == {"published": False, "quality": 3}


def test_the_index_keeps_one_set_of_summaries_per_profile(tmp_path: Path):
    (tmp_path / "a.md").write_text("---\ntitle: A\ndraft: true\ntags: [x]\n---\n")
    cache = tmp_path / "cache"
    from curator.core.folder.index import Index

    first = opening.load(tmp_path, index=Index(tmp_path, cache))
    assert first.entries[0].summary.published and first.entries[0].summary.topics == ()
    profiles.choose(tmp_path, dataclasses.replace(profiles.HUGO, include=()))
    try:
        second = opening.load(tmp_path, index=Index(tmp_path, cache))
        assert not second.entries[0].summary.published and second.entries[0].summary.topics == ("x",)
        assert Table([e.summary for e in second.entries]).select("draft:yes") == [0]
    finally:
        profiles.choose(tmp_path, None)


def test_field_terms_match_any_key_once_its_values_are_read(tmp_path: Path):
    from curator.core.folder import fields
    from curator.core.folder.query import QueryError, parse

    (tmp_path / "a.md").write_text("---\ntitle: A\nlayout: post\nparams:\n  series: [x, Y]\n---\n")
    (tmp_path / "b.md").write_text("---\ntitle: B\nlayout: page\nsecured: blob\n---\n")
    table = Table([e.summary for e in opening.load(tmp_path).entries])
    query = parse("field:params.series=y OR field:secured")
    assert table.needed_fields(query) == {"params.series", "secured"}
    assert table.select(query) == []  # not read yet: nothing matches (the window reads them, then matches again)
    table.fields.update(fields.values_of(tmp_path, table.paths, table.needed_fields(query)))
    assert table.needed_fields(query) == set()
    assert [table.paths[r] for r in table.select(query)] == ["a.md", "b.md"]
    table.fields.update(fields.values_of(tmp_path, table.paths, ["layout"]))
    assert [table.paths[r] for r in table.select("field:layout=POST")] == ["a.md"]
    assert [table.paths[r] for r in table.select("-field:layout=post")] == ["b.md"]
    with pytest.raises(QueryError, match="field:KEY"):
        parse("field:=x")


def test_the_watchers_rescan_does_not_report_what_the_profile_leaves_out_again(tmp_path: Path):
    """Else every check would find `changes` (and redo the work that follows) in a folder with `_data/`."""
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\n")
    (tmp_path / "_data").mkdir()
    (tmp_path / "_data" / "x.md").write_text("---\nname: X\n---\n")
    loaded = opening.load(tmp_path)
    assert [p.severity for p in loaded.problems] == ["excluded"]
    changes = opening.detect_changes(
        str(tmp_path), [e.summary.path for e in loaded.entries], [e.snapshot for e in loaded.entries], {}
    )
    assert len(changes) == 0


@pytest.mark.parametrize("profile", list(profiles.BUILT_IN.values()), ids=list(profiles.BUILT_IN))
def test_each_marker_of_a_profile_both_detects_it_and_marks_the_site_root(tmp_path: Path, profile):
    """One definition: every marker a profile is detected by also tells where its site starts."""
    for i, marker in enumerate(profile.markers):
        root = tmp_path / f"{profile.name}{i}"
        (root / "deep/er").mkdir(parents=True)
        (root / marker.file).write_text(f"{marker.setting} = 'x'\n" if marker.setting else "")
        if marker.folder:
            (root / marker.folder).mkdir(parents=True)
        assert profiles.detect(root).name == profile.name, marker
        assert profiles.site_root(root / "deep/er/a.md") == str(root), marker
