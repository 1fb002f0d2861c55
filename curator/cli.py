"""The headless command line: list, set, publish, unpublish, check, topics, suggest. Imports no Qt.

Exit codes: 0 ok, 1 some file failed (each on stderr, the rest done), 2 usage.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import difflib
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import yaml

from . import __version__
from .core.document.files import Status, prepare_save, read_file
from .core.document.frontmatter import FrontMatterError, NotAnArticle, load_document
from .core.folder import duplicates, fields, library, links, review
from .core.folder.edits import EditOp
from .core.folder.index import Index
from .core.folder.library import Severity
from .core.folder.query import SORT_FIELDS, QueryError, parse, terms_named
from .core.folder.table import Table
from .core.folder.workspace import SaveJob, Workspace, save_batch
from .core.site import profiles, topics, views
from .core.site.taxonomy import TaxonomyError
from .core.team import commits, git
from .core.words import count as counted

COMMANDS = ("list", "set", "publish", "unpublish", "check", "topics", "suggest", "status", "commit", "profile", "show",
            "views")  # fmt: skip
COMMANDS += ("duplicates", "links")
OK, FAILED, USAGE = 0, 1, 2
#: Files this run wrote (for --commit).
WRITTEN: list[str] = []


class UsageError(Exception):
    pass


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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="curator", description="Review and edit a folder of front-matter articles.")
    p.add_argument("--version", action="version", version=f"curator {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    ls = sub.add_parser("list", help="list the articles of a folder")
    ls.add_argument("dir")
    ls.add_argument("--where", default="", metavar="QUERY", help="e.g. 'topic:\"Power Apps\" published:no'")
    ls.add_argument("--sort", default="path", metavar="FIELD", help=f"one of {', '.join(SORT_FIELDS)}; -FIELD descends")
    ls.add_argument("--format", choices=("table", "json", "csv"), default="table")
    ls.add_argument("--ext", action="append", help="file extension to include (repeatable)")
    ls.add_argument("--view", metavar="NAME", help="the saved view's query and sort (see `curator views`)")

    st = sub.add_parser("set", help="set or remove keys in files, changing only those lines")
    st.add_argument("targets", nargs="+", metavar="FILE|DIR", help="files, or one DIR with --where")
    st.add_argument("--where", metavar="QUERY", help="select articles in DIR by query ('' for all)")
    st.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE", help="VALUE is YAML")
    st.add_argument("--add", action="append", default=[], metavar="KEY=VALUE", help="add an item to a list")
    st.add_argument("--remove", action="append", default=[], metavar="KEY=VALUE", help="remove an item from a list")
    st.add_argument("--unset", action="append", default=[], metavar="KEY")
    st.add_argument("--dry-run", action="store_true", help="print a unified diff, write nothing")

    tp = sub.add_parser(
        "topics",
        help="list the topics (counts, taxonomy, variants), or rename, merge or delete one in every article",
        description="curator topics DIR | topics rename OLD NEW DIR | topics merge A [B...] INTO DIR | "
        "topics delete TOPIC DIR. A rename or merge also renames the topic in the site's taxonomy (_data/topics); "
        "a merge or delete retires the old names (.curator.yml's retired: list): never suggested again.",
    )
    tp.add_argument("words", nargs="+", metavar="WORD")
    tp.add_argument(
        "--entry", choices=("alias", "remove"), default="alias",
        help="a merged topic's taxonomy entry: removed, its name kept as an alias of the target (default), "
        "or removed with its name",
    )  # fmt: skip
    tp.add_argument("--where", default="", metavar="QUERY", help="only articles matching this query")
    tp.add_argument("--format", choices=("table", "json", "csv"), default="table")
    tp.add_argument("--dry-run", action="store_true", help="print a unified diff, write nothing")

    gs = sub.add_parser("status", help="git: the branch and the changed article files of a folder")
    gs.add_argument("dir")
    gc = sub.add_parser(
        "commit", help="git: commit exactly these article files (default: every changed article file git tracks)"
    )
    gc.add_argument("dir")
    gc.add_argument("files", nargs="*", metavar="FILE")
    gc.add_argument("-m", "--message", help="default: what the files change against HEAD, e.g. 'Publish 3 articles'")

    sg = sub.add_parser("suggest", help="topics suggested from the taxonomy's keywords; --apply adds them")
    sg.add_argument("targets", nargs="+", metavar="FILE|DIR")
    sg.add_argument("--where", metavar="QUERY", help="select articles in DIR by query ('' for all)")
    sg.add_argument("--apply", action="store_true", help="add the suggested topics to each article")
    sg.add_argument("--dry-run", action="store_true", help="with --apply: print a unified diff, write nothing")

    publishers = []
    for name in ("publish", "unpublish"):
        pp = sub.add_parser(name, help=f"{name} files, or every article matching --where in DIR")
        publishers.append(pp)
        pp.add_argument("targets", nargs="+", metavar="FILE|DIR")
        pp.add_argument("--where", metavar="QUERY", help="select articles in DIR by query")
        pp.add_argument("--dry-run", action="store_true")

    for writer in (st, tp, *publishers):
        writer.add_argument("--commit", action="store_true", help="git: commit the files written (needs -m)")
        writer.add_argument("-m", "--message", default="", help="the commit message for --commit")

    ck = sub.add_parser("check", help="report every unreadable or invalid file; exit 1 if any")
    ck.add_argument("dir")
    ck.add_argument("--ext", action="append")
    ck.add_argument("--warnings", action="store_true", help="also report values of the wrong type")

    sw = sub.add_parser("show", help="each file's front matter as Curator reads it; exit 1 if any is refused")
    sw.add_argument("files", nargs="+", metavar="FILE")
    sw.add_argument("--format", choices=("text", "json"), default="text")

    pf = sub.add_parser("profile", help="the site profile of a folder: what its keys mean, which files are content")
    pf.add_argument("dir")
    pf.add_argument("--format", choices=("text", "json", "yaml"), default="text")
    dp = sub.add_parser(
        "duplicates",
        help="groups of articles telling the same story, the suggested keeper first",
        description="Groups of articles telling one story: the same page once its URL is canonical, titles equal "
        "up to wire prefixes, a provider suffix and one typo, or one excerpt being the other's first sentence. "
        "The keeper (published first, then higher quality, then the earliest) comes first.",
    )
    dp.add_argument("dir")
    dp.add_argument("--where", default="", metavar="QUERY", help="only articles matching this query")
    dp.add_argument("--format", choices=("table", "json"), default="table")
    lk = sub.add_parser(
        "links",
        help="check originalUrl (and webUrl when it differs) of each article; exit 1 if any is dead",
        description="HEAD, then GET when HEAD is refused; at most 5 redirects, 4 requests at once to one host and "
        "16 overall, 20 s per URL. Status: ok, moved (a permanent redirect; final_url says where), dead (404, 410, "
        "a name that does not resolve) or error. Results are kept for 24 hours in the cache folder.",
    )
    lk.add_argument("dir")
    lk.add_argument("--where", default="", metavar="QUERY", help="only articles matching this query")
    lk.add_argument("--format", choices=("table", "json"), default="table")
    lk.add_argument("--recheck", action="store_true", help="ask again even when a result is less than 24 hours old")
    lk.add_argument("--no-network", action="store_true", help="answer from the cache only; refuse if it lacks a link")
    vw = sub.add_parser(
        "views",
        help="the site's saved views (.curator.yml): `views DIR` lists them with their counts; "
        "`views save NAME --where QUERY [--sort FIELD] DIR`; `views delete NAME DIR`",
    )
    vw.add_argument("words", nargs="+", metavar="[save|delete NAME] DIR")
    vw.add_argument("--where", metavar="QUERY", help="the view's query (save)")
    vw.add_argument("--sort", default="", metavar="FIELD", help="the view's sort, -FIELD descends (save)")
    vw.add_argument("--mode", choices=views.MODES, default="", help="cards or table, in the window (save)")
    vw.add_argument("--ext", action="append", help="file extension to include (repeatable)")

    for reader in (ls, st, tp, sg, *publishers, ck, pf, dp, lk, vw):
        reader.add_argument(
            "--profile", choices=list(profiles.names()), help="read the folder as this kind of site (default: detected)"
        )
    return p


def _parse_value(text: str) -> Any:
    try:
        return fields.parse_value(text)
    except fields.FieldError as exc:
        raise UsageError(str(exc)) from None


def _pairs(option: str, items: Sequence[str]) -> list[tuple[str, Any]]:
    out = []
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"{option} needs KEY=VALUE, got {item!r}")
        out.append((key.strip(), _parse_value(value)))
    return out


def _table(root: str, extensions: Sequence[str] | None) -> tuple[Table, list[library.Problem]]:
    """The folder's articles; unchanged files come from the index in the cache folder (or,
    when it cannot be used, are all read, with one line saying so)."""
    index = Index(root)
    loaded = library.load(root, extensions or None, index=index)
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
    keys = ["originalUrl", "webUrl"] if "link" in terms else ["originalUrl"]
    values = fields.values_of(root, table.paths, keys)
    if "dup" in terms:
        table.dups = duplicates.numbered(duplicates.group(list(table.summaries), values["originalUrl"]))
    if "link" in terms:
        found = links.links_of(values, table.paths)
        table.links = links.worst(found, links.cached(found, links.Cache()))


def _report_unreadable(root: str, problems: Sequence[library.Problem]) -> bool:
    """Print each file that could not be read (so a query could not be evaluated on it)."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    for problem in errors:
        where = os.path.join(root, problem.path) + (f":{problem.line}" if problem.line else "")
        print(f"{where}: {problem.message}", file=sys.stderr)
    return bool(errors)


