"""The browser on real files: loading, model, search, facets, preview, empty states."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from curator.core.folder import listing as listing_module
from curator.core.folder.listing import Positions
from curator.core.site.article import Summary, read_details
from curator.ui.delegate import CARD_HEIGHT
from curator.ui.mainwindow.actions import Action
from curator.ui.model import COLUMNS, Role
from tests.conftest import ROOT
from tests.ui.conftest import open_folder


def test_opens_the_sample_and_passes_the_model_tester(qtbot, qtmodeltester, window, sample):
    open_folder(qtbot, window, sample)
    assert window.model.rowCount() == 31
    qtmodeltester.check(window.model)
    assert window.windowTitle().startswith("sample")
    assert window.counts_label.text() == "31 shown / 31 articles"
    assert window.stack.currentWidget() is window.cards
    # the cards are the first column only, also after the resets of an open
    assert [window.cards.isColumnHidden(c) for c in range(len(COLUMNS))] == [False] + [True] * (len(COLUMNS) - 1)
    assert window.cards.rowHeight(0) == CARD_HEIGHT
    assert window.cards.columnWidth(0) >= window.cards.viewport().width() - 2
    # sorted by date, newest first, and the first article is current and previewed
    dates = [window.model.index(i, 0).data(Role.SUMMARY).date for i in range(window.model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert window.preview.summary is window.model.index(0, 0).data(Role.SUMMARY)
    # a card reads all it paints in one call: the same values as the roles one by one
    window.request_edit("quality", "set", 5, rows=[window.model.index(2, 0).data(Role.ROW)])
    for i in range(window.model.rowCount()):
        index = window.model.index(i, 0)
        card = index.data(Role.CARD)
        roles = (Role.SUMMARY, Role.DIRTY, Role.CHANGED_ON_DISK, Role.THUMBNAIL, Role.IMAGE_FAILED, Role.LOGO, Role.GIT)
        alone = [index.data(role) for role in roles]
        assert [card.summary, card.dirty, card.changed_on_disk, card.git] == [alone[0], alone[1], alone[2], alone[6]]
        assert (card.thumbnail is None) == (alone[3] is None) and (card.logo is None) == (alone[5] is None)
        assert card.image_failed == (alone[4] and alone[3] is None)
    assert window.model.index(2, 0).data(Role.CARD).dirty and not window.model.index(1, 0).data(Role.CARD).dirty


def test_big_folder_shows_first_rows_and_reports_problems(qtbot, window, corpus_copy):
    (corpus_copy / "_news" / "broken.md").write_text('---\ntitle: "open\n---\n')
    (corpus_copy / "_news" / "typed.md").write_text('---\ntitle: typed\nquality: "high"\n---\n')
    # what the list reads is fine, what it skips is not: listed at first, named once checked
    (corpus_copy / "_news" / "skipped.md").write_text("---\ntitle: skipped\nrelated:\n  - a\n - b\n---\n")
    first_rows, checking, listed = [], [], []
    window.model.rowsInserted.connect(lambda *a: first_rows.append(window.model.rowCount()))
    window.loader.checking.connect(checking.append)
    window.loader.checking.connect(lambda _: listed.extend(window.workspace.rows))
    open_folder(qtbot, window, corpus_copy)
    assert first_rows and first_rows[0] < window.model.rowCount()  # rows came in batches
    assert checking == [761] and "_news/skipped.md" in listed  # all read (broken.md too), then checked
    assert len(window.workspace) == 759  # 758 articles and typed.md; _data/ is the site's data
    assert "_news/skipped.md" not in window.workspace.rows and window.model.rowCount() == 759
    paths = {p.path: p for p in window.problems.problems}
    assert paths["_data/"].severity == "excluded"  # named in the Problems panel, not a silent gap
    assert paths["_news/broken.md"].severity == "error"
    assert paths["_news/skipped.md"].severity == "error" and paths["_news/skipped.md"].line == 5
    assert paths["_news/typed.md"].line == 3
    assert window.problems_button.isVisible() and "2 unreadable" in window.problems_button.text()


def test_search_filters_live_and_shows_errors_inline(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    window.search.setText("published:no")
    qtbot.waitUntil(lambda: window.model.rowCount() == 13)
    assert window.counts_label.text() == "13 shown / 31 articles"
    window.search.setText("quality:>=banana")
    qtbot.waitUntil(lambda: "not a number" in window.search_error.text())
    assert window.model.rowCount() == 13  # the last good filter stays
    window.search.setText("nothing-matches-this")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.stack.currentWidget() is window.empty
    assert window.empty.title.text() == "No articles match the search"
    window.empty.button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() == 31)


def test_facet_click_adds_a_term_and_counts_follow(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    qtbot.waitUntil(lambda: window.facets.group("published").childCount() > 0)
    published = window.facets.group("published")
    no = next(published.child(i) for i in range(published.childCount()) if published.child(i).text(0).startswith("no"))
    window.facets.itemClicked.emit(no, 0)
    assert window.search.text() == "published:no"
    assert window.model.rowCount() == 13

    def texts():
        return [published.child(i).text(0) for i in range(published.childCount())]

    # the counts follow the search; the values stay where they were clicked ("yes" now none, greyed)
    qtbot.waitUntil(lambda: texts() == ["yes  (0)", "no  (13)"] or texts() == ["no  (13)", "yes  (0)"])
    yes = next(published.child(i) for i in range(published.childCount()) if published.child(i).text(0)[0] == "y")
    assert not yes.flags() & Qt.ItemFlag.ItemIsEnabled
    window.search.setText("published:yes")  # not a click in the panel: the values are listed afresh
    window.apply_search()
    qtbot.waitUntil(lambda: len(texts()) == 1 and texts()[0].startswith("yes"))


@pytest.mark.parametrize("meanwhile", ["rows removed", "a row edited"])
def test_facet_counts_read_the_live_table_and_count_again_when_it_changed_under_them(
    qtbot, window, sample, monkeypatch, meanwhile
):
    """The worker reads the table's own columns (no copies on the GUI thread): rows removed
    under it drop its counts, any change meanwhile has them counted again."""
    from curator.ui.mainwindow import browsing as browsing_module

    open_folder(qtbot, window, sample)
    qtbot.waitUntil(lambda: window.facets.group("published").childCount() > 0)
    table, real, calls, counted = window.workspace.table, browsing_module.count_facets, [], []

    def count_facets(view, rows, *args, **kwargs):
        calls.append(len(rows))
        assert view.paths is table.paths and view.facets is table.facets  # (not copies)
        if len(calls) == 1 and meanwhile == "rows removed":
            raise IndexError("list index out of range")
        counts = real(view, rows, *args, **kwargs)
        if len(calls) == 1:
            table.version += 1  # (as an edit on the GUI thread while the worker counted)
        return counts

    monkeypatch.setattr(browsing_module, "count_facets", count_facets)
    window.browsing.facets_counted.connect(counted.append)
    window.browsing.count_facets()
    qtbot.waitUntil(lambda: len(calls) == 2 and len(counted) == (1 if meanwhile == "rows removed" else 2), timeout=5000)
    qtbot.wait(FACET_SETTLE_MS)
    assert len(calls) == 2  # (counted again once, then the table stayed)
    yes_no = counted[-1]["published"]
    assert yes_no["yes"] + yes_no["no"] == len(table) and yes_no["no"] == 13


FACET_SETTLE_MS = 600


def test_typing_on_narrows_to_the_same_rows_as_a_fresh_search(qtbot, window, corpus_copy):
    """Each keystroke searches only the last matches; the rows must equal a search of everything."""
    open_folder(qtbot, window, corpus_copy)
    model, table = window.model, window.workspace.table
    for field, descending in (("date", True), ("title", False), ("quality", True)):
        model.set_sort(field, descending)
        everything = model.sorted_rows()
        for text in ("p", "po", "pow", "powe", "power", "power a", "power ap", "power", "pow", "", "-p", "-po x"):
            model.set_query(text)
            expected = table.select(text, everything)
            assert model.order == expected, (field, text)
            assert len(expected) > 0 or text == "-po x"
            positions = model.positions()  # row -> shown position follows every search
            assert [positions.get(r) for r in range(len(table))] == [
                model.order.index(r) if r in expected else None for r in range(len(table))
            ]


def test_positions_map_rows_to_where_they_are_shown():
    positions = Positions([3, 0, 2], 4)
    assert [positions.get(r) for r in (-1, 0, 1, 2, 3, 4)] == [None, 1, None, 2, 0, None]
    assert 3 in positions and 1 not in positions and "3" not in positions
    assert positions[2] == 2
    with pytest.raises(KeyError):
        positions[1]
    positions.place([6, 1], 3)  # appended rows, beyond the rows it was made for
    assert [positions.get(r) for r in range(8)] == [1, 4, 2, 0, None, None, 3, None]


def earlier(s: Summary) -> Summary:
    """The article a day earlier than it says (or dated, when it has no date)."""
    date = s.date - dt.timedelta(days=1) if s.date else dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return dataclasses.replace(s, date=date)


def test_a_sort_made_in_a_worker_is_the_lists_order_while_the_table_stays(qtbot, window, sample, monkeypatch):
    """The end of a load lists the rows in the order sorted ahead in a worker (the GUI thread
    does not sort them again), unless the table or the sort changed meanwhile."""
    open_folder(qtbot, window, sample)
    model, table = window.model, window.model.table
    model.sorted_rows()
    table.replace(0, dataclasses.replace(table.summaries[0], published=not table.summaries[0].published))
    assert model.sort_ahead() is None  # another column changed: the sort by date stays good
    table.replace(0, earlier(table.summaries[0]))  # the sorted column changed
    expected = table.sort(list(range(len(table))), "date", True)
    key, sort = model.sort_ahead()
    order, positions = sort()
    assert order == expected and [positions[r] for r in order] == list(range(len(order)))
    model.sorted_ahead(key, (order, positions))
    assert model.sort_ahead() is None  # made already

    def no_sort(*args):
        raise AssertionError("sorted again in the GUI thread")

    monkeypatch.setattr(table, "sort", no_sort)
    monkeypatch.setattr("curator.ui.model.Positions.place", no_sort)  # nor are the positions made again
    model.reset_rows()
    assert model.sorted_rows() is order and model.order == order
    assert model.positions() is not positions and model.positions().get(order[-1]) == len(order) - 1
    monkeypatch.undo()

    table.replace(0, earlier(table.summaries[0]))
    key, sort = model.sort_ahead()
    table.replace(order[-1], Summary(table.summaries[order[-1]].path))  # no date now: last
    model.sorted_ahead(key, sort())  # too late: the table changed
    assert model.positions().get(model.order[0]) == 0
    assert model.sorted_rows() == table.sort(list(range(len(table))), "date", True)
    model.set_sort("title", False)
    assert model.sort_ahead() is None  # titles need the lazy columns: sorted in the GUI thread


def test_table_view_sorts_in_the_model(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    window.action_map[Action.TABLE].trigger()
    assert window.stack.currentWidget() is window.table
    window.table.sortByColumn(3, window.table.horizontalHeader().sortIndicatorOrder().AscendingOrder)
    qualities = [window.model.index(i, 0).data(Role.SUMMARY).quality for i in range(window.model.rowCount())]
    known = [q for q in qualities if q is not None]
    assert known == sorted(known) and qualities[: len(known)] == known


def test_empty_states(qtbot, window, tmp_path):
    assert window.empty.title.text() == "No folder open"
    # nothing to reload, nothing selected to publish or tag: those buttons start greyed out
    for action in (
        window.action_map[Action.RELOAD],
        window.action_map[Action.PUBLISH],
        window.action_map[Action.UNPUBLISH],
        window.action_map[Action.ADD_TOPIC],
    ):
        assert not action.isEnabled(), action.text()
    assert window.action_map[Action.OPEN].isEnabled()
    assert (
        not window.action_map[Action.UNDO].isEnabled() and not window.action_map[Action.REDO].isEnabled()
    )  # (the undo stack's own state)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("# just notes\n")
    open_folder(qtbot, window, empty)
    assert window.empty.title.text() == "No articles in this folder"
    assert window.action_map[Action.RELOAD].isEnabled() and not window.action_map[Action.PUBLISH].isEnabled()
    assert not window.action_map[Action.UNDO].isEnabled() and not window.action_map[Action.REDO].isEnabled()


def test_preview_never_renders_untrusted_markup(qtbot, window, tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\n"
        "title: \"<b>bold</b><img src='http://127.0.0.1:9/x.png'>\"\n"
        'excerpt: "<script>alert(1)</script>"\n'
        'webUrl: "javascript:alert(1)"\n'
        "featuredContent: \"<iframe src='http://127.0.0.1:9/'></iframe>\"\n"
        "---\n"
        "Body with <img src='file:///etc/passwd'> and [link](http://example.com) and ![x](file:///etc/hosts)\n"
    )
    open_folder(qtbot, window, folder)
    qtbot.waitUntil(lambda: window.preview.details is not None)
    text = window.preview.toPlainText()
    assert "<b>bold</b>" in text and "<script>alert(1)</script>" in text
    assert "<iframe src=" in text  # featured content shown as source
    html = window.preview.toHtml()
    assert 'href="javascript' not in html and "href='javascript" not in html  # shown, not linked
    assert window.preview.loadResource(2, QUrl("file:///etc/hosts")) is None
    assert window.preview.loadResource(2, QUrl("http://127.0.0.1:9/x.png")) is None
    details = read_details(str(folder / "a.md"), "a.md")
    assert details.body.startswith("Body with")


def test_no_display_message_instead_of_qt_abort():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    out = subprocess.run(
        [sys.executable, "-m", "curator"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 2
    assert "no display" in out.stderr and "curator list" in out.stderr and "xvfb-run" in out.stderr


def test_screenshot_command_writes_a_picture(tmp_path: Path, sample):
    out = tmp_path / "shot.png"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path),
    }
    run = subprocess.run(
        [sys.executable, "-m", "curator", "--no-network", "--screenshot", str(out), str(sample)],
        env=env, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 10000


def test_reopen_shows_the_index_then_catches_up_with_the_disk(qtbot, window, sample):
    open_folder(qtbot, window, sample)  # cold: parses and indexes
    seed = sample / "_news" / "000_0f6bed355ea43c67.txt"
    seed.write_text(seed.read_text().replace("quality: 24", "quality: 31"))
    (sample / "_news" / "added.md").write_text("---\ntitle: Added while away\n---\n")
    gone = next(p for p in sorted((sample / "_news").glob("2*.md")))
    gone.unlink()
    open_folder(qtbot, window, sample)  # warm: index first, then the differences
    stored = list.__iter__(window.workspace.table.summaries)
    assert all(type(s) is Summary for s in stored)  # records read ahead were all decoded by the end
    rows = window.workspace.rows
    assert window.workspace.summary(rows["_news/000_0f6bed355ea43c67.txt"]).quality == 31
    assert "_news/added.md" in rows and f"_news/{gone.name}" not in rows
    assert window.model.rowCount() == 31


def test_a_warm_open_starts_the_search_index_once_every_row_is_listed_not_after_the_check(qtbot, window, sample):
    """At 1,000,000 articles the check against the disk took 26 s after the list was shown; the
    gram index caught up only after it, and the searches typed meanwhile scanned every row."""
    open_folder(qtbot, window, sample)  # cold: parses and indexes
    qtbot.waitUntil(lambda: window.model.listing.grams_ready(), timeout=30000)
    events = []
    window.loader.listed.connect(lambda: events.append(("listed", window.browsing.index_search_later.pending)))
    window.loaded.connect(lambda: events.append(("loaded", None)))
    open_folder(qtbot, window, sample)  # warm
    assert events[0] == ("listed", True) and events[-1] == ("loaded", None)  # asked for before the load ended
    qtbot.waitUntil(lambda: window.model.listing.grams_ready(), timeout=30000)


def test_after_a_sort_its_order_is_made_fresh_in_a_worker_and_searches_list_the_same_rows(
    qtbot, window, sample, monkeypatch
):
    """(At 1,000,000 rows the first narrowing search after a sort made them: 97 ms of its keystroke.)"""
    monkeypatch.setattr(listing_module, "FRESH_AHEAD_ROWS", 0)
    open_folder(qtbot, window, sample)
    listing, table = window.model.listing, window.workspace.table
    window.model.set_sort("quality", False)
    assert listing.fresh_ahead() is not None  # (not at once: once the sort stays as it is)
    qtbot.waitUntil(lambda: listing.fresh_ahead() is None, timeout=10000)
    window.search_for("power")
    assert window.model.order == table.sort(table.select("power"), "quality", False)


def test_the_preview_renders_once_and_again_only_when_the_pane_gets_wider_or_narrower(
    qtbot, window, sample, monkeypatch
):
    """The big image is fitted to the pane's width. Fitted to the viewport, it made a tall
    article bring the scroll bar, which narrowed the viewport, which fitted the image again...:
    a render every 80 ms in an idle window."""
    window.right_splitter.setSizes([200, 600])  # a low preview pane: the article is taller than it
    open_folder(qtbot, window, sample)
    qtbot.waitUntil(lambda: window.preview.summary is not None and bool(window.preview.summary.image), timeout=5000)
    qtbot.wait(1000)  # the details and the images that come after the first render
    renders = []
    real = window.preview.setHtml
    monkeypatch.setattr(window.preview, "setHtml", lambda html: (renders.append(html), real(html)))
    qtbot.wait(800)  # ten refit periods
    assert renders == []
    assert window.preview.verticalScrollBar().maximum() > 0  # a tall article: the case that looped
    window.resize(window.width() - 200, window.height())
    qtbot.waitUntil(lambda: len(renders) >= 1, timeout=2000)
    qtbot.wait(500)
    assert len(renders) == 1


def test_painting_the_list_makes_background_work_back_off(qtbot, window, sample):
    """Each paint of the cards or the table, and each new search, says the GUI is busy for a
    moment (background work that calls back_off then leaves the GIL to the paints of a scroll,
    and to the search of each keystroke); a paint is a turn workers wait for (gently.gui_turn)."""
    from curator.core import gently
    from curator.ui.listarea import ViewMode

    open_folder(qtbot, window, sample)
    for mode in (ViewMode.CARDS, ViewMode.TABLE):
        window.area.set_mode(mode)
        gently.busy_for(-1)
        qtbot.waitUntil(lambda: not gently.in_turn(), timeout=2000)
        window.area.view().viewport().repaint()
        assert gently.busy(), mode
        assert gently.in_turn(), mode  # (a turn workers wait for: it ends as the event loop comes round)
        qtbot.waitUntil(lambda: not gently.in_turn(), timeout=2000)
    gently.busy_for(-1)
    window.model.set_query("power")  # a new list is painted next: say so before computing it
    assert gently.busy()
    gently.busy_for(-1)


def test_searches_answer_from_the_gram_index_as_from_a_scan(qtbot, window, sample):
    """After a load the gram index of the search text is built off the GUI thread; searches
    then answer from it with the rows a plain scan finds, and an edited title at once."""
    open_folder(qtbot, window, sample)
    qtbot.waitUntil(window.model.search_ready, timeout=30000)
    model, table = window.model, window.model.table
    for text in ["a", "po", "pow", "powe", "power a", "power apps", "é", '"r a"']:
        model.set_query(text)
        assert sorted(model.order) == table.select(text), text
    row = model.order[0]
    path = window.workspace.abspath(row)
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(text.replace("title:", "title: Quokka zebra #", 1), encoding="utf-8")
    with qtbot.waitSignal(window.loader.disk_changed, timeout=30000):
        window.loader.reload([window.workspace.path(row)])
    assert "quokka" in table.text[row]
    model.set_query("quokka")
    assert model.order == [row] and model.search_ready()
    model.set_query("")


def test_the_end_of_a_load_is_spread_over_turns_of_the_event_loop(qtbot, window, sample):
    """The load's end: the list in the turn the loader finished, the topics a turn later, the
    listeners of `loaded` (the stories' grouping, the views' counts) a turn after that (at a
    million articles the whole took 44 ms of one turn)."""
    from PySide6.QtCore import QTimer

    turns, events = [0], []

    def tick() -> None:
        turns[0] += 1

    timer = QTimer(interval=0)
    timer.timeout.connect(tick)
    window.loader.finished.connect(lambda done: events.append(("finished", turns[0])))
    window.loaded.connect(lambda: events.append(("loaded", turns[0])))
    timer.start()
    try:
        open_folder(qtbot, window, sample)
    finally:
        timer.stop()
    (first, at), (then, later) = events
    assert (first, then) == ("finished", "loaded") and later > at
    assert window.topics.site is not None and window.model.rowCount() == 31


def test_a_warm_open_lists_the_index_batches_together(qtbot, window, tmp_path, monkeypatch):
    """Rows come from the index in batches of thousands; after the first, the list takes them
    together (at most every APPEND_MS, and the rest as every row is listed): each insert lays
    out and paints the views again, 100 times at a million articles (1.2 s of the GUI thread's
    3.7 s until the whole list was shown)."""
    from curator.core.folder import opening

    folder = tmp_path / "site"
    (folder / "_news").mkdir(parents=True)
    for i in range(4_400):
        (folder / "_news" / f"{i:05}.md").write_text(f"---\ntitle: Article {i}\nquality: {i % 100}\n---\n")
    open_folder(qtbot, window, folder)  # cold: parses and indexes
    monkeypatch.setattr(opening, "INDEX_BATCH", 2_000)
    monkeypatch.setattr(opening, "INDEX_FIRST_BATCH", 2_000)
    batches, inserts = [], []
    window.loader.rows_added.connect(lambda rows, first: batches.append(len(rows)))
    window.model.rowsInserted.connect(lambda parent, first, last: inserts.append(last - first + 1))
    open_folder(qtbot, window, folder)  # warm
    assert batches == [2_000, 2_000, 400] and sum(inserts) == window.model.rowCount() == 4_400
    assert inserts == [2_000, 2_400]
