"""Icons: glyphs of the Font Awesome 5 solid font that qtawesome ships, drawn as qtawesome draws
them, with pixmaps cached so painting a card does not render fonts again.

The font and its charmap are read from qtawesome's folder without importing qtawesome: its
import brings qtpy, which imports PySide6.QtOpenGL, and its instance loads twelve fonts with
~24,000 names; together 33 MB of the window's memory (RSS after the first icon, offscreen),
where this takes 5.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap

#: the prefix of every icon name ("fa5s.folder-open"): the one font the window draws with
PREFIX = "fa5s"
_FONT_FILES = ("fontawesome5-solid-webfont*.ttf", "fontawesome5-solid-webfont-charmap*.json")
#: a glyph is drawn this much of the icon's height (qtawesome's: 14 px in 16, for the bearing)
GLYPH_SCALE = 0.875

_pixmaps: dict[tuple[str, int, str], QPixmap] = {}


@dataclass(frozen=True, slots=True)
class Font:
    """The icon font, loaded in the application's font database, and its glyph of each name."""

    family: str
    charmap: dict[str, str]

    def qfont(self, pixels: int) -> QFont:
        font = QFont(self.family)
        font.setPixelSize(max(1, pixels))
        font.setStyleName("Solid")
        return font


def fonts_folder() -> Path | None:
    """qtawesome's fonts folder, found without importing it (None when it is not installed):
    in a frozen build, where the spec collects them (packaging/curator.spec); else where the
    qtawesome package is."""
    bundled = getattr(sys, "_MEIPASS", None)  # (PyInstaller: no code of qtawesome's is imported)
    if bundled is not None and (Path(bundled) / "qtawesome" / "fonts").is_dir():
        return Path(bundled) / "qtawesome" / "fonts"
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def load_font(folder: Path | None) -> Font | None:
    """The solid font of `folder` added to the font database; None when it does not hold exactly
    one (another layout, or several versions: not guessed) or it does not load."""
    if folder is None:
        return None
    ttf, charmap = (sorted(folder.glob(pattern)) for pattern in _FONT_FILES)
    if len(ttf) != 1 or len(charmap) != 1:
        return None
    font_id = QFontDatabase.addApplicationFont(str(ttf[0]))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    try:
        names = json.loads(charmap[0].read_text(encoding="utf-8"))
        glyphs = {name: chr(int(code, 16)) for name, code in names.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    return Font(families[0], glyphs)


_font: Font | None = None
_loaded = False


def font() -> Font | None:
    """The icon font, loaded on first use (None when it cannot be: icons are empty then)."""
    global _font, _loaded
    if not _loaded:
        _font, _loaded = load_font(fonts_folder()), True
    return _font


class GlyphEngine(QIconEngine):
    """Draws one glyph of `font` centred in the icon's rect, in `color` (the disabled mode in
    the palette's disabled text colour), at any size: as qtawesome's "text" drawing does."""

    def __init__(self, font: Font, glyph: str, color: QColor, disabled: QColor):
        super().__init__()
        self.font, self.glyph, self.color, self.disabled = font, glyph, color, disabled

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setPen(self.disabled if mode == QIcon.Mode.Disabled else self.color)
        painter.setFont(self.font.qfont(round(GLYPH_SCALE * rect.height())))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.glyph)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        finally:
            painter.end()
        return pixmap

    def clone(self) -> GlyphEngine:
        return GlyphEngine(self.font, self.glyph, self.color, self.disabled)


def icon(name: str, color: str | QColor | None = None) -> QIcon:
    """The icon of `name` ("fa5s.tag"), in `color` or the palette's text colour; an empty icon
    when the font cannot be loaded. Raises KeyError for a name the font does not have."""
    prefix, _, glyph = name.partition(".")
    loaded = font()
    if loaded is None:
        return QIcon()
    if prefix != PREFIX or glyph not in loaded.charmap:
        raise KeyError(f"no icon {name!r} in the {PREFIX} font")
    palette = QGuiApplication.palette()
    normal = QColor(color) if color is not None else palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.Text)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return QIcon(GlyphEngine(loaded, loaded.charmap[glyph], normal, disabled))


def icon_pixmap(name: str, size: int, color: QColor) -> QPixmap:
    key = (name, size, color.name(QColor.NameFormat.HexArgb))
    pixmap = _pixmaps.get(key)
    if pixmap is None:
        pixmap = _pixmaps[key] = icon(name, color=color).pixmap(size, size)
    return pixmap