def _view(root: str, name: str) -> views.View:
    found = views.read(root)
    view = found.get(name)
    if view is None:
        known = ", ".join(repr(v.name) for v in found.views) or "none"
        raise UsageError(f"no view is named {name!r} in {found.path} (views: {known})")
    return view


def cmd_list(args: argparse.Namespace) -> int:
    if args.view is not None:  # exactly what the same --where and --sort print
        view = _view(args.dir, args.view)
        args.where, args.sort = view.query, view.sort or args.sort
    field = args.sort.lstrip("-")
    if field not in SORT_FIELDS:
        raise UsageError(f"cannot sort by {field!r}; use one of {', '.join(SORT_FIELDS)}")
    table, problems = _table(args.dir, args.ext)
    read_fields(args.dir, table, args.where)
    rows = table.select(args.where)
    rows = table.sort(rows, field, descending=args.sort.startswith("-"))
    records = [table.summaries[r].as_row() for r in rows]
    if args.format == "json":
        json.dump(records, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]) if records else ["path"])
        writer.writeheader()
        for rec in records:
            writer.writerow({**rec, "topics": "; ".join(rec["topics"])})
    else:
        for rec in records:
            pub = "yes" if rec["published"] else "NO "
            q = "" if rec["quality"] is None else rec["quality"]
            print(f"{rec['date'][:10]:10}  {pub}  {q!s:>4}  {rec['title'][:70]:70}  {rec['path']}")
        print(f"{len(records):,} of {counted(len(table), 'article')}", file=sys.stderr)
    return FAILED if _report_unreadable(args.dir, problems) else OK


