"""Small sites of each generator (tests/sites: Hugo with YAML, TOML and JSON pages, Jekyll,
Zola, Eleventy, Astro; each with drafts, nested taxonomies or section pages, CRLF and a BOM),
read and edited through the detected profile. Golden outputs live in tests/golden/SITE/;
`CURATOR_REGEN_GOLDEN=1` writes them again (then read the diff before committing it)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from curator import cli
from curator.core.site import profiles

SITES = Path(__file__).parent / "sites"
GOLDEN = Path(__file__).parent / "golden"
NAMES = ("hugo", "jekyll", "zola", "eleventy", "astro")


@pytest.fixture
def site(request, tmp_path, monkeypatch) -> Path:
    copy = shutil.copytree(SITES / request.param, tmp_path / request.param)
    monkeypatch.setenv("CURATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(copy)
    yield copy
    profiles.choose(copy, None)


def run(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out + (f"# stderr\n{err}" if err else "")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_golden(name: str, outputs: dict[str, str]) -> None:
    folder = GOLDEN / name
    if os.environ.get("CURATOR_REGEN_GOLDEN"):
        folder.mkdir(parents=True, exist_ok=True)
        for key, text in outputs.items():
            (folder / key).write_text(text, encoding="utf-8", newline="")
    for key, text in outputs.items():
        assert text == (folder / key).read_bytes().decode("utf-8"), f"{name}/{key}"


@pytest.mark.parametrize("site", NAMES, indirect=True)
def test_each_generator_is_read_and_edited_as_its_profile_says(site, capsys):
    name = site.name
    original = files(site)
    outputs = {
        "profile.txt": run(capsys, "profile", ".")[1],
        "list.json": run(capsys, "list", ".", "--format", "json")[1],
        "check.txt": run(capsys, "check", ".", "--warnings")[1],
        "publish.diff": run(capsys, "publish", "--where", "published:no", ".", "--dry-run")[1],
        "unpublish.diff": run(capsys, "unpublish", "--where", "published:yes", ".", "--dry-run")[1],
        "set-topics.diff": run(capsys, "set", "--where", "", ".", "--add", "topics=Curated", "--dry-run")[1],
    }
    check_golden(name, outputs)
    assert files(site) == original  # dry runs write nothing
    # publishing every draft and unpublishing them again gives back every byte; a draft by its
    # folder (Jekyll's _drafts/) is named and left alone
    profile = profiles.for_root(site)
    drafts = [r["path"] for r in json.loads(outputs["list.json"]) if not r["published"]]
    by_folder = [p for p in drafts if profile.in_drafts(p)]
    code, _ = run(capsys, "publish", "--where", "published:no", ".")
    assert code == (cli.FAILED if by_folder else cli.OK)
    code, out = run(capsys, "list", ".", "--where", "published:no", "--format", "json")
    assert [r["path"] for r in json.loads(out)] == by_folder
    code, _ = run(capsys, "unpublish", *[p for p in drafts if p not in by_folder])
    assert code == cli.OK
    assert files(site) == original


def hugo_drafts(site: Path) -> set[str]:
    out = subprocess.run(["hugo", "list", "drafts"], cwd=site, capture_output=True, text=True, check=True).stdout
    rows = [row for row in csv.reader(io.StringIO(out)) if row and row[0] != "path"]  # (newer: CSV, with a header)
    return {row[0] for row in rows}


def curator_drafts(capsys) -> set[str]:
    code, out = run(capsys, "list", ".", "--where", "published:no", "--format", "json")
    assert code == cli.OK
    return {r["path"] for r in json.loads(out)}


needs_hugo = pytest.mark.skipif(
    shutil.which("hugo") is None and not os.environ.get("CURATOR_REQUIRE_HUGO"), reason="hugo is not installed"
)


@needs_hugo
@pytest.mark.parametrize("site", ["hugo"], indirect=True)
def test_hugo_itself_agrees_on_the_drafts_before_and_after_publishing(site, capsys):
    """`hugo list drafts` and `curator list --where published:no` name the same pages, with
    YAML, TOML and JSON front matter, before and after curator publishes and unpublishes."""
    before = hugo_drafts(site)
    assert before == curator_drafts(capsys) == {
        "content/posts/json-draft.md", "content/posts/toml-draft.md", "content/posts/yaml-draft.md"
    }  # fmt: skip
    assert run(capsys, "publish", "content/posts/json-draft.md", "content/posts/toml-draft.md")[0] == cli.OK
    assert hugo_drafts(site) == curator_drafts(capsys) == {"content/posts/yaml-draft.md"}
    # unpublishing a page that has no draft key adds `draft: true` (never `published: false`)
    assert run(capsys, "unpublish", "content/posts/no-draft-key.md", "content/posts/toml-page.md")[0] == cli.OK
    assert "draft: true" in (site / "content/posts/no-draft-key.md").read_text()
    assert "published" not in (site / "content/posts/no-draft-key.md").read_text()
    assert hugo_drafts(site) == curator_drafts(capsys) == {
        "content/posts/yaml-draft.md", "content/posts/no-draft-key.md", "content/posts/toml-page.md"
    }  # fmt: skip


@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_field_terms_and_nested_keys_from_the_command_line(site, capsys):
    code, out = run(capsys, "list", ".", "--where", "field:layout=post -field:title", "--format", "json")
    assert code == cli.OK and [r["path"] for r in json.loads(out)] == ["_posts/2024-01-04-no-title.md"]
    # a dotted key names a nested key: the mapping is made where missing, never a literal "a.b" key
    code, _ = run(capsys, "set", "_posts/2024-01-04-no-title.md", "--set", "seo.image=/a.png")
    text = (site / "_posts/2024-01-04-no-title.md").read_text()
    assert code == cli.OK and "seo.image" not in text and "seo:\n  image: /a.png\n" in text


@pytest.mark.parametrize("site", ["eleventy"], indirect=True)
@pytest.mark.parametrize("marker", ["eleventy.config.mjs", "eleventy.config.cjs", ".eleventy.cjs"])
def test_a_file_of_a_site_found_by_any_of_its_profiles_markers_is_written_as_that_profile(site, capsys, marker):
    """`curator unpublish FILE` finds the file's site by the same markers detection uses: an
    Eleventy site with only `eleventy.config.mjs` got `published: false` (the site root was
    found by a second list of markers that lacked it, so the file's folder was read as News)."""
    (site / ".eleventy.js").rename(site / marker)
    (site / "posts/one.md").write_text("---\ntitle: One\ntags: post\n---\n")
    assert run(capsys, "unpublish", "posts/one.md")[0] == cli.OK
    text = (site / "posts/one.md").read_text()
    assert "draft: true" in text and "published" not in text


@pytest.mark.parametrize("site", ["hugo"], indirect=True)
def test_an_exclude_in_curator_yml_adds_to_the_profiles_own(site, capsys):
    """A Hugo section page (`_index.md`) stays out of the list, and of a batch publish, when
    `.curator.yml` excludes a folder of its own (the `exclude:` replaced the defaults)."""
    (site / ".curator.yml").write_text("exclude: [content/archive/**]\n")
    (site / "content/archive").mkdir()
    (site / "content/archive/old.md").write_text("---\ntitle: Old\ndraft: true\n---\n")
    before = (site / "content/_index.md").read_bytes()
    code, out = run(capsys, "list", ".", "--format", "json")
    paths = {r["path"] for r in json.loads(out.split("# stderr")[0])}
    assert code == cli.OK and "content/_index.md" not in paths and "content/posts/_index.md" not in paths
    assert "content/archive/old.md" not in paths and "content/posts/yaml-draft.md" in paths
    assert run(capsys, "unpublish", "--where", "", ".")[0] == cli.OK
    assert (site / "content/_index.md").read_bytes() == before
    assert "content/archive/**" in profiles.for_root(site).exclude and "**/_index.md" in profiles.for_root(site).exclude
