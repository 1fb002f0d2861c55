"""The site's taxonomy files and retired topics, without widgets: read within bounds, and the
edits of a rename, merge or delete planned whole, each a line edit that Undo (the reverse
edits) gives back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.document.writes import write_edits
from curator.core.site import root as site
from curator.core.site import taxonomy, topics
from curator.core.site.article import Summary
from curator.core.site.taxonomy import TaxonomyError, Topic


def make_taxonomy(root: Path) -> Path:
    folder = root / "_data" / "topics"
    folder.mkdir(parents=True)
    (folder / "01-canvas.yaml").write_bytes(
        b"\xef\xbb\xbftaxonomy: topic\r\n_id: canvas-apps\r\nname: Canvas apps # the old spelling\r\n"
        b"parent: Power Apps\r\nkeywords:\r\n  - canvas app\r\n"
    )
    (folder / "02-child.yaml").write_text("name: Canvas components\nparent: 'Canvas apps'\nkeywords: [component]\n")
    (folder / "00-root.yaml").write_text("name: Power Apps\nkeywords:\n  - power apps\n")
    (folder / "03-cds.yaml").write_text("name: Common Data Service\nparent: Power Apps\naliases: [CDS]\n")
    (folder / "05-portals.yaml").write_text("name: Portals\nparent: Power Apps\nkeywords: [portals]\n")
    return folder


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_site_files_are_read_within_bounds():
    laughs = "a: &a [lol, lol]\nb: &b [*a, *a]\n"
    with pytest.raises(site.SiteFileError, match="alias"):
        site.load_site_yaml(laughs)
    with pytest.raises(site.SiteFileError, match="deeper"):
        site.load_site_yaml("x: " + "[" * 40 + "]" * 40)
    with pytest.raises(site.SiteFileError, match="larger"):
        site.load_site_yaml("x: " + "y" * site.MAX_SITE_FILE)
    assert site.load_site_yaml("a: &a 1\nb: 2\n") == {"a": 1, "b": 2}  # an anchor alone expands nothing


def test_a_file_that_cannot_be_read_is_named_and_stops_every_edit(tmp_path):
    folder = make_taxonomy(tmp_path)
    (folder / "99-laughs.yaml").write_text("name: Laughs\na: &a [lol]\nb: [*a, *a]\n")
    read = taxonomy.read(tmp_path)
    assert [Path(p).name for p, _ in read.problems] == ["99-laughs.yaml"]
    assert "Laughs" not in {t.name for t in read.topics} and "Portals" in {t.name for t in read.topics}
    with pytest.raises(TaxonomyError, match=r"99-laughs\.yaml"):
        taxonomy.plan(read, ["Portals"], "Portal pages")


def test_a_rename_changes_only_the_name_and_parent_lines(tmp_path):
    make_taxonomy(tmp_path)
    edits = taxonomy.plan(taxonomy.read(tmp_path), ["Canvas apps"], "Canvas Apps")
    by_name = {Path(e.path).name: e for e in edits}
    assert sorted(by_name) == ["01-canvas.yaml", "02-child.yaml"]
    canvas = by_name["01-canvas.yaml"]
    old_lines, new_lines = canvas.old.split(b"\r\n"), canvas.new.split(b"\r\n")
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [(b"name: Canvas apps # the old spelling", b"name: Canvas Apps # the old spelling")]
    assert canvas.new.startswith(b"\xef\xbb\xbf")  # BOM and CRLF kept
    assert by_name["02-child.yaml"].new.decode().splitlines()[1] == "parent: 'Canvas Apps'"  # its quoting kept
    assert all(r.ok for r in write_edits(edits))
    assert {t.name: t.parent for t in taxonomy.read(tmp_path).topics if "anvas" in t.name} == {
        "Canvas Apps": "Power Apps", "Canvas components": "Canvas Apps"
    }  # fmt: skip


@pytest.mark.parametrize("keep_alias", [True, False])
def test_a_merge_folds_the_old_entry_into_the_target_and_undo_gives_back_every_byte(tmp_path, keep_alias):
    folder = make_taxonomy(tmp_path)
    (tmp_path / ".curator.yml").write_text("# ours\nprofile: news  # the bundled format\n")
    original = files(tmp_path)
    read = taxonomy.read(tmp_path)
    assert taxonomy.merged_entries(read, ["Common Data Service", "cds-typo"], "Portals") == ["Common Data Service"]
    assert taxonomy.merged_entries(read, ["Canvas apps"], "Canvas Apps") == []  # renamed, not merged
    edits = taxonomy.plan(read, ["Common Data Service", "cds-typo"], "Portals", keep_alias, retire=True)
    assert all(r.ok for r in write_edits(edits))
    assert not (folder / "03-cds.yaml").exists()
    portals = (folder / "05-portals.yaml").read_text()
    expected = "\naliases:\n  - Common Data Service\n  - CDS\n" if keep_alias else "\n"
    assert portals == f"name: Portals\nparent: Power Apps\nkeywords: [portals]{expected}"
    assert (tmp_path / ".curator.yml").read_text() == (
        "# ours\nprofile: news  # the bundled format\nretired:\n  - Common Data Service\n  - cds-typo\n"
    )
    assert taxonomy.read(tmp_path).retired == ("Common Data Service", "cds-typo")
    assert all(r.ok for r in write_edits([e.reversed() for e in reversed(edits)]))
    assert files(tmp_path) == original


def test_a_delete_retires_and_a_merge_into_a_retired_name_brings_it_back(tmp_path):
    make_taxonomy(tmp_path)
    edits = taxonomy.plan(taxonomy.read(tmp_path), ["Portals"], None, retire=True)
    assert [Path(e.path).name for e in edits] == [".curator.yml"] and edits[0].old is None  # made
    assert all(r.ok for r in write_edits(edits))
    assert taxonomy.read(tmp_path).retired == ("Portals",)
    assert (tmp_path / "_data/topics/05-portals.yaml").exists()  # the entry stays, retired
    edits = taxonomy.plan(taxonomy.read(tmp_path), ["Power Pages"], "Portals", retire=True)
    assert all(r.ok for r in write_edits(edits))
    assert taxonomy.read(tmp_path).retired == ("Power Pages",)


def test_the_site_topics_never_suggest_or_complete_a_retired_topic(tmp_path):
    make_taxonomy(tmp_path)
    write_edits(taxonomy.plan(taxonomy.read(tmp_path), ["Common Data Service"], "Portals", retire=True))
    write_edits(taxonomy.plan(taxonomy.read(tmp_path), ["Power Apps"], None, retire=True))
    known = topics.SiteTopics.read(tmp_path)
    assert known.retired == {"Common Data Service", "Power Apps"}
    assert known.aliases == {"Common Data Service": "Portals", "CDS": "Portals"}
    suggester = known.suggester(common=["Power Apps"])
    assert suggester.suggest("Tables of the common data service, in Power Apps canvas apps") == [
        "Canvas apps",
        "Portals",
    ]  # fmt: skip  (an alias is a keyword of its topic; a retired parent or common topic is not suggested)
    assert known.known(["AI", "Power Apps"]) == {"AI", "Canvas apps", "Canvas components", "Portals"}
    listed = {t.name: t for t in known.inventory([("Power Apps",)])}
    assert listed["Power Apps"].retired and listed["Power Apps"].count == 1  # still in an article: listed
    assert "Common Data Service" not in listed and listed["Portals"].aliases == ("Common Data Service", "CDS")


def test_a_change_is_planned_whole_for_articles_and_site_files(tmp_path):
    make_taxonomy(tmp_path)
    known = topics.SiteTopics.read(tmp_path)
    summaries = [Summary("a.md", topics=("Common Data Service", "AI")), Summary("b.md", topics=("Portals",))]
    change = known.plan(summaries, "merge", ["Common Data Service"], "Portals")
    assert change.articles.changes == {"a.md": (("Common Data Service", "AI"), ["Portals", "AI"])}
    assert change.retired == ["Common Data Service"] and len(change.files) == 3  # target, old entry, .curator.yml
    assert known.plan(summaries, "merge", ["Common Data Service"], "Portals", site=False).files == []
    rename = known.plan(summaries, "rename", ["Portals"], "Portal pages")
    assert rename.retired == [] and [Path(e.path).name for e in rename.files] == ["05-portals.yaml"]


def test_an_entry_that_would_not_read_back_stops_the_change(tmp_path):
    folder = make_taxonomy(tmp_path)
    (folder / "05-portals.yaml").write_text("name: Portals\naliases: not a list\n")
    with pytest.raises(TaxonomyError, match=r"05-portals\.yaml"):
        taxonomy.plan(taxonomy.read(tmp_path), ["Common Data Service"], "Portals")
    assert taxonomy.plan(taxonomy.read(tmp_path), ["Common Data Service"], "Portals", keep_alias=False)


def test_a_profiles_taxonomy_lives_where_the_profile_says(tmp_path):
    (tmp_path / "hugo.toml").write_text("")
    (tmp_path / "data/topics").mkdir(parents=True)
    (tmp_path / "data/topics/a.yaml").write_text("name: Hugo topic\n")
    assert taxonomy.read(tmp_path).topics == [Topic("Hugo topic")]


NAMES = ["Power Apps", "Canvas apps", "Canvas components", "Common Data Service", "Portals", "New", "Other"]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["rename", "merge", "delete"]),
        st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True),
        st.sampled_from(NAMES),
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_any_sequence_of_changes_is_shown_as_written_and_undone_byte_for_byte(tmp_path_factory, steps):
    """What the window shows at once (taxonomy.applied) is what reading the written files gives,
    after each change and after each Undo; undoing them all gives back every byte."""
    root = tmp_path_factory.mktemp("site")
    make_taxonomy(root)
    (root / ".curator.yml").write_text("# ours\nretired:\n  - Old  # merged in 2020\n")
    original = files(root)
    done = []
    for action, olds, new, keep_alias in steps:
        read = taxonomy.read(root)
        target = None if action == "delete" else new
        edits = taxonomy.plan(read, olds, target, keep_alias, retire=action != "rename")
        assert all(r.ok for r in write_edits(edits))
        assert taxonomy.applied(read, edits) == taxonomy.read(root)
        done.append(edits)
    for edits in reversed(done):
        read = taxonomy.read(root)
        back = [e.reversed() for e in reversed(edits)]
        assert all(r.ok for r in write_edits(back))
        assert taxonomy.applied(read, back) == taxonomy.read(root)
    assert files(root) == original
