"""Typed, tolerant reading of the fields editors use.

Front matter is written by many hands and tools: a field may be missing or of the wrong type.
Nothing here raises on content; wrong types become warnings `path:line: message` and the field
falls back to "unknown".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from curator.core.document.editing import value_at
from curator.core.document.frontmatter import load_document
from curator.core.document.schema import FIELDS, INT64_MAX, INT64_MIN, TRACKED
from curator.core.document.snapshots import read_file
from curator.core.document.values import Parsed
from curator.core.site.profiles import NEWS, Profile

#: The fields the list keeps in memory with whether the file has them (see schema.TRACKED).
EDITABLE = TRACKED
#: The bit of Summary.missing that says the file lacks the key.
MISSING_BIT = {key: 1 << i for i, key in enumerate(EDITABLE)}
#: What an article without the key shows (a missing `published` means published, as in Jekyll).
DEFAULTS = {key: FIELDS[key].default for key in EDITABLE}
_ABSENT = object()


@dataclass(slots=True)
class Summary:
    """What the list, search and facets need of one article; kept for every file in memory."""

    path: str  # relative to the library root, with '/' separators
    title: str = ""
    excerpt: str = ""
    provider_name: str = ""
    provider_domain: str = ""
    provider_logo: str = ""
    date: dt.datetime | None = None
    topics: tuple[str, ...] = ()
    image: str = ""
    quality: int | None = None
    heat: int | None = None
    published: bool = True
    category: str = ""
    type: str = ""
    warnings: tuple[tuple[int | None, str], ...] = field(default=())  # (file line, message)
    #: the EDITABLE keys the file does not have, as bits (1 << EDITABLE.index(key)): undo of an
    #: edit that added a key removes it again, and a missing `published` means published
    missing: int = 0
    #: `originalUrl`, the page the article retells: what grouping duplicate stories needs that
    #: the list does not show (see folder/duplicates.py; indexed, so no file is read for it)
    url: str = ""

    def has(self, key: str) -> bool:
        return not self.missing & MISSING_BIT[key]

    def as_row(self) -> dict[str, Any]:
        """Plain values for JSON/CSV output."""
        return {
            "path": self.path,
            "title": self.title,
            "provider": self.provider_name,
            "domain": self.provider_domain,
            "date": self.date.isoformat() if self.date else "",
            "quality": self.quality,
            "heat": self.heat,
            "published": self.published,
            "topics": list(self.topics),
            "category": self.category,
            "type": self.type,
            "image": self.image,
        }


class _Reader:
    """Reads fields of one mapping, collecting a warning for each value of the wrong type."""

    def __init__(self, path: str, parsed: Parsed):
        self.path = path
        self.data = parsed.data
        self.key_lines = parsed.key_lines
        self.warnings: list[tuple[int | None, str]] = []

    def get(self, key: str) -> Any:
        """The value of a key, or of a dotted path into nested mappings (`taxonomies.tags`)."""
        return self.data.get(key) if "." not in key else value_at(self.data, key, None)

    def has(self, key: str) -> bool:
        return key in self.data if "." not in key else value_at(self.data, key, _ABSENT) is not _ABSENT

    def warn(self, key: str, message: str) -> None:
        self.warnings.append((self.key_lines.get(key), f"{key}: {message}"))

    def wrong(self, key: str, expected: str, value: Any) -> None:
        shown = repr(value)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        self.warn(key, f"expected {expected}, found {type(value).__name__} {shown}")

    def text(self, key: str, data: Mapping[str, Any] | None = None) -> str:
        value = self.get(key) if data is None else data.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            return str(value)
        if data is None:
            self.wrong(key, "text", value)
        return ""

    def integer(self, key: str) -> int | None:
        value = self.data.get(key) if "." not in key else self.get(key)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if not INT64_MIN <= value <= INT64_MAX:
                self.warn(key, f"the number {value} is too large to use")
                return None
            return value
        self.wrong(key, "a whole number", value)
        return None

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key) if "." not in key else self.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.wrong(key, "true or false", value)
        return default

    def date(self, key: str) -> dt.datetime | None:
        value = self.data.get(key) if "." not in key else self.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                self.wrong(key, "a date and time", value)
                return None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        self.wrong(key, "a date and time", value)
        return None

    def strings(self, key: str, text_ok: bool = False) -> tuple[str, ...]:
        value = self.data.get(key) if "." not in key else self.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            if not text_ok:
                self.wrong(key, "a list", value)
            return (value,)
        if not isinstance(value, list):
            self.wrong(key, "a list", value)
            return ()
        good = tuple(v for v in value if isinstance(v, str))
        if len(good) != len(value):
            bad = next(v for v in value if not isinstance(v, str))
            self.wrong(key, "a list of text items", bad)
        return good

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.data.get(key) if "." not in key else self.get(key)
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.wrong(key, "a mapping", value)
        return {}

    def first_image(self, key: str, data: Mapping[str, Any] | None = None) -> str:
        images = self.get(key) if data is None else data.get(key)
        if images is None:
            return ""
        if isinstance(images, str):
            return images
        if isinstance(images, dict):
            url = images.get("url") or images.get("src") or images.get("path")
            return url if isinstance(url, str) else ""
        if not isinstance(images, list):
            if data is None:
                self.wrong(key, "a list of images", images)
            return ""
        for image in images:
            if isinstance(image, dict) and isinstance(image.get("url"), str):
                return image["url"]
            if isinstance(image, str):
                return image
        return ""


#: The top-level keys summarize reads besides the profile's; of LISTS only whether each is a list.
_ALSO_READ = ("provider", "quality", "heat", "type", "originalUrl")
LISTS = frozenset({"related"})


@functools.cache
def list_keys(profile: Profile) -> frozenset[str]:
    """The top-level keys summarize reads under this profile (dotted keys by their first part):
    a reader that gives these gives summarize all it needs."""
    keys = (*profile.title, *profile.excerpt, *profile.date, *profile.image, *profile.category)
    keys += (profile.published, profile.topics, *_ALSO_READ)
    return frozenset(key.split(".", 1)[0] for key in keys)


def summarize(path: str, parsed: Parsed, profile: Profile = NEWS) -> Summary:
    """The list fields of one article, read as the site's profile says; never raises on content."""
    r = _Reader(path, parsed)
    data = r.data
    title = ""
    for key in profile.title:
        if key in data and (title := r.text(key)):
            break
    if not title and profile.title_from_name:
        title = name_title(path)
    excerpt = ""
    for key in profile.excerpt:
        if (key in data or "." in key) and (excerpt := r.text(key)):
            break
    date = None
    for key in profile.date:
        if (key in data or "." in key) and r.get(key) is not None and (date := r.date(key)) is not None:
            break
    if date is None and profile.date_from_name:
        date = name_date(path)
    image = ""
    for key in profile.image:
        if (key in data or "." in key) and (image := r.first_image(key)):
            break
    provider = r.mapping("provider")
    related = data.get("related")
    if related is not None and not isinstance(related, list):
        r.wrong("related", "a list of articles", related)
    key = profile.published
    published = r.boolean(key, default=not profile.inverted) != profile.inverted
    if profile.drafts and profile.in_drafts(path):
        published = False
    missing = 0
    for name, bit in MISSING_BIT.items():
        missing |= 0 if r.has(FIELDS[name].file_key(profile)) else bit
    return interned(
        path, title, excerpt, r.text("name", provider), r.text("domain", provider),
        r.first_image("images", provider), date, r.strings(profile.topics, profile.topics_text_ok), image,
        r.integer("quality"), r.integer("heat"), published, _first_text(r, profile.category), r.text("type"),
        tuple(r.warnings), missing, url if isinstance(url := data.get("originalUrl"), str) else "",
    )  # fmt: skip