def cmd_views(args: argparse.Namespace) -> int:
    """List the saved views with their counts (a query that does not parse: its error), or
    save or delete one, editing only the `views:` lines of `.curator.yml`."""
    verb, *rest = args.words if args.words[0] in ("save", "delete") else ("list", *args.words)
    if len(rest) != (1 if verb == "list" else 2):
        raise UsageError("use `views DIR`, `views save NAME --where QUERY DIR` or `views delete NAME DIR`")
    root = rest[-1]
    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder")
    found = views.read(root)
    try:
        if verb == "save":
            if args.where is None:
                raise UsageError("views save needs --where QUERY ('' for every article)")
            parse(args.where)
            if args.sort and args.sort.lstrip("-") not in SORT_FIELDS:
                raise UsageError(f"cannot sort by {args.sort!r}; use one of {', '.join(SORT_FIELDS)}")
            edit = views.plan_save(found, views.View(rest[0], args.where, args.sort, args.mode))
        elif verb == "delete":
            edit = views.plan_delete(found, rest[0])
    except views.ViewError as exc:
        print(f"curator: {exc}", file=sys.stderr)
        return FAILED
    if verb != "list":
        result = edit.write()
        if not result.ok:
            print(f"{result.path}: {result.message}", file=sys.stderr)
            return FAILED
        print(f"{'saved' if verb == 'save' else 'deleted'} view {rest[0]!r} in {found.path}")
        return OK
    for problem in found.problems:
        print(problem, file=sys.stderr)
    table, problems = _table(root, args.ext)
    for view in found.views:
        try:
            read_fields(root, table, view.query)
            count = f"{len(table.select(view.query)):>7,}"
        except QueryError as exc:
            count = f"  error: {exc}"
        extra = " ".join(filter(None, (view.sort, view.mode)))
        print(f"{view.name:24} {count}  {view.query}" + (f"   ({extra})" if extra else ""))
    return FAILED if found.problems or _report_unreadable(root, problems) else OK


