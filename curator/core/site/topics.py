"""Topics across a folder: how often each is used, which spellings are variants of one another,
renaming, merging and deleting them in every article (and in the site's taxonomy), and topics
suggested from the taxonomy's keywords.

`SiteTopics` is the one place that knows the site's topics: the taxonomy (core.site.taxonomy),
its aliases, the topics retired by a merge or a delete, and (given the articles) the topics
in use. The Topics manager, completion, suggestions and the CLI ask it, and it plans a
rename, merge or delete whole: the articles' new lists and the site files' edits.

Nothing here writes: the caller saves the articles through the normal save path (the window
as pending edits, one undo step; the CLI in one batch), and writes the site files' ByteEdits
(taxonomy files and `.curator.yml`, which are not articles) at once.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from curator.core.document.writes import ByteEdit
from curator.core.gently import back_off
from curator.core.site import taxonomy
from curator.core.site.article import Summary
from curator.core.site.taxonomy import Taxonomy, Topic


def fold(name: str) -> str:
    """The spelling-free form of a topic: case, spaces, hyphens and underscores ignored."""
    return " ".join(re.sub(r"[-_]+", " ", name).split()).casefold()


#: Names this short are never grouped by one edit ("AI" and "BI" are different topics).
MIN_EDIT_LENGTH = 5
#: ...nor names this long (each is looked up by its every one-letter deletion).
MAX_EDIT_LENGTH = 200


def variant_groups(names: Iterable[str]) -> list[list[str]]:
    """Groups of two or more names that are likely the same topic: equal once folded (case,
    spacing, hyphens), or one edit apart (typos, a plural 's') when long enough.

    No pair is compared: names are bucketed by their folded form, and by each form with one
    letter deleted (with where it was deleted). Two forms of one length that share a deletion
    at one place differ by one letter there; a form that is another's deletion is one letter
    shorter. So each bucket is a set of names one edit apart, in time linear in the names
    (10,000 topics compared pair by pair took 30 s)."""
    names = sorted(set(names), key=lambda n: (fold(n), n))
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    first: dict[object, str] = {}  # a bucket's key -> the first name in it

    def join(key: object, name: str) -> None:
        if (other := first.setdefault(key, name)) is not name:
            parent[find(name)] = find(other)

    for name in names:
        join(fold(name), name)
    for name in names:
        folded = fold(name)
        if MIN_EDIT_LENGTH <= len(folded) <= MAX_EDIT_LENGTH:
            for i in range(len(folded)):
                shorter = folded[:i] + folded[i + 1 :]
                join((shorter, i), name)  # the same but at i: one letter changed
                if len(shorter) >= MIN_EDIT_LENGTH and shorter in first:
                    join(shorter, name)  # one letter added to a name
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(find(n), []).append(n)
    return [g for g in groups.values() if len(g) > 1]


@dataclass(frozen=True, slots=True)
class TopicInfo:
    name: str
    count: int  # articles that have it
    in_taxonomy: bool
    parent: str = ""
    variants: tuple[str, ...] = ()  # other names likely meaning the same
    retired: bool = False  # retired by a merge or a delete (listed only while articles have it)
    aliases: tuple[str, ...] = ()  # other names of it in the taxonomy


def inventory(
    topic_lists: Iterable[Sequence[str] | None], site: Sequence[Topic] = (), retired: Collection[str] = ()
) -> list[TopicInfo]:
    """Every topic of the folder (`topic_lists`: each article's topics, None for one not known
    yet) and of the taxonomy, most used first; a retired topic only while an article has it."""
    counts: Counter[str] = Counter()
    for topics in topic_lists:
        if topics:
            counts.update(set(topics))  # articles, not occurrences
    declared: dict[str, Topic] = {}
    for t in site:
        declared.setdefault(t.name, t)
    names = {n for n in set(counts) | set(declared) if n in counts or n not in retired}
    variants = {n: tuple(o for o in g if o != n) for g in variant_groups(names) for n in g}
    out = []
    for n in names:
        entry = declared.get(n)
        parent, aliases = (entry.parent, entry.aliases) if entry is not None else ("", ())
        out.append(
            TopicInfo(n, counts.get(n, 0), entry is not None, parent, variants.get(n, ()), n in retired, aliases)
        )
    return sorted(out, key=lambda t: (-t.count, t.name.casefold()))


def replaced(topics: Sequence[str], olds: Collection[str], new: str | None) -> list[str]:
    """The list with each of `olds` replaced by `new` (None: removed): `new` once, where the
    first of them (or `new` itself) stood; the rest keep their order."""
    out, placed = [], False
    for topic in topics:
        if topic in olds or topic == new:
            if new is not None and not placed:
                out.append(new)
                placed = True
            continue
        out.append(topic)
    return out


def bad_topics(summary: Summary) -> bool:
    """The file's topics are not a plain list of text: a list written from the summary would lose items."""
    return any(message.startswith("topics:") for _, message in summary.warnings)


