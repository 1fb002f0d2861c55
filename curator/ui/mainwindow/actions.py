"""The window's actions, declared once: an enum, one table of specs, and the menus, the
toolbar and the context menu as lists of its members (as Picard's ui/mainwindow/actions.py)."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ..icons import icon

Key = QKeySequence.StandardKey


class Action(enum.Enum):
    OPEN = enum.auto()
    RELOAD = enum.auto()
    SAVE = enum.auto()
    REVERT = enum.auto()
    REVERT_ALL = enum.auto()
    QUIT = enum.auto()
    UNDO = enum.auto()
    REDO = enum.auto()
    PUBLISH = enum.auto()
    UNPUBLISH = enum.auto()
    ADD_TOPIC = enum.auto()
    REMOVE_TOPIC = enum.auto()
    QUALITY = enum.auto()
    FIND = enum.auto()
    SELECT_ALL = enum.auto()
    REVEAL = enum.auto()
    IMMEDIATE = enum.auto()
    CARDS = enum.auto()
    TABLE = enum.auto()
    ABOUT = enum.auto()
    CONTEXT_MENU = enum.auto()
    SHORTCUTS = enum.auto()
    REVIEW = enum.auto()
    TOPICS = enum.auto()
    APPLY_SUGGESTED = enum.auto()
    EDIT_FIELD = enum.auto()
    COMMIT = enum.auto()
    PULL = enum.auto()
    PUSH = enum.auto()
    PREFERENCES = enum.auto()
    KEEP_THIS = enum.auto()
    CHECK_LINKS = enum.auto()
    USE_MOVED = enum.auto()
    TRIAGE = enum.auto()
    SAVE_VIEW = enum.auto()


@dataclass(frozen=True, slots=True)
class Spec:
    text: str
    shortcut: Key | str | tuple[Key | str, ...] | None = None
    icon: str = ""
    tip: str = ""
    needs_selection: bool = False  # enabled only with articles selected
    checkable: bool = False


SPECS: dict[Action, Spec] = {
    Action.OPEN: Spec("&Open Folder…", Key.Open, "fa5s.folder-open", "Open a folder of articles"),
    Action.RELOAD: Spec("Reloa&d", "F5", "fa5s.sync", "Read the folder again"),
    Action.SAVE: Spec("&Save", Key.Save, "fa5s.save", "Write every unsaved change to its file"),
    Action.REVIEW: Spec(
        "Review &Changes…", "Ctrl+Shift+R", "fa5s.exchange-alt", "See every unsaved change and the lines Save writes"
    ),
    Action.REVERT: Spec("Re&vert Selected", None, "fa5s.undo-alt", "Drop the unsaved changes of the selection", True),
    Action.REVERT_ALL: Spec("Revert A&ll", None, "", "Drop every unsaved change"),
    Action.QUIT: Spec("&Quit", Key.Quit),
    Action.UNDO: Spec("&Undo", Key.Undo, "fa5s.undo"),
    Action.REDO: Spec("&Redo", Key.Redo, "fa5s.redo"),  # the platform's: Ctrl+Y on Windows, Ctrl+Shift+Z elsewhere
    Action.PUBLISH: Spec("&Publish Selected", "Ctrl+P", "fa5s.eye", "Publish the selected articles", True),
    Action.UNPUBLISH: Spec(
        "U&npublish Selected", "Ctrl+Shift+P", "fa5s.eye-slash", "Unpublish the selected articles", True
    ),
    Action.ADD_TOPIC: Spec("Add &Topic…", "Ctrl+T", "fa5s.tag", "Add a topic to the selected articles", True),
    Action.REMOVE_TOPIC: Spec("Re&move Topic…", "Ctrl+Shift+T", "", "Remove a topic from the selected articles", True),
    Action.QUALITY: Spec(
        "Set &Quality…", "Ctrl+Shift+Q", "fa5s.star", "Set the quality of the selected articles", True
    ),
    Action.APPLY_SUGGESTED: Spec(
        "Apply Su&ggested Topics", "Ctrl+Shift+G", "fa5s.magic", "Add the taxonomy's suggested topics to each one", True
    ),
    Action.EDIT_FIELD: Spec(
        "Edit F&ield…",
        "Ctrl+Shift+E",
        "fa5s.pen",
        "Set, add to, remove from, clear or find and replace any field",
        True,
    ),
    Action.KEEP_THIS: Spec(
        "&Keep This, Unpublish the Others",
        None,
        "fa5s.clone",
        "Unpublish the other articles telling the current article's story",
        True,
    ),
    Action.CHECK_LINKS: Spec("Check &Links", None, "fa5s.link", "Check the links of the selected articles", True),
    Action.USE_MOVED: Spec(
        "Use the Moved A&ddress", None, "", "Set originalUrl to where it moved, for the selected articles", True
    ),
    Action.COMMIT: Spec("&Commit…", "Ctrl+Alt+C", "fa5s.check", "git: commit the changed article files you pick"),
    Action.PULL: Spec("&Pull", "Ctrl+Alt+L", "fa5s.download", "git: get the team's commits (fast-forward only)"),
    Action.PUSH: Spec("P&ush", "Ctrl+Alt+U", "fa5s.upload", "git: send your commits to the team"),
    Action.TOPICS: Spec(
        "Topics &Manager", "Ctrl+Shift+M", "fa5s.tags", "Every topic with its count: rename, merge or delete"
    ),
    Action.TRIAGE: Spec(
        "T&riage", "F9", "fa5s.inbox", "One article at a time: P publish, U unpublish, J/K next/previous, Esc leaves"
    ),
    Action.SAVE_VIEW: Spec("Save &View…", None, "fa5s.bookmark", "Save the search and sort as a view the team shares"),
    Action.FIND: Spec("&Find", Key.Find, "fa5s.search", "Search the articles"),
    Action.SELECT_ALL: Spec("Select &All", Key.SelectAll),
    Action.REVEAL: Spec("Show in File Manager", None, "", "Open the folder of the current article", True),
    Action.IMMEDIATE: Spec("Save &Every Change Immediately", checkable=True),
    Action.PREFERENCES: Spec("Preference&s…", Key.Preferences, "fa5s.sliders-h", "Colours, confirmations, watching"),
    Action.CARDS: Spec("&Cards", "Ctrl+1", "fa5s.th-list", "Show the articles as cards", checkable=True),
    Action.TABLE: Spec("&Table", "Ctrl+2", "fa5s.table", "Show the articles as a table", checkable=True),
    Action.ABOUT: Spec("&About Curator", None, "", "The version, and where the user's guide is"),
    Action.CONTEXT_MENU: Spec(
        "A&ctions for the Selection…", ("Shift+F10", "Menu"), "", "The right-click menu, from the keyboard", True
    ),
    Action.SHORTCUTS: Spec("&Keyboard Shortcuts", "F1", "fa5s.keyboard", "Every action and its keys"),
}
#: Words of another platform's conventions (sys.platform prefix: {action: text}); on macOS the
#: MENU_ROLES move Preferences, About and Quit into the application menu under its own names.
PLATFORM_TEXT = {"win32": {Action.QUIT: "E&xit", Action.PREFERENCES: "&Options…"}}
MENU_ROLES = {
    Action.PREFERENCES: QAction.MenuRole.PreferencesRole,
    Action.ABOUT: QAction.MenuRole.AboutRole,
    Action.QUIT: QAction.MenuRole.QuitRole,
}
#: Keys that are no action of their own, for Help › Keyboard Shortcuts.
OTHER_KEYS = [
    ("Clear the search", "Escape"),
    ("From the search to the list", "Down"),
    ("Move in the list, extend the selection", "Arrows, Shift+Arrows"),
    ("Triage: publish, unpublish and go on", "P, U"),
    ("Triage: next, previous article", "J or Right, K or Left"),
    ("Triage: quality, add a topic, typed then Return", "Q, T"),
    ("Triage: leave on the article shown", "Escape, F9"),
    ("Apply a saved view", "Alt+1 … Alt+9"),
]

SEPARATOR = None
RECENT = "recent"  # the Open Recent submenu
DOCKS = "docks"  # a toggle for each dock

MENUS: list[tuple[str, list]] = [
    ("&File", [Action.OPEN, RECENT, Action.RELOAD, SEPARATOR, Action.SAVE, Action.REVIEW, Action.REVERT,
               Action.REVERT_ALL, SEPARATOR, Action.QUIT]),
    ("&Edit", [Action.UNDO, Action.REDO, SEPARATOR, Action.PUBLISH, Action.UNPUBLISH, Action.ADD_TOPIC,
               Action.REMOVE_TOPIC, Action.APPLY_SUGGESTED, Action.QUALITY, Action.EDIT_FIELD, Action.CONTEXT_MENU,
               SEPARATOR, Action.KEEP_THIS, Action.CHECK_LINKS, Action.USE_MOVED, SEPARATOR, Action.SELECT_ALL,
               Action.FIND, SEPARATOR, Action.IMMEDIATE, Action.PREFERENCES]),
    ("&View", [Action.CARDS, Action.TABLE, SEPARATOR, Action.TRIAGE, Action.SAVE_VIEW, SEPARATOR, Action.TOPICS,
               DOCKS]),
    ("&Git", [Action.COMMIT, Action.PULL, Action.PUSH]),
    ("&Help", [Action.SHORTCUTS, Action.ABOUT]),
]  # fmt: skip
TOOLBAR = [Action.OPEN, Action.RELOAD, Action.SAVE, Action.REVIEW, SEPARATOR, Action.UNDO, Action.REDO, SEPARATOR,
           Action.PUBLISH, Action.UNPUBLISH, Action.ADD_TOPIC, SEPARATOR, Action.CARDS, Action.TABLE]  # fmt: skip
CONTEXT = [Action.PUBLISH, Action.UNPUBLISH, SEPARATOR, Action.ADD_TOPIC, Action.REMOVE_TOPIC, Action.APPLY_SUGGESTED,
           Action.QUALITY, Action.EDIT_FIELD, SEPARATOR, Action.KEEP_THIS, Action.CHECK_LINKS, Action.USE_MOVED,
           SEPARATOR, Action.REVERT, Action.REVEAL]  # fmt: skip


def build(
    parent: QWidget,
    slots: dict[Action, Callable[[], object]],
    made: dict[Action, QAction] | None = None,
    platform: str = sys.platform,
) -> dict[Action, QAction]:
    """A QAction per Action, from its spec (in `platform`'s words, see PLATFORM_TEXT); `made`
    are actions built elsewhere (undo, redo) that get the spec's shortcut and icon. Checkable
    actions are wired by the caller."""
    actions = dict(made or {})
    words = next((t for prefix, t in PLATFORM_TEXT.items() if platform.startswith(prefix)), {})
    for action, spec in SPECS.items():
        qaction = actions.get(action) or QAction(words.get(action, spec.text), parent)
        qaction.setMenuRole(MENU_ROLES.get(action, QAction.MenuRole.NoRole))  # (no guessing from the text)
        if spec.icon:
            qaction.setIcon(icon(spec.icon))
        if spec.shortcut is not None:
            keys = spec.shortcut if isinstance(spec.shortcut, tuple) else (spec.shortcut,)
            sequences: list[QKeySequence] = []
            for key in keys:
                for sequence in QKeySequence.keyBindings(key) if isinstance(key, Key) else [QKeySequence(key)]:
                    if sequence not in sequences:
                        sequences.append(sequence)
            qaction.setShortcuts(sequences)
        if spec.tip:
            qaction.setStatusTip(spec.tip)
            qaction.setToolTip(spec.tip)
        qaction.setCheckable(spec.checkable)
        if spec.needs_selection:
            qaction.setEnabled(False)  # (nothing is selected yet)
        slot = slots.get(action)
        if slot is not None and action not in (made or {}):
            qaction.triggered.connect(lambda checked=False, slot=slot: slot())
        actions[action] = qaction
    return actions


def needing_selection() -> list[Action]:
    return [a for a, spec in SPECS.items() if spec.needs_selection]


def fill(container, items: list, actions: dict[Action, QAction], special: Callable[[object, str], None]) -> None:
    """Add `items` to a menu or toolbar: actions, separators, and named special entries."""
    for item in items:
        if item is SEPARATOR:
            container.addSeparator()
        elif isinstance(item, str):
            special(container, item)
        else:
            container.addAction(actions[item])


def shortcut_rows(actions: dict[Action, QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action that has keys, in the order of the table, then OTHER_KEYS."""
    rows = []
    for qaction in actions.values():
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in qaction.shortcuts())
        if keys:
            rows.append((qaction.text().replace("&", "").rstrip("…"), keys))
    return rows + OTHER_KEYS
