"""Duplicate stories and link checks in the window: dup: and link: terms, the preview, Keep This
(one undo step through the ordinary edit path), Check Links with progress and cancel."""

from __future__ import annotations

import os
import shutil
import signal
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
    assert groups == len({min(members) for members in window.stories.groups.values()}) >= 4
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
    assert window.stories.groups["tailspin-istm.md"] == ["tailspin-itsm.md", "tailspin-istm.md"]


def _in_process(window) -> dict[str, list[str]]:
    from curator.core.folder.duplicates import Grouper

    workspace = window.workspace
    grouper = Grouper()
    grouper.update(workspace.summaries(range(len(workspace.table))))
    return grouper.members()


def test_the_grouping_process_gives_the_groups_of_in_process_grouping_and_follows_edits(qtbot, window, queue: Path):
    from curator.core.folder import fields

    _open_marked(qtbot, window, queue)
    stories = window.stories
    assert stories.grouping is not None and stories.grouping.pid != os.getpid()
    expected = _in_process(window)
    assert stories.groups == expected and len(expected) == 12
    window.search_for("dup:yes")
    qtbot.waitUntil(lambda: listed(window) == sorted(expected))
    facet = _dup_facet(window)
    groups = len({min(m) for m in expected.values()})
    assert stories.group_count == groups
    qtbot.waitUntil(lambda: facet.text(0) == f"Duplicates  ({groups} groups)")
    # an edit, saved, gives two articles alone one address: a new group of two
    workspace = window.workspace
    a, b = sorted(p for p in workspace.rows if p not in expected)[:2]
    step = workspace.plan_field([workspace.rows[a], workspace.rows[b]], "originalUrl",
                                fields.FieldEdit(fields.Op.SET, "https://example.org/told-twice"))  # fmt: skip
    window.editing.submit(step.step, "Address")
    window.action_map[Action.SAVE].trigger()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: a in listed(window) and b in listed(window))
    assert stories.groups == _in_process(window) and sorted(stories.groups[a]) == [a, b]
    qtbot.waitUntil(lambda: facet.text(0) == f"Duplicates  ({groups + 1} groups)")
    window.undo_stack.undo()  # their addresses as they were, saved: the group is broken
    window.action_map[Action.SAVE].trigger()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: a not in listed(window) and b not in listed(window))
    assert stories.groups == _in_process(window) == expected


def test_an_edit_of_keys_the_grouping_does_not_read_is_not_grouped_again(qtbot, window, queue: Path):
    """Edit Field… of `heat` sends nothing to the grouping process (10,000 such rows were all
    grouped again, beside the save); an edit of what it reads (published) is sent, and the
    groups stay those of in-process grouping."""
    from curator.core.folder import fields

    _open_marked(qtbot, window, queue)
    stories, workspace = window.stories, window.workspace
    sent: list[list[str]] = []
    real = stories.grouping.update
    stories.grouping.update = lambda summaries, removed=(): (
        sent.append([s.path for s in summaries]) or real(summaries, removed)
    )
    rows = list(range(len(workspace.table)))
    workspace.learn("heat", {workspace.path(r): workspace.value(r, "heat") for r in rows})
    planned = workspace.plan_field(rows, "heat", fields.FieldEdit(fields.Op.SET, 7))
    assert window.editing.submit(planned.step, "Heat")
    assert len(workspace.pending) == len(rows) and all(workspace.summary(r).heat == 7 for r in rows)
    window.stories.group_tasks.wait(10000)
    qtbot.wait(50)
    assert sent == []
    keeper = next(iter(stories.groups))
    assert window.request_edit("published", "set", False, rows=[workspace.rows[keeper]])
    qtbot.waitUntil(lambda: sent == [[keeper]], timeout=10000)
    window.stories.group_tasks.wait(10000)
    qtbot.waitUntil(lambda: stories.groups == _in_process(window), timeout=10000)


def test_corpus_dup_yes_lists_its_duplicate_stories(qtbot, window, corpus: Path):
    _open_marked(qtbot, window, corpus)
    window.search_for("dup:yes")
    qtbot.waitUntil(lambda: len(window.model.order) == 29, timeout=20000)
    assert window.stories.groups == _in_process(window)


def test_closing_or_leaving_a_folder_and_quitting_leave_no_grouping_process(qtbot, window, queue: Path, tmp_path):
    from tests.core.test_grouping import gone

    _open_marked(qtbot, window, queue)
    first = window.stories.grouping.pid
    other = shutil.copytree(queue, tmp_path / "other")
    _open_marked(qtbot, window, other)
    assert gone(first)
    second = window.stories.grouping.pid
    assert second != first and not gone(second, 0.2)
    window.workspace.pending.clear()
    window.close()
    assert gone(second) and window.stories.grouping is None


def test_a_grouping_process_that_dies_turns_grouping_off_with_a_message(qtbot, window, queue: Path):
    from curator.core.folder import fields

    _open_marked(qtbot, window, queue)
    said = []
    window.messages.posted.connect(lambda level, text, detail, ms: said.append(text))
    os.kill(window.stories.grouping.pid, signal.SIGKILL)
    workspace = window.workspace
    row = workspace.rows["item-5.md"]
    step = workspace.plan_field([row], "title", fields.FieldEdit(fields.Op.SET, "Another title"))
    window.editing.submit(step.step, "Retitle")  # (its grouping goes to the dead process)
    qtbot.waitUntil(lambda: window.stories.off)
    assert [t for t in said if "Duplicate stories are not marked" in t and "ended unexpectedly" in t]
    assert window.stories.groups == {} and window.stories.group_count == 0 and window.stories.grouping is None
    window.search_for("dup:yes")
    qtbot.waitUntil(lambda: len(window.model.order) == 0)
    window.search_for("")  # the window goes on
    qtbot.waitUntil(lambda: len(window.model.order) == len(workspace.rows))
    window.undo_stack.undo()
    assert not workspace.is_dirty(row)
    assert not window.stories.keep_this(workspace.rows["contoso-original.md"])  # in no group now
    window.stories.regroup()  # (as a save does: grouping stays off)
    assert window.stories.grouping is None and window.stories.off


def test_files_that_come_and_go_after_the_first_grouping_are_grouped_and_forgotten(qtbot, window, queue: Path):
    """sync: a file that appears on disk is grouped against the others, one that goes leaves
    its group; `known` lists the paths the grouping process holds, the table's own strings."""
    _open_marked(qtbot, window, queue)
    stories = window.stories
    expected = _in_process(window)
    assert stories.groups == expected and sorted(stories.known) == sorted(window.workspace.rows)
    grouped = sorted(expected)[0]
    alone = sorted(p for p in window.workspace.rows if p not in expected)[0]
    twin = queue / ("twin-" + Path(grouped).name)
    twin.write_text((queue / grouped).read_text(encoding="utf-8"), encoding="utf-8")
    (queue / alone).unlink()
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: twin.name in window.workspace.rows and alone not in window.workspace.rows, timeout=10000)
    qtbot.waitUntil(lambda: twin.name in stories.groups, timeout=20000)
    assert stories.groups == _in_process(window)
    assert twin.name in stories.groups[grouped]
    assert sorted(stories.known) == sorted(window.workspace.rows)
    rows = window.workspace.rows
    assert all(any(p is q for q in rows) for p in stories.known)  # (no copies of the paths)
