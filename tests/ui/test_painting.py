"""What the window paints, read back from its pixels: the card's warning mark beside its title,
the Problems button's count, and the tabs shown with no folder open."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton, QStyleOptionViewItem

from curator.core.site.article import Summary
from curator.ui import delegate
from curator.ui.delegate import CARD_HEIGHT, PAD, CardDelegate, CardView
from curator.ui.mainwindow.actions import Action
from curator.ui.mainwindow.prompts import ConflictDialog
from curator.ui.model import Card, Role
from curator.ui.theme import Theme
from tests.ui.conftest import open_folder

LONG = "A title long enough to run past the right edge of any card, and on, and on, and on " * 3


class OneCard:
    """The model index stand-in the delegate reads: one Card."""

    def __init__(self, card: Card):
        self.card = card

    def data(self, role: int):
        return self.card if role == Role.CARD else None


def paint_card(summary: Summary, width: int = 520) -> QImage:
    view = CardView()
    view.resize(width, CARD_HEIGHT * 2)
    delegate = CardDelegate(view)
    image = QImage(width, CARD_HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, width, CARD_HEIGHT)
    option.palette = view.palette()
    option.font = view.font()
    painter = QPainter(image)
    delegate.paint(painter, option, OneCard(Card(summary, False, False, None, False, None, None)))
    painter.end()
    return image


def dark_pixels(image: QImage, rect: QRect) -> int:
    """Pixels of the title's colour (text on the card: dark on the light palette) inside `rect`."""
    text = QPalette().color(QPalette.ColorRole.Text)
    return sum(
        1
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
        if abs(image.pixelColor(x, y).lightness() - text.lightness()) < 40
    )


def test_the_warning_mark_is_beside_the_title_not_over_it(qtbot, monkeypatch):
    width = 520
    mark = QRect(width - 4 - PAD - 14, 3 + PAD, 14, 14)  # where the triangle goes (see CardDelegate.paint)
    warned = Summary("a.md", title=LONG, warnings=((3, "quality is not a number"),))
    image = paint_card(warned, width)
    assert any(
        image.pixelColor(x, y).red() > 150 and image.pixelColor(x, y).green() < 120
        for x in range(mark.left(), mark.right() + 1)
        for y in range(mark.top(), mark.bottom() + 1)
    )  # the mark is painted there
    assert dark_pixels(paint_card(Summary("a.md", title=LONG), width), mark) > 0  # a title runs to the edge
    # with the mark made invisible, what is left in its place is the title's end, if it ran under it
    clear = QPixmap(14, 14)
    clear.fill(Qt.GlobalColor.transparent)
    monkeypatch.setattr(delegate, "icon_pixmap", lambda name, size, color: clear)
    assert dark_pixels(paint_card(warned, width), mark.adjusted(-2, 0, 0, 0)) == 0


def test_the_problems_button_shows_its_count_beside_the_icon(qtbot, window, sample):
    (sample / "_news" / "typed.md").write_text('---\ntitle: typed\nquality: "high"\n---\n')
    (sample / "_news" / "broken.md").write_text('---\ntitle: "open\n---\n')
    open_folder(qtbot, window, sample)
    button = window.problems_button
    qtbot.waitUntil(button.isVisible, timeout=5000)
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert button.text() == "1 unreadable, 1 warning"
    assert button.sizeHint().width() > button.fontMetrics().horizontalAdvance(button.text())
    assert "Problems" in button.toolTip() and button.accessibleName().startswith("Problems: 1 unreadable")


def test_no_diff_tab_without_a_folder(qtbot, window, sample):
    tabs = window.preview_tabs
    assert not tabs.isTabVisible(1) and not tabs.tabBar().isVisible()  # (the Preview tab alone needs no bar)
    open_folder(qtbot, window, sample)  # not a git work tree
    assert not tabs.isTabVisible(1)


def arrow_points_down(header) -> bool:
    """Whether the sort arrow of `header` is ▼: its pixels (in the right end of the sorted
    section, darker than the header) lie more in the upper half of their extent."""
    image = header.grab().toImage()
    column = header.sortIndicatorSection()
    x0 = header.sectionViewportPosition(column)
    right = x0 + header.sectionSize(column)
    strip = [(x, y) for x in range(right - 24, right - 3) for y in range(2, image.height() - 2)]
    ground = Counter(image.pixelColor(x, y).lightness() for x, y in strip).most_common(1)[0][0]
    ys = [y for x, y in strip if ground - image.pixelColor(x, y).lightness() > 40]
    assert len(ys) > 6, "no sort arrow painted"
    middle = (min(ys) + max(ys)) / 2
    return sum(y < middle for y in ys) > sum(y > middle for y in ys)


def test_sort_arrows_point_down_when_sorted_descending(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    window.set_view("table")
    qtbot.waitUntil(window.table.isVisible, timeout=3000)
    header = window.table.horizontalHeader()
    assert window.model.descending and arrow_points_down(header)  # newest first: ▼
    window.model.set_sort("date", False)
    assert not arrow_points_down(header)  # oldest first: ▲
    window.action_map[Action.TOPICS].trigger()
    tree = window.topics_panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 3, timeout=5000)
    assert tree.header().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder  # the most used first
    assert arrow_points_down(tree.header())


def edge_contrast(button, sub: QStyle.SubElement) -> int:
    """How much the left edge of a check box's (radio button's) indicator stands out from the window beside it."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    image = button.grab().toImage()
    indicator = button.style().subElementRect(sub, option, button)
    ground = image.pixelColor(indicator.right() + 3, indicator.center().y()).lightness()
    left = range(indicator.left(), indicator.left() + 3)
    edge = max(image.pixelColor(x, y).lightness() for x in left for y in range(indicator.top(), indicator.bottom()))
    return edge - ground


def test_unchecked_boxes_and_radio_buttons_show_on_a_dark_palette(qtbot, window, sample):
    app = QApplication.instance()
    chosen = Theme(app, "dark")
    try:
        open_folder(qtbot, window, sample)
        box = window.editor.published
        box.setChecked(False)
        assert edge_contrast(box, QStyle.SubElement.SE_CheckBoxIndicator) > 60  # it stands out from the window
        dialog = ConflictDialog(["_news/a.md"], {}, window)
        qtbot.addWidget(dialog)
        dialog.show()
        reload = next(b for b in dialog.group.buttons() if b.text() == "Reload")
        assert not reload.isChecked()
        assert edge_contrast(reload, QStyle.SubElement.SE_RadioButtonIndicator) > 60
    finally:
        chosen.choice = "light"
        chosen.apply()
