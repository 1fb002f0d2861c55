"""The command line: `curator COMMAND ...`. Each module of this package adds its commands' parsers
(`register`) and their `cmd_*` functions; this one assembles the parser and runs the command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from ..core.folder import library
from ..core.folder.query import QueryError
from ..core.site import profiles
from ..core.team import git
from . import editing, listing, stories, team, topics, views
from .common import FAILED, OK, USAGE, WRITTEN, UsageError

COMMANDS = ("list", "set", "publish", "unpublish", "check", "topics", "suggest", "status", "commit", "profile", "show",
            "views")  # fmt: skip
COMMANDS += ("duplicates", "links")
__all__ = ["FAILED", "OK", "USAGE", "WRITTEN", "UsageError", "library", "main"]


class StdoutClosed(Exception):
    """The reader of our output went away (`curator list | head`): not an error."""


class _GuardedStdout:
    """Standard output whose broken pipe is told apart from a BrokenPipeError raised anywhere else."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise StdoutClosed() from None

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise StdoutClosed() from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    """The parser, and the function of each command."""
    p = argparse.ArgumentParser(prog="curator", description="Review and edit a folder of front-matter articles.")
    p.add_argument("--version", action="version", version=f"curator {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run: dict[str, Callable[[argparse.Namespace], int]] = {}
    for family in (listing, editing, topics, team, stories, views):
        run.update(family.register(sub))
    return p, run


def _write_utf8() -> None:
    """The same bytes on every system: UTF-8, as on Windows a pipe or a redirect is cp1252, which has no figure dash
    (a sample title has one), and a frozen app ignores PYTHONUTF8 and PYTHONIOENCODING; line ends as written, as
    Windows' translation made the CSV writer's CR LF into CR CR LF."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # None in a windowed app, a plain TextIO in some embedders
            stream.reconfigure(encoding="utf-8", errors=stream.errors, newline="\n")


def main(argv: Sequence[str] | None = None) -> int:
    _write_utf8()
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)
    try:
        code = _main(argv)
        sys.stdout.flush()
    except StdoutClosed:
        # nothing more can be printed; keep the interpreter's last flush from failing too
        stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
        code = OK
    finally:
        sys.stdout = stdout
    return code


def _use_profile(args: argparse.Namespace) -> None:
    """--profile: read the folder (or the files' site) as that kind of site in this run."""
    name = getattr(args, "profile", None)
    if not name:
        return
    chosen = profiles.by_name(name)
    places = [getattr(args, "dir", None), *getattr(args, "targets", []), *getattr(args, "words", [])[-1:]]
    for place in filter(None, places):
        profiles.choose(place if os.path.isdir(place) else profiles.site_root(place), chosen)


def _main(argv: Sequence[str] | None) -> int:
    parser, run = _parser()
    WRITTEN.clear()  # a second call in one process (tests, embedding) starts with nothing written
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and args.command == "views" and not any(e.startswith("-") for e in extra):
            args.words += extra  # `views save NAME --where Q DIR`: DIR after the options
        elif extra:
            args = parser.parse_args(argv)  # (says what is not understood, and exits)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else USAGE
    try:
        if getattr(args, "commit", False) and not args.message.strip():
            raise UsageError("--commit needs a message: -m MESSAGE")
        if args.command in ("status", "commit"):
            return run[args.command](args)
        _use_profile(args)
        code = run[args.command](args)
        if getattr(args, "commit", False) and not getattr(args, "dry_run", False):
            code = max(code, team.commit_written(args))
        return code
    except git.GitError as exc:
        print(f"curator: {exc.message}", file=sys.stderr)
        if exc.output:
            print(exc.output, file=sys.stderr)
        return FAILED
    except (UsageError, QueryError, profiles.ProfileError) as exc:
        print(f"curator: {exc}", file=sys.stderr)
        return USAGE
    except FileNotFoundError as exc:
        print(f"curator: {exc.filename}: no such file or folder", file=sys.stderr)
        return USAGE
    except OSError as exc:  # a broken pipe to a worker, a disk error: not a closed stdout
        print(f"curator: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return FAILED
