"""What a commit holds, said in words.

The files a commit may take are the folder's changed article files as the list sees them
(the scan's rules and the site's profile: not a `README.md` the profile leaves out, not a file
in a hidden folder, not a file without front matter), and the site files a topic rename, merge
or delete writes: `.curator.yml` (the retired topics) and the taxonomy's files, a removed one
included, so the team shares the retired names with the work. The message is made from what the
chosen files change against HEAD: both versions are read with the same front-matter reader
as the list, and their values compared ("Publish 3 articles; set quality of 2"); the topic
operations are read from the taxonomy and `.curator.yml` as in HEAD and as they would be
committed ('Merge topic "A" into "B" in 25 articles; retire topic "C"'), never from the undo
history (edits already committed, or thrown away, are not in the files).

Qt-free; reads files and runs git: call it off the GUI thread.
"""

from __future__ import annotations

import enum
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curator.core import words
from curator.core.document.formats.base import NotAnArticle
from curator.core.document.frontmatter import Document, load_document
from curator.core.document.snapshots import read_file
from curator.core.folder import scan
from curator.core.folder.fields import same
from curator.core.site import profiles
from curator.core.site import taxonomy as taxonomies
from curator.core.site.article import summarize
from curator.core.team.git import GitError, Repo, State, Status

#: A message's first line is at most this long; what does not fit is listed below it.
SUBJECT = 72


class Kind(enum.IntEnum):
    """What a file's change is, in the order a message lists them."""

    ADDED = 0
    PUBLISH = 1
    UNPUBLISH = 2
    ADD_TOPIC = 3
    REMOVE_TOPIC = 4
    QUALITY = 5
    SET_KEY = 6
    REMOVE_KEY = 7
    TEXT = 8
    DELETED = 9
    UNREADABLE = 10


#: Each kind in words; {n} is "3 articles" in the first clause of a message and "3" after it.
PHRASES = {
    Kind.ADDED: "add {n}",
    Kind.PUBLISH: "publish {n}",
    Kind.UNPUBLISH: "unpublish {n}",
    Kind.ADD_TOPIC: 'add topic "{name}" to {n}',
    Kind.REMOVE_TOPIC: 'remove topic "{name}" from {n}',
    Kind.QUALITY: "set quality of {n}",
    Kind.SET_KEY: "change {name} of {n}",
    Kind.REMOVE_KEY: "remove {name} from {n}",
    Kind.TEXT: "edit the text of {n}",
    Kind.DELETED: "delete {n}",
    Kind.UNREADABLE: "change {n}",
}

#: One thing a file changes: its kind, and the topic or key it is about ("" for none).
Clause = tuple[Kind, str]


def is_article(root: str, rel: str, profile: profiles.Profile) -> bool:
    """Whether the list would show this file (relative to the root, '/'-separated): listed by
    the scan and the profile, and with front matter (a broken one still makes it an article:
    the Problems panel names it)."""
    if not scan.listed(profile, rel):
        return False
    try:
        data, _ = read_file(os.path.join(root, rel))
        load_document(data)
    except NotAnArticle:
        return False
    except Exception:
        return True
    return True


def is_site_file(rel: str, profile: profiles.Profile) -> bool:
    """Whether a file (relative to the root, '/'-separated) is one a topic rename, merge or
    delete writes: `.curator.yml`, or a file of the profile's taxonomy folder."""
    if rel == profiles.CONFIG:
        return True
    folder = profile.taxonomy.strip("/")
    if not folder or not rel.startswith(folder + "/"):
        return False
    name = rel[len(folder) + 1 :]
    return "/" not in name and name.endswith((".yaml", ".yml"))


def article_files(repo: Repo, status: Status, profile: profiles.Profile | None = None) -> list[tuple[str, State]]:
    """The folder's changed files that are articles, sorted (deleted files are not offered)."""
    profile = profile or profiles.for_root(repo.folder)
    return [
        (path, state)
        for path, state in sorted(status.files.items())
        if state is not State.DELETED and is_article(repo.folder, path, profile)
    ]


def site_files(status: Status, profile: profiles.Profile) -> list[tuple[str, State]]:
    """The folder's changed site files (see is_site_file), a removed one included, sorted."""
    return [(path, state) for path, state in sorted(status.files.items()) if is_site_file(path, profile)]


