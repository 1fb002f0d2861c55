"""The triage queue: fixed rows, a position, counters that follow the values."""

from __future__ import annotations

import dataclasses

from curator.core.folder.triage import Queue
from curator.core.site.article import Summary


def test_the_queue_keeps_its_rows_and_counts_what_changed():
    summaries = {r: Summary(f"a{r}.md", published=False, quality=10) for r in (4, 7, 9)}
    queue = Queue([7, 4, 9], summaries.__getitem__)
    assert queue.row == 7 and queue.counts().describe() == "1 of 3 · 0 published · 0 unpublished · 0 edited"
    queue.touching(7)
    summaries[7] = dataclasses.replace(summaries[7], published=True)
    assert queue.next() and queue.row == 4
    queue.touching(4)
    summaries[4] = dataclasses.replace(summaries[4], quality=80)
    assert queue.next() and not queue.next() and queue.row == 9
    assert queue.counts().describe() == "3 of 3 · 1 published · 0 unpublished · 1 edited"
    summaries[7] = dataclasses.replace(summaries[7], published=False)  # an undo puts it back
    assert queue.counts().published == 0
    assert queue.go_to(7) and queue.position == 0 and not queue.previous()
    assert not queue.go_to(123)


def test_an_empty_queue():
    queue = Queue([], lambda r: Summary("x"))
    assert queue.row is None and not queue.next() and queue.counts().position == 0


def test_remap_follows_rows_that_moved_and_drops_the_gone():
    summaries = {r: Summary(f"a{r}.md", published=False) for r in range(5)}
    queue = Queue([4, 1, 3, 0], summaries.__getitem__, start=2)  # on row 3
    queue.touching(3)
    queue.touching(1)
    queue.remap([3, None, 2, None])  # rows 1 and 0 gone: 4 -> 3, 3 -> 2
    assert queue.rows == [3, 2] and queue.row == 2 and set(queue.before) == {2}
    queue.remap([None, 1])  # the article shown is gone: the next one shows
    assert queue.rows == [1] and queue.row == 1
    queue.remap([None])
    assert queue.row is None and queue.counts().position == 0
