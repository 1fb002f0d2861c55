"""Duplicate stories and link checks in the window: dup: and link: terms, the preview, Keep This
(one undo step through the ordinary edit path), Check Links with progress and cancel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curator.ui.facets import VALUE
from curator.ui.mainwindow.actions import Action
from tests.core.test_duplicates import OWN
from tests.core.test_links import Answers, server  # noqa: F401 - the fixture
from tests.ui.conftest import open_folder, wait_saved
from tests.ui.test_editing import select_paths


def _open_marked(qtbot, window, folder: Path) -> None:
    with qtbot.waitSignal(window.stories.marked, timeout=60000):
        open_folder(qtbot, window, folder)


def listed(window) -> list[str]:
    return sorted(window.workspace.path(r) for r in window.model.order)


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    folder = shutil.copytree(OWN, tmp_path / "queue")
    (folder / "labels.json").unlink()
    return folder


def test_dup_term_lists_the_groups_and_the_preview_the_others(qtbot, window, queue: Path):
    _open_marked(qtbot, window, queue)
    window.search_for("dup:yes")
    qtbot.waitUntil(lambda: len(window.model.order) == 12)
    window.search_for("dup:yes published:yes")
    qtbot.waitUntil(lambda: len(window.model.order) == 5)
    window.search_for("")
    select_paths(window, ["contoso-original.md"])
    text = window.preview.toPlainText()
    assert "The same story (4 articles)" in text
    assert "Contoso ships Widget Studio 3 for small teams | TechWire" in text and "contoso-tracked.md" in text
    select_paths(window, ["item-5.md"])
    assert "The same story" not in window.preview.toPlainText()


def _article(folder: Path, name: str, url: str) -> None:
    (folder / name).write_text(f'---\ntitle: "{name}"\noriginalUrl: "{url}"\n---\n', encoding="utf-8")


def test_check_links_on_the_selection_then_link_terms_and_the_preview(qtbot, window, tmp_path, server):  # noqa: F811
    folder = tmp_path / "links"
    folder.mkdir()
    _article(folder, "alive.md", server + "/ok")
    _article(folder, "gone.md", server + "/gone")
    _article(folder, "moved.md", server + "/chain")
    _open_marked(qtbot, window, folder)
    select_paths(window, ["alive.md", "gone.md", "moved.md"])
    with qtbot.waitSignal(window.stories.checked, timeout=30000) as done:
        window.action_map[Action.CHECK_LINKS].trigger()
        assert window.status.progress.isVisible()
    assert done.args[0] == "Links: 1 ok, 1 moved, 1 dead"
    assert not window.status.progress.isVisible()
    window.search_for("link:dead")
    qtbot.waitUntil(lambda: listed(window) == ["gone.md"])
    window.search_for("link:moved OR link:ok")
    qtbot.waitUntil(lambda: listed(window) == ["alive.md", "moved.md"])
    select_paths(window, ["moved.md"])
    assert f"originalUrl: moved 200 to {server}/ok" in window.preview.toPlainText()
    window.stories.link_tasks.wait(10000)
    # the offer for a moved link: an ordinary unsaved edit, one undo step
    select_paths(window, ["alive.md", "moved.md"])
    steps = window.undo_stack.count()
    window.action_map[Action.USE_MOVED].trigger()
    row = window.workspace.rows["moved.md"]
    assert window.workspace.current(row, "originalUrl") == server + "/ok" and window.workspace.is_dirty(row)
    assert not window.workspace.is_dirty(window.workspace.rows["alive.md"])
    assert window.undo_stack.count() == steps + 1
    assert "/chain" in (folder / "moved.md").read_text()  # nothing written until Save
    window.undo_stack.undo()
    assert window.workspace.current(row, "originalUrl") == server + "/chain"


def test_cancel_stops_a_link_check(qtbot, window, tmp_path, server):  # noqa: F811
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        _article(folder, f"a{i:02}.md", f"{server}/busy-ok?{i}")
    _open_marked(qtbot, window, folder)
    window.action_map[Action.SELECT_ALL].trigger()
    with qtbot.waitSignal(window.stories.checked, timeout=30000) as done:
        with qtbot.waitSignal(window.stories.progressed, timeout=10000):
            window.action_map[Action.CHECK_LINKS].trigger()
        window.status.cancel_button.click()
    assert "not checked (cancelled)" in done.args[0]
    assert len({p for m, p in Answers.seen if m == "HEAD"}) < 40
    window.stories.link_tasks.wait(10000)


def _dup_facet(window):
    return window.facets.group("dup")


def test_duplicates_facet_counts_groups_filters_to_dup_yes_and_follows_edits(qtbot, window, queue: Path):
    from curator.core.folder import fields

    _open_marked(qtbot, window, queue)
    facet = _dup_facet(window)
    groups = window.stories.group_count
    assert groups == len(window.stories.grouper.groups()) >= 4
    qtbot.waitUntil(lambda: facet.text(0) == f"Duplicates  ({groups} groups)" and not facet.isHidden())
    yes = next(facet.child(i) for i in range(facet.childCount()) if facet.child(i).data(0, VALUE) == "yes")
    assert yes.text(0) == "yes  (12)"
    window.facets.itemClicked.emit(yes, 0)  # as a click on it does
    qtbot.waitUntil(lambda: "dup:yes" in window.search.text() and len(window.model.order) == 12)
    # an edit through the ordinary path, saved, takes one article out of its group of two: one group fewer
    workspace = window.workspace
    row = workspace.rows["tailspin-istm.md"]
    step = workspace.plan_field([row], "title", fields.FieldEdit(fields.Op.SET, "A different story about ferries"))
    window.editing.submit(step.step, "Retitle")
    window.action_map[Action.SAVE].trigger()  # (the list shows a title as saved)
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: facet.text(0) == f"Duplicates  ({groups - 1} groups)" and len(window.model.order) == 10)
    assert "tailspin-itsm.md" not in listed(window)
    window.undo_stack.undo()
    window.action_map[Action.SAVE].trigger()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: facet.text(0) == f"Duplicates  ({groups} groups)" and len(window.model.order) == 12)
    assert window.stories.grouper.group_of("tailspin-istm.md") == ["tailspin-itsm.md", "tailspin-istm.md"]