def commit_files(repo: Repo, status: Status, profile: profiles.Profile | None = None) -> list[tuple[str, State]]:
    """What a commit offers: the changed articles and site files, sorted."""
    profile = profile or profiles.for_root(repo.folder)
    return sorted([*article_files(repo, status, profile), *site_files(status, profile)])


def refuse_non_articles(repo: Repo, paths: Sequence[str], profile: profiles.Profile | None = None) -> None:
    """GitError naming each path (relative to the folder) that is neither an article of it nor
    one of its site files."""
    profile = profile or profiles.for_root(repo.folder)
    others = []
    for path in paths:
        full = repo.inside(path)
        rel = os.path.relpath(full, repo.folder).replace(os.sep, "/")
        if not is_site_file(rel, profile) and not is_article(repo.folder, rel, profile):
            others.append(rel)
    if others:
        raise GitError(
            f"Not an article of this folder, so not committed: {', '.join(others)} (commit other files in a terminal)."
        )


def changes(repo: Repo, paths: Iterable[str], profile: profiles.Profile | None = None) -> dict[str, tuple[Clause, ...]]:
    """What each file (relative to the folder) changes against HEAD."""
    profile = profile or profiles.for_root(repo.folder)
    paths = list(paths)
    heads = repo.head_versions(paths)
    out = {}
    for path in paths:
        try:
            now: bytes | None = read_file(os.path.join(repo.folder, path))[0]
        except FileNotFoundError:
            now = None
        except OSError:
            out[path] = ((Kind.UNREADABLE, ""),)
            continue
        out[path] = compare(path, heads.get(path), now, profile)
    return out


def compare(path: str, before: bytes | None, after: bytes | None, profile: profiles.Profile) -> tuple[Clause, ...]:
    """What one file's change is, from its bytes in HEAD (None: not there) and now (None: deleted)."""
    if before == after:
        return ()
    if before is None:
        return ((Kind.ADDED, ""),)
    if after is None:
        return ((Kind.DELETED, ""),)
    try:
        old, new = load_document(before), load_document(after)
        old_summary, new_summary = summarize(path, old.parsed, profile), summarize(path, new.parsed, profile)
    except Exception:  # no front matter, or a broken one, on either side
        return ((Kind.UNREADABLE, ""),)
    clauses: list[Clause] = []
    explained = set()
    if old_summary.published != new_summary.published:
        clauses.append((Kind.PUBLISH if new_summary.published else Kind.UNPUBLISH, ""))
        explained.add(profile.published)
    added = [t for t in new_summary.topics if t not in old_summary.topics]
    removed = [t for t in old_summary.topics if t not in new_summary.topics]
    clauses += [(Kind.ADD_TOPIC, t) for t in dict.fromkeys(added)]
    clauses += [(Kind.REMOVE_TOPIC, t) for t in dict.fromkeys(removed)]
    if added or removed:
        explained.add(profile.topics)
    clauses += _keys(old.data, new.data, profile, explained)
    if not clauses or _body(old) != _body(new):
        clauses.append((Kind.TEXT, ""))
    return tuple(clauses)


def _keys(old: Mapping[str, Any], new: Mapping[str, Any], profile: profiles.Profile, explained: set[str]):
    """The keys whose values differ, beyond those a clause already said (a nested topics key,
    such as Zola's `taxonomies.tags`, is left out of its mapping's comparison)."""
    top, _, rest = profile.topics.partition(".")
    if rest and profile.topics in explained:
        old, new = {**old, top: _without(old.get(top), rest)}, {**new, top: _without(new.get(top), rest)}
        explained = explained - {profile.topics}
    for key in sorted({*old, *new}, key=str):
        if key in explained or (key in old and key in new and same(old[key], new[key])):
            continue
        if key not in new:
            yield (Kind.REMOVE_KEY, str(key))
        elif key == "quality":
            yield (Kind.QUALITY, "")
        else:
            yield (Kind.SET_KEY, str(key))


def _without(value: Any, dotted: str) -> Any:
    """A mapping without the nested key `dotted` (a copy along its path only)."""
    if not isinstance(value, dict):
        return value
    head, _, rest = dotted.partition(".")
    if head not in value:
        return value
    copy = dict(value)
    if rest:
        copy[head] = _without(copy[head], rest)
    else:
        del copy[head]
    return copy


