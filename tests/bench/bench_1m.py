"""`make bench-1m`: Curator at 1,000,000 generated articles, beside the same measures at 100,000 in the same run.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_1m.py

Not part of `make test` or `make bench`. The corpora are generated once (tests/bench/common.corpus,
under $CURATOR_BENCH_DIR, default /tmp/curator-bench) and kept; so is each one's index (in
BENCH_DIR/bench-1m-cache/N), built once by a cold open in the background workers, as the app does
(CURATOR_BENCH_FRESH=1 builds it again). Each phase runs in a fresh process of its own (its memory
is that of one editor's session), each wait bounded:

- build: a cold open with no index until the full parse has written the index
  (stopped after CURATOR_BENCH_BUILD_S seconds, default 1500: then the warm rows are not measured);
- warm: re-open from the warm index (whole list shown, checked against the disk), sort by date,
  the six keystrokes of bench_scale (time until the first screenful is shown), scrolling the cards
  fast with thumbnails, and at 1,000,000 a 10,000-article batch publish written and fsynced; the
  heartbeat of bench_scale measures the longest UI stall of each phase, and the peak RSS
  (CURATOR_BENCH_ATTRIBUTE=1: what held each stall over 25 ms, printed by the warm phase).

Each run's batch publishes 10,000 more of the 1M corpus's unpublished articles (the save updates the
index, so the next run's re-open is still warm). The rows are merged into docs/performance.json and
.md by measure name (the rows of `make bench` stay).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import BENCH_DIR, MILLION, SHARED, Row, corpus, print_rows, write_results

#: (smaller sizes through the environment only to try the script out: the rows keep their names)
BIG = int(os.environ.get("CURATOR_BENCH_BIG", "1000000"))
SMALL = int(os.environ.get("CURATOR_BENCH_SMALL", "100000"))
PREFIX = MILLION  # (the names); the rows of `make bench` keep theirs
JPEG = SHARED / "corpus" / "power-apps" / "assets" / "images" / "organizations" / "microsoft.com-400x400.jpg"
KEYSTROKES = ["c", "ch", "chi", "chip", "chip ", "chip s"]
#: rows of a first screenful (a 900-pixel window shows about 35 table rows)
SCREEN = 50
BUILD_S = float(os.environ.get("CURATOR_BENCH_BUILD_S", "1500"))
WARM_S = float(os.environ.get("CURATOR_BENCH_WARM_S", "1800"))


def cache_of(n: int) -> Path:
    return BENCH_DIR / "bench-1m-cache" / str(n)


def disk_bytes(path: Path) -> int:
    """Bytes the path takes on disk (blocks, as `du`), not the sum of file sizes."""
    out = subprocess.run(["du", "-s", "--block-size=1", str(path)], capture_output=True, text=True, timeout=1800)
    return int(out.stdout.split()[0]) if out.returncode == 0 and out.stdout else 0


# -- the phases, each in a process of its own --


def child(phase: str, folder: Path, cache: Path, n: int) -> dict:
    """Run a phase in a fresh process; its result (a dict), or {"error": why}."""
    limit = BUILD_S if phase == "build" else WARM_S
    started = time.perf_counter()
    try:
        out = subprocess.run(
            [sys.executable, __file__, f"--{phase}", str(folder), str(cache), str(n), str(limit)],
            capture_output=True,
            text=True,
            timeout=limit + 300,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"{phase} at {n:,}: no result after {limit + 300:.0f} s (stopped)"}
    lines = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
    if not lines:
        tail = (out.stderr or out.stdout).strip().splitlines()[-5:]
        return {"error": f"{phase} at {n:,} failed ({out.returncode}): {' / '.join(tail)}"}
    result = json.loads(lines[-1][len("RESULT ") :])
    result["process_s"] = time.perf_counter() - started
    print(f"{phase} {n:,}: {json.dumps(result)}", flush=True)
    return result


def build(folder: Path, cache: Path, n: int, limit: float) -> dict:
    """A cold open with no index, until the full parse has written it."""
    from PySide6.QtWidgets import QApplication

    from tests.bench.bench_scale import Heartbeat, make_window, open_marked

    QApplication.instance() or QApplication(sys.argv)
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)
    window = make_window(cache)
    result = open_marked(window, folder, n, Heartbeat(), limit)
    window.close()
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result["finished"] and result["rows"] == n:
        (cache / "built.json").write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), **result}))
    return result


def first_screenful(model, text: str, settle_s: float = 10.0) -> tuple[float, int]:
    """Seconds from a keystroke's query until the first screenful of its results is listed and
    painted (results may arrive in pieces: rows are followed until the count settles); the count."""
    from PySide6.QtWidgets import QApplication

    counts: list[tuple[float, int]] = []

    def changed(*_):
        counts.append((time.perf_counter(), model.rowCount()))

    signals = (model.layoutChanged, model.rowsInserted, model.modelReset)
    for s in signals:
        s.connect(changed)
    started = time.perf_counter()
    model.set_query(text)
    QApplication.processEvents()  # the paint of what the query listed
    returned = time.perf_counter()
    shown_at_return = model.rowCount()
    last, stable_since = model.rowCount(), time.monotonic()
    while time.monotonic() - stable_since < 0.3 and time.monotonic() - started < settle_s:
        QApplication.processEvents()
        time.sleep(0.002)
        if model.rowCount() != last:
            last, stable_since = model.rowCount(), time.monotonic()
    for s in signals:
        s.disconnect(changed)
    want = min(SCREEN, last)
    if shown_at_return >= want:
        return returned - started, last
    later = next((t for t, c in counts if c >= want and t > returned), time.perf_counter())
    return later - started, last


def warm(folder: Path, cache: Path, n: int, limit: float) -> dict:
    """Re-open from the warm index, sort, filter, scroll with thumbnails; at 1M a 10k batch publish."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel
    from PySide6.QtWidgets import QApplication

    from curator.ui.model import COLUMNS
    from tests.bench.bench_scale import Heartbeat, make_window, open_marked, rss_mb, spin, wait_for

    QApplication.instance() or QApplication(sys.argv)
    window = make_window(cache)
    for thumbs in (window.thumbs, window.large_images):
        thumbs.resolve_local = lambda url: JPEG  # every article image decodes a real JPEG
    beat = Heartbeat()
    attribution = attribute(beat)
    result = {"open": open_marked(window, folder, n, beat, limit)}
    attribution.phase("open")
    if not result["open"]["finished"]:
        attribution.report()
        return result
    peak = beat.peak_rss
    spin(0.5)
    model = window.model

    beat.start()
    sorts = []
    for descending in (False, True):
        t = time.perf_counter()
        model.set_sort("date", descending)
        QApplication.processEvents()
        sorts.append(time.perf_counter() - t)
    result["sort_s"] = sorts
    result["sort_stall_ms"] = beat.stop()
    attribution.phase("sort")
    peak = max(peak, beat.peak_rss, rss_mb())
    spin(0.5)

    beat.start()
    keys = []
    for text in KEYSTROKES:
        seconds, count = first_screenful(model, text)
        keys.append([text, seconds, count])
    result["keystrokes"] = keys
    model.set_query("")
    QApplication.processEvents()
    result["filter_stall_ms"] = beat.stop()
    attribution.phase("filter")
    peak = max(peak, beat.peak_rss, rss_mb())
    spin(0.5)

    bar = window.cards.verticalScrollBar()
    beat.start()
    step = max(1, bar.maximum() // 300)
    for i in range(300):
        bar.setValue(i * step)
        spin(0.01)
    spin(1.0)
    result["scroll_stall_ms"] = beat.stop()
    attribution.phase("scroll")
    peak = max(peak, beat.peak_rss, rss_mb())
    result["browse_peak_mb"] = peak

    if n >= BIG:  # a 10,000-article batch publish, as bench_scale does it at 21,000
        window.search.setText("published:no")
        window.apply_search()
        model.complete()  # (a long result comes in pieces: every row listed, as select all does)
        count = min(10_000, model.rowCount())
        selection = QItemSelection(model.index(0, 0), model.index(count - 1, len(COLUMNS) - 1))
        beat.start()
        window.selection.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        spin(0.3)
        t = time.perf_counter()
        window.request_edit("published", "set", True)
        editing = window.editing
        deadline = time.monotonic() + 600
        while (editing.planning.busy or editing.slices.busy) and time.monotonic() < deadline:
            QApplication.processEvents()
        edit_s = time.perf_counter() - t
        spin(0.3)
        t = time.perf_counter()
        window.save()
        saved = wait_for(window.saved, 900)
        save_s = time.perf_counter() - t
        result["batch"] = {
            "count": count,
            "edit_s": edit_s,
            "save_s": save_s,
            "saved": saved,
            "stall_ms": beat.stop(),
            "peak_mb": beat.peak_rss,
        }
        attribution.phase("publish")
    attribution.report()
    window.workspace.pending.clear()
    window.close()
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


class _Unattributed:
    def phase(self, name: str) -> None:
        pass

    def report(self) -> None:
        pass


class _Attributed:
    """bench_scale.Attribution over the warm phase (CURATOR_BENCH_ATTRIBUTE=1): what held each
    stall over 25 ms, printed (to stderr) before the result."""

    def __init__(self, beat):
        from tests.bench.bench_scale import Attribution

        beat.keep_stalls = True
        self.beat, self.attribution = beat, Attribution(beat)

    def phase(self, name: str) -> None:
        self.attribution.phase(name)

    def report(self) -> None:
        import threading

        self.attribution.close()
        stalls = [s for s in self.beat.stalls if s[1] - s[0] > self.attribution.LATE]
        print(self.attribution.report(stalls, threading.main_thread().ident), file=sys.stderr, flush=True)


def attribute(beat):
    return _Attributed(beat) if os.environ.get("CURATOR_BENCH_ATTRIBUTE") else _Unattributed()


# -- the rows --


def _ratio(big: float, small: float) -> str:
    return f"{big / small:.1f}x the 100k figure" if small > 0 else "—"


def rows_of(built: dict, b: dict, s: dict, disk: dict) -> list[Row]:
    """The issue's 1M rows, each beside the same measure at 100k in this run."""
    rows: list[Row] = []
    if built:  # measured when the index was built (this run or an earlier one: its date says)
        rows.append(
            Row(
                f"{PREFIX}cold open (no index): complete, index written in the background",
                built["done"],
                "s",
                "—",
                f"built {built.get('date', 'now')}; 100k: {built.get('small_done', 0):.1f} s",
                f"whole list shown at {built['shown']:.1f} s; longest stall {built['stall_ms']} ms; "
                f"peak RSS {built['peak_mb']:.0f} MB (workers {built.get('children_maxrss_mb', 0):.0f} MB)",
                None,
            )
        )
    rows.append(
        Row(
            f"{PREFIX}corpus and index on disk",
            (disk["corpus"] + disk["index"]) / 1e9,
            "GB",
            "fits this machine's disk",
            f"corpus {disk['corpus'] / 1e9:.2f} GB, index {disk['index'] / 1e9:.2f} GB",
            f"{disk['free'] / 1e9:.0f} GB left free",
            disk["free"] > 0,
        )
    )
    if "error" in b or "error" in s:
        why = b.get("error") or s.get("error")
        rows.append(Row(f"{PREFIX}not measured", 0, "", "—", why, "—", False))
        return rows
    bo, so = b["open"], s["open"]
    if not bo["finished"]:
        rows.append(
            Row(
                f"{PREFIX}re-open with a warm index: whole list shown",
                bo["done"],
                "s",
                "≤ 10 s",
                "—",
                f"not finished after {bo['done']:.0f} s (stopped)",
                False,
            )
        )
        return rows
    shown, base = bo["shown"], so["shown"]
    rows.append(
        Row(
            f"{PREFIX}re-open with a warm index: whole list shown",
            shown,
            "s",
            "≤ 12x the same run's 100k figure, and ≤ 10 s",
            f"100k {base:.2f} s",
            _ratio(shown, base),
            shown <= 12 * base and shown <= 10,
        )
    )
    rows.append(
        Row(
            f"{PREFIX}re-open with a warm index: checked against the disk",
            bo["done"],
            "s",
            "—",
            f"100k {so['done']:.2f} s",
            _ratio(bo["done"], so["done"]),
            None,
        )
    )
    sort_s, sort_base = max(b["sort_s"]), max(s["sort_s"])
    rows.append(
        Row(
            f"{PREFIX}sort by date (slower of ascending, descending)",
            sort_s,
            "s",
            "≤ 1 s",
            f"100k {sort_base * 1000:.0f} ms",
            _ratio(sort_s, sort_base),
            sort_s <= 1,
        )
    )
    worst = max(k[1] for k in b["keystrokes"]) * 1000
    worst_base = max(k[1] for k in s["keystrokes"]) * 1000
    rows.append(
        Row(
            f"{PREFIX}filter per keystroke, first screenful shown (slowest of 6)",
            worst,
            "ms",
            "≤ 150 ms",
            f"100k {worst_base:.0f} ms",
            _ratio(worst, worst_base),
            worst <= 150,
        )
    )
    peak, peak_base = b["browse_peak_mb"], s["browse_peak_mb"]
    rows.append(
        Row(
            f"{PREFIX}peak RSS browsing (re-open, sort, filter, scroll with thumbnails)",
            peak,
            "MB",
            "≤ 700 MB",
            f"100k {peak_base:.0f} MB",
            f"{peak / peak_base:.1f}x the 100k figure; while opening {bo['peak_mb']:.0f} MB",
            peak <= 700,
        )
    )
    stalls = [
        ("warm re-open", bo["stall_ms"], so["stall_ms"]),
        ("scrolling fast with thumbnails", b["scroll_stall_ms"], s["scroll_stall_ms"]),
        ("filtering (the six keystrokes)", b["filter_stall_ms"], s["filter_stall_ms"]),
        ("sorting by date", b["sort_stall_ms"], s["sort_stall_ms"]),
    ]
    batch = b.get("batch")
    if batch:
        stalls.append((f"a {batch['count'] // 1000}k batch publish", batch["stall_ms"], None))
    for what, stall, base_stall in stalls:
        target = what != "sorting by date"  # (the list; sorting's own target is ≤ 1 s)
        rows.append(
            Row(
                f"{PREFIX}longest UI stall during {what}",
                stall,
                "ms",
                "≤ 50 ms" if target else "—",
                f"100k {base_stall} ms" if base_stall is not None else "—",
                "—",
                stall <= 50 if target else None,
            )
        )
    if batch:
        rows.append(
            Row(
                f"{PREFIX}batch publish of {batch['count']:,} files, written and fsynced",
                batch["save_s"],
                "s",
                "—",
                f"edit step {batch['edit_s'] * 1000:.0f} ms",
                "saved" if batch["saved"] else "not saved in 900 s",
                None,
            )
        )
    return rows


def run() -> list[Row]:
    free = shutil.disk_usage(BENCH_DIR.parent if not BENCH_DIR.exists() else BENCH_DIR).free
    print(f"{free / 1e9:.0f} GB free under {BENCH_DIR}", flush=True)
    small, big = corpus(SMALL), corpus(BIG)
    fresh = bool(os.environ.get("CURATOR_BENCH_FRESH"))
    built: dict = {}
    built_small: dict = {}
    for n, folder in ((SMALL, small), (BIG, big)):
        marker = cache_of(n) / "built.json"
        if fresh or not marker.exists():
            result = child("build", folder, cache_of(n), n)
            if n == BIG:
                built = dict(result, date=time.strftime("%Y-%m-%d"))
            else:
                built_small = result
            if "error" in result or not marker.exists():
                print(f"index at {n:,} not built: {result}", flush=True)
        elif n == SMALL:
            built_small = json.loads(marker.read_text())
        if n == BIG and not built and marker.exists():
            built = json.loads(marker.read_text())
    if built and "small_done" not in built and "done" in built_small:
        built["small_done"] = built_small["done"]
    s = child("warm", small, cache_of(SMALL), SMALL)
    b = child("warm", big, cache_of(BIG), BIG) if (cache_of(BIG) / "built.json").exists() else {}
    if not b:
        b = {"error": f"the index at 1,000,000 was not built within {BUILD_S:.0f} s: {built}"}
    disk = {
        "corpus": disk_bytes(big),
        "index": disk_bytes(cache_of(BIG)),
        "free": shutil.disk_usage(BENCH_DIR).free,
    }
    print(f"disk: {json.dumps(disk)}", flush=True)
    return rows_of(built if "done" in built else {}, b, s, disk)


def main() -> int:
    rows = run()
    print_rows(rows)
    write_results(rows, keep=lambda measure: True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] in (["--build"], ["--warm"]):
        phase = build if sys.argv[1] == "--build" else warm
        folder, cache, n, limit = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
        print("RESULT " + json.dumps(phase(folder, cache, n, limit)), flush=True)
        os._exit(0)  # (the workers of a load cut short do not hold the process)
    sys.exit(main())
