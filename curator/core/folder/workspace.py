"""An open folder: its articles, the editor's unsaved changes and what is on disk.

Qt-free so that editing, undo bookkeeping and saving logic are tested without widgets. Rows
are positions in `table`; paths ('/'-separated, relative to the root) identify articles across
reloads, so undo steps keep working when rows come and go.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import and_, eq, is_, is_not
from pathlib import Path
from typing import Any, NamedTuple

from curator.core.document import schema
from curator.core.document.editing import merge_value
from curator.core.document.formats.base import new_key_ok, writable
from curator.core.document.snapshots import Snapshot, Snapshots, digest
from curator.core.document.values import DELETE
from curator.core.document.writes import SaveResult, Status
from curator.core.folder import fields
from curator.core.folder.edits import (
    KEPT,
    NO_FOREIGN,
    NOTHING,
    EditOp,
    EditStep,
    FileEdit,
    Foreign,
    StepResult,
    applied,
    redone,
    same_value,
    summary_value,
    undone,
    value_of,
    with_changes,
)
from curator.core.folder.fields import same
from curator.core.folder.library import Entry, Problem, Severity
from curator.core.folder.opening import Changes, warning_problems
from curator.core.folder.saving import COMMIT_CHUNK, PARALLEL_SAVE, Saved, SaveJob, save_batch  # noqa: F401 (importers)
from curator.core.folder.table import Columns, Table
from curator.core.gently import SplitDict, empty_gently, paused_gc, trim_heap
from curator.core.site import profiles
from curator.core.site.article import DEFAULTS, EDITABLE, Summary
from curator.core.site.profiles import Profile
from curator.core.site.topics import bad_topics


@dataclass(frozen=True, slots=True)
class Changed:
    """What the Workspace tells its listeners after a change of shown values (napari's events):
    the rows whose values or unsaved state changed, and whether their changed-on-disk state may
    have too. A Qt model maps it to the roles it touches; no one forwards row lists by hand."""

    rows: Sequence[int]
    disk: bool = False  # rows read again, or marked changed on disk
    #: rows that left the table (their numbers before, ascending): every later row's number
    #: went down by the count of those before it. Told at once, before anyone reads a row.
    removed: Sequence[int] = ()
    #: the keys whose values changed (an edit's), None when any may have (a file read again)
    keys: frozenset[str] | None = None


class Workspace:
    def __init__(self, root: str | os.PathLike[str], profile: Profile | None = None, text_folder: str | None = None):
        """`text_folder`: where the search text of its rows is kept (see texts.py; the window
        gives its cache folder: a system's temporary folder may be in memory, as tmpfs)."""
        self.root = Path(root)
        #: what the site's keys mean (see core/site/profiles.py)
        self.profile = profile or profiles.for_root(root)
        #: files a publish or unpublish left alone, from the last plan_edit: drafts by their
        #: folder (Jekyll's `_drafts/`), which only moving the file publishes
        self.drafts_left: list[str] = []
        self.table = Table(text_folder=text_folder)
        self.snapshots = Snapshots()  # in columns: ~50 bytes a row (see snapshots.Snapshots)
        self.rows = SplitDict()  # path -> row
        self.saved: dict[int, Summary] = {}  # row -> summary as on disk, for rows with edits
        self.pending: dict[int, dict[str, Any]] = {}  # row -> {key: unsaved value}
        #: path -> what is wrong with that file (unreadable: one error; loaded: its warnings)
        self.problems: dict[str, tuple[Problem, ...]] = {}
        #: edited files that changed on disk since: Save asks before writing them (path -> the
        #: file's values on disk now, which the Changes view shows as "On disk")
        self.changed_on_disk: dict[str, Summary] = {}
        #: what other programs did to the topics of files since they were opened
        self.foreign: dict[str, Foreign] = {}
        #: topics the editor removed from an article: never suggested for it again
        self.refused: dict[str, set[str]] = {}
        #: row -> {key: value on disk} of keys the list does not keep (schema: not tracked), as
        #: read for an edit or written by a save; dropped when the file is read again
        self.known: dict[int, dict[str, Any]] = {}
        #: path -> what saves of this session that removed a key replaced ((bytes before, digest
        #: after), see saves.prepare_save): Undo and Save put such a key back where it stood
        self.restores: dict[str, list[tuple[bytes, str]]] = {}
        #: called with a Changed after each change of shown values (see subscribe)
        self.listeners: list[Callable[[Changed], None]] = []

    def subscribe(self, listener: Callable[[Changed], None]) -> None:
        self.listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Changed], None]) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def changed(self, rows: Sequence[int], disk: bool = False, keys: frozenset[str] | None = None) -> None:
        """Tell the listeners that these rows show new values (of `keys`, when known)."""
        if rows:
            event = Changed(rows, disk, keys=keys)
            for listener in list(self.listeners):
                listener(event)

    def __len__(self) -> int:
        return len(self.table)

    def release(self, piece: int = 512, pause: float = 0.0) -> None:
        """Empty this workspace a piece at a time: when another folder replaces it, a worker
        runs this so its 100,000 articles are not freed in one go wherever the last reference
        drops (one deallocation that long holds the GIL: 95 ms of GUI stall measured at 100k).
        With `pause` between the pieces (see empty_gently) it leaves the GIL to the new load."""
        self.snapshots.clear()  # (a few arrays: freed at once)
        self.table.text.clear()  # (the same, and a file)
        empty_gently([*self.table.containers(), self.rows, self.saved, self.pending, self.known,
                      self.problems, self.changed_on_disk, self.foreign, self.refused], piece, pause)  # fmt: skip
        trim_heap()

    # -- loading --

    def add(
        self, summaries: Sequence[Summary | None], snapshots: Sequence[Snapshot], columns: Columns | None = None
    ) -> range:
        """Append loaded articles (or rows read ahead from the index, see Table.extend); returns their rows."""
        start = len(self.table)
        if summaries:
            self.table.fields.clear()  # new files: their values of `field:` keys are read again
        paths = columns.paths if columns is not None else [s.path for s in summaries]
        self.rows.update(zip(paths, range(start, start + len(summaries)), strict=True))
        self.snapshots.extend(snapshots)
        self.table.extend(summaries, columns)
        return range(start, len(self.table))

    def indexed(self, summaries: Iterable[Summary], fetch: Callable[[Sequence[str]], dict[str, Summary]]) -> None:
        """The index (read through `fetch`) holds these summaries now: rows that still show the
        same objects may let them go, and read them from it again when needed (see Summaries)."""
        table = self.table
        if table.summaries.fetch is None:
            table.summaries.fetch = fetch
        rows = [row for s in summaries if (row := self.rows.get(s.path)) is not None and table.summaries.peek(row) is s]
        table.summaries.indexed(rows)

    def add_entries(self, entries: Sequence[Entry]) -> range:
        self.note_problems([], [e.summary for e in entries])
        return self.add([e.summary for e in entries], [e.snapshot for e in entries])

    def replace(self, entry: Entry) -> int:
        """A file changed on disk and was loaded again: its unsaved changes are dropped."""
        row = self.rows[entry.summary.path]
        saved = self.saved.get(row)
        # the topics it showed, from the facets' column: a row read from the index is not
        # fetched for them (a row at a time: 10,000 files changed on disk held the window 40 s)
        old = saved.topics if saved is not None else self.table.facets.topics[row]
        if old is None:  # (listed from the index, its values not come yet)
            old = self.table.summaries[row].topics
        if old != entry.summary.topics:
            self.foreign.setdefault(entry.summary.path, Foreign()).note(old, entry.summary.topics)
        self.saved.pop(row, None)
        self.pending.pop(row, None)
        self.known.pop(row, None)
        self.changed_on_disk.pop(entry.summary.path, None)
        self.snapshots[row] = entry.snapshot
        self.table.replace(row, entry.summary)
        self.table.fields.clear()  # any key may have changed: `field:` terms read the files again
        self.note_problems([], [entry.summary])
        return row

    def remove(self, paths: Iterable[str]) -> list[int]:
        """Forget deleted files (and their problems); returns the removed rows (old numbering), ascending."""
        paths = list(paths)
        for path in paths:
            self.problems.pop(path, None)
            self.changed_on_disk.pop(path, None)
        gone = sorted(self.rows[p] for p in paths if p in self.rows)
        if not gone:
            return []
        drop = set(gone)
        self.table.fields.clear()
        keep = [r for r in range(len(self.table)) if r not in drop]
        renumber = {old: new for new, old in enumerate(keep)}
        self.table.remove(gone)
        self.snapshots = self.snapshots.take(keep)
        self.saved = {renumber[r]: s for r, s in self.saved.items() if r in renumber}
        self.pending = {renumber[r]: c for r, c in self.pending.items() if r in renumber}
        self.known = {renumber[r]: c for r, c in self.known.items() if r in renumber}
        for path in paths:
            self.rows.pop(path, None)
        first = gone[0]  # (the rows before it keep their numbers)
        self.rows.update(zip(self.table.paths[first:], itertools.count(first)))
        for listener in list(self.listeners):
            listener(Changed((), removed=gone))
        return gone

    # -- problems --

    def note_problems(self, problems: Iterable[Problem], summaries: Iterable[Summary | None] = ()) -> bool:
        """Record what is wrong with files: each file named here (by a problem, or by its
        summary, whose warnings replace what was known) gets exactly these problems; returns
        whether anything changed."""
        fresh: dict[str, list[Problem]] = {}
        for summary in summaries:
            if summary is not None:
                fresh[summary.path] = warning_problems(summary)
        for problem in problems:
            fresh.setdefault(problem.path, []).append(problem)
        changed = False
        for path, items in fresh.items():
            old = self.problems.get(path, ())
            if tuple(items) != old:
                changed = True
                if items:
                    self.problems[path] = tuple(items)
                else:
                    del self.problems[path]
        return changed

    def problem_list(self) -> list[Problem]:
        return [p for path in sorted(self.problems) for p in self.problems[path]]

    def bad_files(self) -> dict[str, Any]:
        """Files that could not be read, with their stat then (the watcher reads them again once changed)."""
        return {path: items[0].stat for path, items in self.problems.items() if items[0].severity is Severity.ERROR}

    # -- changes on disk --

    def apply_disk_changes(self, changes: Changes) -> ChangeReport:
        """Files changed on disk: clean ones are reloaded, edited ones keep the edit (and are
        marked changed-on-disk: Save asks), new ones are added, deleted ones leave, and the
        problems follow the files."""
        report = ChangeReport()
        for path, snapshot in changes.touched:
            row = self.rows.get(path)
            if row is not None:
                self.snapshots[row] = snapshot
        for entry in changes.changed:
            row = self.rows.get(entry.summary.path)
            if row is None:
                continue
            if row not in self.pending:
                report.reloaded.append(self.replace(entry))
            elif self.rebase(row, entry):
                report.rebased.append(row)
            else:
                self.changed_on_disk[entry.summary.path] = entry.summary
                report.kept.append(entry.summary.path)
        report.deleted_dirty = [p for p in changes.deleted if self.rows.get(p) in self.pending]
        report.deleted = [p for p in changes.deleted if p in self.rows]
        problems_before = dict(self.problems)
        self.remove(changes.deleted)
        report.added = self.add_entries(changes.added)
        self.note_problems(changes.problems)
        report.problems_changed = self.problems != problems_before or bool(report.reloaded)
        kept = [self.rows[p] for p in report.kept if p in self.rows]
        self.changed(sorted({*report.reloaded, *report.rebased, *kept}), disk=True)
        return report

    def rebase(self, row: int, entry: Entry) -> bool:
        """An edited file changed on disk: carry the unsaved edits over to the new version,
        unless the other program changed a value that was edited here too (then nothing
        changes, and Save asks). Topic lists merge: our additions and removals apply to
        theirs. Returns whether the edits now stand on the new version."""
        base, pending, new = self.saved[row], self.pending[row], entry.summary
        if any(key not in EDITABLE for key in pending):
            return False  # a key the list does not keep: what the other program did to it is not known here
        merged = {}
        for key, ours in pending.items():
            was, theirs = value_of(base, key), value_of(new, key)
            if key != "topics" and not (same_value(theirs, was) or same_value(ours, theirs)):
                return False
            merged[key] = merge_value(was, ours, theirs)
        self.replace(entry)
        self.set_values({new.path: merged})
        return True

    def path(self, row: int) -> str:
        return self.table.paths[row]

    def rows_of(self, abspaths: Iterable[str]) -> list[int]:
        """The rows of files named by their absolute paths (as save results name them)."""
        prefix = os.path.join(self.root, "")
        cut = len(prefix)
        found = [p[cut:] for p in abspaths if p.startswith(prefix)]  # (10,000 after a batch save: 4 ms, not 15)
        if os.sep != "/":
            found = [p.replace(os.sep, "/") for p in found]
        return [row for row in map(self.rows.get, found) if row is not None]

    def abspath(self, row: int) -> str:
        return os.path.join(self.root, self.path(row))  # not pathlib: 10,000 of these per batch save

    def summary(self, row: int) -> Summary:
        return self.table.summaries[row]

    def summaries(self, rows: Sequence[int]) -> list[Summary]:
        return self.table.summaries.take(rows)

    def brief(self, rows: Sequence[int]) -> list[Summary | Brief]:
        """The rows as a panel of many reads them: path, quality, published and topics (and all
        of a lone row's fields). A row with a Summary gives it; the others a Brief of the
        table's columns, not read from the index (a 10,000-row selection read 9,096 summaries
        on the GUI thread: 255 ms); only rows whose topics are not known yet are read."""
        if len(rows) <= 1:
            return self.summaries(rows)
        with paused_gc():  # (tuples of strings, no cycles: 10,000 rows made ~30 collections of the young)
            return self._brief(rows)

    def _brief(self, rows: Sequence[int]) -> list[Summary | Brief]:
        table = self.table
        # each column read for all rows at once, in C (a row at a time, the topics made twice a
        # row: 45-70 ms for 10,000 rows, the longest stall of a 10,000-article publish at 1M)
        have = list(map(list.__getitem__, itertools.repeat(table.summaries), rows))
        topics = table.facets.topics.of(rows)
        none = itertools.repeat(None)
        unknown = list(itertools.compress(rows, map(and_, map(is_, have, none), map(is_, topics, none))))
        if unknown:
            fetched = dict(zip(unknown, table.summaries.read(unknown), strict=True))
            have = [s or fetched.get(r) for r, s in zip(rows, have, strict=True)]
        paths = map(table.paths.__getitem__, rows)
        quality = map(table.quality.__getitem__, rows)
        published = map(eq, map(table.published.__getitem__, rows), itertools.repeat(1))
        briefs = map(tuple.__new__, itertools.repeat(Brief), zip(paths, quality, published, topics, strict=True))
        out: list[Summary | Brief] = list(briefs)  # (in C; then the few rows with a Summary kept)
        for at in itertools.compress(range(len(out)), map(is_not, have, none)):
            out[at] = have[at]
        return out

    # -- editing --

    def value(self, row: int, key: str) -> Any:
        return summary_value(self.table.summaries[row], key)

    def current(self, row: int, key: str, summary: Summary | None = None) -> Any:
        """The key's value as the editor sees it, unsaved changes included; DELETE when the
        file does not have the key (and no edit gave it one). (`summary`: the row's, if the
        caller read it already: see plan_edit.)"""
        pending = self.pending.get(row)
        if pending is not None and key in pending:
            value = pending[key]
            return list(value) if isinstance(value, (list, tuple)) else value
        return self.disk_value(row, key, summary)

    def disk_value(self, row: int, key: str, summary: Summary | None = None) -> Any:
        """The key's value in the file as last read or saved (DELETE: the file lacks it). A key
        the list does not keep is read from the file when it is not known yet."""
        if key in EDITABLE:
            base = self.saved.get(row) or summary or self.table.summaries[row]
            return summary_value(base, key) if base.has(key) else DELETE
        known = self.known.get(row)
        if known is None or key not in known:
            item = fields.read(self.root, [self.path(row)])[0]
            self.known.setdefault(row, {})[key] = value = item.value(key)
            return value
        return known[key]

    def learn(self, key: str, values: Mapping[str, Any]) -> None:
        """Values of a key the list does not keep, as just read from the files ({path: value},
        DELETE: no such key): what edits of it start from (rows with an unsaved edit of it keep theirs)."""
        if key in EDITABLE:
            return
        for path, value in values.items():
            row = self.rows.get(path)
            if row is not None and key not in self.pending.get(row, ()):
                self.known.setdefault(row, {})[key] = value

    def set_values(self, values: Mapping[str, Mapping[str, Any]]) -> list[int]:
        """Set {path: {key: value}} as the shown values (DELETE removes the key); returns the
        rows that changed.

        A value equal to what is on disk cancels the unsaved change, so undoing back to the
        saved state leaves nothing to save.
        """
        changed = []
        # the rows' summaries read at once (see _bases)
        found = self._bases([row for row in map(self.rows.get, values) if row is not None])
        for path, changes in values.items():
            row = self.rows.get(path)
            if row is None:
                continue
            base = self.saved.get(row) or found[row]
            pending = dict(self.pending.get(row, {}))
            for key, value in changes.items():
                if key not in EDITABLE:
                    on_disk = self.disk_value(row, key)
                    if same(value, on_disk):
                        pending.pop(key, None)
                    else:
                        pending[key] = value
                elif value is DELETE:
                    if base.has(key):
                        pending[key] = DELETE
                    else:
                        pending.pop(key, None)
                elif value == summary_value(base, key):
                    pending.pop(key, None)
                else:
                    pending[key] = list(value) if key == "topics" else value
            if pending:
                self.saved.setdefault(row, base)
                self.pending[row] = pending
            else:
                self.saved.pop(row, None)
                self.pending.pop(row, None)
            self.table.replace(row, with_changes(base, pending))
            changed.append(row)
        self.changed(changed, keys=frozenset(key for changes in values.values() for key in changes))
        return changed

    def hold(self, rows: Sequence[int]) -> dict[int, Summary]:
        """Read these rows' summaries now and keep them until `let_go` is given what this
        returns: a batch edit planned in pieces and applied after reads each row once (the table
        keeps only the last few thousand read: see Summaries.hold), a piece at a time."""
        return self.table.summaries.hold(rows)

    def let_go(self, held: dict[int, Summary]) -> None:
        """The rows `hold` kept may go back to the index (edited ones keep their new summaries)."""
        self.table.summaries.let_go(held)

    def _bases(self, rows: Sequence[int]) -> dict[int, Summary]:
        """The summaries of these rows (but those with unsaved edits: see `saved`), the ones only
        the index holds read in one query per FETCH rows (Summaries.take, kept as the most
        recent, so the apply of a slice right after its plan finds them): a loop reading row
        by row makes a query a row."""
        rows = [r for r in rows if r not in self.saved]
        return dict(zip(rows, self.table.summaries.take(rows), strict=True))

    def plan_edit(self, rows: Iterable[int], key: str, op: EditOp, value: Any = None) -> EditStep | None:
        """The edit of `key` on these rows as one undoable step; None when it changes nothing.

        A value the article already shows is not written (publishing an article without
        `published`, which Jekyll publishes anyway, changes nothing).
        """
        edits = []
        self.drafts_left = []
        rows = list(rows)
        found = self._bases(rows) if key in EDITABLE else {}
        for row in rows:
            if key == "published" and self.profile.in_drafts(self.path(row)):
                self.drafts_left.append(self.path(row))
                continue
            before = self.current(row, key, found.get(row))
            after = applied(op, value, before)
            if after is DELETE:
                if before is DELETE:
                    continue
            elif key not in EDITABLE:
                if same(after, before):
                    continue
            elif same_value(after, DEFAULTS[key] if before is DELETE else before):
                continue
            edits.append(FileEdit(self.path(row), before, after))
        return EditStep(key, op, value, edits) if edits else None

    def plan_field(self, rows: Iterable[int], key: str, edit: fields.FieldEdit) -> FieldStep:
        """Any edit of any key (Edit Field…, `curator set`) as one undoable step, checked against
        the field's kind (schema). A key as the site spells it (`tags`, `draft`) is the field it
        keeps; a set, add, remove or clear of a field the list keeps is the same step the batch
        actions make (so it is undone item by item). Keys the list does not keep start from the
        values learnt from the files (see learn), or read now."""
        rows = list(rows)
        key, value = schema.logical(key, edit.value, self.profile)
        field = schema.get(key)
        if edit.op is fields.Op.SET and (why := field.check(value)):
            return FieldStep(None, {self.path(r): why for r in rows})
        if field.tracked and edit.op is not fields.Op.REPLACE:
            return FieldStep(self.plan_edit(rows, key, _EDIT_OPS[edit.op], value), {})
        found = self._bases(list(rows)) if key in EDITABLE else {}
        before = {self.path(r): self.current(r, key, found.get(r)) for r in rows}
        planned = fields.plan(before, dataclasses.replace(edit, value=value), key)
        errors = dict(planned.errors)
        errors.update({p: why for p, (_, after) in planned.changes.items() if (why := field.check(after))})
        for path, (before, after) in planned.changes.items():
            if not writable(after):  # Save would refuse it
                errors.setdefault(path, f"{key}: a {type(after).__name__} cannot be written, only text, "
                                        "numbers, dates, true/false and lists of text")  # fmt: skip
            elif before is DELETE and not new_key_ok(key):  # Save would refuse to add it, and says why so
                why = ("a dotted key names a key inside a mapping, with a name on each side of every dot"
                       if not all(key.split(".")) else "new keys must be simple names")  # fmt: skip
                errors.setdefault(path, f"{key!r}: {why}")
            elif not writable(before):  # its Undo could never be saved: the value would be lost
                errors.setdefault(path, f"{key}: its value (a {type(before).__name__}) cannot be written back, "
                                        "so this edit could not be undone")  # fmt: skip
        edits = [FileEdit(p, before, after) for p, (before, after) in planned.changes.items() if p not in errors]
        self.drafts_left = []
        return FieldStep(EditStep(key, EditOp.SET, None, edits) if edits else None, errors)

    def plan_added(self, found: Mapping[int, Sequence[str]]) -> FieldStep:
        """Topics added at the end of each row's list ({row: topics}, suggestions applied) as one
        step, as the window's Apply Suggested and `curator suggest --apply` make it; an article
        whose topics are not a list of text is left alone (a list written from what the list
        shows would lose its items)."""
        edits, errors = [], {}
        bases = self._bases([row for row, topics in found.items() if topics])
        for row, topics in found.items():
            if not topics:
                continue
            if bad_topics(self.saved.get(row) or bases[row]):
                errors[self.path(row)] = "its topics are not a list of text"
                continue
            before = self.current(row, "topics", bases.get(row))
            items = [] if before is DELETE else list(before)
            after = [*items, *(t for t in dict.fromkeys(topics) if t not in items)]
            if after != items:
                edits.append(FileEdit(self.path(row), before, after))
        return FieldStep(EditStep("topics", EditOp.SET, None, edits) if edits else None, errors)

    def plan_revert(self, row: int, key: str) -> EditStep | None:
        """Taking back the unsaved change of one key of one article, as an undoable step
        (None when that key has no unsaved change)."""
        if key not in self.pending.get(row, {}):
            return None
        before = self.disk_value(row, key)
        op = EditOp.UNSET if before is DELETE else EditOp.SET
        return EditStep(key, op, before, [FileEdit(self.path(row), self.current(row, key), before)])

    def apply_step(self, step: EditStep, undo: bool = False) -> StepResult:
        """Do (or undo) a step on the values as they are now.

        Undo restores a file's value only where it is still what the step set; a list edit
        is undone on the current list (the added item removed, the removed one put back);
        anything else another program or edit changed since is left alone and listed in
        `kept`. Undoing an edit that added a key removes the key.
        """
        if step.live is None and not undo and step.op is EditOp.SET:
            # the first turn of a SET: its values do not depend on what is there (a 10,000-file
            # publish on the GUI thread skips reading every value again)
            step.live = {edit.path for edit in step.edits}
            return StepResult(self.set_values({e.path: {step.key: e.after} for e in step.edits}), [])
        values: dict[str, dict[str, Any]] = {}
        kept = []
        turn = undone if undo else redone
        for edit in step.edits:
            if step.live is not None and edit.path not in step.live:
                continue
            row = self.rows.get(edit.path)
            if row is None:
                kept.append(edit.path)
                continue
            foreign = self.foreign.get(edit.path, NO_FOREIGN) if step.key == "topics" else NO_FOREIGN
            target = turn(step, edit, self.current(row, step.key), foreign)
            if target is NOTHING or target is KEPT:
                if target is KEPT:
                    kept.append(edit.path)
                continue
            values[edit.path] = {step.key: target}
        step.live = set(values)
        return StepResult(self.set_values(values), kept)

    def dirty_rows(self) -> list[int]:
        return sorted(self.pending)

    def is_dirty(self, row: int) -> bool:
        return row in self.pending

    def revert(self, rows: Iterable[int]) -> list[int]:
        """Drop unsaved changes; the caller reads the files again (they may have changed on disk)."""
        reverted = []
        for row in rows:
            if row in self.pending:
                del self.pending[row]
                self.known.pop(row, None)
                self.table.replace(row, self.saved.pop(row))
                reverted.append(row)
        self.changed(reverted, disk=True)
        return reverted

    # -- saving --

    def save_jobs(self, rows: Iterable[int] | None = None) -> list[SaveJob]:
        """A job for each row with unsaved changes: a copy that a worker may own."""
        rows = self.dirty_rows() if rows is None else [r for r in rows if r in self.pending]
        profile = self.profile
        return [
            SaveJob(self.path(r), self.abspath(r), dict(self.pending[r]), self.snapshots[r], self.saved[r], profile,
                    {k: self.known[r][k] for k in self.pending[r] if k not in EDITABLE},
                    tuple(self.restores.get(self.path(r), ())))
            for r in rows
        ]  # fmt: skip

    def apply_saved(self, results: Iterable[Saved]) -> SaveReport:
        """Record what a save run did: saved files take their new state (edits made while it
        ran stay unsaved), conflicts and failures keep their edits."""
        report = SaveReport()
        for saved in results:
            path, result = saved.job.path, saved.result
            if path not in self.rows:
                continue
            if result.ok:
                self.keep_restore(path, result)
                summary = saved.summary or with_changes(saved.job.base, saved.job.changes)
                report.rows.append(self.saved_ok(path, result, summary, saved.job.changes))
                self.changed_on_disk.pop(path, None)
                report.written += result.status is Status.OK
            elif result.status is Status.CONFLICT:
                report.conflicts.append(path)
            else:
                report.failures.append(f"{path}: {result.message}")
        self.changed([r for r in report.rows if r is not None], disk=True)  # (saved: no longer changed on disk)
        return report

    def keep_restore(self, path: str, result: SaveResult) -> None:
        """Keep what a save replaced where an undo may need it back (see self.restores)."""
        if result.status is not Status.OK or result.old is None or result.snapshot is None:
            return
        chain = self.restores.setdefault(path, [])
        if chain and chain[-1][1] != digest(result.old):
            chain.clear()  # another program wrote the file between: the older versions are not ours to bring back
        chain.append((result.old, result.snapshot.digest))

    def saved_ok(self, path: str, result: SaveResult, summary: Summary, written: Mapping[str, Any]) -> int | None:
        """Record a successful save of `written`; changes made while it ran stay unsaved."""
        row = self.rows.get(path)
        if row is None or result.status not in (Status.OK, Status.UNCHANGED):
            return row
        if result.snapshot is not None:
            self.snapshots[row] = result.snapshot
        pending = {k: v for k, v in self.pending.get(row, {}).items() if written.get(k, _MISSING) != v}
        others = {k: v for k, v in written.items() if k not in EDITABLE}
        if others:  # what the file holds now is what the next edit of those keys starts from
            self.known.setdefault(row, {}).update(others)
        if pending:
            self.saved[row] = summary
            self.pending[row] = pending
        else:
            self.saved.pop(row, None)
            self.pending.pop(row, None)
        self.table.replace(row, with_changes(summary, pending))
        return row


