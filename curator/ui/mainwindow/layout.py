"""What the window remembers between runs (geometry, docks and toolbar, the table's columns, the
preview/editor splitter, the sort) and how it shares its width (the list keeps half). The
functions take the main window (its docks, settings, model and views), typed as the QMainWindow
it is, so that this module does not import the window that imports it; the window's wiring
lives in the window (MainWindow._connect_signals)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QSplitter, QStyle, QTabBar, QWidget

from ...core.gently import busy_for, turn_begins, turn_ends
from .. import accessible
from ..model import COLUMNS

Horizontal = Qt.Orientation.Horizontal


def _parts(window: QMainWindow) -> tuple:
    """Settings key, how to save it, how to restore it."""
    header = window.table.horizontalHeader()
    return (
        ("window/geometry", window.saveGeometry, window.restoreGeometry),
        ("window/state", window.saveState, window.restoreState),
        ("window/table_header", header.saveState, header.restoreState),
        ("window/splitter", window.right_splitter.saveState, window.right_splitter.restoreState),
    )


def restore(window: QMainWindow) -> None:
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


def save(window: QMainWindow) -> None:
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


def first_start(window: QMainWindow) -> None:
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
    gently.BUSY_S (the user is scrolling, or the list has just changed: the next paints come soon),
    and is a turn of the GUI thread that workers wait for (gently.turn_begins), ended as the
    event loop comes round again (a paint of a screenful of cards with thumbnails: 10-20 ms)."""

    painting = False  # (one turn open for the paints of all views, ended by a timer without a receiver)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            busy_for()
            if not Painting.painting:
                Painting.painting = True
                turn_begins()
                QTimer.singleShot(0, _painted)
        return False


def _painted() -> None:
    Painting.painting = False
    turn_ends()


class Completing(QObject):
    """An event filter on the list views and their viewports: a key or a click while a long
    list is still being shown a piece at a time (ArticleModel.partial) lists the rest first, so
    what the editor selects, or moves to with End, is taken from the whole list."""

    INPUT = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.model.partial and event.type() in self.INPUT:
            self.model.complete()
        return False


def fit_docks(window: QMainWindow) -> None:
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


def fit_bottom(window: QMainWindow) -> None:
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


def bottom_height(window: QMainWindow) -> int:
    """A bottom dock's height: BOTTOM_SHARE of the window, BOTTOM_LEAST in a low one (up to BOTTOM_MOST)."""
    return max(int(window.height() * BOTTOM_SHARE), min(BOTTOM_LEAST, int(window.height() * BOTTOM_MOST)))


#: The width the Topics Manager's four columns want (see TopicsPanel._fit_columns), and the
#: least the preview keeps when it gives room to it (narrower, its topic field is two letters).
TOPICS_WIDTH, PREVIEW_KEEPS = 380, 220


def widen(window: QMainWindow, name: str, wanted: int) -> None:
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


def show_dock(window: QMainWindow, name: str) -> None:
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


def add_docks(window: QMainWindow, specs: list[tuple[str, str, QWidget, Qt.DockWidgetArea]]) -> dict[str, QDockWidget]:
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
