"""Duplicate stories and link checks of the open folder.

`Stories` owns the groups of duplicate stories (core.folder.duplicates) and the link states
(core.folder.links) of the open folder: it puts them in the table (`dups`, `links`) for the
`dup:` and `link:` query terms, tells the preview the others of an article's group and its
link status, and turns "Keep This, Unpublish the Others" and "Use the Moved Address" into one
ordinary edit each (one undo step through Editing.submit). The groups are made and kept in a
process of its own (core.folder.grouping: the Grouper and its memory stay out of the window's
process, and its Python never holds the GUI thread's GIL), which reads the folder's articles
from the index (the window sends only the rows the index cannot vouch for); after that only
what changes is grouped again there (duplicates.Grouper.update): the rows of each Changed event
of the Workspace, and the files that came or went on disk (sync). The conversations with that
process run on a one-thread pool of their own, in order; a process that dies turns grouping
off for the folder, with a message. It ends with the folder (another opens, the app quits:
close()), or with the app however that ends. Links are
checked in a one-thread pool of their own (with the core's per-host and overall caps inside),
with progress and cancel. Emits:
  marked() after the groups or the link states changed,
  checking(int total) when a link check starts, progressed(int done), checked(str summary) when it ends.
QtCore only.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from itertools import compress
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from ...core import words
from ...core.folder import fields, grouping, links
from ...core.folder.edits import EditOp, EditStep
from ..tasks import Task, Tasks
from .editing import Editing
from .messages import Messages
from .session import Session


class Stories(QObject):
    marked = Signal()
    checking = Signal(int)
    progressed = Signal(int)
    checked = Signal(str)

    def __init__(self, session: Session, editing: Editing, tasks: Tasks, messages: Messages,
                 parent: QObject | None = None):  # fmt: skip
        super().__init__(parent)
        self.session, self.editing, self.tasks, self.messages = session, editing, tasks, messages
        self.link_tasks = Tasks(1, "links", self, messages.failed)
        self.groups: dict[str, list[str]] = {}  # path -> the paths of its group, keeper first
        self.checks: dict[str, links.Check] = {}  # url -> its last check
        self.found: dict[str, list[links.Link]] = {}  # path -> its links
        #: conversations with the grouping process, one at a time, in order
        self.group_tasks = Tasks(1, "grouping", self, messages.failed)
        self._grouping: Task | None = None
        self._checking: Task | None = None
        self.grouping: grouping.GroupingProcess | None = None  # of the open folder, once asked
        #: the paths the grouping process holds, once grouped (the table's own strings, listed)
        self.known: list[str] | None = None
        self._waiting: set[str] | None = None  # paths that changed while the first grouping ran
        self._numbers: dict[str, int] = {}  # a group's first path -> its number in table.dups
        self._count = 0  # groups of two or more
        self.off = False  # the grouping process died or failed: no groups for this folder
        self._workspace = None
        self._marking = False
        session.opened.connect(self._opened)

    def cache(self) -> links.Cache:
        return links.Cache(Path(self.session.cache_dir) / "links.json")

    def _opened(self, workspace) -> None:
        self.cancel()
        self.close()
        self.groups, self.checks, self.found = {}, {}, {}
        self.known, self._waiting, self._numbers, self._count, self.off = None, None, {}, 0, False
        if self._workspace is not None:
            self._workspace.unsubscribe(self._changed)
        self._workspace = workspace
        workspace.subscribe(self._changed)
        # its grouping process starts now, before the load makes this process bigger (see
        # GroupingProcess.launch: at a million articles, starting it after held the GIL ~0.2 s)
        process = self.grouping = grouping.GroupingProcess()
        self._ask(lambda progress: process.launch(), None, workspace)

    def close(self) -> None:
        """End the grouping process of the open folder (another folder opens, the app quits)."""
        if self.grouping is not None:
            self.grouping.close()
            self.grouping = None

    # -- duplicates --

    def regroup(self) -> Task | None:
        """After a load or a save: the first time, group the folder's articles in the grouping
        process (which reads them from the index: only the rows the index cannot vouch for are
        sent); after that, only the files that came or went (sync). Reads the link checks of the
        last 24 hours when there are any. Emits marked."""
        if not self.session.is_open:
            return None
        workspace = self.session.workspace
        self._read_link_checks(workspace)
        if self.known is not None or self._waiting is not None or self.off:
            self.sync()
            return self._grouping
        # (what the worker needs, taken here in C: the paths, one copy of their list, and the
        # digests the window holds; rows with unsaved edits are sent again once grouped)
        paths, digests = list(workspace.table.paths), workspace.snapshots.digests()
        if len(digests) != 16 * len(paths):  # (rows and snapshots out of step: send every row)
            digests = bytes(16 * len(paths))
        self._waiting = {workspace.path(r) for r in workspace.pending}
        process = self.grouping = self.grouping or grouping.GroupingProcess()
        index = self.session.index()

        def read(progress):
            return process.start(index, paths, digests), paths  # (the paths it holds: see sync)

        def send(result) -> None:
            missing, known = result
            rows = workspace.rows
            summaries = workspace.summaries([rows[p] for p in missing if p in rows])

            def group(progress):
                process.feed(summaries)
                return process.group()

            def done(result) -> None:
                members, self._count = result
                waiting, self._waiting, self.known = self._waiting or set(), None, known
                self._mark(members, every=True)
                self._update([workspace.rows[p] for p in waiting if p in workspace.rows])
                self.sync()

            self._grouping = self._ask(group, done, workspace, first=True)

        self._grouping = self._ask(read, send, workspace, first=True)
        return self._grouping

    def _ask(self, work, done, workspace, first: bool = False) -> Task:
        """Run a conversation with the grouping process on the grouping thread (one at a time,
        in the order asked); a worker that died or failed turns grouping off (see _stopped). A
        first grouping cancelled or failed leaves none begun: the next regroup begins again."""
        fresh = self.session.still(workspace)

        def dropped() -> None:
            if first and fresh() and self._waiting is not None and self.known is None:
                self.close()
                self._waiting = None

        task = self.group_tasks.run(
            work, done, failed=self._stopped, still=lambda: fresh() and not task.cancelled, dropped=dropped
        )
        return task

    def _stopped(self, error: BaseException) -> None:
        """The grouping process died or failed: the window goes on without duplicate groups."""
        self.close()
        self.known, self._waiting, self._count, self.off = None, None, 0, True
        self.groups, self._numbers = {}, {}
        self.session.workspace.table.dups = {}
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.messages.warning(f"Duplicate stories are not marked in this folder: {error}", detail, 20000)
        self.marked.emit()

    def _changed(self, event) -> None:
        """The Workspace's rows changed: group those again (lookups in proportion to them), but
        not for an edit of keys the grouping does not read (Edit Field… of `heat` on 10,000
        articles sent them all to be grouped again, as the save after it did)."""
        if event.removed:
            self.sync()
        elif event.rows and (event.keys is None or not event.keys.isdisjoint(grouping.GROUPED)):
            self._update(event.rows)

    def _update(self, rows) -> None:
        workspace = self.session.workspace
        if self._waiting is not None:  # (being made: done() takes these after)
            self._waiting.update(workspace.path(r) for r in rows)
        elif self.known is not None and rows:
            self._send(workspace.summaries(list(rows)), [])

    def _send(self, summaries, gone: list[str]) -> None:
        """Group these again in the grouping process; their groups are marked when it answers."""
        process = self.grouping

        def done(result) -> None:
            groups, self._count = result
            self._mark(groups)

        self._ask(lambda progress: process.update(summaries, gone), done, self.session.workspace)

    def sync(self) -> None:
        """Take the files that came or went (a load's or the watcher's changes): arrivals are
        grouped against the others, the removed leave their groups. (Compares the paths on the
        GUI thread, in C: `known` holds the table's own path strings.)"""
        workspace, known = self.session.workspace, self.known
        if known is None or workspace is not self._workspace:
            return
        rows = workspace.rows
        if len(rows) == len(known) and all(map(rows.__contains__, known)):
            return
        held = set(known)  # (for this comparison only: kept, a set of 100,000 paths is 4 MB, a list 0.8)
        new = [row for path, row in rows.items() if path not in held]
        gone = [path for path in known if path not in rows]
        del held
        known[:] = [*compress(known, map(rows.__contains__, known)), *map(workspace.path, new)]
        self._send(workspace.summaries(new), gone)

    def _mark(self, groups: dict[str, list[str]], every: bool = False) -> None:
        """Put these paths' groups in the table (dup: terms) and in `groups` ([] or a path it
        lacks: in none); emits marked. `every`: the folder's first grouping, marked is emitted
        even when there are none (the folder's grouping is done)."""
        if not groups and not every:
            return
        dups = dict(self.session.workspace.table.dups)
        for path, members in groups.items():
            if members:
                self.groups[path] = members
                dups[path] = self._numbers.setdefault(min(members), len(self._numbers) + 1)
            else:
                self.groups.pop(path, None)
                dups.pop(path, None)
        self.session.workspace.table.dups = dups  # (a new dict: a worker may be reading the old one)
        if not self._marking:  # once the Workspace's listeners are all told (this may run inside one)
            self._marking = True
            QTimer.singleShot(0, self, self._marked)

    def _marked(self) -> None:
        self._marking = False
        self.marked.emit()

    @property
    def group_count(self) -> int:
        return self._count

    def _read_link_checks(self, workspace) -> None:
        """The link checks of the last 24 hours for the folder's links (read from the files in a
        worker, only when there are any checks to read)."""
        cache_path = self.cache().path
        if not Path(cache_path).exists():
            return
        root, paths = self.session.root, list(workspace.table.paths)

        def work(progress):
            found = links.links_of(fields.values_of(root, paths, ["originalUrl", "webUrl"]), paths)
            return found, links.cached(found, links.Cache(cache_path))

        def done(result) -> None:
            found, checks = result
            self.found = {}
            for link in found:
                self.found.setdefault(link.path, []).append(link)
            self.checks.update(checks)
            workspace.table.links = links.worst(found, self.checks)
            self.marked.emit()

        self.tasks.run(work, done, failed="Reading the link checks failed", still=self.session.still(workspace))

    def others(self, path: str) -> list[tuple[str, str]]:
        """(title, path) of the other articles of its group, keeper first."""
        workspace = self.session.workspace
        out = []
        for other in self.groups.get(path, ()):
            row = workspace.rows.get(other)
            if other != path and row is not None:
                out.append((workspace.summary(row).title, other))
        return out

    def keep_this(self, row: int | None) -> bool:
        """Unpublish the others of the row's group, as one undo step; False when nothing changed."""
        workspace = self.session.workspace
        if row is None:
            return False
        path = workspace.path(row)
        rows = [workspace.rows[p] for p in self.groups.get(path, ()) if p != path and p in workspace.rows]
        if not rows:
            self.messages.info("This article is in no group of duplicate stories.", 5000)
            return False
        self.editing.flush()
        step = workspace.plan_edit(rows, "published", EditOp.SET, False)
        if step is None:
            self.messages.info("The others of its group are unpublished already.", 5000)
            return False
        return self.editing.submit(step, f"Keep {path}, unpublish {words.count(len(step.edits), 'other')}")

    # -- links --

    def link_status(self, path: str) -> list[tuple[links.Link, links.Check]]:
        """Each checked link of the article with its check."""
        return [(link, self.checks[link.url]) for link in self.found.get(path, ()) if link.url in self.checks]

    def check_links(self, rows: Sequence[int], recheck: bool = True) -> Task | None:
        """Check the links of these rows in the links pool; emits checking, progressed, checked."""
        workspace, root = self.session.workspace, self.session.root
        paths = [workspace.path(r) for r in rows]
        if not paths:
            return None
        self.cancel_check()
        cache_path = self.cache().path

        def work(progress):
            found = links.links_of(fields.values_of(root, paths, ["originalUrl", "webUrl"]), paths)
            urls = list(dict.fromkeys(link.url for link in found))
            progress.report(("total", len(urls)))
            checks = links.check_all(
                urls, links.Cache(cache_path), recheck=recheck,
                progress=lambda done, total, check: progress.report(("done", done)),
                cancelled=lambda: progress.cancelled,
            )  # fmt: skip
            return found, checks

        def report(value) -> None:
            kind, n = value
            (self.checking if kind == "total" else self.progressed).emit(n)

        def done(result) -> None:
            found, checks = result
            for link in found:
                self.found.setdefault(link.path, [])
                if link not in self.found[link.path]:
                    self.found[link.path].append(link)
            self.checks.update(checks)
            every = [link for group in self.found.values() for link in group]
            workspace.table.links = links.worst(every, self.checks)
            tally = {s: 0 for s in links.STATUSES}
            for link in found:
                if link.url in checks:
                    tally[checks[link.url].status] += 1
            left = sum(link.url not in checks for link in found)
            summary = ", ".join(f"{n} {s}" for s, n in tally.items() if n)
            if left:
                summary += f"; {left} not checked (cancelled)"
            self.checked.emit(f"Links: {summary or 'none to check'}")
            self.marked.emit()

        self.checking.emit(len(paths))  # (at once; the count of distinct links follows from the worker)
        task = self._checking = self.link_tasks.run(
            work, done, report, failed="Checking links failed", still=self.session.still(workspace),
            dropped=lambda: self.checked.emit(""),  # (it ended all the same)
        )  # fmt: skip
        return task

    def use_moved(self, rows: Sequence[int]) -> bool:
        """Set `originalUrl` to where it moved, for the rows whose check says `moved`: one undo
        step of ordinary edits (Workspace.plan_field, Editing.submit); False when none moved."""
        workspace = self.session.workspace
        edits = []
        for row in rows:
            for link, check in self.link_status(workspace.path(row)):
                if link.field == "originalUrl" and check.status == "moved" and check.final_url:
                    planned = workspace.plan_field(
                        [row], "originalUrl", fields.FieldEdit(fields.Op.SET, check.final_url)
                    )
                    edits.extend(planned.step.edits if planned.step is not None else ())
        if not edits:
            self.messages.info("No link of the selection moved (check its links first).", 5000)
            return False
        self.editing.flush()
        text = f"Use the moved address of {words.count(len(edits), 'article')}"
        return self.editing.submit(EditStep("originalUrl", EditOp.SET, None, edits), text)

    @property
    def busy(self) -> bool:
        return self._checking is not None and not self._checking.done

    def cancel_check(self) -> None:
        if self._checking is not None:
            self._checking.cancel()

    def cancel(self) -> None:
        self.cancel_check()
        if self._grouping is not None:
            self._grouping.cancel()
