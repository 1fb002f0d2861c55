"""Undo and redo on real files, with saves and other programs changing the files in between.

The rules (README, "What Curator guarantees"): undo applies the inverse of an edit to the
value as it is now; it restores a value only where that value is still what the edit set,
and never brings back a value another program changed. Undo of an edit that added a key
removes the key, so Undo + Save gives back every byte of a file nobody else touched.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.document.frontmatter import load_document
from curator.core.document.saves import plan_edit
from curator.core.document.values import DELETE
from curator.core.folder import library, opening
from curator.core.folder.edits import EditOp, EditStep
from curator.core.folder.workspace import Workspace, save_batch
from tests.conftest import SAMPLE


class Session:
    """What the window does with a folder, without the window: edit, undo, save, watch."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        loaded = opening.load(self.root)
        self.ws = Workspace(self.root)
        self.ws.add_entries(loaded.entries)
        self.done: list[EditStep] = []
        self.undone: list[EditStep] = []
        self.kept: list[str] = []
        self.reloaded: set[str] = set()  # files whose edits the editor dropped ("Reload")

    def edit(self, paths: list[str], key: str, op: EditOp, value: Any = None) -> None:
        step = self.ws.plan_edit([self.ws.rows[p] for p in paths], key, op, value)
        if step is not None:
            self.ws.apply_step(step)
            self.done.append(step)
            self.undone.clear()

    def undo(self) -> None:
        step = self.done.pop()
        self.kept += self.ws.apply_step(step, undo=True).kept
        self.undone.append(step)

    def redo(self) -> None:
        step = self.undone.pop()
        self.ws.apply_step(step)
        self.done.append(step)

    def save(self) -> None:
        """Save as the window does: files changed on disk are read again and their edits carried
        over and saved; where the same value changed on both sides the editor answers "Reload"."""
        report = self.ws.apply_saved(save_batch(self.ws.save_jobs(), root=self.root))
        assert not report.failures
        if report.conflicts:
            entries = [library.load_one(str(self.root), path) for path in report.conflicts]
            changes = self.ws.apply_disk_changes(opening.Changes(changed=entries))
            again = self.ws.apply_saved(save_batch(self.ws.save_jobs(changes.rebased), root=self.root))
            assert not again.conflicts and not again.failures
            for path in changes.kept:
                self.ws.replace(next(e for e in entries if e.summary.path == path))
                self.reloaded.add(path)

    def watch(self) -> None:
        ws = self.ws
        changes = opening.detect_changes(str(self.root), list(ws.table.paths), list(ws.snapshots), ws.bad_files())
        ws.apply_disk_changes(changes)


def other_program(path: Path, key: str, value: Any) -> None:
    """Another program rewrites one key of the file (in place, as many editors do)."""
    new = plan_edit(path.read_bytes(), {key: value})
    if new is not None:
        path.write_bytes(new)


def data(path: Path) -> dict[str, Any]:
    return load_document(path.read_bytes()).data


ARTICLE = "---\ntitle: {title}\n{quality}{published}heat: 3\n\n{topics}images:\n  - url: https://x/{title}.png\n---\n"


def article(folder: Path, name: str, quality=True, published=True, topics=("Power Apps", "AI", "Portals")) -> Path:
    text = ARTICLE.format(
        title=name,
        quality="quality: 40\n" if quality else "",
        published="published: false\n" if published else "",
        topics="topics:\n" + "".join(f"  - {t}\n" for t in topics) + "\n" if topics else "",
    )
    path = folder / f"{name}.md"
    path.write_text(text)
    return path


def test_undo_after_another_program_changed_the_list_removes_only_what_the_edit_added(tmp_path: Path):
    path = article(tmp_path, "a")
    s = Session(tmp_path)
    s.edit(["a.md"], "topics", EditOp.ADD, "Dataverse")
    s.save()
    other_program(path, "topics", ["Power Apps", "Portals", "Dataverse"])  # drops "AI"
    s.watch()  # the window reloads the clean file
    s.undo()
    s.save()
    assert data(path)["topics"] == ["Power Apps", "Portals"]  # "AI" stays removed, "Dataverse" is gone


def test_undo_leaves_a_value_another_program_changed_and_says_so(tmp_path: Path):
    path = article(tmp_path, "a")
    s = Session(tmp_path)
    s.edit(["a.md"], "quality", EditOp.SET, 90)
    s.save()
    other_program(path, "quality", 55)
    s.watch()
    s.undo()
    s.save()
    assert data(path)["quality"] == 55 and s.kept == ["a.md"]


def test_undo_of_a_removed_topic_puts_it_back_in_its_place(tmp_path: Path):
    path = article(tmp_path, "a", topics=("A", "B", "C", "D"))
    s = Session(tmp_path)
    s.edit(["a.md"], "topics", EditOp.REMOVE, "C")
    s.save()
    other_program(path, "topics", ["B", "D"])  # drops "A"
    s.watch()
    s.undo()
    s.save()
    assert data(path)["topics"] == ["B", "C", "D"]


