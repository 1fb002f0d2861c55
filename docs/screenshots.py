"""Regenerate the screenshots in docs/ from the real widgets (offscreen): `make screenshots`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QApplication

from curator.ui.app import sample_dir, settle
from curator.ui.mainwindow import MainWindow
from curator.ui.mainwindow.prompts import DialogPrompts
from curator.ui.settings import Settings

DOCS = Path(__file__).resolve().parent


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        settings["editing/confirm_batch_over"] = 100
        window = MainWindow(settings, cache_dir=Path(tmp) / "cache", network=False)
        window.resize(1440, 900)
        window.show()
        folder = Path(sys.argv[1]) if len(sys.argv) > 1 else sample_dir()
        window.open_folder(str(folder))
        settle(app, window)
        window.grab().save(str(DOCS / "screenshot.png"))

        # the editor panel on a selection of three unpublished articles, one edit made
        window.search.setText("published:no")
        window.apply_search()
        settle(app, window)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for pos in range(3):
            window.selection.select(window.model.index(pos, 0), flags)
        window.selection.setCurrentIndex(window.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        window.request_edit("topics", "add", "AI Builder")
        settle(app, window)
        window.grab().save(str(DOCS / "editing.png"))

        box = DialogPrompts(window).batch_box("Publish 3 articles", 3)
        box.show()
        settle(app, window, timeout=2)
        box.grab().save(str(DOCS / "batch-confirm.png"))
        box.close()
        window.workspace.pending.clear()
        window.close()
    print("wrote docs/screenshot.png, docs/editing.png, docs/batch-confirm.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
