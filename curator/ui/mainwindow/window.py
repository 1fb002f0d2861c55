"""The main window: builds the widgets and the controllers, wires them in _connect_signals(),
and keeps the layout. What happens lives in the controllers (session, loader, saver, watcher,
editing, browsing) and the core; questions go through the Prompts (prompts.py)."""

from __future__ import annotations

import linecache
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMainWindow, QMenu

from ...core import processes
from ...core.folder.edits import EditOp
from ...core.folder.index import default_cache_dir
from ...core.folder.query import SORT_FIELDS, clauses, with_clause, without_clause
from ...core.gently import gui_turn
from ...core.site import profiles
from ...core.team import git
from .. import preferences
from ..changes import ChangesPanel
from ..editor import EditorPanel
from ..facets import FacetPanel
from ..listarea import ListArea, ViewMode, column
from ..listbar import ListBar
from ..model import COLUMNS, ArticleModel
from ..preview import PreviewPane
from ..previewtabs import PreviewTabs
from ..problems import ProblemsPanel
from ..profilemenu import ProfileMenu
from ..recent import RecentMenu
from ..searchbox import SearchBox
from ..settings import Settings
from ..tasks import Tasks
from ..throttle import Throttle
from ..thumbnails import window_thumbnails
from ..topicsmanager import TopicsPanel
from ..triage import TriagePanel
from . import layout
from .actions import CONTEXT, DOCKS, MENUS, RECENT, TOOLBAR, Action, build, fill, needing_selection, shortcut_rows
from .browsing import Browsing
from .editing import Editing
from .fields import FieldsController
from .gitmode import GitController
from .loader import LoadDone, Loader
from .messages import Level, Messages, Prompts
from .prompts import DialogPrompts
from .review import Review
from .saver import Saver
from .session import Session
from .statusbar import StatusBar
from .stories import Stories
from .topics import TopicsController
from .triage import Triage
from .views import ViewsController
from .watcher import Watcher

#: A selection of more articles than this is read for the editor panel (Workspace.brief, 20-28 ms
#: for 10,000 of a million) SELECTION_LATER_MS later, in a turn of its own: in the turn that
#: selected them, with the selection's own work and the list's paint, a 10k batch publish at
#: 1,000,000 stalled the window 57-91 ms. (0 ms would run it in the same turn; 1 ms ran it in
#: the pass of the event loop that painted the selection, before timers due earlier: 46-64 ms.)
SELECTION_LATER_OVER = 1000
SELECTION_LATER_MS = 16


