"""Work on many objects in pieces, so that the GUI thread gets the GIL between them.

A worker that frees, builds or collects 100,000 objects in one C call holds the GIL for as
long as that takes, and the window waits: these split such work into pieces (a thread switch
happens between bytecodes, never inside one big `del` or `dict()`), or keep the cyclic
collector from walking what was built.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import time
from collections.abc import Iterable, Iterator


def empty_gently(containers: Iterable[object], piece: int = 4096, pause: float = 0.0) -> None:
    """Empty lists, dicts and sets `piece` items at a time, so another thread may run between
    the pieces (a thread switch happens between bytecodes, never inside one big `del`); with
    `pause`, this thread sleeps that long after each piece (it leaves the GIL alone then)."""
    for container in containers:
        if isinstance(container, list):
            while container:
                del container[-piece:]
                if pause:
                    time.sleep(pause)
        elif isinstance(container, (dict, set)):
            take = container.discard if isinstance(container, set) else container.pop
            while container:
                for key in list(itertools.islice(container, piece)):
                    take(key)
                if pause:
                    time.sleep(pause)


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

