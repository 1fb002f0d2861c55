"""The site profile in the window: shown in the status bar, used by the list and by Publish,
and picked from the status bar's menu."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel

from curator.ui.mainwindow.actions import Action
from tests.ui.conftest import open_folder, wait_saved

SITES = Path(__file__).parent.parent / "sites"


def select_paths(window, *paths: str) -> None:
    selection, model = window.current_view().selectionModel(), window.model
    selection.clear()
    positions = model.positions()
    for path in paths:
        index = model.index(positions[window.workspace.rows[path]], 0)
        selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_a_hugo_site_is_read_and_published_as_hugo(qtbot, window, tmp_path):
    site = shutil.copytree(SITES / "hugo", tmp_path / "hugo")
    open_folder(qtbot, window, site)
    button = window.status.profile_button
    assert button.isVisible() and button.text() == "Hugo" and "detected (hugo.toml)" in button.toolTip()
    assert sorted(window.workspace.rows) == [
        "content/posts/json-draft.md", "content/posts/no-draft-key.md", "content/posts/toml-draft.md",
        "content/posts/toml-page.md", "content/posts/yaml-draft.md",
    ]  # fmt: skip
    excluded = {p.path for p in window.problems.problems if p.severity == "excluded"}
    assert excluded == {"README.md", "content/_index.md", "content/posts/_index.md"}
    window.search.setText("draft:yes")
    window.apply_search()
    assert window.model.rowCount() == 3
    select_paths(window, "content/posts/json-draft.md", "content/posts/toml-draft.md")
    window.action_map[Action.PUBLISH].trigger()
    window.save()
    wait_saved(qtbot, window)
    assert '"draft": false' in (site / "content/posts/json-draft.md").read_text()
    assert "draft = false" in (site / "content/posts/toml-draft.md").read_text()
    assert "published" not in (site / "content/posts/toml-draft.md").read_text()


def test_a_jekyll_draft_by_its_folder_is_named_not_published(qtbot, window, tmp_path):
    site = shutil.copytree(SITES / "jekyll", tmp_path / "jekyll")
    open_folder(qtbot, window, site)
    assert window.status.profile_button.text() == "Jekyll"
    select_paths(window, "_drafts/a-draft.md", "_posts/2024-01-03-not-yet.md")
    posted = []
    window.messages.posted.connect(lambda *args: posted.append(args))
    window.action_map[Action.PUBLISH].trigger()
    assert any("1 draft left as they are" in str(args) for args in posted)
    assert window.workspace.current(window.workspace.rows["_posts/2024-01-03-not-yet.md"], "published") is True
    assert not window.workspace.is_dirty(window.workspace.rows["_drafts/a-draft.md"])


def test_another_profile_is_picked_from_the_status_bar(qtbot, window, tmp_path):
    site = shutil.copytree(SITES / "hugo", tmp_path / "hugo")
    open_folder(qtbot, window, site)
    menu = window.status.profile_button.menu()
    jekyll = next(a for a in menu.actions() if a.text() == "Jekyll")
    with qtbot.waitSignal(window.loaded, timeout=20000):
        jekyll.trigger()
    assert window.status.profile_button.text() == "Jekyll" and jekyll.isChecked()
    assert "content/posts/_index.md" in window.workspace.rows  # Jekyll has no section pages
    detect = menu.actions()[0]
    with qtbot.waitSignal(window.loaded, timeout=20000):
        detect.trigger()
    assert window.status.profile_button.text() == "Hugo"


def test_a_field_term_reads_the_key_in_a_worker_then_filters(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    microsoft = sum(s.provider_domain == "microsoft.com" for s in window.workspace.table.summaries)
    assert 0 < microsoft < len(window.workspace)
    window.search.setText("field:provider.domain=microsoft.com")
    window.apply_search()
    qtbot.waitUntil(lambda: window.model.rowCount() == microsoft, timeout=10000)
    (sample / "_news" / "new.md").write_text("---\ntitle: New\nprovider:\n  domain: microsoft.com\n---\n")
    window.watcher.check_now()
    qtbot.waitUntil(lambda: window.model.rowCount() == microsoft + 1, timeout=10000)  # read again after the change