def cmd_set(args: argparse.Namespace) -> int:
    """Any key, planned and saved as the window's Edit Field… plans and saves it (Workspace.plan_field)."""
    edits = [(key, fields.FieldEdit(fields.Op.SET, value)) for key, value in _pairs("--set", args.sets)]
    edits += [(key, fields.FieldEdit(fields.Op.CLEAR)) for key in args.unset]
    edits += [(key, fields.FieldEdit(fields.Op.ADD, value)) for key, value in _pairs("--add", args.add)]
    edits += [(key, fields.FieldEdit(fields.Op.REMOVE, value)) for key, value in _pairs("--remove", args.remove)]
    if not edits:
        raise UsageError("nothing to change: give --set KEY=VALUE, --add, --remove or --unset KEY")

    def plan(workspace: Workspace, rows: list[int], shown: dict[str, str]) -> dict[str, str]:
        errors: dict[str, str] = {}
        for key, edit in edits:
            planned = workspace.plan_field(rows, key, edit)
            errors.update(planned.errors)
            if planned.step is not None:
                workspace.apply_step(planned.step)
        return errors

    return _edit(args, plan)


def _edit(args: argparse.Namespace, plan) -> int:
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
        status = _save(workspace, args, shown, root if args.where is not None else None) or status
        status = FAILED if errors or unreadable else status
    return status


def _save(workspace: Workspace, args: argparse.Namespace, shown: dict[str, str], root: str | None) -> int:
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
    paths, root, unreadable = _targets(args)
    sites: dict[str, tuple[list[str], dict[str, str]]] = {}
    for path in paths:
        site = root or profiles.site_root(path)
        rel = profiles.relative(site, path)
        rels, shown = sites.setdefault(site, ([], {}))
        if rel not in shown:
            rels.append(rel)
            shown[rel] = path
    return [(site, rels, shown, unreadable) for site, (rels, shown) in sites.items()]


def _targets(args: argparse.Namespace) -> tuple[list[str], str | None, bool]:
    """The files to change, the folder they were found in (--where), and whether some files
    of that folder could not be read (the query could not be evaluated on them)."""
    if args.where is not None:
        if len(args.targets) != 1 or not os.path.isdir(args.targets[0]):
            raise UsageError("--where needs exactly one DIR")
        root = args.targets[0]
        table, problems = _table(root, None)
        read_fields(root, table, args.where)
        rows = table.select(args.where)
        unreadable = _report_unreadable(root, problems)
        return [os.path.join(root, table.summaries[r].path) for r in rows], os.path.realpath(root), unreadable
    dirs = [t for t in args.targets if os.path.isdir(t)]
    if dirs:
        raise UsageError(f"{dirs[0]} is a folder: give files, or --where QUERY with one folder")
    return list(args.targets), None, False


def cmd_publish(args: argparse.Namespace, publish: bool) -> int:
    """Publish or unpublish as the window's Publish Selected does (Workspace.plan_edit): as the
    site's profile says (`draft` on Hugo, Zola, Eleventy and Astro; a file without the key is
    already published and is left alone); a draft by its folder (Jekyll's `_drafts/`) is named,
    not edited, since only moving it publishes it."""

    def plan(workspace: Workspace, rows: list[int], shown: dict[str, str]) -> dict[str, str]:
        step = workspace.plan_edit(rows, "published", EditOp.SET, publish)
        if step is not None:
            workspace.apply_step(step)
        where = ", ".join(workspace.profile.drafts)
        why = f"a draft by its folder: publish it by moving it out of {where}"
        return {path: why for path in workspace.drafts_left} if publish else {}

    return _edit(args, plan)


def cmd_profile(args: argparse.Namespace) -> int:
    if not os.path.isdir(args.dir):
        raise UsageError(f"{args.dir} is not a folder")
    profile = profiles.for_root(args.dir)
    problem = profiles.config_problem(args.dir)
    if args.format == "json":
        json.dump({**profile.settings(), "source": profile.source}, sys.stdout, indent=2)
        print()
    elif args.format == "yaml":
        print(f"# {profile.describe()}; a {profiles.CONFIG} at the folder's root can override any of it")
        settings = {"profile": profile.name, **{k: v for k, v in profile.settings().items() if k != "name"}}
        settings = {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()}
        print(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), end="")
    else:
        print(f"{profile.label}, {profile.source}")
        published = f"{profile.published} ({'true means a draft' if profile.inverted else 'false means unpublished'})"
        for label, value in (
            ("published", published), ("topics", profile.topics), ("title", ", ".join(profile.title)),
            ("date", ", ".join(profile.date)), ("category", ", ".join(profile.category)),
            ("excerpt", ", ".join(profile.excerpt)), ("image", ", ".join(profile.image)),
            ("extensions", " ".join(profile.extensions)), ("include", " ".join(profile.include) or "everything"),
            ("exclude", " ".join(profile.exclude) or "nothing"), ("drafts", " ".join(profile.drafts) or "none"),
            ("taxonomy", profile.taxonomy or "none"),
        ):  # fmt: skip
            print(f"  {label:10} {value}")
    if problem:
        print(f"curator: {problem}", file=sys.stderr)
        return FAILED
    return OK


