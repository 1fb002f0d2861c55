"""Site profiles: what the keys of a site's front matter mean, and which files are content.

A profile says, for one static site generator (or the bundled news format): which key says
published or draft (and whether it is inverted: `draft: true` means unpublished), where the
topics live (`topics`, `tags`, `taxonomies.tags`), which keys give the title, date, category,
excerpt and image (in priority order), which files are content (extensions, include and
exclude globs, relative to the site's root) and which folders hold drafts whatever their keys
say (Jekyll's `_drafts/`).

The rest of Curator works with the logical fields of `article.Summary` (`published`,
`topics`, ...); `Profile.file_changes` turns an edit of them into the keys this site writes
(on Hugo, publishing writes `draft: false` and never adds `published`).

Each profile is defined once, here: its keys, its content globs and default exclusions, its
publish rule, where its topic taxonomy lives, and the marker files that detect it
(`_config.yml`, `hugo.toml`, Zola's `config.toml` with `base_url`, `eleventy.config.mjs`,
`astro.config.mjs`, ...). Detection and finding a file's site (`site_root`) read the same
markers. A `.curator.yml` at the root names a profile and overrides its settings (its
`exclude:` adds to the profile's own). Detection is per folder, never per file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from curator.core.document import schema
from curator.core.site.root import SiteFileError, read_site_yaml

CONFIG = ".curator.yml"


@dataclass(frozen=True)
class Marker:
    """A file at a site's root that says which generator builds it. A generic name also needs
    a folder beside it (Hugo's `config.yaml` with `content/`) or a setting in it (Zola's
    `config.toml` with `base_url`). Lower ranks are looked for first: a marker whose name
    another generator shares comes after the others."""

    file: str
    folder: str = ""
    setting: str = ""
    rank: int = 0

    def found(self, root: Path) -> bool:
        if not (root / self.file).is_file() or (self.folder and not (root / self.folder).is_dir()):
            return False
        return not self.setting or bool(re.search(rf"(?m)^\s*{re.escape(self.setting)}\s*=", _head(root / self.file)))

    def why(self) -> str:
        also = f" and {self.folder}/" if self.folder else f" with {self.setting}" if self.setting else ""
        return f"detected ({self.file}{also})"


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    published: str = "published"  # the key that says published (or, inverted, draft)
    inverted: bool = False  # true: the key says draft (`draft: true` is unpublished)
    topics: str = "topics"  # where the topics live; a dotted path for a nested key
    title: tuple[str, ...] = ("title", "name")
    date: tuple[str, ...] = ("publishedDateTime", "date")
    category: tuple[str, ...] = ("category",)
    excerpt: tuple[str, ...] = ("excerpt",)
    image: tuple[str, ...] = ("images", "image")
    extensions: tuple[str, ...] = (".md", ".markdown", ".txt")
    include: tuple[str, ...] = ()  # globs of content files; empty: every file of the extensions
    exclude: tuple[str, ...] = ("_data/**", "_site/**")
    drafts: tuple[str, ...] = ("_drafts/**",)  # globs of files that are drafts by where they are
    title_from_name: bool = False  # an article without a title shows its file name
    date_from_name: bool = False  # an article without a date takes it from its name (Jekyll: 2024-01-02-…)
    topics_text_ok: bool = False  # a single topic may be written as text (Eleventy: `tags: post`)
    taxonomy: str = "_data/topics"  # the folder of the topic taxonomy's files (one YAML file per topic)
    markers: tuple[Marker, ...] = ()  # files that detect it (see Marker); not a setting
    source: str = "the default"  # how it was chosen: "detected (hugo.toml)", ".curator.yml", ...

    # -- what the files mean --

    def is_content(self, rel: str) -> bool:
        """Whether the file (a '/'-separated path relative to the root) is content."""
        if not rel.lower().endswith(self.extensions):
            return False
        if self.include and not _globs(self.include).match(rel):
            return False
        return not (self.exclude and _globs(self.exclude).match(rel))

    def skips_folder(self, rel: str) -> bool:
        """Whether no file under this folder ('a/b/') can be content: the scan does not go in."""
        if excludes_folder(self, rel):
            return True
        if not self.include:
            return False
        prefixes = [re.split(r"[*?\[]", p, maxsplit=1)[0] for p in self.include]
        return not any(rel.startswith(p) or p.startswith(rel) for p in prefixes)

    def why_not(self, rel: str) -> str:
        """Why a file of the profile's extensions is not content."""
        if self.include and not _globs(self.include).match(rel):
            return f"outside {' '.join(self.include)}"
        return f"the {self.label} profile excludes {' '.join(p for p in self.exclude if _globs((p,)).match(rel))}"

    def in_drafts(self, rel: str) -> bool:
        prefixes = _prefixes(self.drafts)
        if prefixes is not None:  # plain `folder/**` globs: a string test (this runs for every file)
            return rel.startswith(prefixes)
        return bool(_globs(self.drafts).match(rel))

    def file_key(self, key: str) -> str:
        return schema.get(key).file_key(self)

    def file_changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Edits of the fields as the keys and values this site writes (see schema)."""
        return schema.file_changes(changes, self)

    # -- describing it --

    def describe(self) -> str:
        return f"{self.label}, {self.source}"

    def settings(self) -> dict[str, Any]:
        """Every setting, as `.curator.yml` would spell it."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("source", "markers")}

    def fingerprint(self) -> str:
        """Changes when anything that shapes the list does (the index keeps one per profile)."""
        return hashlib.sha1(repr(sorted(self.settings().items())).encode()).hexdigest()[:12]


