"""Each controller on its own, without a MainWindow: real files, real workers, the prompts fake."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel

from curator.core.folder import library
from curator.ui.mainwindow.browsing import Browsing
from curator.ui.mainwindow.editing import Editing
from curator.ui.mainwindow.loader import Loader
from curator.ui.mainwindow.messages import ConflictChoice, Messages, UnsavedAnswer
from curator.ui.mainwindow.saver import Saver
from curator.ui.mainwindow.session import Session
from curator.ui.mainwindow.watcher import Watcher
from curator.ui.model import ArticleModel
from curator.ui.tasks import Tasks
from curator.ui.thumbnails import window_thumbnails
from tests.ui.fakes import FakePrompts

SEED = "_news/000_0f6bed355ea43c67.txt"


@pytest.fixture
def parts(qtbot, tmp_path):
    session, messages, prompts = Session(tmp_path / "cache"), Messages(), FakePrompts()
    tasks = Tasks(2, "test", report=messages.failed)  # as the window's
    yield session, tasks, messages, prompts
    tasks.wait(10000)


def opened(session: Session, folder: Path):
    """The session on `folder`, its articles read at once (what the loader does, minus the worker)."""
    workspace = session.open(folder)
    workspace.add_entries(library.load(folder).entries)
    return workspace


def test_a_cancelled_load_never_delivers_into_the_next_folder(qtbot, parts, tmp_path, monkeypatch):
    session, tasks, messages, _ = parts
    big, small = tmp_path / "big", tmp_path / "small"
    for folder, count in ((big, 1500), (small, 3)):
        folder.mkdir()
        for n in range(count):
            (folder / f"{n:04}.md").write_text(f"---\ntitle: {folder.name} {n}\n---\n")
    monkeypatch.setattr(library, "PARALLEL_THRESHOLD", 10**9)  # in this process, slowly, batch by batch
    loader = Loader(session, tasks, messages)
    delivered: list[str] = []
    loader.rows_added.connect(lambda rows, first: delivered.extend(session.workspace.path(r) for r in rows))
    session.open(big)
    loader.start()
    qtbot.waitUntil(lambda: bool(delivered), timeout=10000)  # the big folder is on its way...
    session.open(small)  # ...when another folder is opened
    delivered.clear()
    with qtbot.waitSignal(loader.finished, timeout=20000) as done:
        loader.start()
    assert done.args[0].articles == 3 and sorted(session.workspace.rows) == ["0000.md", "0001.md", "0002.md"]
    tasks.wait(10000)
    qtbot.wait(50)
    assert sorted(delivered) == ["0000.md", "0001.md", "0002.md"]  # nothing of the big folder


def test_save_requests_during_a_save_merge_into_one_more_run(qtbot, parts, sample):
    session, tasks, messages, prompts = parts
    workspace = opened(session, sample)
    saver = Saver(session, tasks, prompts, messages)
    runs: list[int] = []
    saver.started.connect(runs.append)
    paths = sorted(workspace.rows)
    workspace.set_values({paths[0]: {"quality": 1}})
    assert saver.request()
    for n, path in enumerate(paths[1:6], start=2):  # edits and requests while the first run writes
        workspace.set_values({path: {"quality": n}})
        assert saver.request()
    qtbot.waitUntil(lambda: not saver.running and not workspace.pending, timeout=20000)
    assert runs == [1, 5]  # one follow-up run for the five requests
    assert all(f"quality: {n}\n" in (sample / p).read_text() for n, p in enumerate(paths[:6], start=1))


def test_a_conflict_is_asked_about_and_not_written(qtbot, parts, sample):
    session, tasks, messages, prompts = parts
    workspace = opened(session, sample)
    saver = Saver(session, tasks, prompts, messages)
    workspace.set_values({SEED: {"quality": 90}})
    path = sample / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 25"))  # the same value, changed elsewhere
    with qtbot.waitSignal(saver.idle, timeout=20000):
        saver.request()
    qtbot.waitUntil(lambda: not saver.running, timeout=10000)
    assert prompts.asked == [("conflicts", [SEED])]  # prompts answer Skip
    assert "quality: 25\n" in path.read_text() and workspace.pending  # not written, the edit kept


def test_overwrite_applies_the_edit_to_the_new_text(qtbot, parts, sample):
    session, tasks, messages, prompts = parts
    prompts.conflict = ConflictChoice.OVERWRITE
    workspace = opened(session, sample)
    saver = Saver(session, tasks, prompts, messages)
    workspace.set_values({SEED: {"quality": 90}})
    path = sample / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 25").replace("heat: -1", "heat: 7"))
    saver.request()
    qtbot.waitUntil(lambda: not saver.running and not workspace.pending, timeout=20000)
    assert "quality: 90\n" in path.read_text() and "heat: 7\n" in path.read_text()


def test_settle_runs_what_waits_once_everything_is_saved(qtbot, parts, sample):
    session, tasks, messages, prompts = parts
    workspace = opened(session, sample)
    saver = Saver(session, tasks, prompts, messages)
    workspace.set_values({SEED: {"published": True}})
    closed = []
    prompts.unsaved = UnsavedAnswer.CANCEL
    assert not saver.settle("close", lambda: closed.append(1)) and not saver.running
    prompts.unsaved = UnsavedAnswer.SAVE
    assert not saver.settle("close", lambda: closed.append(1))  # not now...
    qtbot.waitUntil(lambda: closed == [1], timeout=20000)  # ...but once saved
    assert "published: true" in (sample / SEED).read_text()


def test_a_batch_over_the_threshold_asks_first(qtbot, parts, sample):
    session, tasks, messages, prompts = parts
    workspace = opened(session, sample)
    editing = Editing(session, tasks, prompts, messages, lambda: 5)
    rows = list(range(len(workspace)))
    prompts.batch = False
    assert not editing.request(rows, "quality", "set", 3)
    assert prompts.asked == [("batch", f"Set quality to 3 on {len(rows)} articles", len(rows))]
    assert not workspace.pending and editing.undo_stack.count() == 0
    prompts.batch = True
    assert editing.request(rows, "quality", "set", 3)
    assert len(workspace.pending) == len(rows) and editing.undo_stack.undoText().startswith("Set quality")
    assert editing.request(rows[:2], "quality", "set", 4)  # a small one does not ask
    assert len(prompts.asked) == 2


def test_the_watcher_applies_what_changed_on_disk(qtbot, parts, sample):
    session, tasks, messages, _ = parts
    workspace = opened(session, sample)
    watcher = Watcher(session, tasks, messages, lambda: 3600, lambda: False)
    (sample / "_news" / "new.md").write_text("---\ntitle: New\n---\n")
    with qtbot.waitSignal(watcher.disk_changed, timeout=20000) as changed:
        assert watcher.check_now()
    report, announce = changed.args
    assert announce and len(report.added) == 1 and "_news/new.md" in workspace.rows
    assert not Watcher(session, tasks, messages, lambda: 3600, lambda: True).check_now()  # busy: no check


def test_browsing_follows_the_list_and_keeps_a_bad_query_out(qtbot, parts, sample):
    session, tasks, messages, _ = parts
    workspace = opened(session, sample)
    thumbs, _ = window_thumbnails(Tasks(1), Path(sample.parent / "cache"), network=False)
    model = ArticleModel(workspace)
    selection = QItemSelectionModel(model)
    browsing = Browsing(session, model, selection, tasks, thumbs, messages)
    model.reset_rows()
    browsing.select_path(SEED)
    assert browsing.current_path() == SEED and browsing.selected_rows() == [workspace.rows[SEED]]
    with qtbot.waitSignal(browsing.query_failed) as failed:
        assert not browsing.apply_search("quality:>=x")
    assert "position" in failed.args[0] and model.rowCount() == len(workspace)  # the last good result stays
    currents: list = []
    browsing.current_changed.connect(currents.append)
    assert browsing.apply_search("nothing matches this")
    assert currents == [None] and browsing.selected_rows() == []


def test_a_pool_gives_memory_back_when_its_last_running_task_ends(qtbot, monkeypatch):
    """Tasks trims the heap as a task ends with no other task running in the pool (see
    Tasks.ran): once for a slow task and a quick one that ends while it runs."""
    import threading

    from curator.ui import tasks as tasks_module

    trims: list[str] = []
    running: list[str] = []
    monkeypatch.setattr(tasks_module, "trim_heap", lambda: trims.append(",".join(running)))  # who runs then
    release = threading.Event()
    pool, done = Tasks(2, "trim"), []

    def slow(progress):
        running.append("slow")
        release.wait(10)
        running.remove("slow")

    def quick(progress):
        running.append("quick")
        running.remove("quick")

    pool.run(slow, lambda *_: done.append("slow"))
    qtbot.waitUntil(lambda: running == ["slow"])
    pool.run(quick, lambda *_: done.append("quick"))
    qtbot.waitUntil(lambda: done == ["quick"])
    assert trims == []  # the slow one still runs
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2)
    assert trims == [""]


def test_a_task_that_ends_after_its_pool_was_deleted_ends_quietly(qtbot, monkeypatch):
    """A window closed while a task ran deletes its pool: the end of that task asks nothing of
    it (seen at exit: 'Internal C++ object (QThreadPool) already deleted')."""
    from curator.ui import tasks as tasks_module

    trims: list[int] = []
    monkeypatch.setattr(tasks_module, "trim_heap", lambda: trims.append(1))
    pool = Tasks(1, "gone")
    real = pool.pool

    class Deleted:
        def activeThreadCount(self) -> int:
            raise RuntimeError("Internal C++ object (PySide6.QtCore.QThreadPool) already deleted.")

    pool.pool = Deleted()
    pool.ran()  # no exception, no trim
    assert trims == []
    pool.pool = real
    pool.ran()
    assert trims == [1]
