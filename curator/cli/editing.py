"""The commands that edit articles' keys: set, publish, unpublish, suggest."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..core.document.formats.base import FrontMatterError, NotAnArticle
from ..core.document.frontmatter import load_document
from ..core.document.snapshots import read_file
from ..core.folder import fields, opening
from ..core.folder.edits import EditOp
from ..core.folder.index import Index
from ..core.folder.workspace import Workspace
from ..core.site import profiles, topics
from ..core.words import count as counted
from .common import (
    UsageError,
    add_commit_options,
    add_profile_option,
    run_edit,
    targets_of,
)


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add these commands' parsers to `sub`; their functions by command."""
    st = sub.add_parser("set", help="set or remove keys in files, changing only those lines")
    st.add_argument("targets", nargs="+", metavar="FILE|DIR", help="files, or one DIR with --where")
    st.add_argument("--where", metavar="QUERY", help="select articles in DIR by query ('' for all)")
    st.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE", help="VALUE is YAML")
    st.add_argument("--add", action="append", default=[], metavar="KEY=VALUE", help="add an item to a list")
    st.add_argument("--remove", action="append", default=[], metavar="KEY=VALUE", help="remove an item from a list")
    st.add_argument("--unset", action="append", default=[], metavar="KEY")
    st.add_argument("--dry-run", action="store_true", help="print a unified diff, write nothing")
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

    for writer in (st, *publishers):
        add_commit_options(writer)
    for parser in (st, sg, *publishers):
        add_profile_option(parser)
    return {
        "set": cmd_set,
        "publish": lambda args: cmd_publish(args, True),
        "unpublish": lambda args: cmd_publish(args, False),
        "suggest": cmd_suggest,
    }


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

    return run_edit(args, plan)


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

    return run_edit(args, plan)


def cmd_suggest(args: argparse.Namespace) -> int:
    """The topics the taxonomy suggests for each article (title, excerpt and body); with --apply,
    added as the window's Apply Suggested adds them (Workspace.plan_added), and saved."""
    paths, root, _ = targets_of(args)
    if root is None:  # the site of these files
        root = profiles.site_root(paths[0]) if paths else "."
    folder = opening.load(root, index=Index(root))  # the folder's common topics are suggested too
    site = topics.SiteTopics.read(root)
    for path, why in site.taxonomy.problems:
        print(f"{path}: not read: {why}", file=sys.stderr)
    suggester = site.suggester(topics.common_topics(e.summary.topics for e in folder.entries))
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

    status = run_edit(args, plan)
    if added:
        print("suggested: " + ", ".join(f"{t}: {counted(n, 'article')}" for t, n in added.most_common()),
              file=sys.stderr)  # fmt: skip
    return status
