"""The commands about the stories articles tell: duplicates, links."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable

from ..core.folder import duplicates, fields, links
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
    for parser in (dp, lk):
        add_profile_option(parser)
    return {"duplicates": cmd_duplicates, "links": cmd_links}


def cmd_duplicates(args: argparse.Namespace) -> int:
    """Groups of the articles (matching --where) that tell one story; JSON: a list of groups, each a
    list of paths relative to DIR, the suggested keeper first."""
    table, problems = load_table(args.dir, None)
    read_fields(args.dir, table, args.where)
    chosen = [table.summaries[r] for r in table.select(args.where)]
    found = duplicates.group(chosen)  # (each summary holds its originalUrl: from the index, no file read)
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
    return FAILED if report_unreadable(args.dir, problems) else OK


def cmd_links(args: argparse.Namespace) -> int:
    """Check each article's links; JSON rows {path, field, url, status, code, final_url, detail};
    exit 1 when any link is dead."""
    table, problems = load_table(args.dir, None)
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
    return FAILED if dead or report_unreadable(args.dir, problems) else OK
