"""How good the topic suggestions are, measured on the bundled corpus against the topics its
editors actually assigned (`python tests/bench/bench_suggest.py [FOLDER]`; part of `make bench`).

For every article, the suggester sees its title, excerpt and body (not its topics) and the
site's taxonomy. Precision: of the topics suggested, the share the editors assigned. Recall:
of the assigned topics that the taxonomy declares (a suggester can only name those), the
share suggested. Both micro-averaged over all articles. The baseline is the suggester without
parents and without the folder's common topics (keywords only), measured in the same run;
the figures without the common topics (the site's subject, which nearly every article has)
are printed too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from curator.core.folder import opening
from curator.core.site import topics
from curator.core.site.article import read_details
from curator.core.site.taxonomy import Topic
from curator.core.site.taxonomy import read as taxonomy
from tests.bench.common import Row, print_rows
from tests.conftest import CORPUS


def measure(root: Path, site: list[Topic], common: bool = True) -> tuple[float, float, int, int]:
    entries = opening.load(root).entries
    suggester = topics.Suggester(site, topics.common_topics(e.summary.topics for e in entries) if common else ())
    declared = {t.name for t in site}
    hits = suggested = assigned = articles = 0
    for entry in entries:
        s = entry.summary
        if not s.topics:
            continue
        body = read_details(os.path.join(root, s.path), s.path).body
        found = set(suggester.suggest(f"{s.title} {s.excerpt} {body}"))
        actual = set(s.topics) & declared
        hits += len(found & actual)
        suggested += len(found)
        assigned += len(actual)
        articles += 1
    return hits / max(1, suggested), hits / max(1, assigned), articles, suggested


def run(root: Path = CORPUS) -> list[Row]:
    site = taxonomy(root).topics
    if not site:
        print(f"no taxonomy under {root}/_data/topics: nothing to measure", file=sys.stderr)
        return []
    started = time.perf_counter()
    precision, recall, articles, suggested = measure(root, site)
    seconds = time.perf_counter() - started
    flat = [Topic(t.name, "", t.keywords) for t in site]  # the same keywords, without parents
    base_p, base_r, _, _ = measure(root, flat, common=False)
    base = f"keywords only: P {base_p:.2f} R {base_r:.2f}"
    common = topics.common_topics(e.summary.topics for e in opening.load(root).entries)
    rest = [Topic(t.name, "" if t.parent in common else t.parent, t.keywords) for t in site if t.name not in common]
    sub_p, sub_r, _, _ = measure(root, rest, common=False)
    print(f"without the folder's common topics {common}: P {sub_p:.2f} R {sub_r:.2f}", flush=True)
    print(f"{articles} articles with topics, {suggested} topics suggested, in {seconds:.1f} s", flush=True)
    return [
        Row("suggestions: precision", precision, "", "≥ 0.9", base, f"{precision - base_p:+.2f}", precision >= 0.9),
        Row("suggestions: recall", recall, "", "≥ 0.9", base, f"{recall - base_r:+.2f}", recall >= 0.9),
    ]


if __name__ == "__main__":
    print_rows(run(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS))
