"""The window as a screen reader reads it, through QAccessible (what AT-SPI, UI Automation and
NSAccessibility are fed from): every control has a name, each card says its title, state and
quality, and every control is reached with Tab."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import shiboken6
from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget

from curator.ui.mainwindow.actions import Action
from curator.ui.mainwindow.prompts import CommitDialog, ConflictDialog
from curator.ui.model import Role
from tests.ui.conftest import open_folder
from tests.ui.test_editing import SEED, select_paths

R = QAccessible.Role
#: What a user acts on (reads, types in, presses, picks): each must have a name. (The cells of
#: a list or table are named by their text, and an empty value is an empty cell: the list is
#: named, and the cards' cells are read in test_a_card_says_its_title_state_and_quality.)
CONTROLS = {
    R.Button, R.CheckBox, R.RadioButton, R.ComboBox, R.EditableText, R.SpinBox, R.Slider, R.PageTab,
    R.ButtonMenu, R.ButtonDropDown, R.Link, R.List, R.Table, R.Tree,
}  # fmt: skip
#: The most children read of one node (a list's rows: the first ones tell as much as all).
MOST_CHILDREN = 80


@dataclass(frozen=True)
class Node:
    """What a screen reader is told of one control, read into plain values."""

    role: QAccessible.Role
    name: str
    description: str
    where: str


def forget_wrappers(interfaces: list[QAccessibleInterface]) -> None:
    """Forget the Python wrappers of `interfaces`. Qt makes and deletes them (they are not
    QObjects: nothing tells PySide), so a wrapper that outlives its interface is stale, and a
    later object Qt puts at that address is handed that wrapper (a viewport read as a
    QAccessibleWidget, then a crash: CI, 91aafaf)."""
    for interface in {id(i): i for i in interfaces}.values():
        shiboken6.invalidate(interface)


def controls(root: QWidget) -> list[Node]:
    """Every visible control under `root` in the accessibility tree, with where it is."""
    found, made = [], []
    stack = [(QAccessible.queryAccessibleInterface(root), type(root).__name__)]
    while stack:
        node, path = stack.pop()
        if node is None:
            continue
        made.append(node)
        if not node.isValid() or node.state().invisible:
            continue
        role = node.role()
        obj = node.object()
        where = f"{path} › {role.name}:{type(obj).__name__ if obj is not None else ''}"
        if role in CONTROLS:
            found.append(Node(role, node.text(QAccessible.Text.Name), node.text(QAccessible.Text.Description), where))
        stack.extend((node.child(i), where) for i in reversed(range(min(node.childCount(), MOST_CHILDREN))))
    forget_wrappers(made)
    return found


def unnamed(root: QWidget) -> list[str]:
    return [node.where for node in controls(root) if not node.name.strip()]


def everything_shown(qtbot, window, sample) -> None:
    """The window with every panel open, text in every field (their clear buttons show), an
    article selected and edited (the Changes list has rows)."""
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 61)
    for dock in window.docks.values():
        dock.show()
    window.action_map[Action.TOPICS].trigger()
    window.action_map[Action.REVIEW].trigger()
    qtbot.waitUntil(lambda: window.topics_panel.tree.topLevelItemCount() > 3, timeout=5000)
    window.search.setText("power")
    window.editor.topic_input.setText("AI")
    window.topics_panel.filter.setText("a")
    window.list_bar.show_clauses(["power"])
    QApplication.processEvents()


def test_every_control_of_the_window_has_a_name(qtbot, window, sample):
    everything_shown(qtbot, window, sample)
    found = controls(window)
    assert len(found) > 40  # (the walk reaches the panels' controls)
    missing = unnamed(window)
    assert not missing, "controls without an accessible name:\n" + "\n".join(missing)
    for widget in (window.search, window.cards, window.editor.topic_input, window.topics_panel.filter):
        assert widget.accessibleDescription(), widget  # a name alone does not say how to use them


def test_the_dialogs_controls_have_names(qtbot, window):
    commit = CommitDialog([("_news/a.md", "modified", True)], lambda paths: "Publish 1 article", window)
    conflict = ConflictDialog(["_news/a.md"], {}, window)
    for dialog in (commit, conflict):
        qtbot.addWidget(dialog)
        dialog.show()
        assert not unnamed(dialog), unnamed(dialog)


def test_a_card_says_its_title_state_and_quality(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("published", "set", False)
    window.request_edit("quality", "set", 61)
    summary = window.selection.currentIndex().data(Role.SUMMARY)
    cards = QAccessible.queryAccessibleInterface(window.cards)
    made = [cards, *(cards.child(i) for i in range(cards.childCount()))]
    cells = [
        (c.text(QAccessible.Text.Name), c.text(QAccessible.Text.Description)) for c in made[1:] if c.role() == R.Cell
    ]
    forget_wrappers(made)
    [(name, description)] = [(n, d) for n, d in cells if n.startswith(summary.title)]
    assert "unpublished" in name and "unsaved changes" in name and "quality 61" in name
    assert summary.provider_name in description and all(t in description for t in summary.topics)


@pytest.mark.parametrize("mode", ["cards", "table"])
def test_the_current_article_shows_where_the_keys_are(qtbot, window, sample, mode):
    """A focus frame around the current article, selected or not (arrows with Ctrl move it alone)."""
    open_folder(qtbot, window, sample)
    window.set_view(mode)
    view = window.current_view()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=3000)
    window.selection.setCurrentIndex(window.model.index(1, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    rect = view.visualRect(window.model.index(1, 0))
    focused = view.viewport().grab(rect).toImage()
    window.cards.clearFocus() if mode == "cards" else window.table.clearFocus()
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus, timeout=3000)
    unfocused = view.viewport().grab(rect).toImage()
    assert focused != unfocused


def test_tab_reaches_every_panels_controls(qtbot, window, sample):
    everything_shown(qtbot, window, sample)
    window.activateWindow()
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus, timeout=3000)
    reached = set()
    for _ in range(120):
        widget = QApplication.focusWidget()
        reached.add(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    wanted = {
        "the cards": window.cards,
        "Browse": window.facets,  # (not while the Topics Manager is in front of it)
        "the topic field": window.editor.topic_input,
        "quality": window.editor.quality,
        "published": window.editor.published,
        "the topic filter": window.topics_panel.filter,
        "the topics": window.topics_panel.tree,
        "the changes": window.changes.tree,
        "Revert": window.changes.revert_button,
        "Save These": window.changes.save_button,
        "the problems": window.problems,  # (not while Changes is in front of it)
    }
    assert not [what for what, widget in wanted.items() if in_sight(window, widget) and widget not in reached]
    # and the focus is always where it can be seen: no widget out of sight takes it (the docks behind
    # another's tab, and the window's stale tab bars, are placed off the window: Tab went there)
    hidden = [w for w in reached if not in_sight(window, w)]
    assert not hidden, [(type(w).__name__, w.geometry()) for w in hidden]


def in_sight(window, widget: QWidget) -> bool:
    return widget.isVisible() and window.rect().intersects(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()))
