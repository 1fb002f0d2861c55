"""Painting an article as a card: thumbnail, title, provider with logo, date, excerpt, badges, topics.

Everything is drawn as plain text with QPainter, so titles from the web never render as markup.
"""

from __future__ import annotations

import html
import math
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen, QPixmap, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from ..core.site.article import Summary
from . import accessible, style, theme
from .icons import icon_pixmap
from .model import Card, Role

CARD_HEIGHT = 118
#: Badge colours of git states (white text on them reads in light and dark schemes).
GIT_COLORS = {"conflict": "#c62828", "untracked": "#6d4c41", "new": "#00796b"}
THUMB = QSize(128, 96)
LOGO = 16
PAD = 10
WARN_SIZE = 14  # the warning mark at the title's end (values of the wrong type)


def elide_lines(text: str, font: QFont, width: int, max_lines: int, metrics: QFontMetrics | None = None) -> list[str]:
    """Lay `text` out in at most `max_lines` lines of `width`, eliding the last one (`metrics`:
    the font's, when the caller keeps them)."""
    text = " ".join(text.split())
    if not text or width <= 0:
        return []
    metrics = QFontMetrics(font) if metrics is None else metrics
    layout = QTextLayout(text, font)
    lines = []
    layout.beginLayout()
    while len(lines) < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    consumed = sum(len(s) for s in lines)
    if lines and consumed < len(text):
        lines[-1] = metrics.elidedText(lines[-1].rstrip() + " " + text[consumed:], Qt.TextElideMode.ElideRight, width)
    return [s.rstrip() for s in lines]


class _Fonts(NamedTuple):
    key: str  # QFont.key() of the view's font they are made from
    metrics: QFontMetrics
    title: QFont
    title_metrics: QFontMetrics
    small: QFont
    small_metrics: QFontMetrics
    caption: QFont


#: How to use the list, for a screen reader (its name says what it is).
LIST_HOW = (
    "Arrows move, Shift+arrows select, Ctrl+A selects all; Shift+F10 or the Menu key opens the actions "
    "for the selection. Each article says its title, then its state and quality."
)

#: chip pixmaps kept (topics, badges: a few hundred labels in a real folder)
CHIPS_KEPT = 2048


def _mark_color(palette: QPalette) -> QColor:
    """A placeholder's mark on the thumbnail's ground: that ground's text colour, muted, selected
    or not (the selection's text colour, white, vanished on the light ground)."""
    color = palette.color(QPalette.ColorRole.Text)
    color.setAlphaF(0.65)
    return color


