"""The triage queue: the list as it was when triage started, one article at a time.

The rows are fixed when the queue is made, so an article that stops matching the search
because of a decision stays where it was. Decisions themselves are ordinary edits of the
Workspace (made by whoever drives the queue); the queue only remembers, for each article a
decision touched, the article as it was before the first one, and counts what differs now:
an undo that puts the value back takes the article off the counters, a save keeps it on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from curator.core.site.article import Summary

#: What the counters compare: publishing counts apart, any other of these is "edited".
EDITED = ("topics", "quality", "title", "excerpt", "category", "type", "date", "image")


@dataclass(frozen=True, slots=True)
class Counts:
    position: int  # 1-based; 0 when the queue is empty
    total: int
    published: int
    unpublished: int
    edited: int

    def describe(self) -> str:
        return (f"{self.position:,} of {self.total:,} · {self.published:,} published · "
                f"{self.unpublished:,} unpublished · {self.edited:,} edited")  # fmt: skip


class Queue:
    """A fixed list of workspace rows with a position, and what the decisions changed."""

    def __init__(self, rows: Sequence[int], summary_of: Callable[[int], Summary], start: int = 0):
        self.rows = list(rows)
        self.summary_of = summary_of
        self.position = min(max(start, 0), max(len(self.rows) - 1, 0))
        self.before: dict[int, Summary] = {}  # row -> the article before the first decision on it

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def row(self) -> int | None:
        return self.rows[self.position] if self.rows else None

    def next(self) -> bool:
        """One on; False at the end (the position stays)."""
        if self.position + 1 >= len(self.rows):
            return False
        self.position += 1
        return True

    def previous(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def go_to(self, row: int) -> bool:
        """Move to a row of the queue (an undo shows the article it changed back)."""
        try:
            self.position = self.rows.index(row)
        except ValueError:
            return False
        return True

    def remap(self, new_rows: Sequence[int | None]) -> None:
        """Files came and went on disk and rows moved: `new_rows` gives the new row of each
        article of the queue, in its order (None: gone). The queue stays on the article shown
        (the next one when it is gone), and keeps what it remembered of each article."""
        keep = [i for i, r in enumerate(new_rows) if r is not None]
        position = next((n for n, i in enumerate(keep) if i >= self.position), max(len(keep) - 1, 0))
        moved = {old: new_rows[i] for i, old in enumerate(self.rows) if new_rows[i] is not None}
        self.before = {moved[r]: s for r, s in self.before.items() if r in moved}
        self.rows = [new_rows[i] for i in keep]
        self.position = position

    def touching(self, row: int) -> None:
        """A decision is about to change `row`: remember it as it is, the first time."""
        if row not in self.before:
            self.before[row] = self.summary_of(row)

    def changed(self, row: int) -> str:
        """ "published", "unpublished", "edited" or "" for an article since triage began."""
        old = self.before.get(row)
        if old is None:
            return ""
        new = self.summary_of(row)
        if new.published != old.published:
            return "published" if new.published else "unpublished"
        return "edited" if any(getattr(new, k) != getattr(old, k) for k in EDITED) else ""

    def counts(self) -> Counts:
        kinds = [self.changed(r) for r in self.before]
        return Counts(
            self.position + 1 if self.rows else 0, len(self.rows),
            kinds.count("published"), kinds.count("unpublished"), kinds.count("edited"),
        )  # fmt: skip
