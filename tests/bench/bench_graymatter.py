"""Curator's cold open beside gray-matter, the front matter parser of Front Matter CMS, Eleventy and Astro.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_graymatter.py [N]

gray-matter 4.0.3 is installed with npm into a temporary folder; a small Node script reads every
file of the generated corpus and parses it (`matter(text)`), counting the published articles. In
the same run, the window opens the same files with no index (bench_scale's cold open: every row
listed); both must count the same published articles. Skipped, with the reason printed, when node
or npm is missing or the install fails (no network).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import Row, corpus, print_rows

VERSION = "4.0.3"
#: read + matter() per file, one after another (as Front Matter CMS and Eleventy read a folder)
SCRIPT = r"""
const fs = require("fs"), path = require("path");
const matter = require(process.argv[2]);
const dir = process.argv[3];
const started = process.hrtime.bigint();
let files = 0, published = 0;
for (const name of fs.readdirSync(dir)) {
  if (!/\.(md|markdown|txt)$/.test(name)) continue;
  const file = matter(fs.readFileSync(path.join(dir, name), "utf8"));
  files++;
  if (file.data.published === true) published++;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ seconds, files, published }));
"""


def gray_matter(folder: Path, tmp: Path) -> tuple[dict | None, str]:
    """gray-matter's figures on the folder ({seconds, files, published}, node's version), or None
    and why not."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "node or npm is not installed"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    try:
        install = subprocess.run(
            [npm, "install", "--prefix", str(tmp), "--no-audit", "--no-fund", "--no-package-lock",
             f"gray-matter@{VERSION}"],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None, "npm install gray-matter took over 600 s"
    module = tmp / "node_modules" / "gray-matter"
    if install.returncode != 0 or not module.is_dir():
        return None, f"npm install gray-matter@{VERSION} failed: {install.stderr.strip()[-300:]}"
    script = tmp / "parse.js"
    script.write_text(SCRIPT)
    out = subprocess.run([node, str(script), str(module), str(folder)], capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        return None, f"the gray-matter script failed: {out.stderr.strip()[-300:]}"
    return json.loads(out.stdout.strip().splitlines()[-1]), version


def run(n: int = 100_000) -> list[Row]:
    from PySide6.QtWidgets import QApplication

    from tests.bench.bench_scale import Heartbeat, make_window, open_timed, read_floor

    app = QApplication.instance() or QApplication(sys.argv)
    big = corpus(n)
    read_floor(big)  # (the page cache as warm for both)
    with tempfile.TemporaryDirectory() as tmp:
        theirs, node = gray_matter(big, Path(tmp))
    if theirs is None:
        print(f"skipped the gray-matter row: {node}", flush=True)
        return []
    print(f"baseline: gray-matter {VERSION} on Node {node} parsed {theirs['files']:,} files in "
          f"{theirs['seconds']:.1f} s ({theirs['published']:,} published)", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        window = make_window(Path(tmp))
        _first, shown, done, _stall = open_timed(window, big, n, Heartbeat())
        published = sum(1 for s in window.workspace.table.summaries if s.published)
        rows = len(window.workspace)
        window.close()
    app.processEvents()
    agree = published == theirs["published"] and rows == theirs["files"]
    said = (
        f"both count {published:,} published"
        if agree
        else f"Curator {published:,} published of {rows:,}, gray-matter {theirs['published']:,} of {theirs['files']:,}"
    )
    seconds = theirs["seconds"]
    return [
        Row(
            "cold open (no index): complete, against gray-matter",
            shown,
            "s",
            f"≥ 2x faster than gray-matter {VERSION} on Node 20, the same files in the same run",
            f"gray-matter {VERSION} on Node {node} {seconds:.1f} s; {said}; full parse done {done:.1f} s",
            f"{seconds / shown:.1f}x faster" if seconds >= shown else f"{seconds / shown:.2f}x as fast",
            seconds / shown >= 2 and agree,
        )
    ]


if __name__ == "__main__":
    print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
    os._exit(0)
