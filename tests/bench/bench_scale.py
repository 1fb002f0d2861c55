"""Curator at 100,000 generated articles, each figure beside a baseline from the same run.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_scale.py [N]
    QT_QPA_PLATFORM=offscreen python tests/bench/bench_scale.py --browse-only [N [CACHE]]
    QT_QPA_PLATFORM=offscreen python tests/bench/bench_scale.py --grouping-only [N [CACHE]]
    QT_QPA_PLATFORM=offscreen python tests/bench/bench_scale.py --publish-only [CACHE [RUNS]] [--attribute]

(--browse-only: the browsing rows alone, from an index kept in CACHE, made by one cold open
the first time: a minute, not the whole bench, per memory figure. --grouping-only: the window's
first grouping of duplicate stories after a warm open, the same way. --publish-only: the 10,000-article
batch publish and the Edit Field… heat step at 21,000 articles, opened from a warm index, on a
fresh copy of the corpus each run; --attribute says what held each stall over 25 ms.)

Drives the real main window offscreen: cold and warm opens, filtering per keystroke and
sorting (beside QSortFilterProxyModel over the same model), memory and UI-thread stalls
while scrolling with thumbnails, and a 10,000-file batch publish written and fsynced.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import (
    QElapsedTimer,
    QEventLoop,
    QItemSelection,
    QItemSelectionModel,
    QSettings,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication

from curator.core.folder import fields
from curator.ui.mainwindow import MainWindow
from curator.ui.model import COLUMNS
from curator.ui.settings import Settings
from tests.bench.common import ROOT, Row, corpus, frontmatter_load, print_rows, process_mb

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
JPEG = (
    ROOT.parent
    / "shared"
    / "corpus"
    / "power-apps"
    / "assets"
    / "images"
    / "organizations"
    / "microsoft.com-400x400.jpg"
)


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Heartbeat:
    """A 5 ms timer on the GUI thread: the longest gap between ticks is the longest stall.
    `cpu_longest` is the most CPU time the GUI thread itself took between two ticks (ms): what
    a loaded machine (another process on the cores, whose time counts in the gaps) leaves out
    (and a wait for the GIL another thread held). `lap` and `lap_cpu` give both since the last
    lap; `stalls` keeps the gaps over 25 ms when asked (see Attribution)."""

    def __init__(self, interval_ms: int = 5):
        self.interval = interval_ms
        self.timer = QTimer(interval=interval_ms, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.ticks = 0
        self.peak_rss = 0.0
        self.cpu_longest = 0.0
        self._cpu = 0.0
        self.last = time.perf_counter()  # of the last tick (see Attribution)
        self.running = False
        self.lap_longest = 0
        self.lap_longest_cpu = 0.0
        self.keep_stalls = False
        self.stalls: list[tuple[float, float]] = []  # (start, end) of gaps over 25 ms, when kept

    def _tick(self) -> None:
        gap = self.clock.restart()
        now = time.perf_counter()
        if self.keep_stalls and gap > 25:
            self.stalls.append((self.last, now))
        self.last = now
        self.longest = max(self.longest, gap)
        self.lap_longest = max(self.lap_longest, gap)
        cpu, self._cpu = self._cpu, time.thread_time()
        self.cpu_longest = max(self.cpu_longest, (self._cpu - cpu) * 1000)
        self.lap_longest_cpu = max(self.lap_longest_cpu, (self._cpu - cpu) * 1000)
        self.ticks += 1
        if self.ticks % 20 == 0:
            self.peak_rss = max(self.peak_rss, rss_mb())

    def start(self) -> None:
        self.longest, self.cpu_longest, self._cpu = 0, 0.0, time.thread_time()
        self.lap_longest, self.lap_longest_cpu = 0, 0.0
        self.peak_rss = rss_mb()
        self.clock.start()
        self.last = time.perf_counter()
        self.running = True
        self.timer.start()

    def lap(self) -> int:
        """The longest stall since start or the last lap (ms)."""
        longest, self.lap_longest = self.lap_longest, 0
        return max(0, longest - self.interval)

    def lap_cpu(self) -> int:
        """The most CPU time the GUI thread took between two ticks since start or the last lap_cpu (ms)."""
        longest, self.lap_longest_cpu = self.lap_longest_cpu, 0.0
        return round(longest)

    def stop(self) -> int:
        self.timer.stop()
        self.running = False
        return max(0, self.longest - self.interval)


def wait_for(signal, timeout_s: float) -> bool:
    loop = QEventLoop()
    fired = []
    signal.connect(lambda *a: (fired.append(a), loop.quit()))
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    return bool(fired)


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.002)


def make_window(cache: Path) -> MainWindow:
    settings = Settings(QSettings(str(cache / "settings.ini"), QSettings.Format.IniFormat))
    settings["files/watch_seconds"] = 3600
    settings["editing/confirm_batch_over"] = 10**9
    window = MainWindow(settings, cache_dir=cache, network=False)
    window.resize(1400, 900)
    window.show()
    return window


def open_marked(window: MainWindow, folder: Path, expected: int, beat: Heartbeat, limit_s: float = 600) -> dict:
    """Open the folder (waiting `limit_s` at most): seconds to the first rows ("first"), to every
    row shown ("shown"), to the end of loading ("done"); the longest stall (ms) and the peak RSS
    meanwhile; whether the load ended in time ("finished") and the rows listed."""
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def inserted(*_):
        now = time.perf_counter() - started
        if window.model.rowCount() > 0:
            marks.setdefault("first", now)
        if window.model.rowCount() >= expected:
            marks.setdefault("all", now)

    window.model.rowsInserted.connect(inserted)
    window.model.modelReset.connect(inserted)
    beat.start()
    window.open_folder(str(folder), force=True)
    finished = wait_for(window.loaded, limit_s)
    done = time.perf_counter() - started
    stall = beat.stop()
    window.model.rowsInserted.disconnect(inserted)
    window.model.modelReset.disconnect(inserted)
    return {
        "first": marks.get("first", done),
        "shown": marks.get("all", done),
        "done": done,
        "stall_ms": stall,
        "peak_mb": beat.peak_rss,
        "finished": finished,
        "rows": window.model.rowCount(),
    }


def open_timed(window: MainWindow, folder: Path, expected: int, beat: Heartbeat) -> tuple[float, float, float, int]:
    """Seconds to the first rows, to every row shown, to the end of loading; longest stall (ms)."""
    marked = open_marked(window, folder, expected, beat)
    return marked["first"], marked["shown"], marked["done"], marked["stall_ms"]


def read_floor(folder: Path) -> float:
    """Seconds to list the folder and read every file's bytes, one after another: no parser
    can load the folder faster than this (the page cache is as warm as for the loads)."""
    started = time.perf_counter()
    for entry in os.scandir(folder):
        if entry.name.endswith((".md", ".markdown", ".txt")):
            fd = os.open(entry.path, os.O_RDONLY)  # as Curator reads (snapshots.read_file_stat), and no slower
            try:
                os.read(fd, os.fstat(fd).st_size + 1)
            finally:
                os.close(fd)
    return time.perf_counter() - started


def run(n: int = 100_000, suffix: str = "") -> list[Row]:
    """Every row of the issue's ratio targets, each beside its baseline from this run; `suffix`
    names the conditions (", one core busy") in each measure."""
    app = QApplication.instance() or QApplication(sys.argv)
    big = corpus(n)
    rows: list[Row] = []

    fm_seconds, fm_count = frontmatter_load(big)
    fm = f"python-frontmatter {fm_seconds:.1f} s"
    print(f"baseline: python-frontmatter loaded {fm_count:,} files in {fm_seconds:.1f} s", flush=True)
    floor = read_floor(big)
    slow = fm_seconds >= 60  # the absolute limits hold on runs this slow (see the targets)
    rows.append(
        Row(
            f"read every file's bytes (the floor){suffix}",
            floor,
            "s",
            "—",
            fm,
            f"{fm_seconds / floor:.0f}x faster",
            None,
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        window = make_window(cache)
        beat = Heartbeat()

        first, shown, done, stall_cold = open_timed(window, big, n, beat)
        rows.append(
            Row(
                f"cold open (no index): first screen{suffix}",
                first,
                "s",
                "≤ 1/50 of python-frontmatter",
                fm,
                f"{fm_seconds / first:.0f}x faster",
                first <= fm_seconds / 50,
            )
        )
        rows.append(
            Row(
                f"cold open (no index): complete{suffix}",
                shown,
                "s",
                "≥ 10x python-frontmatter",  # (issue 33 withdrew round two's "≤ 3x the floor")
                f"{fm}; floor {floor:.2f} s",
                f"{fm_seconds / shown:.1f}x faster; {shown / floor:.1f}x the floor",
                fm_seconds / shown >= 10,
            )
        )
        rows.append(  # every file listed from the list-fields reader; the full parse then checks them
            Row(
                f"cold open: full parse done in the background, index written{suffix}",
                done,
                "s",
                "—",
                fm,
                f"{fm_seconds / done:.1f}x faster",
                None,
            )
        )
        rows.append(
            Row(f"longest UI stall during a cold open{suffix}", stall_cold, "ms", "≤ 50 ms", "—", "—", stall_cold <= 50)
        )

        first, shown, done, stall_warm = open_timed(window, big, n, beat)
        rows.append(
            Row(
                f"re-open with a warm index: whole list shown{suffix}",
                shown,
                "s",
                "≥ 60x python-frontmatter",
                fm,
                f"{fm_seconds / shown:.0f}x faster",
                fm_seconds / shown >= 60,
            )
        )
        rows.append(
            Row(
                f"re-open with a warm index: checked against the disk{suffix}",
                done,
                "s",
                "—",
                fm,
                f"{fm_seconds / done:.0f}x faster",
                None,
            )
        )
        rows.append(
            Row(
                f"longest UI stall during a warm re-open{suffix}",
                stall_warm,
                "ms",
                "≤ 50 ms",
                "—",
                "—",
                stall_warm <= 50,
            )
        )

        # filtering and sorting: the model's index list against a proxy over the same model, once
        # the gram index of the search text is built (worker processes, after the load: grams.py)
        model = window.model
        waited = time.perf_counter()
        while not model.search_ready() and time.perf_counter() - waited < 900:
            spin(0.2)
        print(f"search index ready {time.perf_counter() - waited:.1f} s after the load", flush=True)
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        proxy.setFilterKeyColumn(COLUMNS.index("title"))
        keystrokes = ["c", "ch", "chi", "chip", "chip ", "chip s"]
        ours, theirs = [], []
        for text in keystrokes:
            t = time.perf_counter()
            model.set_query(text)
            ours.append(time.perf_counter() - t)
        model.set_query("")
        for text in keystrokes:
            t = time.perf_counter()
            proxy.setFilterFixedString(text)
            theirs.append(time.perf_counter() - t)
        proxy.setFilterFixedString("")
        worst, base = max(ours) * 1000, statistics.median(theirs) * 1000
        rows.append(
            Row(
                f"filter per keystroke (slowest of 6){suffix}",
                worst,
                "ms",
                "≥ 50x the proxy in the same run",
                f"proxy median {base:.0f} ms",
                f"{base / worst:.1f}x faster",
                base / worst >= 50,
            )
        )
        # the proxy above reads each title through our model's data(), which fetches rows the
        # window does not hold from the index: a proxy over titles held in memory, for fairness
        titles = QStringListModel([s.title for s in window.workspace.summaries(range(len(window.workspace)))])
        resident = QSortFilterProxyModel()
        resident.setSourceModel(titles)
        resident.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        held = []
        for text in keystrokes:
            t = time.perf_counter()
            resident.setFilterFixedString(text)
            held.append(time.perf_counter() - t)
        resident.setSourceModel(None)
        del titles
        held_base = statistics.median(held) * 1000
        rows.append(
            Row(
                f"filter per keystroke, against a proxy over the titles held in memory{suffix}",
                worst,
                "ms",
                "—",
                f"proxy median {held_base:.0f} ms",
                f"{held_base / worst:.1f}x faster",
                None,
            )
        )
        t = time.perf_counter()
        model.set_sort("date", False)
        model.set_sort("date", True)
        sort_ms = (time.perf_counter() - t) / 2 * 1000
        t = time.perf_counter()
        proxy.sort(COLUMNS.index("date"), Qt.SortOrder.AscendingOrder)
        proxy.sort(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
        proxy_ms = (time.perf_counter() - t) / 2 * 1000
        proxy.setSourceModel(None)
        rows.append(
            Row(
                f"sort by date{suffix}",
                sort_ms,
                "ms",
                "≥ 300x the proxy; ≤ 100 ms when python-frontmatter takes ≥ 60 s",
                f"proxy {proxy_ms:.0f} ms",
                f"{proxy_ms / sort_ms:.0f}x faster",
                proxy_ms / sort_ms >= 300 and (sort_ms <= 100 or not slow),
            )
        )

        window.close()
        # browsing: a fresh process opens the folder from the warm index and scrolls with thumbnails,
        # so its memory is that of an editor's session, not of the cold open measured above
        out = subprocess.run(
            [sys.executable, __file__, "--browse", str(big), str(cache)], capture_output=True, text=True, timeout=900
        )
        peak_open, peak, stall_scroll = (float(x) for x in out.stdout.split()[-3:])
        rows.append(
            Row(f"peak RSS while browsing with thumbnails{suffix}", peak, "MB", "≤ 300 MB", "—", "—", peak <= 300)
        )
        rows.append(  # (the same figure against issue 33's target; the row above is round two's, still to hold)
            Row(
                f"peak RSS while browsing with thumbnails, issue 33's target{suffix}",
                peak,
                "MB",
                "≤ 220 MB",
                "—",
                "—",
                peak <= 220,
            )
        )
        rows.append(  # (the same process before it scrolls: the open's temporaries, freed once it is done)
            Row(
                f"peak RSS while that process opens the folder from the warm index{suffix}",
                peak_open,
                "MB",
                "≤ 300 MB",
                "—",
                "—",
                peak_open <= 300,
            )
        )
        rows.append(
            Row(
                f"longest UI stall while scrolling fast with thumbnails{suffix}",
                stall_scroll,
                "ms",
                "≤ 50 ms",
                "—",
                "—",
                stall_scroll <= 50,
            )
        )

        # a 10,000-article batch publish, written and fsynced (a cold open of a fresh folder)
        queue = corpus(21_000, seed=2, fresh=True)
        window = make_window(cache)
        open_timed(window, queue, 21_000, beat)
        got = batch_publish(window, queue, beat)
        count, edit_s, save_s, stall_batch = got["count"], got["edit_s"], got["save_s"], got["stall_ms"]
        field_s, field_save_s, stall_field = got["field_s"], got["field_save_s"], got["field_stall_ms"]
        rows.append(
            Row(
                f"batch publish of {count:,} files, written and fsynced{suffix}",
                save_s,
                "s",
                "≤ 1/3 of python-frontmatter's load",
                f"{fm}; edit step {edit_s * 1000:.0f} ms",
                f"{fm_seconds / save_s:.1f}x faster",
                save_s <= fm_seconds / 3 and count == 10_000,
            )
        )
        rows.append(
            Row(
                f"longest UI stall during a 10k batch publish{suffix}",
                stall_batch,
                "ms",
                "≤ 50 ms",
                "—",
                "—",
                stall_batch <= 50,
            )
        )
        print(f"({got['written']:,} files now say published: true)", flush=True)
        rows.append(
            Row(
                f"Edit Field… of {got['field_count']:,} articles (heat), pending{suffix}",
                field_s,
                "s",
                "≤ 1 s",
                f"longest stall {stall_field} ms",
                "—",
                field_s <= 1 and got["field_count"] == 10_000,
            )
        )
        rows.append(
            Row(
                f"Edit Field… of 10k articles (heat), written and fsynced{suffix}",
                field_save_s,
                "s",
                "≤ the 10k batch publish's save",
                f"batch publish {save_s:.2f} s",
                f"{save_s / field_save_s:.2f}x",
                field_save_s <= save_s,
            )
        )
        window.workspace.pending.clear()
        window.close()
    print(f"process peak RSS (all phases): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    app.processEvents()
    return rows


def batch_publish(window: MainWindow, queue: Path, beat: Heartbeat, phase: Any = None) -> dict:
    """The 10,000-article batch publish and the Edit Field… heat step on the folder open in
    `window` (a fresh copy of the 21,000-article corpus): seconds of the edit step and of the
    save, the longest stall of each (ms) and of the whole, as the rows of run() give them.
    (`phase(name)` is called as each phase ends: see Attribution.phase.)"""
    phase = phase or (lambda name: None)
    window.search.setText("published:no")
    window.apply_search()
    count = min(10_000, window.model.rowCount())
    selection = QItemSelection(window.model.index(0, 0), window.model.index(count - 1, len(COLUMNS) - 1))
    # select, publish and save as an editor does: three key presses, each its own event
    # (the edit is planned and applied a slice per event-loop turn; it is timed until done)
    beat.start()
    window.selection.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    spin(0.3)
    t = time.perf_counter()
    window.request_edit("published", "set", True)
    editing = window.editing
    while editing.planning.busy or editing.slices.busy:
        QApplication.processEvents()
    edit_s = time.perf_counter() - t
    spin(0.3)
    edit_stall, edit_cpu = beat.lap(), beat.lap_cpu()
    phase("publish: select and edit")
    t = time.perf_counter()
    window.save()
    wait_for(window.saved, 600)
    save_s = time.perf_counter() - t
    save_stall, save_cpu = beat.lap(), beat.lap_cpu()
    phase("publish: save")
    stall, stall_cpu = beat.stop(), round(beat.cpu_longest)
    written = sum(1 for p in queue.iterdir() if b"published: true" in p.read_bytes())

    # Edit Field… of a key the list does not keep (heat) on the same 10,000: planned as an
    # unsaved step (the files are read in a worker first, as the dialog does), then saved
    workspace, chosen = window.workspace, window.browsing.selected_rows()
    reads = fields.read(str(queue), [workspace.path(r) for r in chosen])
    beat.start()
    t = time.perf_counter()
    workspace.learn("heat", {r.path: r.value("heat") for r in reads})
    planned = workspace.plan_field(chosen, "heat", fields.FieldEdit(fields.Op.SET, 7))
    editing.submit(planned.step, "Edit heat")
    while editing.planning.busy or editing.slices.busy:
        QApplication.processEvents()
    field_s = time.perf_counter() - t
    spin(0.3)
    field_edit_stall, field_edit_cpu = beat.lap(), beat.lap_cpu()
    phase("heat: edit")
    t = time.perf_counter()
    window.save()
    wait_for(window.saved, 600)
    field_save_s = time.perf_counter() - t
    field_save_stall, field_save_cpu = beat.lap(), beat.lap_cpu()
    phase("heat: save")
    field_stall, field_stall_cpu = beat.stop(), round(beat.cpu_longest)
    del reads
    heat = sum(1 for p in queue.iterdir() if b"heat: 7" in p.read_bytes())
    return {
        "count": count, "edit_s": edit_s, "save_s": save_s, "stall_ms": stall, "edit_stall_ms": edit_stall,
        "save_stall_ms": save_stall, "written": written, "field_count": len(chosen), "field_s": field_s,
        "field_save_s": field_save_s, "field_stall_ms": field_stall, "field_edit_stall_ms": field_edit_stall,
        "field_save_stall_ms": field_save_stall, "heat_written": heat, "stall_cpu_ms": stall_cpu,
        "edit_cpu_ms": edit_cpu, "save_cpu_ms": save_cpu, "field_stall_cpu_ms": field_stall_cpu,
        "field_edit_cpu_ms": field_edit_cpu, "field_save_cpu_ms": field_save_cpu,
    }  # fmt: skip


class Attribution:
    """Who stalled the GUI thread (--publish-only --attribute): a watchdog thread samples every
    thread's stack (sys._current_frames) while the heartbeat is over LATE late, with each
    thread's CPU time from /proc meanwhile (a C call holding the GIL keeps the watchdog out
    too: the CPU says which thread ran); each Tasks job's pool, function, wall and CPU time;
    and the cyclic collections longer than 5 ms (gc.callbacks), with their thread."""

    LATE = 0.025

    def __init__(self, beat: Heartbeat):
        import gc
        import threading

        from curator.ui import tasks

        self.beat, self.stop_event = beat, threading.Event()
        self.samples: list[tuple[float, float, dict[str, list[str]]]] = []
        self.cpu: list[tuple[float, dict[str, float]]] = []  # (time, thread name -> CPU seconds)
        self.jobs: list[tuple[str, str, float, float, float]] = []  # pool, function, start, end, CPU
        self.collections: list[tuple[int, str, float, float, int]] = []
        self._gc_started: dict[int, float] = {}
        self.names: dict[int, str] = {}  # native thread id -> pool name (Tasks jobs)
        original = self.original = tasks.Tasks.run
        attribution = self

        def run(self_, func, *args, **kwargs):
            name = self_.pool.objectName()
            label = getattr(func, "__qualname__", repr(func))

            def timed(progress):
                attribution.names[threading.get_native_id()] = name
                start, cpu = time.perf_counter(), time.thread_time()
                try:
                    return func(progress)
                finally:
                    attribution.jobs.append((name, label, start, time.perf_counter(), time.thread_time() - cpu))

            return original(self_, timed, *args, **kwargs)

        tasks.Tasks.run = run

        def collected(phase, info):
            ident = threading.get_ident()
            if phase == "start":
                self._gc_started[ident] = time.perf_counter()
            elif ident in self._gc_started:
                start = self._gc_started.pop(ident)
                if time.perf_counter() - start > 0.005:
                    walked = len(gc.get_objects(info["generation"])) if info["generation"] == 2 else -1
                    self.collections.append((info["generation"], threading.current_thread().name, start,
                                             time.perf_counter(), walked))  # fmt: skip

        gc.callbacks.append(collected)
        # GUI-thread work timed (thread CPU time: the machine's load left out): count, total, longest
        self.turns: dict[str, list[float]] = {}
        self.phases: list[tuple[str, dict[str, list[float]]]] = []
        self.patched: list[tuple[Any, str, Any]] = []
        from curator.core.folder.workspace import Workspace
        from curator.ui import editor, slices
        from curator.ui.mainwindow import browsing, stories, window

        for owner, name in [(slices.Slices, "_turn"), (editor.EditorPanel, "show_selection"),
                            (editor.EditorPanel, "_show_chips"), (Workspace, "brief"),
                            (window.MainWindow, "_values_changed"), (window.MainWindow, "_show_selection"),
                            (browsing.Browsing, "count_facets"), (stories.Stories, "_changed"),
                            (stories.Stories, "_mark"), (window.MainWindow, "_saved")]:  # fmt: skip
            self._time(owner, name)
        from curator.core.folder import index, saving

        for owner, name in [(index.Index, "store"), (saving, "commit_many"), (saving, "sync_dir")]:
            self._time(owner, name, anywhere=True)  # (the save's parts, in its thread)
        self.thread = threading.Thread(target=self._watch, name="watchdog", daemon=True)
        self.thread.start()

    def phase(self, name: str) -> None:
        """The timed work of the phase that ends, kept apart (see report)."""
        self.phases.append((name, self.turns))
        self.turns = {}

    def _time(self, owner: Any, name: str, anywhere: bool = False) -> None:
        """Time owner.name on the GUI thread (or `anywhere`: then wall time, not CPU)."""
        import threading

        original = getattr(owner, name)
        label = f"{owner.__name__}.{name}"
        main = threading.main_thread()
        clock = time.perf_counter if anywhere else time.thread_time

        def timed(*args, **kwargs):
            if threading.current_thread() is not main and not anywhere:
                return original(*args, **kwargs)
            cpu = clock()
            try:
                return original(*args, **kwargs)
            finally:
                used = (clock() - cpu) * 1000
                entry = self.turns.setdefault(label, [0, 0.0, 0.0])
                entry[0] += 1
                entry[1] += used
                entry[2] = max(entry[2], used)

        setattr(owner, name, timed)
        self.patched.append((owner, name, original))

    def _thread_cpu(self) -> dict[str, float]:
        out = {}
        tick = os.sysconf("SC_CLK_TCK")
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields_ = stat[stat.rindex(")") + 2 :].split()
            name = self.names.get(int(tid), comm) + f"/{tid}"
            out[name] = (int(fields_[11]) + int(fields_[12])) / tick
        return out

    def _watch(self) -> None:
        import traceback

        last_cpu = 0.0
        while not self.stop_event.wait(0.002):
            now = time.perf_counter()
            if now - last_cpu > 0.01:
                self.cpu.append((now, self._thread_cpu()))
                last_cpu = now
            late = now - self.beat.last
            if self.beat.running and late > self.LATE:
                frames = sys._current_frames()  # noqa: SLF001 (the one way to see every thread's stack)
                stacks = {}
                for ident, frame in frames.items():
                    stack = traceback.extract_stack(frame)[-8:]
                    stacks[str(ident)] = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack]
                self.samples.append((now, late, stacks))

    def close(self) -> None:
        import gc

        from curator.ui import tasks

        self.stop_event.set()
        self.thread.join()
        gc.callbacks.clear()
        tasks.Tasks.run = self.original
        for owner, name, original in self.patched:
            setattr(owner, name, original)

    def report(self, stalls: list[tuple[float, float]], main: int) -> str:
        """For each stall (start, end: perf_counter seconds): samples of the main thread and the
        other busy threads, jobs and collections that overlap it, the CPU of each thread."""
        import gc

        out = []
        for name, turns in self.phases:
            timed = "; ".join(f"{k} x{n} total {t:.0f} longest {m:.0f}" for k, (n, t, m) in turns.items())
            out.append(f"{name}: work timed (ms, GUI thread's CPU; the save's parts wall): {timed}")
        for start, end in stalls:
            out.append(f"== stall {1000 * (end - start):.0f} ms at {start:.3f}")
            before = [c for t, c in self.cpu if t <= start + 0.003]
            after = [c for t, c in self.cpu if t >= end]
            if before and after:
                a, b = before[-1], after[0]
                used = sorted(((b[k] - a.get(k, 0.0), k) for k in b), reverse=True)
                out.append("   CPU: " + ", ".join(f"{k} {1000 * v:.0f} ms" for v, k in used if v > 0))
            for pool, label, s, e, cpu in self.jobs:
                if s < end and e > start:
                    out.append(f"   job {pool}: {label} {1000 * (e - s):.0f} ms wall, {1000 * cpu:.0f} ms CPU")
            for gen, thread, s, e, walked in self.collections:
                if s < end and e > start:
                    out.append(f"   gc gen {gen} in {thread}: {1000 * (e - s):.0f} ms"
                               + (f" ({walked:,} objects left in gen 2, {gc.get_freeze_count():,} frozen)"
                                  if walked >= 0 else ""))  # fmt: skip
            seen = set()
            for t, late, stacks in self.samples:
                if start <= t <= end + 0.01:
                    for ident, stack in stacks.items():
                        key = (ident, tuple(stack))
                        if key in seen or "_watch" in " ".join(stack):
                            continue
                        seen.add(key)
                        who = "GUI" if int(ident) == main else ident
                        out.append(f"   [{who} late {1000 * late:.0f} ms] " + " < ".join(reversed(stack)))
        return "\n".join(out)


def publish(folder: Path, cache: Path, attribute: bool = False) -> None:
    """Open `folder` from the warm index in `cache`, then batch_publish; print its figures as
    JSON on the last line (with `attribute`, what each stall over 25 ms was, before it)."""
    import json
    import threading

    QApplication.instance() or QApplication(sys.argv)
    window = make_window(cache)
    beat = Heartbeat()
    open_timed(window, folder, 21_000, beat)
    beat.keep_stalls = True
    attribution = Attribution(beat) if attribute else None
    got = batch_publish(window, folder, beat, attribution.phase if attribution is not None else None)
    if attribution is not None:
        attribution.close()
        print(attribution.report([s for s in beat.stalls if s[1] - s[0] > 0.025], threading.main_thread().ident))
    window.workspace.pending.clear()
    window.close()
    print(json.dumps(got), flush=True)


def publish_index(folder: Path, cache: Path) -> None:
    """A cold open of `folder` with its index (and its search grams) written to `cache`."""
    QApplication.instance() or QApplication(sys.argv)
    window = make_window(cache)
    open_timed(window, folder, 21_000, Heartbeat())
    waited = time.perf_counter()
    while not window.model.search_ready() and time.perf_counter() - waited < 900:
        spin(0.2)
    window.close()


def publish_only(cache: Path, runs: int = 1, attribute: bool = False) -> str:
    """batch_publish's figures, each run on a fresh copy of the 21,000-article corpus (kept in
    CACHE/pristine, generated the first time) opened from a warm index (a cold open in another
    process writes it first); a process of its own per run."""
    import json
    import shutil

    from tests.bench.common import GENERATOR

    pristine, folder, state = cache / "pristine", cache / "articles", cache / "state"
    if not pristine.is_dir() or len(os.listdir(pristine)) != 21_000:
        shutil.rmtree(pristine, ignore_errors=True)
        subprocess.run([sys.executable, str(GENERATOR), "21000", str(pristine), "--seed", "2"], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    lines = []
    for _ in range(runs):
        for old in (folder, state):
            shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(pristine, folder)
        state.mkdir()
        # (from python -c, as grouping_only runs: the spawned workers do not import this script)
        script = "from pathlib import Path; from tests.bench.bench_scale import publish, publish_index; "
        subprocess.run([sys.executable, "-c", script + f"publish_index(Path({str(folder)!r}), Path({str(state)!r}))"],
                       check=True, capture_output=True, timeout=900, cwd=ROOT)  # fmt: skip
        out = subprocess.run(
            [sys.executable, "-c", script + f"publish(Path({str(folder)!r}), Path({str(state)!r}), {attribute})"],
            capture_output=True, text=True, timeout=900, cwd=ROOT,
        )  # fmt: skip
        if out.returncode:
            raise RuntimeError(out.stderr)
        *before, last = out.stdout.strip().splitlines()
        if before:
            print("\n".join(before), flush=True)
        got = json.loads(last)
        lines.append(
            f"publish {got['count']:,}: edit step {1000 * got['edit_s']:.0f} ms (stall {got['edit_stall_ms']}/"
            f"{got['edit_cpu_ms']} ms), save {got['save_s']:.2f} s (stall {got['save_stall_ms']}/{got['save_cpu_ms']}"
            f" ms), longest stall {got['stall_ms']}/{got['stall_cpu_ms']} ms, {got['written']:,} published; heat "
            f"{got['field_count']:,}: edit step {1000 * got['field_s']:.0f} ms (stall {got['field_edit_stall_ms']}/"
            f"{got['field_edit_cpu_ms']} ms), save {got['field_save_s']:.2f} s (stall {got['field_save_stall_ms']}/"
            f"{got['field_save_cpu_ms']} ms), longest stall {got['field_stall_ms']}/{got['field_stall_cpu_ms']} ms, "
            f"{got['heat_written']:,} with heat 7 (stalls: wall/GUI thread's CPU)"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines)


def browse(folder: Path, cache: Path) -> None:
    """Open from the warm index, scroll the cards fast with thumbnails; print the peak RSS (MB)
    while opening, the peak RSS while scrolling and the longest stall while scrolling (ms)."""
    QApplication.instance() or QApplication(sys.argv)
    window = make_window(cache)
    for thumbs in (window.thumbs, window.large_images):
        thumbs.resolve_local = lambda url: JPEG  # every article image decodes a real JPEG
    beat = Heartbeat()
    open_timed(window, folder, 1, beat)
    opening = max(beat.peak_rss, rss_mb())
    bar = window.cards.verticalScrollBar()
    beat.start()
    step = max(1, bar.maximum() // 300)
    for i in range(300):
        bar.setValue(i * step)
        spin(0.01)
    spin(1.0)
    stall = beat.stop()
    print(f"GUI-thread CPU between two heartbeats at most {beat.cpu_longest:.0f} ms")
    print(f"{opening:.0f} {max(beat.peak_rss, rss_mb()):.0f} {stall}")
    window.close()


def grouping(folder: Path, cache: Path) -> None:
    """Open from the warm index, then wait, idle, for the first grouping of duplicate stories
    (loaded to Stories.marked); print its seconds, the CPU seconds of the window's process
    meanwhile (all its threads: what shares the GIL with the GUI thread, whatever the load of
    the machine), the longest stall meanwhile (ms), the window process's RSS at loaded, its
    peak meanwhile and its RSS after (MB), and the grouping process's peak and RSS after (MB;
    0 when the grouping runs in the window's process).
    (Run from `python -c`, as grouping_only does: a spawned worker runs the parent's main
    script again, and this one imports Qt and the window, ~86 MB the app's worker lacks.)"""
    QApplication.instance() or QApplication(sys.argv)
    window = make_window(cache)
    stories = window.stories
    marked: list[float] = []
    stories.marked.connect(lambda: marked.append(time.perf_counter()))
    beat = Heartbeat()
    open_timed(window, folder, 1, beat)
    loaded, at_loaded, cpu = time.perf_counter(), rss_mb(), time.process_time()
    beat.start()
    while not marked and time.perf_counter() - loaded < 900:
        spin(0.05)
    seconds = (marked[0] if marked else time.perf_counter()) - loaded
    stall, cpu = beat.stop(), time.process_time() - cpu
    spin(1.0)
    worker = getattr(getattr(stories, "grouping", None), "pid", None)
    print(f"{stories.group_count} groups")
    print(f"{seconds:.2f} {cpu:.2f} {stall} {at_loaded:.0f} {max(beat.peak_rss, rss_mb()):.0f} {rss_mb():.0f} "
          f"{process_mb(worker) if worker else 0:.0f} {process_mb(worker, 'VmRSS') if worker else 0:.0f}")  # fmt: skip
    window.close()


def browse_only(n: int, cache: Path) -> str:
    """browse()'s figures at n articles, from the warm index in `cache` (a cold open in this
    process makes it, with its gram index, when it is not there yet)."""
    big = corpus(n)
    if not (cache / "index").is_dir():
        QApplication.instance() or QApplication(sys.argv)
        cache.mkdir(parents=True, exist_ok=True)
        window = make_window(cache)
        open_timed(window, big, n, Heartbeat())
        waited = time.perf_counter()
        while not window.model.search_ready() and time.perf_counter() - waited < 900:
            spin(0.2)
        window.close()
    out = subprocess.run(
        [sys.executable, __file__, "--browse", str(big), str(cache)], capture_output=True, text=True, timeout=900
    )
    peak_open, peak, stall = out.stdout.split()[-3:]
    cpu = next((line for line in out.stdout.splitlines() if line.startswith("GUI-thread CPU")), "")
    return f"peak RSS opening {peak_open} MB, browsing {peak} MB; longest stall scrolling {stall} ms ({cpu})"


def grouping_only(n: int, cache: Path) -> str:
    """grouping()'s figures at n articles, from the warm index in `cache` (see browse_only)."""
    big = corpus(n)
    if not (cache / "index").is_dir():
        browse_only(n, cache)
    script = (
        "from pathlib import Path; from tests.bench.bench_scale import grouping; "
        f"grouping(Path({str(big)!r}), Path({str(cache)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=1800, cwd=ROOT)
    seconds, cpu, stall, at_loaded, peak, after, worker, worker_after = out.stdout.split()[-8:]
    return (
        f"first grouping {seconds} s (window process CPU {cpu} s), longest stall {stall} ms; "
        f"window RSS {at_loaded} MB at loaded, peak {peak} MB, {after} MB after; "
        f"grouping process peak {worker} MB, {worker_after} MB after"
    )


def busy() -> None:
    """Hold one core busy (as a compiler or a browser tab would) until killed."""
    while True:
        pass


def run_loaded(n: int = 100_000) -> list[Row]:
    """The same rows while another process holds one core busy."""
    import multiprocessing

    hog = multiprocessing.get_context("spawn").Process(target=busy, daemon=True)
    hog.start()
    try:
        return run(n, ", one core busy")
    finally:
        hog.terminate()
        hog.join()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--browse"]:
        browse(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--grouping"]:
        grouping(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--publish-only"]:
        given = [a for a in sys.argv[2:] if not a.startswith("--")]
        kept = Path(given[0]) if given else Path(tempfile.gettempdir()) / "curator-publish"
        print(publish_only(kept, int(given[1]) if len(given) > 1 else 1, "--attribute" in sys.argv))
    elif sys.argv[1:2] == ["--grouping-only"]:
        count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
        kept = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(tempfile.gettempdir()) / f"curator-browse-{count}"
        print(grouping_only(count, kept))
    elif sys.argv[1:2] == ["--browse-only"]:
        count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
        kept = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(tempfile.gettempdir()) / f"curator-browse-{count}"
        print(browse_only(count, kept))
    else:
        print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
