"""The Topics manager in the window: the list, and a rename over every article (and the
taxonomy) as one undo step whose Undo + Save gives back every byte."""

from __future__ import annotations

from pathlib import Path

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
    window.act_topics.trigger()
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
    window.act_topics.trigger()
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
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: b"name: Power Apps" in taxonomy.read_bytes(), timeout=5000)
    qtbot.waitUntil(lambda: b"parent: Power Apps" in child.read_bytes(), timeout=5000)
    window.save()
    wait_saved(qtbot, window)
    assert files(sample) == original


def test_merge_and_delete_from_the_manager(qtbot, window, sample):
    (sample / "_news/variant.md").write_text("---\ntitle: V\ntopics:\n  - power apps\n  - AI\n  - Power Apps\n---\n")
    open_folder(qtbot, window, sample)
    window.act_topics.trigger()
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
    window.act_apply_suggested.trigger()
    assert window.undo_stack.count() == count + 1
    assert list(window.workspace.summary(row).topics) == ["Power Apps"]
    other = window.workspace.rows["_news/suggest2.md"]
    assert list(window.workspace.summary(other).topics) == ["Power Apps", "AI Builder"]
    window.act_undo.trigger()
    assert list(window.workspace.summary(other).topics) == []


def test_suggestions_follow_a_rename_of_a_taxonomy_topic(qtbot, window, sample):
    (sample / "_news/suggest.md").write_text("---\ntitle: Building a canvas app\ntopics: []\n---\nBody\n")
    open_folder(qtbot, window, sample)
    from tests.ui.test_editing import select_paths

    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: "Canvas apps" in chips(window.editor.suggested), timeout=5000)
    window.act_topics.trigger()
    qtbot.waitUntil(lambda: "Canvas apps" in listed(window), timeout=5000)
    select(window, "Canvas apps")
    window.prompts.topic = "Canvas Apps"  # the same length: the suggester must still be made again
    window.topics_panel.buttons["rename"].click()
    select_paths(window, ["_news/suggest.md"])
    qtbot.waitUntil(lambda: "Canvas Apps" in chips(window.editor.suggested), timeout=5000)
    assert "Canvas apps" not in chips(window.editor.suggested)


def test_opening_another_folder_cancels_the_count_of_the_last_ones_topics(qtbot, window, sample, tmp_path):
    open_folder(qtbot, window, sample)
    counting = window.editing.count_topics([])
    (tmp_path / "a.md").write_text("---\ntitle: A\ntopics: [AI]\n---\n", encoding="utf-8")
    open_folder(qtbot, window, tmp_path)
    assert counting.cancelled
    assert not window.editing.count_topics([]).cancelled  # this folder's count runs
