"""An edit of thousands of articles is planned and applied in slices, an event-loop turn apart,
and a save of as many records its results the same way: the window never freezes for the
whole batch, and Save, Undo and opening another folder see the edit whole."""

from __future__ import annotations

from pathlib import Path

from curator.ui.mainwindow.actions import Action
from tests.ui.conftest import open_folder, wait_saved

N = 2_500  # more than editing.SLICED


def make_folder(root: Path) -> dict[Path, bytes]:
    root.mkdir()
    for i in range(N):
        text = f"---\ntitle: Article {i}\npublished: false\ntopics:\n  - T{i % 7}\n---\n"
        (root / f"a{i:05}.md").write_text(text, newline="\r\n" if i % 3 == 0 else "\n")
    return {p: p.read_bytes() for p in root.iterdir()}


def test_a_big_publish_is_applied_in_slices_and_undo_save_gives_back_every_byte(qtbot, window, tmp_path):
    folder = tmp_path / "many"
    original = make_folder(folder)
    open_folder(qtbot, window, folder)
    window.current_view().selectAll()
    assert len(window.selected_rows()) == N
    assert window.request_edit("published", "set", True)
    assert window.undo_stack.count() == 0 and not window.workspace.pending  # planned in the next turns
    slices = window.editing
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1 and not slices.slices.busy, timeout=20000)
    assert len(window.workspace.pending) == N
    assert all(window.workspace.summary(r).published for r in range(N))
    window.save()
    wait_saved(qtbot, window)
    assert all(b"published: true" in p.read_bytes() for p in folder.iterdir())
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: not slices.slices.busy, timeout=20000)
    assert len(window.workspace.pending) == N
    window.save()
    wait_saved(qtbot, window)
    assert {p: p.read_bytes() for p in folder.iterdir()} == original


def test_save_right_after_a_big_edit_saves_all_of_it(qtbot, window, tmp_path):
    folder = tmp_path / "many"
    make_folder(folder)
    open_folder(qtbot, window, folder)
    window.current_view().selectAll()
    window.request_edit("topics", "add", "New")
    window.save()  # in the same turn: the plan and its application are finished first
    assert window.undo_stack.count() == 1 and len(window.workspace.pending) == N
    wait_saved(qtbot, window)
    assert all(b"  - New" in p.read_bytes() for p in folder.iterdir())
    assert not window.workspace.pending


def test_undo_while_a_big_edit_is_applied_finishes_it_first(qtbot, window, tmp_path):
    folder = tmp_path / "many"
    make_folder(folder)
    open_folder(qtbot, window, folder)
    window.current_view().selectAll()
    window.request_edit("quality", "set", 5)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=20000)
    window.action_map[Action.UNDO].trigger()  # the application may still be running: it ends first, then undone
    qtbot.waitUntil(lambda: not window.editing.slices.busy, timeout=20000)
    assert not window.workspace.pending
    assert all(window.workspace.summary(r).quality is None for r in range(N))


def test_saved_rows_are_repainted_without_their_unsaved_mark(qtbot, window, sample):
    """Save results name files by absolute path: their rows are found, and told to repaint
    (they were looked up by that path among relative ones, found none, and kept a stale mark)."""
    open_folder(qtbot, window, sample)
    window.current_view().selectAll()
    window.request_edit("quality", "set", 7)
    changed: list[tuple[int, int]] = []
    window.model.dataChanged.connect(lambda top, bottom, roles=(): changed.append((top.row(), bottom.row())))
    window.save()
    wait_saved(qtbot, window)
    assert not window.workspace.pending
    shown = window.model.rowCount()
    covered = {r for top, bottom in changed for r in range(top, bottom + 1)}
    assert covered >= set(range(shown))


def test_the_end_of_sliced_work_runs_at_the_start_of_a_turn(qtbot):
    """`done` (a save's recording, an edit's refresh) never shares a turn with the last slice;
    a flush runs everything at once, and `done` may queue more work."""
    from PySide6.QtWidgets import QApplication

    from curator.ui.slices import Slices

    slices, events, turn = Slices(budget_ms=1000), [], [0]

    def work(name):
        for i in range(3):
            events.append((name, i, turn[0]))
            yield

    def then():
        events.append(("done", turn[0]))
        slices.run(work("more"))

    slices.run(work("a"), then)
    while slices.busy:
        QApplication.processEvents()
        turn[0] += 1
    assert events[:3] == [("a", 0, 0), ("a", 1, 0), ("a", 2, 0)]  # one turn: the budget allows
    assert events[3] == ("done", 1) and [e[0] for e in events[4:]] == ["more"] * 3

    events.clear()
    slices.run(work("b"), then)
    slices.flush()
    assert [e[0] for e in events] == ["b", "b", "b", "done", "more", "more", "more"]