_intern = sys.intern


def interned(
    path: str, title: str, excerpt: str, provider_name: str, provider_domain: str, provider_logo: str,
    date: dt.datetime | None, topics: Iterable[str], image: str, quality: int | None, heat: int | None,
    published: bool, category: str, kind: str, warnings: tuple = (), missing: int = 0, url: str = "",
) -> Summary:  # fmt: skip
    """A Summary (its fields in order) whose values that repeat across thousands of articles
    (providers, topics, category, type) are one string object each, wherever it was made: in a
    worker process and unpickled (each chunk has its own copies), or decoded from the index.
    Memory, and counting the topics of 10,000 articles touches 200 strings, not 30,000."""
    return Summary(
        path, title, excerpt, _intern(provider_name), _intern(provider_domain), _intern(provider_logo), date,
        tuple(map(_intern, topics)), image, quality, heat, published, _intern(category), _intern(kind),
        warnings, missing, url,
    )  # fmt: skip


def _first_text(r: _Reader, keys: tuple[str, ...]) -> str:
    """The first of these keys with text (of a list, such as Jekyll's `categories`, its first item)."""
    for key in keys:
        value = r.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v), None)
            if value:
                return value
        elif value is not None and (text := r.text(key)):
            return text
    return ""


def name_date(path: str) -> dt.datetime | None:
    """The date a Jekyll post's name gives: `2024-01-02-hello.md` is 2 January 2024."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})-", path.rsplit("/", 1)[-1])
    try:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=dt.UTC) if m else None
    except ValueError:
        return None


def name_title(path: str) -> str:
    """A title from a file name: `2024-01-02-my-first-post.md` is "My first post"."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem in ("index", "_index") and "/" in path:
        stem = path.rsplit("/", 2)[-2]
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return words[:1].upper() + words[1:]


@dataclass(slots=True)
class RelatedArticle:
    title: str
    url: str
    provider: str
    image: str
    date: dt.datetime | None


def related_articles(parsed: Parsed) -> list[RelatedArticle]:
    """Nested `related` articles for the preview; malformed entries are skipped."""
    out = []
    for item in parsed.data.get("related") or ():
        if not isinstance(item, dict):
            continue
        r = _Reader("", Parsed(item))
        provider = item.get("provider") if isinstance(item.get("provider"), dict) else {}
        out.append(
            RelatedArticle(
                title=r.text("title") or r.text("name"),
                url=r.text("webUrl") or r.text("originalUrl"),
                provider=r.text("name", provider),
                image=r.first_image("images"),
                date=r.date("publishedDateTime"),
            )
        )
    return out


@dataclass
class Details:
    """What the preview needs beyond the list fields, read in a worker."""

    path: str
    web_url: str = ""
    original_url: str = ""
    featured: str = ""
    body: str = ""
    related: list[RelatedArticle] = field(default_factory=list)
    error: str = ""


def read_details(abspath: str, path: str) -> Details:
    """The preview's part of an article, read from its file (in a worker)."""
    try:
        doc = load_document(read_file(abspath)[0])
    except Exception as exc:  # shown in the preview; the list already reports the file
        return Details(path, error=str(exc))
    data = doc.data

    def text(key: str) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    return Details(
        path=path,
        web_url=text("webUrl"),
        original_url=text("originalUrl"),
        featured=text("featuredContent"),
        body=doc.split.body,
        related=related_articles(doc.parsed),
    )