class MainWindow(layout.FocusInSight, QMainWindow):
    loaded = Signal()  # a folder finished loading
    saved = Signal(list)  # SaveResults of a save run

    def __init__(
        self,
        settings: Settings | None = None,
        cache_dir: Path | None = None,
        network: bool = True,
        prompts: Prompts | None = None,
    ):
        super().__init__()
        processes.start_early()  # (so the first load finds its workers ready: see core/processes.py)
        self.settings = settings or Settings()
        self.cache_dir = cache_dir or default_cache_dir()
        self.messages = Messages(self)
        self.tasks = Tasks(2, "work", self, self.messages.failed)
        self.image_tasks = Tasks(4, "images", self)
        #: the list's rows read from the index ahead of its paints (ArticleModel.read_ahead); what
        #: a read frees is small and a fast scroll reads ~300 times: no trim of the heap after each
        self.row_reads = Tasks(1, "rows", self, trim=False)
        # the site's own files (.curator.yml, the taxonomy): one writer, in order, for topics and views
        self.site_writes = Tasks(1, "site files", self, self.messages.failed)
        network = network and self.settings["network/thumbnails"]
        self.prompts = prompts or DialogPrompts(self)
        self.session = Session(self.cache_dir, self)
        self.thumbs, self.large_images = window_thumbnails(
            self.image_tasks, self.cache_dir, network, self.session.resolve_local
        )
        self.gitmode = GitController(self.session, self.tasks, self.prompts, self.messages, self)
        self.model = ArticleModel(
            self.session.workspace, self.thumbs, self, git_state=self.gitmode.state, reads=self.row_reads
        )
        self.area = ListArea(self.model)
        self.cards, self.table, self.empty, self.stack = self.area.cards, self.area.table, self.area.empty, self.area
        self.selection = self.area.selection
        self.list_bar = ListBar()
        self.setCentralWidget(column(self.list_bar, self.area))
        self.loader = Loader(self.session, self.tasks, self.messages, self)
        self.editing = Editing(
            self.session, self.tasks, self.prompts, self.messages,
            lambda: self.settings["editing/confirm_batch_over"], self,
        )  # fmt: skip
        # a save sees every edit made, applied whole
        self.saver = Saver(self.session, self.tasks, self.prompts, self.messages, self.editing.flush, self)
        self.watcher = Watcher(
            self.session, self.tasks, self.messages, lambda: self.settings["files/watch_seconds"],
            lambda: self.loader.loading or self.saver.running, self,
        )  # fmt: skip
        self.browsing = Browsing(self.session, self.model, self.selection, self.tasks, self.thumbs, self.messages, self)
        self.undo_stack = self.editing.undo_stack
        self.review = Review(self.session, self.tasks, lambda: self.docks["changes"].isVisible(), self)
        self.topics = TopicsController(
            self.session, self.editing, self.browsing, self.tasks, self.prompts, self.messages,
            lambda: self.docks["topics"].isVisible(), self, site_writes=self.site_writes,
        )  # fmt: skip
        self.fields = FieldsController(self.session, self.editing, self.tasks, self.prompts, self.messages, self)
        self.stories = Stories(self.session, self.editing, self.tasks, self.messages, self)
        self.triage = Triage(self.session, self.editing, self.browsing, self.tasks, self.topics.suggestions, self)
        self.triage_panel = TriagePanel(self.large_images, self.thumbs)
        self.preview_during_triage = True  # whether the preview dock was shown when triage began
        self.views = ViewsController(self.session, self.tasks, self.prompts, self.messages, self, self.site_writes)
        self.wanted_later = Throttle(self.update_wanted_images, 120, self)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.problems_button, self.counts_label = self.status.problems_button, self.status.counts_label
        self._build_docks()
        self._build_actions()
        self._connect_signals()
        layout.restore(self)
        self.set_view(self.settings["view/mode"])
        self._update_empty_state()
        self._update_title()
        # PySide6's import hook reads the source of every module imported after it (to see
        # whether it uses PySide6), and that source stays in linecache: ~290 modules, 11 MB of
        # lines. Tracebacks read what they show again.
        linecache.clearcache()

    # ------------------------------------------------------------------ building

    def _build_docks(self) -> None:
        self.facets, self.editor, self.problems = FacetPanel(), EditorPanel(), ProblemsPanel()
        self.changes, self.topics_panel = ChangesPanel(), TopicsPanel()
        self.preview = PreviewPane(self.large_images, self.thumbs, stories=self.stories)
        self.preview_tabs = PreviewTabs(self.preview)  # (and a Diff tab in a git work tree)
        self.git_diff = self.preview_tabs.diff
        self.right_splitter = layout.splitter("splitter-preview-editor", (self.preview_tabs, 2), (self.editor, 1))
        area = Qt.DockWidgetArea
        self.docks = layout.add_docks(self, [
            ("facets", "Browse", self.facets, area.LeftDockWidgetArea),
            ("topics", "Topics", self.topics_panel, area.LeftDockWidgetArea),
            ("preview", "Preview and edit", self.right_splitter, area.RightDockWidgetArea),
            ("problems", "Problems", self.problems, area.BottomDockWidgetArea),
            ("changes", "Changes", self.changes, area.BottomDockWidgetArea),
        ])  # fmt: skip

    def _build_actions(self) -> None:
        edit, rows, browsing, editing = self.request_edit, self.selected_rows, self.browsing, self.editing
        dock = lambda name: layout.show_dock(self, name)  # noqa: E731
        slots = {
            Action.OPEN: self.choose_folder, Action.RELOAD: self.reload, Action.SAVE: self.save,
            Action.REVERT: lambda: editing.revert(rows()), Action.REVERT_ALL: editing.revert_all,
            Action.PUBLISH: lambda: edit("published", EditOp.SET, True),
            Action.UNPUBLISH: lambda: edit("published", EditOp.SET, False),
            Action.ADD_TOPIC: lambda: editing.ask_add_topic(rows(), self.editor.topic_choices()),
            Action.REMOVE_TOPIC: lambda: editing.ask_remove_topic(rows()),
            Action.QUALITY: lambda: editing.ask_quality(rows()), Action.REVEAL: lambda: browsing.reveal_rows(rows()),
            Action.FIND: lambda: self.search.focus_all(), Action.SELECT_ALL: self.select_all,
            Action.CARDS: lambda: self.set_view(ViewMode.CARDS), Action.TABLE: lambda: self.set_view(ViewMode.TABLE),
            Action.ABOUT: self.prompts.about, Action.CONTEXT_MENU: lambda: self.context_menu(self.current_view()),
            Action.SHORTCUTS: lambda: self.prompts.show_shortcuts(shortcut_rows(self.action_map)),
            Action.REVIEW: lambda: dock("changes"), Action.TOPICS: lambda: dock("topics"),
            Action.APPLY_SUGGESTED: lambda: self.topics.apply_suggested(rows()), Action.QUIT: self.close,
            Action.EDIT_FIELD: lambda: self.fields.edit_field(rows()),
            Action.KEEP_THIS: lambda: self.stories.keep_this(browsing.current_row()),
            Action.CHECK_LINKS: lambda: self.stories.check_links(rows()),
            Action.USE_MOVED: lambda: self.stories.use_moved(rows()),
            Action.COMMIT: self.gitmode.commit, Action.PULL: self.gitmode.pull, Action.PUSH: self.gitmode.push,
            Action.PREFERENCES: lambda: preferences.edit(self.settings, self.prompts),
            Action.TRIAGE: lambda: self.triage.leave() if self.triage.active else self.triage.start(),
            Action.SAVE_VIEW: lambda: self.views.save_current(
                self.search.text(), ("-" if self.model.descending else "") + self.model.sort_field, self.area.mode.value
            ),
        }  # fmt: skip
        made = {
            Action.UNDO: self.undo_stack.createUndoAction(self, "&Undo"),
            Action.REDO: self.undo_stack.createRedoAction(self, "&Redo"),
        }
        self.action_map = build(self, slots, made)
        self.action_map[Action.IMMEDIATE].setChecked(self.settings["editing/save_immediately"])
        self.action_map[Action.IMMEDIATE].toggled.connect(self._set_immediate)
        for title, items in MENUS:
            fill(self.menuBar().addMenu(title), items, self.action_map, self._special)
        bar = self.addToolBar("Main")
        bar.setObjectName("toolbar-main")
        bar.setIconSize(QSize(18, 18))
        fill(bar, TOOLBAR, self.action_map, self._special)
        bar.addSeparator()
        self.search = SearchBox()
        self.search_error = self.search.error
        bar.addWidget(self.search)
        bar.addWidget(self.search_error)

    def _special(self, menu, item: str) -> None:
        if item == RECENT:
            self.recent_menu = RecentMenu(self.settings, menu)
            self.recent_menu.chosen.connect(self.open_folder)
            menu.addMenu(self.recent_menu)
        elif item == DOCKS:
            menu.addActions([dock.toggleViewAction() for dock in self.docks.values()])

    def _connect_signals(self) -> None:
        browsing, loader, saver, editing, status = self.browsing, self.loader, self.saver, self.editing, self.status
        self.model.counts_changed.connect(status.set_counts)
        self.search.textChanged.connect(browsing.search_changed)
        self.search.returnPressed.connect(self.apply_search)
        browsing.query_failed.connect(self.search.show_error)
        browsing.query_applied.connect(self._query_applied)
        browsing.facets_counted.connect(self.facets.show_counts)
        browsing.current_changed.connect(lambda path: self.preview.show_row(self.workspace, path))
        browsing.details_ready.connect(lambda path, details: self.preview.show_row(self.workspace, path, details))
        browsing.selection_changed.connect(self._show_selection)
        self._selection_later = QTimer(self, singleShot=True, interval=SELECTION_LATER_MS)
        self._selection_later.timeout.connect(lambda: self._show_selection(self.browsing.selected_rows(), now=True))
        browsing.scroll_requested.connect(lambda index: self.current_view().scrollTo(index))
        self.facets.term_activated.connect(self.add_search_term)
        self.editor.edit_requested.connect(self.request_edit)
        self.problems.reveal_requested.connect(browsing.reveal)
        loader.started.connect(browsing.loading_started)
        loader.rows_added.connect(browsing.rows_added)
        loader.rows_added.connect(self._update_empty_state)
        loader.disk_changed.connect(self._disk_changed)
        loader.problems_changed.connect(self._show_problems)
        loader.finished.connect(self._loaded)
        saver.saved.connect(self._saved)
        saver.disk_changed.connect(self._disk_changed)
        saver.reload_requested.connect(lambda paths: loader.reload(paths, drop_edits=True))
        self.watcher.disk_changed.connect(self._disk_changed)
        editing.values_changed.connect(self._values_changed)
        editing.edited.connect(lambda: self.settings["editing/save_immediately"] and QTimer.singleShot(0, self.save))
        editing.reload_requested.connect(loader.reload)
        editing.topic_choices.connect(self.editor.set_topic_choices)
        self.messages.posted.connect(self._post)
        self.area.folder_dropped.connect(self.open_folder)
        status.cancel_requested.connect(self.cancel_work)
        status.problems_requested.connect(lambda: layout.show_dock(self, "problems"))
        self.review.attach(self.changes, self.docks["changes"])
        self.topics.attach(self.topics_panel, self.docks["topics"], self.add_search_term)
        self.topics.suggested.connect(self.editor.show_suggestions)
        self.empty.open_requested.connect(self.choose_folder)
        self.empty.clear_requested.connect(self.search.clear)
        self.changes.revert_requested.connect(editing.revert_change)
        self.changes.save_requested.connect(self.save)
        self.changes.reveal_requested.connect(browsing.reveal)
        self._connect_list()
        self._connect_progress()
        self._connect_git()
        self._connect_fields()
        self._connect_stories()
        self._connect_profile()
        # triage and saved views (issue 35)
        self.triage.attach(self.triage_panel)
        self.triage.started.connect(self._triage_started)
        self.triage.left.connect(self._triage_left)
        self.views.attach(self)
        self.views.listed.connect(self.facets.show_views)
        self.views.apply_requested.connect(self.apply_view)
        self.facets.view_activated.connect(self.views.apply)
        self.facets.view_rename_requested.connect(self.views.rename)
        self.facets.view_edit_requested.connect(self.views.edit_query)
        self.facets.view_delete_requested.connect(self.views.delete)
        self.loaded.connect(self.views.loaded)
        editing.values_changed.connect(lambda rows: self.views.count_later())
        self.saved.connect(lambda results: self.views.count_later())

    # -- wiring, by part (called from _connect_signals) --

    def _connect_list(self) -> None:
        """The list's sort control and header, its filter chips, and each view's menu and scrolling."""
        model, bar = self.model, self.list_bar
        model.sort_changed.connect(bar.show_sort)
        model.sort_changed.connect(self.area.show_sort)
        bar.sort_requested.connect(model.set_sort)
        bar.clause_removed.connect(lambda c: self.search_for(without_clause(self.search.text(), c)))
        self.search.to_results.connect(lambda: self.current_view().setFocus(Qt.FocusReason.ShortcutFocusReason))
        painting = layout.Painting(self)  # (a child of the window: it lives as long)
        completing = layout.Completing(model, self)
        for view in (self.cards, self.table):
            view.installEventFilter(completing)
            view.viewport().installEventFilter(completing)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self.context_menu(v, pos))
            view.verticalScrollBar().valueChanged.connect(lambda _: self.wanted_later())
            view.viewport().installEventFilter(painting)

    def _connect_progress(self) -> None:
        """The status bar's progress: loading (listing, then checking in the background) and saving."""
        loader, saver, status = self.loader, self.saver, self.status
        loader.started.connect(lambda: status.show_progress("Loading", 0))
        loader.total.connect(status.loading)
        loader.progressed.connect(status.advance)
        loader.checking.connect(status.checking)
        loader.checking.connect(self.browsing.listed)
        loader.listed.connect(self.browsing.listed)
        saver.started.connect(lambda n: status.show_progress("Saving", n))
        saver.progressed.connect(status.set_progress)

    def _connect_git(self) -> None:
        """Team mode: the status bar, the badges and Git column, the Git actions (enabled inside a
        work tree), the Diff tab, a status read after each save and change on disk, and a pull's
        changes read back through the watcher."""
        gitmode, tabs, browsing = self.gitmode, self.preview_tabs, self.browsing
        column = COLUMNS.index("git")

        def changed(status) -> None:
            if "git:" in self.search.text():
                self.model.requery()  # the git: term matches other rows now
            browsing.count_later()
            self.status.set_git(status)
            self.model.git_changed()
            files = status.files.items() if status is not None else ()
            self.problems.set_conflicts(p for p, state in files if state is git.State.CONFLICT)
            self.table.setColumnHidden(column, status is None)
            for action in (Action.COMMIT, Action.PULL, Action.PUSH):
                self.action_map[action].setEnabled(status is not None)
            tabs.show_git(status is not None)

        def show_diff() -> None:
            if tabs.diff_shown():
                path = browsing.current_path()
                tabs.diff.show_text(
                    "" if path is not None else "Select an article to see its diff against the last commit."
                )
                gitmode.read_diff(path)

        gitmode.diff_ready.connect(lambda path, text: path == browsing.current_path() and tabs.diff.show_text(text))
        tabs.currentChanged.connect(lambda _: show_diff())
        browsing.current_changed.connect(lambda _: show_diff())
        gitmode.status_changed.connect(changed)
        gitmode.status_changed.connect(lambda _: show_diff())
        gitmode.pulled.connect(self._check_disk)
        self.saved.connect(gitmode.saved)
        self.watcher.disk_changed.connect(lambda *_: gitmode.refresh_later())
        self.watcher.timer.timeout.connect(gitmode.poll)  # a commit made in a terminal: see GitController.poll
        changed(None)

    def _check_disk(self, tries: int = 50) -> None:
        """Read what changed on disk (a pull): a check already running (it may have read the
        files before the change) or a load or save makes this one wait its turn."""
        if not self.watcher.check_now() and tries:
            QTimer.singleShot(200, self, lambda: self._check_disk(tries - 1))

    def _connect_fields(self) -> None:
        """The table header's Other Fields… shows any key as a column, read again after each load and save."""
        fields = self.fields
        self.table.other_fields_requested.connect(fields.choose_columns)
        fields.columns_read.connect(self.model.set_extra_columns)
        self.loaded.connect(fields.read_columns)
        self.saved.connect(fields.read_columns)

    def _connect_stories(self) -> None:
        """Duplicate stories and links: grouped after each load and save, the preview lists the
        others of the current article's group and its link status, a dup: or link: query is
        matched again when they change, and Check Links shows its progress (Cancel stops it)."""
        stories, status = self.stories, self.status
        self.loaded.connect(stories.regroup)
        self.saved.connect(stories.regroup)

        def marked() -> None:
            text = self.search.text()
            if "dup:" in text or "link:" in text:
                self.model.requery()
            row = self.browsing.current_row()
            if row is not None and self.preview.summary is not None:  # shown again, with the details read
                self.preview.update_article(self.workspace.summary(row), self.workspace.is_dirty(row))

        def checked(summary: str) -> None:
            status.hide_progress()
            if summary:
                status.showMessage(summary, 10000)

        stories.marked.connect(marked)
        stories.marked.connect(lambda: self.browsing.count_later())  # the Duplicates facet's counts
        for source in (self.loader, self.watcher, self.saver):  # files that came or went: grouped
            source.disk_changed.connect(lambda *_: stories.sync())
        stories.checking.connect(lambda total: status.show_progress("Checking links", total))
        stories.progressed.connect(status.set_progress)
        stories.checked.connect(checked)
        status.cancel_requested.connect(stories.cancel_check)

    def _connect_profile(self) -> None:
        """The status bar shows the open folder's site profile; its menu reads the folder again as
        another kind of site (for this session; a `.curator.yml` makes it stick)."""
        menu = ProfileMenu(self)
        self.status.profile_button.setMenu(menu)

        def choose(name: str) -> None:
            if self.session.is_open:
                profiles.choose(self.session.root, None if name == "detect" else profiles.by_name(name))
                self.reload()

        def opened(workspace) -> None:
            self.status.set_profile(workspace.profile, profiles.config_problem(workspace.root))
            menu.show_profile(workspace.profile)

        menu.chosen.connect(choose)
        self.session.opened.connect(opened)

    def _triage_started(self) -> None:
        """The triage page in place of the list; the preview (of the list's article) steps aside."""
        self.preview_during_triage = self.docks["preview"].isVisible()
        self.docks["preview"].hide()
        self.area.show_page(self.triage_panel)
        self.triage_panel.setFocus()

    def _triage_left(self, path: str) -> None:
        self.docks["preview"].setVisible(self.preview_during_triage)
        self.area.show_page(None)
        self._update_empty_state()
        self.current_view().setFocus()

    def apply_view(self, view) -> None:
        """A saved view (core.site.views.View): its sort, cards or table, then its query."""
        if view.sort.lstrip("-") in SORT_FIELDS:
            self.model.set_sort(view.sort.lstrip("-"), view.sort.startswith("-"))
        if view.mode:
            self.set_view(view.mode)
        self.search_for(view.query)

    def set_view(self, mode: str) -> None:
        mode = self.area.set_mode(mode)
        self.settings["view/mode"] = mode.value
        self.action_map[Action.CARDS].setChecked(mode is ViewMode.CARDS)
        self.action_map[Action.TABLE].setChecked(mode is ViewMode.TABLE)
        self._update_empty_state()
        self.wanted_later()

    def current_view(self) -> QAbstractItemView:
        return self.area.view()

    def select_all(self) -> None:
        """Edit › Select All: every row of the list, those still to come included."""
        self.model.complete()
        self.current_view().selectAll()

    def _set_immediate(self, on: bool) -> None:
        self.settings["editing/save_immediately"] = on
        if on:
            self.save()

    workspace = property(lambda self: self.session.workspace, doc="the open folder's Workspace")

    def choose_folder(self) -> None:
        start = self.settings["files/last"] or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Folder of Articles", start)
        if folder:
            self.open_folder(folder)

    def reload(self) -> None:
        if self.session.is_open:
            self.open_folder(self.session.root, force=True)

    def open_folder(self, folder: str, force: bool = False) -> bool:
        path = Path(folder).expanduser()
        if not path.is_dir():
            self.messages.error(f"{folder} is not a folder.")
            return False
        if not self.saver.settle("reload" if force else "open another folder", lambda: self.open_folder(folder)):
            return False
        self.cancel_work()
        self.editing.undo_stack.clear()
        workspace = self.session.open(path)
        self.model.set_workspace(workspace)
        self._show_problems()
        self.settings.add_recent(str(path.resolve()))
        self.loader.start()
        self._update_empty_state()
        self._update_title()
        return True

    def _loaded(self, done: LoadDone) -> None:
        """The load ended: the list first; the topics, the watcher and the listeners of `loaded`
        (the stories' grouping, the views' counts) each a turn later (at a million articles the
        whole took 44 ms of one turn, the grouping's snapshot of every row 24 ms of it)."""
        self.status.hide_progress()
        self.browsing.loaded()
        self.status.showMessage(done.describe(), 15000 if done.index_error else 8000)
        self._update_empty_state()
        self._update_title()
        still = self.session.still(self.workspace)

        def topics() -> None:
            if still():
                self.topics.loaded(done.site_topics)
                self.wanted_later()
                self.watcher.start()
                QTimer.singleShot(1, self, lambda: still() and self.loaded.emit())

        QTimer.singleShot(1, self, topics)  # (0 ms: the same turn)

    def cancel_work(self) -> None:
        self.loader.cancel()
        self.browsing.cancel_indexing()
        self.saver.cancel()
        self.stories.cancel()

    def _disk_changed(self, report, announce: bool) -> None:
        """Files changed on disk (or were read again): the list, the problems and the editor follow."""
        if report.problems_changed:
            self._show_problems()
        self.browsing.files_changed(report)
        self._values_changed([])
        if announce and (described := report.describe()):
            self.status.showMessage(f"Files changed on disk: {described}", 10000)

    def _values_changed(self, rows: list[int]) -> None:
        """After edits, undo, saves and changes on disk (the model follows the workspace's own
        events): the current article, the title, the counts and the docks catch up."""
        if self.editing.slices.busy:  # more slices to come: the editor and title follow the last
            return
        self._refresh_current()
        self._update_title()
        self.browsing.count_later()
        self.review.refresh_later()
        self.topics.refresh_later()

    def _saved(self, results: list) -> None:  # the values a turn later: in this one, 56 ms after 10k files
        rows, workspace = self.workspace.rows_of(r.path for r in results), self.workspace
        self.status.hide_progress()
        QTimer.singleShot(1, self, lambda: self._show_saved(workspace, rows, results))  # (0 ms: the same turn)

    def _show_saved(self, workspace: object, rows: list[int], results: list) -> None:
        self._values_changed(rows if workspace is self.workspace else [])
        self.saved.emit(results)

    def _post(self, level: Level, text: str, detail: str, timeout_ms: int) -> None:
        error = level is Level.ERROR  # said in the bar too (over "Pulling…")
        self.status.say(text, 15000 if error else timeout_ms, len(self.workspace.pending))
        if error:
            self.prompts.show_error(text, detail)

    def _show_problems(self) -> None:
        self.problems.set_problems(self.workspace.problem_list())
        self.status.set_problems(*self.problems.counts())

    def _show_selection(self, rows: list[int], now: bool = False) -> None:
        """The editor panel and the actions follow the selection; a selection of more than
        SELECTION_LATER_OVER rows is read for the panel in a turn of its own."""
        for action in needing_selection():
            self.action_map[action].setEnabled(bool(rows))
        if len(rows) > SELECTION_LATER_OVER and not now:
            self._selection_later.start()  # (the rows selected then: a removal may renumber them)
            return
        self._selection_later.stop()
        with gui_turn():  # (20-30 ms for 10,000 rows of a million: workers that wait_turn wait)
            self.editor.show_selection(self.workspace.brief(rows))  # (what the panel reads of each)

    def _refresh_current(self) -> None:
        self._show_selection(self.browsing.selected_rows())
        row = self.browsing.current_row()
        if row is not None and self.preview.summary is not None:
            self.preview.update_article(self.workspace.summary(row), self.workspace.is_dirty(row))

    def apply_search(self) -> None:
        self.browsing.apply_search(self.search.text())

    def add_search_term(self, term: str) -> None:
        self.search_for(with_clause(self.search.text(), term))

    def search_for(self, text: str) -> None:
        self.search.setText(text)
        self.apply_search()

    def _query_applied(self) -> None:
        self.search.clear_error()
        self.list_bar.show_clauses(clauses(self.search.text()))
        self._update_empty_state()
        self.wanted_later()

    def selected_rows(self) -> list[int]:
        return self.browsing.selected_rows()

    def update_wanted_images(self) -> None:
        """Only rows on screen need thumbnails."""
        if (shown := self.area.on_screen()) is not None:
            self.browsing.want_positions(*shown)

    def request_edit(self, key: str, op: EditOp | str, value: Any, rows: Sequence[int] | None = None) -> bool:
        return self.editing.request(self.selected_rows() if rows is None else rows, key, op, value)

    def save(self, rows: Sequence[int] | None = None, overwrite: bool = False) -> bool:
        """Write unsaved changes on the save queue; False when there is nothing to do."""
        return self.saver.request(rows, overwrite)

    def context_menu(self, view: QAbstractItemView, pos=None) -> None:
        """The right-click menu; from the keyboard (pos None) at the current article."""
        if pos is None:
            rect = view.visualRect(self.selection.currentIndex())
            pos = rect.center() if rect.isValid() else view.viewport().rect().center()
        if self.selected_rows():
            menu = QMenu(self)
            fill(menu, CONTEXT, self.action_map, self._special)
            menu.exec(view.viewport().mapToGlobal(pos))

    def _update_empty_state(self, *_) -> None:
        folder = self.session.root if self.session.is_open else ""
        total, shown, search = len(self.workspace), self.model.rowCount(), self.search.text()
        self.area.show_list(self.empty.show_for(folder, self.loader.loading, total, shown, search))

    def _update_title(self) -> None:
        dirty = len(self.workspace.pending)
        name = self.workspace.root.name if self.session.is_open else ""
        title = f"{name}[*] — Curator" if name else "Curator[*]"
        self.setWindowTitle(f"{title} — {dirty:,} unsaved" if dirty else title)
        self.setWindowModified(bool(dirty))
        self.status.unsaved_changed(dirty)
        for act, on in (
            (self.action_map[Action.SAVE], dirty),
            (self.action_map[Action.REVERT_ALL], dirty),
            (self.action_map[Action.RELOAD], self.session.is_open),
        ):
            act.setEnabled(bool(on))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, lambda: layout.fit_docks(self))  # once the docks have their new sizes

    def closeEvent(self, event) -> None:
        if not self.saver.settle("close", self.close):
            event.ignore()
            return
        self.triage.leave()  # (the layout is saved with the preview dock as it was before triage)
        self.cancel_work()
        self.stories.close()  # (its grouping process ends with the window)
        self.watcher.stop()
        for images in (self.thumbs, self.large_images):
            images.shutdown()  # closing never waits on the network
        layout.save(self)
        self.settings.q.sync()
        event.accept()
