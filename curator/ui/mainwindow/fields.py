"""Any field of the articles: Edit Field… on a selection, and other fields as list columns.

Edit Field… reads the selected files once in a worker, asks the editor for a key and an edit
with a preview (Prompts.edit_field), and plans it on the workspace like every other edit
(Workspace.plan_field): one unsaved undo step of any key, listed in Review Changes and written
by Save with its conflict checks; a large selection is confirmed first (Editing.submit). The
preview is planned by the same function Apply plans with (`check`): what it shows as changing
is what Apply changes, and what Apply refuses it lists, with the reason, before Apply.

Other Fields… (the table header's menu) counts every key of the folder in a worker and shows
the chosen ones as columns, read again after each load and write.
QtCore only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...core import words
from ...core.document import schema
from ...core.folder import fields
from ...core.folder.workspace import FieldStep
from ...core.site.article import EDITABLE
from ..tasks import Tasks
from .editing import Editing
from .messages import Messages, Prompts
from .session import Session


class FieldsController(QObject):
    #: {key: {path: text}} for the columns of other fields, after each read
    columns_read = Signal(object)

    def __init__(
        self, session: Session, editing: Editing, tasks: Tasks, prompts: Prompts, messages: Messages,
        parent: QObject | None = None,
    ):  # fmt: skip
        super().__init__(parent)
        self.session, self.editing, self.tasks, self.prompts, self.messages = session, editing, tasks, prompts, messages
        self.keys: list[str] = []  # other fields shown as columns

    # -- Edit Field… --

    def edit_field(self, rows: Sequence[int], key: str = "") -> None:
        """Read the selection in a worker, then ask for the edit (see the module's text)."""
        if not rows or not self.session.is_open:
            self.messages.info("Select the articles to edit first.", 4000)
            return
        workspace, rows, root = self.session.workspace, list(rows), self.session.root
        paths = [workspace.path(r) for r in rows]
        self.messages.info(f"Reading {words.count(len(paths), 'article')}…", 0)

        self.tasks.run(
            lambda p: fields.read(root, paths), lambda reads: self.ask(rows, reads, key),
            failed="Reading the selected articles failed", still=self.session.still(workspace),
            always=lambda: self.messages.info("", 1),
        )  # fmt: skip

    def ask(self, rows: list[int], reads: list[fields.Read], key: str = "") -> bool:
        """Ask for the edit, plan it on the workspace (Workspace.plan_field: checked against the
        field's kind) and push it as one unsaved undo step, confirmed first when large."""
        workspace = self.session.workspace
        counts = fields.key_counts(reads)
        keys = sorted(set(counts) | set(EDITABLE), key=lambda k: (-counts[k], k))
        readable = [r for r in reads if r.document is not None]

        def values(k: str) -> dict[str, Any]:
            name = schema.logical(k, None, workspace.profile)[0]
            if name in EDITABLE:  # as the window shows them, unsaved edits included
                return {workspace.path(r): workspace.current(r, name) for r in rows if r in range(len(workspace))}
            # as read, or as an unsaved edit of it made them (no file is read again here)
            pending = {workspace.path(r): workspace.pending[r][k] for r in rows if k in workspace.pending.get(r, ())}
            return {r.path: pending.get(r.path, r.value(k)) if pending else r.value(k) for r in readable}

        unreadable = [r for r in reads if r.document is None]
        learnt: set[str] = set()

        def planned_for(k: str, edit: fields.FieldEdit) -> FieldStep:
            """The edit planned on the workspace, as Apply plans it (a key the list does not
            keep starts from the values read, learnt once per key)."""
            targets = rows
            if schema.logical(k, None, workspace.profile)[0] not in EDITABLE:
                if k not in learnt:
                    workspace.learn(k, {r.path: r.value(k) for r in readable})
                    learnt.add(k)
                targets = [workspace.rows[r.path] for r in readable if r.path in workspace.rows]
            return workspace.plan_field(targets, k, edit)

        def check(k: str, edit: fields.FieldEdit) -> fields.FieldPlan:
            """What Apply would do, for the preview: the same planning, its refusals included."""
            planned = planned_for(k, edit)
            changes = {e.path: (e.before, e.after) for e in planned.step.edits} if planned.step else {}
            errors = {r.path: r.error for r in unreadable} | planned.errors
            return fields.FieldPlan(changes, errors, max(0, len(rows) - len(changes) - len(errors)))

        answer = self.prompts.edit_field(keys, values, len(rows), key, check)
        if answer is None or workspace is not self.session.workspace:
            return False
        chosen, edit = answer
        planned = planned_for(chosen, edit)
        left = [f"{r.path}: {r.error}" for r in unreadable] + [f"{p}: {why}" for p, why in planned.errors.items()]
        if left:
            self.prompts.show_failures(f"{words.count(len(left), 'file')} cannot take this edit; left alone", left)
        if planned.step is None:
            self.messages.info(f"No selected article's {chosen} changes.", 4000)
            return False
        text = f"Edit {chosen} of {words.count(len(planned.step.edits), 'article')}"
        return self.editing.submit(planned.step, text)

    # -- other fields as columns --

    def choose_columns(self) -> None:
        """Count every key of the folder (in a worker), then ask which to show as columns."""
        if not self.session.is_open:
            return
        workspace, root = self.session.workspace, self.session.root
        paths = list(workspace.table.paths)
        self.messages.info(f"Reading the fields of {words.count(len(paths), 'article')}…", 0)

        def count(progress) -> list[tuple[str, int]]:
            counts = fields.key_counts(fields.iter_read(root, paths, gently=True))  # one file in memory at a time
            return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

        def done(counts: list[tuple[str, int]]) -> None:
            chosen = self.prompts.pick_fields(counts, self.keys)
            if chosen is not None:
                self.keys = chosen
                self.read_columns()

        self.tasks.run(
            count, done, failed="Reading the fields failed", still=self.session.still(workspace),
            always=lambda: self.messages.info("", 1),
        )  # fmt: skip

    def read_columns(self) -> None:
        """Read the chosen fields' values of every article (in a worker); emits columns_read."""
        if not self.session.is_open:
            return
        workspace, keys, root = self.session.workspace, list(self.keys), self.session.root
        if not keys:
            self.columns_read.emit({})
            return
        paths = list(workspace.table.paths)

        def read(progress) -> dict[str, dict[str, str]]:
            return fields.column_texts(fields.iter_read(root, paths), keys)  # one file at a time

        still = self.session.still(workspace)
        self.tasks.run(read, self.columns_read.emit, failed="Reading the fields failed", still=still)