class CardDelegate(QStyledItemDelegate):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._chips: dict[tuple, tuple[QPixmap, int]] = {}
        self._fonts_made: _Fonts | None = None

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        return QSize(max(width, 200), CARD_HEIGHT)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        card: Card | None = index.data(Role.CARD)
        if card is None:
            return
        summary: Summary = card.summary
        fonts = self._fonts(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        rect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        base = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        outline = QPainterPath()
        outline.addRoundedRect(QRectF(rect), 6, 6)
        painter.fillPath(outline, base)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawPath(outline)
        if option.state & QStyle.StateFlag.State_HasFocus:  # the current article, where the keys are
            ring = QPainterPath()
            ring.addRoundedRect(QRectF(rect).adjusted(2.5, 2.5, -2.5, -2.5), 5, 5)
            focus = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight)
            painter.setPen(QPen(focus, 2))
            painter.drawPath(ring)
        if card.dirty:  # unsaved changes: an amber bar on the left edge
            painter.fillRect(QRect(rect.left(), rect.top() + 6, 4, rect.height() - 12), QColor("#e69500"))

        # thumbnail
        thumb_rect = QRect(
            rect.left() + PAD, rect.top() + (rect.height() - THUMB.height()) // 2, THUMB.width(), THUMB.height()
        )
        pixmap = card.thumbnail
        clip = QPainterPath()
        clip.addRoundedRect(QRectF(thumb_rect), 4, 4)
        painter.save()
        painter.setClipPath(clip)
        painter.fillRect(thumb_rect, palette.color(QPalette.ColorRole.AlternateBase))
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            target = pixmap.size().scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio)
            if target.width() > pixmap.width() * 2:  # small logos: at most twice their size, centred
                target = pixmap.size() * 2
            x = thumb_rect.left() + (THUMB.width() - target.width()) // 2
            y = thumb_rect.top() + (THUMB.height() - target.height()) // 2
            painter.drawPixmap(QRect(x, y, target.width(), target.height()), pixmap)
        elif card.image_failed:  # it has an image, which could not be shown
            mark_color = _mark_color(palette)
            mark = icon_pixmap("fa5s.unlink", 24, mark_color)
            painter.drawPixmap(thumb_rect.center().x() - 12, thumb_rect.top() + 22, mark)
            painter.setFont(fonts.caption)
            painter.setPen(mark_color)
            caption = thumb_rect.adjusted(2, 50, -2, -4)
            centred = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            painter.drawText(caption, centred, "Image unavailable")
        elif not summary.image and not summary.provider_logo:  # no image at all (loading ones stay blank)
            icon = icon_pixmap("fa5s.image", 32, _mark_color(palette))
            painter.drawPixmap(thumb_rect.center().x() - 16, thumb_rect.center().y() - 16, icon)
        painter.restore()

        left = thumb_rect.right() + PAD + 2
        width = rect.right() - PAD - left
        y = rect.top() + PAD

        # title, ending before the warning mark when there is one
        fm = fonts.title_metrics
        painter.setFont(fonts.title)
        painter.setPen(text_color)
        # titles and excerpts from the web often carry HTML entities (&#8217;): show the characters
        title = " ".join(html.unescape(summary.title or summary.path).split())
        title_width = width - (WARN_SIZE + 6 if summary.warnings else 0)
        title = fm.elidedText(title, Qt.TextElideMode.ElideRight, title_width)
        painter.drawText(QRect(left, y, title_width, fm.height()), Qt.TextFlag.TextSingleLine, title)
        y += fm.height() + 2

        # provider line: logo, name, date
        small, sfm = fonts.small, fonts.small_metrics
        painter.setFont(small)
        painter.setPen(muted)
        x = left
        logo = card.logo
        if isinstance(logo, QPixmap) and not logo.isNull():
            painter.drawPixmap(QRect(x, y + (sfm.height() - LOGO) // 2, LOGO, LOGO), logo)
            x += LOGO + 5
        parts = [summary.provider_name or summary.provider_domain]
        if summary.date:
            parts.append(summary.date.astimezone().strftime("%d %b %Y %H:%M"))
        if summary.type:
            parts.append(summary.type)
        line = sfm.elidedText("  ·  ".join(p for p in parts if p), Qt.TextElideMode.ElideRight, left + width - x)
        painter.drawText(QRect(x, y, left + width - x, sfm.height()), Qt.TextFlag.TextSingleLine, line)
        y += sfm.height() + 3

        # excerpt, two lines
        painter.setFont(option.font)
        efm = fonts.metrics
        painter.setPen(text_color)
        for text in elide_lines(html.unescape(summary.excerpt), option.font, width, 2, efm):
            painter.drawText(QRect(left, y, width, efm.height()), Qt.TextFlag.TextSingleLine, text)
            y += efm.height()

        # badges and topic chips along the bottom
        painter.setFont(small)
        y = rect.bottom() - PAD - sfm.height() - 2
        x = left
        if card.changed_on_disk:  # Save will ask: the same values changed on disk too
            x = self._chip(painter, fonts, x, y, "Changed on disk", QColor("#c62828"), QColor("#ffffff"))
        state = card.git
        if state is not None:  # inside a git work tree: the file differs from the last commit
            x = self._chip(
                painter, fonts, x, y, f"git: {state}", QColor(GIT_COLORS.get(state, "#5e35b1")), QColor("#fff")
            )
        if not summary.published:
            x = self._chip(painter, fonts, x, y, "Unpublished", QColor("#b35900"), QColor("#ffffff"))
        if summary.quality is not None:
            q = summary.quality
            color = QColor("#2e7d32") if q >= 60 else QColor("#9e9d24") if q >= 30 else QColor("#757575")
            x = self._chip(painter, fonts, x, y, f"Q {q}", color, QColor("#ffffff"))
        chip_bg = QColor(palette.color(QPalette.ColorRole.AlternateBase))
        chip_fg = palette.color(QPalette.ColorRole.Text)
        for topic in summary.topics:
            if x > left + width - 40:
                break
            label = sfm.elidedText(topic, Qt.TextElideMode.ElideRight, max(30, left + width - x - 14))
            x = self._chip(painter, fonts, x, y, label, chip_bg, chip_fg)
        if summary.warnings:
            warn = icon_pixmap("fa5s.exclamation-triangle", WARN_SIZE, theme.color("error"))
            painter.drawPixmap(rect.right() - PAD - WARN_SIZE, rect.top() + PAD, warn)
        painter.restore()

    def _chip(self, painter: QPainter, fonts: _Fonts, x: int, y: int, text: str, bg: QColor, fg: QColor) -> int:
        """A rounded label at (x, y); returns where the next one goes. Drawn once into a pixmap
        kept for its text and colours: topics repeat from card to card, and drawing a chip
        (path, fill, text) took a quarter of a card's time."""
        dpr = painter.device().devicePixelRatioF()
        key = (text, bg.rgba(), fg.rgba(), fonts.key, dpr)
        found = self._chips.get(key)
        if found is None:
            fm = fonts.small_metrics
            w, h = fm.horizontalAdvance(text) + 12, fm.height() + 2
            chip = QPixmap(math.ceil(w * dpr), math.ceil(h * dpr))
            chip.setDevicePixelRatio(dpr)
            chip.fill(Qt.GlobalColor.transparent)
            p = QPainter(chip)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setFont(fonts.small)
            path = QPainterPath()
            path.addRoundedRect(QRectF(0, 0, w, h), h / 2, h / 2)
            p.fillPath(path, bg)
            p.setPen(fg)
            p.drawText(QRect(0, 0, w, h), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextSingleLine, text)
            p.end()
            if len(self._chips) >= CHIPS_KEPT:
                self._chips.clear()
            found = self._chips[key] = (chip, w)
        chip, w = found
        painter.drawPixmap(x, y, chip)
        return x + w + 5

    def _fonts(self, font: QFont) -> _Fonts:
        """The fonts of a card made from the view's font, and their metrics (made once)."""
        key = font.key()
        if self._fonts_made is None or self._fonts_made.key != key:
            title, small, caption = QFont(font), QFont(font), QFont(font)
            title.setBold(True)
            title.setPointSizeF(font.pointSizeF() * 1.08)
            small.setPointSizeF(font.pointSizeF() * 0.92)
            caption.setPointSizeF(font.pointSizeF() * 0.85)
            self._fonts_made = _Fonts(
                key, QFontMetrics(font), title, QFontMetrics(title), small, QFontMetrics(small), caption
            )
        return self._fonts_made


class CardView(QTableView):
    """The cards: a one-column table of fixed-height rows painted by CardDelegate.

    A table, not a QListView: a list view lays out every row (asking the model about each one,
    in Python) whenever rows arrive or the filter changes, which at 100,000 articles holds the
    GUI thread for hundreds of milliseconds. A table's rows are header sections of one
    default height, so it never visits rows that are not on screen.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setItemDelegate(CardDelegate(self))
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabKeyNavigation(False)  # Tab goes on to the next control, arrows move in the list
        accessible.name(self, "Articles", LIST_HOW)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setMinimumSectionSize(CARD_HEIGHT)
        rows.setDefaultSectionSize(CARD_HEIGHT)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = self.horizontalHeader()
        columns.setVisible(False)
        columns.setStretchLastSection(True)

    def setModel(self, model) -> None:
        super().setModel(model)
        model.modelReset.connect(self._one_column)
        model.columnsInserted.connect(self._one_column)
        self._one_column()

    def _one_column(self, *_) -> None:
        """Show the first column only (a reset forgets hidden sections)."""
        for column in range(1, self.model().columnCount()):
            self.setColumnHidden(column, True)


class ArticleTable(QTableView):
    """The table view: sortable columns, movable, one line per article."""

    #: Column widths (in COLUMNS order); 0: hidden until chosen from the header's menu. The
    #: shown ones fit the list's share of a 1600-pixel-wide window without scrolling sideways.
    WIDTHS = (290, 110, 95, 55, 0, 70, 170, 0, 0, 0, 0)  # Git is shown inside a git work tree
    #: the header's "Other Fields…": show any key of the folder as a column
    other_fields_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.setTabKeyNavigation(False)  # Tab goes on to the next control, arrows move in the list
        accessible.name(self, "Articles", LIST_HOW)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        style.use(header)  # ▼ when sorted descending, on every platform
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    def setModel(self, model) -> None:
        super().setModel(model)
        for column, width in enumerate(self.WIDTHS):
            self.setColumnWidth(column, width or 100)
            self.setColumnHidden(column, not width)

    def _header_menu(self, pos) -> None:
        """Right-click on the header: a check per column to show or hide it."""
        model, menu = self.model(), QMenu(self)
        for column in range(model.columnCount()):
            action = menu.addAction(model.headerData(column, Qt.Orientation.Horizontal))
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self.setColumnHidden(c, not on))
        menu.addSeparator()
        menu.addAction("Other Fields…", self.other_fields_requested.emit)
        menu.exec(self.horizontalHeader().mapToGlobal(pos))
