"""Each controller on its own, without a MainWindow: real files, real workers, the prompts fake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel

from curator.core.document.writes import ByteEdit
from curator.core.folder import library, opening
from curator.core.folder.fields import FieldEdit, Op
from curator.core.folder.workspace import Workspace
from curator.ui.emptystate import EmptyState
from curator.ui.mainwindow.browsing import Browsing
from curator.ui.mainwindow.editing import Editing
from curator.ui.mainwindow.fields import FieldsController
from curator.ui.mainwindow.loader import Loader
from curator.ui.mainwindow.messages import ConflictChoice, Messages, UnsavedAnswer
from curator.ui.mainwindow.review import Review
from curator.ui.mainwindow.saver import Saver
from curator.ui.mainwindow.session import Session
from curator.ui.mainwindow.stories import Stories
from curator.ui.mainwindow.topics import TopicsController
from curator.ui.mainwindow.views import ViewsController
from curator.ui.mainwindow.watcher import Watcher
from curator.ui.model import ArticleModel
from curator.ui.tasks import Tasks
from curator.ui.thumbnails import window_thumbnails
from tests.core.test_duplicates import OWN
from tests.core.test_grouping import gone
from tests.core.test_links import server  # noqa: F401 - the fixture
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
    workspace.add_entries(opening.load(folder).entries)
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


def test_a_cold_open_lets_its_summaries_go_a_piece_at_a_time_once_indexed(qtbot, parts, tmp_path, monkeypatch):
    """What the index took is dropped from the table in pieces (turns of the event loop), and
    read from the index again, equal; a warm open keeps only the recently read ones too."""
    from curator.core.folder import rows as rows_module
    from curator.ui.mainwindow import loader as loader_module

    session, tasks, messages, _ = parts
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(40):
        (folder / f"{n:04}.md").write_text(f"---\ntitle: Article {n}\nquality: {n}\n---\n")
    monkeypatch.setattr(rows_module, "KEEP", 5)
    monkeypatch.setattr(loader_module, "LET_GO_PIECE", 8)
    loader = Loader(session, tasks, messages)
    cold = {e.summary.path: e.summary for e in opening.load(folder).entries}
    for _ in ("cold", "warm"):
        workspace = session.open(folder)
        with qtbot.waitSignal(loader.finished, timeout=20000):
            loader.start()
        summaries = workspace.table.summaries
        qtbot.waitUntil(lambda s=summaries: sum(x is not None for x in list.__iter__(s)) <= 5, timeout=5000)
        assert [workspace.summary(r) for r in range(40)] == [cold[workspace.path(r)] for r in range(40)]
        assert workspace.table.select("quality:>=38") == sorted(workspace.rows[p] for p in ("0038.md", "0039.md"))
    tasks.wait(10000)


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


def test_no_sort_ahead_while_a_load_is_still_listing_rows(qtbot, parts, sample):
    """Rows that arrive in batches are sorted ahead once every one is listed, not after each
    pause between batches: a sort of part of the list is thrown away with the next batch."""
    from curator.ui.mainwindow import browsing as browsing_module

    session, tasks, messages, _ = parts
    workspace = session.open(sample)
    entries = opening.load(sample).entries
    thumbs, _ = window_thumbnails(Tasks(1), Path(sample.parent / "cache"), network=False)
    model = ArticleModel(workspace)
    browsing = Browsing(session, model, QItemSelectionModel(model), tasks, thumbs, messages)
    browsing.loading_started()
    half = len(entries) // 2
    for part in (entries[:half], entries[half:]):
        browsing.rows_added(workspace.add_entries(part), not model.rowCount())
        qtbot.wait(browsing_module.SORT_AHEAD_MS + 100)  # a pause between batches
        browsing.listing_tasks.wait(5000)
        assert model.sort_ahead() is not None  # not sorted ahead: more rows may come
    browsing.listed()
    qtbot.waitUntil(lambda: model.sort_ahead() is None, timeout=5000)  # sorted ahead, in a worker
    assert len(workspace) == len(entries) > 1


def test_a_pool_gives_memory_back_when_its_last_running_task_ends(qtbot, monkeypatch):
    """Tasks trims the heap as a task ends with no other task running in the pool (see
    Tasks.ran): once for a slow task and a quick one that ends while it runs; never in a pool
    made with trim=False."""
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
    reads = Tasks(1, "rows", trim=False)  # (the list's reads ahead: many, each freeing little)
    reads.run(quick, lambda *_: done.append("read"))
    qtbot.waitUntil(lambda: len(done) == 3)
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


# -- the controllers that work on a selection or the site's files, each without a window --

FIRST = "_news/2019-10-29-ai-builder-2019-release-wave-2-overview.md"
SECOND = "_news/2020-09-15-announcing-the-new-solution-import-experience-with-connections-and-environment-variables.md"


def fields_of(parts, folder: Path, confirm_over: int = 10**9):
    """The open folder, Editing (asking first over `confirm_over` articles) and Edit Field…."""
    session, tasks, messages, prompts = parts
    workspace = opened(session, folder)
    editing = Editing(session, tasks, prompts, messages, lambda: confirm_over)
    return workspace, editing, FieldsController(session, editing, tasks, prompts, messages)


def test_a_large_edit_field_asks_first_like_every_batch(qtbot, parts, sample):
    prompts = parts[3]
    workspace, editing, fields = fields_of(parts, sample, confirm_over=1)
    prompts.batch = False  # the editor says no
    prompts.field = ("heat", FieldEdit(Op.SET, value=3))
    fields.edit_field([workspace.rows[FIRST], workspace.rows[SECOND]])
    qtbot.waitUntil(lambda: "batch" in prompts.kinds(), timeout=10000)
    assert editing.undo_stack.count() == 0 and not workspace.pending


def test_the_windows_own_fields_become_one_unsaved_step(qtbot, parts, sample):
    prompts = parts[3]
    workspace, editing, fields = fields_of(parts, sample)
    rows = [workspace.rows[FIRST], workspace.rows[SECOND]]
    prompts.field = ("topics", FieldEdit(Op.REPLACE, pattern=r"^Power (\w+)$", replacement=r"Microsoft Power \1"))
    fields.edit_field(rows)
    qtbot.waitUntil(lambda: editing.undo_stack.count() == 1, timeout=10000)
    assert editing.undo_stack.undoText() == "Edit topics of 2 articles"
    assert [workspace.current(r, "topics") for r in rows] == [
        ["Microsoft Power Apps", "AI Builder"],
        ["Microsoft Power Apps"],
    ]
    assert sorted(workspace.pending) == sorted(rows)  # unsaved: Save writes it, with its checks
    editing.undo_stack.undo()
    assert not workspace.pending


def test_a_value_of_the_wrong_type_for_the_windows_fields_changes_nothing(qtbot, parts, sample):
    prompts = parts[3]
    workspace, editing, fields = fields_of(parts, sample)
    prompts.field = ("published", FieldEdit(Op.SET, "yes please"))
    fields.edit_field([workspace.rows[FIRST]])
    qtbot.waitUntil(lambda: "failures" in prompts.kinds(), timeout=10000)
    assert editing.undo_stack.count() == 0 and not workspace.pending
    assert "published must be true or false" in str(prompts.asked[-1])


def test_a_selection_read_for_a_folder_left_meanwhile_asks_nothing(qtbot, parts, sample, tmp_path):
    """The helper drops the read (Session.still): no question about the last folder's articles."""
    session, tasks, _, prompts = parts
    workspace, editing, fields = fields_of(parts, sample)
    prompts.field = ("heat", FieldEdit(Op.SET, value=3))
    fields.edit_field([workspace.rows[FIRST]])
    opened(session, shutil.copytree(sample, tmp_path / "other"))  # before the read comes back
    tasks.wait(10000)
    qtbot.wait(50)
    assert prompts.asked == [] and editing.undo_stack.count() == 0


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    folder = shutil.copytree(OWN, tmp_path / "queue")
    (folder / "labels.json").unlink()
    return folder