@pytest.mark.parametrize(
    ("missing", "key", "op", "value"),
    [
        ("quality", "quality", EditOp.SET, 80),
        ("topics", "topics", EditOp.ADD, "AI Builder"),
        ("published", "published", EditOp.SET, False),
        ("published", "published", EditOp.SET, True),  # publishing what Jekyll publishes anyway: no edit
    ],
)
def test_undo_after_save_removes_a_key_the_file_did_not_have(tmp_path: Path, missing, key, op, value):
    path = article(tmp_path, "a", **{missing: False if missing != "topics" else ()})
    original = path.read_bytes()
    s = Session(tmp_path)
    s.edit(["a.md"], key, op, value)
    s.save()
    assert key in data(path) or (key, value) == ("published", True)
    if s.done:
        s.undo()
        s.save()
    assert path.read_bytes() == original


def test_undo_of_emptying_a_list_restores_its_lines(tmp_path: Path):
    path = article(tmp_path, "a", topics=("Solo",))
    original = path.read_bytes()
    s = Session(tmp_path)
    s.edit(["a.md"], "topics", EditOp.REMOVE, "Solo")
    s.save()
    assert b"topics: []" in path.read_bytes()
    s.undo()
    s.save()
    assert path.read_bytes() == original


# -- the property: random edits, saves, other programs and undos ------------------------------

NAMES = ["full", "no-topics", "no-quality", "no-published", "crlf", "sample"]
TOPICS = ["Power Apps", "AI", "Portals", "Dataverse", "Canvas apps"]


def make_folder(root: Path) -> dict[str, bytes]:
    root.mkdir()
    article(root, "full")
    article(root, "no-topics", topics=())
    article(root, "no-quality", quality=False)
    article(root, "no-published", published=False)
    crlf = article(root, "crlf", topics=("AI",))
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    shutil.copy(next(SAMPLE.glob("_news/*.md")), root / "sample.md")
    return {f"{n}.md": (root / f"{n}.md").read_bytes() for n in NAMES}


# The edits the window makes (no action there removes a key: see the note on UNSET in the README).
EDITS = st.one_of(
    st.tuples(st.just("quality"), st.just(EditOp.SET), st.integers(0, 100)),
    st.tuples(st.just("published"), st.just(EditOp.SET), st.booleans()),
    st.tuples(st.just("topics"), st.sampled_from([EditOp.ADD, EditOp.REMOVE]), st.sampled_from(TOPICS)),
)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.lists(st.sampled_from(NAMES), min_size=1, unique=True), EDITS),
        st.tuples(st.just("save")),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("other"), st.sampled_from(NAMES), st.sampled_from(["heat", "quality", "topics"])),
    ),
    max_size=14,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ACTIONS, st.integers(0, 1000))
def test_undo_and_save_of_everything_restores_what_no_other_program_touched(tmp_path_factory, actions, seed):
    root = tmp_path_factory.mktemp("undo") / "site"
    original = make_folder(root)
    s = Session(root)
    touched: dict[str, dict[str, Any]] = {}  # path -> key -> what the other program's change leaves
    for action in actions:
        kind = action[0]
        if kind == "edit":
            names, (key, op, value) = action[1], action[2]
            s.edit([f"{n}.md" for n in names], key, op, value)
        elif kind == "save":
            s.save()
        elif kind == "undo" and s.done:
            s.undo()
        elif kind == "redo" and s.undone:
            s.redo()
        elif kind == "other":
            rel, key = f"{action[1]}.md", action[2]
            now = data(root / rel)
            if key == "topics":
                topics = now.get("topics") or []
                if not topics:
                    continue
                removed = topics[seed % len(topics)]
                other_program(root / rel, "topics", [t for t in topics if t != removed])
                touched.setdefault(rel, {}).setdefault("removed", set()).add(removed)
            else:
                value = 1000 + seed + len(touched)
                other_program(root / rel, key, value)
                touched.setdefault(rel, {})[key] = value
            s.watch()
    while s.done:
        s.undo()
    s.save()
    for rel, before in original.items():
        now = (root / rel).read_bytes()
        if rel not in touched:
            assert now == before, f"{rel} was not restored byte for byte"
            continue
        got, was = load_document(now).data, load_document(before).data
        changed = touched[rel]
        for key in ("heat", "quality"):
            if key in changed or rel not in s.reloaded:
                assert got.get(key, DELETE) == changed.get(key, was.get(key, DELETE)), (rel, key)
        if rel in s.reloaded:  # the editor dropped their edits of this file: no more to compare
            assert not any(t in got.get("topics") or [] for t in changed.get("removed", ()))
            continue
        expected = [t for t in was.get("topics") or [] if t not in changed.get("removed", ())]
        assert (got.get("topics") or []) == expected, rel
        assert got.get("published", DELETE) == was.get("published", DELETE), rel
        assert re.sub(r"(?m)^(heat|quality): .*$", "", now.decode()).count("\n") >= 5  # still an article
