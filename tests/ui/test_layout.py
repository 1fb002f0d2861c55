"""The window's layout on small screens: a first start that fits the screen, with Browse; and a
1024x700 window with the Topics Manager and Changes open that keeps the list half the width
(as the README promises), the manager's Variants in sight and the panels' heights in proportion."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication

from curator.ui.mainwindow import MainWindow, layout
from curator.ui.mainwindow.actions import Action
from curator.ui.model import Role
from curator.ui.settings import Settings
from tests.ui.conftest import open_folder
from tests.ui.fakes import FakePrompts
from tests.ui.test_editing import SEED, select_paths


@pytest.mark.parametrize(
    ("available", "size"),
    [
        (QRect(0, 0, 1280, 800), (1264, 760)),  # a 1280x800 screen: less than 1400x880, frame included
        (QRect(0, 27, 1280, 773), (1264, 733)),  # the same under a 27-pixel panel
        (QRect(0, 0, 1920, 1080), (1400, 880)),  # room enough: the size it always had
        (QRect(1920, 0, 1366, 768), (1350, 728)),  # a second screen to the right
    ],
)
def test_the_first_window_fits_the_screens_available_area(available, size):
    rect = layout.first_geometry(available)
    assert (rect.width(), rect.height()) == size
    assert available.contains(rect.marginsAdded(layout.FRAME)), (rect, available)  # the frame on the screen too


def test_a_first_start_fits_the_screen_and_shows_browse(qtbot, tmp_path, sample):
    settings = Settings(QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, cache_dir=tmp_path / "cache", network=False, prompts=FakePrompts())
    qtbot.addWidget(window)
    window.show()
    available = window.screen().availableGeometry()
    assert available.contains(window.geometry()), (window.geometry(), available)
    open_folder(qtbot, window, sample)
    qtbot.waitUntil(lambda: window.docks["facets"].isVisible(), timeout=3000)
    QApplication.processEvents()
    assert window.docks["facets"].width() >= layout.SIDE_MIN
    assert window.centralWidget().width() >= window.width() // 2
    window.cancel_work()


def test_1024x700_with_the_topics_manager_and_changes_open(qtbot, window, sample):
    (sample / "_news" / "variant.md").write_text("---\ntitle: V\ntopics:\n  - power apps\n  - canvas-apps\n---\n")
    window.resize(1600, 1000)
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 61)
    window.action_map[Action.REVIEW].trigger()  # opened in a tall window: a third of 1000 pixels
    window.resize(1024, 700)
    window.action_map[Action.TOPICS].trigger()
    tree = window.topics_panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 5, timeout=5000)
    qtbot.waitUntil(lambda: window.centralWidget().width() >= 512, timeout=3000)
    QApplication.processEvents()
    assert window.docks["topics"].isVisible() and window.docks["preview"].isVisible()
    assert window.docks["changes"].height() <= 700 * layout.BOTTOM_MOST  # the list keeps its height too
    header = tree.header()
    assert header.sectionViewportPosition(3) + header.sectionSize(3) <= tree.viewport().width()  # Variants in sight
    assert not tree.horizontalScrollBar().isVisible() and header.sectionSize(0) >= 100  # and the topics readable
    # a card's title has room for a sentence (the cards were 240 pixels wide, the titles a few words)
    assert window.cards.viewport().width() >= 500
    window.set_view("table")  # and the table shows title, provider and date whole (it showed two columns)
    QApplication.processEvents()
    header, room = window.table.horizontalHeader(), window.table.viewport().width()
    whole = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert sum(header.sectionViewportPosition(c) + header.sectionSize(c) <= room for c in whole) >= 3


def test_changes_opened_in_a_1024x700_window_show_their_rows_whole(qtbot, window, sample):
    window.resize(1024, 700)
    open_folder(qtbot, window, sample)
    window.search_for("published:no")
    rows = [window.model.index(i, 0).data(Role.ROW) for i in range(3)]
    window.request_edit("published", "set", True, rows=rows)  # 3 articles, 6 rows in the Changes list
    window.action_map[Action.REVIEW].trigger()
    tree = window.changes.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 3, timeout=5000)
    QApplication.processEvents()
    row = tree.rowHeight(tree.model().index(0, 0))
    assert tree.viewport().height() >= 6 * row, (tree.viewport().height(), row)  # every row, none cut
    assert window.centralWidget().height() >= 250  # and the list keeps two cards' height


def test_the_topics_manager_takes_the_room_its_columns_want(qtbot, window, sample):
    window.resize(1600, 1000)
    open_folder(qtbot, window, sample)
    window.action_map[Action.TOPICS].trigger()
    tree = window.topics_panel.tree
    qtbot.waitUntil(lambda: window.docks["topics"].width() >= layout.TOPICS_WIDTH - 2, timeout=3000)
    qtbot.waitUntil(lambda: not tree.isColumnHidden(2), timeout=3000)  # Site, Variants: all four columns
    assert window.centralWidget().width() >= 800  # the list kept half the window
