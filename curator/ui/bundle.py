"""What a started app finds and waits for: its bundled resources (also inside a frozen app) and
a window that has settled (loading done, visible thumbnails arrived). Used by the screenshot and
smoke-test modes and by docs/screenshots.py."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def resources_dir() -> Path:
    """`resources/` in a source tree, or inside a frozen (PyInstaller) app."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def sample_dir() -> Path:
    return resources_dir() / "sample"


def settle(app, window, timeout: float = 20.0) -> None:
    """Process events until loading is done and visible thumbnails stop arriving (bounded)."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        app.processEvents()
        busy = window.loader.loading or window.image_tasks.busy or window.tasks.busy or window.saver.running
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.5:
            break
        time.sleep(0.02)
    app.processEvents()
