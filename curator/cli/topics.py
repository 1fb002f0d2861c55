"""The topics command: list the topics, or rename, merge or delete one in every article."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Callable

from ..core.document.writes import Status
from ..core.folder import library, opening, review
from ..core.folder.index import Index
from ..core.folder.table import Table
from ..core.folder.workspace import SaveJob, save_batch
from ..core.site import profiles, topics
from ..core.site.taxonomy import TaxonomyError
from ..core.words import count as counted
from .common import (
    FAILED,
    OK,
    WRITTEN,
    UsageError,
    add_commit_options,
    add_profile_option,
    read_fields,
    report_unreadable,
)


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add these commands' parsers to `sub`; their functions by command."""
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
    add_commit_options(tp)
    add_profile_option(tp)
    return {"topics": cmd_topics}


def _entries(root: str, where: str) -> tuple[list[library.Entry], Index, list[library.Problem]]:
    """The folder's articles matching `where` (all for ''), with their snapshots for saving."""
    index = Index(root)
    loaded = opening.load(root, index=index)
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
        else:
            WRITTEN.append(edit.path)  # (a removed taxonomy file too: --commit takes its removal)
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
    infos = site.inventory(e.summary.topics for e in entries)
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
    return FAILED if report_unreadable(root, problems) else OK