@dataclass(frozen=True, slots=True)
class Plan:
    changes: dict[str, tuple[tuple[str, ...], list[str]]]  # path -> (topics now, topics after)
    skipped: list[str]  # files whose topics are not a list of text: left alone


def plan(summaries: Iterable[Summary | None], olds: Collection[str], new: str | None) -> Plan:
    """What renaming (or merging, with several `olds`; or deleting, with `new` None) does to each article."""
    olds = set(olds)
    changes, skipped = {}, []
    for s in summaries:
        if s is None or not olds.intersection(s.topics):
            continue
        if bad_topics(s):
            skipped.append(s.path)
            continue
        after = replaced(s.topics, olds, new)
        if after != list(s.topics):
            changes[s.path] = (s.topics, after)
    return Plan(changes, skipped)


# --- suggestions ---------------------------------------------------------------------------


#: A topic this share of the folder's tagged articles have is the site's subject...
COMMON_SHARE = 0.95
#: ...when at least this many articles are tagged (a small folder says little).
COMMON_LEAST = 20


#: rows a C call of the tally takes at once: it holds the GIL to its end, and each Qt call the
#: GUI thread makes meanwhile waits for it (see table.count_facets; 256 rows take ~0.05 ms)
TALLY_PIECE = 256


def common_topics(topic_lists: Iterable[Sequence[str] | None]) -> list[str]:
    """Topics (nearly) every tagged article of the folder has: the site's own subject, such as
    "Power Apps" on a Power Apps news site. Suggested for every article. (`topic_lists`: each
    article's topics.)"""
    return tally(topic_lists)[1]


def tally(
    topic_lists: Iterable[Sequence[str] | None], cancel: threading.Event | None = None
) -> tuple[set[str], list[str]]:
    """Every topic of the folder (`topic_lists`: each article's topics, None for one not known
    yet), and its common topics, counted in pieces at C speed (at 100,000 articles a worker
    counting one by one held the GIL the GUI thread needed).
    Stops between pieces once `cancel` is set (what it counted so far is of no use then)."""
    items = topic_lists if isinstance(topic_lists, Sequence) else list(topic_lists)
    # (a table's packed lists count their pieces without making a tuple a row: rows.TopicLists)
    packed: Callable[[int, int], tuple[int, Counter[str]]] | None = getattr(items, "counted", None)
    counts: Counter[str] = Counter()
    tagged = 0
    step = TALLY_PIECE if packed is None else TALLY_PIECE * 16  # (numbers counted in C: ~0.6 ms a piece)
    for start in range(0, len(items), step):
        if cancel is not None and cancel.is_set():
            return set(), []
        back_off()  # (while the user scrolls)
        if packed is not None:
            some, counted = packed(start, start + step)
            tagged += some
            counts.update(counted)
            continue
        lists = list(filter(None, items[start : start + TALLY_PIECE]))  # in C
        tagged += len(lists)
        counts.update(itertools.chain.from_iterable(lists))  # occurrences: a topic is rarely listed twice
    common = [t for t, n in counts.most_common() if n >= COMMON_SHARE * tagged] if tagged >= COMMON_LEAST else []
    return set(counts), common


#: What may join the words of a keyword in a text: spaces and hyphens, or nothing ("PowerApps").
_GAP = re.compile(r"[\s\-]+")
_JOIN = re.compile(r"[\s\-]*")
_WORD = re.compile(r"\w")
#: A keyword of more words than this is never matched (a keyword names a topic; the words of a
#: longer one would make each match cost as much as the keyword is long).
MAX_KEYWORD_WORDS = 12


