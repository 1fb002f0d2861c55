"""The Topics manager in the window: the list, and a rename over every article (and the
taxonomy) as one undo step whose Undo + Save gives back every byte."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from curator.core.site.topics import SiteTopics
from curator.ui.mainwindow.actions import Action
from tests.ui.conftest import open_folder, wait_saved


def files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def listed(window) -> dict[str, tuple[str, str, str]]:
    tree = window.topics_panel.tree
    return {
        tree.topLevelItem(i).text(0): tuple(tree.topLevelItem(i).text(c) for c in (1, 2, 3))
        for i in range(tree.topLevelItemCount())
    }


def select(window, *names: str) -> None:
    tree = window.topics_panel.tree
    tree.clearSelection()
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        item.setSelected(item.text(0) in names)


def test_the_manager_lists_counts_and_the_taxonomy(qtbot, window, sample):
    (sample / "_news/variant.md").write_text("---\ntitle: V\ntopics:\n  - power apps\n---\n")
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Power Apps" in listed(window), timeout=5000)
    rows = listed(window)
    assert rows["Power Apps"][1] == "✓" and int(rows["Power Apps"][0]) >= 20
    assert rows["power apps"] == ("1", "", "Power Apps") and "power apps" in rows["Power Apps"][2]
    assert rows["Model-driven apps"][:2] == ("0", "✓")  # declared, used by no article
    window.topics_panel.filter.setText("canvas")
    tree = window.topics_panel.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    shown = [item.text(0) for item in items if not item.isHidden()]
    assert shown == ["Canvas apps"]


def test_a_rename_is_one_undo_step_and_undo_save_gives_back_every_byte(qtbot, window, sample):
    original = files(sample)
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Teams integration" in listed(window), timeout=5000)
    select(window, "Power Apps")
    window.prompts.topic = "Microsoft Power Apps"
    window.topics_panel.buttons["rename"].click()
    kinds = window.prompts.kinds()
    assert kinds[-2:] == ["topic", "change"]
    assert (window.prompts.choices, window.prompts.start) == ([], "Power Apps")  # a text box, from the name
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText().startswith("Rename “Power Apps”")
    changed = len(window.workspace.pending)
    assert changed >= 20
    taxonomy = sample / "_data/topics/00-power-apps.yaml"
    child = sample / "_data/topics/01-canvas-apps.yaml"
    # the taxonomy files are written one after another in a worker: wait for the last of them
    qtbot.waitUntil(lambda: b"name: Microsoft Power Apps" in taxonomy.read_bytes(), timeout=5000)
    qtbot.waitUntil(lambda: b"parent: Microsoft Power Apps" in child.read_bytes(), timeout=5000)
    window.save()
    wait_saved(qtbot, window)
    for path, data in files(sample).items():
        if data != original[path]:
            old, new = original[path].decode().splitlines(), data.decode().splitlines()
            assert len(old) == len(new) and sum(a != b for a, b in zip(old, new, strict=True)) == 1, path
    qtbot.waitUntil(lambda: "Microsoft Power Apps" in listed(window), timeout=5000)
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: b"name: Power Apps" in taxonomy.read_bytes(), timeout=5000)
    qtbot.waitUntil(lambda: b"parent: Power Apps" in child.read_bytes(), timeout=5000)
    window.save()
    wait_saved(qtbot, window)
    assert files(sample) == original


def test_merge_and_delete_from_the_manager(qtbot, window, sample):
    (sample / "_news/variant.md").write_text("---\ntitle: V\ntopics:\n  - power apps\n  - AI\n  - Power Apps\n---\n")
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "power apps" in listed(window), timeout=5000)
    select(window, "power apps")
    window.prompts.topic = "Power Apps"
    window.topics_panel.buttons["merge"].click()
    row = window.workspace.rows["_news/variant.md"]
    assert list(window.workspace.summary(row).topics) == ["Power Apps", "AI"]  # one left, where the first stood
    select(window, "AI")
    window.topics_panel.buttons["delete"].click()
    assert list(window.workspace.summary(row).topics) == ["Power Apps"]
    assert window.undo_stack.count() == 2
    window.prompts.batch = False  # the editor says no: nothing changes
    select(window, "Power Apps")
    window.topics_panel.buttons["delete"].click()
    assert window.undo_stack.count() == 2


def counted(qtbot, window) -> None:
    """Wait until completion's topics are counted with the site's topics as the manager has them."""
    qtbot.waitUntil(
        lambda: window.editing.site_topics is window.topics.site and bool(window.editing.known_topics), timeout=5000
    )


def chips(chip_list) -> list[str]:
    return [chip_list.item(i).data(256) for i in range(chip_list.count())]


def test_suggested_topics_are_one_click_chips_and_a_removed_one_is_not_suggested_again(qtbot, window, sample):
    (sample / "_news/suggest.md").write_text("---\ntitle: Building a canvas app\ntopics: []\n---\nBody\n")
    (sample / "_news/suggest2.md").write_text("---\ntitle: AI Builder models\n---\n")
    open_folder(qtbot, window, sample)
    from tests.ui.test_editing import select_paths

    select_paths(window, ["_news/suggest.md"])
    editor = window.editor
    qtbot.waitUntil(lambda: chips(editor.suggested) == ["Power Apps", "Canvas apps"], timeout=5000)
    assert editor.suggested.isVisible()
    editor.suggested.itemClicked.emit(editor.suggested.item(1))  # one click adds "Canvas apps"
    row = window.workspace.rows["_news/suggest.md"]
    assert list(window.workspace.summary(row).topics) == ["Canvas apps"]
    qtbot.waitUntil(lambda: chips(editor.suggested) == ["Power Apps"], timeout=5000)
    window.request_edit("topics", "remove", "Canvas apps")  # the editor takes it away again
    qtbot.waitUntil(lambda: chips(editor.suggested) == ["Power Apps"], timeout=5000)  # and it is not offered back

    select_paths(window, ["_news/suggest.md", "_news/suggest2.md"])
    assert chips(editor.suggested) == [] and not editor.suggested.isVisible()
    count = window.undo_stack.count()
    window.action_map[Action.APPLY_SUGGESTED].trigger()
    assert window.undo_stack.count() == count + 1
    assert list(window.workspace.summary(row).topics) == ["Power Apps"]
    other = window.workspace.rows["_news/suggest2.md"]
    assert list(window.workspace.summary(other).topics) == ["Power Apps", "AI Builder"]
    window.action_map[Action.UNDO].trigger()
    assert list(window.workspace.summary(other).topics) == []


def test_suggestions_follow_a_rename_of_a_taxonomy_topic(qtbot, window, sample):
    (sample / "_news/suggest.md").write_text("---\ntitle: Building a canvas app\ntopics: []\n---\nBody\n")
    open_folder(qtbot, window, sample)
    from tests.ui.test_editing import select_paths

    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: "Canvas apps" in chips(window.editor.suggested), timeout=5000)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Canvas apps" in listed(window), timeout=5000)
    select(window, "Canvas apps")
    window.prompts.topic = "Canvas Apps"  # the same length: the suggester must still be made again
    window.topics_panel.buttons["rename"].click()
    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: "Canvas Apps" in chips(window.editor.suggested), timeout=5000)
    assert "Canvas apps" not in chips(window.editor.suggested)


def test_opening_another_folder_cancels_the_count_of_the_last_ones_topics(qtbot, window, sample, tmp_path):
    open_folder(qtbot, window, sample)
    counting = window.editing.count_topics(SiteTopics())
    (tmp_path / "a.md").write_text("---\ntitle: A\ntopics: [AI]\n---\n", encoding="utf-8")
    open_folder(qtbot, window, tmp_path)
    assert counting.cancelled
    assert not window.editing.count_topics(SiteTopics()).cancelled  # this folder's count runs


CDS = "name: Common Data Service\nparent: Power Apps\nkeywords:\n  - common data service\n"


def test_a_merge_asks_about_the_old_entry_and_apply_suggested_never_puts_the_topic_back(qtbot, window, sample):
    """Issue 29 #2: merge "Common Data Service" into "Portals", save, Apply Suggested Topics on
    the Portals articles: it went back into every article that mentions it."""
    (sample / "_data/topics/03-common-data-service.yaml").write_text(CDS)
    for i in range(3):
        (sample / f"_news/cds{i}.md").write_text(
            f"---\ntitle: Tables {i} of the Common Data Service\n"
            "topics:\n  - Power Apps\n  - Common Data Service\n---\n"
        )
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Common Data Service" in listed(window), timeout=5000)
    select(window, "Common Data Service")
    window.prompts.topic, window.prompts.entry = "Portals", False  # remove its taxonomy entry
    window.topics_panel.buttons["merge"].click()
    asked = [a for a in window.prompts.asked if a[0] == "merge entry"]
    assert asked == [("merge entry", "Merge “Common Data Service” into “Portals”", ["Common Data Service"], "Portals")]
    qtbot.waitUntil(lambda: not (sample / "_data/topics/03-common-data-service.yaml").exists(), timeout=5000)
    window.save()
    wait_saved(qtbot, window)
    rows = [window.workspace.rows[f"_news/cds{i}.md"] for i in range(3)]
    window.prompts.asked.clear()
    window.topics.apply_suggested(rows)
    for row in rows:
        assert "Common Data Service" not in window.workspace.summary(row).topics
    qtbot.waitUntil(lambda: "Common Data Service" not in listed(window), timeout=5000)
    counted(qtbot, window)
    assert "Common Data Service" not in window.editing.known_topics  # nor offered by completion
    assert "Portals" in window.editing.known_topics


def test_after_undo_and_redo_of_a_rename_the_manager_and_suggestions_show_the_files_as_they_are(qtbot, window, sample):
    """Issue 29 #3: after Undo of a rename, "Microsoft Teams 0 ✓" stayed listed, "Teams
    integration" lost its ✓, and articles were offered "+ Microsoft Teams"."""
    (sample / "_news/teams.md").write_text("---\ntitle: Apps in Microsoft Teams\ntopics: [Power Apps]\n---\n")
    taxonomy = sample / "_data/topics/06-teams-integration.yaml"
    open_folder(qtbot, window, sample)
    from tests.ui.test_editing import select_paths

    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Teams integration" in listed(window), timeout=5000)
    count = listed(window)["Teams integration"][0]
    select(window, "Teams integration")
    window.prompts.topic = "Microsoft Teams"
    window.topics_panel.buttons["rename"].click()
    qtbot.waitUntil(lambda: b"name: Microsoft Teams" in taxonomy.read_bytes(), timeout=5000)
    qtbot.waitUntil(lambda: listed(window).get("Microsoft Teams", ("",))[0] == count, timeout=5000)
    select_paths(window, ["_news/teams.md"])
    qtbot.waitUntil(lambda: "Microsoft Teams" in chips(window.editor.suggested), timeout=5000)
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: b"name: Teams integration" in taxonomy.read_bytes(), timeout=5000)
    qtbot.waitUntil(lambda: "Microsoft Teams" not in listed(window), timeout=5000)
    assert listed(window)["Teams integration"][:2] == (count, "✓")
    qtbot.waitUntil(lambda: "Teams integration" in chips(window.editor.suggested), timeout=5000)
    assert "Microsoft Teams" not in chips(window.editor.suggested)
    counted(qtbot, window)
    assert "Microsoft Teams" not in window.editing.known_topics and "Teams integration" in window.editing.known_topics
    window.action_map[Action.REDO].trigger()
    qtbot.waitUntil(lambda: "Teams integration" not in listed(window), timeout=5000)
    assert listed(window)["Microsoft Teams"][:2] == (count, "✓")
    qtbot.waitUntil(lambda: "Microsoft Teams" in chips(window.editor.suggested), timeout=5000)


