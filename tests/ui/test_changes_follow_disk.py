"""After a change on disk is applied (another program's, a pull's), the Changes view lists the
values as the files are now and the picked file's diff is made again; and nothing says
"Saved 0 files" while the conflict dialog still waits for the editor's answer."""

from __future__ import annotations

from curator.ui.mainwindow import layout
from curator.ui.mainwindow.messages import ConflictChoice
from tests.ui.conftest import open_folder
from tests.ui.test_editing import SEED, select_paths
from tests.ui.test_review import listed, pick


def test_the_changes_view_shows_the_value_on_disk_now_and_reads_the_picked_diff_again(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    layout.show_dock(window, "changes")
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 90)
    qtbot.waitUntil(lambda: listed(window) == [(SEED, [("quality", "24", "90")])], timeout=5000)
    pick(window, SEED, "quality")
    qtbot.waitUntil(lambda: "+quality: 90" in window.changes.diff.toPlainText(), timeout=5000)
    path = sample / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 30"))  # another program
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: listed(window) == [(SEED, [("quality", "30", "90")])], timeout=10000)
    qtbot.waitUntil(lambda: "changed on disk" in window.changes.diff.toPlainText(), timeout=10000)
    assert "-quality: 30" in window.changes.diff.toPlainText()
    assert window.changes.tree.topLevelItem(0).text(2) == "changed on disk: Save asks"


def test_nothing_says_saved_while_the_conflict_dialog_waits(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, [SEED])
    window.request_edit("quality", "set", 90)
    path = sample / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 30"))
    said_while_asking = []
    answer = window.prompts.resolve_conflicts

    def resolve(paths, previews):
        said_while_asking.append(window.status.currentMessage())
        return answer(paths, previews)

    window.prompts.resolve_conflicts = resolve
    window.prompts.conflict = ConflictChoice.SKIP
    window.save()
    qtbot.waitUntil(lambda: bool(said_while_asking), timeout=10000)
    assert "Saved" not in said_while_asking[0], said_while_asking
    qtbot.waitUntil(lambda: "unsaved" in window.status.currentMessage(), timeout=5000)
    assert window.status.currentMessage() == "Saved 0 files; 1 file changed on disk, kept unsaved"
