"""The main window and its controllers (see window.py for how they are wired)."""

from .window import MainWindow

__all__ = ["MainWindow"]
