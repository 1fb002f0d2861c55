"""The commands that read: list, check, show, profile."""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import yaml

from ..core.document.formats.base import FrontMatterError, NotAnArticle
from ..core.document.frontmatter import load_document
from ..core.document.snapshots import read_file
from ..core.folder import opening
from ..core.folder.library import Severity
from ..core.folder.query import SORT_FIELDS
from ..core.site import profiles, views
from ..core.words import count as counted
from .common import (
    FAILED,
    OK,
    UsageError,
    add_profile_option,
    load_table,
    read_fields,
    report_unreadable,
)


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add these commands' parsers to `sub`; their functions by command."""
    ls = sub.add_parser("list", help="list the articles of a folder")
    ls.add_argument("dir")
    ls.add_argument("--where", default="", metavar="QUERY", help="e.g. 'topic:\"Power Apps\" published:no'")
    ls.add_argument("--sort", default="path", metavar="FIELD", help=f"one of {', '.join(SORT_FIELDS)}; -FIELD descends")
    ls.add_argument("--format", choices=("table", "json", "csv"), default="table")
    ls.add_argument("--ext", action="append", help="file extension to include (repeatable)")
    ls.add_argument("--view", metavar="NAME", help="the saved view's query and sort (see `curator views`)")
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
    for parser in (ls, ck, pf):
        add_profile_option(parser)
    return {"list": cmd_list, "check": cmd_check, "show": cmd_show, "profile": cmd_profile}


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
    table, problems = load_table(args.dir, args.ext)
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
    return FAILED if report_unreadable(args.dir, problems) else OK


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
    loaded = opening.load(args.dir, args.ext or None)
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
    read as snapshots.read_file reads it, parsed whole by load_document)."""
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
