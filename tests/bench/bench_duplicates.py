"""Grouping duplicate stories at scale (`python tests/bench/bench_duplicates.py [N]`; part of `make bench`).

On a generated folder of N articles (random titles, so few real duplicates; every 50th article
gets a made-up syndicated copy, URL variant or near miss so the rules have work): the time to
read the folder's index (warm: every summary with its originalUrl, no file read) and group every
article from it; the time to group 100 arrivals, and 100 edited articles, against the grouped
folder (Grouper.update, incremental); and, for comparison, reading the URLs from the files as
grouping once did. The baseline is python-frontmatter loading every file of the same folder in
the same run; the target is reading the index and grouping in at most 1/5 of it. Then the same
grouping as the window makes it, in the grouping process reading the index (core/folder/grouping.py):
its time and that process's memory, and its groups checked against those grouped here.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from curator.core.folder import duplicates, fields, opening
from curator.core.folder.grouping import GroupingProcess
from curator.core.folder.index import Index, decode_summary
from tests.bench.common import Row, corpus, frontmatter_load, print_rows, process_mb


def arrivals(summaries, every: int = 50):
    """Made-up copies: a wire copy, a URL variant and a near miss of every `every`-th article."""
    new = []
    for i, s in enumerate(summaries[::every]):
        kind = i % 3
        path = f"arrival-{i}.md"
        if kind == 0:
            copy = dataclasses.replace(s, path=path, title="RE-TRANSMISSION: " + s.title, provider_name="Wire",
                                       url=f"https://wire.example/{i}")  # fmt: skip
        elif kind == 1:
            copy = dataclasses.replace(s, path=path, title="Read: " + s.title, url=s.url + "?utm_source=feed")
        else:
            copy = dataclasses.replace(s, path=path, title=s.title + " 2", excerpt="Another story.",
                                       url=f"https://other.example/{i}")  # fmt: skip
        new.append(copy)
    return new


def grouped_in_process(index: Index, entries) -> tuple[float, float, float, float]:
    """Group the folder as the window does, in the grouping process reading the index: seconds,
    that process's peak and held RSS (MB), and how much this process's RSS grew meanwhile; its
    groups are checked against a Grouper's here."""
    paths = [e.summary.path for e in entries]
    digests = b"".join(bytes.fromhex(e.snapshot.digest) for e in entries)
    before = process_mb(field="VmRSS")
    process = GroupingProcess()
    try:
        started = time.perf_counter()
        missing = process.start(index, paths, digests)
        members, _ = process.group()
        seconds = time.perf_counter() - started
        here = process_mb(field="VmRSS") - before
        peak, held = process_mb(process.pid), process_mb(process.pid, "VmRSS")
    finally:
        process.close()
    grouper = duplicates.Grouper()
    grouper.update(e.summary for e in entries)
    assert missing == [] and members == grouper.members()
    return seconds, peak, held, here


def run(n: int) -> list[Row]:
    folder = corpus(n)
    index = Index(folder)
    entries = opening.load(str(folder), index=index).entries  # (makes the index: the open below is a warm one)
    in_worker, worker_peak, worker_held, here = grouped_in_process(index, entries)
    started = time.perf_counter()
    summaries = [decode_summary(record) for batch in index.iter_records(10_000) for record in batch]
    read_index = time.perf_counter() - started
    everything = summaries + arrivals(summaries)
    started = time.perf_counter()
    grouper = duplicates.Grouper()
    grouper.update(everything)
    grouping = time.perf_counter() - started
    warm = read_index + grouping
    started = time.perf_counter()
    urls = fields.values_of(str(folder), [s.path for s in summaries], ["originalUrl"])["originalUrl"]
    read_files = time.perf_counter() - started
    assert {s.path: s.url for s in summaries if s.url} == {p: u for p, u in urls.items() if isinstance(u, str) and u}
    assert duplicates.pairs(g.paths for g in grouper.groups()) == duplicates.pairs(
        g.paths for g in duplicates.group(list(reversed(everything)))
    )  # (any order: the same groups)
    grouper.update(removed=[s.path for s in everything[-100:]])
    started = time.perf_counter()
    grouper.update(everything[-100:])
    incremental = time.perf_counter() - started
    edited = [dataclasses.replace(s, title=s.title + " revisited") for s in summaries[7 :: max(1, n // 100)][:100]]
    started = time.perf_counter()
    grouper.update(edited)
    edits = time.perf_counter() - started
    base, count = frontmatter_load(folder)
    print(f"{len(everything):,} articles: {grouper.count():,} groups; index read in {read_index:.2f} s, grouped in "
          f"{grouping:.2f} s; 100 arrivals in {incremental * 1000:.0f} ms, 100 edits in {edits * 1000:.0f} ms; "
          f"originalUrl read from the files in {read_files:.2f} s; python-frontmatter {base:.1f} s "
          f"for {count:,} files", flush=True)  # fmt: skip
    print(f"the grouping process: {in_worker:.2f} s from the index; its RSS {worker_peak:.0f} MB at the peak, "
          f"{worker_held:.0f} MB after; this process's RSS grew {here:.0f} MB meanwhile", flush=True)  # fmt: skip
    label = f"{n // 1000}k" if n >= 1000 else str(n)
    baseline = f"python-frontmatter load {base:.1f} s"
    return [
        Row(f"duplicates: read the index and group {label} articles", warm, "s", "<= 1/5 of baseline", baseline,
            f"{warm / base:.3f}", warm <= base / 5),
        Row(f"duplicates: the window's grouping process reads the index and groups {label}", in_worker, "s", "—",
            f"in-process {warm:.1f} s", f"{in_worker / warm:.2f}", None),
        Row(f"duplicates: RSS the grouping process holds after grouping {label}", worker_held, "MB", "—",
            f"its peak {worker_peak:.0f} MB", "", None),
        Row(f"duplicates: 100 arrivals against {label}", incremental, "s", "< 1 s", "", "", incremental < 1),
        Row(f"duplicates: 100 edited articles of {label}", edits, "s", "< 1 s", "", "", edits < 1),
        Row(f"duplicates: (was) read originalUrl of {label} files", read_files, "s", "—", baseline,
            f"{read_files / base:.3f}", None),
    ]  # fmt: skip


if __name__ == "__main__":
    print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("CURATOR_BENCH_N", "100000"))))
