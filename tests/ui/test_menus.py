"""The menus and keys: each platform's conventions, every action reachable from the keyboard,
the README's list of keys complete, Preferences and About."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget

from curator import README_URL, __version__
from curator.ui import theme
from curator.ui.mainwindow.actions import CONTEXT, MENUS, SPECS, Action, build, shortcut_rows
from curator.ui.mainwindow.prompts import DialogPrompts
from curator.ui.preferences import PreferencesDialog
from tests.conftest import ROOT

Role = QAction.MenuRole


def test_redo_takes_the_platforms_keys(window):
    """Redo is the platform's standard key and nothing more: Ctrl+Y on Windows (and KDE),
    Ctrl+Shift+Z on GNOME, Cmd+Shift+Z on macOS (where Cmd+Y, added to all, is no Redo)."""
    assert SPECS[Action.REDO].shortcut == QKeySequence.StandardKey.Redo
    assert window.action_map[Action.REDO].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)


@pytest.mark.parametrize(
    ("platform", "quit_text", "preferences_text"),
    [("linux", "&Quit", "Preference&s…"), ("darwin", "&Quit", "Preference&s…"), ("win32", "E&xit", "&Options…")],
)
def test_each_platform_has_its_words_and_menu_roles(qtbot, platform, quit_text, preferences_text):
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = build(parent, {}, platform=platform)
    assert actions[Action.QUIT].text() == quit_text and actions[Action.PREFERENCES].text() == preferences_text
    # on macOS these go to the application menu (named there by the system); no other action may
    roles = {action: qaction.menuRole() for action, qaction in actions.items()}
    assert roles.pop(Action.PREFERENCES) == Role.PreferencesRole
    assert roles.pop(Action.ABOUT) == Role.AboutRole and roles.pop(Action.QUIT) == Role.QuitRole
    assert set(roles.values()) == {Role.NoRole}  # ("About…"-like texts are not guessed at)


def mnemonics(menu: QMenu) -> list[str]:
    return [m.group(1).lower() for a in menu.actions() if (m := re.search(r"&([^&])", a.text()))]


def test_every_action_is_in_a_menu_with_its_own_mnemonic(window):
    in_menus = set()
    for menu in window.menuBar().findChildren(QMenu):
        letters = mnemonics(menu)
        assert len(letters) == len(set(letters)), (menu.title(), letters)  # Alt+letter picks one item
    for _, items in MENUS:
        in_menus |= {item for item in items if isinstance(item, Action)}
    assert set(SPECS) - in_menus - set(CONTEXT) == set()  # (the right-click menu: Shift+F10)
    for action in in_menus:
        assert "&" in SPECS[action].text, action
    context = QMenu()
    for action in CONTEXT:
        if action is not None:
            context.addAction(window.action_map[action])
    letters = mnemonics(context)
    assert len(letters) == len(set(letters)), letters


def readme_keys() -> dict[str, str]:
    """The README's table of keys: what (before any remark in parentheses) → keys."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Keyboard", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", section, flags=re.M)[1:]  # (after the header)
    return {what.split(" (")[0]: keys.replace("`", "") for keys, what in rows}


def test_the_readme_lists_every_key(window):
    listed = readme_keys()
    for what, keys in shortcut_rows(window.action_map):
        assert what in listed, f"{what} ({keys}) is not in the README's Keyboard section"
        assert keys.split(", ")[0] in listed[what], (what, keys, listed[what])
    for action in (Action.QUIT, Action.PREFERENCES):  # (keys on some platforms only)
        assert SPECS[action].text.replace("&", "").rstrip("…") in listed


def test_preferences_keep_what_was_chosen_and_show_the_scheme_at_once(qtbot, window):
    app = QApplication.instance()
    app.theme = theme.Theme(app, "light")
    try:
        values = {"view/color_scheme": "dark", "editing/confirm_batch_over": 5, "files/watch_seconds": 30,
                  "network/thumbnails": False}  # fmt: skip
        window.prompts.preferences_answer = values
        window.action_map[Action.PREFERENCES].trigger()
        kind, shown = window.prompts.asked[-1]
        assert kind == "preferences" and shown["view/color_scheme"] == "system"  # (asked with what was set)
        assert {key: window.settings[key] for key in values} == values
        assert theme.is_dark()
    finally:
        app.theme.choice = "light"
        app.theme.apply()
        del app.theme
    dialog = PreferencesDialog(values)
    qtbot.addWidget(dialog)
    assert dialog.values() == values


def test_about_gives_the_version_and_a_link_to_the_readme(qtbot, window):
    box = DialogPrompts(window).about_box()
    qtbot.addWidget(box)
    assert __version__ in box.text() and f"href='{README_URL}'" in box.text()
    label = next(label for label in box.findChildren(QLabel) if README_URL in label.text())
    assert label.openExternalLinks()  # a click opens the browser
