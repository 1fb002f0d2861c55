"""The views command: the site's saved views."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from ..core.folder.query import SORT_FIELDS, QueryError, parse
from ..core.site import views
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

    add_profile_option(vw)
    return {"views": cmd_views}


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
    table, problems = load_table(root, args.ext)
    for view in found.views:
        try:
            read_fields(root, table, view.query)
            count = f"{len(table.select(view.query)):>7,}"
        except QueryError as exc:
            count = f"  error: {exc}"
        extra = " ".join(filter(None, (view.sort, view.mode)))
        print(f"{view.name:24} {count}  {view.query}" + (f"   ({extra})" if extra else ""))
    return FAILED if found.problems or report_unreadable(root, problems) else OK