def stories_of(qtbot, parts, folder: Path) -> tuple[Workspace, Editing, Stories]:
    session, tasks, messages, prompts = parts
    workspace = opened(session, folder)
    editing = Editing(session, tasks, prompts, messages, lambda: 10**9)
    stories = Stories(session, editing, tasks, messages)
    with qtbot.waitSignal(stories.marked, timeout=60000):
        stories.regroup()
    return workspace, editing, stories


def test_keep_this_unpublishes_the_others_as_one_undo_step(qtbot, parts, queue: Path):
    workspace, editing, stories = stories_of(qtbot, parts, queue)
    steps = editing.undo_stack.count()
    stories.keep_this(workspace.rows["story-123.md"])
    canonical = workspace.rows["story-123-canonical.md"]
    assert workspace.summary(canonical).published is False and workspace.is_dirty(canonical)
    assert not workspace.is_dirty(workspace.rows["story-123.md"])
    assert editing.undo_stack.count() == steps + 1
    assert editing.undo_stack.undoText().startswith("Keep story-123.md, unpublish 1 other")
    editing.undo_stack.undo()
    assert workspace.summary(canonical).published is True and not workspace.is_dirty(canonical)
    assert (queue / "story-123-canonical.md").read_text().count("published: true") == 1  # nothing written
    stories.close()  # (its grouping process)


