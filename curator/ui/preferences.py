"""Preferences (Edit › Preferences…; on macOS in the application menu, on Windows Options…):
the settings an editor may want to change, each applied when the dialog is accepted."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox

from . import style
from .settings import Settings

SCHEMES = (("system", "As the system"), ("light", "Light"), ("dark", "Dark"))
#: The settings shown, as Settings keys.
KEYS = ("view/color_scheme", "editing/confirm_batch_over", "files/watch_seconds", "network/thumbnails")


class PreferencesDialog(QDialog):
    def __init__(self, values: dict[str, Any], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.scheme = QComboBox()
        for key, label in SCHEMES:
            self.scheme.addItem(label, key)
        self.scheme.setCurrentIndex(max(0, [k for k, _ in SCHEMES].index(values["view/color_scheme"])))
        self.batch = QSpinBox(minimum=1, maximum=1_000_000, suffix=" articles")
        self.batch.setValue(values["editing/confirm_batch_over"])
        self.batch.setToolTip("An edit of more articles than this asks first")
        self.watch = QSpinBox(minimum=1, maximum=3600, suffix=" s")
        self.watch.setValue(values["files/watch_seconds"])
        self.watch.setToolTip("How often the folder is checked for files other programs changed")
        self.thumbnails = QCheckBox("Load images from the web (from the next start)")
        self.thumbnails.setChecked(values["network/thumbnails"])
        style.use(self.thumbnails)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Colours:", self.scheme)
        form.addRow("&Ask before changing more than:", self.batch)
        form.addRow("Look for &changes on disk every:", self.watch)
        form.addRow("", self.thumbnails)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "view/color_scheme": self.scheme.currentData(),
            "editing/confirm_batch_over": self.batch.value(),
            "files/watch_seconds": self.watch.value(),
            "network/thumbnails": self.thumbnails.isChecked(),
        }


def edit(settings: Settings, prompts) -> bool:
    """Ask (prompts.preferences) and keep what was chosen; a new colour scheme shows at once."""
    chosen = prompts.preferences({key: settings[key] for key in KEYS})
    if chosen is None:
        return False
    for key in KEYS:
        settings[key] = chosen[key]
    theme = getattr(QApplication.instance(), "theme", None)  # (app.main keeps it there)
    if theme is not None and theme.choice != chosen["view/color_scheme"]:
        theme.choice = chosen["view/color_scheme"]
        theme.apply()
    return True
