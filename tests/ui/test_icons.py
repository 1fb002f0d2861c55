"""The window's icons come from the one font it draws with, not from qtawesome's twelve."""

from __future__ import annotations

import shutil
from pathlib import Path

import qtawesome as qta
from PySide6.QtGui import QColor

from curator.ui import icons

FONTS = Path(qta.__file__).parent / "fonts"


def test_solid_font_holds_only_the_solid_icons(qtbot) -> None:
    font = icons.solid_font()
    assert font is not None
    assert set(font.charmap) == {icons.PREFIX}
    assert "folder-open" in font.charmap[icons.PREFIX]
    pixmap = font.icon("fa5s.folder-open").pixmap(32, 32)
    assert not pixmap.isNull()
    image = pixmap.toImage()
    assert any(image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height()))


def test_icons_draw_what_qtawesome_draws(qtbot) -> None:
    ours = icons.icon_pixmap("fa5s.tag", 24, QColor("#336699")).toImage()
    theirs = qta.icon("fa5s.tag", color=QColor("#336699")).pixmap(24, 24).toImage()
    assert ours == theirs
    assert not icons.icon("fa5s.star", color="#aa0000").pixmap(16, 16).isNull()


def test_a_folder_without_the_font_gives_none(tmp_path: Path) -> None:
    assert icons.solid_font(tmp_path) is None
    for pattern in ("fontawesome5-solid-webfont*.ttf", "fontawesome5-solid-webfont-charmap*.json"):
        for found in FONTS.glob(pattern):
            shutil.copy(found, tmp_path / found.name)
            shutil.copy(found, tmp_path / found.name.replace("5.", "4."))  # two versions: not guessed
    assert icons.solid_font(tmp_path) is None
