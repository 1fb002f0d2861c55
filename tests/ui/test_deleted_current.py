"""A file deleted on disk while its article is the current one: the list drops it and goes on
(it crashed the window: the current index was read against rows renumbered by the removal)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import open_folder
from tests.ui.test_editing import select_paths


@pytest.mark.parametrize("view", ["cards", "table"])
@pytest.mark.parametrize("which", [0, -1, 5])
def test_deleting_the_current_articles_file_on_disk(qtbot, window, sample, view, which):
    open_folder(qtbot, window, sample)
    window.set_view(view)
    path = window.workspace.path(window.model.order[which])
    select_paths(window, [path])
    assert window.browsing.current_path() == path
    count = window.model.rowCount()
    (sample / path).unlink()
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: window.model.rowCount() == count - 1, timeout=10000)
    assert path not in window.workspace.rows
    assert window.browsing.current_path() != path
