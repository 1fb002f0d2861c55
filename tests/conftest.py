"""Shared fixtures: real files in temp folders, the real corpus, one offscreen QApplication."""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# indexes and thumbnails of test runs (also of the CLI in subprocesses) stay out of the user's cache
os.environ["CURATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="curator-test-cache-")
atexit.register(shutil.rmtree, os.environ["CURATOR_CACHE_DIR"], ignore_errors=True)

# git told to work on another repository (tests run from a git hook or `git bisect run` inherit
# GIT_DIR): the tests' own `git init --bare` re-initialised the checkout they ran in as bare
for _name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"):
    os.environ.pop(_name, None)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample"
DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("CURATOR_CORPUS", ROOT.parent / "shared" / "corpus" / "power-apps"))


def lines_run(module_file: str, call):
    """(lines of `module_file` run by `call()`, its result): a test that work is done in C
    compares this for a small and a big input."""
    import sys

    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line" and frame.f_code.co_filename.endswith(module_file):
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        result = call()
    finally:
        sys.settrace(None)
    return count, result


def copy_tree(src: Path, dst: Path) -> Path:
    """Copy a read-only tree and make the copy writable, like a user's own checkout."""
    shutil.copytree(src, dst)
    for path in dst.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return dst


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_tree(SAMPLE, tmp_path / "sample")


#: CI sets this: there a missing corpus is a failure, not a skip.
REQUIRE_CORPUS = bool(os.environ.get("CURATOR_REQUIRE_CORPUS"))
#: The generator of synthetic corpora, kept beside the real corpus (CURATOR_CORPUS/../../tools).
GENERATOR = CORPUS.parent.parent / "tools" / "gen_corpus.py"


def need(path: Path, what: str) -> Path:
    """`path`, or a skip with a one-line reason in a clone without it (a failure in CI)."""
    if not path.exists():
        message = f"{what} is not at {path} (a clone without the team's shared folder; set CURATOR_CORPUS)"
        if REQUIRE_CORPUS:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    return need(CORPUS, "the real corpus")


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    return copy_tree(corpus, tmp_path / "power-apps")


@pytest.fixture
def full_disk(tmp_path: Path):
    """A small tmpfs that can be filled up."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)
