"""What the window remembers between runs: geometry, docks and toolbar, the table's columns,
the preview/editor splitter, and the sort."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDockWidget, QSplitter, QStyle, QTabBar, QTabWidget, QWidget

from ...core.folder.query import without_clause
from ...core.gently import busy_for
from ...core.team import git
from .. import accessible
from ..diffview import DiffView
from ..model import COLUMNS

if TYPE_CHECKING:
    from .window import MainWindow

Horizontal = Qt.Orientation.Horizontal


def _parts(window: MainWindow) -> tuple:
    """Settings key, how to save it, how to restore it."""
    header = window.table.horizontalHeader()
    return (
        ("window/geometry", window.saveGeometry, window.restoreGeometry),
        ("window/state", window.saveState, window.restoreState),
        ("window/table_header", header.saveState, header.restoreState),
        ("window/splitter", window.right_splitter.saveState, window.right_splitter.restoreState),
    )


def restore(window: MainWindow) -> None:
    """The layout of the last run; on a first start, one that fits the screen (first_start)."""
    settings = window.settings
    for key, _, restore_part in _parts(window):
        if (value := settings[key]) and not value.isEmpty():
            restore_part(value)
    if (geometry := settings["window/geometry"]) is None or geometry.isEmpty():
        first_start(window)
    field, descending = settings["view/sort_field"], settings["view/sort_descending"]
    if field not in COLUMNS:
        field, descending = window.model.sort_field, window.model.descending
    window.model.set_sort(field, bool(descending))
    window.docks["problems"].hide()  # it opens when asked for, never by itself (it is empty now)
    # Tab from the search box goes to the list, whatever was built after it (the Diff tab...)
    QWidget.setTabOrder(window.search, window.cards)
    QWidget.setTabOrder(window.cards, window.table)
    # the keys start in the search box, once shown (they went to the empty list's Open Folder button,
    # and when a folder opened and that button left, to the status bar's cancel button)
    QTimer.singleShot(0, window, lambda: window.search.setFocus(Qt.FocusReason.OtherFocusReason))


def save(window: MainWindow) -> None:
    settings = window.settings
    for key, save_part, _ in _parts(window):
        settings[key] = save_part()
    settings["view/sort_field"] = window.model.sort_field
    settings["view/sort_descending"] = window.model.descending


#: The narrowest a side dock is made when the window is small.
SIDE_MIN = 150
#: The first window's size where the screen has room for it, and the shares of its width that
#: Browse and the preview take (the list keeps the rest, more than half).
FIRST_SIZE = QSize(1400, 880)
FIRST_SHARES = {"facets": 0.17, "preview": 0.3}
#: What the window manager's frame (title bar, borders) may add around the window.
FRAME = QMargins(8, 32, 8, 8)


def first_geometry(available: QRect) -> QRect:
    """The first window: FIRST_SIZE, or what the screen's available area (without panels and
    docks) holds with the window's frame; the frame centred in it."""
    framed = QRect(QPoint(0, 0), FIRST_SIZE.grownBy(FRAME).boundedTo(available.size()))
    framed.moveCenter(available.center())
    return framed.marginsRemoved(FRAME)


def first_start(window: MainWindow) -> None:
    """No saved layout: the window is sized to the screen it opens on, and once it is shown Browse
    and the preview take their first shares of it (Browse was hidden by fit_docks on screens
    narrower than the old fixed size's)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    window.setGeometry(first_geometry(screen.availableGeometry()))

    def shares() -> None:
        docks = [window.docks[name] for name in FIRST_SHARES]
        window.resizeDocks(docks, [int(window.width() * share) for share in FIRST_SHARES.values()], Horizontal)

    QTimer.singleShot(0, window, shares)


class FocusInSight:
    """A main window mixin: Tab and Shift+Tab skip the widgets out of the window's sight. Qt
    keeps the docks behind a dock's tab and stale tab bars of tabbed docks "visible" but
    placed off the window, and Tab gave them the focus, unseen (twice a round). The tab bars
    of tabbed docks take it only while they show (arrows there switch the docks)."""

    def focusNextPrevChild(self, next: bool) -> bool:
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            shown = bar.count() > 1 and self.in_sight(bar)
            bar.setFocusPolicy(Qt.FocusPolicy.TabFocus if shown else Qt.FocusPolicy.NoFocus)
        for _ in range(64):  # (a round of the window's controls, at most)
            if not super().focusNextPrevChild(next):
                return False
            widget = QApplication.focusWidget()
            if widget is None or self.in_sight(widget):
                return True
        return True

    def in_sight(self, widget: QWidget) -> bool:
        return self.rect().intersects(QRect(widget.mapTo(self, QPoint(0, 0)), widget.size()))


class Painting(QObject):
    """An event filter on the list views: each paint tells background work to back off for
    gently.BUSY_S (the user is scrolling, or the list has just changed: the next paints come soon)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            busy_for()
        return False