def cmd_check(args: argparse.Namespace) -> int:
    loaded = library.load(args.dir, args.ext or None)
    for problem in loaded.problems:
        if problem.severity is Severity.WARNING and not args.warnings:
            continue
        where = os.path.join(args.dir, problem.path) + (f":{problem.line}" if problem.line else "")
        label = {Severity.SKIPPED: "not an article: ", Severity.WARNING: "warning: "}.get(problem.severity, "")
        print(f"{where}: {label}{problem.message}")
    skipped = sum(p.severity is Severity.SKIPPED for p in loaded.problems)
    errors = sum(p.severity is Severity.ERROR for p in loaded.problems)
    excluded = sum(p.severity is Severity.EXCLUDED for p in loaded.problems)
    warned = len({p.path for p in loaded.problems if p.severity is Severity.WARNING})
    profile = profiles.for_root(args.dir)
    print(
        f"{counted(len(loaded.entries), 'article')}, {errors:,} unreadable, "
        f"{counted(skipped, 'file')} without front matter, {excluded:,} left out by the {profile.label} profile"
        + (f"; {warned} with values of the wrong type (--warnings lists them)" if warned and not args.warnings else ""),
        file=sys.stderr,
    )
    return FAILED if errors else OK


def _entries(root: str, where: str) -> tuple[list[library.Entry], Index, list[library.Problem]]:
    """The folder's articles matching `where` (all for ''), with their snapshots for saving."""
    index = Index(root)
    loaded = library.load(root, index=index)
    if index.error:
        print(f"curator: note: {index.error}", file=sys.stderr)
    table = Table(loaded.summaries)
    read_fields(root, table, where)
    return [loaded.entries[r] for r in table.select(where)], index, loaded.problems


def _save_topics(root: str, entries: list[library.Entry], after: dict[str, list[str]], index: Index,
                 dry_run: bool) -> tuple[int, int]:  # fmt: skip
    """Write each file's new topics in one batch (fsynced together); a dry run prints diffs.
    Returns how many files were written (a dry run: would be) and how many were not."""
    profile = profiles.for_root(root)  # the topics go where the site keeps them (tags, taxonomies.tags)
    jobs = [
        SaveJob(e.summary.path, os.path.join(root, e.summary.path), {"topics": after[e.summary.path]}, e.snapshot,
                e.summary, profile)
        for e in entries if e.summary.path in after
    ]  # fmt: skip
    written = failed = 0
    if dry_run:
        for job in jobs:
            shown = review.preview(job, os.path.realpath(root))
            if shown.diff:
                print(shown.diff)
                written += 1
            elif shown.status is not Status.UNCHANGED:
                print(f"{job.path}: {shown.message}", file=sys.stderr)
                failed += 1
        return written, failed
    for saved in save_batch(jobs, index=index, root=os.path.realpath(root)):
        if not saved.result.ok:
            print(f"{os.path.join(root, saved.job.path)}: {saved.result.message}", file=sys.stderr)
            failed += 1
        elif saved.result.status is Status.OK:
            WRITTEN.append(saved.job.abspath)
            written += 1
    return written, failed


