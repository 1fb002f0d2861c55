"""Team mode in the window, on real repositories: the branch in the status bar, git badges, a
commit of exactly the saved articles, and a pull that keeps unsaved edits (and asks at Save
when a pulled change touched a value edited here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.core.team import git
from curator.ui.mainwindow import layout
from curator.ui.mainwindow.actions import Action
from curator.ui.mainwindow.messages import ConflictChoice
from curator.ui.model import Role
from tests.conftest import SAMPLE
from tests.test_git import identity, make_team, run  # noqa: F401 - the fixture sets a git identity
from tests.ui.conftest import open_folder, wait_saved
from tests.ui.test_editing import SEED, select_paths
from tests.ui.test_review import listed

pytestmark = pytest.mark.skipif(not git.available(), reason="git is not installed")


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """Editors A and B: two clones of a remote holding the sample site."""
    _, a, b = make_team(tmp_path, lambda seed: shutil.copytree(SAMPLE, seed / "site"))
    return a, b


def badge(window, path: str):
    row = window.workspace.rows[path]
    return window.model.index(window.model.positions()[row], 0).data(Role.GIT)


def test_status_badges_and_a_commit_of_exactly_the_saved_articles(qtbot, window, clones):
    a, _ = clones
    (a / "site/_news/untracked.md").write_text("---\ntitle: Not saved by Curator\n---\n")
    open_folder(qtbot, window, a / "site")
    qtbot.waitUntil(lambda: window.status.git_label.text().startswith("⎇ main"), timeout=5000)
    assert window.action_map[Action.COMMIT].isEnabled() and not window.table.isColumnHidden(10)
    assert badge(window, "_news/untracked.md") == git.State.UNTRACKED
    select_paths(window, [SEED])
    window.action_map[Action.PUBLISH].trigger()
    window.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: badge(window, SEED) == git.State.MODIFIED, timeout=5000)
    window.prompts.commit = "Publish 1 article"
    window.action_map[Action.COMMIT].trigger()
    qtbot.waitUntil(lambda: "commit" in window.prompts.kinds(), timeout=10000)
    (kind, files, message) = window.prompts.asked[-1]
    assert kind == "commit" and message == "Publish 1 article"  # pre-filled: what the checked file changes
    assert (SEED, "modified", True) in files and ("_news/untracked.md", "untracked", False) in files
    qtbot.waitUntil(lambda: badge(window, SEED) is None, timeout=10000)
    assert run(a, "show", "--name-only", "--format=%s", "HEAD").split() == [
        "Publish", "1", "article", f"site/{SEED}"
    ]  # fmt: skip
    assert badge(window, "_news/untracked.md") == git.State.UNTRACKED  # not listed as checked: not committed


def saved_edit(qtbot, window, paths, key, value) -> None:
    select_paths(window, paths)
    window.request_edit(key, "set", value)
    window.save()
    wait_saved(qtbot, window)


def test_the_commit_message_says_what_the_checked_files_change_not_the_session(qtbot, window, clones):
    a, _ = clones
    open_folder(qtbot, window, a / "site")
    qtbot.waitUntil(window.action_map[Action.COMMIT].isEnabled, timeout=5000)
    first, second, third, fourth = sorted(window.workspace.rows)[:4]
    saved_edit(
        qtbot, window, [first], "published", not window.workspace.summary(window.workspace.rows[first]).published
    )
    qtbot.waitUntil(lambda: badge(window, first) == git.State.MODIFIED, timeout=5000)
    window.action_map[Action.COMMIT].trigger()  # committed: not in the next message
    qtbot.waitUntil(lambda: badge(window, first) is None, timeout=10000)
    saved_edit(qtbot, window, [second], "topics", ["Merged"])
    run(a, "checkout", "-q", "--", f"site/{second}")  # thrown away in a terminal
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: badge(window, second) is None, timeout=10000)
    saved_edit(qtbot, window, [third, fourth], "quality", 77)
    qtbot.waitUntil(lambda: badge(window, fourth) == git.State.MODIFIED, timeout=5000)
    window.prompts.commit = None  # look at the dialog's message, commit nothing
    window.action_map[Action.COMMIT].trigger()
    qtbot.waitUntil(lambda: window.prompts.kinds().count("commit") == 2, timeout=10000)
    _, files, message = window.prompts.asked[-1]
    assert [(p, checked) for p, _, checked in files] == [(third, True), (fourth, True)]
    assert message == "Set quality of 2 articles"
    assert window.prompts.message_for([third]) == "Set quality of 1 article"  # follows what is checked


def test_a_topic_merge_and_delete_are_committed_with_their_site_files_and_said_in_the_message(qtbot, window, clones):
    """QA of issue 29 (B): the Commit dialog offered only the articles, not `.curator.yml` nor
    the taxonomy file the merge removed, so the team never got the retired names."""
    from tests.ui.test_topics import listed as topics_listed
    from tests.ui.test_topics import select as select_topic

    a, _ = clones
    for i in range(2):
        (a / f"site/_news/cds{i}.md").write_text(f"---\ntitle: CDS {i}\ntopics:\n  - Common Data Service\n---\nT\n")
    run(a, "add", "-A")
    run(a, "commit", "-q", "-m", "two articles on CDS")
    open_folder(qtbot, window, a / "site")
    qtbot.waitUntil(window.action_map[Action.COMMIT].isEnabled, timeout=5000)
    window.action_map[Action.TOPICS].trigger()
    qtbot.waitUntil(lambda: "Common Data Service" in topics_listed(window), timeout=5000)
    select_topic(window, "Common Data Service")
    window.prompts.topic, window.prompts.entry = "Portals", False  # its taxonomy entry removed
    window.topics_panel.buttons["merge"].click()
    removed = a / "site/_data/topics/03-common-data-service.yaml"
    config = a / "site/.curator.yml"
    qtbot.waitUntil(lambda: not removed.exists() and config.exists(), timeout=5000)
    select_topic(window, "AI Builder")
    window.topics_panel.buttons["delete"].click()
    qtbot.waitUntil(lambda: "AI Builder" in config.read_text(), timeout=5000)
    window.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: badge(window, "_news/cds1.md") == git.State.MODIFIED, timeout=5000)
    window.prompts.commit = "Merge and retire"
    window.action_map[Action.COMMIT].trigger()
    qtbot.waitUntil(lambda: "commit" in window.prompts.kinds(), timeout=10000)
    _, files, message = window.prompts.asked[-1]
    site_files = [(p, state, checked) for p, state, checked in files if not p.startswith("_news/")]
    assert site_files == [
        (".curator.yml", "untracked", True), ("_data/topics/03-common-data-service.yaml", "deleted", True),
    ]  # fmt: skip
    assert all(checked for _, _, checked in files)  # the articles saved here, too
    assert message.splitlines()[2:] == [
        'Merge topic "Common Data Service" into "Portals" in 2 articles', 'Retire topic "AI Builder" from 1 article'
    ]  # fmt: skip
    qtbot.waitUntil(lambda: badge(window, "_news/cds1.md") is None, timeout=10000)
    assert run(a, "status", "--porcelain").strip() == ""  # the removal and the retired names went in
    assert "- AI Builder" in run(a, "show", "HEAD:site/.curator.yml")


def test_a_commit_made_in_a_terminal_clears_the_badges_without_f5(qtbot, window, clones):
    """QA of issue 29 (E): the badges stayed `git: modified` after a commit in a terminal until
    F5 (the files did not change, so the folder watcher saw nothing). Its tick now compares
    git's own files (HEAD, the index, the branch's ref) and reads the status again."""
    a, _ = clones
    window.settings["files/watch_seconds"] = 1
    open_folder(qtbot, window, a / "site")
    window.watcher.timer.setInterval(1000)
    qtbot.waitUntil(window.action_map[Action.COMMIT].isEnabled, timeout=5000)
    saved_edit(qtbot, window, [SEED], "quality", 12)
    qtbot.waitUntil(lambda: badge(window, SEED) == git.State.MODIFIED, timeout=5000)
    run(a, "commit", "-q", "-am", "Quality, committed in a terminal")
    qtbot.waitUntil(lambda: badge(window, SEED) is None, timeout=10000)
    assert window.status.git_label.text().startswith("⎇ main, 1 ahead")
    run(a, "reset", "-q", "HEAD~1")  # and back, in the terminal: modified again
    qtbot.waitUntil(lambda: badge(window, SEED) == git.State.MODIFIED, timeout=10000)


def test_pull_keeps_unsaved_edits_and_asks_at_save_about_the_same_value(qtbot, window, clones):
    a, b = clones
    other = (
        "_news/2020-09-15-announcing-the-new-solution-import-experience-with-connections-and-environment-variables.md"
    )
    # editor A publishes SEED and raises the quality of `other`, and pushes
    for path, old, new in ((SEED, "published: false", "published: true"), (other, "quality: 63", "quality: 64")):
        file = a / "site" / path
        file.write_text(file.read_text().replace(old, new, 1))
    run(a, "commit", "-q", "-am", "A's edits")
    run(a, "push", "-q")
    # editor B has unsaved edits: one on a file A did not touch, one on the value A changed
    open_folder(qtbot, window, b / "site")
    # Pull is enabled once the status is read (a trigger before does nothing: this test used
    # to fail now and then on a busy machine, the pull never run)
    qtbot.waitUntil(window.action_map[Action.PULL].isEnabled, timeout=5000)
    third = next(p for p in window.workspace.rows if p not in (SEED, other))
    select_paths(window, [third])
    window.request_edit("quality", "set", 11)
    select_paths(window, [other])
    window.request_edit("quality", "set", 99)
    window.action_map[Action.PULL].trigger()
    qtbot.waitUntil(lambda: window.workspace.summary(window.workspace.rows[SEED]).published, timeout=10000)
    assert window.workspace.pending[window.workspace.rows[third]] == {"quality": 11}  # kept
    assert window.workspace.pending[window.workspace.rows[other]] == {"quality": 99}  # kept, and marked
    window.prompts.conflict = ConflictChoice.SKIP
    window.save()
    qtbot.waitUntil(lambda: "conflicts" in window.prompts.kinds(), timeout=10000)
    assert window.prompts.asked[[k for k, *_ in window.prompts.asked].index("conflicts")][1] == [other]
    assert "quality: 11" in (b / "site" / third).read_text()


def test_outside_a_work_tree_nothing_of_git_shows(qtbot, window, sample, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(sample.parent))
    open_folder(qtbot, window, sample)
    qtbot.wait(300)
    assert not window.status.git_label.isVisible() and not window.action_map[Action.COMMIT].isEnabled()
    assert window.table.isColumnHidden(10) and window.gitmode.repo is None


def test_a_refused_commit_is_reported_with_gits_words(qtbot, window, clones):
    a, _ = clones
    hook = a / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint: no' >&2\nexit 1\n")
    hook.chmod(0o755)
    open_folder(qtbot, window, a / "site")
    select_paths(window, [SEED])
    window.action_map[Action.PUBLISH].trigger()
    window.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: badge(window, SEED) == git.State.MODIFIED, timeout=5000)
    window.action_map[Action.COMMIT].trigger()
    qtbot.waitUntil(lambda: "error" in window.prompts.kinds(), timeout=10000)
    assert any("refused the commit" in a[1] for a in window.prompts.asked if a[0] == "error")
    assert subprocess.run(["git", "status", "--porcelain"], cwd=a, capture_output=True, text=True).stdout


def test_git_query_term_and_facet(qtbot, window, clones):
    a, _ = clones
    (a / "site/_news/untracked.md").write_text("---\ntitle: Brand new\n---\n")
    open_folder(qtbot, window, a / "site")
    qtbot.waitUntil(lambda: window.workspace.table.git == {"_news/untracked.md": "untracked"}, timeout=5000)
    window.search_for("git:untracked")
    assert [window.model.index(i, 0).data(Role.PATH) for i in range(window.model.rowCount())] == ["_news/untracked.md"]
    group = window.facets.group("git")
    qtbot.waitUntil(lambda: not group.isHidden() and group.childCount() == 1, timeout=5000)
    assert group.child(0).text(0) == "untracked  (1)"
    select_paths(window, [])
    window.search_for("git:changed")
    assert window.model.rowCount() == 1
    path = a / "site" / SEED
    path.write_text(path.read_text().replace("quality: 24", "quality: 25"))
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10000)  # the git: term follows the status


def test_the_diff_tab_shows_the_current_file_against_head(qtbot, window, clones):
    a, _ = clones
    open_folder(qtbot, window, a / "site")
    qtbot.waitUntil(lambda: window.preview_tabs.isTabVisible(1), timeout=5000)
    select_paths(window, [SEED])
    window.action_map[Action.PUBLISH].trigger()
    window.save()
    wait_saved(qtbot, window)
    window.preview_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "+published: true" in window.git_diff.toPlainText(), timeout=10000)
    assert "-published: false" in window.git_diff.toPlainText()
    other = next(p for p in window.workspace.rows if p != SEED)
    select_paths(window, [other])
    qtbot.waitUntil(lambda: window.git_diff.toPlainText() == "No change since the last commit.", timeout=10000)


def test_a_failed_pull_says_why_and_leaves_no_pulling_in_the_status_bar(qtbot, window, clones):
    a, _ = clones
    run(a, "branch", "--unset-upstream")  # a branch that tracks nothing on the server
    open_folder(qtbot, window, a / "site")
    qtbot.waitUntil(window.action_map[Action.PULL].isEnabled, timeout=5000)
    window.action_map[Action.PULL].trigger()
    assert window.status.currentMessage() == "Pulling…"
    qtbot.waitUntil(lambda: "error" in window.prompts.kinds(), timeout=10000)
    said = next(text for kind, text in window.prompts.asked if kind == "error")
    assert "no branch on a server to pull" in said
    assert window.status.currentMessage() == said  # not "Pulling…" until the next message


def test_the_commit_dialog_checks_all_or_none_at_a_click(qtbot):
    from curator.ui.mainwindow.prompts import CommitDialog

    files = [("_news/a.md", "modified", False), ("_news/b.md", "modified", True), ("_news/c.md", "new", False)]
    dialog = CommitDialog(files, lambda paths: "Retag" if paths else "")
    qtbot.addWidget(dialog)
    commit = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.chosen() == ["_news/b.md"] and commit.isEnabled()
    buttons = {b.text(): b for b in dialog.buttons.buttons()}
    buttons["Check All"].click()
    assert dialog.chosen() == ["_news/a.md", "_news/b.md", "_news/c.md"] and commit.isEnabled()
    buttons["Uncheck All"].click()
    assert dialog.chosen() == [] and not commit.isEnabled()  # nothing to commit: the button waits


def test_the_commit_dialogs_message_follows_the_checks_until_typed_over(qtbot):
    from curator.ui.mainwindow.prompts import CommitDialog

    files = [("_news/a.md", "modified", True), ("_news/b.md", "modified", False)]
    dialog = CommitDialog(files, lambda paths: f"Publish {len(paths)}")
    qtbot.addWidget(dialog)
    assert dialog.message.toPlainText() == "Publish 1"
    dialog.files.topLevelItem(1).setCheckState(0, Qt.CheckState.Checked)
    assert dialog.message.toPlainText() == "Publish 2"
    dialog.message.setPlainText("My words")
    dialog.check_all(Qt.CheckState.Unchecked)
    assert dialog.message.toPlainText() == "My words" and dialog.chosen() == []


OTHER = "_news/2020-09-15-announcing-the-new-solution-import-experience-with-connections-and-environment-variables.md"


def replace_in(file: Path, old: str, new: str) -> None:
    file.write_text(file.read_text().replace(old, new, 1))


def push_from_a(a: Path, edits, message: str = "A's edits") -> None:
    for path, old, new in edits:
        replace_in(a / "site" / path, old, new)
    run(a, "commit", "-q", "-am", message)
    run(a, "push", "-q")


def test_a_pull_over_saved_work_offers_to_put_it_aside_and_the_changes_view_follows(qtbot, window, clones):
    a, b = clones
    push_from_a(a, [(SEED, "published: false", "published: true"), (OTHER, "quality: 63", "quality: 64")])
    open_folder(qtbot, window, b / "site")
    qtbot.waitUntil(window.action_map[Action.PULL].isEnabled, timeout=5000)
    saved_edit(qtbot, window, [SEED], "quality", 11)  # saved, not committed: in the way of the pull
    select_paths(window, [OTHER])
    window.request_edit("quality", "set", 99)  # unsaved, on the value A changed
    layout.show_dock(window, "changes")
    qtbot.waitUntil(lambda: listed(window) == [(OTHER, [("quality", "63", "99")])], timeout=5000)
    window.prompts.pull = None
    window.action_map[Action.PULL].trigger()
    qtbot.waitUntil(lambda: "pull" in window.prompts.kinds(), timeout=10000)
    _, text, ways = window.prompts.asked[-1]
    assert "saved but did not commit" in text and ways == [git.PullWay.COMMIT_FIRST, git.PullWay.STASH]
    assert window.status.currentMessage() == "Not pulled."
    window.prompts.pull = git.PullWay.STASH
    window.action_map[Action.PULL].trigger()
    qtbot.waitUntil(lambda: window.workspace.summary(window.workspace.rows[SEED]).published, timeout=10000)
    assert "quality: 11" in (b / "site" / SEED).read_text()  # put back after the pull
    assert run(b, "stash", "list") == ""
    qtbot.waitUntil(lambda: listed(window) == [(OTHER, [("quality", "64", "99")])], timeout=10000)  # as on disk now
    assert window.workspace.pending[window.workspace.rows[OTHER]] == {"quality": 99}


def test_a_pull_after_commits_on_both_sides_can_commit_first_then_rebase(qtbot, window, clones):
    a, b = clones
    push_from_a(a, [(SEED, "published: false", "published: true")])
    open_folder(qtbot, window, b / "site")
    qtbot.waitUntil(window.action_map[Action.PULL].isEnabled, timeout=5000)
    replace_in(b / "site/_config.yml", "", "# B's note\n")
    run(b, "commit", "-q", "-am", "B's terminal commit")  # both sides have commits now
    saved_edit(qtbot, window, [OTHER], "quality", 70)
    qtbot.waitUntil(lambda: badge(window, OTHER) == git.State.MODIFIED, timeout=5000)
    window.prompts.pull = git.PullWay.COMMIT_FIRST
    window.prompts.commit = "B's quality"
    window.action_map[Action.PULL].trigger()
    qtbot.waitUntil(lambda: window.workspace.summary(window.workspace.rows[SEED]).published, timeout=15000)
    assert window.prompts.kinds()[-2:] == ["pull", "commit"]
    _, _, ways = window.prompts.asked[-2]
    assert ways == [git.PullWay.COMMIT_FIRST, git.PullWay.STASH]
    log = run(b, "log", "--format=%s").splitlines()
    assert log == ["B's quality", "B's terminal commit", "A's edits", "base"]  # rebased: no merge commit


def test_conflicts_of_a_pull_are_git_conflict_rows_with_what_to_do_next(qtbot, window, clones):
    a, b = clones
    push_from_a(a, [(SEED, "quality: 24", "quality: 25")])
    open_folder(qtbot, window, b / "site")
    qtbot.waitUntil(window.action_map[Action.PULL].isEnabled, timeout=5000)
    saved_edit(qtbot, window, [SEED], "quality", 12)  # the same line
    window.prompts.pull = git.PullWay.STASH
    window.action_map[Action.PULL].trigger()
    qtbot.waitUntil(lambda: "error" in window.prompts.kinds(), timeout=15000)
    said = next(asked[1] for asked in window.prompts.asked if asked[0] == "error")
    assert said.startswith(f"git: conflict in 1 file ({SEED}).") and "git stash drop" in said
    qtbot.waitUntil(lambda: window.workspace.table.git.get(SEED) == "conflict", timeout=10000)
    # git's conflict lines are in the front matter: the file is not readable, and the Problems
    # panel says what to do (a conflict in the body leaves the card, badged `git: conflict`)
    problems = window.problems
    qtbot.waitUntil(
        lambda: problems.topLevelItemCount() == 1 and problems.topLevelItem(0).text(0) == SEED, timeout=10000
    )
    assert problems.topLevelItem(0).text(2).startswith("git: conflict: keep the lines you want")
