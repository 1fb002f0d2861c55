"""The command line and the window make the same edit the same way: for every command/action
pair, the same change of the same articles (one copy of the sample through the window's action
and Save, another through `curator …` in this process) leaves byte-identical files. Both plan on
the Workspace and save with save_batch; no rule lives in the CLI alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator import cli
from curator.core.folder.fields import FieldEdit, Op
from curator.ui.mainwindow.actions import Action
from tests.conftest import SAMPLE, copy_tree
from tests.ui.conftest import open_folder, wait_saved
from tests.ui.test_editing import select_paths

#: a published article with quality, topics and heat; an unpublished one; one without quality
PATHS = [
    "_news/2019-10-29-ai-builder-2019-release-wave-2-overview.md",
    "_news/000_0f6bed355ea43c67.txt",
    "_news/2020-12-21-rf-power-meter-targets-low-power-apps.md",
]


def by_window(window, prompts_setup, trigger) -> None:
    prompts_setup(window.prompts)
    trigger(window)


CASES = {
    "publish": (["publish"], lambda p: None, lambda w: w.action_map[Action.PUBLISH].trigger()),
    "unpublish": (["unpublish"], lambda p: None, lambda w: w.action_map[Action.UNPUBLISH].trigger()),
    "add topic": (
        ["set", "--add", "topics=Low code"],
        lambda p: setattr(p, "topic", "Low code"),
        lambda w: w.action_map[Action.ADD_TOPIC].trigger(),
    ),
    "remove topic": (
        ["set", "--remove", "topics=AI Builder"],
        lambda p: setattr(p, "topic", "AI Builder"),
        lambda w: w.action_map[Action.REMOVE_TOPIC].trigger(),
    ),
    "set quality": (
        ["set", "--set", "quality=24"],
        lambda p: None,  # the fake answers the dialog's start: the first selected article's quality (24)
        lambda w: w.action_map[Action.QUALITY].trigger(),
    ),
    "edit field: set heat": (
        ["set", "--set", "heat=7"],
        lambda p: setattr(p, "field", ("heat", FieldEdit(Op.SET, 7))),
        lambda w: w.action_map[Action.EDIT_FIELD].trigger(),
    ),
    "edit field: clear type": (
        ["set", "--unset", "type"],
        lambda p: setattr(p, "field", ("type", FieldEdit(Op.CLEAR))),
        lambda w: w.action_map[Action.EDIT_FIELD].trigger(),
    ),
    "edit field: nested key": (
        ["set", "--set", "provider.name=Contoso"],
        lambda p: setattr(p, "field", ("provider.name", FieldEdit(Op.SET, "Contoso"))),
        lambda w: w.action_map[Action.EDIT_FIELD].trigger(),
    ),
    "apply suggested topics": (
        ["suggest", "--apply"],
        lambda p: None,  # (the fake confirms the per-topic question)
        lambda w: w.action_map[Action.APPLY_SUGGESTED].trigger(),
    ),
    "edit field: add to topics": (
        ["set", "--add", "topics=Power Apps"],
        lambda p: setattr(p, "field", ("topics", FieldEdit(Op.ADD, "Power Apps"))),
        lambda w: w.action_map[Action.EDIT_FIELD].trigger(),
    ),
}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", list(CASES))
def test_a_command_and_its_window_action_write_the_same_bytes(qtbot, window, tmp_path, name):
    argv, setup, trigger = CASES[name]
    in_window, in_cli = copy_tree(SAMPLE, tmp_path / "window"), copy_tree(SAMPLE, tmp_path / "cli")
    original = files(in_window)
    open_folder(qtbot, window, in_window)
    qtbot.waitUntil(lambda: bool(window.editing.known_topics), timeout=10000)  # the folder's topics counted
    select_paths(window, PATHS)
    setup(window.prompts)
    trigger(window)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10000)
    window.action_map[Action.SAVE].trigger()
    wait_saved(qtbot, window)
    assert cli.main([*argv, *(str(in_cli / p) for p in PATHS)]) == 0
    written = files(in_window)
    assert written != original  # each case changes something...
    assert files(in_cli) == written  # ...and the CLI wrote exactly the same bytes