def cmd_topics(args: argparse.Namespace) -> int:
    """List the topics, or rename, merge or delete some, planned whole before anything is
    written (a site file that cannot be read or edited stops it all). The articles are written
    first, then the site's files, and those only when every article was: run it again once a
    refused file can be written, and it finishes (a kill between the two, the same)."""
    words = list(args.words)
    action = words[0] if words[0] in ("rename", "merge", "delete") else "list"
    needed = {"list": 1, "rename": 4, "delete": 3}.get(action)
    if (needed is not None and len(words) != needed) or (action == "merge" and len(words) < 4):
        raise UsageError("use: topics DIR | topics rename OLD NEW DIR | topics merge A [B...] INTO DIR | "
                         "topics delete TOPIC DIR")  # fmt: skip
    root = words[-1]
    if not os.path.isdir(root):
        raise UsageError(f"{root} is not a folder")
    entries, index, problems = _entries(root, args.where)
    site = topics.SiteTopics.read(root)
    if action == "list":
        return _list_topics(root, entries, site, args.format, problems)
    if action == "rename":
        olds, new = [words[1]], words[2]
    elif action == "merge":
        olds, new = words[1:-2], words[-2]
    else:
        olds, new = [words[1]], None
    try:
        change = site.plan((e.summary for e in entries), action, olds, new, args.entry == "alias", not args.where)
    except TaxonomyError as exc:
        print(f"curator: {exc}: nothing was changed", file=sys.stderr)
        return FAILED
    for path in change.articles.skipped:
        print(f"{os.path.join(root, path)}: its topics are not a list of text: left alone", file=sys.stderr)
    after = {p: new_topics for p, (_, new_topics) in change.articles.changes.items()}
    written, failed = _save_topics(root, entries, after, index, args.dry_run)
    files = change.files if not failed else []
    status = OK if not (failed or change.articles.skipped) else FAILED
    for edit in files:
        if args.dry_run:
            name = os.path.relpath(edit.path, root)
            print(review.unified(name, edit.old or b"", edit.new or b"", "now", "after"))
            continue
        result = edit.write()
        if not result.ok:
            print(f"{edit.path}: {result.message}", file=sys.stderr)
            status = FAILED
        elif edit.new is not None:
            WRITTEN.append(edit.path)
    done = "would change" if args.dry_run else "changed"
    what = {"rename": f"renamed to {new!r}", "merge": f"merged into {new!r}", "delete": "deleted"}[action]
    tax = [e for e in files if os.path.basename(e.path) != profiles.CONFIG]
    taxonomy = f" and {counted(len(tax), 'taxonomy file')}" if tax else ""
    retired = f"; retired in {profiles.CONFIG}: {', '.join(map(repr, change.retired))}" if files else ""
    print(f"{', '.join(map(repr, olds))} {what}: {done} {counted(written, 'article')}{taxonomy}{retired}",
          file=sys.stderr)  # fmt: skip
    if failed and change.files:
        was, they = ("was", "it") if failed == 1 else ("were", "they")
        print(f"curator: {counted(failed, 'article')} {was} not written, so the site's taxonomy was left as it "
              f"is: run it again once {they} can be", file=sys.stderr)  # fmt: skip
    return status


def _list_topics(
    root: str, entries: list[library.Entry], site: topics.SiteTopics, fmt: str, problems: list[library.Problem]
) -> int:
    for path, why in site.taxonomy.problems:
        print(f"{path}: not read: {why}", file=sys.stderr)
    infos = site.inventory(e.summary for e in entries)
    rows = [
        {"topic": t.name, "articles": t.count, "taxonomy": t.in_taxonomy, "parent": t.parent,
         "variants": list(t.variants), "aliases": list(t.aliases), "retired": t.retired}
        for t in infos
    ]  # fmt: skip
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["topic"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "variants": "; ".join(row["variants"]), "aliases": "; ".join(row["aliases"])})
    else:
        for row in rows:
            mark = "retired " if row["retired"] else "taxonomy" if row["taxonomy"] else "        "
            also = f"  (variants: {', '.join(row['variants'])})" if row["variants"] else ""
            print(f"{row['articles']:6,}  {mark}  {row['topic']}{also}")
        print(f"{counted(len(rows), 'topic')} in {counted(len(entries), 'article')}", file=sys.stderr)
    return FAILED if _report_unreadable(root, problems) else OK


