"""The git commands: status, commit, and --commit of the commands that write."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from ..core.site import profiles
from ..core.team import commits, git
from .common import (
    OK,
    WRITTEN,
)


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add these commands' parsers to `sub`; their functions by command."""
    gs = sub.add_parser("status", help="git: the branch and the changed article files of a folder")
    gs.add_argument("dir")
    gc = sub.add_parser(
        "commit",
        help="git: commit exactly these article files (default: every changed article file git tracks, and the "
        "site files a topic rename, merge or delete changed: .curator.yml and the taxonomy's files)",
    )
    gc.add_argument("dir")
    gc.add_argument("files", nargs="*", metavar="FILE")
    gc.add_argument("-m", "--message", help="default: what the files change against HEAD, e.g. 'Publish 3 articles'")
    return {"status": cmd_status, "commit": cmd_commit}


def cmd_status(args: argparse.Namespace) -> int:
    repo = git.Repo(args.dir)
    status = repo.status()
    print(f"# {status.describe()}")
    for path in sorted(status.files):
        print(f"{status.files[path].value:10} {path}")
    return OK


def cmd_commit(args: argparse.Namespace) -> int:
    """Commit the files named (articles and site files of DIR only), or every changed article
    file of DIR that git tracks and every changed site file (`.curator.yml` and the taxonomy's
    files, a removed one included: the retired topics are shared with the work); without -m,
    with the message made from what they change against HEAD (core.team.commits, as the
    window's Commit)."""
    repo = git.Repo(args.dir)
    profile = profiles.for_root(repo.folder)
    if args.files:
        paths = [os.path.relpath(os.path.abspath(f), repo.folder) for f in args.files]
        commits.refuse_non_articles(repo, paths, profile)
    else:
        status = repo.status()
        paths = [
            p
            for p, state in commits.commit_files(repo, status, profile)
            if state is not git.State.UNTRACKED or commits.is_site_file(p, profile)
        ]
    message = args.message if args.message is not None else commits.describe(repo, paths, profile)
    print(repo.commit(paths, message))
    return OK


def commit_written(args: argparse.Namespace) -> int:
    """--commit: commit exactly the files this run wrote."""
    if not WRITTEN:
        print("curator: nothing was written, so nothing was committed", file=sys.stderr)
        return OK
    folder = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in WRITTEN])
    repo = git.Repo(folder)
    print(repo.commit([os.path.relpath(os.path.abspath(p), repo.folder) for p in WRITTEN], args.message))
    return OK
