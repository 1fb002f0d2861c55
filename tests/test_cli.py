"""The CLI as a user runs it: a real process, real files, exit codes and output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def curator(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "curator", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=120
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
    out = curator("check", str(sample), "--warnings")
    assert out.returncode == 1
    assert f"{sample}/broken.md:" in out.stdout
    assert f"{sample}/typed.md:2: warning: quality: expected a whole number" in out.stdout


def test_cli_imports_no_qt():
    code = "import sys, curator.cli, curator.core.library; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
