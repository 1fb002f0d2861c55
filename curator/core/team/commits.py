"""What a commit holds, said in words.

The files a commit may take are the folder's changed article files as the list sees them
(the scan's rules and the site's profile: not a `README.md` the profile leaves out, not a file
in a hidden folder, not a file without front matter). The message is made from what the
chosen files change against HEAD: both versions are read with the same front-matter reader
as the list, and their values compared ("Publish 3 articles; set quality of 2"), never from
the undo history (edits already committed, or thrown away, are not in the files).

Qt-free; reads files and runs git: call it off the GUI thread.
"""

from __future__ import annotations

import enum
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from curator.core import words
from curator.core.document.files import read_file
from curator.core.document.formats.base import NotAnArticle
from curator.core.document.frontmatter import Document, load_document
from curator.core.folder import scan
from curator.core.folder.fields import same
from curator.core.site import profiles
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


def article_files(repo: Repo, status: Status, profile: profiles.Profile | None = None) -> list[tuple[str, State]]:
    """The folder's changed files that are articles, sorted (deleted files are not offered)."""
    profile = profile or profiles.for_root(repo.folder)
    return [
        (path, state)
        for path, state in sorted(status.files.items())
        if state is not State.DELETED and is_article(repo.folder, path, profile)
    ]


def refuse_non_articles(repo: Repo, paths: Sequence[str], profile: profiles.Profile | None = None) -> None:
    """GitError naming each path (relative to the folder) that is not an article of it."""
    profile = profile or profiles.for_root(repo.folder)
    others = []
    for path in paths:
        full = repo.inside(path)
        rel = os.path.relpath(full, repo.folder).replace(os.sep, "/")
        if not is_article(repo.folder, rel, profile):
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


def message(per_file: Iterable[Sequence[Clause]]) -> str:
    """The commit message for these files' changes: their clauses counted over the files
    ("Publish 3 articles; set quality of 2"). A first line longer than SUBJECT ends with how
    many more changes there are, and every clause is then listed below it."""
    files = list(per_file)
    counts = Counter(clause for clauses in files for clause in clauses)
    if not counts:
        return f"Update {words.count(len(files), 'article')}" if files else ""
    order = sorted(counts, key=lambda c: (c[0], -counts[c], c[1].casefold(), c[1]))
    texts = [_phrase(clause, counts[clause], first=i == 0) for i, clause in enumerate(order)]
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
    body = [_capital(_phrase(clause, counts[clause], first=True)) for clause in order]
    return "\n".join([subject, "", *body])


def _phrase(clause: Clause, n: int, first: bool) -> str:
    kind, name = clause
    text = PHRASES[kind].format(name=name, n=words.count(n, "article") if first else f"{n:,}")
    return _capital(text) if first else text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(repo: Repo, paths: Iterable[str], profile: profiles.Profile | None = None) -> str:
    """The message for committing these files (relative to the folder)."""
    return message(changes(repo, paths, profile).values())
