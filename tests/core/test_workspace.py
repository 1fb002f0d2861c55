"""The open folder without widgets: edits, undo bookkeeping, and batch saves (also in worker processes)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from curator.core import gently
from curator.core.document.writes import Status
from curator.core.folder import library, opening, saving, workspace
from curator.core.folder.index import Index
from curator.core.folder.workspace import SaveJob, Workspace, save_batch
from curator.core.site.article import Summary

TEXT = "---\ntitle: Article {i}\nquality: {i}\npublished: false\ntopics:\n  - AI\n---\nBody {i}\n"


def open_workspace(root: Path) -> Workspace:
    ws = Workspace(root)
    loaded = opening.load(root)
    ws.add_entries(loaded.entries)
    return ws


def make(root: Path, n: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"{i:04}.md").write_text(TEXT.format(i=i))


def test_set_values_back_to_saved_leaves_nothing_to_save(tmp_path):
    make(tmp_path, 3)
    ws = open_workspace(tmp_path)
    ws.set_values({"0000.md": {"published": True, "topics": ["AI", "X"]}})
    assert ws.dirty_rows() == [ws.rows["0000.md"]]
    assert ws.summary(ws.rows["0000.md"]).topics == ("AI", "X")
    ws.set_values({"0000.md": {"published": False, "topics": ["AI"]}})
    assert ws.dirty_rows() == [] and not ws.saved


def test_batch_save_in_worker_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(saving, "PARALLEL_SAVE", 50)
    make(tmp_path, 120)
    ws = open_workspace(tmp_path)
    ws.set_values({f"{i:04}.md": {"published": True} for i in range(120)})
    (tmp_path / "0007.md").write_text(TEXT.format(i=7).replace("Body", "Changed"))  # someone else
    (tmp_path / "0008.md").unlink()
    index = Index(tmp_path, tmp_path / "cache")
    done, collector = [], []
    results = save_batch(
        ws.save_jobs(), index=index, progress=lambda n: (done.append(n), collector.append(gc.isenabled()))
    )
    assert collector and not any(collector) and gc.isenabled()  # paused while saving (see save_batch), then back
    statuses = {s.job.path: s.result.status for s in results}
    assert statuses.pop("0007.md") is Status.CONFLICT
    assert statuses.pop("0008.md") is Status.ERROR
    assert set(statuses.values()) == {Status.OK} and done[-1] == 120
    for i in (0, 50, 119):
        assert (tmp_path / f"{i:04}.md").read_text() == TEXT.format(i=i).replace("false", "true")
    assert "published: false" in (tmp_path / "0007.md").read_text()
    for saved in results:
        if saved.result.ok:
            ws.saved_ok(saved.job.path, saved.result, saved.summary, saved.job.changes)
    assert ws.dirty_rows() == sorted(ws.rows[p] for p in ("0007.md", "0008.md"))
    assert len(index.known()) == 118


def test_cancel_stops_between_files(tmp_path, monkeypatch):
    monkeypatch.setattr(saving, "COMMIT_CHUNK", 2)
    make(tmp_path, 10)
    ws = open_workspace(tmp_path)
    ws.set_values({f"{i:04}.md": {"quality": 99} for i in range(10)})
    done = []
    results = save_batch(ws.save_jobs(), progress=done.append, cancelled=lambda: len(done) >= 2)
    assert len(results) == 4
    changed = [p for p in sorted(tmp_path.glob("*.md")) if "quality: 99" in p.read_text()]
    assert len(changed) == 4
    assert [p.name for p in changed] == ["0000.md", "0001.md", "0002.md", "0003.md"]  # in order, the rest untouched


def test_batch_carries_on_past_failures(tmp_path):
    good = tmp_path / "good.md"
    good.write_bytes(b"---\ntitle: A\nquality: 3\npublished: false\n---\nbody\n")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\n: [\n---\n")
    jobs = [
        SaveJob(p.name, str(p), {"published": True}, None, Summary(p.name)) for p in (bad, tmp_path / "gone.md", good)
    ]
    results = [saved.result for saved in save_batch(jobs)]
    assert [r.status for r in results] == [Status.ERROR, Status.ERROR, Status.OK]
    assert "deleted" in results[1].message
    assert b"published: true" in good.read_bytes()


def test_with_changes_copies_and_leaves_the_original():
    from curator.core.folder.edits import with_changes

    base = Summary("a.md", title="A", topics=("X",), quality=3, published=False, warnings=((2, "w"),))
    edited = with_changes(base, {"topics": ["X", "Y"], "quality": 9, "published": True, "title": "ignored"})
    assert (edited.topics, edited.quality, edited.published, edited.title) == (("X", "Y"), 9, True, "A")
    assert (base.topics, base.quality, base.published) == (("X",), 3, False)
    assert edited.warnings == base.warnings and edited.path == "a.md"
    assert with_changes(base, {}) is base


def test_release_empties_a_replaced_workspace_a_piece_at_a_time(tmp_path):
    make(tmp_path, 60)
    ws = open_workspace(tmp_path)
    ws.set_values({"0001.md": {"published": True}})
    ws.table.sort(list(range(len(ws))), "title", False)  # builds a lazy column too
    ws.release(piece=7)
    assert len(ws) == 0 and not ws.rows and not ws.pending and not ws.saved and not ws.snapshots
    assert all(not container for container in ws.table.containers())


@pytest.mark.parametrize("pause", [0.0, 0.0005])
def test_empty_gently_takes_lists_dicts_and_sets(pause):
    items = [list(range(100)), dict.fromkeys(range(100)), set(range(100)), "left alone"]
    gently.empty_gently(items, piece=9, pause=pause)
    assert items == [[], {}, set(), "left alone"]


def test_save_results_name_files_by_absolute_path_and_find_their_rows(tmp_path):
    from curator.core.folder.opening import load

    (tmp_path / "sub").mkdir()
    for name in ("a.md", "sub/b.md"):
        (tmp_path / name).write_text("---\ntitle: x\n---\n")
    ws = Workspace(tmp_path)
    ws.add_entries(load(tmp_path).entries)
    paths = [str(tmp_path / "sub" / "b.md"), str(tmp_path / "a.md"), "/elsewhere/c.md"]
    assert [ws.path(r) for r in ws.rows_of(paths)] == ["sub/b.md", "a.md"]


def test_a_file_listed_by_the_skim_but_broken_past_the_list_fields_is_never_written(tmp_path):
    """Published before the background check reached it: the save parses the file whole and refuses."""
    broken = tmp_path / "broken.md"
    text = b"---\ntitle: A\npublished: false\nrelated:\n  - a\n - b\n---\nbody\n"
    broken.write_bytes(text)
    entry = library.load_one(str(tmp_path), "broken.md", skim=True)
    assert isinstance(entry, library.Entry)  # listed from the fields the list reads
    ws = Workspace(tmp_path)
    ws.add_entries([entry])
    ws.set_values({"broken.md": {"published": True}})
    (saved,) = save_batch(ws.save_jobs())
    assert saved.result.status is Status.ERROR and "line 6" in saved.result.message
    assert broken.read_bytes() == text


def test_background_work_waits_for_the_whole_of_a_long_busy_block():
    """busy_while: busy for as long as the block runs (a sort of a million rows outlasts BUSY_S),
    nested blocks too, and BUSY_S after the outer one ends."""
    import threading
    import time

    gently.busy_for(-1)
    waited: list[float] = []

    def worker() -> None:
        started = time.monotonic()
        gently.back_off(longest=5)
        waited.append(time.monotonic() - started)

    with gently.busy_while(after=0.05):
        thread = threading.Thread(target=worker)
        thread.start()
        with gently.busy_while(after=0.05):
            time.sleep(gently.BUSY_S + 0.1)
        assert gently.busy()  # (the outer block still runs)
        time.sleep(0.1)
    thread.join()
    assert waited and gently.BUSY_S + 0.2 <= waited[0] < 2
    time.sleep(0.06)
    assert not gently.busy()


def test_background_work_backs_off_while_the_gui_is_busy(monkeypatch, tmp_path):
    """back_off sleeps while the GUI thread said it is busy (busy_for), never past `longest`,
    and not at all otherwise; the facet count, the topic tally, the sort made ahead, the reads
    of a whole folder (`field:` values, the keys for columns) and the release of a folder
    (empty_gently with a pause) call it between pieces."""
    import time

    from curator.core.folder import fields, table
    from curator.core.site import topics

    gently.busy_for(-1)
    started = time.monotonic()
    gently.back_off()
    assert time.monotonic() - started < 0.05 and not gently.busy()
    gently.busy_for(0.2)
    assert gently.busy()
    gently.back_off()
    assert 0.15 <= time.monotonic() - started < 1.5 and not gently.busy()
    gently.busy_for(30)
    gently.back_off(longest=0.1)
    assert time.monotonic() - started < 2 and gently.busy()
    gently.busy_for(-1)

    calls: list[int] = []
    monkeypatch.setattr(table, "back_off", lambda: calls.append(1))
    monkeypatch.setattr(topics, "back_off", lambda: calls.append(2))
    rows = [Summary(f"{i}.md", topics=("a",)) for i in range(1000)]
    table.count_facets(table.FacetView.of(rows), range(1000), piece=256)
    assert calls == [1] * 4  # a piece each
    calls.clear()
    topics.tally([s.topics for s in rows])
    assert calls == [2] * len(range(0, 1000, topics.TALLY_PIECE))
    calls.clear()
    column = [float(i % 7) for i in range(1000)]
    assert table.sort_numbers_gently(column, False, piece=256) == table.sort_numbers(column, list(range(1000)), False)
    assert calls == [1] * (4 + 2)  # the sort made ahead: a piece each, then the merge a block at a time (and its end)
    calls.clear()

    monkeypatch.setattr(fields, "back_off", lambda: calls.append(4))
    for i in range(130):
        (tmp_path / f"{i}.md").write_text(f"---\ntitle: T{i}\nkind: k{i % 2}\n---\n")
    names = [f"{i}.md" for i in range(130)]
    assert len(fields.values_of(tmp_path, names, ["kind"])["kind"]) == 130
    assert calls == [4] * 2  # every GENTLY files
    calls.clear()
    list(fields.iter_read(tmp_path, names))  # (a selection read to edit: at once)
    assert calls == []

    monkeypatch.setattr(gently, "back_off", lambda: calls.append(3))
    items, index = list(range(10)), dict.fromkeys(range(10))
    gently.empty_gently([items, index], piece=4)  # (no pause: it runs where it must not wait)
    assert calls == [] and not items and not index
    items, index = list(range(10)), dict.fromkeys(range(10))
    gently.empty_gently([items, index], piece=4, pause=0.001)  # a worker's release of a folder
    assert calls == [3] * 6 and not items and not index


def test_a_change_report_tells_what_others_changed_not_the_files_the_caller_wrote():
    report = workspace.ChangeReport(reloaded=[1, 2, 3], rebased=[4], added=range(10, 12))
    assert report.describe() == "3 reloaded, 2 new, 1 with unsaved edits reloaded, the edits kept"
    report.ours = frozenset({1, 2, 4})
    assert report.describe() == "1 reloaded, 2 new"
    report.added = range(0)
    report.ours = frozenset({1, 2, 3})
    assert report and report.describe() == "1 with unsaved edits reloaded, the edits kept"
    report.ours = frozenset({1, 2, 3, 4})
    assert report and report.describe() == ""  # (the rows are shown anew all the same)
