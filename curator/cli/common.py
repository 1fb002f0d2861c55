"""What the commands share: exit codes, the files a run wrote, reading a folder into a Table, and the one
path every edit takes (plan on a Workspace, review, save)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence

from ..core.document.saves import prepare_save
from ..core.document.snapshots import read_file
from ..core.document.writes import Status
from ..core.folder import duplicates, fields, library, links, opening
from ..core.folder.index import Index
from ..core.folder.library import Severity
from ..core.folder.query import parse, terms_named
from ..core.folder.table import Table
from ..core.folder.workspace import Workspace, save_batch
from ..core.site import profiles

OK, FAILED, USAGE = 0, 1, 2
#: Files this run wrote (for --commit).
WRITTEN: list[str] = []


class UsageError(Exception):
    pass


def add_commit_options(parser: argparse.ArgumentParser) -> None:
    """--commit and -m, for a command that writes files."""
    parser.add_argument("--commit", action="store_true", help="git: commit the files written (needs -m)")
    parser.add_argument("-m", "--message", default="", help="the commit message for --commit")


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """--profile, for a command that reads a folder."""
    parser.add_argument(
        "--profile", choices=list(profiles.names()), help="read the folder as this kind of site (default: detected)"
    )


def load_table(root: str, extensions: Sequence[str] | None) -> tuple[Table, list[library.Problem]]:
    """The folder's articles; unchanged files come from the index in the cache folder (or,
    when it cannot be used, are all read, with one line saying so)."""
    if not os.path.isdir(root):  # a typo must not read as "0 of 0 articles" and exit 0
        if not os.path.exists(root):
            raise FileNotFoundError(2, "no such file or folder", root)
        raise UsageError(f"{root}: not a folder")
    index = Index(root)
    loaded = opening.load(root, extensions or None, index=index)
    if index.error:
        print(f"curator: note: {index.error}", file=sys.stderr)
    return Table(loaded.summaries), loaded.problems


def read_fields(root: str, table: Table, where: str) -> None:
    """The values of the keys the query's `field:` terms name, read from the files."""
    needed = table.needed_fields(parse(where))
    if needed:
        table.fields.update(fields.values_of(root, table.paths, needed))
    _mark(root, table, terms_named(parse(where)))


def _mark(root: str, table: Table, terms: set[str]) -> None:
    """For `dup:` terms, the folder's groups of duplicate stories; for `link:` terms, the link
    checks of the last 24 hours (no request is made)."""
    if not {"dup", "link"} & terms:
        return
    if "dup" in terms:  # (each summary holds its originalUrl: no file is read)
        table.dups = duplicates.numbered(duplicates.group(list(table.summaries)))
    if "link" in terms:
        found = links.links_of(fields.values_of(root, table.paths, ["originalUrl", "webUrl"]), table.paths)
        table.links = links.worst(found, links.cached(found, links.Cache()))


def report_unreadable(root: str, problems: Sequence[library.Problem]) -> bool:
    """Print each file that could not be read (so a query could not be evaluated on it)."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    for problem in errors:
        where = os.path.join(root, problem.path) + (f":{problem.line}" if problem.line else "")
        print(f"{where}: {problem.message}", file=sys.stderr)
    return bool(errors)


def run_edit(args: argparse.Namespace, plan) -> int:
    """Load the target files into a Workspace per site, plan the edits there (`plan(workspace,
    rows, names to print)` applies its steps and returns {path: why} for files that cannot take them: those are
    left alone whole), then save what is pending as the window's Save does (or print the diffs)."""
    status = OK
    for root, rels, shown, unreadable in _workspace_targets(args):
        workspace = Workspace(root)
        for rel in rels:
            item = library.load_one(root, rel, workspace.profile)
            if isinstance(item, library.Entry):
                workspace.add_entries([item])
            else:
                print(f"{shown[rel]}: {item.message}", file=sys.stderr)
                status = FAILED
        rows = [workspace.rows[rel] for rel in rels if rel in workspace.rows]
        errors = plan(workspace, rows, shown)
        for rel, why in errors.items():
            print(f"{shown[rel]}: {why}", file=sys.stderr)
        workspace.revert(workspace.rows[rel] for rel in errors)  # a file that cannot take an edit takes none
        status = save_workspace(workspace, args, shown, root if args.where is not None else None) or status
        status = FAILED if errors or unreadable else status
    return status


def save_workspace(workspace: Workspace, args: argparse.Namespace, shown: dict[str, str], root: str | None) -> int:
    """Write what is pending (Workspace.save_jobs, save_batch) or, with --dry-run, print each diff."""
    status = OK
    jobs = workspace.save_jobs()
    if args.dry_run:
        for job in jobs:
            result = prepare_save(job.abspath, job.file_changes(), job.snapshot, root=root)
            if result.status is Status.OK and result.data is not None:
                old = read_file(job.abspath)[0].decode("utf-8").splitlines(keepends=True)
                new = result.data.decode("utf-8").splitlines(keepends=True)
                name = shown[job.path]
                sys.stdout.writelines(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
            elif not result.ok:
                print(f"{shown[job.path]}: {result.message}", file=sys.stderr)
                status = FAILED
        return status
    index = Index(workspace.root) if root is not None else None
    for saved in save_batch(jobs, index=index, root=None if root is None else os.path.realpath(root)):
        if not saved.result.ok:
            print(f"{shown[saved.job.path]}: {saved.result.message}", file=sys.stderr)
            status = FAILED
        elif saved.result.status is Status.OK:
            WRITTEN.append(saved.job.abspath)
    return status


def _workspace_targets(args: argparse.Namespace) -> list[tuple[str, list[str], dict[str, str], bool]]:
    """The files to change by site: (site root, paths relative to it, {relative path: the name
    to print}, whether some files of a --where folder could not be read)."""
    paths, root, unreadable = targets_of(args)
    sites: dict[str, tuple[list[str], dict[str, str]]] = {}
    for path in paths:
        site = root or profiles.site_root(path)
        rel = profiles.relative(site, path)
        rels, shown = sites.setdefault(site, ([], {}))
        if rel not in shown:
            rels.append(rel)
            shown[rel] = path
    return [(site, rels, shown, unreadable) for site, (rels, shown) in sites.items()]


def targets_of(args: argparse.Namespace) -> tuple[list[str], str | None, bool]:
    """The files to change, the folder they were found in (--where), and whether some files
    of that folder could not be read (the query could not be evaluated on them)."""
    if args.where is not None:
        if len(args.targets) != 1 or not os.path.isdir(args.targets[0]):
            raise UsageError("--where needs exactly one DIR")
        root = args.targets[0]
        table, problems = load_table(root, None)
        read_fields(root, table, args.where)
        rows = table.select(args.where)
        unreadable = report_unreadable(root, problems)
        return [os.path.join(root, table.summaries[r].path) for r in rows], os.path.realpath(root), unreadable
    dirs = [t for t in args.targets if os.path.isdir(t)]
    if dirs:
        raise UsageError(f"{dirs[0]} is a folder: give files, or --where QUERY with one folder")
    return list(args.targets), None, False
