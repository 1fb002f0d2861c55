"""`curator duplicates`: a real process over our hand-labelled files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.core.dupsets import own_labels
from tests.core.test_duplicates import OWN
from tests.test_cli import curator


def test_json_lists_the_labelled_groups_keeper_first(tmp_path: Path):
    folder = shutil.copytree(OWN, tmp_path / "queue")
    (folder / "labels.json").unlink()
    out = curator("duplicates", str(folder), "--format", "json")
    assert out.returncode == 0, out.stderr
    groups = json.loads(out.stdout)
    want = own_labels(OWN)
    assert sorted(g[0] for g in groups) == sorted(g[0] for g in want)
    assert sorted(sorted(g) for g in groups) == sorted(sorted(g) for g in want)


def test_where_groups_only_the_matching_articles_and_the_table_marks_the_keeper(tmp_path: Path):
    folder = shutil.copytree(OWN, tmp_path / "queue")
    out = curator("duplicates", str(folder), "--where", "published:no", "--format", "json")
    assert json.loads(out.stdout) == [["contoso-techwire.md", "contoso-newsline.md"]]
    table = curator("duplicates", str(folder))
    assert table.returncode == 0
    first = table.stdout.splitlines()[1]
    assert first.startswith("keep  yes  Contoso ships Widget Studio 3") and first.endswith("contoso-original.md")
    assert "5 groups of 12 articles" in table.stderr


def test_a_bad_query_is_a_usage_error(tmp_path: Path):
    out = curator("duplicates", str(OWN), "--where", "quality:>=x")
    assert out.returncode == 2 and "position" in out.stderr
