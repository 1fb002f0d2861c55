"""Only the filter row of bench_scale, against the same generated corpus, through the real
`set_query` of the main window's model, beside QSortFilterProxyModel in the same run.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_filter.py [N] [CACHE_DIR]

With CACHE_DIR (kept between runs), the folder opens from a warm index. Prints each keystroke,
the slowest, the proxy's median, the ratio, RSS and the index file's size on disk.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication

from curator.ui.model import COLUMNS
from tests.bench.bench_scale import Heartbeat, make_window, open_timed, rss_mb, spin
from tests.bench.common import corpus

KEYSTROKES = ["c", "ch", "chi", "chip", "chip ", "chip s"]


def main(n: int, cache: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - kept alive
    big = corpus(n)
    window = make_window(cache)
    beat = Heartbeat()
    _, shown, done, stall = open_timed(window, big, n, beat)
    print(f"open: shown {shown:.1f} s, done {done:.1f} s, stall {stall} ms, rss {rss_mb():.0f} MB", flush=True)
    waited = time.perf_counter()
    ready = getattr(window.model, "search_ready", lambda: True)
    least = float(os.environ.get("BENCH_WAIT", "0"))  # (so runs with and without the index compare)
    peak = rss_mb()
    while (not ready() or time.perf_counter() - waited < least) and time.perf_counter() - waited < 900:
        spin(0.2)
        peak = max(peak, rss_mb())
    print(
        f"search index ready after {time.perf_counter() - waited:.1f} s more, rss {rss_mb():.0f} MB"
        f" (peak while waiting {peak:.0f} MB)",
        flush=True,
    )
    spin(1.0)
    model = window.model
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(COLUMNS.index("title"))
    worsts, bases = [], []
    for rep in range(3):
        ours, theirs = [], []
        for text in KEYSTROKES:
            t = time.perf_counter()
            model.set_query(text)
            ours.append(time.perf_counter() - t)
        counts = [len(model.order)]
        model.set_query("")
        for text in KEYSTROKES:
            t = time.perf_counter()
            proxy.setFilterFixedString(text)
            theirs.append(time.perf_counter() - t)
        proxy.setFilterFixedString("")
        worst, base = max(ours) * 1000, statistics.median(theirs) * 1000
        worsts.append(worst)
        bases.append(base)
        print(
            f"rep {rep}: " + ", ".join(f"{k!r} {t * 1000:.1f}" for k, t in zip(KEYSTROKES, ours, strict=True))
            + f" ms; slowest {worst:.1f} ms; proxy median {base:.0f} ms; {base / worst:.1f}x; last count {counts}",
            flush=True,
        )  # fmt: skip
    if os.environ.get("BENCH_PROFILE"):  # where a keystroke's time goes
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for text in KEYSTROKES:
            model.set_query(text)
        profile.disable()
        model.set_query("")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    size = sum(p.stat().st_size for p in (cache / "index").glob("*.sqlite3*"))
    print(f"rss {rss_mb():.0f} MB; index on disk {size / 1e6:.1f} MB", flush=True)
    window.close()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    if len(sys.argv) > 2:
        main(n, Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(n, Path(tmp))