def fit_docks(window: MainWindow) -> None:
    """Keep the article list at least half the window wide: the side docks (Browse or the Topics
    Manager on the left, the preview on the right) shrink first, in proportion, each down to the
    narrowest it can be drawn in (its minimum size, SIDE_MIN at least); only when those do not
    fit does the left one go (the View menu brings it back). Bottom docks (Changes, Problems)
    are kept under BOTTOM_MOST of the height."""
    fit_bottom(window)
    half = window.width() // 2
    if window.centralWidget().width() >= half:
        return
    side = [window.docks[n] for n in ("facets", "topics", "preview")]
    side = [d for d in side if d.isVisible() and not d.isFloating()]
    separator = window.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent, None, window)
    room = window.width() - half - (separator + 2) * len(side)
    floors = [max(SIDE_MIN, d.minimumSizeHint().width()) for d in side]
    while side and sum(floors) > room and side[0] is not window.docks["preview"]:
        side.pop(0).hide()  # the left one: not even its narrowest fits
        floors.pop(0)
    if side:
        window.resizeDocks(side, shares(room, [d.width() for d in side], floors), Horizontal)


def shares(room: int, widths: list[int], floors: list[int]) -> list[int]:
    """`room` split in proportion to `widths`, none below its floor (the others give way)."""
    sizes = list(widths)
    free = list(range(len(widths)))
    while free:
        left = room - sum(floors[i] for i in range(len(widths)) if i not in free)
        total = sum(widths[i] for i in free) or 1
        for i in free:
            sizes[i] = widths[i] * left // total
        low = [i for i in free if sizes[i] < floors[i]]
        if not low:
            break
        for i in low:
            sizes[i] = floors[i]
            free.remove(i)
    return sizes


#: The most of the window's height the bottom docks (Changes, Problems) keep when it shrinks,
#: and the share they are given back then.
BOTTOM_MOST, BOTTOM_SHARE = 0.45, 0.35
#: The least a bottom dock opened in a low window gets (Changes: its summary, 5 rows, the diff).
BOTTOM_LEAST = 270


def fit_bottom(window: MainWindow) -> None:
    """A bottom dock opened in a tall window keeps its height when the window is made lower: the
    list and the preview above it were left a strip (270 px of a 700 px window)."""
    bottom = [
        d
        for name in ("changes", "problems")
        if (d := window.docks[name]).isVisible() and not d.isFloating()
        and window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea
    ]  # fmt: skip
    if bottom and max(d.height() for d in bottom) > window.height() * BOTTOM_MOST:
        window.resizeDocks(bottom[:1], [bottom_height(window)], Qt.Orientation.Vertical)


def bottom_height(window: MainWindow) -> int:
    """A bottom dock's height: BOTTOM_SHARE of the window, BOTTOM_LEAST in a low one (up to BOTTOM_MOST)."""
    return max(int(window.height() * BOTTOM_SHARE), min(BOTTOM_LEAST, int(window.height() * BOTTOM_MOST)))


#: The width the Topics Manager's four columns want (see TopicsPanel._fit_columns), and the
#: least the preview keeps when it gives room to it (narrower, its topic field is two letters).
TOPICS_WIDTH, PREVIEW_KEEPS = 380, 220


