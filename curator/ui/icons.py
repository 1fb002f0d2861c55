"""qtawesome icons, with pixmaps cached so painting a card does not render fonts again."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QColor, QIcon, QPixmap

_pixmaps: dict[tuple[str, int, str], QPixmap] = {}


def icon(name: str, color: str | None = None) -> QIcon:
    return qta.icon(name, color=color) if color else qta.icon(name)


def icon_pixmap(name: str, size: int, color: QColor) -> QPixmap:
    key = (name, size, color.name(QColor.NameFormat.HexArgb))
    pixmap = _pixmaps.get(key)
    if pixmap is None:
        pixmap = _pixmaps[key] = qta.icon(name, color=color).pixmap(size, size)
    return pixmap
