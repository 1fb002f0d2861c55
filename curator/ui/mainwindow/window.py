"""The main window: builds the widgets and the controllers, wires them in _connect_signals(),
and keeps the layout. What happens lives in the controllers (session, loader, saver, watcher,
editing, browsing) and the core; questions go through the Prompts (prompts.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QFileDialog, QMainWindow, QMenu, QSplitter, QStackedWidget

from ...core.index import default_cache_dir
from ..delegate import ArticleTable, CardView
from ..editor import EditorPanel
from ..emptystate import EmptyState
from ..facets import FacetPanel
from ..icons import icon
from ..model import COLUMNS, ArticleModel
from ..preview import PreviewPane
from ..problems import ProblemsPanel
from ..searchbox import SearchBox
from ..settings import Settings
from ..tasks import Tasks
from ..throttle import Throttle
from ..thumbnails import Thumbnails
from .actions import CONTEXT, DOCKS, MENUS, RECENT, TOOLBAR, Action, build, fill, needing_selection
from .browsing import Browsing, with_term
from .editing import Editing
from .loader import LoadDone, Loader
from .messages import Level, Messages, Prompts, UnsavedAnswer
from .prompts import DialogPrompts
from .saver import Saver
from .session import Session
from .statusbar import StatusBar
from .watcher import Watcher


class MainWindow(QMainWindow):
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
        self.settings = settings or Settings()
        self.cache_dir = cache_dir or default_cache_dir()
        self.tasks = Tasks(2, "work", self)
        self.image_tasks = Tasks(4, "images", self)
        network = network and self.settings["network/thumbnails"]
        images = self.cache_dir / "thumbnails"
        self.thumbs = Thumbnails(self.image_tasks, QSize(128, 96), images, network=network)
        self.large_images = Thumbnails(
            self.image_tasks, QSize(560, 320), images, crop=False, memory_items=24, network=network
        )
        self.messages = Messages(self)
        self.prompts = prompts or DialogPrompts(self)
        self.session = Session(self.cache_dir, self)
        self.model = ArticleModel(self.session.workspace, self.thumbs, self)
        self._build_views()
        self.loader = Loader(self.session, self.tasks, self.messages, self)
        self.saver = Saver(self.session, self.tasks, self.prompts, self.messages, self)
        self.watcher = Watcher(
            self.session, self.tasks, self.messages, lambda: self.settings["files/watch_seconds"],
            lambda: self.loader.loading or self.saver.running, self,
        )  # fmt: skip
        self.editing = Editing(
            self.session, self.tasks, self.prompts, self.messages,
            lambda: self.settings["editing/confirm_batch_over"], self,
        )  # fmt: skip
        self.browsing = Browsing(self.session, self.model, self.selection, self.tasks, self.thumbs, self.messages, self)
        self.undo_stack = self.editing.undo_stack
        self.wanted_later = Throttle(self.update_wanted_images, 120, self)
        self._auto_current = False  # the current row was picked by us, not the editor
        self._after_save: Callable[[], Any] | None = None  # close or open once everything is saved
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.problems_button, self.counts_label = self.status.problems_button, self.status.counts_label
        self._build_docks()
        self._build_actions()
        self._connect_signals()
        self.setAcceptDrops(True)
        self.resize(1400, 880)
        self._restore_layout()
        self.set_view(self.settings["view/mode"])
        self._update_empty_state()
        self._update_title()

    # ------------------------------------------------------------------ building

    def _build_views(self) -> None:
        self.cards, self.table = CardView(), ArticleTable()
        self.cards.setModel(self.model)
        self.table.setModel(self.model)
        self.table.setSelectionModel(self.cards.selectionModel())
        self.selection = self.cards.selectionModel()
        self.empty, self.stack = EmptyState(), QStackedWidget()
        for w in (self.empty, self.cards, self.table):
            self.stack.addWidget(w)
        self.setCentralWidget(self.stack)

    def _build_docks(self) -> None:
        self.facets = FacetPanel()
        self.preview = PreviewPane(self.large_images, self.thumbs)
        self.editor = EditorPanel()
        self.problems = ProblemsPanel()
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("splitter-preview-editor")
        self.right_splitter.addWidget(self.preview)
        self.right_splitter.addWidget(self.editor)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 1)
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget, area in (
            ("facets", "Browse", self.facets, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("preview", "Preview and edit", self.right_splitter, Qt.DockWidgetArea.RightDockWidgetArea),
            ("problems", "Problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        self.docks["problems"].hide()
        self.resizeDocks([self.docks["facets"], self.docks["preview"]], [240, 520], Qt.Orientation.Horizontal)

    def _build_actions(self) -> None:
        edit = self.request_edit
        slots = {
            Action.OPEN: self.choose_folder, Action.RELOAD: self.reload, Action.SAVE: self.save,
            Action.REVERT: self.revert_selected, Action.REVERT_ALL: self.revert_all, Action.QUIT: self.close,
            Action.PUBLISH: lambda: edit("published", "set", True),
            Action.UNPUBLISH: lambda: edit("published", "set", False),
            Action.ADD_TOPIC: lambda: self.editing.ask_add_topic(self.selected_rows(), self.editor.topic_choices()),
            Action.REMOVE_TOPIC: lambda: self.editing.ask_remove_topic(self.selected_rows()),
            Action.QUALITY: lambda: self.editing.ask_quality(self.selected_rows()), Action.FIND: self.focus_search,
            Action.SELECT_ALL: lambda: self.current_view().selectAll(), Action.REVEAL: self.reveal_selected,
            Action.CARDS: lambda: self.set_view("cards"), Action.TABLE: lambda: self.set_view("table"),
            Action.ABOUT: self.prompts.about,
        }  # fmt: skip
        made = {
            Action.UNDO: self.undo_stack.createUndoAction(self, "&Undo"),
            Action.REDO: self.undo_stack.createRedoAction(self, "&Redo"),
        }
        self.action_map = build(self, slots, made)
        for action, qaction in self.action_map.items():
            setattr(self, f"act_{action.name.lower()}", qaction)
        self.act_immediate.setChecked(self.settings["editing/save_immediately"])
        self.act_immediate.toggled.connect(self._set_immediate)
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
            self.recent_menu = menu.addMenu(icon("fa5s.history"), "Open &Recent")
            self.recent_menu.aboutToShow.connect(self._fill_recent)
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
        browsing.current_changed.connect(self._show_current)
        browsing.details_ready.connect(self._show_details)
        browsing.selection_changed.connect(self._show_selection)
        browsing.scroll_requested.connect(lambda index: self.current_view().scrollTo(index))
        self.facets.term_activated.connect(self.add_search_term)
        self.editor.edit_requested.connect(self.request_edit)
        self.problems.reveal_requested.connect(browsing.reveal)
        loader.started.connect(lambda: status.show_progress("Loading", 0))
        loader.total.connect(self._total_known)
        loader.rows_added.connect(self._rows_added)
        loader.progressed.connect(status.advance)
        loader.disk_changed.connect(self._disk_changed)
        loader.problems_changed.connect(self._show_problems)
        loader.finished.connect(self._loaded)
        saver.started.connect(lambda n: status.show_progress("Saving", n))
        saver.progressed.connect(status.set_progress)
        saver.saved.connect(self._saved)
        saver.disk_changed.connect(self._disk_changed)
        saver.reload_requested.connect(lambda paths: loader.reload(paths, drop_edits=True))
        saver.idle.connect(self._save_idle)
        self.watcher.disk_changed.connect(self._disk_changed)
        editing.values_changed.connect(self._values_changed)
        editing.edited.connect(self._edited)
        editing.reload_requested.connect(loader.reload)
        editing.topic_choices.connect(self.editor.set_topic_choices)
        self.messages.posted.connect(self._post)
        status.cancel_requested.connect(self.cancel_work)
        status.problems_requested.connect(lambda: self.docks["problems"].setVisible(True))
        for view in (self.cards, self.table):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
            view.verticalScrollBar().valueChanged.connect(lambda _: self.wanted_later())

    # ------------------------------------------------------------------ layout and settings

    def _restore_layout(self) -> None:
        for key, restore in (
            ("window/geometry", self.restoreGeometry), ("window/state", self.restoreState),
            ("window/table_header", self.table.horizontalHeader().restoreState),
            ("window/splitter", self.right_splitter.restoreState),
        ):  # fmt: skip
            value = self.settings[key]
            if value and not value.isEmpty():
                restore(value)
        field, descending = self.settings["view/sort_field"], self.settings["view/sort_descending"]
        if field in COLUMNS:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            self.table.horizontalHeader().setSortIndicator(COLUMNS.index(field), order)
            self.model.set_sort(field, descending)

    def _save_layout(self) -> None:
        self.settings["window/geometry"] = self.saveGeometry()
        self.settings["window/state"] = self.saveState()
        self.settings["window/table_header"] = self.table.horizontalHeader().saveState()
        self.settings["window/splitter"] = self.right_splitter.saveState()
        self.settings["view/sort_field"] = self.model.sort_field
        self.settings["view/sort_descending"] = self.model.descending

    def set_view(self, mode: str) -> None:
        mode = mode if mode in ("cards", "table") else "cards"
        self.settings["view/mode"] = mode
        self.act_cards.setChecked(mode == "cards")
        self.act_table.setChecked(mode == "table")
        self._update_empty_state()
        self.wanted_later()

    def current_view(self) -> QAbstractItemView:
        return self.table if self.settings["view/mode"] == "table" else self.cards

    def _set_immediate(self, on: bool) -> None:
        self.settings["editing/save_immediately"] = on
        if on:
            self.save()

    @property
    def workspace(self):
        return self.session.workspace

    @property
    def loading(self) -> bool:
        return self.loader.loading

    # ------------------------------------------------------------------ opening

    def choose_folder(self) -> None:
        start = self.settings["files/last"] or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Folder of Articles", start)
        if folder:
            self.open_folder(folder)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [f for f in self.settings["files/recent"] if f]
        for folder in recent:
            self.recent_menu.addAction(folder).triggered.connect(lambda checked=False, f=folder: self.open_folder(f))
        if not recent:
            self.recent_menu.addAction("No recent folders").setEnabled(False)

    def reload(self) -> None:
        if self.session.is_open:
            self.open_folder(self.session.root, force=True)

    def open_folder(self, folder: str, force: bool = False) -> bool:
        path = Path(folder).expanduser()
        if not path.is_dir():
            self.messages.error(f"{folder} is not a folder.")
            return False
        if not self._unsaved_allow("reload" if force else "open another folder", lambda: self.open_folder(folder)):
            return False
        self.cancel_work()
        self.editing.undo_stack.clear()
        workspace = self.session.open(path)
        self.model.set_workspace(workspace)
        for images in (self.thumbs, self.large_images):
            images.resolve_local = self.session.site.resolve_local
        self._show_problems()
        self.settings.add_recent(str(path.resolve()))
        self.loader.start()
        self._update_empty_state()
        self._update_title()
        return True

    def _total_known(self, files: int) -> None:
        self.status.set_progress_total(files)
        self.status.showMessage(f"Loading {files:,} {'file' if files == 1 else 'files'}…")

    def _rows_added(self, rows: range, first: bool) -> None:
        self.model.append(rows)
        if first and self.model.rowCount():
            self.browsing.select_first()
            self._auto_current = True  # moved to the top once the list is sorted
        self._update_empty_state()

    def _loaded(self, done: LoadDone) -> None:
        self.status.hide_progress()
        current = None if self._auto_current else self.browsing.current_path()
        self.model.reset_rows()
        if not (current and self.browsing.restore_current(current)):
            self.browsing.select_first()
        self.editing.count_topics(done.site_topics)
        self.browsing.count_later()
        message = f"{'Cancelled: loaded' if done.cancelled else 'Loaded'} {done.articles:,} articles"
        message += f" in {done.seconds:.1f} s"
        if done.index_error:
            message += f" (without the index: {done.index_error})"
        self.status.showMessage(message, 15000 if done.index_error else 8000)
        self._update_empty_state()
        self._update_title()
        self.wanted_later()
        self.watcher.start()
        self.loaded.emit()

    def cancel_work(self) -> None:
        self.loader.cancel()
        self.saver.cancel()

    # ------------------------------------------------------------------ what the controllers report

    def _disk_changed(self, report, announce: bool) -> None:
        """Files changed on disk (or were read again): the list, the problems and the editor follow."""
        current = self.browsing.current_path()
        if report.problems_changed:
            self._show_problems()
        if report.rows_moved:
            self.model.refresh()
            self.browsing.restore_current(current)
        else:
            self.model.rows_changed(report.reloaded + report.rebased)
        self._values_changed([])
        described = report.describe()
        if announce and described:
            self.status.showMessage(f"Files changed on disk: {described}", 10000)

    def _values_changed(self, rows: list[int]) -> None:
        self.model.rows_changed(rows)
        self._refresh_current()
        self._update_title()
        self.browsing.count_later()

    def _edited(self) -> None:
        if self.settings["editing/save_immediately"]:
            QTimer.singleShot(0, self.save)

    def _saved(self, results: list) -> None:
        self.status.hide_progress()
        rows = self.workspace.rows
        self._values_changed([rows[r.path] for r in results if r.path in rows])
        self.saved.emit(results)

    def _save_idle(self) -> None:
        then, self._after_save = self._after_save, None
        if then is not None and not self.workspace.pending:
            then()
        elif then is not None:
            self.status.showMessage(f"{len(self.workspace.pending):,} articles are still unsaved.", 10000)

    def _post(self, level: Level, text: str, detail: str, timeout_ms: int) -> None:
        if level is Level.ERROR and hasattr(self.prompts, "show_error"):
            self.prompts.show_error(text, detail)
        else:
            self.status.showMessage(text, timeout_ms)

    def _show_problems(self) -> None:
        self.problems.set_problems(self.workspace.problem_list())
        self.status.set_problems(*self.problems.counts())

    def _show_current(self, path: str | None) -> None:
        self._auto_current = False
        if path is None:
            self.preview.show_empty("Select an article to preview it.")
            return
        row = self.workspace.rows[path]
        self.preview.show_article(self.workspace.summary(row), None, self.workspace.is_dirty(row))

    def _show_details(self, path: str, details) -> None:
        row = self.workspace.rows[path]
        self.preview.show_article(self.workspace.summary(row), details, self.workspace.is_dirty(row))

    def _show_selection(self, rows: list[int]) -> None:
        self.editor.show_selection([self.workspace.summary(r) for r in rows])
        for action in needing_selection():
            self.action_map[action].setEnabled(bool(rows))

    def _refresh_current(self) -> None:
        self._show_selection(self.browsing.selected_rows())
        row = self.browsing.current_row()
        if row is not None and self.preview.summary is not None:
            self.preview.update_article(self.workspace.summary(row), self.workspace.is_dirty(row))

    # ------------------------------------------------------------------ search

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_search(self) -> None:
        self.browsing.apply_search(self.search.text())

    def add_search_term(self, term: str) -> None:
        self.search.setText(with_term(self.search.text(), term))
        self.apply_search()

    def _query_applied(self) -> None:
        self.search.clear_error()
        self._update_empty_state()
        self.wanted_later()

    def selected_rows(self) -> list[int]:
        return self.browsing.selected_rows()

    def update_wanted_images(self) -> None:
        """Only rows on screen need thumbnails."""
        view = self.current_view()
        top = view.indexAt(view.viewport().rect().topLeft()).row()
        bottom = view.indexAt(view.viewport().rect().bottomLeft()).row()
        if top >= 0:
            self.browsing.want_positions(top, bottom if bottom >= 0 else top + 50)

    # ------------------------------------------------------------------ editing and saving

    def request_edit(self, key: str, op: str, value: Any, rows: Sequence[int] | None = None) -> bool:
        return self.editing.request(self.selected_rows() if rows is None else rows, key, op, value)

    def revert_selected(self) -> None:
        self.editing.revert(self.selected_rows())

    def revert_all(self) -> None:
        self.editing.revert(self.workspace.dirty_rows())

    def save(self, rows: Sequence[int] | None = None, overwrite: bool = False) -> bool:
        """Write unsaved changes on the save queue; False when there is nothing to do."""
        return self.saver.request(rows, overwrite)

    def _unsaved_allow(self, doing: str, then: Callable[[], Any]) -> bool:
        """With unsaved edits, ask Save / Discard / Cancel; True to go ahead now. After Save,
        `then` runs once everything is saved (a real close-when-saved)."""
        count = len(self.workspace.pending)
        if not count:
            return True
        answer = self.prompts.unsaved_changes(count, doing)
        if answer is UnsavedAnswer.SAVE and self.saver.request():
            self._after_save = then
        return answer is UnsavedAnswer.DISCARD

    # ------------------------------------------------------------------ misc actions

    def _context_menu(self, view: QAbstractItemView, pos) -> None:
        if self.selected_rows():
            menu = QMenu(self)
            fill(menu, CONTEXT, self.action_map, self._special)
            menu.exec(view.viewport().mapToGlobal(pos))

    def reveal_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.workspace.abspath(rows[0])).parent)))

    def _update_empty_state(self) -> None:
        folder = self.session.root if self.session.is_open else ""
        shown, total, search = self.model.rowCount(), len(self.workspace), self.search.text()
        if self.empty.show_for(folder, self.loading, total, shown, search, self.choose_folder, self.search.clear):
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.current_view())

    def _update_title(self) -> None:
        dirty = len(self.workspace.pending)
        name = self.workspace.root.name if self.session.is_open else ""
        title = f"{name}[*] — Curator" if name else "Curator[*]"
        self.setWindowTitle(f"{title} — {dirty:,} unsaved" if dirty else title)
        self.setWindowModified(bool(dirty))
        self.act_save.setEnabled(bool(dirty))
        self.act_revert_all.setEnabled(bool(dirty))

    # ------------------------------------------------------------------ Qt events

    def closeEvent(self, event) -> None:
        if not self._unsaved_allow("close", self.close):
            event.ignore()
            return
        self.cancel_work()
        self.watcher.stop()
        for images in (self.thumbs, self.large_images):
            images.shutdown()  # closing never waits on the network
        self._save_layout()
        self.settings.q.sync()
        event.accept()

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and os.path.isdir(urls[0].toLocalFile()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.open_folder(urls[0].toLocalFile())
            event.acceptProposedAction()
