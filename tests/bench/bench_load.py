"""Loading a generated folder of 10,000 articles: Curator's loader beside python-frontmatter.

    python tests/bench/bench_load.py [N]

Both read and parse every file; Curator also builds each list summary, uses both cores, and
is measured without its index (a cold open) and with it (a warm one).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from curator.core.folder import opening
from curator.core.folder.index import Index
from tests.bench.common import Row, corpus, frontmatter_load, print_rows


def run(n: int = 10_000) -> list[Row]:
    folder = corpus(n, seed=3)
    base, count = frontmatter_load(folder)
    t = time.perf_counter()
    cold = opening.load(folder)
    cold_s = time.perf_counter() - t
    serial_t = time.perf_counter()
    opening.load(folder, workers=1)
    serial_s = time.perf_counter() - serial_t
    with tempfile.TemporaryDirectory() as cache:
        opening.load(folder, index=Index(folder, cache))
        t = time.perf_counter()
        warm = opening.load(folder, index=Index(folder, cache))
        warm_s = time.perf_counter() - t
    assert len(cold.entries) == len(warm.entries) == count == n
    baseline = f"python-frontmatter {base:.2f} s"
    return [
        Row(f"load {n:,} articles, cold, both cores", cold_s, "s", "—", baseline, f"{base / cold_s:.1f}x faster", None),
        Row(
            f"load {n:,} articles, cold, one core", serial_s, "s", "—", baseline, f"{base / serial_s:.1f}x faster", None
        ),
        Row(
            f"load {n:,} articles from the warm index", warm_s, "s", "—", baseline, f"{base / warm_s:.0f}x faster", None
        ),
    ]


if __name__ == "__main__":
    print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
