"""The topics of the open folder: the Topics manager's list, suggestions, and renaming, merging
and deleting a topic in every article as one undo step.

`TopicsController` holds the site's topics (core.site.topics.SiteTopics: the taxonomy, its aliases,
the retired topics), read from the files in a worker when a folder is read and again after
every write of them, also by Undo and Redo, so the manager, completion and suggestions show
the files as they are. It owns the inventory the manager shows (counted in a worker over the
current values, unsaved edits included) and turns the manager's requests into one undo step,
planned whole before anything changes (SiteTopics.plan) and confirmed first with what it
changes (Prompts): the articles' edits stay pending until Save; the site's files (taxonomy
entries and `.curator.yml`, not articles) are written at once in a worker and written back
by Undo. It follows the selection (Browsing) to suggest topics for the one article selected.
Emits: listed(list[TopicInfo]), suggested(list[str]: the topics suggested for the selection).
QtCore only.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from ...core import words
from ...core.document.values import DELETE
from ...core.document.writes import ByteEdit, SaveResult
from ...core.folder.edits import EditOp, EditStep, FileEdit
from ...core.site import profiles, taxonomy, topics
from ...core.site.root import SiteFileError
from ...core.site.taxonomy import TaxonomyError
from ..tasks import Tasks
from ..throttle import Throttle
from .browsing import Browsing
from .editing import Editing, Group, WriteCommand
from .messages import Messages, Prompts
from .session import Session

#: Apply Suggested Topics names this many topics before "and N more".
SHOWN_TOPICS = 12


class TopicCommand(Group):
    """A rename, merge or delete: its parts, then `changed(undone)` (the site's topics follow)."""

    def __init__(self, text: str, changed: Callable[[bool], None]):
        super().__init__(text)
        self.changed = changed

    def redo(self) -> None:
        super().redo()
        self.changed(False)

    def undo(self) -> None:
        super().undo()
        self.changed(True)


class TopicsController(QObject):
    listed = Signal(list)
    suggested = Signal(list)

    def __init__(
        self, session: Session, editing: Editing, browsing: Browsing, tasks: Tasks, prompts: Prompts,
        messages: Messages, shown: Callable[[], bool] = lambda: False, parent: QObject | None = None,
        site_writes: Tasks | None = None,
    ):  # fmt: skip
        """`shown()`: whether the manager is on screen (it is counted only then). `site_writes`:
        the one-thread pool that writes the site's files (shared with the views)."""
        super().__init__(parent)
        self.session, self.editing, self.tasks, self.prompts, self.messages = session, editing, tasks, prompts, messages
        self.site_writes = site_writes or Tasks(1, "site files", self, messages.failed)
        self.browsing, self.shown = browsing, shown
        self.refresh_later = Throttle(self.refresh, 300, self)
        self.site = topics.SiteTopics()
        #: (the site and common topics it was made from, it)
        self._suggester: tuple[topics.SiteTopics, tuple, topics.Suggester] | None = None
        self._reads = 0  # counts the changes of `site`: a read that finishes after a later one is dropped
        session.opened.connect(self._opened)
        browsing.selection_changed.connect(lambda rows: self.show_suggestions(rows))
        browsing.details_ready.connect(lambda path, details: self.show_suggestions(browsing.selected_rows(), details))

    def _opened(self, workspace) -> None:
        self.site = topics.SiteTopics()  # (the folder's are read with it: see loaded)

    def attach(self, panel, dock, show_term) -> None:
        """Feed a TopicsPanel (counted when its dock is shown) and act on what it asks."""
        self.listed.connect(panel.show_topics)
        panel.action_requested.connect(self.request)
        panel.show_requested.connect(show_term)
        dock.visibilityChanged.connect(lambda shown: shown and self.refresh())

    def loaded(self, site: topics.SiteTopics) -> None:
        """The site's topics as just read: completion, the manager and the suggestions follow."""
        self.site = site
        if self.session.is_open:
            self.editing.count_topics(site)
            self.refresh_later()
            self.show_suggestions(self.browsing.selected_rows())

    def reread(self) -> None:
        """Read the site's topics again, in a worker (after a write of its files, or an Undo)."""
        if not self.session.is_open:
            return
        workspace, root = self.session.workspace, self.session.root
        self._reads += 1
        reads = self._reads

        def done(site: topics.SiteTopics) -> None:
            self.editing.flush()  # (the values of a large step are applied in slices: count them all)
            self.loaded(site)

        still = self.session.still(workspace)
        self.tasks.run(lambda p: topics.SiteTopics.read(root), done, failed="Reading the site's taxonomy failed",
                       still=lambda: still() and reads == self._reads)  # fmt: skip

    def expect(self, edits: Sequence[ByteEdit]) -> None:
        """The site's files are being written (by a change, its Undo or Redo): show them as they
        will be at once (read again once written, see WriteCommand)."""
        self._reads += 1
        try:
            self.loaded(topics.SiteTopics(taxonomy.applied(self.site.taxonomy, edits)))
        except SiteFileError:
            self.reread()

    def suggestions(self, row: int, body: str = "") -> list[str]:
        """Topics the taxonomy suggests for an article (title, excerpt, and the body when given)."""
        workspace = self.session.workspace
        summary = workspace.summary(row)
        text = f"{summary.title} {summary.excerpt} {body}"
        return self.suggester().suggest(text, summary.topics, workspace.refused.get(summary.path, ()))

    def suggester(self) -> topics.Suggester:
        """Made again when the site's topics (read again) or the common topics changed."""
        site, common = self.site, tuple(self.editing.common_topics)
        made = self._suggester
        # (the site itself, not its id(): a new site made where the one before was freed had
        # its id, and kept the empty site's suggester of an open's first moments)
        if made is None or made[0] is not site or made[1] != common:
            made = self._suggester = (site, common, site.suggester(common))
        return made[2]

    def show_suggestions(self, rows: list[int], details=None) -> None:
        """Emits suggested: the topics for the one article selected (none for more or none)."""
        body = details.body if details is not None else ""
        self.suggested.emit(self.suggestions(rows[0], body) if len(rows) == 1 else [])

    def apply_suggested(self, rows: Sequence[int]) -> bool:
        """Add to each article the topics suggested for it (title and excerpt), as one undo step;
        for more than one article, said first per topic ("Portals: 3 articles")."""
        workspace = self.session.workspace
        planned = workspace.plan_added({row: self.suggestions(row) for row in rows})
        edits = planned.step.edits if planned.step is not None else []
        added = Counter(t for e in edits for t in e.after[len(e.before) if e.before is not DELETE else 0 :])
        if not edits:
            self.messages.info("No topics to suggest for the selection.", 4000)
            return False
        text = f"Apply suggested topics to {words.count(len(edits), 'article')}"
        if len(edits) > 1:
            counts = [f"{t}: {words.count(n, 'article')}" for t, n in added.most_common(SHOWN_TOPICS)]
            more = len(added) - SHOWN_TOPICS
            detail = "Adds " + "; ".join(counts) + (f"; and {more} more topics" if more > 0 else "") + "."
            if not self.prompts.confirm_change(text, detail):
                return False
        command = Group(text)
        command.parts.append(self.editing.step_command(planned.step, text))
        self.editing.undo_stack.push(command)
        return True

    def refresh(self) -> None:
        """Count the topics in a worker (only while the manager is shown); emits listed."""
        if not self.shown() or not self.session.is_open:
            return
        workspace = self.session.workspace
        topic_lists = workspace.table.topics_of()  # a copy (None: an article's not known yet)
        site = self.site

        self.tasks.run(
            lambda progress: site.inventory(topic_lists), self.listed.emit,
            failed="Counting topics failed", still=self.session.still(workspace),
        )  # fmt: skip

    def request(self, action: str, names: Sequence[str]) -> bool:
        """rename / merge / delete the topics `names` in every article, as one undo step."""
        names = list(names)
        if not names:
            return False
        if action == "delete":
            new, text = None, f"Delete topic “{names[0]}”" if len(names) == 1 else f"Delete {len(names)} topics"
        else:
            if action == "rename":  # from the name as it is: a change of case or a typo is a small edit
                new = self.prompts.ask_topic("Rename Topic", f"New name for “{names[0]}”:", [], True, start=names[0])
            else:
                label = f"Merge {', '.join(f'“{n}”' for n in names)} into:"
                new = self.prompts.ask_topic(
                    "Merge Topics", label, sorted(self.editing.known_topics, key=str.casefold), True
                )
            if not new or (action == "rename" and new == names[0]):
                return False
            verb = "Rename" if action == "rename" else "Merge"
            text = f"{verb} {', '.join(f'“{n}”' for n in names)} {'to' if action == 'rename' else 'into'} “{new}”"
        return self.apply(text, action, names, new)

    def apply(self, text: str, action: str, olds: Sequence[str], new: str | None) -> bool:
        """Plan the change whole (the site's files read as they are now), confirm it, push it."""
        workspace = self.session.workspace
        self.site_writes.wait()  # (a change just made may still be writing them: plan from what it wrote)
        site = topics.SiteTopics.read(self.session.root)  # a few small files, read within bounds
        entries = site.merged_entries(olds, new) if new is not None else []
        having = workspace.table.having_topics(olds)  # (only those articles' summaries are read)

        def planned(keep_alias: bool) -> topics.Change | None:
            try:
                return site.plan(workspace.summaries(having), action, olds, new, keep_alias)
            except TaxonomyError as exc:
                self.messages.error(f"{text}: nothing was changed. {exc}")
                return None

        change = planned(True)
        if change is None:
            return False
        edits = [
            FileEdit(path, workspace.current(workspace.rows[path], "topics"), after)
            for path, (_, after) in change.articles.changes.items()
        ]
        if not edits and not change.files:
            self.messages.info("No article has that topic.", 4000)
            return False
        detail = f"{words.count(len(edits), 'article', 'changes')} (one line each, or so) when you save."
        taxonomy_files = sum(os.path.basename(e.path) != profiles.CONFIG for e in change.files)
        if taxonomy_files:
            detail += f" In the site's taxonomy, {words.count(taxonomy_files, 'file', 'changes')} at once."
        if len(change.files) > taxonomy_files:
            detail += f" The site's {profiles.CONFIG} changes at once."
        if change.retired:
            retired = ", ".join(f"“{n}”" for n in change.retired)
            detail += f" {retired} will not be suggested again."
        if change.articles.skipped:
            skipped = words.count(len(change.articles.skipped), "file")
            detail += f" {skipped} whose topics are not a list of text stay as they are."
        if entries:
            keep_alias = self.prompts.ask_merge_entry(text, detail, entries, new)
            if keep_alias is None:
                return False
            if not keep_alias and (change := planned(False)) is None:
                return False
        elif not self.prompts.confirm_change(text, detail):
            return False
        files = change.files

        def changed(undone: bool) -> None:
            if files:
                self.expect([e.reversed() for e in reversed(files)] if undone else files)
            else:
                self.reread()  # (completion: a name no article has any more)

        command = TopicCommand(text, changed)
        if edits:
            command.parts.append(self.editing.step_command(EditStep("topics", EditOp.SET, None, edits), text))
        if files:
            command.parts.append(WriteCommand(files, self.site_writes, self.messages, "site file", self._site_written))
        self.editing.undo_stack.push(command)
        return True

    def _site_written(self, results: list[SaveResult], undone: bool) -> None:
        """The site's files were written (or written back by Undo): read them again."""
        self.reread()
