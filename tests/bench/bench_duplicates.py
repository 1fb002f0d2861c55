"""Grouping duplicate stories at scale (`python tests/bench/bench_duplicates.py [N]`; part of `make bench`).

On a generated folder of N articles (random titles, so few real duplicates; every 50th article
gets a made-up syndicated copy, URL variant or near miss so the rules have work): the time to
group N articles from their summaries and URLs, the time to read the URLs from the files, and
the time to group 100 arrivals against the grouped folder (incremental). The baseline is
python-frontmatter loading every file of the same folder in the same run; the target is grouping
in at most 1/5 of it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from curator.core.folder import duplicates, fields, library
from curator.core.folder.index import Index
from tests.bench.common import Row, corpus, frontmatter_load, print_rows


def arrivals(summaries, urls, every: int = 50):
    """Made-up copies: a wire copy, a URL variant and a near miss of every `every`-th article."""
    new, new_urls = [], {}
    for i, s in enumerate(summaries[::every]):
        kind = i % 3
        path = f"arrival-{i}.md"
        if kind == 0:
            copy = dataclasses.replace(s, path=path, title="RE-TRANSMISSION: " + s.title, provider_name="Wire")
            new_urls[path] = f"https://wire.example/{i}"
        elif kind == 1:
            copy = dataclasses.replace(s, path=path, title="Read: " + s.title)
            new_urls[path] = urls.get(s.path, "") + "?utm_source=feed"
        else:
            copy = dataclasses.replace(s, path=path, title=s.title + " 2", excerpt="Another story.")
            new_urls[path] = f"https://other.example/{i}"
        new.append(copy)
    return new, new_urls


def run(n: int) -> list[Row]:
    folder = corpus(n)
    summaries = list(library.load(str(folder), index=Index(folder)).summaries)
    started = time.perf_counter()
    urls = fields.values_of(str(folder), [s.path for s in summaries], ["originalUrl"])["originalUrl"]
    read = time.perf_counter() - started
    extra, extra_urls = arrivals(summaries, urls)
    urls.update(extra_urls)
    everything = summaries + extra
    started = time.perf_counter()
    groups = duplicates.group(everything, urls)
    grouping = time.perf_counter() - started
    grouper = duplicates.Grouper(duplicates.provider_names(everything))
    grouper.add(everything[:-100], urls)
    started = time.perf_counter()
    grouper.add(everything[-100:], urls)
    incremental = time.perf_counter() - started
    base, count = frontmatter_load(folder)
    print(f"{len(everything):,} articles: {len(groups):,} groups; urls read in {read:.2f} s, grouped in "
          f"{grouping:.2f} s, 100 arrivals in {incremental * 1000:.0f} ms; python-frontmatter {base:.1f} s "
          f"for {count:,} files", flush=True)  # fmt: skip
    label = f"{n // 1000}k" if n >= 1000 else str(n)
    baseline = f"python-frontmatter load {base:.1f} s"
    return [
        Row(f"duplicates: group {label} articles", grouping, "s", "<= 1/5 of baseline", baseline,
            f"{grouping / base:.3f}", grouping <= base / 5),
        Row(f"duplicates: read originalUrl of {label} files", read, "s", "—", baseline, f"{read / base:.3f}", None),
        Row(f"duplicates: 100 arrivals against {label}", incremental, "s", "< 1 s", "", "", incremental < 1),
    ]  # fmt: skip


if __name__ == "__main__":
    print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("CURATOR_BENCH_N", "100000"))))
