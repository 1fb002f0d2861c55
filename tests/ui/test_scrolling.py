"""A fast scroll through a list read from the index (a warm open): the rows painted are the
articles' own, read ahead in a worker or by the paint itself, never another row's or a value
from before an edit; and the model gives every row's summary as it is."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from curator.core.folder import opening
from curator.core.folder import rows as rows_module
from curator.ui import model as model_module
from curator.ui.delegate import CardDelegate
from curator.ui.listarea import ViewMode
from curator.ui.model import Role
from tests.ui.conftest import open_folder


def _site(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        topics = "".join(f"\n  - t{(i + k) % 7}" for k in range(i % 3))
        (folder / f"{i:04}.md").write_text(
            f"---\ntitle: Article {i}\nexcerpt: About {i * 7 % 101}\nquality: {i % 50}\n"
            f"date: 2024-{1 + i % 12:02}-{1 + i % 28:02}T{i % 24:02}:00:00Z\ntopics:{topics or ' []'}\n---\nBody\n"
        )


@pytest.fixture
def warm(qtbot, window, tmp_path, monkeypatch):
    """The window on a folder of 400 articles opened a second time (from its index: rows
    without their summaries), with few summaries kept, so rows go and come back as it scrolls."""
    monkeypatch.setattr(rows_module, "KEEP", 48)
    folder = tmp_path / "site"
    _site(folder, 400)
    open_folder(qtbot, window, folder)  # cold: makes the index
    open_folder(qtbot, window, folder)  # warm
    truth = {e.summary.path: e.summary for e in opening.load(folder).entries}
    summaries = window.workspace.table.summaries
    assert summaries.fetch is not None and len(summaries.missing(range(400))) > 300
    return truth


def test_a_fast_scroll_paints_each_row_as_its_file_says(qtbot, window, warm, monkeypatch):
    truth, model, workspace = warm, window.model, window.workspace
    painted: list[tuple[str, object]] = []  # (the row's path, the summary its card painted)

    class Recording(CardDelegate):
        def paint(self, painter, option, index):
            painted.append((workspace.path(model.order[index.row()]), index.data(Role.CARD).summary))
            super().paint(painter, option, index)

    window.set_view(ViewMode.CARDS)
    window.cards.setItemDelegate(Recording(window.cards))
    put: list[int] = []
    fill = rows_module.Summaries.fill
    monkeypatch.setattr(rows_module.Summaries, "fill", lambda self, rows, s: put.append(fill(self, rows, s)) or put[-1])
    middle = model.order[200]
    workspace.set_values({workspace.path(middle): {"quality": 4242}})  # an unsaved edit on the way
    truth[workspace.path(middle)] = workspace.summary(middle)
    bar = window.cards.verticalScrollBar()
    rnd = random.Random(33)
    step = max(1, bar.maximum() // 40)
    values = [i * step for i in range(41)] + [bar.maximum() - i * step for i in range(41)]
    values += [rnd.randint(0, bar.maximum()) for _ in range(20)]  # and jumps
    for value in values:
        bar.setValue(value)
        qtbot.wait(2)
    window.row_reads.wait(10000)
    qtbot.wait(20)
    assert len({path for path, _ in painted}) > 200  # most rows were painted
    assert all(s.path == path and s == truth[path] for path, s in painted)  # each its own, as it is
    assert any(s.quality == 4242 for _, s in painted)
    assert sum(put) > 0  # rows were read ahead, and shown
    shown = [model.index(pos, 0).data(Role.SUMMARY) for pos in range(model.rowCount())]
    assert shown == [truth[workspace.path(r)] for r in model.order]


def test_rows_read_ahead_from_before_an_edit_are_not_shown(qtbot, window, warm, monkeypatch):
    monkeypatch.setattr(rows_module, "KEEP", 1000)  # (what is read ahead stays)
    truth, model, workspace = warm, window.model, window.workspace
    summaries = workspace.table.summaries
    fetch, gate = summaries.fetch, threading.Event()

    def held(paths):  # the worker's read waits; a paint's does not
        if threading.current_thread() is not threading.main_thread():
            gate.wait(10)
        return fetch(paths)

    monkeypatch.setattr(summaries, "fetch", held)
    model.read_ahead(150)  # the rows shown around position 150
    rows = [model.order[p] for p in (150, 160, 200)]
    edited = rows[1]
    assert all(summaries.peek(r) is None for r in rows)
    workspace.set_values({workspace.path(edited): {"quality": 4242}})  # while the read runs: what it read is old
    gate.set()
    window.row_reads.wait(10000)
    qtbot.wait(20)
    assert workspace.summary(edited).quality == 4242 and model.index(160, 0).data(Role.SUMMARY).quality == 4242
    assert all(summaries.peek(r) is None for r in rows if r != edited)  # the read was dropped, not put
    model.read_ahead(150)  # read again, from the table as it is now: put
    window.row_reads.wait(10000)
    qtbot.wait(20)
    assert all(summaries.peek(r) == truth[workspace.path(r)] for r in rows if r != edited)
    assert model.index(160, 0).data(Role.SUMMARY).quality == 4242


def test_a_scroll_at_a_pace_finds_the_rows_it_lands_on_read(qtbot, window, warm, monkeypatch):
    monkeypatch.setattr(rows_module, "KEEP", 1000)  # (what is read ahead stays)
    model, summaries = window.model, window.workspace.table.summaries
    painted: list[list[str]] = []  # what this thread read itself
    fetch = summaries.fetch

    def spied(paths):
        if threading.current_thread() is threading.main_thread():
            painted.append(list(paths))
        return fetch(paths)

    monkeypatch.setattr(summaries, "fetch", spied)
    model.index(0, 0).data(Role.CARD)
    window.row_reads.wait(10000)
    qtbot.wait(20)
    model.index(110, 0).data(Role.CARD)  # a step of 110 rows: the next two steps' rows are read ahead
    window.row_reads.wait(10000)
    qtbot.wait(20)
    assert all(summaries.peek(model.order[p]) is not None for p in (220, 220 + model_module.SCREEN - 1, 330, 340))
    painted.clear()
    for pos in (220, 225, 330):
        assert model.index(pos, 0).data(Role.CARD).summary.path == window.workspace.path(model.order[pos])
    assert painted == []  # what the paints needed was there