def _body(doc: Document) -> str:
    return doc.split.body


#: A topic operation a commit's site files make: its kind (a key of OPERATIONS), the topic,
#: and the topic it went into ("" for none).
Operation = tuple[str, str, str]

#: Each operation in words, and what follows when it changed committed articles ({n} of them).
OPERATIONS = {
    "merge": ('merge topic "{old}" into "{new}"', " in {n}"),
    "rename": ('rename topic "{old}" to "{new}"', " in {n}"),
    "retire": ('retire topic "{old}"', " from {n}"),
    "remove": ('remove topic "{old}" from the taxonomy', ""),
    "add": ('add topic "{old}" to the taxonomy', ""),
    "restore": ('stop retiring topic "{old}"', ""),
    "edit": ('edit topic "{old}" in the taxonomy', ""),
}


def operations(before: taxonomies.Taxonomy, after: taxonomies.Taxonomy) -> list[Operation]:
    """The topic operations that turn the site's taxonomy and retired topics `before` (e.g. as
    in HEAD) into `after`, in the order merges, renames, retirements, then the rest: an entry
    whose name changed, or a name that became an alias of another entry, went into that topic
    (a merge when the name was retired too, else a rename); a name retired otherwise was
    retired (a delete)."""
    old = {e.path: e for e in before.entries}
    new = {e.path: e for e in after.entries}
    retired = [n for n in after.retired if n not in before.retired]
    restored = [n for n in before.retired if n not in after.retired]
    into: dict[str, str] = {}
    for path in old.keys() & new.keys():
        if old[path].topic.name != new[path].topic.name:
            into.setdefault(old[path].topic.name, new[path].topic.name)
    for entry in after.entries:
        had = old[entry.path].topic.aliases if entry.path in old else ()
        for alias in entry.topic.aliases:
            if alias not in had and alias != entry.topic.name:
                into.setdefault(alias, entry.topic.name)
    removed = [old[p].topic.name for p in sorted(old.keys() - new.keys())]
    added = [new[p].topic.name for p in sorted(new.keys() - old.keys())]
    out: list[Operation] = []
    for name in dict.fromkeys([*into, *retired]):
        if name in into:
            out.append(("merge" if name in retired else "rename", name, into[name]))
        else:
            out.append(("retire", name, ""))
    out += [("remove", n, "") for n in removed if n not in into and n not in retired]
    targets = set(into.values())
    out += [("add", n, "") for n in added if n not in targets]
    out += [("restore", n, "") for n in restored if n not in targets]
    for path in sorted(old.keys() & new.keys()):
        was, now = dict(old[path].mapping), dict(new[path].mapping)
        if was.get("name") != now.get("name"):
            continue  # said as its rename or merge
        if into.get(str(was.get("parent"))) == now.get("parent"):
            was.pop("parent"), now.pop("parent")  # the parent renamed or merged
        if all(into.get(a) == now.get("name") for a in new[path].topic.aliases if a not in old[path].topic.aliases):
            was.pop("aliases", None), now.pop("aliases", None)  # names merged in
        if was != now:
            out.append(("edit", new[path].topic.name, ""))
    return _ordered(out)


def _ordered(ops: Iterable[Operation]) -> list[Operation]:
    order = {"merge": 0, "rename": 1, "retire": 2}
    return sorted(ops, key=lambda op: order.get(op[0], 3))


