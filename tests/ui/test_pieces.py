"""A long list after a search is shown a piece at a time (ArticleModel.refresh): the first rows at
once, the rest one piece per turn of the event loop; whatever needs the whole list (select all,
the triage queue, a key in the list, facet counts) gets it whole, and the current article stays
current. Real window, the bundled sample, the thresholds made small so its 31 rows are "long"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest

from curator.core.folder import listing as listing_module
from curator.ui import model as model_module
from curator.ui.model import Role
from tests.ui.conftest import open_folder

QUERY = "published:yes"


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(listing_module, "PIECES_FROM", 0)
    monkeypatch.setattr(listing_module, "FIRST_SPAN", 1)
    monkeypatch.setattr(model_module, "FIRST_ROWS", 3)
    monkeypatch.setattr(model_module, "PIECE", 2)


def whole(window, query: str) -> list[int]:
    """The list as computed whole, with no window involved."""
    table = window.workspace.table
    return table.sort(table.select(query), window.model.sort_field, window.model.descending)


def search(window, text: str) -> None:
    window.search.setText(text)
    window.apply_search()


def test_the_rest_comes_in_pieces_and_the_count_is_the_whole_lists_at_once(qtbot, window, sample: Path, small_pieces):
    open_folder(qtbot, window, sample)
    window.selection.clearCurrentIndex()
    expected = whole(window, QUERY)
    assert len(expected) > 3 + 2 * 2  # (several pieces)
    counts, inserted = [], []
    window.model.counts_changed.connect(lambda shown, total: counts.append(shown))
    window.model.rowsInserted.connect(lambda parent, first, last: inserted.append(last - first + 1))
    search(window, QUERY)
    assert 3 <= window.model.rowCount() < len(expected) and window.model.partial
    assert counts[-1] == len(expected)  # (the status bar says the whole list's count at once)
    qtbot.waitUntil(lambda: not window.model.partial, timeout=5000)
    assert window.model.order == expected
    assert inserted and max(inserted) <= 2
    assert all(window.model.index(i, 0).data(Role.ROW) == r for i, r in enumerate(expected))


@pytest.mark.parametrize("query", ["", "-xyzzyq"])
def test_every_row_listed_comes_in_pieces_too(qtbot, window, sample: Path, small_pieces, query):
    """An empty search (or one every row matches) lists the sorted rows themselves a piece at
    a time: no copy of every row at once."""
    open_folder(qtbot, window, sample)
    search(window, QUERY)
    qtbot.waitUntil(lambda: not window.model.partial, timeout=5000)
    window.selection.clearCurrentIndex()
    search(window, query)
    assert window.model.partial and window.model.rowCount() == 3
    expected = whole(window, "")
    assert len(expected) == len(window.workspace.table)
    qtbot.waitUntil(lambda: not window.model.partial, timeout=5000)
    assert window.model.order == expected


def test_select_all_while_pieces_are_left_selects_the_whole_list(qtbot, window, sample: Path, small_pieces):
    open_folder(qtbot, window, sample)
    search(window, QUERY)
    assert window.model.partial
    window.select_all()
    assert not window.model.partial
    assert sorted(window.browsing.selected_rows()) == sorted(whole(window, QUERY))


def test_a_key_in_the_list_while_pieces_are_left_acts_on_the_whole_list(qtbot, window, sample: Path, small_pieces):
    open_folder(qtbot, window, sample)
    view = window.current_view()
    search(window, QUERY)
    assert window.model.partial
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyRelease(view, Qt.Key.Key_Control)  # (Ctrl let go: later tests see no modifier held)
    expected = whole(window, QUERY)
    assert not window.model.partial and window.model.rowCount() == len(expected)
    assert window.selection.currentIndex().row() == len(expected) - 1


def test_the_current_article_stays_current_when_it_is_beyond_the_first_rows(qtbot, window, sample: Path, small_pieces):
    open_folder(qtbot, window, sample)
    search(window, QUERY)
    window.model.complete()
    expected = whole(window, QUERY)
    deep = len(expected) - 1
    flag = QItemSelectionModel.SelectionFlag
    window.selection.setCurrentIndex(window.model.index(deep, 0), flag.ClearAndSelect | flag.Rows)
    row = expected[deep]
    search(window, "")  # (every row: a list computed whole)
    search(window, QUERY)  # the current row is far down the list picked again in pieces
    assert window.browsing.current_row() == row
    assert window.model.order[: window.model.rowCount()] == expected[: window.model.rowCount()]
    qtbot.waitUntil(lambda: not window.model.partial, timeout=5000)
    assert window.model.order == expected and window.browsing.current_row() == row


def test_triage_takes_the_whole_list_as_its_queue(qtbot, window, sample: Path, small_pieces):
    open_folder(qtbot, window, sample)
    window.selection.clearCurrentIndex()
    search(window, QUERY)
    assert window.model.partial
    assert window.triage.start()
    assert window.triage.queue.rows == whole(window, QUERY)
    window.triage.leave()


def test_facets_are_counted_over_the_whole_list_once_its_pieces_are_in(qtbot, window, sample: Path, small_pieces):
    open_folder(qtbot, window, sample)
    window.selection.clearCurrentIndex()
    counted = []
    window.browsing.facets_counted.connect(counted.append)
    search(window, QUERY)
    assert window.model.partial
    qtbot.waitUntil(lambda: bool(counted), timeout=5000)
    expected = whole(window, QUERY)
    assert not window.model.partial
    assert sum(counted[-1]["published"].values()) == len(expected) == counted[-1]["published"]["yes"]
