"""`curator views` and `curator list --view`: a real process over real files."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import curator


def test_save_list_use_and_delete_a_view(sample: Path):
    config = sample / ".curator.yml"
    config.write_text("# ours\nretired:\n  - Gone  # merged\n", encoding="utf-8")
    out = curator("views", "save", "Queue", "--where", "published:no", "--sort=-quality", str(sample))
    assert out.returncode == 0, out.stderr
    assert config.read_text(encoding="utf-8") == (
        "# ours\nretired:\n  - Gone  # merged\nviews:\n  - Queue | -quality |  | published:no\n"
    )
    by_view = curator("list", str(sample), "--view", "Queue", "--format", "json")
    by_hand = curator("list", str(sample), "--where", "published:no", "--sort=-quality", "--format", "json")
    assert by_view.returncode == 0, by_view.stderr
    assert by_view.stdout == by_hand.stdout and by_view.stdout.count('"path"') >= 1
    listed = curator("views", str(sample))
    count = by_hand.stdout.count('"path"')
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split()[:2] == ["Queue", f"{count:,}"]
    assert curator("views", "delete", "Queue", str(sample)).returncode == 0
    assert config.read_text(encoding="utf-8") == "# ours\nretired:\n  - Gone  # merged\n"
    assert curator("list", str(sample), "--view", "Queue").returncode == 2  # no such view


def test_a_view_whose_query_no_longer_parses_is_listed_with_its_error(sample: Path):
    (sample / ".curator.yml").write_text("views:\n  - Broken | quality:>=x\n  - All | \n", encoding="utf-8")
    out = curator("views", str(sample))
    assert out.returncode == 0, out.stderr
    broken, every = out.stdout.splitlines()
    assert broken.startswith("Broken") and "error:" in broken and "position" in broken
    assert every.startswith("All")
    assert curator("list", str(sample)).returncode == 0  # the folder still opens
    assert curator("list", str(sample), "--view", "Broken").returncode == 2


def test_saving_refuses_a_bad_query_and_writes_nothing(sample: Path):
    out = curator("views", "save", "X", "--where", "quality:>=x", str(sample))
    assert out.returncode == 2 and not (sample / ".curator.yml").exists()
