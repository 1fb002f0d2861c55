"""Regenerate the screenshots in docs/ from the real widgets (offscreen): `make screenshots`, or
`python docs/screenshots.py [FOLDER]` (default: the bundled sample; FOLDER is copied first, nothing
is written to it).

Writes, in light and dark: the window at 1600x1000 and 1024x700 with a selection being edited, the
preview, and the Changes view open on an article's diff; and the conflict dialog with the diffs of a
file that changed on disk; and the Topics manager with suggested topics; and Edit Field… previewing
a regex replace over the table with other fields as columns, and its edits unsaved in Review
Changes; a large folder listed and checked in the background; a 1024x700 window with the Topics
Manager and the Changes view open; a first start on a 1280x800 screen (the offscreen screen is that
size here); and triage at 1024x700 with saved views. Plus the older screenshot.png, editing.png and
batch-confirm.png that the README shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the code beside these docs, as the benches do

from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from curator.core.folder import fields, review
from curator.core.folder.fields import FieldEdit, Op
from curator.core.team import commits
from curator.ui.bundle import sample_dir, settle
from curator.ui.fieldedit import FieldDialog
from curator.ui.mainwindow import MainWindow, layout
from curator.ui.mainwindow.prompts import CommitDialog, ConflictDialog, DialogPrompts
from curator.ui.settings import Settings
from curator.ui.theme import Theme

DOCS = Path(__file__).resolve().parent
#: The screen a first start opens on (offscreen, described in a file Qt reads).
SCREEN = (1280, 800)


def offscreen_screen(folder: Path) -> None:
    """Offscreen, the screen is SCREEN (Qt's default there is 800x800)."""
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        config = folder / "screen.json"
        screen = {"name": "screen", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1], "logicalDpi": 96}
        config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


SIZES = ((1600, 1000), (1024, 700))


