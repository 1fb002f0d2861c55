"""The window from the keyboard alone: where the keys go when a panel is opened."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import open_folder


@pytest.mark.parametrize(
    ("keys", "focused"),
    [
        ("Ctrl+Shift+M", lambda w: w.topics_panel.filter),  # type at once to filter the topics
        ("Ctrl+Shift+R", lambda w: w.changes.tree),  # arrows at once through the changes
    ],
)
def test_opening_a_panel_puts_the_keys_in_it(qtbot, window, sample, keys, focused):
    open_folder(qtbot, window, sample)
    window.activateWindow()
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus, timeout=3000)
    key, *mods = reversed(keys.split("+"))
    modifiers = Qt.KeyboardModifier.NoModifier
    for mod in mods:
        modifiers |= {"Ctrl": Qt.KeyboardModifier.ControlModifier, "Shift": Qt.KeyboardModifier.ShiftModifier}[mod]
    qtbot.keyClick(window.search, getattr(Qt.Key, f"Key_{key}"), modifiers)
    qtbot.waitUntil(lambda: focused(window).hasFocus(), timeout=3000)


def test_the_keys_start_in_the_search_box(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    assert QApplication.focusWidget() is window.search