def lowered(text: str) -> str:
    """The text in lower case, as long as the text (indexes of the one are indexes of the other)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def keyword_words(keyword: str) -> tuple[str, ...]:
    """A keyword as the words it is matched by (lower case; spaces and hyphens between them)."""
    return tuple(w for w in _GAP.split(lowered(keyword)) if w)


def has_words(low: str, words: Sequence[str]) -> bool:
    """Whether `low` (a lowered text) holds these words in order as whole words, joined by
    spaces, hyphens or nothing. Plain string searches, never a pattern made of the words: a
    keyword is data from a file (a keyword with a run of 60 spaces made a regex backtrack)."""
    first, rest = words[0], words[1:]
    start = low.find(first)
    while start >= 0:
        if start == 0 or not _WORD.match(low, start - 1):
            end = start + len(first)
            for word in rest:
                end = _JOIN.match(low, end).end()  # type: ignore[union-attr]  (matches the empty string)
                if not low.startswith(word, end):
                    break
                end += len(word)
            else:
                if not _WORD.match(low, end):
                    return True
        start = low.find(first, start + 1)
    return False


class Suggester:
    """Topics suggested for an article from the taxonomy: a topic whose keyword (or name)
    appears in the title, excerpt or body as whole words, case-insensitive (words may be
    joined by spaces, hyphens or nothing: "PowerApps"), plus the parents of each topic found,
    plus the folder's common topics (see common_topics)."""

    def __init__(self, site: Sequence[Topic], common: Sequence[str] = ()):
        self.common = list(common)
        self.parents = {t.name: t.parent for t in site}
        self.keywords: list[tuple[str, list[tuple[str, ...]]]] = []
        for topic in site:
            found = {keyword_words(k) for k in (*topic.keywords, topic.name)}
            words = sorted(w for w in found if 0 < len(w) <= MAX_KEYWORD_WORDS)
            if words:
                self.keywords.append((topic.name, words))

    def suggest(self, text: str, have: Iterable[str] = (), refused: Iterable[str] = ()) -> list[str]:
        """Topics for this text, in taxonomy order, without those the article has or the
        editor removed from it."""
        low = lowered(text)
        found = [name for name, keywords in self.keywords if any(has_words(low, words) for words in keywords)]
        with_parents: list[str] = list(self.common)
        for name in found:
            chain = [name]
            while (parent := self.parents.get(chain[-1], "")) and parent not in chain:
                chain.append(parent)
            with_parents.extend(t for t in reversed(chain) if t not in with_parents)
        skip = {fold(t) for t in (*have, *refused)}  # "power apps" on the article: no "Power Apps" too
        return [t for t in with_parents if fold(t) not in skip]


# --- the site's topics, in one place ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """A rename, merge or delete planned whole, before anything is written: each article's new
    topics (saved as any edit) and the site files' edits (written at once)."""

    articles: Plan
    files: list[ByteEdit]  # taxonomy files and `.curator.yml`
    retired: list[str]  # the names it retires


class SiteTopics:
    """The site's topics: the taxonomy's entries and their aliases, the topics retired by a
    merge or a delete (never suggested or completed again), and the files that could not be
    read. Made from the files as they are (read()); made again after each change of them, and
    after its Undo or Redo, so no copy goes stale."""

    def __init__(self, site: Taxonomy | None = None):
        self.taxonomy = site if site is not None else Taxonomy("")
        self.retired = frozenset(self.taxonomy.retired)
        self.topics = self.taxonomy.topics
        self.declared = {t.name for t in self.topics}
        #: another name of a topic -> the topic (a merged one kept as an alias)
        self.aliases = {a: t.name for t in self.active() for a in t.aliases if a != t.name}

    @classmethod
    def read(cls, root: str | os.PathLike[str]) -> SiteTopics:
        return cls(taxonomy.read(root))

    def active(self) -> list[Topic]:
        """The taxonomy's topics that are not retired."""
        return [t for t in self.topics if t.name not in self.retired]

    def known(self, in_use: Iterable[str]) -> set[str]:
        """The topics completion offers: those in use or declared, but not retired."""
        return (set(in_use) | self.declared) - self.retired

    def suggester(self, common: Sequence[str] = ()) -> Suggester:
        """Suggestions from the active topics (an alias matches as a keyword of its topic);
        a retired topic is never suggested, not even as a parent or a common topic."""
        site = [
            Topic(t.name, "" if t.parent in self.retired else t.parent, (*t.keywords, *t.aliases))
            for t in self.active()
        ]
        return Suggester(site, [c for c in common if c not in self.retired])

    def inventory(self, topic_lists: Iterable[Sequence[str] | None]) -> list[TopicInfo]:
        return inventory(topic_lists, self.topics, self.retired)

    def merged_entries(self, olds: Collection[str], new: str) -> list[str]:
        """The olds whose taxonomy entries a merge into `new` removes or keeps as aliases
        (see taxonomy.merged_entries): where there are any, ask which."""
        return taxonomy.merged_entries(self.taxonomy, olds, new)

    def plan(
        self, summaries: Iterable[Summary | None], action: str, olds: Collection[str], new: str | None,
        keep_alias: bool = True, site: bool = True,
    ) -> Change:  # fmt: skip
        """`action` ("rename", "merge" or "delete", with `new` None) planned whole. A merge or
        a delete retires the old names; with `site` false (only some articles, e.g. the CLI's
        --where) the site's files are left alone. Raises taxonomy.TaxonomyError before anything
        is written when a site file cannot be read or edited."""
        retire = action in ("merge", "delete")
        files = taxonomy.plan(self.taxonomy, olds, new, keep_alias, retire) if site else []
        retired = [o for o in dict.fromkeys(olds) if o != new and o not in self.retired] if retire and site else []
        return Change(plan(summaries, olds, new), files, retired)
