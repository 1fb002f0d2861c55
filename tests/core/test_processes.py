"""Worker processes start from a fork server that has imported the workers' modules (not
spawned, where the platform has one), and never from a fork of the calling process."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import sys

import pytest

from curator.core import processes

#: what a worker evaluates: whether the modules the fork server imports are there already
IMPORTED = f"__import__('sys').modules.keys() >= {set(processes.PRELOAD)!r}"


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server (Windows)")
def test_a_worker_comes_from_the_fork_server_with_the_core_imported():
    context = processes.context()
    assert context.get_start_method() == "forkserver"
    processes.start_early()
    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
        assert pool.submit(eval, IMPORTED).result(timeout=60) is True
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(eval, IMPORTED).result(timeout=60) is False  # (what the test tells apart)


def test_a_frozen_build_and_windows_spawn(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert processes.context().get_start_method() == "spawn"
    monkeypatch.delattr(sys, "frozen")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert processes.context().get_start_method() == "spawn"


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server (Windows)")
def test_the_fork_server_and_its_workers_run_below_the_window():
    """Workers are forked at a lower priority than the window's (NICE) from their first step,
    not only once their own code lowers it."""
    import os

    context = processes.context()
    processes.start_early()
    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
        assert pool.submit(os.getpriority, os.PRIO_PROCESS, 0).result(timeout=60) >= processes.NICE
    assert os.getpriority(os.PRIO_PROCESS, 0) < processes.NICE  # (the caller's own is left alone)