def cmd_suggest(args: argparse.Namespace) -> int:
    """The topics the taxonomy suggests for each article (title, excerpt and body); with --apply,
    added as the window's Apply Suggested adds them (Workspace.plan_added), and saved."""
    paths, root, _ = _targets(args)
    if root is None:  # the site of these files
        root = profiles.site_root(paths[0]) if paths else "."
    folder = library.load(root, index=Index(root))  # the folder's common topics are suggested too
    site = topics.SiteTopics.read(root)
    for path, why in site.taxonomy.problems:
        print(f"{path}: not read: {why}", file=sys.stderr)
    suggester = site.suggester(topics.common_topics(e.summary for e in folder.entries))
    added: Counter[str] = Counter()

    def plan(workspace: Workspace, rows: list[int], shown: dict[str, str]) -> dict[str, str]:
        found = {}
        for row in rows:
            summary = workspace.summary(row)
            try:
                body = load_document(read_file(workspace.abspath(row))[0]).split.tail
            except (OSError, FrontMatterError, NotAnArticle):
                body = ""
            found[row] = suggester.suggest(f"{summary.title} {summary.excerpt} {body}", summary.topics)
            if found[row]:
                print(f"{shown[summary.path]}: {', '.join(found[row])}")
                added.update(found[row])
        planned = workspace.plan_added(found)
        if planned.step is not None and args.apply:
            workspace.apply_step(planned.step)
        return planned.errors

    status = _edit(args, plan)
    if added:
        print("suggested: " + ", ".join(f"{t}: {counted(n, 'article')}" for t, n in added.most_common()),
              file=sys.stderr)  # fmt: skip
    return status


def _plain(value: Any) -> Any:
    """A front matter value as JSON holds it: dates, datetimes and times (TOML's local time) as
    ISO 8601 text, binary as base64, a set as a list, keys as text."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else json.dumps(_plain(k)).strip('"'): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):  # in one order, whatever the run's hash seed
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def cmd_show(args: argparse.Namespace) -> int:
    """Each file's front matter as the window's editor and the other commands read it (the file
    read as files.read_file reads it, parsed whole by load_document)."""
    shown: list[dict[str, Any]] = []
    for path in args.files:
        try:
            doc = load_document(read_file(path)[0])
        except OSError as exc:
            shown.append({"path": path, "error": f"cannot read: {exc.strerror or exc}"})
        except FrontMatterError as exc:
            shown.append({"path": path, "error": exc.message, **({"line": exc.line} if exc.line else {})})
        except NotAnArticle as exc:
            shown.append({"path": path, "error": str(exc)})
        else:
            shown.append({"path": path, "format": doc.split.format, "front_matter": _plain(doc.data)})
    if args.format == "json":
        text = json.dumps(shown, indent=2, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: escaped, and still the same name
            text = json.dumps(shown, indent=2)
        print(text)
    for item in shown:
        path = item["path"].encode("utf-8", "backslashreplace").decode("utf-8")
        if "error" in item:
            print(f"{path}:{item['line']}: {item['error']}" if "line" in item else f"{path}: {item['error']}",
                  file=sys.stderr)  # fmt: skip
        elif args.format == "text":
            body = yaml.safe_dump(item["front_matter"], sort_keys=False, allow_unicode=True, width=1000)
            print(f"{path} ({item['format']})")
            print("".join(f"  {line}" for line in body.splitlines(keepends=True)), end="")
    return FAILED if any("error" in item for item in shown) else OK


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


def _run_command(args: argparse.Namespace) -> int:
    if args.command == "list":
        return cmd_list(args)
    if args.command == "set":
        return cmd_set(args)
    if args.command in ("publish", "unpublish"):
        return cmd_publish(args, args.command == "publish")
    if args.command == "topics":
        return cmd_topics(args)
    if args.command == "suggest":
        return cmd_suggest(args)
    if args.command == "profile":
        return cmd_profile(args)
    if args.command == "show":
        return cmd_show(args)
    if args.command == "duplicates":
        return cmd_duplicates(args)
    if args.command == "links":
        return cmd_links(args)
    if args.command == "views":
        return cmd_views(args)
    return cmd_check(args)


def _use_profile(args: argparse.Namespace) -> None:
    """--profile: read the folder (or the files' site) as that kind of site in this run."""
    name = getattr(args, "profile", None)
    if not name:
        return
    chosen = profiles.by_name(name)
    places = [getattr(args, "dir", None), *getattr(args, "targets", []), *getattr(args, "words", [])[-1:]]
    for place in filter(None, places):
        profiles.choose(place if os.path.isdir(place) else profiles.site_root(place), chosen)


def cmd_status(args: argparse.Namespace) -> int:
    repo = git.Repo(args.dir)
    status = repo.status()
    print(f"# {status.describe()}")
    for path in sorted(status.files):
        print(f"{status.files[path].value:10} {path}")
    return OK


def cmd_commit(args: argparse.Namespace) -> int:
    """Commit the files named (articles of DIR only), or every changed article file of DIR that
    git tracks; without -m, with the message made from what they change against HEAD."""
    repo = git.Repo(args.dir)
    profile = profiles.for_root(repo.folder)
    if args.files:
        paths = [os.path.relpath(os.path.abspath(f), repo.folder) for f in args.files]
        commits.refuse_non_articles(repo, paths, profile)
    else:
        status = repo.status()
        paths = [p for p, state in commits.article_files(repo, status, profile) if state is not git.State.UNTRACKED]
    message = args.message if args.message is not None else commits.describe(repo, paths, profile)
    print(repo.commit(paths, message))
    return OK


def _commit_written(args: argparse.Namespace) -> int:
    """--commit: commit exactly the files this run wrote."""
    if not WRITTEN:
        print("curator: nothing was written, so nothing was committed", file=sys.stderr)
        return OK
    folder = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in WRITTEN])
    repo = git.Repo(folder)
    print(repo.commit([os.path.relpath(os.path.abspath(p), repo.folder) for p in WRITTEN], args.message))
    return OK


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
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
        if args.command == "status":
            return cmd_status(args)
        if args.command == "commit":
            return cmd_commit(args)
        _use_profile(args)
        code = _run_command(args)
        if getattr(args, "commit", False) and not getattr(args, "dry_run", False):
            code = max(code, _commit_written(args))
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


