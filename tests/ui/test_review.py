"""Daily use, second part: the Changes view, the conflict dialog's diffs, the sort control,
filter chips and facets, thumbnails marks, quality limits, stale messages, layout and dark mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from curator.core.document.writes import Status
from curator.ui import theme
from curator.ui.mainwindow.actions import Action
from curator.ui.mainwindow.messages import ConflictChoice
from curator.ui.mainwindow.prompts import ConflictDialog
from curator.ui.model import COLUMNS, Role
from tests.ui.conftest import open_folder, wait_saved
from tests.ui.test_editing import SEED, select_paths


def listed(window) -> list[tuple[str, list[tuple[str, str, str]]]]:
    tree = window.changes.tree
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        fields = [tuple(top.child(j).text(c) for c in range(3)) for j in range(top.childCount())]
        out.append((top.text(1), fields))
    return out


def pick(window, path: str, key: str = "") -> None:
    tree = window.changes.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.text(1) == path:
            items = [top] + [top.child(j) for j in range(top.childCount())]
            tree.setCurrentItem(next(item for item in items if item.data(0, Qt.ItemDataRole.UserRole + 1) == key))
            return
    raise AssertionError(f"{path} is not listed")


def test_the_changes_view_lists_old_and_new_values_and_the_diff_save_writes(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.action_map[Action.PUBLISH].trigger()
    window.request_edit("quality", "set", 77)
    window.action_map[Action.REVIEW].trigger()
    assert window.docks["changes"].isVisible()
    qtbot.waitUntil(lambda: bool(listed(window)), timeout=3000)
    assert listed(window) == [(SEED, [("published", "false", "true"), ("quality", "24", "77")])]
    pick(window, SEED)
    qtbot.waitUntil(lambda: "+quality: 77" in window.changes.diff.toPlainText(), timeout=5000)
    diff = window.changes.diff.toPlainText().splitlines()
    assert "-published: false" in diff and "+published: true" in diff and "-quality: 24" in diff
    before = (sample / SEED).read_bytes()
    assert (sample / SEED).read_bytes() == before  # looking writes nothing

    pick(window, SEED, "quality")  # revert one field: the other stays, and Undo brings it back
    window.changes.revert_button.click()
    qtbot.waitUntil(lambda: listed(window) == [(SEED, [("published", "false", "true")])], timeout=3000)
    assert window.undo_stack.undoText().startswith("Revert quality")
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: len(listed(window)[0][1]) == 2, timeout=3000)

    window.changes.save_button.click()  # Save These: saves what is listed
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.changes.summary.text() == "No unsaved changes.", timeout=3000)
    text = (sample / SEED).read_text()
    assert "published: true" in text and "quality: 77" in text


def test_reverting_a_whole_article_from_the_changes_view(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 5)
    window.action_map[Action.REVIEW].trigger()
    qtbot.waitUntil(lambda: bool(listed(window)), timeout=3000)
    pick(window, SEED)
    window.changes.revert_button.click()
    qtbot.waitUntil(lambda: not window.workspace.pending and not listed(window), timeout=3000)


def test_the_conflict_dialog_shows_what_changed_on_disk_and_my_edit_per_file(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 90)
    path = sample / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 30").replace("heat: -1", "heat: 8"))
    window.prompts.conflict = ConflictChoice.SKIP
    window.save()
    qtbot.waitUntil(lambda: "conflicts" in window.prompts.kinds(), timeout=10000)
    shown = window.prompts.previews[SEED]
    assert shown.status is Status.CONFLICT
    assert [c.texts for c in shown.disk_fields] == [("heat", "-1", "8"), ("quality", "24", "30")]
    assert "-quality: 30" in shown.diff and "+quality: 90" in shown.diff

    other = "_news/" + sorted(p.name for p in (sample / "_news").iterdir())[1]
    dialog = ConflictDialog([SEED, other], {SEED: shown}, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 900  # long paths and diffs have room
    text = dialog.diff.toPlainText()
    assert text.startswith(SEED) and "What changed there" in text and "+quality: 90" in text
    dialog.group.buttons()[1].setChecked(True)  # Overwrite this file
    dialog.files.setCurrentItem(dialog.files.topLevelItem(1))
    assert "Not shown" in dialog.diff.toPlainText()
    dialog.group.buttons()[0].setChecked(True)  # Reload the other one
    assert dialog.choices == {SEED: ConflictChoice.OVERWRITE, other: ConflictChoice.RELOAD}
    assert dialog.files.topLevelItem(0).text(1) == "Overwrite"
    dialog.choose_all(ConflictChoice.SKIP)
    assert set(dialog.choices.values()) == {ConflictChoice.SKIP}


def card_titles(window) -> list[str]:
    return [window.model.index(i, 0).data(Role.SUMMARY).title for i in range(window.model.rowCount())]


def test_the_sort_control_orders_the_cards_and_follows_the_table(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    bar = window.list_bar
    assert bar.field.currentData() == "date" and bar.direction.text() == "Newest first"
    bar.field.setCurrentIndex(COLUMNS.index("title"))
    bar.field.activated.emit(COLUMNS.index("title"))
    titles = card_titles(window)
    assert window.model.sort_field == "title" and titles == sorted(titles, key=str.casefold, reverse=True)
    assert bar.direction.text() == "Z to A"
    bar.direction.click()
    titles = card_titles(window)
    assert titles == sorted(titles, key=str.casefold) and bar.direction.text() == "A to Z"
    header = window.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMNS.index("title")
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    window.table.sortByColumn(COLUMNS.index("quality"), Qt.SortOrder.DescendingOrder)  # the table's header
    assert bar.field.currentData() == "quality" and bar.direction.text() == "Highest first"


def topic_values(window) -> list[str]:
    group = window.facets.group("topic")
    return [group.child(i).text(0).rsplit("  (", 1)[0] for i in range(group.childCount())]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_filter_chips_and_facet_clicks(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    qtbot.waitUntil(lambda: len(topic_values(window)) > 3, timeout=5000)
    before = topic_values(window)
    group = window.facets.group("topic")
    item = group.child(2)
    window.facets.scrollToItem(item)
    rect = window.facets.visualItemRect(item)
    with qtbot.waitSignal(window.browsing.facets_counted, timeout=5000):
        qtbot.mouseClick(window.facets.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    term = window.search.text()
    assert term.startswith("topic:") and before[2] in term
    assert topic_values(window)[: len(before)] == before  # nothing moved under the pointer
    assert [c.text() for c in window.list_bar.chips] == [f"{term}  ✕"]
    shown = window.model.rowCount()
    item = window.facets.group("topic").child(3)
    excluded = "-" + item.data(0, Qt.ItemDataRole.UserRole)
    rect = window.facets.visualItemRect(item)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.mouseClick(window.facets.viewport(), Qt.MouseButton.LeftButton, ctrl, rect.center())  # hides those
    assert window.search.text() == f"{term} {excluded}"
    assert window.model.rowCount() < shown and len(window.list_bar.chips) == 2
    window.list_bar.chips[0].click()  # remove the first filter
    assert window.search.text() == excluded
    window.list_bar.chips[0].click()
    assert window.search.text() == "" and window.list_bar.chips == []
    assert window.model.rowCount() == len(window.workspace)


def test_a_failed_image_is_marked_unlike_no_image(qtbot, window, sample):
    head = "---\ntitle: {}\npublishedDateTime: 2030-01-0{}T00:00:00Z\n"
    (sample / "_news/broken.md").write_text(
        head.format("Broken", 2) + "images:\n  - url: https://x.invalid/a.jpg\n---\n"
    )
    (sample / "_news/bare.md").write_text(head.format("Bare", 1) + "---\n")
    open_folder(qtbot, window, sample)  # offline here: the remote image cannot be had
    positions = window.model.positions()
    broken = window.model.index(positions[window.workspace.rows["_news/broken.md"]], 0)
    bare = window.model.index(positions[window.workspace.rows["_news/bare.md"]], 0)
    broken.data(Role.THUMBNAIL)
    qtbot.waitUntil(lambda: broken.data(Role.IMAGE_FAILED) is True, timeout=5000)
    assert bare.data(Role.IMAGE_FAILED) is False and bare.data(Role.THUMBNAIL) is None
    image = window.cards.viewport().grab().toImage()  # painted differently: a mark, a caption
    rect_broken, rect_bare = window.cards.visualRect(broken), window.cards.visualRect(bare)
    thumb = QRect(14, 10, 128, 90)
    assert image.copy(thumb.translated(rect_broken.topLeft())) != image.copy(thumb.translated(rect_bare.topLeft()))
    # the mark and caption stand out from the thumbnail's ground on a selected card too, in the
    # focused list (they were drawn in the selection's text colour: white on the light ground)
    ground = window.cards.palette().color(QPalette.ColorRole.AlternateBase).lightness()
    window.activateWindow()
    window.cards.setFocus()
    for path in ("_news/bare.md", "_news/broken.md"):
        select_paths(window, [path])
        QApplication.processEvents()
        image = window.cards.viewport().grab().toImage()
        area = thumb.translated(window.cards.visualRect(broken).topLeft()).adjusted(6, 6, -6, -6)  # (not the corners)
        seen = sum(
            abs(image.pixelColor(x, y).lightness() - ground) > 60
            for x in range(area.left(), area.right() + 1)
            for y in range(area.top(), area.bottom() + 1)
        )
        assert seen > 50, (path, seen)


def test_quality_beyond_the_field_is_shown_as_it_is_and_negative_is_refused(qtbot, window, sample):
    path = sample / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 5000000000"))
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    editor = window.editor
    assert editor.quality.text() == "—" and editor.quality_note.isVisible()
    assert "5,000,000,000" in editor.quality_note.text() and "0 to 2,147,483,647" in editor.quality_note.text()
    editor.quality.setFocus()
    editor.quality.lineEdit().selectAll()
    qtbot.keyClicks(editor.quality.lineEdit(), "-5")
    assert "cannot be negative" in editor.quality_note.text()
    qtbot.keyClick(editor.quality.lineEdit(), Qt.Key.Key_Return)
    assert not window.workspace.pending  # nothing negative was written
    editor.quality.lineEdit().selectAll()
    qtbot.keyClicks(editor.quality.lineEdit(), "60")
    qtbot.keyClick(editor.quality.lineEdit(), Qt.Key.Key_Return)
    assert window.workspace.pending[window.workspace.rows[SEED]] == {"quality": 60}
    assert not editor.quality_note.isVisible()


def test_a_status_message_is_cleared_once_what_it_says_is_no_longer_so(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 61)
    window.save()
    wait_saved(qtbot, window)
    assert window.status.currentMessage() == "Saved 1 file"
    window.request_edit("quality", "set", 62)  # an unsaved edit now: "Saved 1 file" is stale
    assert window.status.currentMessage() == ""


@pytest.mark.parametrize("left", ["facets", "topics"])  # the left side shows Browse, or the Topics Manager
@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_layout_keeps_the_list_wide_and_the_problems_panel_closed(qtbot, window, sample, size, left):
    open_folder(qtbot, window, sample)
    if left == "topics":
        window.action_map[Action.TOPICS].trigger()
        qtbot.waitUntil(window.docks["topics"].isVisible, timeout=3000)
        window.resizeDocks([window.docks["topics"]], [420], Qt.Orientation.Horizontal)  # widened by hand
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0], timeout=3000)
    qtbot.waitUntil(lambda: window.centralWidget().width() >= size[0] // 2, timeout=3000)
    assert not window.docks["problems"].isVisible() and not window.docks["changes"].isVisible()
    select_paths(window, [SEED])  # an article with a big image: it fits the pane
    qtbot.waitUntil(lambda: window.preview.summary is not None, timeout=3000)
    QApplication.processEvents()
    assert not window.preview.horizontalScrollBar().isVisible()
    if size[0] >= 1600:  # the preview (in its tabs) gets twice the editor's height, as first shown
        preview, editor = window.right_splitter.sizes()
        assert preview >= 1.8 * editor, (preview, editor)
    window.set_view("table")
    QApplication.processEvents()
    if size[0] >= 1600:
        assert not window.table.horizontalScrollBar().isVisible()


def test_dark_scheme_gives_a_dark_palette_and_cards_paint_on_it(qtbot, window, sample):
    app = QApplication.instance()
    chosen = theme.Theme(app, "dark")
    try:
        assert theme.is_dark() and app.palette().color(QPalette.ColorRole.Base).lightness() < 64
        open_folder(qtbot, window, sample)
        image = window.cards.viewport().grab().toImage()
        middle = image.pixelColor(QPoint(image.width() // 2, 60))
        assert middle.lightness() < 128  # the card is painted from the palette, not white
        assert theme.color("unpublished").lightness() > 128  # the fixed colours take their light tone
    finally:
        chosen.choice = "light"
        chosen.apply()
    assert not theme.is_dark()


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Down])
def test_tab_or_down_from_the_search_box_goes_to_the_list_not_the_sort_control(qtbot, window, sample, key):
    open_folder(qtbot, window, sample)
    window.activateWindow()
    window.search.setFocus()
    qtbot.keyClicks(window.search, "published:no")
    window.apply_search()
    qtbot.keyClick(window.search, key)
    qtbot.waitUntil(lambda: window.cards.hasFocus(), timeout=3000)
    assert window.search.text() == "published:no"
    qtbot.keyClick(window.cards, Qt.Key.Key_Down)
    assert window.model.sort_field == "date" and window.selected_rows()
    window.set_view("table")  # the view shown, whichever it is
    window.search.setFocus()
    qtbot.keyClick(window.search, key)
    qtbot.waitUntil(lambda: window.table.hasFocus(), timeout=3000)
