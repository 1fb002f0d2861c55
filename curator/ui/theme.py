"""Light and dark: the window follows the system's colour scheme (Qt 6.5+ style hints), or the
one chosen with `--color-scheme` / the `view/color_scheme` setting.

Platform themes that know the scheme (Windows 11, macOS, GNOME and KDE through their
platform plugins) give Qt a dark palette themselves; where they do not (another desktop, a
virtual display) a dark Fusion palette is set here. Painted parts (cards, badges, chips) use
the palette's roles, and the few fixed colours come from `color()` in a light and a dark tone.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette


class Scheme(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


#: Fixed colours, (on a light background, on a dark one).
COLORS = {
    "unpublished": ("#b35900", "#ffab40"),
    "error": ("#c62828", "#ef5350"),
    "warning": ("#e69500", "#ffb74d"),
    "published": ("#2e7d32", "#81c784"),
    "muted": ("#666666", "#a6a6a6"),
    "chip": ("#e8eaf6", "#303f9f"),
    "chip_text": ("#1a237e", "#e8eaf6"),
}

Role = QPalette.ColorRole
DARK = {
    Role.Window: "#2b2b2b", Role.WindowText: "#e8e8e8", Role.Base: "#1f1f1f", Role.AlternateBase: "#353535",
    Role.ToolTipBase: "#353535", Role.ToolTipText: "#e8e8e8", Role.PlaceholderText: "#8c8c8c",
    Role.Text: "#e8e8e8", Role.Button: "#353535", Role.ButtonText: "#e8e8e8", Role.BrightText: "#ff6b6b",
    Role.Light: "#4a4a4a", Role.Midlight: "#404040", Role.Mid: "#5c5c5c", Role.Dark: "#1a1a1a",
    Role.Shadow: "#0d0d0d", Role.Highlight: "#2f6db5", Role.HighlightedText: "#ffffff",
    Role.Link: "#6cb4ff", Role.LinkVisited: "#b59cff",
}  # fmt: skip
DISABLED = {Role.WindowText: "#7a7a7a", Role.Text: "#7a7a7a", Role.ButtonText: "#7a7a7a"}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(Role.Base).lightness() < 128


def color(name: str) -> QColor:
    """A fixed colour in the tone that reads on the current palette."""
    light, dark = COLORS[name]
    return QColor(dark if is_dark() else light)


def css(name: str) -> str:
    """color(name) for HTML built for a QTextBrowser."""
    return color(name).name()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, value in DARK.items():
        palette.setColor(role, QColor(value))
    for role, value in DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(value))
    return palette


def wanted(choice: str) -> Scheme:
    """The scheme to show for a choice of system, light or dark."""
    choice = Scheme(choice) if choice in tuple(Scheme) else Scheme.SYSTEM
    if choice is not Scheme.SYSTEM:
        return choice
    hinted = QGuiApplication.styleHints().colorScheme()
    return Scheme.DARK if hinted == Qt.ColorScheme.Dark else Scheme.LIGHT


class Theme:
    """Applies the chosen scheme to the application, again whenever the system's changes."""

    def __init__(self, app: QGuiApplication, choice: str = Scheme.SYSTEM):
        self.app, self.choice = app, choice
        app.styleHints().colorSchemeChanged.connect(lambda _: self.apply())
        self.apply()

    def apply(self) -> Scheme:
        self.app.setPalette(QPalette())  # back to the platform's own palette, then see if it will do
        scheme, platform_dark = wanted(self.choice), is_dark(self.app.palette())
        if scheme is Scheme.DARK and not platform_dark:
            self.app.setPalette(dark_palette())  # the platform gave no dark palette: ours
        elif scheme is Scheme.LIGHT and platform_dark:
            self.app.setPalette(self.app.style().standardPalette())
        return scheme
