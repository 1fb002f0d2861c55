"""Ranges over several `make bench` runs: `python tests/bench/ranges.py RUN.json RUN.json ...`.

Prints, for every row with a target, the lowest and highest figure across the runs, each run's
ratio, and whether the target was met in all of them, some, or none (figures of one run vary by
a factor of two on a shared machine: one run says little). Each argument is the
docs/performance.json a run wrote (copy it away before the next run overwrites it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def ranges(runs: list[list[dict]]) -> list[str]:
    lines = ["| measure | figures | ratios | target | met |", "|---|---|---|---|---|"]
    for row in runs[0]:
        same = [next((r for r in run if r["measure"] == row["measure"]), None) for run in runs]
        rows = [r for r in same if r is not None]
        if row["met"] is None and row["target"] == "—":
            continue  # a row without a target: a figure for reference
        figures = sorted(r["figure"] for r in rows)
        unit = row["unit"]
        met = [r["met"] for r in rows]
        said = "all" if all(met) else "none" if not any(met) else f"{sum(map(bool, met))} of {len(met)}"
        ratios = " / ".join(r["ratio"] for r in rows)  # in run order
        lines.append(
            f"| {row['measure']} | {figures[0]:,.3g}–{figures[-1]:,.3g} {unit} | {ratios} "
            f"| {row['target']} | {said} ({len(rows)} runs) |"
        )
    return lines


def main(paths: list[str]) -> int:
    if len(paths) < 2:
        print(__doc__)
        return 2
    runs = [json.loads(Path(p).read_text()) for p in paths]
    print("\n".join(ranges(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
