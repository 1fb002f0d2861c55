"""Work that must run on the GUI thread (it changes what the views show), cut into slices of a
few milliseconds with an event-loop turn between them, so a 10,000-article edit never freezes
the window for longer than one slice.

Each piece of work is an iterator: every `next()` does one small part (a chunk of rows). The
pieces run in order. `flush()` runs whatever is left at once: callers do that before anything
that needs the whole state (an undo, a save, opening another folder).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer

from ..core.gently import busy_for, gui_turn

#: Rows one slice handles: a few milliseconds of Python each (see the callers).
CHUNK = 1000


class Slices(QObject):
    def __init__(self, budget_ms: float = 12, parent: QObject | None = None):
        super().__init__(parent)
        self.budget = budget_ms / 1000
        self._work: deque[tuple[Iterator[object], Callable[[], None] | None]] = deque()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._turn)

    @property
    def busy(self) -> bool:
        return bool(self._work)

    def run(self, work: Iterator[object], done: Callable[[], None] | None = None) -> None:
        """Queue `work` (its first slice runs on the next event-loop turn); `done` after its
        last, at the start of a turn (the end of a 10,000-file save took 19 ms after its last
        slices' 16, in one turn)."""
        self._work.append((work, done))
        self._timer.start()

    def flush(self) -> None:
        """Run everything queued now."""
        self._timer.stop()
        while self._work:
            self._step(until=None)

    def _turn(self) -> None:
        # background work that can wait (facet counts, the topic tally) pauses meanwhile: a facet
        # count taking turns for the GIL with the slices of a 10,000-article publish at 1,000,000
        # rows (each reading summaries from the index, the GIL let go at every row) stalled the
        # window 50-77 ms again and again
        busy_for()
        with gui_turn():  # (and workers that wait_turn wait for it)
            self._step(until=time.perf_counter() + self.budget)
        if self._work:
            self._timer.start()

    def _step(self, until: float | None) -> None:
        worked = False  # in this turn
        while self._work:
            work, done = self._work[0]
            for _ in work:
                worked = True
                if until is not None and time.perf_counter() >= until:
                    return
            if done is not None and until is not None and worked:
                self._work[0] = (iter(()), done)  # its work is done: `done` starts the next turn
                return
            self._work.popleft()
            if done is not None:
                done()  # (may queue more work, or flush)
                worked = True
            if until is not None and time.perf_counter() >= until:
                return
