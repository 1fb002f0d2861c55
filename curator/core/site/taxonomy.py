"""The site's topic taxonomy on disk, and the topics the team retired.

The taxonomy is a folder of YAML files, one per topic (the profile says where: `_data/topics/`
on the news format), each with `name`, `parent`, `keywords` and `aliases` (other names of the
topic, kept by a merge). Topics retired by a merge or a delete are the `retired:` list of the
site's `.curator.yml`, so the team shares them with the work they commit.

Each file is read within bounds (site.load_site_yaml: no YAML aliases, size and depth capped).
The edits a rename, merge or delete makes to these files are planned whole, before anything
is written, and each is a line edit (core.document.formats.yaml) that must read back as intended: a file
that cannot be read or edited refuses the whole change (TaxonomyError), never half of it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curator.core.document.formats.base import EditError
from curator.core.document.formats.yaml import edit_front
from curator.core.document.values import DELETE
from curator.core.document.writes import ByteEdit
from curator.core.site import profiles
from curator.core.site.root import SiteFileError, load_site_yaml, read_site_yaml

#: What a `.curator.yml` that Curator makes to hold the retired topics starts with.
CONFIG_HEADER = "# Curator's settings for this site. retired: topics merged or deleted, never suggested again.\n"


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    parent: str = ""
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other names of the topic: matched as its keywords, never offered


@dataclass(frozen=True, slots=True)
class Entry:
    """One taxonomy file, as read."""

    path: str
    data: bytes
    mapping: dict[str, Any]
    topic: Topic


class TaxonomyError(Exception):
    """A change of the taxonomy that cannot be planned; nothing of it is written."""


def _texts(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _is_texts(value: object) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


@dataclass(frozen=True)
class Taxonomy:
    root: str
    entries: tuple[Entry, ...] = ()
    retired: tuple[str, ...] = ()
    config: bytes | None = None  # `.curator.yml` as read (None: the site has none)
    problems: tuple[tuple[str, str], ...] = ()  # (path, why) of files that were not read

    @property
    def topics(self) -> list[Topic]:
        return [e.topic for e in self.entries]

    @property
    def config_path(self) -> str:
        return os.path.join(self.root, profiles.CONFIG)


def files_of(root: str | os.PathLike[str], profile: profiles.Profile | None = None) -> list[str]:
    """The taxonomy's files (`*.yaml`, `*.yml` in the profile's taxonomy folder), sorted."""
    profile = profile or profiles.for_root(root)
    if not profile.taxonomy:
        return []
    folder = os.path.join(os.fspath(root), profile.taxonomy)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]


def read(root: str | os.PathLike[str], profile: profiles.Profile | None = None) -> Taxonomy:
    """The site's taxonomy and retired topics. A file that cannot be read is named in
    `problems` (and left out); a YAML file without a `name` is not a topic."""
    root = os.fspath(root)
    entries, problems = [], []
    for path in files_of(root, profile):
        try:
            data, mapping = read_site_yaml(path)
        except (OSError, SiteFileError) as exc:
            problems.append((path, getattr(exc, "strerror", None) or str(exc)))
            continue
        if (entry := _entry(path, data, mapping)) is not None:
            entries.append(entry)
    config_path = os.path.join(root, profiles.CONFIG)
    retired: tuple[str, ...] = ()
    config = None
    try:
        config, settings = read_site_yaml(config_path)
        retired = _retired(settings)
    except FileNotFoundError:
        pass
    except (OSError, SiteFileError) as exc:
        problems.append((config_path, getattr(exc, "strerror", None) or str(exc)))
    return Taxonomy(root, tuple(entries), retired, config, tuple(problems))


def from_files(root: str, files: Mapping[str, bytes | None]) -> Taxonomy:
    """The taxonomy these bytes make (absolute paths of taxonomy files and of `.curator.yml`;
    None: no such file), e.g. as in the last commit. A file that cannot be read is named in
    `problems` (and left out)."""
    entries, problems = [], []
    retired: tuple[str, ...] = ()
    config = None
    config_path = os.path.join(root, profiles.CONFIG)
    for path in sorted(files):
        data = files[path]
        if data is None:
            continue
        try:
            mapping = load_site_yaml(data.decode("utf-8-sig"))
            if path == config_path:
                config, retired = data, _retired(mapping)
            elif (entry := _entry(path, data, mapping)) is not None:
                entries.append(entry)
        except (SiteFileError, UnicodeDecodeError) as exc:
            problems.append((path, str(exc)))
    return Taxonomy(root, tuple(entries), retired, config, tuple(problems))


def _entry(path: str, data: bytes, mapping: object) -> Entry | None:
    if not isinstance(mapping, dict) or not isinstance(mapping.get("name"), str):
        return None
    parent = mapping.get("parent")
    topic = Topic(
        mapping["name"], parent if isinstance(parent, str) else "", _texts(mapping.get("keywords")),
        _texts(mapping.get("aliases")),
    )  # fmt: skip
    return Entry(path, data, mapping, topic)


def _retired(settings: object) -> tuple[str, ...]:
    value = settings.get("retired") if isinstance(settings, dict) else None
    if not _is_texts(value):
        raise SiteFileError("retired: must be a list of text")
    return tuple(value or ())


def applied(taxonomy: Taxonomy, edits: Sequence[ByteEdit]) -> Taxonomy:
    """The taxonomy as it is once `edits` (planned from it, or their reverse) are written:
    what the window shows at once, while they are written in a worker."""
    entries = {e.path: e for e in taxonomy.entries}
    retired, config = taxonomy.retired, taxonomy.config
    for edit in edits:
        settings = load_site_yaml(edit.new.decode("utf-8-sig")) if edit.new is not None else None
        if edit.path == taxonomy.config_path:
            retired, config = _retired(settings), edit.new
            continue
        entries.pop(edit.path, None)
        if edit.new is not None and (entry := _entry(edit.path, edit.new, settings)) is not None:
            entries[edit.path] = entry
    ordered = tuple(entries[p] for p in sorted(entries))  # (as read: in the order of the file names)
    return Taxonomy(taxonomy.root, ordered, retired, config, taxonomy.problems)


def merged_entries(taxonomy: Taxonomy, olds: Collection[str], new: str) -> list[str]:
    """The names of `olds` whose taxonomy entries a merge into `new` removes (or keeps as
    aliases of the target): all that have one, but the one renamed to `new` where the
    taxonomy has no `new` yet."""
    named = [e.topic.name for e in taxonomy.entries]
    found = [n for n in dict.fromkeys(named) if n in olds and n != new]
    return found if new in named else found[1:]


def plan(
    taxonomy: Taxonomy, olds: Collection[str], new: str | None, keep_alias: bool = True, retire: bool = False
) -> list[ByteEdit]:
    """Every edit of the site's files that renaming or merging `olds` into `new` (None:
    deleting them) makes: the `name:` of the entry renamed (where `new` has none yet), the
    `parent:` of children, the entries merged into the target removed (`keep_alias`: their
    names added to its `aliases:`), and with `retire` the `retired:` list of `.curator.yml`
    (a name merged or renamed into comes off that list). Raises TaxonomyError, naming the
    file, when any file cannot be read or edited: then nothing is written."""
    if taxonomy.problems:
        path, why = taxonomy.problems[0]
        raise TaxonomyError(f"{path}: cannot be read ({why})")
    order = [o for o in dict.fromkeys(olds) if o != new]
    olds = set(order)
    changes: dict[str, dict[str, Any]] = {}
    removed: list[Entry] = []
    if new is not None:
        target = next((e for e in taxonomy.entries if e.topic.name == new), None)
        for entry in taxonomy.entries:
            if entry.topic.name not in olds:
                continue
            if target is None:
                target = entry
                changes[entry.path] = {"name": new}
            else:
                removed.append(entry)
        gone = {e.path for e in removed}
        for entry in taxonomy.entries:
            if entry.topic.parent in olds and entry.path not in gone:
                changes.setdefault(entry.path, {})["parent"] = new
        if keep_alias and removed and target is not None:
            if not _is_texts(target.mapping.get("aliases")):
                raise TaxonomyError(f"{target.path}: its aliases are not a list of text")
            names = (*target.topic.aliases, *(n for e in removed for n in (e.topic.name, *e.topic.aliases)))
            changes.setdefault(target.path, {})["aliases"] = [n for n in dict.fromkeys(names) if n != new]
    edits = [
        ByteEdit(e.path, e.data, _edited(e.path, e.data, e.mapping, changes[e.path]))
        for e in taxonomy.entries
        if e.path in changes
    ]
    edits += [ByteEdit(e.path, e.data, None) for e in removed]
    retired = [r for r in taxonomy.retired if r != new]
    if retire:
        retired += [o for o in order if o not in retired]
    if retired != list(taxonomy.retired):
        edits.append(_retired_edit(taxonomy, retired))
    return edits


def _retired_edit(taxonomy: Taxonomy, retired: Sequence[str]) -> ByteEdit:
    return config_edit(taxonomy.config_path, taxonomy.config, {"retired": list(retired) if retired else DELETE})


def config_edit(path: str, config: bytes | None, changes: dict[str, Any]) -> ByteEdit:
    """The edit of the site's `.curator.yml` (`config` as read, None: made new) that makes
    `changes` (a value DELETE removes the key) to those lines only: its comments and other
    keys stay byte-identical. Raises TaxonomyError."""
    data = config if config is not None else CONFIG_HEADER.encode()
    try:
        settings = load_site_yaml(data.decode("utf-8-sig")) or {}
    except (SiteFileError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(settings, dict):
        raise TaxonomyError(f"{path}: expected keys such as `profile: hugo`")
    return ByteEdit(path, config, _edited(path, data, settings, changes))


def _edited(path: str, data: bytes, mapping: dict[str, Any], changes: dict[str, Any]) -> bytes:
    """The file with `changes` made to its lines; it must read back as exactly the intended
    mapping. Raises TaxonomyError."""
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    there = {k: v for k, v in changes.items() if k in mapping}
    added = {k: v for k, v in changes.items() if k not in mapping and v is not DELETE}
    try:
        edited = edit_front(text, there, newline) if there else text
        if added:  # a new key goes at the end: a site file is no article with a layout of its keys
            edited += ("" if edited.endswith(("\n", "\r")) or not edited else newline) + edit_front("", added, newline)
        after = load_site_yaml(edited)
    except (EditError, SiteFileError) as exc:
        raise TaxonomyError(f"{path}: cannot be edited ({exc})") from None
    intended = {k: v for k, v in {**mapping, **changes}.items() if v is not DELETE}
    if (after or {}) != intended:
        raise TaxonomyError(f"{path}: the edit would not read back as intended")
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return bom + edited.encode("utf-8")
