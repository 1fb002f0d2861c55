"""The main window: opening folders, browsing, searching, editing and saving."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core import library
from ..core.index import Index, default_cache_dir
from ..core.library import Entry
from ..core.query import QueryError
from ..core.site import Site, taxonomy
from ..core.workspace import EditOp, EditStep, Saved, SaveJob, Workspace, save_batch
from .conflicts import ConflictDialog
from .delegate import CardView
from .editor import EditCommand, EditorPanel, describe
from .facets import FacetPanel, count_facets
from .icons import icon
from .model import COLUMNS, ArticleModel, Role
from .preview import PreviewPane, read_details
from .problems import ProblemsPanel
from .settings import Settings
from .tasks import Progress, Task, Tasks
from .thumbnails import Thumbnails

SEARCH_DELAY_MS = 180
FACET_DELAY_MS = 250


class EmptyState(QWidget):
    """What the list area shows when there is nothing to list, and what to do about it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.icon = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.text = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.setVisible(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (self.icon, self.title, self.text):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addStretch(2)
        self._action = None
        self._state: tuple | None = None

    def show_state(self, icon_name: str, title: str, text: str, button: str = "", action=None) -> None:
        state = (icon_name, title, text, button, action)
        if state == self._state:
            return
        self._state = state
        self.icon.setPixmap(icon(icon_name, "#9e9e9e").pixmap(64, 64))
        self.title.setText(title)
        self.text.setText(text)
        if self._action is not None:
            self.button.clicked.disconnect(self._action)
        self._action = action
        self.button.setVisible(bool(button))
        self.button.setText(button)
        if action is not None:
            self.button.clicked.connect(action)


class MainWindow(QMainWindow):
    loaded = Signal()  # a folder finished loading
    saved = Signal(list)  # SaveResults of a save run

    def __init__(self, settings: Settings | None = None, cache_dir: Path | None = None, network: bool = True):
        super().__init__()
        self.settings = settings or Settings()
        self.cache_dir = cache_dir or default_cache_dir()
        self.tasks = Tasks(2, "work", self)
        self.image_tasks = Tasks(4, "images", self)
        self.save_tasks = Tasks(1, "save", self)  # one writer: two saves of a file never race
        self.workspace = Workspace(".")
        self.site: Site | None = None
        self.load_task: Task | None = None
        self.save_task: Task | None = None
        self.watch_task: Task | None = None
        self.loading = False
        self._auto_current = False
        self._preview_path: str | None = None  # the article the preview shows
        self.undo_stack = QUndoStack(self)
        network = network and self.settings["network/thumbnails"]
        images = self.cache_dir / "thumbnails"
        self.thumbs = Thumbnails(self.image_tasks, QSize(128, 96), images, network=network)
        self.large_images = Thumbnails(
            self.image_tasks, QSize(560, 320), images, crop=False, memory_items=24, network=network
        )
        self.model = ArticleModel(self.workspace, self.thumbs, self)
        self.model.counts_changed.connect(self._counts_changed)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS, timeout=self._apply_search)
        self.facet_timer = QTimer(self, singleShot=True, interval=FACET_DELAY_MS, timeout=self._update_facets)
        self.visible_timer = QTimer(self, singleShot=True, interval=120, timeout=self._update_wanted_images)
        self.watch_timer = QTimer(self, interval=max(1, self.settings["files/watch_seconds"]) * 1000)
        self.watch_timer.timeout.connect(self._watch)
        self._build_status()
        self._build_views()
        self._build_docks()
        self._build_actions()
        self.setAcceptDrops(True)
        self.resize(1400, 880)
        self._restore_layout()
        self._set_view(self.settings["view/mode"])
        self._update_empty_state()
        self._update_title()

    # ------------------------------------------------------------------ building

    def _build_views(self) -> None:
        self.cards = CardView()
        self.cards.setModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionModel(self.cards.selectionModel())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        header.setStretchLastSection(True)
        for column, width in enumerate((380, 150, 130, 60, 50, 70, 220, 80, 80, 300)):
            self.table.setColumnWidth(column, width)
        for view in (self.cards, self.table):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
            view.verticalScrollBar().valueChanged.connect(self.visible_timer.start)
        self.selection = self.cards.selectionModel()
        self.selection.selectionChanged.connect(self._selection_changed)
        self.selection.currentChanged.connect(self._current_changed)
        # a search, sort or reload changes the list without selection signals: follow it
        for signal in (self.model.layoutChanged, self.model.modelReset, self.model.rowsRemoved):
            signal.connect(self._list_changed)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        for w in (self.empty, self.cards, self.table):
            self.stack.addWidget(w)
        self.setCentralWidget(self.stack)

    def _build_docks(self) -> None:
        self.facets = FacetPanel()
        self.facets.term_activated.connect(self.add_search_term)
        self.preview = PreviewPane(self.large_images, self.thumbs)
        self.editor = EditorPanel()
        self.editor.edit_requested.connect(self.request_edit)
        self.problems = ProblemsPanel()
        self.problems.reveal_requested.connect(self.reveal)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.preview)
        right.addWidget(self.editor)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        self.right_splitter = right
        self.docks = {}
        for name, title, widget, area in (
            ("facets", "Browse", self.facets, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("preview", "Preview and edit", right, Qt.DockWidgetArea.RightDockWidgetArea),
            ("problems", "Problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        self.docks["problems"].hide()
        self.resizeDocks([self.docks["facets"], self.docks["preview"]], [240, 520], Qt.Orientation.Horizontal)

    def _action(self, text: str, slot, shortcut=None, icon_name: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _build_actions(self) -> None:
        S = QKeySequence.StandardKey
        self.act_open = self._action(
            "&Open Folder…", self.choose_folder, S.Open, "fa5s.folder-open", "Open a folder of articles"
        )
        self.act_reload = self._action("&Reload", self.reload, QKeySequence("F5"), "fa5s.sync", "Read the folder again")
        self.act_save = self._action("&Save", self.save, S.Save, "fa5s.save", "Write every unsaved change to its file")
        self.act_revert = self._action("Revert Selected", self.revert_selected, None, "fa5s.undo-alt")
        self.act_revert_all = self._action("Revert All", self.revert_all)
        self.act_quit = self._action("&Quit", self.close, S.Quit)
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts(S.Undo)
        self.act_undo.setIcon(icon("fa5s.undo"))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts(S.Redo)
        self.act_redo.setIcon(icon("fa5s.redo"))
        self.act_publish = self._action(
            "&Publish Selected", lambda: self.request_edit("published", "set", True), QKeySequence("Ctrl+P"),
            "fa5s.eye", "Publish the selected articles",
        )  # fmt: skip
        self.act_unpublish = self._action(
            "&Unpublish Selected", lambda: self.request_edit("published", "set", False), QKeySequence("Ctrl+Shift+P"),
            "fa5s.eye-slash", "Unpublish the selected articles",
        )  # fmt: skip
        self.act_add_topic = self._action("&Add Topic…", self.ask_add_topic, QKeySequence("Ctrl+T"), "fa5s.tag")
        self.act_remove_topic = self._action("&Remove Topic…", self.ask_remove_topic, QKeySequence("Ctrl+Shift+T"))
        self.act_quality = self._action("Set &Quality…", self.ask_quality, QKeySequence("Ctrl+Shift+Q"), "fa5s.star")
        self.act_find = self._action("&Find", self.focus_search, S.Find, "fa5s.search")
        self.act_select_all = self._action("Select &All", lambda: self.current_view().selectAll(), S.SelectAll)
        self.act_reveal = self._action("Show in File Manager", lambda: self.reveal_selected())
        self.act_immediate = QAction("Save Every Change Immediately", self, checkable=True)
        self.act_immediate.setChecked(self.settings["editing/save_immediately"])
        self.act_immediate.toggled.connect(self._set_immediate)
        self.act_cards = self._action("&Cards", lambda: self._set_view("cards"), QKeySequence("Ctrl+1"), "fa5s.th-list")
        self.act_table = self._action("&Table", lambda: self._set_view("table"), QKeySequence("Ctrl+2"), "fa5s.table")
        for a in (self.act_cards, self.act_table):
            a.setCheckable(True)
        self.act_about = self._action("&About Curator", self.about)

        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addAction(self.act_open)
        self.recent_menu = m.addMenu(icon("fa5s.history"), "Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addAction(self.act_reload)
        m.addSeparator()
        m.addActions([self.act_save, self.act_revert, self.act_revert_all])
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu("&Edit")
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions(
            [self.act_publish, self.act_unpublish, self.act_add_topic, self.act_remove_topic, self.act_quality]
        )
        m.addSeparator()
        m.addActions([self.act_select_all, self.act_find])
        m.addSeparator()
        m.addAction(self.act_immediate)
        m = bar.addMenu("&View")
        m.addActions([self.act_cards, self.act_table])
        m.addSeparator()
        for dock in self.docks.values():
            m.addAction(dock.toggleViewAction())
        bar.addMenu("&Help").addAction(self.act_about)

        tb = self.addToolBar("Main")
        tb.setObjectName("toolbar-main")
        tb.setIconSize(QSize(18, 18))
        tb.addActions([self.act_open, self.act_reload, self.act_save])
        tb.addSeparator()
        tb.addActions([self.act_undo, self.act_redo])
        tb.addSeparator()
        tb.addActions([self.act_publish, self.act_unpublish, self.act_add_topic])
        tb.addSeparator()
        tb.addActions([self.act_cards, self.act_table])
        tb.addSeparator()
        self.search = QLineEdit()
        self.search.setPlaceholderText('Search…  e.g. topic:"Power Apps" published:no quality:>=50')
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("fa5s.search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(380)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self._apply_search)
        tb.addWidget(self.search)
        self.search_error = QLabel()
        self.search_error.setTextFormat(Qt.TextFormat.PlainText)
        self.search_error.setStyleSheet("color: #c62828; padding-left: 8px")
        tb.addWidget(self.search_error)
        self._selection_actions = [self.act_publish, self.act_unpublish, self.act_add_topic, self.act_remove_topic,
                                   self.act_quality, self.act_revert, self.act_reveal]  # fmt: skip

    def _build_status(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("fa5s.times"))
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.clicked.connect(self.cancel_work)
        self.cancel_button.hide()
        self.problems_button = QToolButton()
        self.problems_button.setAutoRaise(True)
        self.problems_button.clicked.connect(lambda: self.docks["problems"].setVisible(True))
        self.problems_button.hide()
        status.addPermanentWidget(self.problems_button)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.counts_label)

    # ------------------------------------------------------------------ layout and settings

    def _restore_layout(self) -> None:
        geometry = self.settings["window/geometry"]
        if geometry and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings["window/state"]
        if state and not state.isEmpty():
            self.restoreState(state)
        header = self.settings["window/table_header"]
        if header and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
        field = self.settings["view/sort_field"]
        order = Qt.SortOrder.DescendingOrder if self.settings["view/sort_descending"] else Qt.SortOrder.AscendingOrder
        if field in COLUMNS:
            self.table.horizontalHeader().setSortIndicator(COLUMNS.index(field), order)
            self.model.set_sort(field, order == Qt.SortOrder.DescendingOrder)

    def _save_layout(self) -> None:
        self.settings["window/geometry"] = self.saveGeometry()
        self.settings["window/state"] = self.saveState()
        self.settings["window/table_header"] = self.table.horizontalHeader().saveState()
        self.settings["view/sort_field"] = self.model.sort_field
        self.settings["view/sort_descending"] = self.model.descending

    def _set_view(self, mode: str) -> None:
        mode = mode if mode in ("cards", "table") else "cards"
        self.settings["view/mode"] = mode
        self.act_cards.setChecked(mode == "cards")
        self.act_table.setChecked(mode == "table")
        self._update_empty_state()
        self.visible_timer.start()

    def current_view(self) -> QAbstractItemView:
        return self.table if self.settings["view/mode"] == "table" else self.cards

    def _set_immediate(self, on: bool) -> None:
        self.settings["editing/save_immediately"] = on
        if on:
            self.save()

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
            action = self.recent_menu.addAction(folder)
            action.triggered.connect(lambda checked=False, f=folder: self.open_folder(f))
        if not recent:
            self.recent_menu.addAction("No recent folders").setEnabled(False)

    def reload(self) -> None:
        if self.workspace.root != Path(".") and self.site is not None:
            self.open_folder(str(self.workspace.root), force=True)

    def open_folder(self, folder: str, force: bool = False) -> bool:
        path = Path(folder).expanduser()
        if not path.is_dir():
            QMessageBox.warning(self, "Curator", f"{folder} is not a folder.")
            return False
        if not self.confirm_unsaved("open another folder" if not force else "reload"):
            return False
        self.cancel_work()
        # No gc.unfreeze() here: the articles of the folder being closed hold no reference
        # cycles, so reference counting frees them, while unfreezing would make the next full
        # collection walk every object frozen so far (200 ms at 100,000 articles).
        self.undo_stack.clear()
        self.workspace = Workspace(path.resolve())
        self.model.beginResetModel()
        self.model.workspace = self.workspace
        self.model.order = []
        self.model._positions = None
        self.model.endResetModel()
        self.site = Site(path)
        self.thumbs.resolve_local = self.site.resolve_local
        self.large_images.resolve_local = self.site.resolve_local
        self._show_problems()
        self.settings.add_recent(str(path.resolve()))
        self.loading = True
        self._started = time.perf_counter()
        self._show_progress("Loading", 0)
        root = str(path.resolve())
        index = Index(root, self.cache_dir)
        self._index_error = ""
        workspace = self.workspace  # a load that was cancelled may still deliver: not to another folder
        self.load_task = self.tasks.run(
            lambda p: self._load_worker(root, index, p),
            lambda result, error: workspace is self.workspace and self._load_done(result, error, index.error),
            lambda message: workspace is self.workspace and self._load_progress(message),
        )
        self._update_empty_state()
        self._update_title()
        return True

    @staticmethod
    def _load_worker(root: str, index: Index, progress: Progress) -> list[str]:
        def total(n: int) -> None:
            progress.report(("total", n))

        for batch in library.open_iter(root, index, cancel=progress.cancel_event, on_total=total):
            progress.report(("batch", batch))
            if progress.cancelled:
                break
        names = [t.name for t in taxonomy(root)]
        return names

    def _load_progress(self, message: tuple[str, Any]) -> None:
        kind, value = message
        if kind == "total":
            self.progress.setMaximum(max(1, value))
            self.statusBar().showMessage(f"Loading {value:,} files…")
            return
        if isinstance(value, library.Changes):  # the index's rows checked against the disk
            self._apply_changes(value, announce=False)
            self.progress.setValue(self.progress.value() + len(value))
            return
        if isinstance(value, library.Decoded):  # summaries of rows shown from the index
            self.workspace.table.summaries.decoded(value.start, value.summaries)  # (frozen by the loader)
            return
        # (files with warnings come with their summary, also from the index)
        warned = [s for s in value.summaries if s is not None and s.warnings]
        problems_changed = self.workspace.note_problems(value.problems, warned)
        first = len(self.workspace) == 0
        rows = self.workspace.add(value.summaries, value.snapshots, value.columns)
        # The articles live as long as the folder: keep them out of the cyclic collector, whose
        # full collections over a growing list of 100,000 articles stalled the window ~200 ms.
        gc.freeze()
        self.model.append(rows)
        if problems_changed:
            self._show_problems()
        self.progress.setValue(self.progress.value() + len(value))
        if first and self.model.rowCount():
            self.current_view().setCurrentIndex(self.model.index(0, 0))
            self._auto_current = True  # chosen by us, not the editor: moved to the top once sorted
        self._update_empty_state()

    def _load_done(self, topics: list[str] | None, error: BaseException | None, index_error: str | None = None) -> None:
        self.loading = False
        self._index_error = index_error or ""
        self._hide_progress()
        if error is not None:
            QMessageBox.critical(self, "Curator", f"Could not read the folder: {error}")
            return
        current = None if self._auto_current else self._current_path()
        self.model.reset_rows()
        if current:
            self._restore_current(current)
        elif self.model.rowCount():
            self.current_view().setCurrentIndex(self.model.index(0, 0))
        summaries, site_topics = self.workspace.table.summaries.copy(), set(topics or ())
        self.tasks.run(
            lambda p: {t for s in summaries if s is not None for t in s.topics} | site_topics,
            lambda choices, error: self.editor.set_topic_choices(choices or site_topics),
        )
        gc.freeze()  # and what arrived as changes
        self.facet_timer.start()
        elapsed = time.perf_counter() - self._started
        cancelled = self.load_task is not None and self.load_task.cancelled
        done = "Cancelled: loaded" if cancelled else "Loaded"
        message = f"{done} {len(self.workspace):,} articles in {elapsed:.1f} s"
        if self._index_error:
            message += f" (without the index: {self._index_error})"
        self.statusBar().showMessage(message, 15000 if self._index_error else 8000)
        self._update_empty_state()
        self._update_title()
        self.visible_timer.start()
        self.watch_timer.start()
        self.loaded.emit()

    def cancel_work(self) -> None:
        for task in (self.load_task, self.save_task):
            if task is not None and not task.done:
                task.cancel()

    # ------------------------------------------------------------------ search, facets, selection

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def add_search_term(self, term: str) -> None:
        text = self.search.text().strip()
        if term not in text:
            self.search.setText(f"{text} {term}".strip())
        self._apply_search()

    def _apply_search(self) -> None:
        self.search_timer.stop()
        text = self.search.text()
        current = self._current_path()
        try:
            self.model.set_query(text)
        except QueryError as exc:
            self.search_error.setText(str(exc))
            self.search.setStyleSheet("QLineEdit { border: 1px solid #c62828; }")
            return
        self.search_error.setText("")
        self.search.setStyleSheet("")
        self._restore_current(current)
        self.facet_timer.start()
        self._update_empty_state()
        self.visible_timer.start()

    def _update_facets(self) -> None:
        """Count facets in a worker (a pass over every shown article); show them when done."""
        summaries, order, workspace = self.workspace.table.summaries.copy(), list(self.model.order), self.workspace

        def shown(counts, error) -> None:
            if error is None and workspace is self.workspace:
                self.facets.show_counts(counts)

        self.tasks.run(lambda p: count_facets(summaries, order), shown)

    def _counts_changed(self, shown: int, total: int) -> None:
        self.counts_label.setText(f"{shown:,} shown / {total:,} articles")

    def _current_path(self) -> str | None:
        index = self.selection.currentIndex()
        return index.data(Role.PATH) if index.isValid() else None

    def _restore_current(self, path: str | None) -> None:
        row = self.workspace.rows.get(path) if path else None
        pos = self.model.positions().get(row) if row is not None else None
        if pos is not None:
            index = self.model.index(pos, 0)
            self.selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.current_view().scrollTo(index)

    def selected_rows(self) -> list[int]:
        """Workspace rows of the selection (the current row when nothing is selected)."""
        # walk the selection's ranges: a 10,000-row selection is one range, not 100,000 indexes
        positions = sorted({p for r in self.selection.selection() for p in range(r.top(), r.bottom() + 1)})
        if not positions and self.selection.currentIndex().isValid():
            positions = [self.selection.currentIndex().row()]
        return [self.model.order[p] for p in positions if p < len(self.model.order)]

    def _selection_changed(self, *_) -> None:
        rows = self.selected_rows()
        self.editor.show_selection([self.workspace.summary(r) for r in rows])
        for action in self._selection_actions:
            action.setEnabled(bool(rows))

    def _list_changed(self, *_) -> None:
        """The shown rows changed (search, facet, sort, reload): the preview, the editor and
        the actions follow what is listed, never a row that is no longer there."""
        if self._current_path() != self._preview_path:
            self._current_changed()
        self._selection_changed()

    def _current_changed(self, *_) -> None:
        self._auto_current = False  # the editor moved (the first-batch selection sets it back)
        index = self.selection.currentIndex()
        if not index.isValid():
            self._preview_path = None
            self.preview.show_empty("Select an article to preview it.")
            return
        row = index.data(Role.ROW)
        self._preview_path = index.data(Role.PATH)
        summary = self.workspace.summary(row)
        self.preview.show_article(summary, None, self.workspace.is_dirty(row))
        abspath, path = self.workspace.abspath(row), summary.path
        self.tasks.run(lambda p: read_details(abspath, path), lambda d, e: self._details_ready(path, d))
        if not self.selection.selectedIndexes():
            self._selection_changed()

    def _details_ready(self, path: str, details) -> None:
        current = self._current_path()
        if details is not None and current == path:
            row = self.workspace.rows[path]
            self.preview.show_article(self.workspace.summary(row), details, self.workspace.is_dirty(row))

    def _update_wanted_images(self) -> None:
        """Only rows on screen need thumbnails: drop queued fetches for rows scrolled away."""
        view = self.current_view()
        top = view.indexAt(view.viewport().rect().topLeft()).row()
        bottom = view.indexAt(view.viewport().rect().bottomLeft()).row()
        if top < 0:
            return
        bottom = bottom if bottom >= 0 else min(len(self.model.order) - 1, top + 50)
        urls = set()
        for pos in range(max(0, top - 5), min(len(self.model.order), bottom + 6)):
            s = self.workspace.summary(self.model.order[pos])
            urls.update(u for u in (s.image, s.provider_logo) if u)
        self.thumbs.set_wanted(urls)

    def _update_empty_state(self) -> None:
        if self.site is None:
            self.empty.show_state(
                "fa5s.folder-open", "No folder open",
                "Open a folder of articles (a Jekyll checkout, for example) with File › Open Folder, "
                "drop a folder on this window, or pick one from File › Open Recent.",
                "Open Folder…", self.choose_folder,
            )  # fmt: skip
            self.stack.setCurrentWidget(self.empty)
        elif self.model.rowCount() == 0 and self.loading:
            self.empty.show_state("fa5s.hourglass-half", "Loading…", str(self.workspace.root))
            self.stack.setCurrentWidget(self.empty)
        elif len(self.workspace) == 0:
            self.empty.show_state(
                "fa5s.file-alt", "No articles in this folder",
                f"{self.workspace.root} has no .md, .markdown or .txt files that start with front matter ('---').",
                "Open Another Folder…", self.choose_folder,
            )  # fmt: skip
            self.stack.setCurrentWidget(self.empty)
        elif self.model.rowCount() == 0:
            self.empty.show_state(
                "fa5s.search", "No articles match the search", self.search.text(),
                "Clear Search", self.search.clear,
            )  # fmt: skip
            self.stack.setCurrentWidget(self.empty)
        elif self.stack.currentWidget() is not self.current_view():
            self.stack.setCurrentWidget(self.current_view())

    def _show_problems(self) -> None:
        """The Problems panel and its status bar button show the workspace's problems."""
        self.problems.set_problems(self.workspace.problem_list())
        self._update_problems_button()

    def _update_problems_button(self) -> None:
        errors, warnings = self.problems.counts()
        self.problems_button.setVisible(bool(errors or warnings))
        self.problems_button.setText(f"{errors} unreadable, {warnings} warnings")
        self.problems_button.setIcon(icon("fa5s.exclamation-triangle", "#c62828" if errors else "#e69500"))

    def _update_title(self) -> None:
        dirty = len(self.workspace.pending)
        name = self.workspace.root.name if self.site is not None else ""
        title = "Curator[*]" if not name else f"{name}[*] — Curator"
        if dirty:
            title = f"{title} — {dirty:,} unsaved"
        self.setWindowTitle(title)
        self.setWindowModified(bool(dirty))
        self.act_save.setEnabled(bool(dirty))
        self.act_revert_all.setEnabled(bool(dirty))

    # ------------------------------------------------------------------ editing

    def request_edit(self, key: str, op: str, value: Any, rows: Sequence[int] | None = None) -> bool:
        """Turn an editor request into one undoable step over the selection."""
        rows = list(self.selected_rows() if rows is None else rows)
        step = self.workspace.plan_edit(rows, key, EditOp(op), value)
        if step is None:
            self.statusBar().showMessage("Nothing to change: the selection already has that value.", 4000)
            return False
        count = len(step.edits)
        text = describe(key, step.op.value, value, count)
        confirm = count > self.settings["editing/confirm_batch_over"]
        if confirm and self.batch_confirmation(text, count).exec() != QMessageBox.StandardButton.Yes:
            return False
        self.undo_stack.push(EditCommand(text, step, self._apply_step))
        return True

    def batch_confirmation(self, text: str, count: int) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Change many articles?", f"{text}?", parent=self)
        box.setInformativeText(f"This changes {count:,} files when you save. You can undo it with Edit › Undo.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.button(QMessageBox.StandardButton.Yes).setText(text)
        return box

    def _apply_step(self, step: EditStep, undo: bool) -> None:
        result = self.workspace.apply_step(step, undo)
        self.model.rows_changed(result.rows)
        self._refresh_current()
        self._update_title()
        self.facet_timer.start()
        if result.kept:
            n = len(result.kept)
            self.statusBar().showMessage(
                f"{'Undo' if undo else 'Redo'} left {n:,} {'article' if n == 1 else 'articles'} as they are: "
                "their value changed since that edit (on disk or by another edit).",
                10000,
            )
        if self.settings["editing/save_immediately"]:
            QTimer.singleShot(0, self.save)

    def _refresh_current(self) -> None:
        self._selection_changed()
        index = self.selection.currentIndex()
        if index.isValid():
            row = index.data(Role.ROW)
            self.preview.summary = self.workspace.summary(row)
            self.preview.dirty = self.workspace.is_dirty(row)
            self.preview._render()

    def _topic_choices(self) -> list[str]:
        return self.editor.completions.stringList()

    def ask_add_topic(self) -> None:
        topic, ok = QInputDialog.getItem(
            self, "Add Topic", "Topic to add to the selected articles:", self._topic_choices(), 0, True
        )
        topic = " ".join(topic.split())
        if ok and topic:
            self.request_edit("topics", "add", topic)

    def ask_remove_topic(self) -> None:
        present = sorted({t for r in self.selected_rows() for t in self.workspace.summary(r).topics}, key=str.casefold)
        if not present:
            self.statusBar().showMessage("The selected articles have no topics.", 4000)
            return
        topic, ok = QInputDialog.getItem(
            self, "Remove Topic", "Topic to remove from the selected articles:", present, 0, False
        )
        if ok and topic:
            self.request_edit("topics", "remove", topic)

    def ask_quality(self) -> None:
        rows = self.selected_rows()
        start = next(
            (self.workspace.summary(r).quality for r in rows if self.workspace.summary(r).quality is not None), 50
        )
        value, ok = QInputDialog.getInt(
            self, "Set Quality", "Quality of the selected articles:", start, -(2**31), 2**31 - 1
        )
        if ok:
            self.request_edit("quality", "set", value)

    def revert_selected(self) -> None:
        self._revert(self.selected_rows())

    def revert_all(self) -> None:
        self._revert(self.workspace.dirty_rows())

    def _revert(self, rows: Sequence[int]) -> None:
        """Drop unsaved edits and show what is on disk now (read again: it may have changed).
        The undo history stays: undo and redo apply to the values as they are then."""
        reverted = self.workspace.revert(rows)
        if reverted:
            self.model.rows_changed(reverted)
            self._refresh_current()
            self._update_title()
            self._reload_paths([self.workspace.path(r) for r in reverted])
            self.statusBar().showMessage(f"Reverted {len(reverted):,} articles to what is on disk.", 5000)

    # ------------------------------------------------------------------ saving

    def save(self, rows: Sequence[int] | None = None, overwrite: bool = False) -> bool:
        """Write unsaved changes on the save queue; returns False when there is nothing to do."""
        if self.save_task is not None and not self.save_task.done:
            QTimer.singleShot(200, lambda: self.save(rows, overwrite))  # one save run at a time
            return True
        jobs = self.workspace.save_jobs(rows)
        if not jobs:
            return False
        self._show_progress("Saving", len(jobs))
        index, root = Index(self.workspace.root, self.cache_dir), str(self.workspace.root)
        self.save_task = self.save_tasks.run(
            lambda p: self._save_worker(jobs, overwrite, index, root, p), self._save_done, self._save_progress
        )
        return True

    @staticmethod
    def _save_worker(jobs: list[SaveJob], overwrite: bool, index: Index, root: str, progress: Progress) -> list[Saved]:
        last = [0.0]

        def report(done: int) -> None:
            now = time.monotonic()
            if now - last[0] > 0.05:
                progress.report(done)
                last[0] = now

        return save_batch(jobs, overwrite, index, report, lambda: progress.cancelled, root)

    def _save_progress(self, done: int) -> None:
        self.progress.setValue(done)

    def _save_done(self, results, error: BaseException | None) -> None:
        self._hide_progress()
        if error is not None:
            QMessageBox.critical(self, "Curator", f"Saving stopped: {error}")
            return
        report = self.workspace.apply_saved(results)
        changed, conflicts, failures = report.rows, report.conflicts, report.failures
        self.model.rows_changed(changed)
        self._refresh_current()
        self._update_title()
        skipped = len(self.workspace.save_jobs()) - len(conflicts) - len(failures)
        message = f"Saved {report.written:,} files"
        if self.save_task is not None and self.save_task.cancelled and skipped:
            message += f"; cancelled, {skipped:,} still unsaved"
        self.statusBar().showMessage(message, 8000)
        self.saved.emit([saved.result for saved in results])
        if failures:
            text = f"{len(failures):,} files could not be saved; their changes are kept."
            box = QMessageBox(QMessageBox.Icon.Warning, "Some files were not saved", text, parent=self)
            box.setDetailedText("\n".join(failures))
            box.exec()
        if conflicts:
            self._rebase_or_ask(conflicts)

    def _rebase_or_ask(self, paths: list[str]) -> None:
        """Files that changed on disk before they were written: read them again; where the
        other program changed other values, the edits are carried over and saved; about the
        rest (the same value changed on both sides) the editor is asked."""
        root, workspace = str(self.workspace.root), self.workspace

        def done(items, error) -> None:
            if workspace is not self.workspace or error is not None:
                return
            changes = library.Changes(
                changed=[i for i in items if isinstance(i, Entry)],
                problems=[i for i in items if not isinstance(i, Entry)],
            )
            report = self.workspace.apply_disk_changes(changes)
            if changes.problems:
                self._show_problems()
            self.model.rows_changed(report.reloaded + report.rebased)
            self._refresh_current()
            self._update_title()
            if report.rebased:
                self.save(report.rebased)
            if report.kept:
                self.resolve_conflicts(report.kept)

        self.tasks.run(lambda p: [library.load_one(root, path) for path in paths], done)

    def resolve_conflicts(self, paths: list[str]) -> None:
        dialog = ConflictDialog(paths, self)
        dialog.exec()
        reload, overwrite = [], []
        for path, choice in dialog.choices.items():
            (reload if choice == "reload" else overwrite if choice == "overwrite" else []).append(path)
        if overwrite:
            self.save([self.workspace.rows[p] for p in overwrite if p in self.workspace.rows], overwrite=True)
        if reload:
            self._reload_paths(reload, drop_edits=True)

    def _reload_paths(self, paths: list[str], drop_edits: bool = False) -> None:
        root = str(self.workspace.root)
        self.tasks.run(
            lambda p: [library.load_one(root, path) for path in paths], lambda r, e: self._reloaded(r, drop_edits)
        )

    def _reloaded(self, items, drop_edits: bool) -> None:
        rows, problems = [], []
        for item in items or ():
            if isinstance(item, Entry):
                path = item.summary.path
                if path in self.workspace.rows and (
                    drop_edits or not self.workspace.is_dirty(self.workspace.rows[path])
                ):
                    rows.append(self.workspace.replace(item))
            else:
                problems.append(item)
        self.workspace.note_problems(problems)
        self._show_problems()
        self.model.rows_changed(rows)
        self._refresh_current()
        self._update_title()

    # ------------------------------------------------------------------ watching the folder

    def _watch(self) -> None:
        if self.site is None or self.loading or (self.watch_task and not self.watch_task.done):
            return
        if self.save_task is not None and not self.save_task.done:
            return
        root = str(self.workspace.root)
        paths = list(self.workspace.table.paths)
        snapshots = list(self.workspace.snapshots)
        failed = self.workspace.bad_files()
        started = time.perf_counter()
        self.watch_task = self.tasks.run(
            lambda p: library.detect_changes(root, paths, snapshots, failed),
            lambda changes, error: self._watched(root, changes, error, time.perf_counter() - started),
        )

    def _watched(
        self, root: str, changes: library.Changes | None, error: BaseException | None, seconds: float = 0.0
    ) -> None:
        # A check costs ~1.5 s of a core at 100,000 files: look at most a tenth of the time,
        # so a big folder is not rescanned every few seconds.
        base = max(1, self.settings["files/watch_seconds"]) * 1000
        self.watch_timer.setInterval(max(base, int(seconds * 10_000)))
        if error is None and changes is not None and Path(root) == self.workspace.root:
            self._apply_changes(changes, announce=True)

    def _apply_changes(self, changes: library.Changes, announce: bool) -> None:
        """Files changed on disk: reload clean ones, keep edited ones for the save to ask about."""
        if not (len(changes) or changes.touched):
            return
        current = self._current_path()
        report = self.workspace.apply_disk_changes(changes)
        if report.problems_changed or changes.problems:
            self._show_problems()
        if report.rows_moved:
            self.model.refresh()
            self._restore_current(current)
        else:
            self.model.rows_changed(report.reloaded + report.rebased)
        self._refresh_current()
        self._update_title()
        self.facet_timer.start()
        described = report.describe()
        if announce and described:
            self.statusBar().showMessage(f"Files changed on disk: {described}", 10000)

    # ------------------------------------------------------------------ misc actions

    def _context_menu(self, view: QAbstractItemView, pos) -> None:
        if not self.selected_rows():
            return
        menu = QMenu(self)
        menu.addActions([self.act_publish, self.act_unpublish])
        menu.addSeparator()
        menu.addActions([self.act_add_topic, self.act_remove_topic, self.act_quality])
        menu.addSeparator()
        menu.addActions([self.act_revert, self.act_reveal])
        menu.exec(view.viewport().mapToGlobal(pos))

    def reveal(self, path: str) -> None:
        """Select the article if it is listed, else show the file in the file manager."""
        row = self.workspace.rows.get(path)
        if row is not None:
            if row not in self.model.positions():
                self.search.clear()
                self._apply_search()
            pos = self.model.positions().get(row)
            if pos is not None:
                index = self.model.index(pos, 0)
                self.selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.current_view().scrollTo(index)
                return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str((self.workspace.root / path).parent)))

    def reveal_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.workspace.abspath(rows[0])).parent)))

    def about(self) -> None:
        QMessageBox.about(
            self, "About Curator",
            f"Curator {__version__}\n\nReview and curate folders of front-matter articles.\n"
            f"Qt {QApplication.instance().applicationVersion() or ''}",
        )  # fmt: skip

    def _show_progress(self, label: str, maximum: int) -> None:
        self.progress.setFormat(f"{label} %v/%m")
        self.progress.setMaximum(max(1, maximum))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

    def _hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def confirm_unsaved(self, doing: str) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved edits; True means go ahead."""
        dirty = len(self.workspace.pending)
        if not dirty:
            return True
        text = f"{dirty:,} articles have unsaved changes. Save them before you {doing}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", text, parent=self)
        box.setStandardButtons(
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            self.save()
            self.save_tasks.wait()
            QApplication.processEvents()  # deliver the results
            return not self.workspace.pending
        return True

    # ------------------------------------------------------------------ Qt events

    def closeEvent(self, event) -> None:
        if not self.confirm_unsaved("close"):
            event.ignore()
            return
        self.cancel_work()
        self.watch_timer.stop()
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