def test_a_cancelled_delete_does_not_block_suggestions(qtbot, window, sample):
    """Issue 29 #3: the refusal was recorded before the question, so a cancelled Delete still
    kept the topic from being suggested (here: once another program took it off the article)."""
    path = sample / "_news/suggest.md"
    path.write_text("---\ntitle: Building a canvas app\ntopics: [Power Apps, Canvas apps]\n---\nBody\n")
    open_folder(qtbot, window, sample)
    from tests.ui.test_editing import select_paths

    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Canvas apps" in listed(window), timeout=5000)
    select(window, "Canvas apps")
    window.prompts.batch = False  # the editor cancels
    window.topics_panel.buttons["delete"].click()
    assert window.undo_stack.count() == 0
    path.write_text("---\ntitle: Building a canvas app\ntopics: [Power Apps]\n---\nBody\n")
    assert window.watcher.check_now()
    row = window.workspace.rows["_news/suggest.md"]
    qtbot.waitUntil(lambda: window.workspace.summary(row).topics == ("Power Apps",), timeout=10000)
    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: chips(window.editor.suggested) == ["Canvas apps"], timeout=5000)


def test_apply_suggested_on_several_articles_says_what_it_adds_per_topic_first(qtbot, window, sample):
    (sample / "_news/s1.md").write_text("---\ntitle: AI Builder in a canvas app\ntopics: []\n---\n")
    (sample / "_news/s2.md").write_text("---\ntitle: AI Builder models\ntopics: [Power Apps]\n---\n")
    (sample / "_news/s3.md").write_text("---\ntitle: AI Builder forms\ntopics: [Power Apps]\n---\n")
    open_folder(qtbot, window, sample)
    rows = [window.workspace.rows[p] for p in ("_news/s1.md", "_news/s2.md")]
    window.prompts.batch = False  # asked, and the editor says no: nothing changes
    assert not window.topics.apply_suggested(rows)
    (kind, text, detail) = window.prompts.asked[-1]
    assert (kind, text) == ("change", "Apply suggested topics to 2 articles")
    assert (
        "AI Builder: 2 articles" in detail and "Power Apps: 1 article" in detail and "Canvas apps: 1 article" in detail
    )
    assert window.undo_stack.count() == 0 and window.workspace.summary(rows[0]).topics == ()
    window.prompts.batch = True
    assert window.topics.apply_suggested(rows)
    assert list(window.workspace.summary(rows[1]).topics) == ["Power Apps", "AI Builder"]
    window.prompts.asked.clear()
    assert window.topics.apply_suggested([window.workspace.rows["_news/s3.md"]])  # one article: not asked
    assert window.prompts.asked == []


