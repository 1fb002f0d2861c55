"""How Curator's worker processes start (a cold open's readers, the gram index's builders, the
grouping of duplicate stories, a large save's preparers): from a fork server where the
platform has one, else spawned.

A spawned worker is a new interpreter that imports what it runs (the core, PyYAML) before its
first answer: 0.2-0.4 s, and as much CPU, on the cores the open is using. The fork server is
spawned once, when the window is made (start_early), imports those modules once (PRELOAD),
and forks each worker from itself on request: a worker answers in about half the time and
imports nothing (a cold open of 100,000 articles was listed 0.27 s sooner on average: see
docs/bench-1m-runs.md). Like a spawned one, a forked worker holds none of the window's threads
or locks: the server is a fresh interpreter, never the window's process forked. The server
ends with the window's process, and so do the workers (library.exit_with_parent watches the
window's process, not the server).

Windows has no fork server: workers are spawned there. A frozen build (the installers) spawns
them too: its fork server would be the app's own executable, started with the server's command
line, which PyInstaller's multiprocessing hook is meant to run; not tried yet with our builds.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import sys

#: the modules whose functions run in worker processes, imported once by the fork server
PRELOAD = [
    "curator.core.folder.library",
    "curator.core.folder.grams",
    "curator.core.folder.grouping",
    "curator.core.folder.saving",
]


def context() -> multiprocessing.context.BaseContext:
    """The context worker processes are started from: 'forkserver' where there is one, else
    'spawn' (never 'fork': forking a process with the GUI's threads can deadlock)."""
    if "forkserver" in multiprocessing.get_all_start_methods() and not getattr(sys, "frozen", False):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


#: the niceness of the fork server, and so of every worker forked from it (see start_early)
NICE = 10


def start_early() -> None:
    """Start the fork server now (when the window is made), so that it has imported PRELOAD
    before a load asks it for workers; it runs below the window's priority (NICE), and so does
    each worker from birth. At the default priority the server's imports and a worker's first
    steps (before it lowered its own) took the second core while the window painted its first
    rows: the GUI thread, runnable, waited for a core about as long as it ran (~30 of each
    60-110 ms stall of a warm open at 1,000,000 articles, measured by its schedstat)."""
    if context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
        server = getattr(forkserver, "_forkserver", None)  # (its pid has no public accessor)
        lower(getattr(server, "_forkserver_pid", None))


def lower(pid: int | None) -> None:
    """Run process `pid` (a child of ours) at NICE, where the platform lets us; never raises."""
    if pid is None or not hasattr(os, "setpriority"):
        return
    with contextlib.suppress(OSError):
        if os.getpriority(os.PRIO_PROCESS, pid) < NICE:
            os.setpriority(os.PRIO_PROCESS, pid, NICE)
