"""Triage mode and saved views in the real window, over real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from curator.core.site import views
from curator.ui.mainwindow.actions import Action
from tests.ui.conftest import open_folder, wait_saved


def start_triage(qtbot, window, query: str) -> list[int]:
    window.search_for(query)
    order = list(window.model.order)
    assert order, f"nothing matches {query}"
    window.current_view().setFocus()
    window.action_map[Action.TRIAGE].trigger()
    assert window.triage.active and window.area.currentWidget() is window.triage_panel
    return order


def press(qtbot, window, key, text: str = "") -> None:
    qtbot.keyClick(window.triage_panel, key)


def test_triage_publishes_and_goes_on_and_the_queue_stays_fixed(qtbot, window, sample: Path):
    open_folder(qtbot, window, sample)
    order = start_triage(qtbot, window, "published:no")
    panel, ws = window.triage_panel, window.workspace
    first, second = ws.path(order[0]), ws.path(order[1])
    assert panel.counter.text().startswith(f"1 of {len(order)} ·")
    press(qtbot, window, Qt.Key.Key_P)
    assert ws.summary(order[0]).published is True  # an ordinary pending edit...
    assert "published: true" not in (sample / first).read_text(encoding="utf-8")  # ...not written yet
    assert window.triage.queue.row == order[1]
    assert panel.counter.text() == f"2 of {len(order)} · 1 published · 0 unpublished · 0 edited"
    press(qtbot, window, Qt.Key.Key_K)  # back: the published article is still in the queue
    assert window.triage.queue.row == order[0] and len(window.triage.queue) == len(order)
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Q)
    qtbot.keyClicks(panel.ask, "77")
    qtbot.keyClick(panel.ask, Qt.Key.Key_Return)
    assert ws.summary(order[1]).quality == 77 and window.triage.queue.row == order[1]
    assert panel.counter.text().endswith("1 published · 0 unpublished · 1 edited")
    press(qtbot, window, Qt.Key.Key_U)  # already unpublished: nothing changes, it goes on
    assert window.triage.queue.row == order[2]
    window.action_map[Action.UNDO].trigger()  # Ctrl+Z: the quality back, and that article shown
    assert ws.summary(order[1]).quality != 77 and window.triage.queue.row == order[1]
    assert panel.counter.text().endswith("1 published · 0 unpublished · 0 edited")
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.triage.active and window.area.currentWidget() is window.current_view()
    assert window.docks["preview"].isVisible()  # back after triage, which hid it
    assert window.browsing.current_path() == second
    assert window.save()
    wait_saved(qtbot, window)
    assert "published: true" in (sample / first).read_text(encoding="utf-8")


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform's completion popup
def test_topic_key_adds_a_topic_with_completion_and_buttons_work_with_the_mouse(qtbot, window, sample: Path):
    open_folder(qtbot, window, sample)
    qtbot.waitUntil(lambda: "AI Builder" in window.editing.known_topics, timeout=5000)
    order = start_triage(qtbot, window, "")
    panel, ws = window.triage_panel, window.workspace
    press(qtbot, window, Qt.Key.Key_T)
    assert panel.ask.isVisible() and panel.ask.completer() is panel.completer
    assert "AI Builder" in panel.completion.stringList()
    qtbot.keyClicks(panel.ask, "AI Builder")
    qtbot.keyClick(panel.ask, Qt.Key.Key_Return)
    assert "AI Builder" in ws.summary(order[0]).topics and not panel.ask.isVisible()
    qtbot.mouseClick(panel.buttons["next"], Qt.MouseButton.LeftButton)
    assert window.triage.queue.row == order[1]
    qtbot.mouseClick(panel.buttons["leave"], Qt.MouseButton.LeftButton)
    assert not window.triage.active


def test_save_every_change_immediately_applies_in_triage(qtbot, window, sample: Path):
    open_folder(qtbot, window, sample)
    window.action_map[Action.IMMEDIATE].setChecked(True)
    order = start_triage(qtbot, window, "published:no")
    path = window.workspace.path(order[0])
    press(qtbot, window, Qt.Key.Key_P)
    wait_saved(qtbot, window)
    assert "published: true" in (sample / path).read_text(encoding="utf-8")
    assert not window.workspace.pending


def test_the_triage_panel_reads_at_1024x700(qtbot, window, sample: Path):
    window.resize(1024, 700)
    open_folder(qtbot, window, sample)
    start_triage(qtbot, window, "")
    qtbot.waitUntil(lambda: window.triage_panel.preview.isVisible())
    for button in window.triage_panel.findChildren(QPushButton):
        assert button.isVisible() and button.width() >= button.sizeHint().width(), button.text()
    assert window.triage_panel.preview.height() >= 250


def test_saved_views_listed_applied_saved_and_a_broken_one_never_breaks_the_open(qtbot, window, sample: Path):
    config = sample / ".curator.yml"
    text = "# the team's\nviews:\n  - Queue | -quality | table | published:no\n  - Broken | quality:>=x\n"
    config.write_text(text, encoding="utf-8")
    open_folder(qtbot, window, sample)
    group = window.facets.views
    assert group.childCount() == 2 and not group.isHidden()
    queue, broken = group.child(0).text(0), group.child(1).text(0)
    count = len(window.workspace.table.select("published:no"))
    assert queue == f"Queue  ({count:,})" and "Alt+1" in group.child(0).toolTip(0) and "cannot apply" in broken
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.search.text() == "published:no" and window.model.rowCount() == count
    assert (window.model.sort_field, window.model.descending) == ("quality", True)
    assert window.area.mode.value == "table"
    assert not window.views.apply("Broken")  # said, never applied
    window.search_for("published:yes")
    window.prompts.topic = "Live"
    window.action_map[Action.SAVE_VIEW].trigger()
    qtbot.waitUntil(lambda: "Live" in config.read_text(encoding="utf-8"), timeout=5000)
    assert config.read_text(encoding="utf-8") == text + "  - Live | -quality | table | published:yes\n"
    assert [c.text(0).split("  ")[0] for c in map(group.child, range(group.childCount()))] == [
        "Queue", "Broken", "Live"
    ]  # fmt: skip
    window.prompts.topic = "quality:>=50"  # the broken view mended from its menu (Edit Query…)
    assert window.views.edit_query("Broken")
    mended = group.child(1).text(0)
    assert mended == f"Broken  ({len(window.workspace.table.select('quality:>=50')):,})"
    qtbot.waitUntil(lambda: "Broken |  |  | quality:>=50" in config.read_text(encoding="utf-8"), timeout=5000)
    window.views.delete("Broken")
    qtbot.waitUntil(lambda: "Broken" not in config.read_text(encoding="utf-8"), timeout=5000)
    assert [v.name for v in views.read(sample).views] == ["Queue", "Live"]


def test_the_window_and_the_cli_save_the_same_view_and_list_the_same_articles(qtbot, window, sample, tmp_path, capsys):
    from curator import cli
    from tests.conftest import copy_tree

    other = copy_tree(sample, tmp_path / "other")
    for folder in (sample, other):
        (folder / ".curator.yml").write_text("# ours\nprofile: news\n", encoding="utf-8")
    open_folder(qtbot, window, sample)
    window.model.set_sort("quality", True)
    window.search_for("published:yes")
    window.prompts.topic = "Best"
    window.action_map[Action.SAVE_VIEW].trigger()
    qtbot.waitUntil(lambda: "Best" in (sample / ".curator.yml").read_text(encoding="utf-8"), timeout=5000)
    assert cli.main(["views", "save", "Best", "--where", "published:yes", "--sort=-quality", "--mode", "cards",
                     str(other)]) == 0  # fmt: skip
    assert (sample / ".curator.yml").read_bytes() == (other / ".curator.yml").read_bytes()
    window.search_for("")
    window.views.loaded()
    assert window.views.apply("Best")
    shown = [window.workspace.path(r) for r in window.model.order]
    capsys.readouterr()
    assert cli.main(["list", str(sample), "--view", "Best", "--format", "csv"]) == 0
    listed = [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert listed == shown and shown


def test_a_file_deleted_on_disk_during_triage_leaves_the_queue_on_the_same_articles(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    order = start_triage(qtbot, window, "")
    ws = window.workspace
    paths = [ws.path(r) for r in order]
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_J)  # on the third article
    gone = min(paths[:2], key=lambda p: ws.rows[p])  # the lower row: every row after it moves
    window.browsing.select_path(paths[-1])  # (deleting the list's current article crashes, on main too)
    (sample / gone).unlink()
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: gone not in window.workspace.rows, timeout=10000)
    ws = window.workspace
    assert ws.path(window.triage.queue.row) == paths[2]
    assert len(window.triage.queue) == len(paths) - 1
    press(qtbot, window, Qt.Key.Key_P)
    assert ws.summary(ws.rows[paths[2]]).published is True
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.browsing.current_path() == paths[3]
