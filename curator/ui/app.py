"""Starting the GUI: arguments, the no-display check, screenshot and smoke-test modes."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from .bundle import resources_dir, sample_dir, settle


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="curator",
        description="Curator: review and edit a folder of front-matter articles. "
        "Commands list, set, publish, unpublish and check run without a window (curator list --help).",
    )
    p.add_argument("dir", nargs="?", help="folder to open")
    p.add_argument("--screenshot", metavar="OUT.png", help="open DIR, wait until it settles, save a picture, exit")
    p.add_argument("--smoke-test", action="store_true", help="check that the app starts, decodes images and has icons")
    p.add_argument("--no-network", action="store_true", help="use only cached and local images")
    p.add_argument("--color-scheme", choices=("system", "light", "dark"), help="colours to use (default: the system's)")
    p.add_argument("--version", action="version", version=f"curator {__version__}")
    return p


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


NO_DISPLAY = """curator: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open.
  - The command line works without one:  curator list DIR, curator check DIR, curator publish --where QUERY DIR
  - To run the window on a virtual display:  xvfb-run curator [DIR]
  - Or render offscreen (for screenshots):  QT_QPA_PLATFORM=offscreen curator --screenshot out.png DIR"""


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    headless = bool(args.screenshot or args.smoke_test)
    if headless and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Curator")
    app.setOrganizationName("Curator")
    app.setApplicationVersion(__version__)
    from .icons import icon

    app.setWindowIcon(_app_icon() or icon("fa5s.newspaper"))

    if args.smoke_test:
        from .smoke import smoke_test

        return smoke_test(app)

    from .mainwindow import MainWindow
    from .settings import Settings
    from .theme import Theme

    settings = Settings()
    app.theme = Theme(app, args.color_scheme or settings["view/color_scheme"])  # kept while the app runs
    window = MainWindow(settings, network=not args.no_network)
    folder = args.dir or (str(sample_dir()) if args.screenshot else "")
    if args.screenshot:
        window.resize(1440, 900)
    window.show()
    if folder:
        window.open_folder(folder)
    if args.screenshot:
        return screenshot(app, window, args.screenshot)
    return app.exec()


def _app_icon():
    from PySide6.QtGui import QIcon

    path = resources_dir() / "icons" / "curator.png"
    return QIcon(str(path)) if path.exists() else None


def screenshot(app, window, out: str) -> int:
    settle(app, window)
    window.update_wanted_images()
    settle(app, window, timeout=10)
    ok = window.grab().save(out)
    print(f"saved {out}" if ok else f"could not save {out}", file=sys.stderr)
    window.close()
    return 0 if ok else 1
