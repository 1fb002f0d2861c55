"""Any field of the articles: Edit Field… on a selection, and other fields as list columns.

Edit Field… reads the selected files once in a worker, asks the editor for a key and an edit
with a preview (Prompts.edit_field), and applies it as one undo step: the keys the window
edits itself (topics, quality, published) become an ordinary unsaved edit, saved by Save with
its conflict checks; any other key is written at once, each file only over the bytes the
preview was made from (a file changed since is left alone and named), and Undo writes the
old bytes back on the same terms. The disk check that follows reads what was written.

Other Fields… (the table header's menu) counts every key of the folder in a worker and shows
the chosen ones as columns, read again after each load and write.
QtCore only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...core import fields, words
from ...core.article import EDITABLE
from ...core.editing import DELETE
from ...core.edits import EditOp, EditStep, FileEdit
from ...core.files import SaveResult, Status
from ..tasks import Tasks
from .editing import Editing, Group, WriteCommand
from .messages import Messages, Prompts
from .session import Session


def wrong_type(key: str, value: Any) -> str:
    """Why a value cannot be the window's own field `key` ("" when it can)."""
    if value is DELETE:
        return ""
    if key == "topics" and not (isinstance(value, list) and all(isinstance(t, str) and t for t in value)):
        return "topics must be a list of names"
    if key == "published" and not isinstance(value, bool):
        return "published must be true or false"
    if key == "quality" and value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        return "quality must be a whole number"
    return ""


class FieldsController(QObject):
    #: {key: {path: text}} for the columns of other fields, after each read
    columns_read = Signal(object)

    def __init__(
        self, session: Session, editing: Editing, tasks: Tasks, prompts: Prompts, messages: Messages,
        parent: QObject | None = None,
    ):  # fmt: skip
        super().__init__(parent)
        self.session, self.editing, self.tasks, self.prompts, self.messages = session, editing, tasks, prompts, messages
        #: set by the window: read what changed on disk, these files written by Curator
        #: ((absolute path, digest of the bytes written), see Watcher.expect)
        self.check_disk: Callable[[list[tuple[str, str]]], None] = lambda written: None
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

        def done(reads: list[fields.Read] | None, error: BaseException | None) -> None:
            self.messages.info("", 1)
            if error is not None:
                self.messages.failed("Reading the selected articles failed", error)
            elif reads is not None and workspace is self.session.workspace:
                self.ask(rows, reads, key)

        self.tasks.run(lambda p: fields.read(root, paths), done)

    def ask(self, rows: list[int], reads: list[fields.Read], key: str = "") -> bool:
        workspace = self.session.workspace
        counts = fields.key_counts(reads)
        keys = sorted(set(counts) | set(EDITABLE), key=lambda k: (-counts[k], k))
        readable = [r for r in reads if r.document is not None]

        def values(k: str) -> dict[str, Any]:
            if k in EDITABLE:  # as the window shows them, unsaved edits included
                return {workspace.path(r): workspace.current(r, k) for r in rows if r in range(len(workspace))}
            return {r.path: r.value(k) for r in readable}

        answer = self.prompts.edit_field(keys, values, len(rows), key)
        if answer is None:
            return False
        chosen, edit = answer
        planned = fields.plan(values(chosen), edit, chosen)
        unreadable = [f"{r.path}: {r.error}" for r in reads if r.document is None and chosen not in EDITABLE]
        if unreadable:
            self.prompts.show_failures(
                f"{words.count(len(unreadable), 'file')} could not be read; left alone", unreadable
            )
        if not planned.changes:
            self.messages.info(f"No selected article's {chosen} changes.", 4000)
            return False
        text = f"Edit {chosen} of {words.count(len(planned.changes), 'article')}"
        if chosen in EDITABLE:
            return self._step(chosen, planned, text)
        self._write(chosen, planned, readable, text)
        return True

    def _step(self, key: str, planned: fields.FieldPlan, text: str) -> bool:
        """The window's own fields: an unsaved edit like any other, one undo step."""
        bad = {p: why for p, (_, after) in planned.changes.items() if (why := wrong_type(key, after))}
        if bad:
            self.prompts.show_error(f"Nothing was changed: {next(iter(bad.values()))}.")
            return False
        edits = [FileEdit(path, before, after) for path, (before, after) in planned.changes.items()]
        command = Group(text)
        command.parts.append(self.editing.step_command(EditStep(key, EditOp.SET, None, edits), text))
        self.editing.undo_stack.push(command)
        return True

    def _write(self, key: str, planned: fields.FieldPlan, reads: list[fields.Read], text: str) -> None:
        """Any other key: each file's new bytes made in a worker, then written as one undo step."""
        workspace = self.session.workspace

        def done(made: tuple | None, error: BaseException | None) -> None:
            if error is not None:
                self.messages.failed("Editing the field failed", error)
                return
            edits, errors = made
            if errors:
                self.prompts.show_failures(
                    f"{words.count(len(errors), 'file')} cannot take this edit; left alone",
                    [f"{p}: {why}" for p, why in errors.items()],
                )
            if not edits or workspace is not self.session.workspace:
                return
            command = Group(text)
            command.parts.append(WriteCommand(edits, self.tasks, self.messages, "file", self.written))
            self.editing.undo_stack.push(command)

        self.tasks.run(lambda p: fields.byte_edits(reads, key, planned.changes), done)

    def written(self, results: list[SaveResult], undone: bool = False) -> None:
        n = sum(r.ok for r in results)
        if n:
            done = f"Undone: wrote {words.count(n, 'file')} back." if undone else f"Wrote {words.count(n, 'file')}."
            self.messages.info(done, 4000)
        self.check_disk([(r.path, r.snapshot.digest) for r in results if r.status is Status.OK and r.snapshot])
        self.read_columns()

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

        def done(counts: list[tuple[str, int]] | None, error: BaseException | None) -> None:
            self.messages.info("", 1)
            if error is not None:
                self.messages.failed("Reading the fields failed", error)
                return
            if counts is None or workspace is not self.session.workspace:
                return
            chosen = self.prompts.pick_fields(counts, self.keys)
            if chosen is not None:
                self.keys = chosen
                self.read_columns()

        self.tasks.run(count, done)

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

        def done(texts: dict | None, error: BaseException | None) -> None:
            if error is not None:
                self.messages.failed("Reading the fields failed", error)
            elif texts is not None and workspace is self.session.workspace:
                self.columns_read.emit(texts)

        self.tasks.run(read, done)
