"""The third round of hostile input (issue 32) through the command line: a real process, real
files. One bad file is reported and never stops the rest of a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import curator

OK_PAGE = "---\ntitle: ok\ndraft: true\n---\nbody\n"
#: valid pages the standard library reads (or, for the last two, refuses) that once crashed the batch
HOSTILE = {
    "toml-emoji-key.md": '+++\ntitle = "x"\n"k\\U0001F600" = 1\ndraft = true\n+++\nbody\n',
    "toml-tab-key.md": '+++\ntitle = "x"\n"k\tz" = 1\ndraft = true\n+++\nbody\n',
    "toml-deep.md": "+++\ntitle = 'x'\ndraft = true\nv = " + "[" * 3000 + "]" * 3000 + "\n+++\nbody\n",
    "json-digits.md": '{\n  "title": "x",\n  "draft": true,\n  "n": ' + "1" * 5000 + "\n}\nbody\n",
    "yaml-empty-int.md": "---\ntitle: x\ndraft: true\nn: !!int\n---\nbody\n",  # IndexError in PyYAML
}
REFUSED = ("toml-deep.md", "json-digits.md", "yaml-empty-int.md")  # tomllib, json and libyaml refuse these too


@pytest.fixture
def hugo_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text("title = 'test'\n")
    (site / "content" / "ok.md").write_text(OK_PAGE)
    return site


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_page_never_stops_the_batch(hugo_site: Path, name: str):
    bad = hugo_site / "content" / name
    bad.write_text(HOSTILE[name])
    ok = hugo_site / "content" / "ok.md"
    out = curator("publish", str(bad), str(ok))
    assert "Traceback" not in out.stderr
    assert "draft: false" in ok.read_text()  # the good file after it was published
    refused = name in REFUSED
    assert out.returncode == (1 if refused else 0), out.stderr
    assert ("draft = false" in bad.read_text() or '"draft": false' in bad.read_text()) is not refused
    check = curator("check", str(hugo_site))
    assert "Traceback" not in check.stderr and "JSONDecodeError" not in check.stdout
    assert (check.returncode == 1) is refused, check.stdout
    if refused:
        assert any(why in check.stdout for why in ("nested too deeply", "digits", "YAML value error"))


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_lone_surrogate_in_json_is_read_as_hugo_reads_it(hugo_site: Path, fmt: str):
    """`"\\ud800"` is half a character: Hugo (Go's encoding/json) reads U+FFFD, and so does Curator,
    so the list prints it in every format and the index keeps working."""
    page = hugo_site / "content" / "lone.md"
    tags = '["\\udfff", "\\ud83d\\ude00"]'  # a lone half, and a whole pair
    page.write_text('{\n  "title": "\\ud800 lone",\n  "tags": ' + tags + ',\n  "draft": true\n}\nbody\n')
    out = curator("list", str(hugo_site), "--format", fmt)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "index" not in out.stderr  # not "the index … cannot be used"
    assert "\ufffd lone" in out.stdout
    if fmt == "json":
        row = next(r for r in json.loads(out.stdout) if r["path"] == "content/lone.md")
        assert row["topics"] == ["\ufffd", "\U0001f600"]
    out = curator("publish", str(page))
    assert out.returncode == 0 and '"draft": false' in page.read_text() and "\\ud800 lone" in page.read_text()


def test_jekyll_pages_that_start_with_a_template_tag_are_no_errors(tmp_path: Path):
    site = tmp_path / "jekyll"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    (site / "_posts" / "2024-01-02-a.md").write_text("---\ntitle: a\npublished: false\n---\nbody\n")
    (site / "index.html").write_text("{% include header.html %}\n<main>{{ content }}</main>\n")
    (site / "about.md").write_text("{{ site.description }}\n")
    check = curator("check", str(site))
    assert check.returncode == 0 and "JSON" not in check.stdout, check.stdout
    out = curator("publish", "--where", "published:no", str(site))
    assert out.returncode == 0, out.stderr
    assert "published: true" in (site / "_posts" / "2024-01-02-a.md").read_text()


def test_set_says_plainly_what_it_will_not_write(tmp_path: Path):
    page = tmp_path / "a.md"
    page.write_text("---\ntitle: t\n---\nb\n")
    out = curator("set", str(page), "--set", "a..b=1", "--set", "title.=2")
    assert out.returncode == 1 and "a name on each side of every dot" in out.stderr
    assert page.read_text() == "---\ntitle: t\n---\nb\n"
    out = curator("set", str(page), "--set", "yes=1")
    assert out.returncode == 0 and page.read_text() == '---\ntitle: t\n"yes": 1\n---\nb\n'
    hugo = tmp_path / "j.md"
    hugo.write_text('{\n  "title": "t"\n}\n')
    out = curator("set", str(hugo), "--set", "date=2024-01-02")
    assert out.returncode == 0 and json.loads(hugo.read_text())["date"] == "2024-01-02"


def test_a_tagged_value_pyyaml_cannot_make_is_refused_everywhere_yaml_is_read(tmp_path: Path):
    """`!!int` with nothing after it raises IndexError in PyYAML (`!!bool maybe` KeyError): in a
    --set VALUE, a .curator.yml and a taxonomy file, as in front matter, it is refused in words."""
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_data" / "topics").mkdir(parents=True)
    (tmp_path / "_data" / "topics" / "a.yaml").write_text("name: !!int\n")
    page = tmp_path / "a.md"
    page.write_text("---\ntitle: t\n---\n")
    out = curator("set", str(page), "--set", "n=!!int")
    assert out.returncode == 2 and "cannot read '!!int' as YAML" in out.stderr
    assert curator("topics", str(tmp_path)).returncode == 0
    (tmp_path / ".curator.yml").write_text("profile: !!bool maybe\n")
    out = curator("profile", str(tmp_path))
    assert out.returncode == 1 and "cannot read it" in out.stderr and "Traceback" not in out.stderr
    assert curator("list", str(tmp_path)).returncode == 0
