"""Editing the articles.

`Editing` owns the undo history (a QUndoStack) and turns edit requests into one undoable step
each on the session's workspace (Workspace.plan_edit and apply_step: undo works on the
values as they are then, and never reverses another program's change). A batch over the
configured size is confirmed first (Prompts). It also counts the topics the editor can pick
from. Emits:
  values_changed(list[int] rows) after any do, undo, redo or revert,
  edited() after a do, undo or redo (a save may follow), reload_requested(list[str] paths)
  after a revert, topic_choices(list[str]).
QtCore and QtGui only (QUndoStack).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ...core import words
from ...core.document import schema
from ...core.document.writes import ByteEdit, SaveResult, Status, write_edits
from ...core.folder.edits import EditOp, EditStep, FileEdit, StepResult
from ...core.gently import paused_gc
from ...core.site import topics
from ...core.site.article import Summary
from ..slices import CHUNK, Slices
from ..tasks import Task, Tasks
from .messages import Messages, Prompts
from .session import Session

#: Edits of more rows than this are planned and applied in slices (see ui/slices.py).
SLICED = 2 * CHUNK
#: Rows whose summaries a slice of a plan reads from the index (~13 us a row, idle).
READ = 250


class EditCommand(QUndoCommand):
    """One single or batch edit, done and undone through `apply(step, undo)`."""

    def __init__(self, text: str, step: EditStep, apply: Callable[[EditStep, bool], None]):
        super().__init__(text)
        self.step = step
        self.apply = apply

    def redo(self) -> None:
        self.apply(self.step, False)

    def undo(self) -> None:
        self.apply(self.step, True)


class WriteCommand:
    """Files written at once (in a worker) on redo and written back on undo, each only over the
    bytes it was made from (core.document.writes.ByteEdit): a file changed since is left alone and named.
    `written(results, undone)` runs on the GUI thread after each write."""

    def __init__(self, edits: list[ByteEdit], tasks: Tasks, messages: Messages, what: str = "file",
                 written: Callable[[list[SaveResult], bool], None] | None = None):  # fmt: skip
        self.edits, self.tasks, self.messages, self.what = edits, tasks, messages, what
        self.written = written

    def _write(self, edits: list[ByteEdit], undone: bool = False) -> None:
        def done(results: list[SaveResult]) -> None:
            failed = [r for r in results if r.status is not Status.OK]
            if failed:
                self.messages.error(
                    f"{words.count(len(failed), self.what)} could not be written",
                    "\n".join(f"{r.path}: {r.message}" for r in failed),
                )
            if self.written is not None:
                self.written(results, undone)

        self.tasks.run(lambda p: write_edits(edits), done, failed=f"Writing the {self.what}s failed")

    def redo(self) -> None:
        self._write(self.edits)

    def undo(self) -> None:
        self._write([e.reversed() for e in self.edits], undone=True)


class Group(QUndoCommand):
    """One undo step made of several parts, done in order and undone in reverse. The parts are
    plain Python objects with redo() and undo(), not child commands: a QUndoCommand made with a
    parent in Python is deleted twice (by its parent and by its wrapper), and crashes."""

    def __init__(self, text: str):
        super().__init__(text)
        self.parts: list = []

    def redo(self) -> None:
        for part in self.parts:
            part.redo()

    def undo(self) -> None:
        for part in reversed(self.parts):
            part.undo()


def similar_topics(topic: str, known: set[str], most: int = 5) -> list[str]:
    """Known topics the typed one may have meant: those it starts, then those it appears in."""
    folded = topic.casefold()
    starts = sorted((t for t in known if t.casefold().startswith(folded)), key=str.casefold)
    inside = sorted((t for t in known if folded in t.casefold() and t not in starts), key=str.casefold)
    return (starts + inside)[:most]


class Editing(QObject):
    values_changed = Signal(list)
    edited = Signal()
    reload_requested = Signal(list)
    topic_choices = Signal(list)

    def __init__(
        self,
        session: Session,
        tasks: Tasks,
        prompts: Prompts,
        messages: Messages,
        confirm_over: Callable[[], int],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session, self.tasks, self.prompts, self.messages = session, tasks, prompts, messages
        self.confirm_over = confirm_over
        self.undo_stack = QUndoStack(self)
        #: edits of thousands of rows, planned and applied a slice per event-loop turn (apart:
        #: an undo finishes what is being applied, never a plan, which pushes when it ends)
        self.planning, self.slices = Slices(parent=self), Slices(parent=self)
        self._parts: dict[int, list[EditStep]] = {}  # id(step) -> its parts, for sliced steps
        self.known_topics: set[str] = set()  # in the folder or the site's taxonomy, not retired (see count_topics)
        self.site_topics = topics.SiteTopics()  # the site's, as count_topics was last given them
        self.common_topics: list[str] = []  # nearly every article has them (see core.site.topics.tally)
        self._tally: Task | None = None  # the folder's topics being counted (see count_topics)
        session.opened.connect(self._opened)

    def _opened(self, workspace) -> None:
        self.known_topics.clear()
        self.common_topics.clear()
        self._parts.clear()
        if self._tally is not None:
            self._tally.cancel()

    def request(self, rows: Sequence[int], key: str, op: EditOp | str, value: Any) -> bool:
        """Turn an edit of these rows into one undoable step; False when nothing changed. An edit
        of thousands of rows is planned and applied in slices, an event-loop turn apart (see
        ui/slices.py): then True says it was started."""
        op = EditOp(op)
        new_topic = key == "topics" and op is EditOp.ADD and value not in self.known_topics
        if new_topic:
            alias_of = self.site_topics.aliases.get(value)  # a name merged into another: that one first
            similar = [*([alias_of] if alias_of else []), *similar_topics(value, self.known_topics - {alias_of})]
            if not self.prompts.confirm_new_topic(value, similar):
                self.messages.info(f"“{value}” was not added.", 6000)
                return False
        self.flush()  # an edit still being planned or applied comes first
        workspace, rows = self.session.workspace, list(rows)
        if len(rows) <= SLICED:
            return self._planned(workspace.plan_edit(rows, key, op, value), workspace.drafts_left, new_topic)
        edits: list[FileEdit] = []
        drafts: list[str] = []
        held: dict[int, Summary] = {}  # the rows' summaries, read once for the plan and the apply

        def plan():
            for start in range(0, len(rows), CHUNK):
                part = rows[start : start + CHUNK]
                for at in range(0, len(part), READ):  # (read from the index a few ms at a time)
                    with paused_gc(keep=True):  # (the bases of the edit live on: see _apply)
                        held.update(workspace.hold(part[at : at + READ]))
                    yield
                with paused_gc(keep=True):
                    step = workspace.plan_edit(part, key, op, value)
                drafts.extend(workspace.drafts_left)
                edits.extend(step.edits if step is not None else ())
                yield

        def planned() -> None:
            if workspace is self.session.workspace:
                self._planned(EditStep(key, op, value, edits) if edits else None, drafts, new_topic)
            # once the step is applied (its slices, queued by the push, come first)
            self.slices.run(iter(()), lambda: workspace.let_go(held))

        self.planning.run(plan(), planned)
        return True

    def flush(self) -> None:
        """Finish at once what is still being planned (it is then pushed) and applied. Not from
        inside the undo stack: a plan that finishes pushes a command."""
        self.planning.flush()
        self.slices.flush()

    def _planned(self, step: EditStep | None, drafts: list[str], new_topic: bool) -> bool:
        workspace = self.session.workspace
        if drafts:
            where = ", ".join(workspace.profile.drafts)
            self.messages.warning(
                f"{words.count(len(drafts), 'draft')} left as they are: a file in {where} is "
                "a draft by its folder, and moving it out publishes it.",
                "\n".join(drafts),
            )
        if step is None:
            if not drafts:
                self.messages.info("Nothing to change: the selection already has that value.", 4000)
            return False
        key, op, value = step.key, step.op, step.value
        if not self.submit(step, schema.undo_text(key, op.value, value, len(step.edits))):
            return False
        if key == "topics" and op is EditOp.REMOVE:  # removed by the editor: not suggested again for these
            for edit in step.edits:
                workspace.refused.setdefault(edit.path, set()).add(value)
        if new_topic:
            self.known_topics.add(value)  # asked once
        return True

    def submit(self, step: EditStep, text: str) -> bool:
        """Push a planned step as one undo step (done at once); a batch over the configured size
        is confirmed first. Every edit of articles, from any feature, comes through here."""
        count = len(step.edits)
        if count > self.confirm_over() and not self.prompts.confirm_batch(text, count):
            return False
        self.undo_stack.push(EditCommand(text, step, self._apply))
        return True

    def _apply(self, step: EditStep, undo: bool) -> None:
        """Do or undo a step; one of thousands of rows in slices of CHUNK rows (each part its own
        step, made once, so undo and redo find what each part did)."""
        self.slices.flush()  # what an earlier do or undo still has to apply comes first (not plans: see flush)
        workspace = self.session.workspace
        if len(step.edits) <= SLICED:
            self._applied(workspace.apply_step(step, undo), undo)
            return
        parts = self._parts.get(id(step))
        if parts is None:
            edits = step.edits
            parts = [EditStep(step.key, step.op, step.value, edits[i : i + CHUNK]) for i in range(0, len(edits), CHUNK)]
            self._parts[id(step)] = parts
        kept: list[str] = []

        def apply():
            for part in reversed(parts) if undo else parts:
                # what a part builds lives on (the rows' summaries before and after, until saved
                # or undone): frozen out of the cyclic collector's sight, or its next full
                # collection walks all of it on the GUI thread (123-261 ms measured in the save
                # that followed a 10k publish at 21,000 articles)
                with paused_gc(keep=True):
                    result = workspace.apply_step(part, undo)
                kept.extend(result.kept)
                self.values_changed.emit(result.rows)
                yield

        def applied() -> None:
            self._applied(StepResult([], kept), undo)

        self.slices.run(apply(), applied)

    def _applied(self, result: StepResult, undo: bool) -> None:
        self.values_changed.emit(result.rows)  # (after slices: none left, the window catches up)
        if result.kept:
            n = len(result.kept)
            self.messages.info(
                f"{'Undo' if undo else 'Redo'} left {words.count(n, 'article')} as they are: "
                "their value changed since that edit (on disk or by another edit).",
                10000,
            )
        self.edited.emit()

    def ask_add_topic(self, rows: Sequence[int], choices: list[str]) -> bool:
        topic = self.prompts.ask_topic("Add Topic", "Topic to add to the selected articles:", choices, True)
        return bool(topic) and self.request(rows, "topics", EditOp.ADD, topic)

    def ask_remove_topic(self, rows: Sequence[int]) -> bool:
        summaries = self.session.workspace.brief(list(rows))  # (their topics: nothing read from the index)
        present = sorted({t for s in summaries for t in s.topics}, key=str.casefold)
        if not present:
            self.messages.info("The selected articles have no topics.", 4000)
            return False
        topic = self.prompts.ask_topic("Remove Topic", "Topic to remove from the selected articles:", present, False)
        return bool(topic) and self.request(rows, "topics", EditOp.REMOVE, topic)

    def ask_quality(self, rows: Sequence[int]) -> bool:
        known = (s.quality for s in self.session.workspace.brief(list(rows)))
        value = self.prompts.ask_quality(next((q for q in known if q is not None), 50))
        return value is not None and self.request(rows, "quality", EditOp.SET, value)

    def revert(self, rows: Sequence[int]) -> None:
        """Drop unsaved edits and show what is on disk now (read again: it may have changed).
        The undo history stays: undo and redo apply to the values as they are then."""
        workspace = self.session.workspace
        reverted = workspace.revert(rows)
        if reverted:
            self.values_changed.emit(reverted)
            self.reload_requested.emit([workspace.path(r) for r in reverted])
            self.messages.info(f"Reverted {words.count(len(reverted), 'article')} to what is on disk.", 5000)

    def step_command(self, step: EditStep, text: str) -> EditCommand:
        """A command doing `step`, for a step of several parts (see topics.Group) to run."""
        return EditCommand(text, step, self._apply)

    def revert_all(self) -> None:
        self.revert(self.session.workspace.dirty_rows())

    def revert_change(self, row: int, key: str) -> None:
        """From the Changes view: take back one field (as an undoable step), or with no key
        every unsaved edit of the article."""
        workspace = self.session.workspace
        if not key:
            self.revert([row])
            return
        step = workspace.plan_revert(row, key)
        if step is not None:
            self.undo_stack.push(EditCommand(f"Revert {key} of {workspace.path(row)}", step, self._apply))

    def count_topics(self, site: topics.SiteTopics) -> Task:
        """The folder's topics, counted in a worker in one pass with the folder's common topics
        (core.site.topics.tally), with the site's (completion offers no retired topic): emits
        topic_choices."""
        # a copy of the topics column (None: an article's not known yet; no Summary is read)
        topic_lists = self.session.workspace.table.topics_of()
        workspace = self.session.workspace
        if self._tally is not None:
            self._tally.cancel()  # a count of the values before: this one replaces it

        def done(counted: tuple[set[str], list[str]]) -> None:
            names, self.common_topics = counted
            self.site_topics = site
            self.known_topics = site.known(names)
            self.topic_choices.emit(sorted(self.known_topics, key=str.casefold))

        # (cancelled when another folder opens: counting the last one's 100,000 articles then
        # only took the GIL from the new load's first turns)
        fresh = self.session.still(workspace)
        self._tally = task = self.tasks.run(
            lambda p: topics.tally(topic_lists, p.cancel_event), done,
            failed="Counting topics failed", still=lambda: fresh() and task is self._tally,
        )  # fmt: skip
        return task