def message(per_file: Iterable[Sequence[Clause]], topic_operations: Sequence[Operation] = ()) -> str:
    """The commit message for these files' changes: the topic operations first, then the
    articles' clauses counted over the files ("Publish 3 articles; set quality of 2"). An
    article's removal of a merged, renamed or retired topic (and its addition of the topic it
    went into) is counted in the operation ('Merge topic "A" into "B" in 25 articles'). A first
    line longer than SUBJECT ends with how many more changes there are, and every clause is
    then listed below it."""
    files = [list(clauses) for clauses in per_file]
    done = []  # (kind, old, new, how many articles it changed)
    for kind, old, new in _with_targets(topic_operations, files):
        n = 0
        for clauses in files:
            if (Kind.REMOVE_TOPIC, old) in clauses and kind in ("merge", "rename", "retire"):
                clauses.remove((Kind.REMOVE_TOPIC, old))
                if (Kind.ADD_TOPIC, new) in clauses:
                    clauses.remove((Kind.ADD_TOPIC, new))
                n += 1
        done.append((kind, old, new, n))
    counts = Counter(clause for clauses in files for clause in clauses)
    if not counts and not done:
        return f"Update {words.count(len(files), 'article')}" if files else ""
    order = sorted(counts, key=lambda c: (c[0], -counts[c], c[1].casefold(), c[1]))
    items = [(lambda noun, op=op: _operation(*op, noun)) for op in done]
    items += [(lambda noun, c=clause: _phrase(c, counts[c], noun)) for clause in order]
    texts, noun = [], True
    for item in items:  # the first number is said with its noun ("3 articles"), the rest bare
        text = item(noun)
        noun = noun and text == item(False)
        texts.append(text)
    texts[0] = _capital(texts[0])
    line = "; ".join(texts)
    if len(line) <= SUBJECT:
        return line
    shown: list[str] = []
    for text in texts:
        more = len(texts) - len(shown) - 1
        candidate = "; ".join([*shown, text]) + (f"; and {more} more" if more else "")
        if shown and len(candidate) > SUBJECT:
            break
        shown.append(text)
    subject = "; ".join(shown) + f"; and {len(texts) - len(shown)} more"
    body = [_capital(item(True)) for item in items]
    return "\n".join([subject, "", *body])


def _with_targets(ops: Sequence[Operation], files: list[list[Clause]]) -> list[Operation]:
    """The operations, a retired topic said as merged into the one topic that every committed
    article that lost it gained instead (a merge that removed the old name's taxonomy entry
    leaves no trace of its target in the site files)."""
    out = []
    for kind, old, new in ops:
        if kind == "retire":
            losing = [c for c in files if (Kind.REMOVE_TOPIC, old) in c]
            gained = {name for c in losing for k, name in c if k is Kind.ADD_TOPIC}
            if len(gained) == 1:
                kind, new = "merge", gained.pop()
        out.append((kind, old, new))
    return _ordered(out)


def _operation(kind: str, old: str, new: str, n: int, noun: bool) -> str:
    text, counted = OPERATIONS[kind]
    text = text.format(old=old, new=new)
    if n and counted:
        text += counted.format(n=words.count(n, "article") if noun else f"{n:,}")
    return text


def _phrase(clause: Clause, n: int, noun: bool) -> str:
    kind, name = clause
    return PHRASES[kind].format(name=name, n=words.count(n, "article") if noun else f"{n:,}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Reading:
    """What changed files change against HEAD, read once (in a worker): `message(checked)`
    for any of them, made without reading again (the commit dialog's checks)."""

    root: str
    articles: dict[str, tuple[Clause, ...]]  # each article's clauses
    head: dict[str, bytes | None]  # each site file in HEAD (None: not there)
    now: dict[str, bytes | None]  # each site file now (None: removed)

    def message(self, paths: Iterable[str]) -> str:
        paths = list(paths)
        site = {p for p in paths if p in self.now}
        ops: list[Operation] = []
        if site:
            full = {os.path.join(self.root, p): p for p in self.now}
            before = taxonomies.from_files(self.root, {f: self.head[p] for f, p in full.items()})
            after = taxonomies.from_files(
                self.root, {f: self.now[p] if p in site else self.head[p] for f, p in full.items()}
            )
            ops = operations(before, after)
        return message([self.articles[p] for p in paths if p in self.articles], ops)


def read(repo: Repo, paths: Iterable[str], profile: profiles.Profile | None = None) -> Reading:
    """What these files (relative to the folder: articles and site files) change against HEAD."""
    profile = profile or profiles.for_root(repo.folder)
    paths = list(paths)
    site = [p for p in paths if is_site_file(p, profile)]
    articles = changes(repo, [p for p in paths if p not in site], profile)
    now: dict[str, bytes | None] = {}
    for path in site:
        try:
            with open(os.path.join(repo.folder, path), "rb") as f:
                now[path] = f.read()
        except OSError:
            now[path] = None
    return Reading(repo.folder, articles, repo.head_versions(site), now)


def describe(repo: Repo, paths: Iterable[str], profile: profiles.Profile | None = None) -> str:
    """The message for committing these files (relative to the folder)."""
    paths = list(paths)
    return read(repo, paths, profile).message(paths)
