"""Saved views in `.curator.yml`: read, saved, renamed and deleted line by line."""

from __future__ import annotations

import pytest

from curator.core.site import profiles, views
from curator.core.site.views import View, ViewError

CONFIG = """\
# Our site. Keep this comment.
profile: news   # the news format
retired:
  - Old topic
views:
  - Morning | -date | cards | published:no
# trailing comment
"""


def site(tmp_path, text=CONFIG):
    (tmp_path / profiles.CONFIG).write_text(text, encoding="utf-8")
    return tmp_path


def test_reads_the_views_of_the_site(tmp_path):
    got = views.read(site(tmp_path))
    assert got.views == (View("Morning", "published:no", "-date", "cards"),)
    assert not got.problems


def test_a_line_needs_only_a_name_and_a_query_and_the_query_may_hold_bars():
    assert views.parse_line("Mine | a") == View("Mine", "a")
    assert views.parse_line("Mine |  |  | a|b") == View("Mine", "a|b")
    assert views.parse_line("T | table | x") == View("T", "x", "", "table")
    with pytest.raises(ViewError):
        views.parse_line("no query here")


def test_saving_a_view_edits_only_the_views_lines(tmp_path):
    root = site(tmp_path)
    edit = views.plan_save(views.read(root), View("Power", 'topic:"Power Apps"', "-quality", "table"))
    edit.write()
    text = (root / profiles.CONFIG).read_text(encoding="utf-8")
    assert text == CONFIG.replace(
        "  - Morning | -date | cards | published:no\n",
        '  - Morning | -date | cards | published:no\n  - Power | -quality | table | topic:"Power Apps"\n',
    )
    assert [v.name for v in views.read(root).views] == ["Morning", "Power"]
    assert profiles.detect(root).name == "news"  # the profile still reads the file


def test_deleting_the_last_view_removes_the_key_and_nothing_else(tmp_path):
    root = site(tmp_path)
    views.plan_delete(views.read(root), "Morning").write()
    text = (root / profiles.CONFIG).read_text(encoding="utf-8")
    assert text == CONFIG.replace("views:\n  - Morning | -date | cards | published:no\n", "")


def test_saving_an_existing_name_replaces_it_in_place_and_rename_keeps_the_place(tmp_path):
    root = site(tmp_path, CONFIG.replace("published:no\n", "published:no\n  - Second | x\n"))
    views.plan_save(views.read(root), View("Morning", "published:yes")).write()
    views.plan_rename(views.read(root), "Second", "Later").write()
    assert [(v.name, v.query) for v in views.read(root).views] == [("Morning", "published:yes"), ("Later", "x")]
    with pytest.raises(ViewError):
        views.plan_rename(views.read(root), "Later", "Morning")


def test_a_site_without_a_config_gets_one(tmp_path):
    edit = views.plan_save(views.read(tmp_path), View("All", ""))
    assert edit.old is None
    edit.write()
    assert views.read(tmp_path).views == (View("All", ""),)


def test_a_broken_views_key_never_stops_the_folder_from_opening(tmp_path):
    root = site(tmp_path, "profile: hugo\nviews: {a: 1}\n")
    assert profiles.detect(root).name == "hugo"
    got = views.read(root)
    assert got.views == () and "must be a list" in got.problems[0]
    with pytest.raises(ViewError):
        views.plan_save(got, View("x", "y"))  # nothing is written over what is not understood
    root = site(tmp_path, "views:\n  - just a name\n  - Good | q\n")
    got = views.read(root)
    assert [v.name for v in got.views] == ["Good"] and "just a name" in got.problems[0]


def test_applied_reads_the_views_as_the_file_will_be(tmp_path):
    before = views.read(site(tmp_path))
    edit = views.plan_save(before, View("New", "q"))
    assert [v.name for v in views.applied(before, edit).views] == ["Morning", "New"]