def widen(window: MainWindow, name: str, wanted: int) -> None:
    """A left dock just shown gets up to `wanted` pixels: from the list while it keeps more than
    half the window, then from the preview, down to PREVIEW_KEEPS."""
    dock, preview = window.docks[name], window.docks["preview"]
    if not dock.isVisible() or dock.isFloating() or not preview.isVisible() or preview.isFloating():
        return
    need = wanted - dock.width()
    from_list = max(0, min(need, window.centralWidget().width() - window.width() // 2 - 8))
    keeps = max(PREVIEW_KEEPS, preview.minimumSizeHint().width())
    from_preview = max(0, min(need - from_list, preview.width() - keeps))
    if from_list + from_preview > 0:
        window.resizeDocks(
            [dock, preview], [dock.width() + from_list + from_preview, preview.width() - from_preview], Horizontal
        )


def show_dock(window: MainWindow, name: str) -> None:
    """Show a dock in front, with the keyboard focus in it (the Topics Manager's filter, the
    Changes list: named here, as a focus proxy would also take Tab past the buttons before it);
    a bottom dock opened from hidden takes about a third of the height."""
    dock = window.docks[name]
    hidden = not dock.isVisible()
    dock.show()
    dock.raise_()
    if hidden and window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
        window.resizeDocks([dock], [bottom_height(window)], Qt.Orientation.Vertical)
    focus = {"topics": window.topics_panel.filter, "changes": window.changes.tree}.get(name, dock.widget())
    focus.setFocus(Qt.FocusReason.ShortcutFocusReason)


def splitter(name: str, *parts: tuple[QWidget, int]) -> QSplitter:
    """A vertical splitter of (widget, stretch) parts, named so its sizes are remembered."""
    split = QSplitter(Qt.Orientation.Vertical)
    split.setObjectName(name)
    for widget, stretch in parts:
        split.addWidget(widget)
        split.setStretchFactor(split.count() - 1, stretch)
    split.setSizes([1000 * stretch for _, stretch in parts])  # first shown in these shares, not by size hints
    return split


#: Docks that start hidden (opened from the View menu, the status bar or their action), and
#: the docks that share a place as tabs.
HIDDEN = ("problems", "changes", "topics")
TABBED = (("problems", "changes"), ("facets", "topics"))


def add_docks(window: MainWindow, specs: list[tuple[str, str, QWidget, Qt.DockWidgetArea]]) -> dict[str, QDockWidget]:
    """A dock per (name, title, widget, area), the HIDDEN ones hidden and the TABBED ones tabbed;
    the panels' controls named for a screen reader (accessible.name_window)."""
    docks: dict[str, QDockWidget] = {}
    for name, title, widget, area in specs:
        docks[name] = dock = QDockWidget(title, window)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        window.addDockWidget(area, dock)
    for name in HIDDEN:  # hidden before they are tabbed: a dock hidden after leaves a stale tab bar
        docks[name].hide()
    for dock in docks.values():  # a dock opened in a narrow window leaves the list half of it too
        dock.visibilityChanged.connect(lambda shown: shown and QTimer.singleShot(0, window, lambda: fit_docks(window)))
    # the Topics Manager takes the room its columns want (once fit_docks is done)
    later = lambda: QTimer.singleShot(0, window, lambda: widen(window, "topics", TOPICS_WIDTH))  # noqa: E731
    docks["topics"].visibilityChanged.connect(lambda shown: shown and QTimer.singleShot(0, window, later))
    for first, second in TABBED:
        window.tabifyDockWidget(docks[first], docks[second])
    window.resizeDocks([docks["facets"], docks["preview"]], [240, 520], Qt.Orientation.Horizontal)
    accessible.name_window(window)
    return docks


def attach_git(window: MainWindow, gitmode) -> None:
    """Team mode's wiring: the status bar, the badges and Git column, the Git actions (enabled
    inside a work tree), a status read when the work tree is found and after each save and change
    on disk, and a pull's changes read back through the watcher."""
    from ..model import COLUMNS
    from .actions import Action

    window.model.git_state = gitmode.state
    column = COLUMNS.index("git")

    def changed(status) -> None:
        window.workspace.table.git = {p: s.value for p, s in status.files.items()} if status is not None else {}
        if "git:" in window.search.text():
            window.model.requery()  # the git: term matches other rows now
        window.browsing.count_later()
        window.status.set_git(status)
        window.model.git_changed()
        files = status.files.items() if status is not None else ()
        window.problems.set_conflicts(p for p, state in files if state is git.State.CONFLICT)
        window.table.setColumnHidden(column, status is None)
        for action in (Action.COMMIT, Action.PULL, Action.PUSH):
            window.action_map[action].setEnabled(status is not None)

    # the preview gets a Diff tab (the current file against HEAD), read while the tab is shown
    tabs, diff = QTabWidget(), DiffView()
    diff.setAccessibleName("Diff against the last commit")
    tabs.setDocumentMode(True)
    window.right_splitter.replaceWidget(0, tabs)  # in the preview's place and size,
    tabs.setSizePolicy(window.preview.sizePolicy())  # and share (a splitter keeps it in the size policy)
    tabs.addTab(window.preview, "Preview")
    tabs.addTab(diff, "Diff (git)")

    def git_tab(shown: bool) -> None:
        """The Diff tab (and the tab bar: the Preview tab alone needs none) inside a git work tree only."""
        if not shown:
            tabs.setCurrentIndex(0)
        tabs.setTabVisible(1, shown)
        tabs.tabBar().setVisible(shown)
        # (the tab widget hands the focus to its bar: a hidden bar with Tab focus held Tab in the list)
        tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus if shown else Qt.FocusPolicy.NoFocus)

    git_tab(False)  # until a folder inside a git work tree is open
    window.preview_tabs, window.git_diff = tabs, diff

    def show_diff() -> None:
        if tabs.currentWidget() is diff:
            path = window.browsing.current_path()
            diff.show_text("" if path is not None else "Select an article to see its diff against the last commit.")
            gitmode.read_diff(path)

    gitmode.diff_ready.connect(lambda path, text: path == window.browsing.current_path() and diff.show_text(text))
    tabs.currentChanged.connect(lambda _: show_diff())
    window.browsing.current_changed.connect(lambda _: show_diff())
    gitmode.status_changed.connect(lambda _: show_diff())
    gitmode.status_changed.connect(lambda status: git_tab(status is not None))
    gitmode.status_changed.connect(changed)

    gitmode.pulled.connect(lambda: check_disk(window))
    window.saved.connect(gitmode.saved)
    window.watcher.disk_changed.connect(lambda *_: gitmode.refresh_later())
    changed(None)


def check_disk(window: MainWindow, tries: int = 50) -> None:
    """Read what changed on disk (a pull, a field written): a check already running (it may
    have read the files before the change) or a load or save makes this one wait its turn."""
    if not window.watcher.check_now() and tries:
        QTimer.singleShot(200, window, lambda: check_disk(window, tries - 1))


def attach_fields(window: MainWindow, fields) -> None:
    """The table header's Other Fields… shows any key as a column, read again after each load and save."""
    window.table.other_fields_requested.connect(fields.choose_columns)
    fields.columns_read.connect(window.model.set_extra_columns)
    window.loaded.connect(fields.read_columns)
    window.saved.connect(fields.read_columns)


def attach_stories(window: MainWindow, stories) -> None:
    """Duplicate stories and links: grouped after each load and save, the preview lists the others
    of the current article's group and its link status, a dup: or link: query is matched again
    when they change, and Check Links shows its progress in the status bar (Cancel stops it)."""
    status = window.status
    window.preview.stories = stories
    window.loaded.connect(stories.regroup)
    window.saved.connect(stories.regroup)

    def marked() -> None:
        text = window.search.text()
        if "dup:" in text or "link:" in text:
            window.model.requery()
        row = window.browsing.current_row()
        if row is not None and window.preview.summary is not None:  # shown again, with the details read
            window.preview.update_article(window.workspace.summary(row), window.workspace.is_dirty(row))

    def checked(summary: str) -> None:
        status.hide_progress()
        if summary:
            status.showMessage(summary, 10000)

    stories.marked.connect(marked)
    stories.checking.connect(lambda total: status.show_progress("Checking links", total))
    stories.progressed.connect(status.set_progress)
    stories.checked.connect(checked)
    status.cancel_requested.connect(stories.cancel_check)


def attach_progress(window: MainWindow) -> None:
    """The status bar's progress: loading (listing, then checking in the background) and saving."""
    loader, saver, status = window.loader, window.saver, window.status
    loader.started.connect(lambda: status.show_progress("Loading", 0))
    loader.total.connect(status.loading)
    loader.progressed.connect(status.advance)
    loader.checking.connect(status.checking)
    loader.checking.connect(window.browsing.listed)
    saver.started.connect(lambda n: status.show_progress("Saving", n))
    saver.progressed.connect(status.set_progress)


def attach_list(window: MainWindow) -> None:
    """The list's sort control and header, its filter chips, and each view's menu and scrolling."""
    window.model.sort_changed.connect(window.list_bar.show_sort)
    window.model.sort_changed.connect(window.area.show_sort)
    window.list_bar.sort_requested.connect(window.model.set_sort)
    window.list_bar.clause_removed.connect(lambda c: window.search_for(without_clause(window.search.text(), c)))
    window.search.to_results.connect(lambda: window.current_view().setFocus(Qt.FocusReason.ShortcutFocusReason))
    painting = Painting(window)  # (a child of the window: it lives as long)
    for view in (window.cards, window.table):
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, v=view: window.context_menu(v, pos))
        view.verticalScrollBar().valueChanged.connect(lambda _: window.wanted_later())
        view.viewport().installEventFilter(painting)


def attach_profile(window: MainWindow) -> None:
    """The status bar shows the site profile of the open folder; its menu reads the folder again
    as another kind of site (for this session; a `.curator.yml` makes it stick)."""
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import QMenu

    from ...core.site import profiles

    menu, group = QMenu(window), QActionGroup(window)
    window.status.profile_button.setMenu(menu)
    choices = [("detect", "Detect from the folder's files")] + [(p.name, p.label) for p in profiles.BUILT_IN.values()]
    actions = {}
    for name, label in choices:
        action = QAction(label, menu, checkable=True)
        group.addAction(action)
        menu.addAction(action)
        action.triggered.connect(lambda _=False, n=name: choose(n))
        actions[name] = action
        if name == "detect":
            menu.addSeparator()

    def choose(name: str) -> None:
        if not window.session.is_open:
            return
        root = window.session.root
        profiles.choose(root, None if name == "detect" else profiles.by_name(name))
        window.reload()

    def opened(workspace) -> None:
        profile = workspace.profile
        window.status.set_profile(profile, profiles.config_problem(workspace.root))
        actions["detect" if profile.source != "chosen" else profile.name].setChecked(True)

    window.session.opened.connect(opened)
