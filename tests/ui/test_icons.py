"""Icons are glyphs of the one font the window draws with, read without importing qtawesome."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from curator.ui import icons

ROOT = Path(__file__).resolve().parents[2]


def drawn(image) -> set[tuple[int, int, int]]:
    """The colours of the pixels drawn (not transparent)."""
    return {
        (c.red(), c.green(), c.blue())
        for x in range(image.width())
        for y in range(image.height())
        if (c := image.pixelColor(x, y)).alpha() == 255
    }


def test_every_icon_the_window_names_is_in_the_font(qtbot) -> None:
    font = icons.font()
    assert font is not None
    names = set()
    for path in (ROOT / "curator").rglob("*.py"):
        names.update(re.findall(r"[\"']fa5s\.([a-z0-9-]+)[\"']", path.read_text(encoding="utf-8")))
    assert len(names) > 20
    assert sorted(n for n in names if n not in font.charmap) == []
    with pytest.raises(KeyError):
        icons.icon("fa5s.no-such-icon")
    with pytest.raises(KeyError):
        icons.icon("mdi6.folder")  # (another of qtawesome's fonts: not loaded)


def test_icons_draw_what_qtawesome_draws(qtbot) -> None:
    qta = pytest.importorskip("qtawesome")
    for name, size, color in (("fa5s.tag", 24, "#336699"), ("fa5s.folder-open", 16, "#000000")):
        ours = icons.icon_pixmap(name, size, QColor(color)).toImage()
        theirs = qta.icon(name, color=QColor(color)).pixmap(size, size).toImage()
        assert ours == theirs
        assert drawn(ours) == {QColor(color).getRgb()[:3]}  # (drawn, in that colour only)


def test_disabled_icons_take_the_palettes_disabled_colour(qtbot) -> None:
    palette = QGuiApplication.palette()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    plain = icons.icon("fa5s.star")
    image = plain.pixmap(QSize(20, 20), QIcon.Mode.Disabled).toImage()
    assert drawn(image) == {disabled.getRgb()[:3]}
    normal = plain.pixmap(QSize(20, 20)).toImage()
    assert drawn(normal) == {palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.Text).getRgb()[:3]}


def test_a_folder_without_the_font_gives_none(qtbot, tmp_path: Path) -> None:
    assert icons.load_font(tmp_path) is None and icons.load_font(None) is None
    folder = icons.fonts_folder()
    assert folder is not None
    for pattern in ("fontawesome5-solid-webfont*.ttf", "fontawesome5-solid-webfont-charmap*.json"):
        for found in folder.glob(pattern):
            shutil.copy(found, tmp_path / found.name)
    assert icons.load_font(tmp_path) is not None
    for found in list(tmp_path.iterdir()):
        shutil.copy(found, tmp_path / found.name.replace("5.", "4."))  # two versions: not guessed
    assert icons.load_font(tmp_path) is None


def test_a_frozen_build_takes_the_fonts_its_spec_collected(tmp_path: Path, monkeypatch) -> None:
    """PyInstaller: no code of qtawesome's is imported, so its package may not be findable; the
    fonts the spec collects under qtawesome/fonts in the bundle are taken."""
    bundled = tmp_path / "qtawesome" / "fonts"
    bundled.mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert icons.fonts_folder() == bundled
    monkeypatch.delattr(sys, "_MEIPASS")
    assert icons.fonts_folder() != bundled


def test_drawing_icons_imports_neither_qtawesome_nor_qtpy() -> None:
    script = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from curator.ui import icons; assert not icons.icon('fa5s.tag').pixmap(16, 16).isNull(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qtawesome', 'qtpy') or m == 'PySide6.QtOpenGL'))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
