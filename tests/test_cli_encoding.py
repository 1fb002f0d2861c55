"""The CLI writes UTF-8 whatever its streams' encoding: on Windows a pipe or a redirect is cp1252 (the ANSI code
page), and a frozen app ignores PYTHONUTF8 and PYTHONIOENCODING. Here PYTHONIOENCODING=cp1252 gives the CLI the
streams a Windows pipe would."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, SAMPLE

FIGURE_DASH_TITLE = "Planar Transformers Settle Into PoE, \u201248-V Network Power Apps"


def run_with_cp1252_streams(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "curator", *args], capture_output=True, cwd=ROOT, env=env, timeout=120
    )  # fmt: skip


def test_a_title_cp1252_cannot_encode_is_listed_in_utf8():
    assert "\u2012".encode("cp1252", errors="replace") == b"?"  # the sample's figure dash is not in cp1252
    for fmt in ("table", "csv", "json"):
        out = run_with_cp1252_streams("list", str(SAMPLE), "--format", fmt, "--where", "title:Planar")
        assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
        assert FIGURE_DASH_TITLE[:40] in out.stdout.decode("utf-8"), fmt


def test_messages_on_stderr_are_utf8_too():
    out = run_with_cp1252_streams("list", str(SAMPLE), "--sort", "\u2012date")
    assert out.returncode == 2
    assert "cannot sort by '\u2012date'" in out.stderr.decode("utf-8")