def test_a_big_publish_of_a_folder_listed_from_its_index_reads_each_summary_once(qtbot, window, tmp_path, monkeypatch):
    """Opened from its index, the folder keeps the summaries of the last rows read (rows.KEEP,
    made 300 here as if the folder were large): a publish of more rows, planned then applied in
    slices, reads each row's summary once (the plan's were gone when the apply came, and were
    read again on the GUI thread), and what the edit built is out of the cyclic collector's
    sight (its full collections walked it on the GUI thread). The rows it left as they were go
    back to the index after; undo, redo and save stay whole."""
    import gc
    from collections import Counter

    from curator.core.folder import rows

    monkeypatch.setattr(rows, "KEEP", 300)
    folder = tmp_path / "many"
    folder.mkdir()
    n = 3000
    for i in range(n):  # a quarter published already: the publish leaves them as they are
        published = "true" if i % 4 == 0 else "false"
        (folder / f"a{i:05}.md").write_text(f"---\ntitle: Article {i}\npublished: {published}\n---\n")
    original = {p: p.read_bytes() for p in folder.iterdir()}
    open_folder(qtbot, window, folder)
    open_folder(qtbot, window, folder)  # warm: listed from the index
    workspace = window.workspace
    summaries = workspace.table.summaries
    assert sum(s is not None for s in list.__iter__(summaries)) <= rows.KEEP
    fetched: Counter[str] = Counter()
    real = summaries.fetch
    summaries.fetch = lambda paths: fetched.update(paths) or real(paths)
    window.current_view().selectAll()
    fetched.clear()
    assert window.request_edit("published", "set", True)
    editing = window.editing
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1 and not editing.slices.busy, timeout=20000)
    assert sum(fetched.values()) >= n - rows.KEEP and max(fetched.values()) == 1  # each read once
    was_published = [int(workspace.path(r)[1:6]) % 4 == 0 for r in range(n)]
    changed = [r for r in range(n) if not was_published[r]]
    assert len(workspace.pending) == len(changed) == n * 3 // 4
    in_sight = {id(o) for o in gc.get_objects()}
    assert not any(id(workspace.saved[r]) in in_sight or id(summaries.peek(r)) in in_sight for r in changed)
    left = [r for r in range(n) if r not in workspace.pending]
    assert all(summaries.peek(r) is None or r in summaries.cached for r in left)  # back to the index
    window.action_map[Action.UNDO].trigger()
    qtbot.waitUntil(lambda: not editing.slices.busy, timeout=20000)
    assert not workspace.pending and [workspace.summary(r).published for r in range(n)] == was_published
    window.action_map[Action.REDO].trigger()
    qtbot.waitUntil(lambda: not editing.slices.busy, timeout=20000)
    assert all(workspace.summary(r).published for r in range(n))
    window.save()
    wait_saved(qtbot, window)
    assert all(b"published: true" in p.read_bytes() for p in folder.iterdir())
    assert sum(p.read_bytes() != original[p] for p in folder.iterdir()) == len(changed)


def test_background_work_that_can_wait_backs_off_while_slices_run(qtbot):
    """Each turn of slices says the GUI thread is busy (gently.busy): a facet count or a topic
    tally in a worker sleeps between its pieces meanwhile, instead of taking the GIL from them."""
    from curator.core import gently
    from curator.ui.slices import Slices

    gently.busy_for(0)  # (nothing said busy before)
    assert not gently.busy()
    seen = []

    def work():
        for _ in range(3):
            seen.append(gently.busy() and gently.in_turn())  # (and a turn workers wait for)
            yield

    slices = Slices()
    slices.run(work())
    qtbot.waitUntil(lambda: not slices.busy, timeout=5000)
    assert seen == [True, True, True]
