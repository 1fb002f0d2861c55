"""What the window and the command line say: counted nouns through one helper (core.words),
with their verbs agreeing, in the window's questions and in the CLI's summaries."""

from __future__ import annotations

from pathlib import Path

from curator.ui.fieldedit import FieldDialog
from tests.test_cli import curator
from tests.ui.conftest import open_folder


def test_a_rename_says_how_many_taxonomy_files_change_in_good_english(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    window.prompts.topic, window.prompts.batch = "Canvas Apps", False  # asked, then declined
    assert not window.topics.request("rename", ["Canvas apps"])
    kind, text, detail = window.prompts.asked[-1]
    assert (kind, text) == ("change", "Rename “Canvas apps” to “Canvas Apps”")
    assert detail.startswith("1 article changes (one line each, or so) when you save.")
    assert detail.endswith(" In the site's taxonomy, 1 file changes at once.")


def test_the_field_dialog_says_one_article_changes(qtbot, sample):
    values = {"a.md": "x", "b.md": "y"}
    dialog = FieldDialog(["type"], lambda key: values, 2, "type")
    qtbot.addWidget(dialog)
    dialog.value.setText("x")  # a.md has it already
    dialog.update_preview()
    assert dialog.outcome.text() == "1 article changes; 1 unchanged."


def test_the_cli_counts_one_topic_in_good_english(tmp_path: Path):
    root = tmp_path / "site"
    root.mkdir()
    for n in range(4):
        (root / f"{n}.md").write_text(f"---\ntitle: T{n}\ntopics:\n  - Portals\n---\n")
    out = curator("topics", str(root))
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip() == "1 topic in 4 articles"
    listed = curator("list", str(root), "--where", "title:T1")
    assert listed.stderr.strip() == "1 of 4 articles"
