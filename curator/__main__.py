"""Entry point: `curator COMMAND ...` runs the headless CLI, anything else opens the window."""

from __future__ import annotations

import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # worker processes of a frozen (PyInstaller) build start here
    args = sys.argv[1:] if argv is None else argv
    from .cli import COMMANDS

    if args and (args[0] in COMMANDS or args[0] in ("--version", "-V")):
        from .cli import main as cli_main

        return cli_main(["--version"] if args[0] == "-V" else args)
    from .ui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
