"""Debounce: run a function once things calm down, as qutebrowser's misc/throttle.py does,
instead of hand-made single-shot timers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Calls `func` `delay_ms` after the last call (a debounce); `flush()` calls it now if
    one is pending, `cancel()` drops it. The arguments of the last call are used."""

    def __init__(self, func: Callable[..., Any], delay_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._func = func
        self._args: tuple = ()
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._fire)

    def __call__(self, *args: Any) -> None:
        self._args = args
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    def cancel(self) -> None:
        self._timer.stop()

    def _fire(self) -> None:
        args, self._args = self._args, ()
        self._func(*args)
