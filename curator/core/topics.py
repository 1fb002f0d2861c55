"""Topics across a folder: how often each is used, which spellings are variants of one another,
renaming, merging and deleting them in every article (and in the site's taxonomy), and topics
suggested from the taxonomy's keywords.

Nothing here writes articles: `plan` says which files get which list, and the caller saves
them through the normal save path (the window as one undo step, the CLI in one batch). Only
`TaxonomyEdit.write` writes, a taxonomy file's `name:`/`parent:` line.
"""

from __future__ import annotations

import itertools
import operator
import os
import re
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import yaml

from .article import Summary
from .editing import EditError, edit_front
from .files import ByteEdit, read_file
from .frontmatter import SafeLoader
from .gently import back_off
from .site import Topic


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


def inventory(summaries: Iterable[Summary | None], site: Sequence[Topic] = ()) -> list[TopicInfo]:
    """Every topic of the folder and of the taxonomy, most used first."""
    counts: Counter[str] = Counter()
    for s in summaries:
        if s is not None:
            counts.update(set(s.topics))  # articles, not occurrences
    declared = {t.name: t for t in site}
    names = set(counts) | set(declared)
    variants = {n: tuple(o for o in g if o != n) for g in variant_groups(names) for n in g}
    out = [
        TopicInfo(n, counts.get(n, 0), n in declared, declared[n].parent if n in declared else "", variants.get(n, ()))
        for n in names
    ]
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


# --- the taxonomy --------------------------------------------------------------------------


#: A taxonomy file's new bytes: only its `name:` or `parent:` line differs.
TaxonomyEdit = ByteEdit


def taxonomy_files(root: str | os.PathLike[str]) -> list[str]:
    folder = os.path.join(os.fspath(root), "_data", "topics")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]


def taxonomy_renames(root: str | os.PathLike[str], olds: Collection[str], new: str) -> list[TaxonomyEdit]:
    """The edits a rename (or merge) makes to the taxonomy: the `name:` of the topic renamed,
    and the `parent:` of its children. A merge into a name the taxonomy already has renames
    nothing (the others' files are left for the editor to remove)."""
    declared = set()
    edits = []
    files = []
    for path in taxonomy_files(root):
        try:
            data, _ = read_file(path)
            text = data.decode("utf-8-sig")
            mapping = yaml.load(text, Loader=SafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(mapping, dict):
            files.append((path, data, text, mapping))
            if isinstance(mapping.get("name"), str):
                declared.add(mapping["name"])
    for path, data, text, mapping in files:
        change = {}
        if mapping.get("name") in olds and new not in declared:
            change["name"] = new
        if mapping.get("parent") in olds:
            change["parent"] = new
        if not change:
            continue
        newline = "\r\n" if "\r\n" in text else "\n"
        try:
            edited = edit_front(text, change, newline)
            after = yaml.load(edited, Loader=SafeLoader)
        except (EditError, yaml.YAMLError):
            continue
        if after != {**mapping, **change}:
            continue  # it would not read back as intended: leave that file alone
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        edits.append(TaxonomyEdit(path, data, bom + edited.encode("utf-8")))
    return edits


# --- suggestions ---------------------------------------------------------------------------


#: A topic this share of the folder's tagged articles have is the site's subject...
COMMON_SHARE = 0.95
#: ...when at least this many articles are tagged (a small folder says little).
COMMON_LEAST = 20


_TOPICS = operator.attrgetter("topics")
#: rows a C call of the tally takes at once: it holds the GIL to its end, and each Qt call the
#: GUI thread makes meanwhile waits for it (see table.count_facets; 256 rows take ~0.05 ms)
TALLY_PIECE = 256


def common_topics(summaries: Iterable[Summary | None]) -> list[str]:
    """Topics (nearly) every tagged article of the folder has: the site's own subject, such as
    "Power Apps" on a Power Apps news site. Suggested for every article."""
    return tally(summaries)[1]


def tally(summaries: Iterable[Summary | None], cancel: threading.Event | None = None) -> tuple[set[str], list[str]]:
    """Every topic of the folder, and its common topics, counted in pieces at C speed (at
    100,000 articles a worker counting one by one held the GIL the GUI thread needed).
    Stops between pieces once `cancel` is set (what it counted so far is of no use then)."""
    items = summaries if isinstance(summaries, list) else list(summaries)
    counts: Counter[str] = Counter()
    tagged = 0
    for start in range(0, len(items), TALLY_PIECE):
        if cancel is not None and cancel.is_set():
            return set(), []
        back_off()  # (while the user scrolls)
        lists = list(filter(None, map(_TOPICS, filter(None, items[start : start + TALLY_PIECE]))))  # in C
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
