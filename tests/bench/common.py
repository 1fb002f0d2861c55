"""Shared parts of the benchmark scripts: generated corpora, timing, the results table."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the shared folder beside the checkout (/work/shared beside /work/main, and beside /work/wt/NAME's parent)
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "tools").is_dir()), ROOT.parent / "shared")
GENERATOR = SHARED / "tools" / "gen_corpus.py"
BENCH_DIR = Path(os.environ.get("CURATOR_BENCH_DIR", "/tmp/curator-bench"))
DOCS = ROOT / "docs"
#: the measures of `make bench-1m` begin so (tests/bench/bench_1m.py)
MILLION = "1,000,000: "


@dataclass
class Row:
    measure: str
    figure: float
    unit: str
    target: str
    baseline: str
    ratio: str
    met: bool | None

    def line(self) -> str:
        met = "—" if self.met is None else ("yes" if self.met else "NO")
        figure = f"{self.figure:,.3g} {self.unit}"
        return f"| {self.measure} | {figure} | {self.target} | {self.baseline} | {self.ratio} | {met} |"


def corpus(n: int, seed: int = 1, fresh: bool = False) -> Path:
    """A generated folder of n articles, made once and reused (fresh=True makes a new copy)."""
    folder = BENCH_DIR / f"gen-{n}-{seed}"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    if not folder.exists() or len(os.listdir(folder)) != n:
        folder.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(GENERATOR), str(n), str(folder), "--seed", str(seed)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"generated {n:,} articles in {folder} ({time.perf_counter() - started:.1f} s)", flush=True)
    return folder


def process_mb(pid: int | None = None, field: str = "VmHWM") -> float:
    """A process's resident memory from /proc (VmHWM: its peak; VmRSS: now), in MB; 0 without /proc."""
    try:
        with open(f"/proc/{pid or 'self'}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def frontmatter_load(folder: Path) -> tuple[float, int]:
    """The baseline: python-frontmatter loading every file of the folder, one after another."""
    import frontmatter

    started = time.perf_counter()
    count = 0
    for entry in os.scandir(folder):
        if entry.name.endswith((".md", ".markdown", ".txt")):
            frontmatter.load(entry.path)
            count += 1
    return time.perf_counter() - started, count


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(x for x in meminfo if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}){mem}, {system}"


def write_results(rows: list[Row], name: str = "performance", keep=None) -> None:
    """docs/<name>.json (objects with measure, figure, unit, target, baseline, ratio, met) and a readable .md.

    Rows already in the file whose measure `keep(measure)` accepts stay (in their place, or replaced
    by this run's row of the same measure); this run's other rows follow them. `make bench` keeps the
    rows of `make bench-1m` and the other way round, so neither drops the other's."""
    DOCS.mkdir(exist_ok=True)
    path = DOCS / f"{name}.json"
    new = {r.measure: asdict(r) for r in rows}
    merged: list[dict] = []
    if keep is not None and path.exists():
        try:
            old = json.loads(path.read_text())
        except ValueError:
            old = []
        for row in old:
            if row.get("measure") in new:
                merged.append(new.pop(row["measure"]))
            elif keep(row.get("measure", "")):
                merged.append(row)
    merged += new.values()
    path.write_text(json.dumps(merged, indent=2) + "\n")
    lines = [
        "# Performance",
        "",
        f"Written on {time.strftime('%Y-%m-%d')} by `make bench` (100,000 articles) and `make bench-1m` (rows "
        f"named 1,000,000): {machine()}.",
        "Each figure comes with a baseline measured in the same script run. Regenerate with `make bench` "
        "and `make bench-1m`.",
        "",
        "| measure | figure | target | baseline | ratio | met |",
        "|---|---|---|---|---|---|",
        *[Row(**r).line() for r in merged],
        "",
    ]
    (DOCS / f"{name}.md").write_text("\n".join(lines))


def print_rows(rows: list[Row]) -> None:
    for r in rows:
        print(r.line(), flush=True)
