"""The topics of the open folder: the Topics manager's list, and renaming, merging and deleting
a topic in every article as one undo step.

`TopicsController` owns the inventory the manager shows (counted in a worker over the current
values, unsaved edits included, with the site's taxonomy) and turns the manager's requests
into one EditStep over every affected article (core.topics.plan), confirmed first with what
it changes (Prompts); Save then writes them through the normal save path, conflicts
included. A rename also renames the topic in the taxonomy file (`name:` and children's
`parent:` lines), written at once in a worker (it is not an article) and written back by
Undo. Emits: listed(list[TopicInfo]).
QtCore only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from ...core import taxonomy, topics, words
from ...core.editing import DELETE
from ...core.edits import EditOp, EditStep, FileEdit
from ...core.taxonomy import Topic
from ..tasks import Tasks
from ..throttle import Throttle
from .editing import Editing, Group, WriteCommand
from .messages import Messages, Prompts
from .session import Session


class TopicsController(QObject):
    listed = Signal(list)

    def __init__(
        self, session: Session, editing: Editing, tasks: Tasks, prompts: Prompts, messages: Messages,
        parent: QObject | None = None,
    ):  # fmt: skip
        super().__init__(parent)
        self.session, self.editing, self.tasks, self.prompts, self.messages = session, editing, tasks, prompts, messages
        self.shown = lambda: False  # set by the window: whether the manager is on screen
        self.refresh_later = Throttle(self.refresh, 300, self)
        self.site_topics: list = []
        self.editor = self.browsing = None
        self._suggester: tuple[tuple, topics.Suggester] | None = None  # (what it was made from, it)
        session.opened.connect(lambda _: self.site_topics.clear())

    def attach(self, panel, dock, show_term) -> None:
        """Feed a TopicsPanel (counted while its dock is shown) and act on what it asks."""
        self.shown = dock.isVisible
        self.listed.connect(panel.show_topics)
        panel.action_requested.connect(self.request)
        panel.show_requested.connect(show_term)
        dock.visibilityChanged.connect(lambda shown: shown and self.refresh())

    def attach_editor(self, editor, browsing) -> None:
        """Suggest topics for the one article selected, in the editor (one click adds one)."""
        self.editor, self.browsing = editor, browsing
        browsing.selection_changed.connect(lambda rows: self.show_suggestions(rows))
        browsing.details_ready.connect(lambda path, details: self.show_suggestions(browsing.selected_rows(), details))

    def loaded(self, site: Sequence[Topic]) -> None:
        """A folder was read: its taxonomy (the common topics come from Editing's count)."""
        self.site_topics[:] = site
        self.refresh_later()  # the manager, if it is open, lists the new folder

    def taxonomy(self) -> list[Topic]:
        """The site's taxonomy as the last load read it (in its worker), with renames made since."""
        return self.site_topics

    def suggestions(self, row: int, body: str = "") -> list[str]:
        """Topics the taxonomy suggests for an article (title, excerpt, and the body when given)."""
        workspace = self.session.workspace
        summary = workspace.summary(row)
        text = f"{summary.title} {summary.excerpt} {body}"
        return self.suggester().suggest(text, summary.topics, workspace.refused.get(summary.path, ()))

    def suggester(self) -> topics.Suggester:
        """Made again when the taxonomy (a rename) or the common topics changed."""
        key = (tuple(self.site_topics), tuple(self.editing.common_topics))
        if self._suggester is None or self._suggester[0] != key:
            self._suggester = (key, topics.Suggester(*key))
        return self._suggester[1]

    def show_suggestions(self, rows: list[int], details=None) -> None:
        if self.editor is None:
            return
        body = details.body if details is not None else ""
        self.editor.show_suggestions(self.suggestions(rows[0], body) if len(rows) == 1 else [])

    def apply_suggested(self, rows: Sequence[int]) -> bool:
        """Add to each article the topics suggested for it (title and excerpt), as one undo step."""
        workspace = self.session.workspace
        edits = []
        for row in rows:
            found = self.suggestions(row)
            if found:
                before = workspace.current(row, "topics")
                edits.append(FileEdit(workspace.path(row), before, [*([] if before is DELETE else before), *found]))
        if not edits:
            self.messages.info("No topics to suggest for the selection.", 4000)
            return False
        command = Group(f"Apply suggested topics to {words.count(len(edits), 'article')}")
        command.parts.append(self.editing.step_command(EditStep("topics", EditOp.SET, None, edits), command.text()))
        self.editing.undo_stack.push(command)
        return True

    def refresh(self) -> None:
        """Count the topics in a worker (only while the manager is shown); emits listed."""
        if not self.shown() or not self.session.is_open:
            return
        workspace = self.session.workspace
        summaries = workspace.table.summaries.copy()  # a plain list (the table's own fetches as it is iterated)
        site = list(self.taxonomy())

        def count(progress) -> list[topics.TopicInfo]:
            return topics.inventory(summaries, site)

        def done(infos, error) -> None:
            if error is not None:
                self.messages.failed("Counting topics failed", error)
            elif workspace is self.session.workspace:
                self.listed.emit(infos)

        self.tasks.run(count, done)

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
        return self.apply(text, names, new)

    def apply(self, text: str, olds: Sequence[str], new: str | None) -> bool:
        workspace = self.session.workspace
        rows = range(len(workspace))
        planned = topics.plan((workspace.summary(r) for r in rows), olds, new)
        edits = []
        for path, (_, after) in planned.changes.items():
            row = workspace.rows[path]
            edits.append(FileEdit(path, workspace.current(row, "topics"), after))
            if new is None:  # deleted by the editor: not suggested again for these articles
                workspace.refused.setdefault(path, set()).update(olds)
        try:
            renames = taxonomy.plan(taxonomy.read(self.session.root), olds, new) if new is not None else []
        except taxonomy.TaxonomyError as exc:
            self.messages.error(f"{text}: nothing was changed", str(exc))
            return False
        if not edits and not renames:
            self.messages.info("No article has that topic.", 4000)
            return False
        detail = f"{words.count(len(edits), 'article')} change (one line each, or so) when you save."
        if renames:
            detail += f" {words.count(len(renames), 'taxonomy file')} of the site change at once."
        if planned.skipped:
            skipped = words.count(len(planned.skipped), "file")
            detail += f" {skipped} whose topics are not a list of text stay as they are."
        if not self.prompts.confirm_change(text, detail):
            return False
        command = Group(text)
        command.parts.append(self.editing.step_command(EditStep("topics", EditOp.SET, None, edits), text))
        if renames:
            command.parts.append(WriteCommand(renames, self.tasks, self.messages, "taxonomy file"))
            olds_set = set(olds)
            self.site_topics[:] = [
                Topic(new if t.name in olds_set else t.name, new if t.parent in olds_set else t.parent, t.keywords)
                for t in self.site_topics
            ]
        self.editing.undo_stack.push(command)
        self.refresh_later()
        return True
