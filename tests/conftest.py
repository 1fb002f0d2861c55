"""Shared fixtures: real files in temp folders, the real corpus, one offscreen QApplication."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# indexes and thumbnails of test runs (also of the CLI in subprocesses) stay out of the user's cache
os.environ["CURATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="curator-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample"
DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("CURATOR_CORPUS", ROOT.parent / "shared" / "corpus" / "power-apps"))


def copy_tree(src: Path, dst: Path) -> Path:
    """Copy a read-only tree and make the copy writable, like a user's own checkout."""
    shutil.copytree(src, dst)
    for path in dst.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return dst


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_tree(SAMPLE, tmp_path / "sample")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the real corpus is missing at {CORPUS}; set CURATOR_CORPUS to its folder")
    return CORPUS


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    return copy_tree(corpus, tmp_path / "power-apps")