def test_new_topic_is_added_on_return_and_no_says_it_was_not(qtbot, window, sample):
    """Issue 29 #8: "New topic?" defaulted to No: Ctrl+T, a new word, Return, Return added nothing
    and said nothing."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from curator.ui.mainwindow.prompts import DialogPrompts

    prompts = DialogPrompts(window)
    QTimer.singleShot(0, lambda: QTest.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Return))
    assert prompts.confirm_new_topic("Quantum", []) is True  # Return: Add
    open_folder(qtbot, window, sample)
    row = window.workspace.rows["_news/" + sorted(p.name for p in (sample / "_news").iterdir())[0]]
    window.prompts.new_topic = False
    assert not window.request_edit("topics", "add", "Quantum", [row])
    assert window.status.currentMessage() == "“Quantum” was not added."


def test_a_deleted_topic_is_retired_for_the_team_and_undo_brings_it_back(qtbot, window, sample):
    """The retired list lives in the site's .curator.yml (committed with the work); a retired
    topic an article still has is listed as such, one nobody has is not listed."""
    (sample / "_news/suggest.md").write_text("---\ntitle: Building a canvas app\ntopics: []\n---\n")
    open_folder(qtbot, window, sample)
    from tests.ui.test_editing import select_paths

    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Canvas apps" in listed(window), timeout=5000)
    select(window, "Canvas apps")
    window.topics_panel.buttons["delete"].click()
    config = sample / ".curator.yml"
    qtbot.waitUntil(lambda: config.exists() and "  - Canvas apps\n" in config.read_text(), timeout=5000)
    qtbot.waitUntil(lambda: "Canvas apps" not in listed(window), timeout=5000)
    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: chips(window.editor.suggested) == ["Power Apps"], timeout=5000)
    assert "Canvas apps" not in window.editor.topic_choices()
    (sample / "_news/again.md").write_text("---\ntitle: Again\ntopics: [Canvas apps]\n---\n")
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: listed(window).get("Canvas apps", ("", ""))[1] == "retired", timeout=10000)
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: not config.exists(), timeout=5000)  # Curator made it: Undo removes it
    qtbot.waitUntil(lambda: listed(window).get("Canvas apps", ("", ""))[1] == "✓", timeout=5000)
    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: "Canvas apps" in chips(window.editor.suggested), timeout=5000)


def test_typing_a_name_merged_away_offers_the_topic_it_was_merged_into(qtbot, window, sample):
    (sample / "_data/topics/03-common-data-service.yaml").write_text(CDS)
    (sample / "_news/cds.md").write_text("---\ntitle: CDS\ntopics: [Common Data Service]\n---\n")
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Common Data Service" in listed(window), timeout=5000)
    select(window, "Common Data Service")
    window.prompts.topic = "Portals"  # (and the entry's name kept as an alias: the default answer)
    window.topics_panel.buttons["merge"].click()
    qtbot.waitUntil(lambda: "aliases" in (sample / "_data/topics/05-portals.yaml").read_text(), timeout=5000)
    counted(qtbot, window)
    assert "Common Data Service" not in window.editing.known_topics
    window.prompts.new_topic = False
    assert not window.request_edit("topics", "add", "Common Data Service", [window.workspace.rows["_news/cds.md"]])
    assert window.prompts.asked[-1][:2] == ("new topic", "Common Data Service")
    assert window.prompts.asked[-1][2][0] == "Portals"  # "Did you mean “Portals”?" first


def test_a_taxonomy_file_that_cannot_be_read_stops_a_rename_before_anything_changes(qtbot, window, sample):
    (sample / "_data/topics/99-laughs.yaml").write_text("name: Laughs\na: &a [lol]\nb: [*a, *a]\n")
    original = files(sample)
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Canvas apps" in listed(window), timeout=5000)
    assert "Laughs" not in listed(window)
    select(window, "Canvas apps")
    window.prompts.topic = "Canvas Apps"
    assert not window.topics.request("rename", ["Canvas apps"])
    assert window.undo_stack.count() == 0 and not window.workspace.pending
    assert (
        "nothing was changed" in window.status.currentMessage() and "99-laughs.yaml" in window.status.currentMessage()
    )
    assert files(sample) == original


def test_two_deletes_in_a_row_both_reach_the_site_file(qtbot, window, sample):
    """The second change is planned from the site's files as the first one wrote them: an editor
    deleting two topics quickly (the first write still running) gets both retired, no conflict;
    Undo twice, quickly too, gives back the folder as it was."""
    (sample / "_news/suggest.md").write_text("---\ntitle: Building a canvas app\ntopics: [Canvas apps, AI]\n---\n")
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: {"Canvas apps", "AI"} <= set(listed(window)), timeout=5000)
    errors = []
    window.messages.error = lambda text, detail="": errors.append((text, detail))
    select(window, "Canvas apps")
    window.topics_panel.buttons["delete"].click()
    select(window, "AI")
    window.topics_panel.buttons["delete"].click()  # (no wait: the first write may still be running)
    config = sample / ".curator.yml"
    qtbot.waitUntil(lambda: config.exists() and "  - AI\n" in config.read_text(), timeout=5000)
    assert "  - Canvas apps\n" in config.read_text() and errors == []
    window.action_map[Action.UNDO].trigger()
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: not config.exists(), timeout=5000)
    assert errors == []
