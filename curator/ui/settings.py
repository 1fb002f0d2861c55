"""Settings declared once with their defaults, stored with QSettings (INI, user scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

VERSION = 1
MAX_RECENT = 10


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    kind: type


OPTIONS = {
    o.key: o
    for o in (
        Option("view/mode", "cards", str),  # "cards" or "table"
        Option("view/sort_field", "date", str),
        Option("view/sort_descending", True, bool),
        Option("view/color_scheme", "system", str),  # "system", "light" or "dark"
        Option("editing/save_immediately", False, bool),
        Option("editing/confirm_batch_over", 20, int),
        Option("files/recent", [], list),
        Option("files/last", "", str),
        Option("files/watch_seconds", 5, int),
        Option("network/thumbnails", True, bool),
        Option("window/geometry", QByteArray(), QByteArray),
        Option("window/state", QByteArray(), QByteArray),
        Option("window/table_header", QByteArray(), QByteArray),
        Option("window/splitter", QByteArray(), QByteArray),
    )
}


class Settings:
    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Curator", "Curator")
        if int(self.q.value("meta/version", 0) or 0) < VERSION:
            self.q.setValue("meta/version", VERSION)

    def __getitem__(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self.q.value(key, option.default)
        if value is None:
            return option.default
        if option.kind is bool and isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        if option.kind is int:
            try:
                return int(value)
            except (TypeError, ValueError):
                return option.default
        if option.kind is list:
            return [value] if isinstance(value, str) else list(value)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in OPTIONS:
            raise KeyError(key)
        self.q.setValue(key, value)

    def add_recent(self, folder: str) -> list[str]:
        recent = [folder] + [f for f in self["files/recent"] if f != folder]
        self["files/recent"] = recent[:MAX_RECENT]
        self["files/last"] = folder
        return self["files/recent"]

    def forget_recent(self, folder: str) -> None:
        self["files/recent"] = [f for f in self["files/recent"] if f != folder]

    def clear_recent(self) -> None:
        self["files/recent"] = []