def cmd_duplicates(args: argparse.Namespace) -> int:
    """Groups of the articles (matching --where) that tell one story; JSON: a list of groups, each a
    list of paths relative to DIR, the suggested keeper first."""
    table, problems = _table(args.dir, None)
    read_fields(args.dir, table, args.where)
    chosen = [table.summaries[r] for r in table.select(args.where)]
    urls = fields.values_of(args.dir, [s.path for s in chosen], ["originalUrl"])["originalUrl"]
    found = duplicates.group(chosen, urls)
    if args.format == "json":
        json.dump([g.paths for g in found], sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        titles = {s.path: s for s in chosen}
        for n, g in enumerate(found, 1):
            print(f"# {n}: {len(g.paths)} articles, same {' and '.join(g.reasons)}")
            for i, path in enumerate(g.paths):
                s = titles[path]
                mark = "keep" if i == 0 else "    "
                pub = "yes" if s.published else "NO "
                print(f"{mark}  {pub}  {s.title[:60]:60}  {path}")
        count = sum(len(g.paths) for g in found)
        print(f"{counted(len(found), 'group')} of {count:,} articles, of {len(chosen):,} read", file=sys.stderr)
    return FAILED if _report_unreadable(args.dir, problems) else OK


def cmd_links(args: argparse.Namespace) -> int:
    """Check each article's links; JSON rows {path, field, url, status, code, final_url, detail};
    exit 1 when any link is dead."""
    table, problems = _table(args.dir, None)
    read_fields(args.dir, table, args.where)
    chosen = [table.summaries[r].path for r in table.select(args.where)]
    found = links.links_of(fields.values_of(args.dir, chosen, ["originalUrl", "webUrl"]), chosen)
    cache = links.Cache()
    urls = list(dict.fromkeys(link.url for link in found))
    if args.no_network:
        missing = [u for u in urls if args.recheck or cache.get(u) is None]
        if missing:
            raise UsageError(f"--no-network: {counted(len(missing), 'link')} not checked in the last 24 hours")
    cached = sum(cache.get(u) is not None for u in urls) if not args.recheck else 0

    def progress(done: int, total: int, result: links.Check) -> None:
        if done == total or done % 25 == 0:
            print(f"checked {done:,} of {counted(total, 'link')}", file=sys.stderr, flush=True)

    if cached < len(urls):
        print(f"checking {counted(len(urls) - cached, 'link')} ({cached:,} from the last 24 hours)", file=sys.stderr)
    results = links.check_all(urls, cache, recheck=args.recheck, progress=progress)
    rows = []
    for link in found:
        c = results[link.url]
        rows.append({"path": link.path, "field": link.field, "url": link.url, "status": c.status, "code": c.code,
                     "final_url": c.final_url, "detail": c.detail})  # fmt: skip
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for row in rows:
            code = "" if row["code"] is None else row["code"]
            where = f" -> {row['final_url']}" if row["status"] == "moved" else ""
            detail = f"  ({row['detail']})" if row["detail"] and row["status"] != "moved" else ""
            print(f"{row['status']:6} {code!s:>4}  {row['path']}  {row['url']}{where}{detail}")
        tally = Counter(row["status"] for row in rows)
        print(", ".join(f"{tally[s]:,} {s}" for s in links.STATUSES), file=sys.stderr)
    dead = any(row["status"] == "dead" for row in rows)
    return FAILED if dead or _report_unreadable(args.dir, problems) else OK
