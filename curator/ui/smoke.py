"""`curator --smoke-test`: proves a (frozen) build starts, finds its files, decodes a JPEG and draws icons."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def smoke_test(app) -> int:
    from PySide6.QtCore import QSettings, QSize

    from .bundle import sample_dir, settle
    from .icons import icon
    from .mainwindow import MainWindow
    from .settings import Settings
    from .thumbnails import decode

    problems: list[str] = []
    sample = sample_dir()
    jpegs = sorted(sample.rglob("*.jpg"))
    if not sample.is_dir():
        problems.append(f"bundled sample folder missing: {sample}")
    if not jpegs:
        problems.append(f"no JPEG in the bundled sample: {sample}")
    else:
        try:
            image = decode(jpegs[0].read_bytes(), QSize(64, 64), crop=True)
            if image.isNull() or image.width() == 0:
                problems.append("JPEG decoded to an empty image")
        except Exception as exc:
            problems.append(f"JPEG thumbnail does not decode ({jpegs[0].name}): {exc} - is the qjpeg plugin bundled?")
    pixmap = icon("fa5s.folder-open").pixmap(32, 32)
    if pixmap.isNull() or pixmap.toImage().isNull():
        problems.append("qtawesome icons do not render (fonts missing?)")
    if sample.is_dir():
        with tempfile.TemporaryDirectory() as cache:
            settings = Settings(QSettings(str(Path(cache) / "settings.ini"), QSettings.Format.IniFormat))
            window = MainWindow(settings, cache_dir=Path(cache), network=False)
            window.open_folder(str(sample))
            settle(app, window, timeout=30)
            if len(window.workspace) == 0:
                problems.append("the bundled sample loaded no articles")
            window.close()
    for problem in problems:
        print(f"smoke test: {problem}", file=sys.stderr)
    if not problems:
        print(f"smoke test passed: {len(jpegs)} JPEGs, sample at {sample}")
    return 1 if problems else 0
