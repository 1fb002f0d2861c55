"""One model of edits: random sequences of edits from every source, with saves, other programs'
changes and undo/redo between them, on real files.

Sources, each as the feature plans it: the editor (quality of one article), the batch actions
(publish, add and remove a topic), Edit Field… (Workspace.plan_field: set, clear and replace of
keys the list does not keep), the Topics manager (rename, merge, delete: core.site.topics.plan as one
step), suggestions (topics added as one step), and the CLI (`curator set`, a separate process's
write: to this workspace, another program). Checked throughout: Review lists exactly the files
Save then writes (or finds changed on disk); at the end, Undo of everything and Save give back
the original bytes of every file no other program touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from curator import cli
from curator.core.document.writes import Status
from curator.core.folder import library, opening, review
from curator.core.folder.edits import EditOp, EditStep, FileEdit
from curator.core.folder.fields import FieldEdit, Op
from curator.core.folder.workspace import Workspace, save_batch
from curator.core.site import topics
from tests.conftest import SAMPLE

NEWS = sorted(p.name for p in (SAMPLE / "_news").iterdir())[:5]
PATHS = [f"_news/{name}" for name in NEWS]

files_ = st.lists(st.sampled_from(range(len(PATHS))), min_size=1, max_size=3, unique=True)
topic_ = st.sampled_from(["AI Builder", "Power Apps", "Low code", "Portals"])
action = st.one_of(
    st.tuples(st.just("quality"), st.integers(0, len(PATHS) - 1), st.integers(0, 100)),
    st.tuples(st.just("publish"), files_, st.booleans()),
    st.tuples(st.just("add topic"), files_, topic_),
    st.tuples(st.just("remove topic"), files_, topic_),
    st.tuples(
        st.just("field"),
        files_,
        st.sampled_from(["heat", "type", "provider.name", "provider", "category"]),
        st.sampled_from(["set", "clear", "replace"]),
    ),
    st.tuples(st.just("topics"), st.sampled_from(["rename", "merge", "delete"]), topic_, topic_),
    st.tuples(st.just("suggest"), files_, topic_),
    st.tuples(st.just("cli"), st.integers(0, len(PATHS) - 1), st.integers(0, 9)),
    st.tuples(st.just("other program"), st.integers(0, len(PATHS) - 1)),
    st.just(("disk check",)),
    st.just(("save",)),
    st.just(("undo",)),
    st.just(("redo",)),
)


class Session:
    """A workspace and its undo history, driven the way the window drives them."""

    def __init__(self, root: Path):
        self.root = root
        self.workspace = Workspace(root)
        self.workspace.add_entries([library.load_one(str(root), p) for p in PATHS])
        self.done: list[EditStep] = []
        self.undone: list[EditStep] = []
        self.touched: set[str] = set()  # files another program changed

    def rows(self, picked) -> list[int]:
        return [self.workspace.rows[PATHS[i]] for i in picked if PATHS[i] in self.workspace.rows]

    def push(self, step: EditStep | None) -> None:
        if step is not None:
            self.workspace.apply_step(step)
            self.done.append(step)
            self.undone.clear()

    def run(self, act: tuple) -> None:
        ws, kind = self.workspace, act[0]
        if kind == "quality":
            self.push(ws.plan_edit(self.rows([act[1]]), "quality", EditOp.SET, act[2]))
        elif kind == "publish":
            self.push(ws.plan_edit(self.rows(act[1]), "published", EditOp.SET, act[2]))
        elif kind in ("add topic", "remove topic"):
            op = EditOp.ADD if kind == "add topic" else EditOp.REMOVE
            self.push(ws.plan_edit(self.rows(act[1]), "topics", op, act[2]))
        elif kind == "field":
            _, picked, key, how = act
            edit = {"set": FieldEdit(Op.SET, "Edited"), "clear": FieldEdit(Op.CLEAR),
                    "replace": FieldEdit(Op.REPLACE, pattern="o", replacement="0")}[how]  # fmt: skip
            self.push(ws.plan_field(self.rows(picked), key, edit).step)
        elif kind == "topics":
            _, how, old, new = act
            olds, target = ([old], new) if how != "delete" else ([old], None)
            if how == "merge":
                olds = [old, "AI Builder"]
            rows = range(len(ws))
            planned = topics.plan((ws.summary(r) for r in rows), olds, target)
            edits = [FileEdit(p, list(before), after) for p, (before, after) in planned.changes.items()]
            self.push(EditStep("topics", EditOp.SET, None, edits) if edits else None)
        elif kind == "suggest":
            _, picked, found = act
            edits = []
            for row in self.rows(picked):
                before = ws.current(row, "topics")
                items = [] if not isinstance(before, list) else before
                if found not in items:
                    edits.append(FileEdit(ws.path(row), before, [*items, found]))
            self.push(EditStep("topics", EditOp.SET, None, edits) if edits else None)
        elif kind == "cli":
            path = self.root / PATHS[act[1]]
            assert cli.main(["set", "--set", f"heat={act[2]}", str(path)]) in (0, 1)
            self.touched.add(PATHS[act[1]])
        elif kind == "other program":
            path = self.root / PATHS[act[1]]
            data = path.read_bytes()
            path.write_bytes(data.replace(b"---", b"---\n# reviewed elsewhere", 1))
            self.touched.add(PATHS[act[1]])
        elif kind == "disk check":
            self.disk_check()
        elif kind == "save":
            self.save()
        elif kind == "undo" and self.done:
            step = self.done.pop()
            ws.apply_step(step, undo=True)
            self.undone.append(step)
        elif kind == "redo" and self.undone:
            step = self.undone.pop()
            ws.apply_step(step)
            self.done.append(step)

    def disk_check(self) -> None:
        ws = self.workspace
        paths = list(ws.table.paths)
        snaps = [ws.snapshots[ws.rows[p]] for p in paths]
        ws.apply_disk_changes(opening.detect_changes(str(self.root), paths, snaps, {}))

    def save(self) -> None:
        listed = {a.path for a in review.pending(self.workspace)}
        jobs = self.workspace.save_jobs()
        assert {job.path for job in jobs} == listed
        before = {p: (self.root / p).read_bytes() for p in PATHS}
        results = save_batch(jobs, root=os.path.realpath(self.root))
        self.workspace.apply_saved(results)
        by_status = {s: {r.job.path for r in results if r.result.status is s} for s in Status}
        written = {p for p in PATHS if (self.root / p).read_bytes() != before[p]}
        assert written == by_status[Status.OK]  # Save writes no file Review did not list...
        assert listed == written | by_status[Status.CONFLICT]  # ...and each listed file, or says it changed
        assert not by_status[Status.ERROR], [r.result.message for r in results]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, max_size=14))
# a key removed by the second of two saves, both undone: heat went back after `published`
@example([("quality", 0, 0), ("save",), ("field", [0], "heat", "clear"), ("save",)])
def test_every_source_of_edits_is_reviewed_saved_and_undone_the_same_way(actions):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"  # the sample's site with only these articles
        shutil.copytree(
            SAMPLE, root, ignore=lambda d, names: [n for n in names if d.endswith("_news") and n not in NEWS]
        )
        original = {p: (root / p).read_bytes() for p in PATHS}
        session = Session(root)
        for act in actions:
            session.run(act)
        while session.done:  # undo everything, then save
            session.workspace.apply_step(session.done.pop(), undo=True)
        session.disk_check()
        session.save()
        for path in PATHS:
            if path not in session.touched:
                assert (root / path).read_bytes() == original[path], path


def test_a_shown_field_edited_anywhere_shows_at_once_and_saves_without_a_read_back(tmp_path):
    """heat and type are shown from their own key (schema.SHOWN): an unsaved edit shows in the
    list, and a save of one needs no second read of the file, unless the file had a warning about
    that key (a read back drops it)."""
    root = tmp_path / "site"
    shutil.copytree(SAMPLE, root)
    warned = root / PATHS[1]
    warned.write_bytes(re.sub(rb"\nheat: [^\n]*", b"\nheat: high", warned.read_bytes(), count=1))
    workspace = Workspace(root)
    workspace.add_entries([library.load_one(str(root), p) for p in PATHS[:2]])
    first, second = workspace.rows[PATHS[0]], workspace.rows[PATHS[1]]
    assert any(m.startswith("heat:") for _, m in workspace.summary(second).warnings)
    workspace.apply_step(workspace.plan_field([first, second], "heat", FieldEdit(Op.SET, 41)).step)
    assert workspace.summary(first).heat == 41
    jobs = {job.path: job for job in workspace.save_jobs()}
    assert jobs[PATHS[0]].changes_shown() and not jobs[PATHS[1]].changes_shown()
    workspace.apply_saved(save_batch(list(jobs.values()), root=os.path.realpath(root)))
    assert workspace.summary(second).heat == 41 and not workspace.summary(second).warnings


def test_edit_field_leaves_alone_a_value_save_could_not_write_back(tmp_path):
    """Only scalars and lists of text can be written: clearing a mapping (`provider`) saved, but
    its Undo could never be saved (29 files "could not be saved", the key lost), and a set to a
    mapping failed only at Save. Both are refused when planned, with the reason per file."""
    root = tmp_path / "site"
    shutil.copytree(SAMPLE, root)
    original = {p: (root / p).read_bytes() for p in PATHS}
    workspace = Workspace(root)
    workspace.add_entries([library.load_one(str(root), p) for p in PATHS])
    rows = [workspace.rows[p] for p in PATHS]
    for edit in (FieldEdit(Op.CLEAR), FieldEdit(Op.SET, {"name": "Someone"})):
        planned = workspace.plan_field(rows, "provider", edit)
        assert planned.step is None
        assert set(planned.errors) == set(PATHS)
        assert all("cannot be written" in why for why in planned.errors.values()), planned.errors
    assert not workspace.save_jobs()
    cleared = workspace.plan_field(rows, "provider.name", FieldEdit(Op.CLEAR)).step  # a scalar inside: fine
    assert cleared is not None and len(cleared.edits) == len(PATHS)
    workspace.apply_step(cleared)
    workspace.apply_saved(save_batch(workspace.save_jobs(), root=os.path.realpath(root)))
    workspace.apply_step(cleared, undo=True)
    results = save_batch(workspace.save_jobs(), root=os.path.realpath(root))
    assert all(r.result.status is Status.OK for r in results), [r.result.message for r in results]
    assert {p: (root / p).read_bytes() for p in PATHS} == original


def test_edit_field_refuses_a_new_key_save_could_not_add(tmp_path):
    """A key the files do not have and the writer cannot add (`foo: bar`, `a.0`) was planned,
    shown in Review as unsaved, and refused by Save on every file ("new keys must be simple
    names"): Review listed files Save could not write. Refused when planned; a key Save can add
    (`seo.image`, `a-b_c`) is planned and written."""
    root = tmp_path / "site"
    shutil.copytree(SAMPLE, root)
    workspace = Workspace(root)
    workspace.add_entries([library.load_one(str(root), p) for p in PATHS[:2]])
    rows = [workspace.rows[p] for p in PATHS[:2]]
    for key in ("foo: bar", "#note", "seo.0", "- x", "a..b"):
        planned = workspace.plan_field(rows, key, FieldEdit(Op.SET, "v"))
        assert planned.step is None and set(planned.errors) == set(PATHS[:2]), key
        assert all(("simple names" if all(key.split(".")) else "on each side of every dot") in why
                   for why in planned.errors.values())  # fmt: skip
    for key in ("seo.image", "a-b_c"):
        step = workspace.plan_field(rows, key, FieldEdit(Op.SET, "v")).step
        assert step is not None
        workspace.apply_step(step)
    assert {job.path for job in workspace.save_jobs()} == set(PATHS[:2])
    results = save_batch(workspace.save_jobs(), root=os.path.realpath(root))
    assert all(r.result.status is Status.OK for r in results), [r.result.message for r in results]
