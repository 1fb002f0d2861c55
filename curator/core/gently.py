"""Work on many objects in pieces, so that the GUI thread gets the GIL between them.

A worker that frees, builds or collects 100,000 objects in one C call holds the GIL for as
long as that takes, and the window waits: these split such work into pieces (a thread switch
happens between bytecodes, never inside one big `del` or `dict()`), or keep the cyclic
collector from walking what was built. Between their pieces workers give way to the GUI
thread: wait_turn while it handles a turn it said (gui_turn), back_off while the user is busy
with the list (busy_for). Qt-free: the window says its turns (ui/tasks.py, ui/slices.py, the
list's paints).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import math
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def empty_gently(containers: Iterable[object], piece: int = 4096, pause: float = 0.0) -> None:
    """Empty lists, dicts and sets `piece` items at a time, so another thread may run between
    the pieces (a thread switch happens between bytecodes, never inside one big `del`); with
    `pause` (in a worker), this thread sleeps that long after each piece (it leaves the GIL
    alone then), and longer while the GUI thread is busy (see back_off)."""

    def rest() -> None:
        if pause:
            back_off()
            time.sleep(pause)

    for container in containers:
        if isinstance(container, list):
            while container:
                del container[-piece:]
                rest()
        elif isinstance(container, SplitDict):
            empty_gently(container.parts, piece, pause)
        elif isinstance(container, (dict, set)):
            take = container.discard if isinstance(container, set) else container.pop
            while container:
                for key in list(itertools.islice(container, piece)):
                    take(key)
                rest()


@contextlib.contextmanager
def paused_gc(keep: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that hold no cycles.

    With `keep`, what was built is meant to live long (the articles of an open folder): it is
    frozen out of the collector's sight, or the first collection after the pause would walk
    all of it (30 ms per 20,000 articles, holding the GIL the GUI thread waits for).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if was_enabled:
            gc.enable()


#: until when (time.monotonic()) the GUI thread is busy with the list: see busy_for, back_off
_busy_until = 0.0
#: how long background work that can wait (facet counts, the topic tally) pauses after the
#: GUI thread last said it is busy (a paint of the list, a new search or sort)
BUSY_S = 0.15


def busy_for(seconds: float = BUSY_S) -> None:
    """The GUI thread says the user is busy with the list (it paints: scrolling, a new list;
    it filters or sorts it): work that calls back_off between its pieces pauses until this
    long after the last call."""
    global _busy_until
    _busy_until = time.monotonic() + seconds


_busy_depth = 0


@contextlib.contextmanager
def busy_while(after: float = BUSY_S) -> Iterator[None]:
    """The GUI thread is busy with the list for as long as the block runs, and `after` seconds
    more (see busy_for): work longer than BUSY_S (a sort or a search of a million rows: 0.1-0.6 s)
    is not shared with background work that wakes up half way through it."""
    global _busy_until, _busy_depth
    _busy_depth += 1
    _busy_until = math.inf
    try:
        yield
    finally:
        _busy_depth -= 1
        if not _busy_depth:
            _busy_until = time.monotonic() + after


#: clear while the GUI thread handles a turn that said so (see gui_turn), set otherwise
_gui_waits = threading.Event()
_gui_waits.set()
_turn_depth = 0  # (gui_turn blocks open on the GUI thread)
#: the longest a worker waits for one turn of the GUI thread to end (see wait_turn); after a
#: turn that long (a long sort, a modal prompt inside a turn) workers share the GIL for
#: TURN_FREE_S before they wait again
TURN_WAIT_S = 0.04
TURN_FREE_S = 0.25
_free_until = 0.0


@contextlib.contextmanager
def gui_turn() -> Iterator[None]:
    """(The GUI thread) while the block runs, workers that call wait_turn or back_off wait for
    it to end: Python has no thread priorities, and a turn that shares the GIL with two or three
    busy workers takes two or three times its CPU time (a warm open at 100,000 articles: turns of
    11-23 ms of the GUI's CPU made stalls of 42-67 ms, the scan, the facet count and the sort
    ahead holding the GIL the rest). Nested blocks end with the outermost."""
    turn_begins()
    try:
        yield
    finally:
        turn_ends()


def turn_begins() -> None:
    """(The GUI thread) gui_turn's start, for a turn whose end comes from elsewhere (a paint:
    its end is the next turn of the event loop). Each call is ended by one turn_ends."""
    global _turn_depth
    _turn_depth += 1
    _gui_waits.clear()


def turn_ends() -> None:
    global _turn_depth
    _turn_depth = max(0, _turn_depth - 1)
    if not _turn_depth:
        _gui_waits.set()


@contextlib.contextmanager
def gui_waits() -> Iterator[None]:
    """(The GUI thread) it blocks, waiting for workers (inside a gui_turn): they go on meanwhile."""
    _gui_waits.set()
    try:
        yield
    finally:
        if _turn_depth:
            _gui_waits.clear()


def in_turn() -> bool:
    """Whether the GUI thread is in a turn that workers wait for (see gui_turn)."""
    return not _gui_waits.is_set()


def wait_turn() -> None:
    """In a worker, between pieces of its work (a loader's, a scan's: work the user waits for,
    unlike what back_off defers): wait while the GUI thread handles a turn (see gui_turn), up
    to TURN_WAIT_S. Costs a flag's test when the GUI thread is waiting for events."""
    global _free_until
    if not _gui_waits.is_set() and time.monotonic() >= _free_until and not _gui_waits.wait(TURN_WAIT_S):
        _free_until = time.monotonic() + TURN_FREE_S


