"""`make bench`: every benchmark; prints the table and writes docs/performance.json and .md.

The 100k rows run twice: as they are, then while another process holds one core busy
(CURATOR_BENCH_QUICK=1 skips that second run)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import MILLION, print_rows, write_results


def main() -> int:
    # Imported here, not at the top: the loader's worker processes start by the 'spawn' method,
    # which runs this module again in each of them, and the benches import PySide6 and the
    # window (~2 s, ~0.75 s of CPU per worker, counted in every cold open). The app's own
    # entry point (curator/__main__.py) imports nothing of Qt, so neither do its workers.
    from tests.bench import (
        bench_duplicates,
        bench_git,
        bench_graymatter,
        bench_load,
        bench_scale,
        bench_suggest,
        bench_triage,
    )

    n = int(os.environ.get("CURATOR_BENCH_N", "100000"))
    rows = bench_load.run(10_000) + bench_suggest.run() + bench_scale.run(n) + bench_git.run(n) + bench_triage.run(n)
    rows += bench_duplicates.run(n)
    rows += bench_graymatter.run(n)  # (no row, and a printed reason, without node and npm)
    if not os.environ.get("CURATOR_BENCH_QUICK"):  # the targets hold with one core busy too
        rows += bench_scale.run_loaded(n)
    print_rows(rows)
    write_results(rows, keep=lambda measure: measure.startswith(MILLION))  # (the rows of `make bench-1m` stay)
    return 0


if __name__ == "__main__":
    sys.exit(main())
