"""qtawesome icons, with pixmaps cached so painting a card does not render fonts again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qtawesome as qta
from PySide6.QtGui import QColor, QIcon, QPixmap
from qtawesome.iconic_font import IconicFont

#: the one icon font the window draws with (names "fa5s.…"), as qtawesome ships it
PREFIX = "fa5s"
_FONT_FILES = ("fontawesome5-solid-webfont*.ttf", "fontawesome5-solid-webfont-charmap*.json")

_pixmaps: dict[tuple[str, int, str], QPixmap] = {}
_font: Any = None  # solid_font(), or qtawesome where that is None


def solid_font(fonts: Path = Path(qta.__file__).parent / "fonts") -> IconicFont | None:
    """Only the font the icons come from, loaded once: qtawesome's own instance loads its twelve
    bundled fonts with their charmaps (~24,000 names), 19 MB of the window's memory where this
    one takes 4. None when `fonts` does not hold it (qtawesome's instance is used then)."""
    ttf, charmap = (sorted(fonts.glob(pattern)) for pattern in _FONT_FILES)
    if len(ttf) != 1 or len(charmap) != 1:  # (another layout, or several versions: not guessed)
        return None
    return IconicFont((PREFIX, ttf[0].name, charmap[0].name, str(fonts)))


def _icon(name: str, **options) -> QIcon:
    global _font
    if _font is None:
        _font = solid_font() or qta
    if name.partition(".")[0] != PREFIX:
        return qta.icon(name, **options)
    return _font.icon(name, **options)


def icon(name: str, color: str | None = None) -> QIcon:
    return _icon(name, color=color) if color else _icon(name)


def icon_pixmap(name: str, size: int, color: QColor) -> QPixmap:
    key = (name, size, color.name(QColor.NameFormat.HexArgb))
    pixmap = _pixmaps.get(key)
    if pixmap is None:
        pixmap = _pixmaps[key] = _icon(name, color=color).pixmap(size, size)
    return pixmap