def back_off(longest: float = 2.0) -> None:
    """In a worker, between pieces of background work: wait for the GUI thread's turn to end
    (see gui_turn), and sleep (leaving the GIL to the GUI thread) while it is busy (see
    busy_for), up to `longest` seconds in all. A worker running Python while the GUI thread
    paints makes each of the paint's Qt calls wait for the GIL: the scroll steps right after a
    warm open at 100k stalled 48-66 ms with the facet count and the topic tally running beside them."""
    wait_turn()
    end = time.monotonic() + longest
    while busy() and time.monotonic() < end:
        time.sleep(0.005)


def busy() -> bool:
    """Whether the GUI thread said the user is busy, and the time it gave busy_for has not run out."""
    return time.monotonic() < _busy_until


def _glibc(name: str) -> Callable[..., int] | None:
    try:
        return getattr(ctypes.CDLL("libc.so.6"), name)  # glibc only (musl has no malloc_trim)
    except (OSError, AttributeError):
        return None


_trim = _glibc("malloc_trim") if sys.platform.startswith("linux") else None


def trim_heap() -> bool:
    """Give the memory freed back to the system (glibc's malloc_trim), where the allocator
    would keep it: after a warm open at 100,000 files, ~20 MB its workers' temporaries had
    held. Runs without the GIL (a ctypes call) and only on Linux with glibc; False elsewhere."""
    if _trim is None:
        return False
    _trim(0)
    return True


#: SplitDict splits its keys into 2**SPLIT_BITS dicts
SPLIT_BITS = 6
_SPLIT_MASK = (1 << SPLIT_BITS) - 1


class SplitDict:
    """A dict of many keys (a folder's paths), split by the key's hash into 2**SPLIT_BITS dicts.
    One dict doubles its table as it grows, in one C call holding the GIL: 34 ms as it passed
    700,000 paths, and a warm open of 1,000,000 articles stalled the window 45-59 ms adding the
    batch of rows that crossed it (the scan's dicts, in the loader, as long); a part of ~16,000
    grows in well under a millisecond. A lookup costs a Python call more (~0.1 µs). The order
    of the keys is not kept: callers that need one sort. empty_gently empties it in pieces."""

    __slots__ = ("parts",)

    def __init__(self, pairs: Iterable[tuple[Any, Any]] = ()) -> None:
        self.parts: list[dict[Any, Any]] = [{} for _ in range(1 << SPLIT_BITS)]
        self.update(pairs)

    def get(self, key: Any, default: Any = None) -> Any:
        return self.parts[hash(key) & _SPLIT_MASK].get(key, default)

    def __getitem__(self, key: Any) -> Any:
        return self.parts[hash(key) & _SPLIT_MASK][key]

    def __contains__(self, key: object) -> bool:
        return key in self.parts[hash(key) & _SPLIT_MASK]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.parts[hash(key) & _SPLIT_MASK][key] = value

    def __delitem__(self, key: Any) -> None:
        del self.parts[hash(key) & _SPLIT_MASK][key]

    def pop(self, key: Any, *default: Any) -> Any:
        return self.parts[hash(key) & _SPLIT_MASK].pop(key, *default)

    def update(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        parts = self.parts
        for key, value in pairs:
            parts[hash(key) & _SPLIT_MASK][key] = value

    def __len__(self) -> int:
        return sum(map(len, self.parts))

    def __iter__(self) -> Iterator[Any]:
        return itertools.chain.from_iterable(self.parts)

    def items(self) -> Iterator[tuple[Any, Any]]:
        return itertools.chain.from_iterable(map(dict.items, self.parts))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SplitDict):
            other = dict(other.items())
        return isinstance(other, dict) and len(self) == len(other) and dict(self.items()) == other

    __hash__ = None  # type: ignore[assignment]  # (mutable)

    def __repr__(self) -> str:
        return f"SplitDict({dict(self.items())!r})"
