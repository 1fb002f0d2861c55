"""Team mode at scale: the generated 100,000-article folder as a git work tree (made once and
kept with the generated corpus), 200 files changed, and the longest UI-thread stall while the
window reads the git status and shows its badges. The baseline is `git status` itself, run
in the same script (`python tests/bench/bench_git.py [N]`; part of `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from curator.core.team import git
from tests.bench.bench_scale import Heartbeat, corpus, make_window, open_timed, spin, wait_for
from tests.bench.common import Row, print_rows

ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}  # fmt: skip


def repository(source: Path) -> Path:
    """A work tree of the generated folder (hard links, made once, beside it) with everything
    committed, and 200 files changed (rewritten, so the linked originals stay as they were)."""
    folder = source.parent / f"{source.name}-git"
    if not (folder / ".git").is_dir():
        started = time.perf_counter()
        subprocess.run(["cp", "-al", str(source), str(folder)], check=True)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
            subprocess.run(["git", *args], cwd=folder, check=True, env=ENV, capture_output=True)
        print(f"made {folder} a git work tree in {time.perf_counter() - started:.0f} s", flush=True)
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=folder, check=True, env=ENV)
    for path in sorted(folder.glob("*.txt"))[:200]:
        text = path.read_text(encoding="utf-8").replace("published: false", "published: true")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)
    return folder


def run(n: int = 100_000) -> list[Row]:
    if not git.available():
        print("git is not installed: no git benchmark", file=sys.stderr)
        return []
    app = QApplication.instance() or QApplication(sys.argv)
    folder = repository(corpus(n))
    started = time.perf_counter()
    status = git.Repo(folder).status()
    plain_ms = (time.perf_counter() - started) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        window = make_window(Path(tmp))
        beat = Heartbeat()
        open_timed(window, folder, n, beat)
        wait_for(window.gitmode.status_changed, 60)
        spin(1.0)
        beat.start()
        started = time.perf_counter()
        window.gitmode.refresh()
        wait_for(window.gitmode.status_changed, 60)
        refresh_ms = (time.perf_counter() - started) * 1000
        spin(0.5)
        stall = beat.stop()
        window.close()
    app.processEvents()
    print(f"{len(status.files)} changed files; git status alone {plain_ms:.0f} ms", flush=True)
    return [
        Row(
            "git status refresh at 100k files, shown",
            refresh_ms,
            "ms",
            "—",
            f"git status {plain_ms:.0f} ms",
            f"{refresh_ms / plain_ms:.1f}x git's own",
            None,
        ),
        Row("longest UI stall during a git status refresh", stall, "ms", "≤ 50 ms", "—", "—", stall <= 50),
    ]


if __name__ == "__main__":
    print_rows(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
