"""The one helper that runs work off the GUI thread.

`Tasks.run(func, on_done)` calls `func(progress)` on a pool thread; `on_done(result)` and
`on_progress(value)` run on the GUI thread, delivered by queued signals. The helper makes the
checks its callers would repeat:
- an error never reaches `on_done`: with `failed="Reading the fields failed"` it is reported
  (through the `report` the pool was made with: Messages.failed), even when the task's moment
  has passed; with `failed=callable` that is called with the error instead (a caller that shows
  the error its own way, or goes on without the result);
- `still=` says whether the result is still wanted (Session.still: the task's folder is still
  the open one); when it is not, neither `on_done`, `failed=callable` nor progress is called;
- `always=` runs first, whatever the outcome (a flag or a count of running work goes back);
- `dropped=` runs when `on_done` does not (the task failed or its moment passed);
- `ahead=` paces the task's reports: it waits while that many are not taken by the GUI thread yet.
Workers get a snapshot of what they need and never touch widgets. A `Tasks` with one thread is a
serial queue: the save queue uses that so two writes of one file never race.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ..core import gently
from ..core.gently import trim_heap

#: How long a thread that wants the GIL waits before the running thread must hand it over.
#: Python's 5 ms suits throughput, not a GUI: PySide releases the GIL in Qt calls, so each
#: Qt call a paint makes from Python can wait that long behind a busy worker (counting
#: facets over 100,000 articles made one scroll step take 340 ms; 85-105 ms at 0.5 ms, 42-53 ms
#: at 0.1 ms, with no loss of loading speed measured).
SWITCH_INTERVAL = 0.0001


#: How long a task paced by `ahead` (see Tasks.run) waits for the GUI thread to take its reports
#: before it reports anyway (a window gone, or a GUI thread held up for that long).
PACE_WAIT_S = 1.0


class Progress:
    """Handed to a task: report progress, check for a cancel request."""

    def __init__(self, relay: _Relay, cancel: threading.Event, ahead: int = 0):
        self._relay = relay
        self._cancel = cancel
        self._ahead = ahead
        self._undelivered = 0
        self._delivery = threading.Condition()

    def report(self, value: Any) -> None:
        """Send `value` to on_progress. With `ahead` (Tasks.run), first wait while that many
        reports are not delivered yet: the GUI thread takes every queued report in one turn
        of its event loop, and a warm open's loader, running ahead of it, queued several
        batches of 10,000 rows at a time (stalls of 60-110 ms at a million articles)."""
        if self._ahead:
            with self._delivery:
                self._delivery.wait_for(
                    lambda: self._undelivered < self._ahead or self._cancel.is_set(), timeout=PACE_WAIT_S
                )
                self._undelivered += 1
        try:
            self._relay.progressed.emit(value)
        except RuntimeError:  # the window is gone: nobody to tell
            self.delivered()

    def delivered(self) -> None:
        """(The GUI thread) a report was taken."""
        if self._ahead:
            with self._delivery:
                self._undelivered = max(0, self._undelivered - 1)
                self._delivery.notify()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """For core functions that take a threading.Event to stop early."""
        return self._cancel


def _raise(what: str, error: BaseException) -> None:
    raise error


#: what a failed task is reported as when its caller gave no `failed=`
FAILED = "Working in the background failed"


class Task:
    """A handle to cancel a submitted task (it stops at its next check)."""

    def __init__(self) -> None:
        self.cancel_event = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Relay(QObject):
    """Lives in the GUI thread: signals emitted by the worker arrive here queued."""

    finished = Signal(object, object)
    progressed = Signal(object)

    def __init__(self, owner: Tasks, task: Task, on_done, on_progress, failed, still, always, dropped):
        super().__init__()
        self.owner, self.task, self.on_done, self.on_progress = owner, task, on_done, on_progress
        self.failed, self.still, self.always, self.dropped = failed, still, always, dropped
        self.progress: Progress | None = None  # (set by Tasks.run)
        self.finished.connect(self._finish)
        self.progressed.connect(self._progress)

    def _wanted(self) -> bool:
        return self.still is None or self.still()

    @Slot(object)
    def _progress(self, value: Any) -> None:
        try:
            with gently.gui_turn():  # (workers that wait_turn wait for this)
                if self.on_progress is not None and not self.task.done and self.owner.alive() and self._wanted():
                    self.on_progress(value)
        finally:
            if self.progress is not None:
                self.progress.delivered()

    @Slot(object, object)
    def _finish(self, result: Any, error: BaseException | None) -> None:
        with gently.gui_turn():  # (workers that wait_turn wait for this)
            self._deliver(result, error)

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        self.task.done = True
        self.owner.forget(self)
        if not self.owner.alive():
            return
        if self.always is not None:
            self.always()
        if error is not None and not callable(self.failed):
            self.owner.report(self.failed or FAILED, error)  # told even when its moment has passed
        elif self._wanted():
            if error is None:
                if self.on_done is not None:
                    self.on_done(result)
                return
            self.failed(error)
        if self.dropped is not None:
            self.dropped()


class _Runnable(QRunnable):
    def __init__(self, func: Callable[[Progress], Any], relay: _Relay, progress: Progress, owner: Tasks):
        super().__init__()
        self.func, self.relay, self.progress, self.owner = func, relay, progress, owner

    def run(self) -> None:
        try:
            result, error = self.func(self.progress), None
        except BaseException as exc:  # delivered to the GUI thread, never lost in the pool
            result, error = None, exc
        self.owner.ran()
        with contextlib.suppress(RuntimeError):  # "Signal source has been deleted": its window is gone
            self.relay.finished.emit(result, error)


class Tasks:
    """A pool of worker threads whose results come back on the GUI thread."""

    def __init__(
        self, threads: int, name: str = "tasks", widget: QObject | None = None,
        report: Callable[[str, BaseException], None] | None = None, trim: bool = True,
    ):  # fmt: skip
        """With `widget`, results that arrive after the widget is gone are dropped. `report(what,
        error)` tells of a failed task run with `failed=` (Messages.failed). `trim=False`: the
        heap is not trimmed after its tasks (see ran)."""
        self.report = report or _raise
        self.trim = trim
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        self.widget = widget
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self.pool.setObjectName(name)
        self._relays: set[_Relay] = set()

    def run(
        self,
        func: Callable[[Progress], Any],
        on_done: Callable[[Any], object] | None = None,
        on_progress: Callable[[Any], object] | None = None,
        *,
        failed: str | Callable[[BaseException], object] = "",
        still: Callable[[], bool] | None = None,
        always: Callable[[], object] | None = None,
        dropped: Callable[[], object] | None = None,
        ahead: int = 0,
    ) -> Task:
        """See the module's text: `on_done(result)` on success; `failed`, `still`, `always` and
        `dropped` make the checks for the caller. With `ahead`, the task's progress.report waits
        while that many of its reports are not taken by the GUI thread yet (see Progress.report)."""
        task = Task()
        relay = _Relay(self, task, on_done, on_progress, failed, still, always, dropped)
        self._relays.add(relay)
        relay.progress = progress = Progress(relay, task.cancel_event, ahead)
        self.pool.start(_Runnable(func, relay, progress, self))
        return task

    def ran(self) -> None:
        """On the worker, as a task ends: when no other thread of the pool runs one, the memory
        the pool's work freed goes back to the system (see trim_heap: an open at 100,000 files
        left ~12 MB to its facet count and topic tally; 1-6 ms measured, without the GIL)."""
        if not self.trim:
            return
        try:
            idle = self.pool.activeThreadCount() <= 1  # (this thread's)
        except RuntimeError:  # the pool is gone (its window closed while this ran): nothing to do
            return
        if idle:
            trim_heap()

    def forget(self, relay: _Relay) -> None:
        """A task ended: its relay is no longer kept alive."""
        self._relays.discard(relay)

    def alive(self) -> bool:
        return self.widget is None or shiboken6.isValid(self.widget)

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def clear(self) -> None:
        """Drop the tasks that have not started (their on_done is never called)."""
        self.pool.clear()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every task has run (tests, shutdown; before planning over files a one-thread
        pool may be writing); results are delivered by the event loop."""
        with gently.gui_waits():  # (this thread blocks: workers need not wait for its turn)
            return self.pool.waitForDone(msecs)
