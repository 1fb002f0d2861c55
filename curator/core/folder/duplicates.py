"""Groups of articles of the open folder that tell the same story.

Two articles are the same story when one of these holds (each checked on candidates found by
blocking on keys, so 100,000 articles take no pairwise comparison):

- their `originalUrl` is the same page once canonical (`canonical_url`: scheme, `www.`/`m.`/
  `amp.` hosts, trailing slash, fragment, tracking parameters and AMP variants set aside; the
  parameters that name the content, such as YouTube's `v=`, kept);
- their titles are equal once the wire-service prefixes ("RE-TRANSMISSION:", "UPDATE:") and a
  "| Provider" / "- Provider" suffix naming a provider of the folder are set aside, up to case,
  punctuation and one typo in one word (a substitution or a swap of two letters, never in a word
  with a digit), they have at least four words, and they were published within a month;
- their excerpts are equal, or one is the whole of the other's first sentence or its start (at
  least eight words; a first sentence that opens several different excerpts, a series'
  boilerplate, is not enough), their titles name the same numbers (or one title fewer), and the
  titles are not alike but for one span of words put for another (`near_miss`).

Near misses (a year, a number, a product name apart) fail each rule: numbers are never a typo
and a title rule needs every other word equal. Measured on the labelled sets in
tests/core/test_duplicates.py; the rules use only the standard library, which measured as well as
rapidfuzz and MinHash (see the commit that added this module).

The suggested keeper of a group comes first: published first, then higher quality, then the
earliest, then the path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from sys import intern
from urllib.parse import parse_qsl, urlencode, urlsplit

from curator.core.gently import paused_gc, trim_heap
from curator.core.site.article import Summary

#: Query parameters that say how a reader arrived, never which page it is.
TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src", "referrer", "source", "src",
        "cmpid", "ocid", "smid", "sr_share", "share", "amp", "outputtype", "output", "ito", "ncid",
        "wt.mc_id", "cid_source", "feature", "si",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "at_")
_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
#: a URL of the common shape, scheme://host/path: no query, fragment, port, user, brackets or
#: space, an ASCII host (canonical_url takes it apart without urlsplit, as urlsplit would)
_PLAIN_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://([A-Za-z0-9._~\-]+)(/[^?#\s]*)?")
_PREFIXES = re.compile(
    r"^\s*(?:re-?transmission|correction|corrected|corrects|update|updated|repeat|press release|breaking|exclusive)"
    r"\s*[:\-\u2013\u2014]\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014:]+\s+")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
#: Titles closer than this in time may be one story under one title.
TITLE_WINDOW = dt.timedelta(days=31)
MIN_TITLE_WORDS = 4
MIN_EXCERPT_WORDS = 8
#: A blocking key shared by more articles than this is too common to mean anything (an empty
#: or boilerplate excerpt); its candidates are not compared.
MAX_BUCKET = 200


def canonical_url(url: str) -> str:
    """The page a URL names, written one way: `host/path?sorted-query` (see module doc)."""
    url = (url or "").strip()
    if not url:
        return ""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:  # (as urlsplit takes it apart: its parse was most of this function's time)
        host, path, query = plain[1].lower().rstrip("."), plain[2] or "", []
    else:
        try:
            parts = urlsplit(url if "//" in url else "//" + url)
            host = (parts.hostname or "").lower().rstrip(".")
        except ValueError:
            return url.casefold()
        path = parts.path
        query = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)
        ]
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    if "//" in path:
        path = re.sub(r"/{2,}", "/", path)
    if host == "youtu.be" and path.strip("/"):
        host, query, path = "youtube.com", [("v", path.strip("/")), *query], "/watch"
    elif host == "youtube.com" and path.startswith(("/embed/", "/shorts/", "/v/")):
        video = path.split("/")[2]
        host, query, path = "youtube.com", [("v", video), *query], "/watch"
    if host == "youtube.com":
        query = [(k, v) for k, v in query if k in ("v", "list")]  # t=, index= and the like say where to start
    for amp in ("/amp", ".amp", "/amp.html"):
        if path.lower().endswith(amp):
            path = path[: -len(amp)]
    if path.lower().startswith("/amp/"):
        path = path[4:]
    path = path.rstrip("/")
    return host + path + ("?" + urlencode(sorted(query)) if query else "")


def words(text: str) -> list[str]:
    """The words of a text, casefolded, with entities decoded and punctuation set aside.

    Interned: a Grouper keeps every article's words (4.7 million at 100,000 generated articles,
    248 MB as a string each; a few tens of thousands of them differ)."""
    text = unicodedata.normalize("NFKC", html.unescape(text or "")).casefold()
    return list(map(intern, _WORD.findall(text.replace("_", " "))))


def title_words(title: str, providers: frozenset[str]) -> list[str]:
    """A title's words without wire prefixes or a trailing provider name."""
    text = unicodedata.normalize("NFKC", html.unescape(title or ""))
    while True:
        shorter = _PREFIXES.sub("", text, count=1)
        if shorter == text:
            break
        text = shorter
    pieces = _SEPARATORS.split(text)
    if len(pieces) > 1 and " ".join(words(pieces[-1])) in providers:
        text = text[: text.rfind(pieces[-1])]
        text = _SEPARATORS.sub(" ", text.rstrip(" |-\u2013\u2014:")) if text.strip() else pieces[0]
    return words(text)