def test_a_link_check_of_a_folder_left_meanwhile_ends_and_marks_nothing(qtbot, parts, tmp_path, server):  # noqa: F811
    """Another folder opens during a check: the check stops, its end is told (checked with no
    summary: the progress goes) and nothing of it reaches the new folder."""
    session = parts[0]
    folder = tmp_path / "slow"
    folder.mkdir()
    for i in range(20):
        (folder / f"a{i:02}.md").write_text(f'---\ntitle: "{i}"\noriginalUrl: "{server}/busy-ok?{i}"\n---\n')
    workspace, _, stories = stories_of(qtbot, parts, folder)
    grouped = stories.grouping.pid
    with qtbot.waitSignal(stories.checked, timeout=30000) as done:
        with qtbot.waitSignal(stories.progressed, timeout=10000):
            stories.check_links(range(len(workspace)))
        new = opened(session, shutil.copytree(folder, tmp_path / "other"))
    assert done.args == [""]
    assert stories.checks == {} and stories.found == {} and not new.table.links
    stories.link_tasks.wait(10000)
    assert gone(grouped)  # (the folder it grouped was left: its process ended)
    stories.group_tasks.wait(10000)
    stories.close()


def test_review_reads_the_diff_save_would_write_and_drops_a_late_one(qtbot, parts, sample, tmp_path):
    session, tasks, _, _ = parts
    workspace = opened(session, sample)
    review = Review(session, tasks, lambda: True)
    row = workspace.rows[SEED]
    diffs: list[tuple[int, str]] = []
    review.diff_ready.connect(lambda r, text: diffs.append((r, text)))
    review.read_diff(row)
    assert diffs == [(row, "No unsaved changes.")]  # at once: nothing to read
    workspace.set_values({SEED: {"quality": 90}})
    with qtbot.waitSignal(review.diff_ready, timeout=10000):
        review.read_diff(row)
    assert diffs[-1][0] == row and "+quality: 90" in diffs[-1][1] and "-quality: 24" in diffs[-1][1]
    review.read_diff(row)
    opened(session, shutil.copytree(sample, tmp_path / "other"))  # before the diff comes back
    tasks.wait(10000)
    qtbot.wait(50)
    assert len(diffs) == 2


def test_a_saved_view_is_written_and_a_failed_write_is_said_and_read_back(qtbot, parts, sample, monkeypatch):
    session, tasks, messages, prompts = parts
    opened(session, sample)
    said: list[tuple] = []
    messages.posted.connect(lambda level, text, detail, timeout: said.append((level, text, detail)))
    controller = ViewsController(session, tasks, prompts, messages)
    controller.loaded()
    prompts.topic = "Live"
    assert controller.save_current("published:yes", "-quality", "table")
    config = sample / ".curator.yml"
    qtbot.waitUntil(lambda: config.exists() and "Live" in config.read_text(encoding="utf-8"), timeout=5000)
    qtbot.waitUntil(lambda: any("Saved the view" in s[1] for s in said), timeout=5000)
    assert [v.name for v in controller.views.views] == ["Live"]

    def refused(edit):
        raise PermissionError("read-only")

    monkeypatch.setattr(ByteEdit, "write", refused)
    prompts.topic = "Other"
    assert controller.save_current("published:no", "-quality", "table")
    assert [v.name for v in controller.views.views] == ["Live", "Other"]  # shown at once...
    qtbot.waitUntil(lambda: any(s[1] == "Writing the views failed" for s in said), timeout=5000)
    assert "read-only" in said[-1][2]
    assert [v.name for v in controller.views.views] == ["Live"]  # ...and read back from the file