def excludes_folder(profile: Profile, rel: str) -> bool:
    """Whether the folder ('a/b/') is left out by an exclude glob (not only for lying outside
    the include globs)."""
    return bool(profile.exclude) and bool(_globs(profile.exclude).match(rel + "\0"))


def _glob_regex(pattern: str) -> str:
    """A glob as a regex: `**/` any folders, `**` anything, `*` within a name. A pattern that
    ends in `/**` also matches the folder itself (written 'folder/\\0' by skips_folder)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^\0]*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append("[^\0]*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/\0]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/\0]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    regex = "".join(out)
    if pattern.endswith("/**"):
        regex = regex[: -len("[^\0]*")] + "(?:[^\0]*|\0)"
    return regex


@lru_cache(maxsize=64)
def _prefixes(patterns: tuple[str, ...]) -> tuple[str, ...] | None:
    """The folders of globs that are all `folder/**` with no other wildcard, else None."""
    if not all(p.endswith("/**") and not re.search(r"[*?\[]", p[:-3]) for p in patterns):
        return None
    return tuple(p[:-2] for p in patterns)


@lru_cache(maxsize=64)
def _globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_glob_regex(p)})" for p in patterns) + r"\Z")


NEWS = Profile(
    "news", "News (Jekyll collections)",
    markers=tuple(Marker(name, folder="_data/topics", rank=3) for name in ("_config.yml", "_config.toml")),
)  # fmt: skip
JEKYLL = Profile(
    "jekyll", "Jekyll", topics="tags", title=("title",), date=("date",), category=("categories", "category"),
    excerpt=("excerpt", "description"), image=("image", "images"), extensions=(".md", ".markdown", ".html"),
    exclude=("_data/**", "_site/**", "_includes/**", "_layouts/**", "_sass/**", "vendor/**", "node_modules/**"),
    title_from_name=True, date_from_name=True,
    markers=(Marker("_config.yml", rank=4), Marker("_config.toml", rank=4)),
)  # fmt: skip
HUGO = Profile(
    "hugo", "Hugo", published="draft", inverted=True, topics="tags", title=("title", "linkTitle"),
    date=("date", "publishDate", "lastmod"), category=("categories",), excerpt=("summary", "description"),
    image=("images", "image", "cover.image"), extensions=(".md", ".markdown"), include=("content/**",),
    exclude=("**/_index.md", "**/_index.markdown"), drafts=(), title_from_name=True, taxonomy="data/topics",
    markers=(
        *(Marker(f"hugo.{ext}") for ext in ("toml", "yaml", "yml", "json")), Marker("config.toml", rank=2),
        *(Marker(f"config.{ext}", folder="content", rank=2) for ext in ("yaml", "yml", "json")),
    ),
)  # fmt: skip
ZOLA = Profile(
    "zola", "Zola", published="draft", inverted=True, topics="taxonomies.tags", title=("title",),
    date=("date", "updated"), category=("taxonomies.categories",), excerpt=("description",),
    image=("extra.image",), extensions=(".md",), include=("content/**",), exclude=("**/_index.md",), drafts=(),
    title_from_name=True, markers=(Marker("config.toml", setting="base_url", rank=1),),
)  # fmt: skip
ELEVENTY = Profile(
    "eleventy", "Eleventy", published="draft", inverted=True, topics="tags", title=("title",), date=("date",),
    category=("category",), excerpt=("description", "excerpt"), image=("image",),
    extensions=(".md", ".markdown", ".njk", ".liquid", ".html"),
    exclude=("_site/**", "_includes/**", "_data/**", "node_modules/**", "README.md"), drafts=(),
    title_from_name=True, topics_text_ok=True,
    markers=tuple(Marker(n) for n in (".eleventy.js", ".eleventy.cjs", ".eleventy.mjs", "eleventy.config.js",
                                      "eleventy.config.cjs", "eleventy.config.mjs", "eleventy.config.ts")),
)  # fmt: skip
ASTRO = Profile(
    "astro", "Astro", published="draft", inverted=True, topics="tags", title=("title",),
    date=("pubDate", "date", "publishDate"), category=("category",), excerpt=("description",),
    image=("heroImage", "image", "cover"), extensions=(".md", ".mdx", ".markdoc"), include=("src/content/**",),
    exclude=(), drafts=(), title_from_name=True,
    markers=tuple(Marker(f"astro.config.{ext}") for ext in ("mjs", "js", "ts", "cjs", "mts")),
)  # fmt: skip
BUILT_IN = {p.name: p for p in (NEWS, JEKYLL, HUGO, ZOLA, ELEVENTY, ASTRO)}
#: Every marker of every profile, in the order detection looks for them.
MARKERS = sorted(((m, p) for p in (HUGO, ASTRO, ELEVENTY, ZOLA, NEWS, JEKYLL) for m in p.markers),
                 key=lambda pair: pair[0].rank)  # fmt: skip


class ProfileError(ValueError):
    """A `.curator.yml` or a profile name that cannot be used."""


def detect(root: str | os.PathLike[str]) -> Profile:
    """The profile of the site at `root`: its `.curator.yml`, else detected from its files."""
    top = Path(root)
    base = _detected(top)
    config = top / CONFIG
    if config.is_file():
        return from_config(config, base)
    return base


def _detected(top: Path) -> Profile:
    """The profile of the first of MARKERS found at `top` (None found: News), saying why."""
    for marker, profile in MARKERS:
        if marker.found(top):
            return dataclasses.replace(profile, source=marker.why())
    return NEWS


def _head(path: Path, size: int = 65536) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(size).decode("utf-8", "replace")
    except OSError:
        return ""


#: Keys of `.curator.yml` that are not profile settings: the topics retired by a merge or a
#: delete (see core.site.taxonomy), a list of text.
NOT_PROFILE = ("retired",)
#: Keys of `.curator.yml` read by others, whatever their shape: the saved views (see
#: core.site.views, which reports a broken one; it never stops a folder from opening).
OTHERS = ("views",)
_LISTS = {"title", "date", "category", "excerpt", "image", "extensions", "include", "exclude", "drafts"}


def from_config(path: str | os.PathLike[str], detected: Profile | None = None) -> Profile:
    """A profile from a `.curator.yml`: `profile: NAME` picks a built-in one (else the detected
    one), and any setting overrides it. Raises ProfileError with what is wrong."""
    try:
        data = read_site_yaml(path)[1] or {}
    except (OSError, SiteFileError) as exc:
        raise ProfileError(f"{path}: cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected keys such as `profile: hugo`")
    name = data.pop("profile", None)
    base = by_name(str(name)) if name is not None else detected or NEWS
    known = {f.name for f in dataclasses.fields(Profile)} - {"name", "source", "markers"}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key in OTHERS:
            continue
        if key in NOT_PROFILE:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ProfileError(f"{path}: {key} must be a list of text")
            continue
        if key not in known:
            raise ProfileError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        if key in _LISTS:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ProfileError(f"{path}: {key} must be a list of text")
            changes[key] = tuple(items)
        elif key in ("inverted", "title_from_name", "date_from_name", "topics_text_ok"):
            if not isinstance(value, bool):
                raise ProfileError(f"{path}: {key} must be true or false")
            changes[key] = value
        elif not isinstance(value, str) or not value:
            raise ProfileError(f"{path}: {key} must be text")
        else:
            changes[key] = value
    if "extensions" in changes:
        changes["extensions"] = tuple(e if e.startswith(".") else "." + e for e in changes["extensions"])
    if "exclude" in changes:  # added to the profile's own (Hugo's section pages stay out)
        changes["exclude"] = tuple(dict.fromkeys((*base.exclude, *changes["exclude"])))
    if name is None and not changes:
        return base  # only other keys (`retired:`): the profile is still the detected one
    return dataclasses.replace(base, **changes, source=CONFIG)


def by_name(name: str) -> Profile:
    try:
        return dataclasses.replace(BUILT_IN[name.lower()], source="chosen")
    except KeyError:
        raise ProfileError(f"no profile {name!r} (built in: {', '.join(BUILT_IN)})") from None


# --- the profile of each open folder (per process) ----------------------------------------------

_lock = threading.Lock()
_chosen: dict[str, Profile] = {}
_detected_cache: dict[str, Profile] = {}


def _key(root: str | os.PathLike[str]) -> str:
    return os.path.realpath(root)


def for_root(root: str | os.PathLike[str]) -> Profile:
    """The profile in use for this folder: the one chosen for it, else detected (once)."""
    key = _key(root)
    with _lock:
        found = _chosen.get(key) or _detected_cache.get(key)
    if found is not None:
        return found
    try:
        profile = detect(key)
    except ProfileError:
        profile = dataclasses.replace(_detected(Path(key)), source=f"detected ({CONFIG} is not usable)")
    with _lock:
        _detected_cache[key] = profile
    return profile


def choose(root: str | os.PathLike[str], profile: Profile | None) -> None:
    """Use this profile for the folder (None: detect it again)."""
    key = _key(root)
    with _lock:
        _detected_cache.pop(key, None)
        if profile is None:
            _chosen.pop(key, None)
        else:
            _chosen[key] = profile


def forget(root: str | os.PathLike[str]) -> None:
    """Detect the folder's profile again on next use (its files may have changed)."""
    with _lock:
        _detected_cache.pop(_key(root), None)


def config_problem(root: str | os.PathLike[str]) -> str | None:
    """What is wrong with the folder's `.curator.yml`, if anything."""
    config = Path(root) / CONFIG
    if not config.is_file():
        return None
    try:
        from_config(config)
    except ProfileError as exc:
        return str(exc)
    return None


def site_root(path: str | os.PathLike[str]) -> str:
    """The site a file belongs to: the nearest folder above it with a `.curator.yml`, a marker
    of a profile or the news format's taxonomy folder (else the file's own folder)."""
    start = Path(os.path.abspath(path)).parent
    for folder in (start, *start.parents):
        if (folder / CONFIG).is_file() or any(marker.found(folder) for marker, _ in MARKERS):
            return str(folder)
        if (folder / NEWS.taxonomy).is_dir():
            return str(folder)
    return str(start)


def relative(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")


def names() -> Iterable[str]:
    return BUILT_IN.keys()
