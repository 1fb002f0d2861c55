"""Real widgets, offscreen, with settings and caches in temp folders."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAccessibleInterface

from curator.ui.mainwindow import MainWindow
from curator.ui.settings import Settings
from tests.ui.fakes import FakePrompts


@pytest.fixture(autouse=True)
def no_stale_wrappers():
    """After each test, no Python wrapper of an object Qt deletes without telling PySide (an
    accessibility interface) is left: Qt puts new objects at freed addresses, and PySide hands
    a stale wrapper for them (a viewport read as a QAccessibleWidget; a crash in CI)."""
    yield
    left = [w for w in shiboken6.getAllValidWrappers() if isinstance(w, QAccessibleInterface)]
    assert not left, f"{len(left)} wrappers of accessibility interfaces outlive the test: forget_wrappers them"


@pytest.fixture(autouse=True)
def no_open_turn(qtbot):
    """After each test, no turn of the GUI thread is left open for workers to wait for (a paint's
    turn ends as the event loop comes round: a test that ends right after a paint leaves it to
    the next one, and a test without an event loop would find its workers waiting)."""
    yield
    from curator.core import gently

    qtbot.waitUntil(lambda: not gently.in_turn(), timeout=2000)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    s["files/watch_seconds"] = 3600  # tests trigger watching themselves
    return s


@pytest.fixture
def window(qtbot, settings, tmp_path: Path):
    w = MainWindow(settings, cache_dir=tmp_path / "cache", network=False, prompts=FakePrompts())
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    yield w
    w.cancel_work()
    w.stories.close()  # (its grouping process: none is left behind)
    w.workspace.pending.clear()  # no close guard at teardown
    browsing = w.browsing
    for tasks in (w.tasks, w.image_tasks, w.row_reads, w.saver.writer, browsing.gram_tasks, browsing.listing_tasks,
                  w.site_writes, w.stories.group_tasks, w.stories.link_tasks, w.loader.releaser):  # fmt: skip
        tasks.wait(10000)  # (the releaser empties a folder opened before: a test's threads end with it)


def open_folder(qtbot, window: MainWindow, folder: Path) -> None:
    with qtbot.waitSignal(window.loaded, timeout=60000):
        assert window.open_folder(str(folder))


def wait_saved(qtbot, window: MainWindow):
    with qtbot.waitSignal(window.saved, timeout=60000) as blocker:
        pass
    return blocker.args[0]
