"""What the window shows and does stays true to the files: undo after saves and other
programs' changes, a selection that follows the list, problems that follow the files."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel

from curator.core.document.frontmatter import load_document
from curator.core.folder.index import Index
from curator.ui.mainwindow import MainWindow
from curator.ui.mainwindow.actions import Action
from tests.core.test_files import needs_root
from tests.ui.conftest import open_folder, wait_saved
from tests.ui.fakes import FakePrompts
from tests.ui.test_editing import SEED, select_paths


def data(path: Path) -> dict:
    return load_document(path.read_bytes()).data


def watch(qtbot, window) -> None:
    """One run of the folder watcher, waited for."""
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: not window.watcher.checking, timeout=10000)
    qtbot.wait(20)


def other_program_writes(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new, 1))


# -- 1, 2: undo ---------------------------------------------------------------------------------


def test_undo_after_another_program_changed_the_file_keeps_its_change(qtbot, window, sample):
    path = sample / SEED
    other_program_writes(path, "  - AI\n", "  - AI\n  - Portals\n")  # topics: Computer Vision, AI, Portals
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("topics", "add", "Dataverse")
    window.save()
    wait_saved(qtbot, window)
    other_program_writes(path, "  - AI\n", "")  # another program drops "AI"
    watch(qtbot, window)
    assert "AI" not in window.workspace.summary(window.workspace.rows[SEED]).topics  # reloaded
    window.action_map[Action.UNDO].trigger()
    window.save()
    wait_saved(qtbot, window)
    assert data(path)["topics"] == ["Computer Vision", "Portals"]  # "AI" stays gone, "Dataverse" too


def test_undo_and_save_give_back_every_byte_of_keys_the_file_did_not_have(qtbot, window, sample):
    bare = sample / "_news" / "bare.md"
    bare.write_bytes(b"---\r\ntitle: Bare\r\nheat: 4\r\n\r\nimages:\r\n  - url: https://x/y.png\r\n---\r\nBody\r\n")
    original = bare.read_bytes()
    open_folder(qtbot, window, sample)
    select_paths(window, ["_news/bare.md"])
    window.request_edit("quality", "set", 70)
    window.request_edit("topics", "add", "AI")
    window.request_edit("published", "set", False)
    window.save()
    wait_saved(qtbot, window)
    assert data(bare) == {**data(bare), "quality": 70, "topics": ["AI"], "published": False}
    for _ in range(3):
        window.action_map[Action.UNDO].trigger()
    window.save()
    wait_saved(qtbot, window)
    assert bare.read_bytes() == original


# -- 3: the selection, the editor and the preview follow the list ---------------------------------


def test_a_search_takes_the_selection_the_editor_and_the_preview_along(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    window.current_view().selectAll()
    assert window.editor.heading.text().startswith(f"{window.model.rowCount()} articles selected")
    current = window.selection.currentIndex().data()
    window.search.setText('"Key ALM updates"')
    window.apply_search()
    assert window.model.rowCount() == 1
    shown = window.workspace.rows["_news/2021-03-25-key-alm-updates.md"]
    assert window.selected_rows() == [shown]
    assert window.editor.heading.text() == "Key ALM updates"  # one article, the one listed
    if current != "Key ALM updates":
        assert window.preview.summary is None  # never an article the list does not show
    window.search.setText("nothing matches this at all")
    window.apply_search()
    assert window.selected_rows() == [] and window.editor.heading.text() == "No article selected"
    assert window.preview.summary is None
    assert not window.action_map[Action.PUBLISH].isEnabled()
    assert not window.request_edit("published", "set", True)  # nothing shown: nothing edited


def test_the_current_article_survives_a_search_that_keeps_it(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.search.setText("biometrics")
    window.apply_search()
    assert window.preview.summary is not None and window.preview.summary.path == SEED
    assert window.selected_rows() == [window.workspace.rows[SEED]]


# -- 4: problems follow the files ----------------------------------------------------------------


def problem_paths(window) -> set[str]:
    return {p.path for p in window.problems.problems}


def test_a_broken_file_that_is_fixed_appears_without_reloading(qtbot, window, sample):
    broken = sample / "_news" / "broken.md"
    broken.write_text('---\ntitle: "open\n---\n')
    open_folder(qtbot, window, sample)
    assert "_news/broken.md" in problem_paths(window) and window.problems_button.isVisible()
    broken.write_text('---\ntitle: "Fixed"\n---\n')
    watch(qtbot, window)
    assert "_news/broken.md" in window.workspace.rows
    assert not problem_paths(window) and not window.problems_button.isVisible()


def test_warnings_of_new_files_are_listed_and_leave_with_them(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    typed = sample / "_news" / "typed.md"
    typed.write_text('---\ntitle: typed\nquality: "high"\n---\n')
    watch(qtbot, window)
    assert [(p.path, p.line) for p in window.problems.problems] == [("_news/typed.md", 3)]
    typed.unlink()
    watch(qtbot, window)
    assert not problem_paths(window) and not window.problems_button.isVisible()


def test_problems_of_files_deleted_while_closed_do_not_come_back_from_the_index(qtbot, window, sample, tmp_path):
    typed = sample / "_news" / "typed.md"
    typed.write_text('---\ntitle: typed\nquality: "high"\n---\n')
    old = os.stat(typed).st_mtime - 3600
    os.utime(typed, (old, old))
    open_folder(qtbot, window, sample)  # indexes it
    assert problem_paths(window) == {"_news/typed.md"}
    typed.unlink()
    assert Index(sample, window.cache_dir).path.exists()
    open_folder(qtbot, window, sample)  # a warm open from the index, then the disk
    assert not problem_paths(window) and not window.problems_button.isVisible()


def test_reload_with_no_problems_left_hides_the_button(qtbot, window, sample):
    typed = sample / "_news" / "typed.md"
    typed.write_text('---\ntitle: typed\nquality: "high"\n---\n')
    open_folder(qtbot, window, sample)
    assert window.problems_button.isVisible()
    typed.write_text("---\ntitle: typed\nquality: 3\n---\n")
    open_folder(qtbot, window, sample)  # F5
    assert not window.problems_button.isVisible() and not problem_paths(window)


def test_revert_all_shows_what_is_on_disk(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 90)
    other_program_writes(sample / SEED, "quality: 24", "quality: 31")
    window.action_map[Action.REVERT_ALL].trigger()
    row = window.workspace.rows[SEED]
    qtbot.waitUntil(lambda: window.workspace.summary(row).quality == 31, timeout=10000)
    assert not window.workspace.pending
    window.selection.setCurrentIndex(
        window.model.index(window.model.positions()[row], 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert window.editor.quality.value() == 31


# -- 16: the index is only a cache ---------------------------------------------------------------


@needs_root
def test_a_full_cache_disk_never_fails_a_save_or_makes_the_next_one_conflict(qtbot, settings, sample, full_disk):
    window = MainWindow(settings, cache_dir=full_disk / "cache", network=False, prompts=FakePrompts())
    qtbot.addWidget(window)
    open_folder(qtbot, window, sample)
    with open(full_disk / "filler", "wb") as f, contextlib.suppress(OSError):  # the cache disk fills up
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 61)
    window.save()
    assert [r.status.value for r in wait_saved(qtbot, window)] == ["ok"]
    window.request_edit("quality", "set", 62)  # the next save of the same file
    window.save()
    assert [r.status.value for r in wait_saved(qtbot, window)] == ["ok"]
    assert "quality: 62\n" in (sample / SEED).read_text()
    assert not window.workspace.pending and window.prompts.asked == []
    window.saver.wait(10000)