_MISSING = object()


_EDIT_OPS = {fields.Op.SET: EditOp.SET, fields.Op.ADD: EditOp.ADD, fields.Op.REMOVE: EditOp.REMOVE,
             fields.Op.CLEAR: EditOp.UNSET}  # fmt: skip


class Brief(NamedTuple):
    """What Workspace.brief gives of a row without its Summary: the fields a panel of many rows
    reads, as a Summary names them (a tuple: 10,000 made in ~3 ms, Summary objects ~15 ms)."""

    path: str
    quality: int | None
    published: bool
    topics: tuple[str, ...]


@dataclass(slots=True)
class FieldStep:
    """What Workspace.plan_field planned: the step (None: nothing changes) and the files it
    cannot apply to ({path: why})."""

    step: EditStep | None
    errors: dict[str, str]


@dataclass(slots=True)
class SaveReport:
    """What Workspace.apply_saved recorded."""

    rows: list[int] = field(default_factory=list)  # rows saved (or found unchanged)
    written: int = 0  # files written
    conflicts: list[str] = field(default_factory=list)  # changed on disk: not written
    failures: list[str] = field(default_factory=list)  # "path: why", not written


@dataclass(slots=True)
class ChangeReport:
    """What Workspace.apply_disk_changes did."""

    reloaded: list[int] = field(default_factory=list)  # rows read again (they had no edits)
    rebased: list[int] = field(default_factory=list)  # rows read again, their edits carried over
    kept: list[str] = field(default_factory=list)  # edited files that changed on disk: the edit stays
    added: range = range(0)  # new rows
    deleted: list[str] = field(default_factory=list)
    deleted_dirty: list[str] = field(default_factory=list)  # of those, files with unsaved edits
    problems_changed: bool = False
    #: of the rows read again, those of files Curator wrote itself (Edit Field…): shown anew, not told
    ours: frozenset[int] = frozenset()

    @property
    def rows_moved(self) -> bool:
        return bool(self.deleted or self.added)

    def __bool__(self) -> bool:
        """False when nothing that is shown changed (a check that found the folder as it was)."""
        return bool(self.reloaded or self.rebased or self.kept or self.added or self.deleted or self.problems_changed)

    def describe(self) -> str:
        """What changed, for the editor; rows in `ours` (files Curator wrote) are not told."""
        reloaded = [r for r in self.reloaded if r not in self.ours]
        rebased = [r for r in self.rebased if r not in self.ours]
        parts = []
        if reloaded:
            parts.append(f"{len(reloaded):,} reloaded")
        if self.added:
            parts.append(f"{len(self.added):,} new")
        if self.deleted:
            parts.append(f"{len(self.deleted):,} deleted")
        if rebased:
            parts.append(f"{len(rebased):,} with unsaved edits reloaded, the edits kept")
        if self.kept:
            parts.append(
                f"{len(self.kept):,} with unsaved edits changed on disk in the same values (you choose at save)"
            )
        if self.deleted_dirty:
            parts.append(f"{len(self.deleted_dirty):,} deleted with unsaved edits")
        return ", ".join(parts)