def provider_names(items: Iterable[Summary]) -> frozenset[str]:
    """The names a title may end with: each provider's name and domain (with and without its suffix)."""
    names: set[str] = set()
    for s in items:
        names |= _provider_names(s.provider_name, s.provider_domain)
    return frozenset(names)


@functools.lru_cache(maxsize=4096)
def _provider_names(name: str, domain: str) -> frozenset[str]:
    """One provider's names (see provider_names): a folder has a few hundred providers, and
    each of 100,000 articles read its own again (0.77 s of a grouping)."""
    names = {" ".join(words(n)) for n in (name, domain) if n}
    if domain:
        names.add(" ".join(words(domain.split(".")[0])))
    names.discard("")
    return frozenset(names)


def one_typo(a: str, b: str) -> bool:
    """Words of one length, without digits, at least four letters, one substitution or swap apart."""
    if len(a) != len(b) or len(a) < 4 or a == b or any(c.isdigit() for c in a + b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _numbers(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words of a title that hold a digit, sorted, repeats kept ("June 4th and 5th")."""
    return tuple(sorted(t for t in tokens if any(c.isdigit() for c in t)))


def _within(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Whether every number of x is among y's (as many times)."""
    return not Counter(x) - Counter(y)


def _agree(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    return _within(x, y) or _within(y, x)


@dataclass(slots=True)
class Story:
    """What the rules compare of one article. Its excerpt's words and its canonical URL are read
    from the Summary's text when asked for (a few recent ones cached: see excerpt_words), not
    kept: at 100,000 generated articles they were 18 MB of tuples and 13.5 MB of strings."""

    path: str
    link: str  # the Summary's originalUrl, as written ("" when it is not text)
    title: tuple[str, ...]
    text: str  # the Summary's excerpt, as written
    date: dt.datetime | None
    published: bool
    quality: int | None

    @property
    def url(self) -> str:
        """The canonical form of its link (see canonical_url)."""
        return _canonical(self.link)

    @property
    def excerpt(self) -> tuple[str, ...]:
        return excerpt_words(self.text)[0]

    @property
    def first(self) -> tuple[str, ...]:
        """The words of the excerpt's first sentence."""
        return excerpt_words(self.text)[1]


_canonical = functools.lru_cache(maxsize=4096)(canonical_url)


@functools.lru_cache(maxsize=4096)
def excerpt_words(excerpt: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of an excerpt and of its first sentence (one tuple when it is one sentence)."""
    text = html.unescape(excerpt)
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text.strip() else ""
    words_of, opening = tuple(words(text)), tuple(words(first))
    return words_of, words_of if opening == words_of else opening


def story(s: Summary, url: str, providers: frozenset[str]) -> Story:
    return Story(
        s.path,
        url if isinstance(url, str) else "",
        tuple(title_words(s.title, providers)),
        s.excerpt or "",
        s.date,
        s.published,
        s.quality,
    )


def _near(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    if a is None or b is None:
        return True
    try:
        return abs(a - b) <= TITLE_WINDOW
    except TypeError:  # one with a time zone, one without
        return abs(a.replace(tzinfo=None) - b.replace(tzinfo=None)) <= TITLE_WINDOW


def same_title(a: Story, b: Story) -> bool:
    if len(a.title) < MIN_TITLE_WORDS or len(a.title) != len(b.title) or not _near(a.date, b.date):
        return False
    diff = [i for i in range(len(a.title)) if a.title[i] != b.title[i]]
    return not diff or (len(diff) == 1 and one_typo(a.title[diff[0]], b.title[diff[0]]))


def _excerpt_forms(s: Story) -> list[tuple[str, ...]]:
    forms = [f for f in (s.excerpt, s.first) if len(f) >= MIN_EXCERPT_WORDS]
    return list(dict.fromkeys(forms))


def near_miss(a: Sequence[str], b: Sequence[str]) -> bool:
    """Titles alike but for one span of words put for another ("with Microsoft Power Platform" and
    "with Salesforce", "2019 release wave 2" and "2020 release wave 1"): another story."""
    ops = [op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(ops) != 1 or ops[0][0] != "replace":
        return False
    _, i1, i2, _, _ = ops[0]
    return len(a) - (i2 - i1) >= max(len(a), len(b)) / 2


def same_excerpt(a: Story, b: Story, boilerplate: Callable[[tuple[str, ...]], bool] = lambda first: False) -> bool:
    if not _agree(_numbers(a.title), _numbers(b.title)) or near_miss(a.title, b.title):
        return False
    if len(a.excerpt) >= MIN_EXCERPT_WORDS and a.excerpt == b.excerpt:
        return not boilerplate(a.excerpt)  # two copies of a series' opening line tell nothing
    # one excerpt is the other's first sentence: not when that sentence opens several different
    # excerpts ("In this feature overview video series, ...": a series' boilerplate)
    for short, full in ((a, b), (b, a)):
        if len(short.excerpt) >= MIN_EXCERPT_WORDS and short.excerpt == full.first and not boilerplate(full.first):
            return True
    (short, _), (long, first) = sorted(((a.excerpt, a.first), (b.excerpt, b.first)), key=lambda x: len(x[0]))
    if len(short) <= len(first) and boilerplate(first):
        return False
    return len(short) >= 12 and long[: len(short)] == short  # one excerpt cut shorter than the other


def same_story(a: Story, b: Story, boilerplate: Callable[[tuple[str, ...]], bool] = lambda first: False) -> str:
    """Why two articles tell one story ("url", "title", "excerpt"), or "" when they do not."""
    if a.url and a.url == b.url:
        return "url"
    if same_title(a, b):
        return "title"
    if same_excerpt(a, b, boilerplate):
        return "excerpt"
    return ""


#: keeps a key in one digit of a Python int (see _keys)
_KEY_MASK = (1 << 30) - 1


def _keys(s: Story) -> Iterable[int]:
    """The blocking keys of a story, as hashes: two stories that share one are compared. (A
    hash is a key: two keys that collide only make a comparison more, which the rules decide;
    hashing the tuples of words took a third of the time of joining them into strings, and
    100,000 articles' 2.7 million keys take ints' memory, not strings'. Cut to 30 bits, an int
    is one digit, 28 bytes, not 36: 10 MB less at 100,000 generated articles, for some hundreds
    of collisions, a comparison more each; one that lands on a bucket of exactly MAX_BUCKET
    paths, a chance in ~1,000 for such a bucket, puts it past the limit.)"""
    if s.url:
        yield hash(("u", s.url)) & _KEY_MASK
    title = s.title
    n = len(title)
    if n >= MIN_TITLE_WORDS:
        for i in range(n):  # one key per word left out: titles one typo apart share one
            yield hash((i, title[:i] + title[i + 1 :])) & _KEY_MASK
    for form in _excerpt_forms(s):
        yield _excerpt_key(form)
    if len(s.excerpt) >= 12:
        yield hash(("p", s.excerpt[:12])) & _KEY_MASK


def _excerpt_key(form: tuple[str, ...]) -> int:
    return hash(("e", form)) & _KEY_MASK


_STRENGTH = {"url": 0, "title": 1, "excerpt": 2}


def _apart(a: Story, b: Story) -> float:
    if a.date is None or b.date is None:
        return float("inf")
    try:
        return abs((a.date - b.date).total_seconds())
    except TypeError:
        return abs((a.date.replace(tzinfo=None) - b.date.replace(tzinfo=None)).total_seconds())


def keeper_order(s: Story) -> tuple:
    """Published first, then higher quality, then the earliest, then the path."""
    stamp = s.date.timestamp() if s.date else float("inf")
    return (not s.published, -(s.quality if s.quality is not None else -(2**63)), stamp, s.path)


@dataclass(slots=True)
class Group:
    """Articles telling one story, the suggested keeper first, with the rules that joined them."""

    paths: list[str]
    reasons: list[str]


def _grouped_by(s: Summary) -> tuple:
    """What of a summary the rules read (published and quality only order a group)."""
    return (s.title, s.excerpt, s.url, s.provider_name, s.provider_domain, s.date)


def _paths(bucket: str | list[str] | None) -> Sequence[str]:
    """The paths of a bucket (see Grouper._buckets)."""
    if bucket is None:
        return ()
    return (bucket,) if type(bucket) is str else bucket


def _names(s: Summary) -> frozenset[str]:
    """The provider names one article brings (see provider_names)."""
    return _provider_names(s.provider_name, s.provider_domain)


def _tail(title: str) -> str:
    """A title's last piece after a separator, as words: the provider name it may end with."""
    text = unicodedata.normalize("NFKC", html.unescape(title or ""))
    while (shorter := _PREFIXES.sub("", text, count=1)) != text:
        text = shorter
    pieces = _SEPARATORS.split(text)
    return " ".join(words(pieces[-1])) if len(pieces) > 1 else ""


#: Keys held by one path each, beyond which Buckets.freeze puts them in its sorted columns.
FREEZE = 65_536


class Buckets:
    """Blocking key -> its paths (one path as itself, more in a list): a dict for the keys held
    by several paths and those that came lately, and the keys held by one path frozen in two
    sorted columns (an array of keys, a list of paths; None where the path left since).

    1.26 million keys at 100,000 generated articles, nearly all held by one path, took 66 MB in
    a dict (its table and an int per key); frozen, 20 MB. A lookup there is a bisection (a few
    µs), made only for the articles that change after the first grouping.
    """

    def __init__(self) -> None:
        self.recent: dict[int, str | list[str]] = {}
        self.keys = array("q")
        self.paths: list[str | None] = []

    def _frozen(self, key: int) -> int:
        """The key's place in the frozen columns, or -1."""
        keys = self.keys
        i = bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else -1

    def get(self, key: int) -> str | list[str] | None:
        found = self.recent.get(key)
        if found is None and self.keys:
            i = self._frozen(key)
            if i >= 0:
                found = self.paths[i]
        return found

    def __setitem__(self, key: int, paths: str | list[str]) -> None:
        if self.keys and (i := self._frozen(key)) >= 0:
            self.paths[i] = None
        self.recent[key] = paths

    def __delitem__(self, key: int) -> None:
        if self.recent.pop(key, None) is None and self.keys and (i := self._frozen(key)) >= 0:
            self.paths[i] = None

    def __len__(self) -> int:
        return len(self.recent) + len(self.paths) - self.paths.count(None)

    def freeze(self) -> bool:
        """Move the keys held by one path into the sorted columns, once there are FREEZE of them
        (True then)."""
        recent = self.recent
        singles = [key for key, paths in recent.items() if type(paths) is str]
        if len(singles) < FREEZE:
            return False
        if self.keys:  # (frozen before: those that still hold a path go in again)
            still = [(key, path) for key, path in zip(self.keys, self.paths, strict=True) if path is not None]
            recent.update(still)
            singles.extend(key for key, _ in still)
            del still
        # one sort, in place (the keys' own ints, no pairs: a tuple per key doubled the peak). The
        # Grouper runs in a process of its own (grouping.py) or the CLI: no GUI thread waits for
        # the GIL, which the pieces sorted and merged in Python before were for (1.7 s of the
        # 100k grouping under a profiler; this sort takes a few hundred ms)
        singles.sort()
        self.keys, self.paths = array("q", singles), list(map(recent.__getitem__, singles))
        del singles
        self.recent = {key: paths for key, paths in recent.items() if type(paths) is not str}
        return True


class Grouper:
    """Groups of one folder, kept up to date: `update` takes arrivals, changed and removed
    articles and costs lookups in proportion to them, not to the folder.

    What it keeps: each article's Story, the blocking buckets (key -> paths), the pairs found
    alike (the edges), the provider names with how many articles name each, and the groups.
    The groups are a function of the edges alone: each connected part of the edge graph is
    joined by its pairs in one fixed order (strongest rule, nearest in time, then paths), so
    any order of arrivals gives the groups a grouping from scratch gives (a property test
    says so). What else one arrival may change is found by lookups too: a new provider name
    re-reads the titles ending with it, a first sentence becoming a series' boilerplate (or
    stopping being one) re-compares the articles it opens, a bucket growing past MAX_BUCKET
    (or shrinking back) re-compares its members.
    """

    def __init__(self) -> None:
        self.stories: dict[str, Story] = {}
        self._summaries: dict[str, Summary] = {}
        #: blocking key -> its paths: one path as itself, more in a list (2.7 million keys at 100,000
        #: articles, most of them held by one: a set or list each took 4x the memory and time)
        self._buckets = Buckets()
        self._frozen = False  # (keys were frozen by this update: see update)
        self._edges: dict[str, dict[str, str]] = defaultdict(dict)
        self._names: Counter[str] = Counter()
        self._tails: dict[str, set[str]] = defaultdict(set)  # title tail -> paths (see _tail)
        self._tail_of: dict[str, str] = {}
        #: first sentence -> the different longer excerpts it opens, counted (see boilerplate)
        self._openings: dict[tuple[str, ...], Counter[int]] = defaultdict(Counter)
        self._root: dict[str, str] = {}  # path -> the first path of its group (articles in a group only)
        self._members: dict[str, list[str]] = {}  # that path -> the group's paths
        self._reasons: dict[str, list[str]] = {}

    @property
    def providers(self) -> frozenset[str]:
        return frozenset(self._names)

    def boilerplate(self, first: tuple[str, ...]) -> bool:
        """Whether a first sentence opens two or more different excerpts (a series' opening line)."""
        return len(self._openings.get(first, ())) >= 2

    # -- keeping the state --

    def _detach(self, path: str, shrunk: set[int], flipped: set[tuple[str, ...]]) -> None:
        one = self.stories.pop(path)
        buckets = self._buckets
        for key in set(_keys(one)):
            bucket = buckets.get(key)
            if type(bucket) is str:
                del buckets[key]
                continue
            bucket.remove(path)
            if len(bucket) == MAX_BUCKET:
                shrunk.add(key)
            if len(bucket) == 1:
                buckets[key] = bucket[0]
        if len(one.excerpt) > len(one.first) >= MIN_EXCERPT_WORDS:
            openings = self._openings[one.first]
            was = len(openings) >= 2
            openings[hash(one.excerpt)] -= 1
            if openings[hash(one.excerpt)] <= 0:
                del openings[hash(one.excerpt)]
            if was != (len(openings) >= 2):
                flipped.add(one.first)
            if not openings:
                del self._openings[one.first]

    def _attach(self, one: Story, grown: set[int], flipped: set[tuple[str, ...]]) -> list[int]:
        """Put a story in its buckets; returns its keys."""
        self.stories[one.path] = one
        get, put = self._bucket_access()
        path = one.path
        keys = list(dict.fromkeys(_keys(one)))
        for key in keys:
            bucket = get(key)
            if bucket is None:
                put(key, path)
            elif type(bucket) is str:
                put(key, [bucket, path])
            else:
                bucket.append(path)
                if len(bucket) == MAX_BUCKET + 1:
                    grown.add(key)
        if len(one.excerpt) > len(one.first) >= MIN_EXCERPT_WORDS:
            openings = self._openings[one.first]
            was = len(openings) >= 2
            openings[hash(one.excerpt)] += 1
            if was != (len(openings) >= 2):
                flipped.add(one.first)
        return keys

    def _bucket_access(self) -> tuple[Callable[[int], str | list[str] | None], Callable[[int, str | list[str]], None]]:
        """The buckets' get and set: their dict's own while none is frozen (a first grouping
        looks keys up 2.6 million times at 100,000 articles; through Buckets' methods that
        was 2.4 s of 22 under a profiler)."""
        buckets = self._buckets
        if buckets.keys:
            return buckets.get, buckets.__setitem__
        return buckets.recent.get, buckets.recent.__setitem__

    def _count_names(self, s: Summary, step: int) -> None:
        for name in _names(s):
            self._names[name] += step
            if self._names[name] <= 0:
                del self._names[name]

    def update(self, summaries: Iterable[Summary] = (), removed: Iterable[str] = ()) -> set[str]:
        """Take arrivals and changed articles (their Summary, `url` the originalUrl) and forget
        removed paths; returns the paths whose group may have changed.

        The cyclic collector is paused meanwhile (nothing here makes a cycle): grouping 100,000
        articles builds millions of keys, lists and tuples, and its collections over them took
        a fifth of the time (7.1 s without, 9.1 s with, in one process). What it built lives as
        long as the grouper, so it is frozen out of the collector's sight after: else the first
        collection walks all of it, holding the GIL (a 300 ms gen0 collection as the window's
        grouping of 21,000 articles ended, then 155 ms of gen1 on the GUI thread)."""
        with paused_gc(keep=True):
            touched = self._update(summaries, removed)
        if self._frozen:  # (the keys' dict and what grouping many articles made, freed: 40 MB at
            trim_heap()  # 100,000 that the allocator would keep)
            self._frozen = False
        return touched

    def _update(self, summaries: Iterable[Summary], removed: Iterable[str]) -> set[str]:
        arriving = {s.path: s for s in summaries}
        reordered: set[str] = set()
        for path, s in list(arriving.items()):  # a change of what only orders a group (published, quality)
            was = self._summaries.get(path)
            if was is not None and path in self.stories and _grouped_by(was) == _grouped_by(s):
                del arriving[path]
                self._summaries[path] = s
                self.stories[path].published, self.stories[path].quality = s.published, s.quality
                reordered.update(self._members.get(self._root.get(path, ""), ()))
        gone = [p for p in dict.fromkeys(removed) if p in self._summaries and p not in arriving]
        shrunk: set[int] = set()
        grown: set[int] = set()
        flipped: set[tuple[str, ...]] = set()
        before = self.providers
        touched: set[str] = set()  # paths whose component must be joined again
        for path in [*gone, *(p for p in arriving if p in self._summaries)]:
            touched.update(self._members.get(self._root.get(path, ""), ()))
            touched.update(self._edges.get(path, ()))
            self._detach(path, shrunk, flipped)
            self._count_names(self._summaries.pop(path), -1)
            self._drop_edges(path)
            self._tails_discard(path)
        for s in arriving.values():
            self._count_names(s, +1)
            self._summaries[s.path] = s
        providers = self.providers
        # titles ending with a provider name that came or went are read again
        restory = {p for name in before ^ providers for p in self._tails.get(name, ()) if p in self._summaries}
        restory -= arriving.keys()
        for path in restory:
            touched.update(self._edges.get(path, ()))
            self._detach(path, shrunk, flipped)
        keys: dict[str, list[int]] = {}
        for path in [*arriving, *restory]:
            s = self._summaries[path]
            self._tails_discard(path)
            if tail := _tail(s.title):
                self._tails[tail].add(path)
                self._tail_of[path] = tail
            keys[path] = self._attach(story(s, s.url, providers), grown, flipped)
        dirty = set(arriving) | restory
        for key in grown | shrunk:
            dirty.update(_paths(self._buckets.get(key)))
        for first in flipped:
            dirty.update(_paths(self._buckets.get(_excerpt_key(first))))
        dirty &= self.stories.keys()
        for path in dirty:
            touched.update(self._edges.get(path, ()))
            touched.update(self._members.get(self._root.get(path, ""), ()))
            self._drop_edges(path)
        done: set[str] = set()
        get = self._bucket_access()[0]
        for path in sorted(dirty):
            done.add(path)
            one, seen = self.stories[path], set()
            for key in keys.pop(path, None) or dict.fromkeys(_keys(one)):
                bucket = _paths(get(key))
                if len(bucket) > MAX_BUCKET:
                    continue
                for other in bucket:
                    if other in done or other in seen:
                        continue
                    seen.add(other)
                    a, b = (other, path) if other < path else (path, other)
                    if why := same_story(self.stories[a], self.stories[b], self.boilerplate):
                        self._edges[path][other] = self._edges[other][path] = why
        touched |= dirty
        for path in gone:  # (the rest of its group, if any, is in `touched`: joined again below)
            if (root := self._root.pop(path, None)) is not None:
                self._members.pop(root, None)
                self._reasons.pop(root, None)
        self._frozen = self._buckets.freeze()
        return self._join({p for p in touched if p in self.stories}) | set(gone) | reordered

    def _tails_discard(self, path: str) -> None:
        tail = self._tail_of.pop(path, None)
        if tail is not None:
            self._tails[tail].discard(path)
            if not self._tails[tail]:
                del self._tails[tail]

    def _drop_edges(self, path: str) -> None:
        for other in self._edges.pop(path, {}):
            self._edges[other].pop(path, None)
            if not self._edges[other]:
                del self._edges[other]

    def _join(self, paths: set[str]) -> set[str]:
        """Group again the connected parts of the edge graph that hold these paths; returns the
        paths of those parts."""
        seen: set[str] = set()
        parts: list[list[str]] = []
        for start in paths:
            if start in seen:
                continue
            part, todo = [], [start]
            seen.add(start)
            while todo:
                p = todo.pop()
                part.append(p)
                for q in self._edges.get(p, ()):
                    if q not in seen:
                        seen.add(q)
                        todo.append(q)
            parts.append(part)
        for part in parts:  # (all the old groups dropped first: one may have split across parts)
            for p in part:
                root = self._root.pop(p, None)
                if root is not None:
                    self._members.pop(root, None)
                    self._reasons.pop(root, None)
        for part in parts:
            if len(part) > 1:
                self._join_part(part)
        return seen

    def _join_part(self, part: list[str]) -> None:
        """Join one connected part by its pairs, the strongest evidence first, then the nearest
        in time (a retelling that names no number joins the story of its own week, not a near
        miss a month later); a group never holds two titles whose numbers disagree."""
        stories = self.stories
        pairs = sorted(
            (_STRENGTH[why], _apart(stories[a], stories[b]), a, b, why)
            for a in part
            for b, why in self._edges[a].items()
            if a < b
        )
        parent = {p: p for p in part}
        numbers = {p: {_numbers(stories[p].title)} for p in part}
        reasons: dict[str, set[str]] = defaultdict(set)

        def find(p: str) -> str:
            while parent[p] != p:
                parent[p] = parent[parent[p]]
                p = parent[p]
            return p

        for _, _, a, b, why in pairs:
            ra, rb = find(a), find(b)
            if ra != rb:
                if why != "url" and any(not _agree(x, y) for x in numbers[ra] for y in numbers[rb]):
                    continue  # titles a number apart ("48 V" and "49 V"): near misses stay apart
                ra, rb = min(ra, rb), max(ra, rb)
                parent[rb] = ra
                numbers[ra] |= numbers.pop(rb)
                reasons[ra] |= reasons.pop(rb, set())
            reasons[ra].add(why)
        members: dict[str, list[str]] = defaultdict(list)
        for p in part:
            members[find(p)].append(p)
        for root, paths in members.items():
            if len(paths) > 1:
                key = min(paths)
                for p in paths:
                    self._root[p] = key
                self._members[key] = paths
                self._reasons[key] = sorted(reasons[root])

    # -- reading --

    def add(self, summaries: Iterable[Summary], urls: Mapping[str, str] | None = None) -> None:
        """Take arrivals (`urls` maps a path to its originalUrl when the summaries lack it)."""
        if urls:
            summaries = [
                dataclasses.replace(s, url=u) if isinstance(u := urls.get(s.path), str) else s for s in summaries
            ]
        self.update(summaries)

    def group_of(self, path: str) -> list[str]:
        """The paths of its group, keeper first; [] when it is in none."""
        root = self._root.get(path)
        if root is None:
            return []
        return sorted(self._members[root], key=lambda p: keeper_order(self.stories[p]))

    def members(self) -> dict[str, list[str]]:
        """Every article in a group -> the paths of its group, keeper first (what group_of gives
        for each, in one pass over the groups: the articles in none are not visited)."""
        out: dict[str, list[str]] = {}
        for paths in self._members.values():
            ordered = sorted(paths, key=lambda p: keeper_order(self.stories[p]))
            for path in ordered:
                out[path] = ordered
        return out

    def count(self) -> int:
        """How many groups (of two or more) there are."""
        return len(self._members)

    def groups(self, within: Iterable[str] | None = None) -> list[Group]:
        """Groups of two or more (of the paths `within`, when given), each keeper first, ordered by keeper."""
        members: dict[str, list[str]] = defaultdict(list)
        if within is None:
            for root, paths in self._members.items():
                members[root] = list(paths)
        else:
            for path in within:
                if (root := self._root.get(path)) is not None:
                    members[root].append(path)
        out = []
        for root, paths in members.items():
            if len(paths) > 1:
                paths.sort(key=lambda p: keeper_order(self.stories[p]))
                out.append(Group(paths, list(self._reasons.get(root, ()))))
        out.sort(key=lambda g: g.paths[0])
        return out


def group(summaries: Sequence[Summary], urls: Mapping[str, str] | None = None) -> list[Group]:
    """The groups of these articles (`urls`: a path's `originalUrl`, when the summaries lack it)."""
    grouper = Grouper()
    grouper.add(summaries, urls)
    return grouper.groups()


def pairs(groups: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    """Every pair of paths two groups say are one story (for measuring precision and recall)."""
    out = set()
    for g in groups:
        g = list(g)
        out |= {frozenset((a, b)) for i, a in enumerate(g) for b in g[i + 1 :]}
    return out


def numbered(groups: Iterable[Group]) -> dict[str, int]:
    """path -> the number of its group (from 1), for `Table.dups`."""
    return {path: n for n, g in enumerate(groups, 1) for path in g.paths}
