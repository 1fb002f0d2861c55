"""`curator show`: each file's front matter as Curator reads it, through the path the editor and
the other commands read it by (snapshots.read_file, frontmatter.load_document)."""

from __future__ import annotations

import json
from pathlib import Path

from curator.core.document.frontmatter import load_document
from curator.core.document.snapshots import read_file
from tests.conftest import SAMPLE
from tests.test_cli import curator

PAGES = {
    "a.md": "---\ntitle: A\ndate: 2024-01-02\nwhen: 2024-01-02T03:04:05Z\ntags: [x, y]\n1: one\n---\nbody\n",
    "b.md": "+++\ntitle = 'B'\ndate = 2024-01-02T03:04:05+01:00\nday = 2024-01-02\nat = 07:32:00\n"
    "[params]\nn = 1.5\n+++\n",
    "c.md": '{\n  "title": "C",\n  "draft": true,\n  "n": null\n}\n',
}


def test_show_json_gives_each_file_front_matter_with_dates_as_iso_text(tmp_path: Path):
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text)
    out = curator("show", *(str(tmp_path / n) for n in PAGES), "--format", "json")
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown == [
        {
            "path": str(tmp_path / "a.md"),
            "format": "yaml",
            "front_matter": {
                "title": "A",
                "date": "2024-01-02",
                "when": "2024-01-02T03:04:05+00:00",
                "tags": ["x", "y"],
                "1": "one",
            },
        },
        {
            "path": str(tmp_path / "b.md"),
            "format": "toml",
            "front_matter": {
                "title": "B",
                "date": "2024-01-02T03:04:05+01:00",
                "day": "2024-01-02",
                "at": "07:32:00",
                "params": {"n": 1.5},
            },
        },
        {"path": str(tmp_path / "c.md"), "format": "json", "front_matter": {"title": "C", "draft": True, "n": None}},
    ]


def test_a_refused_file_is_named_with_its_reason_and_the_rest_are_shown(tmp_path: Path):
    (tmp_path / "ok.md").write_text("---\ntitle: ok\n---\n")
    (tmp_path / "bad.md").write_text('---\ntitle: "open\n---\n')
    (tmp_path / "none.md").write_text("just text\n")
    names = ["bad.md", "ok.md", "none.md", "gone.md"]
    out = curator("show", *(str(tmp_path / n) for n in names), "--format", "json")
    assert out.returncode == 1
    shown = {Path(item["path"]).name: item for item in json.loads(out.stdout)}
    assert shown["ok.md"]["front_matter"] == {"title": "ok"}
    assert shown["bad.md"]["error"].startswith("YAML error") and shown["bad.md"]["line"] == 2
    assert "no front matter" in shown["none.md"]["error"] and "cannot read" in shown["gone.md"]["error"]
    assert all(set(item) <= {"path", "error", "line"} for n, item in shown.items() if n != "ok.md")
    assert f"{tmp_path / 'bad.md'}:2: YAML error" in out.stderr
    text = curator("show", str(tmp_path / "ok.md"))
    assert text.returncode == 0 and text.stdout == f"{tmp_path / 'ok.md'} (yaml)\n  title: ok\n"


def test_show_reads_what_the_editor_reads_on_the_bundled_sample():
    paths = sorted(str(p) for p in SAMPLE.rglob("*") if p.suffix in (".md", ".txt"))
    out = curator("show", *paths, "--format", "json")
    assert out.returncode == 0 and len(paths) == 31
    for item in json.loads(out.stdout):
        data = load_document(read_file(item["path"])[0]).data
        assert item["front_matter"] == json.loads(json.dumps(data, default=lambda d: d.isoformat()))
