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
