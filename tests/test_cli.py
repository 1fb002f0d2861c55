"""The CLI as a user runs it: a real process, real files, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from curator import cli
from curator.core.folder import opening
from tests.conftest import ROOT
from tests.core.test_library import hostile_folder


def curator(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "curator", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout
    )


def test_version_and_usage():
    assert curator("--version").stdout.startswith("curator ")
    assert curator("list").returncode == 2
    assert curator("set", "x.md").returncode == 2  # nothing to change


def test_list_json_with_query_and_sort(sample: Path):
    out = curator("list", str(sample), "--where", "published:no", "--sort=-quality", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and all(r["published"] is False for r in rows)
    qualities = [r["quality"] for r in rows if r["quality"] is not None]
    assert qualities == sorted(qualities, reverse=True)


def test_bad_query_is_a_usage_error_with_position(sample: Path):
    out = curator("list", str(sample), "--where", "quality:>=x")
    assert out.returncode == 2 and "position 1" in out.stderr


def test_set_dry_run_prints_a_diff_and_writes_nothing(sample: Path):
    path = sample / "_news" / "000_0f6bed355ea43c67.txt"
    before = path.read_bytes()
    out = curator("set", str(path), "--set", "quality=80", "--set", 'topics=["AI", "Portals"]', "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "-quality: 24\n+quality: 80" in out.stdout and "+  - Portals" in out.stdout
    assert path.read_bytes() == before


def test_set_and_unset_write(sample: Path):
    path = sample / "_news" / "000_0f6bed355ea43c67.txt"
    out = curator("set", str(path), "--set", "quality=80", "--unset", "heat")
    assert out.returncode == 0, out.stderr
    text = path.read_text()
    assert "quality: 80\n" in text and "heat:" not in text.split("provider:")[0]


def test_publish_where_and_failures_do_not_stop_the_rest(sample: Path):
    out = curator("publish", "--where", "published:no", str(sample))
    assert out.returncode == 0, out.stderr
    assert curator("list", str(sample), "--where", "published:no", "--format", "json").stdout.strip() == "[]"
    bad = sample / "bad.md"
    bad.write_text("---\ntitle: [\n---\n")
    good = sample / "_news" / "000_0f6bed355ea43c67.txt"
    out = curator("unpublish", str(bad), str(good))
    assert out.returncode == 1 and "bad.md" in out.stderr
    assert "published: false" in good.read_text()


def test_check_reports_path_line_reason(sample: Path):
    assert curator("check", str(sample)).returncode == 0
    (sample / "broken.md").write_text('---\ntitle: ok\nexcerpt: "open\n---\n')
    (sample / "typed.md").write_text('---\nquality: "high"\n---\n')
    out = curator("check", str(sample))
    assert out.returncode == 1 and "typed.md" not in out.stdout
    assert "; 1 with values of the wrong type (--warnings lists them)" in out.stderr  # so they are not missed
    out = curator("check", str(sample), "--warnings")
    assert out.returncode == 1 and "wrong type" not in out.stderr
    assert f"{sample}/broken.md:" in out.stdout
    assert f"{sample}/typed.md:2: warning: quality: expected a whole number" in out.stdout


def test_cli_imports_no_qt():
    code = (
        "import sys, curator.cli, curator.core.folder.library\n"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_publish_where_reports_files_it_could_not_read(sample: Path):
    (sample / "_news" / "broken.md").write_text('---\ntitle: ok\npublished: false\nexcerpt: "open\n---\n')
    out = curator("publish", "--where", "published:no", str(sample))
    assert out.returncode == 1
    assert f"{sample}/_news/broken.md:4: YAML error" in out.stderr
    assert curator("list", str(sample), "--where", "published:no", "--format", "json").stdout.strip() == "[]"
    assert "published: false" in (sample / "_news" / "broken.md").read_text()  # never edited


def test_a_folder_of_hostile_files_lists_and_publishes_the_rest(sample: Path):
    hostile_folder(sample / "hostile")
    out = curator("list", str(sample), "--format", "json", "--where", "path:hostile/")
    assert out.returncode == 1  # some files are unreadable...
    listed = sorted(r["path"] for r in json.loads(out.stdout))  # ...and the others are listed
    assert listed == [f"hostile/_news/{n}.md" for n in ("deep", "good0", "good1", "good2", "huge")]
    for name in ("baddate.md:3", "loop1.md", "fifo.md"):
        assert f"hostile/_news/{name}" in out.stderr
    assert curator("check", str(sample)).returncode == 1
    out = curator("unpublish", "--where", "path:hostile/", str(sample))
    assert out.returncode == 1
    assert "published: false" in (sample / "hostile" / "_news" / "good1.md").read_text()


def test_a_broken_pipe_inside_loading_is_an_error_not_a_closed_stdout(sample: Path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(opening, "load", broken)
    assert cli.main(["list", str(sample)]) == 1
    assert "BrokenPipeError" in capsys.readouterr().err


def test_output_into_a_closed_pipe_ends_quietly(sample: Path):
    many = sample / "many"
    many.mkdir()
    for n in range(3000):
        (many / f"{n:04}.md").write_text(f"---\ntitle: article number {n} with a long title to fill the pipe\n---\n")
    cmd = f"set -o pipefail; {sys.executable} -m curator list {many} | head -c 100 >/dev/null"
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr


def test_an_unusable_cache_folder_is_worked_around_and_said_once(sample: Path, tmp_path: Path):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    env = {**os.environ, "CURATOR_CACHE_DIR": str(blocker)}
    out = subprocess.run(
        [sys.executable, "-m", "curator", "publish", "--where", "published:no", str(sample)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("cannot be used") == 1 and "working without it" in out.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "curator", "list", str(sample), "--where", "published:no"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0 and listed.stdout == ""


def test_set_checks_known_fields_as_the_window_does(sample: Path):
    """The field table (core/document/schema.py) decides for the CLI too: a quality that is not a whole
    number, or a published that is not true/false, is refused for that file, the rest done."""
    path = sample / "_news" / "000_0f6bed355ea43c67.txt"
    before = path.read_bytes()
    out = curator("set", str(path), "--set", "quality=high")
    assert out.returncode == 1 and "quality must be a whole number" in out.stderr
    out = curator("set", str(path), "--set", "published=maybe", "--set", "heat=3")
    assert out.returncode == 1 and "published must be true or false" in out.stderr
    assert path.read_bytes() == before  # a file that cannot take one edit takes none


def test_a_folder_that_is_not_there_is_a_usage_error_not_zero_articles(tmp_path: Path, capsys):
    missing, a_file = tmp_path / "nowhere", tmp_path / "article.md"
    a_file.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    for command in ("list", "duplicates", "links"):
        assert cli.main([command, str(missing)]) == cli.USAGE
        assert f"{missing}: no such file or folder" in capsys.readouterr().err
        assert cli.main([command, str(a_file)]) == cli.USAGE
        assert f"{a_file}: not a folder" in capsys.readouterr().err