def test_saved_views_are_counted_a_piece_of_rows_at_a_time_and_again_when_the_rows_change(
    qtbot, parts, sample, monkeypatch
):
    """A large folder's views are counted a few rows per turn of the event loop (no pass over
    every row of every view at once on the GUI thread), equal to a whole count; an edit while
    they are counted has them counted from the start."""
    import dataclasses

    from curator.ui.mainwindow import views as views_module

    monkeypatch.setattr(views_module, "COUNT_PIECE", 4)
    session, tasks, messages, prompts = parts
    workspace = opened(session, sample)
    (sample / ".curator.yml").write_text(
        "views:\n  - Queue | -quality | table | published:no\n  - Broken | quality:>=x\n"
        "  - Apps | -quality | table | apps -portals\n",
        encoding="utf-8",
    )
    controller = ViewsController(session, tasks, prompts, messages)
    listed: list[list] = []
    controller.listed.connect(listed.append)
    table = workspace.table
    controller.loaded()
    assert not listed  # (under way: a piece per turn)
    qtbot.waitUntil(lambda: bool(listed), timeout=5000)
    whole = {name: len(table.select(query)) for name, query in [("Queue", "published:no"), ("Apps", "apps -portals")]}
    assert [(name, n) for name, n, _, _ in listed[-1]] == [("Queue", whole["Queue"]), ("Broken", None),
                                                            ("Apps", whole["Apps"])]  # fmt: skip
    assert listed[-1][1][2]  # (the broken one's error)
    controller.count()
    row = next(r for r in range(len(table)) if not table.summaries[r].published)
    table.replace(row, dataclasses.replace(table.summaries[row], published=True))  # while it counts
    qtbot.waitUntil(lambda: len(listed) == 2, timeout=5000)
    assert listed[-1][0][1] == whole["Queue"] - 1


def topics_parts(parts, sample):
    """The sample opened, its list model, Browsing and a TopicsController over them."""
    session, tasks, messages, prompts = parts
    workspace = opened(session, sample)
    thumbs, _ = window_thumbnails(Tasks(1), Path(sample.parent / "cache"), network=False)
    model = ArticleModel(workspace)
    browsing = Browsing(session, model, QItemSelectionModel(model), tasks, thumbs, messages)
    editing = Editing(session, tasks, prompts, messages, lambda: 10**9)
    return workspace, model, browsing, TopicsController(session, editing, browsing, tasks, prompts, messages)


def test_topics_suggested_for_the_one_article_selected(qtbot, parts, sample):
    workspace, model, browsing, controller = topics_parts(parts, sample)
    suggested: list[list[str]] = []
    controller.suggested.connect(suggested.append)
    controller.reread()
    qtbot.waitUntil(lambda: bool(controller.site.topics), timeout=10000)
    model.reset_rows()
    with qtbot.waitSignal(browsing.details_ready, timeout=10000) as read:
        browsing.select_path(SEED)
    row = workspace.rows[SEED]
    assert suggested[-2:] == [controller.suggestions(row), controller.suggestions(row, read.args[1].body)]
    assert suggested[-1]  # the sample's taxonomy suggests something for it
    browsing.selection.clear()
    assert suggested[-1] == []  # none without one article selected


def test_a_new_site_gets_a_new_suggester_whatever_its_address(qtbot, parts, sample, monkeypatch):
    """The suggester is made again for the site's topics as read, even when the new site object
    lies where the empty one of the open's first moments was freed (every id() alike here): its
    id() as the key kept the empty site's suggester, and nothing was suggested (a full test run
    met it)."""
    from curator.core.site import topics
    from curator.ui.mainwindow import topics as topics_controller

    monkeypatch.setattr(topics_controller, "id", lambda _: 1, raising=False)  # (no effect if unused)
    workspace, _model, _browsing, controller = topics_parts(parts, sample)
    row = workspace.rows[SEED]
    site = topics.SiteTopics.read(sample)
    named = " ".join(t.name for t in site.active()[:3])  # a body that names topics of the site's
    assert named and controller.suggestions(row, named) == []  # the empty site's, before they are read
    controller.loaded(site)
    assert controller.suggestions(row, named)  # the site's, as read


def test_the_empty_state_button_asks_through_its_signals(qtbot):
    empty = EmptyState()
    qtbot.addWidget(empty)
    asked: list[str] = []
    empty.open_requested.connect(lambda: asked.append("open"))
    empty.clear_requested.connect(lambda: asked.append("clear"))
    assert empty.show_for("", False, 0, 0, "")
    empty.button.click()
    assert empty.show_for("/some/folder", False, 5, 0, "nothing")
    empty.button.click()
    assert asked == ["open", "clear"]
