"""Review before saving, without widgets: what is listed, the exact diff Save writes (checked
against the bytes a real save then writes), reverting one field, and what a conflict shows."""

from __future__ import annotations

from pathlib import Path

from curator.core.document.values import DELETE
from curator.core.document.writes import Status
from curator.core.folder import review
from curator.core.folder.edits import EditOp
from curator.core.folder.workspace import save_batch
from tests.core.test_workspace import open_workspace

ARTICLE = "---\ntitle: An article\nquality: 40\ntopics:\n  - AI\n  - Bots\nheat: 3\n---\nBody\n"


def folder(tmp_path: Path, n: int = 2) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    for i in range(n):
        (root / f"a{i}.md").write_text(ARTICLE.replace("An article", f"Article {i}"), newline="")
    return root


def test_pending_lists_each_unsaved_article_with_old_and_new_values(tmp_path):
    ws = open_workspace(folder(tmp_path))
    row = ws.rows["a1.md"]
    ws.apply_step(ws.plan_edit([row], "quality", EditOp.SET, 75))
    ws.apply_step(ws.plan_edit([row], "published", EditOp.SET, False))
    (listed,) = review.pending(ws)
    assert (listed.row, listed.path, listed.title) == (row, "a1.md", "Article 1")
    assert [c.texts for c in listed.fields] == [("quality", "40", "75"), ("published", "(none)", "false")]
    assert not listed.changed_on_disk


def test_the_preview_is_exactly_what_save_writes_and_writes_nothing(tmp_path):
    root = folder(tmp_path)
    ws = open_workspace(root)
    row = ws.rows["a0.md"]
    ws.apply_step(ws.plan_edit([row], "topics", EditOp.ADD, "Power Apps"))
    ws.apply_step(ws.plan_edit([row], "quality", EditOp.SET, 41))
    before = (root / "a0.md").read_bytes()
    (job,) = ws.save_jobs()
    shown = review.preview(job, root)
    assert shown.status is Status.OK
    assert (root / "a0.md").read_bytes() == before  # a preview writes nothing
    assert shown.diff.splitlines() == [
        "--- a0.md (on disk)",
        "+++ a0.md (after save)",
        "@@ -1,8 +1,9 @@",
        " ---",
        " title: Article 0",
        "-quality: 40",
        "+quality: 41",
        " topics:",
        "   - AI",
        "   - Bots",
        "+  - Power Apps",
        " heat: 3",
        " ---",
    ]
    (saved,) = save_batch([job], root=root)
    assert saved.result.status is Status.OK
    after = (root / "a0.md").read_text()
    removed = [line[1:] for line in shown.diff.splitlines()[2:] if line.startswith("-")]
    added = [line[1:] for line in shown.diff.splitlines()[2:] if line.startswith("+")]
    assert all(line not in after.splitlines() for line in removed)
    assert all(line in after.splitlines() for line in added)
    assert review.preview(job, root).status is Status.CONFLICT  # the job's snapshot is the old file now


def test_a_file_that_cannot_be_saved_says_why(tmp_path):
    root = folder(tmp_path)
    ws = open_workspace(root)
    ws.apply_step(ws.plan_edit([ws.rows["a0.md"]], "quality", EditOp.SET, 41))
    (job,) = ws.save_jobs()
    (root / "a0.md").unlink()
    gone = review.preview(job, root)
    assert gone.status is Status.ERROR and "cannot be saved" in gone.as_text()


def test_reverting_one_field_keeps_the_other_and_is_undoable(tmp_path):
    ws = open_workspace(folder(tmp_path))
    row = ws.rows["a0.md"]
    ws.apply_step(ws.plan_edit([row], "quality", EditOp.SET, 99))
    ws.apply_step(ws.plan_edit([row], "published", EditOp.SET, False))
    step = ws.plan_revert(row, "published")
    assert step is not None and step.op is EditOp.UNSET  # the file had no `published`: it goes again
    ws.apply_step(step)
    assert ws.pending[row] == {"quality": 99}
    ws.apply_step(step, undo=True)
    assert ws.pending[row] == {"quality": 99, "published": False}
    assert ws.plan_revert(row, "topics") is None  # no unsaved change there
    ws.apply_step(ws.plan_revert(row, "quality"))
    ws.apply_step(ws.plan_revert(row, "published"))
    assert not ws.pending and ws.current(row, "published") is DELETE


def test_a_conflict_shows_what_changed_on_disk_and_what_overwrite_would_write(tmp_path):
    root = folder(tmp_path)
    ws = open_workspace(root)
    row = ws.rows["a0.md"]
    ws.apply_step(ws.plan_edit([row], "quality", EditOp.SET, 90))
    path = root / "a0.md"
    path.write_text(path.read_text().replace("Article 0", "Retitled").replace("quality: 40", "quality: 45"))
    (job,) = ws.save_jobs()
    shown = review.preview(job, root)
    assert shown.status is Status.CONFLICT
    assert [c.texts for c in shown.disk_fields] == [("title", "Article 0", "Retitled"), ("quality", "40", "45")]
    assert "-quality: 45" in shown.diff.splitlines() and "+quality: 90" in shown.diff.splitlines()
    assert "title: Retitled" in shown.diff  # Overwrite keeps the other program's title
    text = shown.as_text()
    assert text.index("What changed there") < text.index("-   Article 0") < text.index("+quality: 90")
    path.write_text(path.read_text() + "more body\n")  # only the body changed besides
    path.write_text(path.read_text().replace("Retitled", "Article 0").replace("quality: 45", "quality: 40"))
    assert review.preview(job, root).other_lines


def test_a_long_diff_is_cut(tmp_path):
    old = "".join(f"line {i}\n" for i in range(2000)).encode()
    new = "".join(f"LINE {i}\n" for i in range(2000)).encode()
    text = review.unified("x.md", old, new)
    assert len(text.splitlines()) == review.MOST_LINES + 1 and "more lines not shown" in text
