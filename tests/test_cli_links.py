"""`curator links`: a real process against a real server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_links import Answers, server  # noqa: F401 - the fixture
from tests.test_cli import curator


def _article(folder: Path, name: str, url: str, web: str = "") -> None:
    extra = f'webUrl: "{web}"\n' if web else ""
    (folder / name).write_text(f'---\ntitle: "{name}"\noriginalUrl: "{url}"\n{extra}---\n', encoding="utf-8")


@pytest.fixture
def queue(tmp_path: Path, server: str, monkeypatch) -> Path:  # noqa: F811
    monkeypatch.setenv("CURATOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "queue"
    folder.mkdir()
    _article(folder, "a.md", server + "/ok", web=server + "/chain")
    _article(folder, "b.md", server + "/gone")
    _article(folder, "c.md", server + "/busy")
    return folder


def test_json_rows_exit_1_on_dead_and_a_second_run_asks_nothing(queue: Path, server: str):  # noqa: F811
    out = curator("links", str(queue), "--format", "json")
    assert out.returncode == 1, out.stderr
    rows = {(r["path"], r["field"]): r for r in json.loads(out.stdout)}
    assert rows["a.md", "originalUrl"]["status"] == "ok"
    moved = rows["a.md", "webUrl"]
    assert (moved["status"], moved["final_url"]) == ("moved", server + "/ok")
    assert (rows["b.md", "originalUrl"]["status"], rows["b.md", "originalUrl"]["code"]) == ("dead", 410)
    assert (rows["c.md", "originalUrl"]["status"], rows["c.md", "originalUrl"]["code"]) == ("error", 503)
    assert set(json.loads(out.stdout)[0]) == {"path", "field", "url", "status", "code", "final_url", "detail"}
    assert "checked 4 of 4 links" in out.stderr
    asked = len(Answers.seen)
    again = curator("links", str(queue), "--format", "json")
    assert json.loads(again.stdout) == json.loads(out.stdout) and len(Answers.seen) == asked
    offline = curator("links", str(queue), "--no-network", "--where", "title:a.md")
    assert offline.returncode == 0 and "moved" in offline.stdout and len(Answers.seen) == asked
    curator("links", str(queue), "--recheck")
    assert len(Answers.seen) > asked


def test_no_network_refuses_links_it_has_not_checked(queue: Path, server: str):  # noqa: F811
    out = curator("links", str(queue), "--no-network")
    assert out.returncode == 2 and "4 links not checked in the last 24 hours" in out.stderr
    assert Answers.seen == []


def test_list_selects_by_the_last_link_check(queue: Path, server: str):  # noqa: F811
    assert curator("list", str(queue), "--where", "link:dead").stdout == ""
    curator("links", str(queue))
    asked = len(Answers.seen)
    dead = curator("list", str(queue), "--where", "link:dead", "--format", "json")
    assert [r["path"] for r in json.loads(dead.stdout)] == ["b.md"]
    moved = curator("list", str(queue), "--where", "link:moved", "--format", "json")
    assert [r["path"] for r in json.loads(moved.stdout)] == ["a.md"]  # its webUrl moved
    assert len(Answers.seen) == asked