def select(window: MainWindow, positions: range) -> None:
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    for pos in positions:
        window.selection.select(window.model.index(pos, 0), flags)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    window.selection.setCurrentIndex(window.model.index(positions[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


def new_window(tmp: Path, size: tuple[int, int], name: str = "") -> MainWindow:
    settings = Settings(QSettings(str(tmp / f"s{size[0]}{name}.ini"), QSettings.Format.IniFormat))
    settings["editing/confirm_batch_over"] = 100
    window = MainWindow(settings, cache_dir=tmp / "cache", network=False)
    window.resize(*size)
    window.show()
    return window


def shoot(app: QApplication, folder: Path, tmp: Path, scheme: str, size: tuple[int, int]) -> list[str]:
    """The window editing three unpublished articles with the Changes view open; at the large
    size also the conflict dialog."""
    copy = tmp / f"site-{scheme}-{size[0]}"
    shutil.copytree(folder, copy)
    window = new_window(tmp, size, scheme)
    window.open_folder(str(copy))
    settle(app, window)
    window.search.setText("published:no")
    window.apply_search()
    settle(app, window)
    select(window, range(3))
    window.request_edit("topics", "add", "AI Builder")
    window.request_edit("published", "set", True)
    window.request_edit("quality", "set", 80, rows=window.selected_rows()[:1])
    window.act_review.trigger()
    settle(app, window)
    window.changes.tree.setCurrentItem(window.changes.tree.topLevelItem(0))
    settle(app, window, timeout=3)
    written = [f"window-{size[0]}x{size[1]}-{scheme}.png"]
    window.grab().save(str(DOCS / written[0]))

    # another program changes a value edited here: what the conflict dialog shows
    rows = window.workspace.dirty_rows()[:2]
    for row in rows:
        path = copy / window.workspace.path(row)
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^heat: .*$", "heat: 99", text, count=1, flags=re.M)
        path.write_text(re.sub(r"^quality: .*$", "quality: 55", text, count=1, flags=re.M), encoding="utf-8")
    jobs = window.workspace.save_jobs(rows)
    paths = [job.path for job in jobs]
    dialog = ConflictDialog(paths, {p.path: p for p in review.previews(jobs, window.session.root)}, window)
    dialog.resize(min(980, size[0] - 80), min(560, size[1] - 100))
    dialog.show()
    settle(app, window, timeout=2)
    written.append(f"conflict-{size[0]}x{size[1]}-{scheme}.png")
    dialog.grab().save(str(DOCS / written[-1]))
    dialog.close()
    window.workspace.pending.clear()
    window.close()
    return written


def narrow_shot(app: QApplication, folder: Path, tmp: Path, scheme: str) -> list[str]:
    """1024x700 with the Topics Manager and the Changes view open: the list keeps half the
    width, the manager its Variants, the cards their titles."""
    copy = tmp / f"site-narrow-{scheme}"
    shutil.copytree(folder, copy)
    (copy / "_news" / "2021-06-01-variant.md").write_text(
        "---\ntitle: Building canvas apps that talk to Microsoft Teams\npublishedDateTime: 2031-06-01T09:00:00Z\n"
        "excerpt: A walk through a canvas app for Teams.\ntopics:\n  - power apps\n  - canvas-apps\n"
        "published: false\n---\n",
        encoding="utf-8",
    )
    window = new_window(tmp, (1024, 700), f"narrow-{scheme}")
    window.open_folder(str(copy))
    settle(app, window)
    select(window, range(1, 3))
    window.request_edit("topics", "add", "AI Builder")
    window.request_edit("published", "set", True)
    window.act_review.trigger()
    window.act_topics.trigger()
    settle(app, window, timeout=3)
    window.changes.tree.setCurrentItem(window.changes.tree.topLevelItem(0))
    settle(app, window, timeout=3)
    name = f"topics-changes-1024x700-{scheme}.png"
    window.grab().save(str(DOCS / name))
    window.workspace.pending.clear()
    window.close()
    return [name]


def first_start_shot(app: QApplication, folder: Path, tmp: Path) -> list[str]:
    """A first start (no settings yet) on a 1280x800 screen: the window as it opens, drawn on
    the screen where it opens, with the frame a window manager adds (a plain bar here)."""
    settings = Settings(QSettings(str(tmp / "first-start.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, cache_dir=tmp / "cache", network=False)
    window.show()
    window.open_folder(str(folder))
    settle(app, window)
    screen = window.screen().geometry()
    shot = QPixmap(screen.size())
    shot.fill(QColor("#3b4252"))
    painter = QPainter(shot)
    frame = window.geometry().marginsAdded(layout.FRAME)
    painter.fillRect(frame, QColor("#d8dee9"))
    title = QRect(frame.topLeft(), QPoint(frame.right(), window.geometry().top() - 1))
    painter.setPen(QColor("#2e3440"))
    painter.drawText(title, int(Qt.AlignmentFlag.AlignCenter), window.windowTitle().replace("[*]", ""))
    painter.drawPixmap(window.geometry().topLeft(), window.grab())
    painter.end()
    name = f"first-start-{screen.width()}x{screen.height()}.png"
    shot.save(str(DOCS / name))
    window.close()
    return [name]


def topics_shot(app: QApplication, folder: Path, tmp: Path, scheme: str) -> list[str]:
    """The Topics manager with its variants, and suggested topics in the editor."""
    copy = tmp / f"site-topics-{scheme}"
    shutil.copytree(folder, copy)
    (copy / "_news" / "2021-06-01-variant.md").write_text(
        "---\ntitle: Building canvas apps that talk to Microsoft Teams\npublishedDateTime: 2031-06-01T09:00:00Z\n"
        "excerpt: A walk through a canvas app for Teams, with Dataverse behind it.\ntopics:\n  - power apps\n"
        "  - canvas-apps\npublished: false\n---\n",
        encoding="utf-8",
    )
    window = new_window(tmp, (1600, 1000), f"topics-{scheme}")
    window.open_folder(str(copy))
    settle(app, window)
    window.docks["changes"].hide()
    window.act_topics.trigger()
    settle(app, window, timeout=3)
    select(window, range(1))
    settle(app, window, timeout=3)
    name = f"topics-{scheme}.png"
    window.grab().save(str(DOCS / name))
    window.close()
    return [name]


def git_shot(app: QApplication, folder: Path, tmp: Path) -> list[str]:
    """Team mode: git badges, the branch in the status bar, the Diff tab, and the Commit dialog."""
    repo = tmp / "team"
    shutil.copytree(folder, repo / "site")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.com",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.com"}  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)
    window = new_window(tmp, (1600, 1000), "git")
    window.open_folder(str(repo / "site"))
    settle(app, window)
    window.search.setText("published:no")
    window.apply_search()
    select(window, range(2))
    window.request_edit("published", "set", True)
    window.save()
    settle(app, window, timeout=5)
    select(window, range(1))
    window.preview_tabs.setCurrentIndex(1)
    settle(app, window, timeout=5)
    window.grab().save(str(DOCS / "git-window.png"))
    repo, profile = window.gitmode.repo, window.workspace.profile
    offered = commits.article_files(repo, window.gitmode.status, profile)
    changes = commits.changes(repo, [p for p, _ in offered], profile)
    files = [(p, s.value, p in window.gitmode.saved_paths) for p, s in offered]
    dialog = CommitDialog(files, lambda paths: commits.message(changes[p] for p in paths), window)
    dialog.show()
    settle(app, window, timeout=2)
    dialog.grab().save(str(DOCS / "git-commit.png"))
    dialog.close()
    window.close()
    return ["git-window.png", "git-commit.png"]


def fields_shot(app: QApplication, folder: Path, tmp: Path) -> list[str]:
    """Edit Field… previewing a regex replace over a selection, over the table with other fields as columns."""
    window = new_window(tmp, (1600, 1000), "fields")
    window.open_folder(str(folder))
    settle(app, window)
    window.set_view("table")
    window.fields.keys = ["provider.domain", "type"]
    window.fields.read_columns()
    settle(app, window, timeout=3)
    select(window, range(6))
    settle(app, window, timeout=2)
    workspace, rows = window.workspace, window.selected_rows()
    reads = fields.read(workspace.root, [workspace.path(r) for r in rows])
    values = lambda key: {r.path: r.value(key) for r in reads if r.document is not None}  # noqa: E731
    dialog = FieldDialog(sorted(fields.key_counts(reads)), values, len(rows), "topics", window)
    dialog.op.setCurrentIndex(list(Op).index(Op.REPLACE))
    dialog.pattern.setText(r"^Power (\w+)$")
    dialog.replacement.setText(r"Microsoft Power \1")
    dialog.show()
    settle(app, window, timeout=2)
    window.grab().save(str(DOCS / "fields-window.png"))
    dialog.grab().save(str(DOCS / "edit-field.png"))
    dialog.close()
    # Apply of `heat` set to 5, as FieldsController.ask plans it: unsaved edits, listed in Review Changes
    window.set_view("cards")
    planned = workspace.plan_field(rows, "heat", FieldEdit(Op.SET, 5))
    window.editing.submit(planned.step, f"Edit heat of {len(planned.step.edits)} articles")
    window.act_review.trigger()
    settle(app, window)
    window.changes.tree.setCurrentItem(window.changes.tree.topLevelItem(0))
    settle(app, window, timeout=3)
    window.grab().save(str(DOCS / "edit-field-review.png"))
    window.workspace.pending.clear()  # closes without asking to save
    window.close()
    return ["fields-window.png", "edit-field.png", "edit-field-review.png"]


def profile_shot(app: QApplication, tmp: Path) -> list[str]:
    """A Hugo site (YAML, TOML and JSON pages): the profile in the status bar, drafts found by
    `draft:yes`, and the section pages the profile leaves out named in the Problems panel."""
    site = tmp / "hugo-site"
    shutil.copytree(DOCS.parent / "tests" / "sites" / "hugo", site)
    window = new_window(tmp, (1440, 900), "hugo")
    window.open_folder(str(site))
    settle(app, window)
    window.search.setText("draft:yes")
    window.apply_search()
    window.docks["problems"].show()
    window.docks["problems"].raise_()
    select(window, range(1))
    settle(app, window, timeout=3)
    window.grab().save(str(DOCS / "profile-hugo.png"))
    window.close()
    return ["profile-hugo.png"]


def checking_shot(app: QApplication, folder: Path, tmp: Path) -> list[str]:
    """A cold open of 6,000 articles the moment all are listed: the full parse of the files the
    list-fields reader read goes on in the background (the status bar's progress)."""
    from PySide6.QtCore import QEventLoop, QTimer

    big = tmp / "big-site" / "_news"
    big.mkdir(parents=True)
    articles = sorted(p for p in (folder / "_news").iterdir() if p.suffix in (".md", ".txt"))
    for n in range(6000):
        source = articles[n % len(articles)]
        (big / f"{n:05d}-{source.name}").write_bytes(source.read_bytes())
    window = new_window(tmp, (1440, 900), "checking")
    loop = QEventLoop()
    window.loader.checking.connect(lambda _: QTimer.singleShot(300, loop.quit))
    window.open_folder(str(big.parent))
    loop.exec()
    window.grab().save(str(DOCS / "checking.png"))
    settle(app, window)
    window.close()
    return ["checking.png"]


def classic(app: QApplication, folder: Path, tmp: Path) -> list[str]:
    """The screenshots the README has shown since the first release."""
    window = new_window(tmp, (1440, 900), "classic")
    window.open_folder(str(folder))
    settle(app, window)
    window.grab().save(str(DOCS / "screenshot.png"))
    window.search.setText("published:no")
    window.apply_search()
    settle(app, window)
    select(window, range(3))
    window.request_edit("topics", "add", "AI Builder")
    settle(app, window)
    window.grab().save(str(DOCS / "editing.png"))
    box = DialogPrompts(window).batch_box("Publish 3 articles", 3)
    box.show()
    settle(app, window, timeout=2)
    box.grab().save(str(DOCS / "batch-confirm.png"))
    box.close()
    window.workspace.pending.clear()
    window.close()
    return ["screenshot.png", "editing.png", "batch-confirm.png"]


def triage_shot(app: QApplication, folder: Path, tmp: Path, scheme: str) -> list[str]:
    """Triage at 1024x700 over the unpublished articles, one published already, with the
    site's saved views in the Browse panel."""
    copy = tmp / f"site-triage-{scheme}"
    shutil.copytree(folder, copy)
    (copy / ".curator.yml").write_text(
        "views:\n  - Morning queue | -date | cards | published:no\n  - Best | -quality |  | quality:>=80\n",
        encoding="utf-8",
    )
    window = new_window(tmp, (1024, 700), "triage")
    window.open_folder(str(copy))
    settle(app, window)
    window.docks["changes"].hide()
    window.views.apply("Morning queue")
    settle(app, window)
    window.act_triage.trigger()
    window.triage.command("publish")
    settle(app, window, timeout=3)
    name = f"triage-1024x700-{scheme}.png"
    window.grab().save(str(DOCS / name))
    window.workspace.pending.clear()
    window.close()
    return [name]


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else sample_dir()
    written = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        offscreen_screen(tmp)
        app = QApplication.instance() or QApplication(sys.argv)
        theme = Theme(app, "light")
        folder = tmp / "site"
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".git"))
        written += classic(app, folder, tmp)
        written += git_shot(app, folder, tmp)
        written += fields_shot(app, folder, tmp)
        written += profile_shot(app, tmp)
        written += checking_shot(app, folder, tmp)
        written += first_start_shot(app, folder, tmp)
        for scheme in ("light", "dark"):
            theme.choice = scheme
            theme.apply()
            for size in SIZES:
                written += shoot(app, folder, tmp, scheme, size)
            written += topics_shot(app, folder, tmp, scheme)
            written += narrow_shot(app, folder, tmp, scheme)
            written += triage_shot(app, folder, tmp, scheme)
    print("wrote " + ", ".join(f"docs/{w}" for w in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
