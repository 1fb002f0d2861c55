"""Two corrections to the platform's widget style, for the widgets that need them (`use`):

- Sort arrows: Qt's Fusion style on Linux draws ▲ on a column sorted in descending order (and
  ▼ ascending), the reverse of Windows, macOS and of Fusion elsewhere; the list bar beside
  the table says "Newest first" under a ▲. Here ▼ always means descending.
- Check boxes and radio buttons in a dark palette: Fusion outlines an unchecked one in the
  window colour made darker, which on a dark window is as dark as the box (#222 on #1f1f1f):
  it vanished. It gets an outline in the text colour, muted, unless the focus frame is drawn.

A proxy of the application's style per widget, not the application's style: the list's cells
are painted through the style too, and a Python override there would run for every cell.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget

from . import theme

Element = QStyle.PrimitiveElement
SortIndicator = QStyleOptionHeader.SortIndicator
FLIPPED = {SortIndicator.SortUp: SortIndicator.SortDown, SortIndicator.SortDown: SortIndicator.SortUp}


class Style(QProxyStyle):
    def __init__(self, base: str):
        super().__init__(base)
        fusion = base.lower() == "fusion"
        #: (see the module's docstring: Fusion's arrows differ on Linux only)
        self.flip_arrows = fusion and sys.platform.startswith("linux")
        self.outline_checks = fusion

    def drawPrimitive(self, element, option, painter: QPainter, widget: QWidget | None = None) -> None:
        if element == Element.PE_IndicatorHeaderArrow and self.flip_arrows and isinstance(option, QStyleOptionHeader):
            option = QStyleOptionHeader(option)
            option.sortIndicator = FLIPPED.get(option.sortIndicator, option.sortIndicator)
        super().drawPrimitive(element, option, painter, widget)
        checks = (Element.PE_IndicatorCheckBox, Element.PE_IndicatorItemViewItemCheck, Element.PE_IndicatorRadioButton)
        if element in checks and self.outline_checks and theme.is_dark(option.palette):
            focused = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
            if (option.state & focused) != focused:
                outline(painter, option, round=element == Element.PE_IndicatorRadioButton)


def outline(painter: QPainter, option: QStyleOption, round: bool = False) -> None:
    """A check box's (or a radio button's) edge that shows on a dark palette."""
    color = QColor(option.palette.color(QPalette.ColorRole.Text))
    color.setAlphaF(0.6)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(color, 1))
    painter.setBrush(QColor(0, 0, 0, 0))
    rect = option.rect
    if round:  # where Fusion draws the circle
        radius = (rect.width() + (rect.width() + 1) % 2) / 2.0 - 1
        painter.drawEllipse(QPointF(rect.center()) + QPointF(1, 1), radius, radius)
    else:
        painter.drawRect(QRectF(rect.adjusted(0, 0, -1, -1)).translated(0.5, 0.5))
    painter.restore()


_shared: Style | None = None


def use(*widgets: QWidget) -> None:
    """Paint these widgets (a header, a check box, a view with check boxes) with the corrections."""
    global _shared
    app = QApplication.instance()
    if _shared is None or _shared.baseStyle().name() != app.style().name():
        _shared = Style(app.style().name())
        _shared.setParent(app)  # it lives as long as the application
    for widget in widgets:
        widget.setStyle(_shared)
