"""The whole real corpus: every file loads or is reported, and edits round-trip byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curator.core.document.frontmatter import load_document
from curator.core.document.saves import plan_edit, save_changes
from curator.core.document.snapshots import read_file
from curator.core.folder import library, opening

EXTENSIONS = (".md", ".markdown", ".txt", ".html")


@pytest.fixture(scope="module")
def loaded(corpus: Path):
    return opening.load(corpus, EXTENSIONS)


def test_every_file_loads_or_is_reported(corpus: Path, loaded):
    files = [rel for rel, _ in library.scan_stats(corpus, EXTENSIONS, stats=False)]
    reported = {p.path for p in loaded.problems if p.severity not in ("warning", "excluded")}
    assert len(loaded.entries) + len(reported) == len(files)
    assert len(loaded.entries) > 750


def test_the_sites_data_files_are_not_articles_and_say_so(corpus: Path):
    """The 70 provider files under `_data/organizations/` are the site's data, not articles:
    758 articles are listed, and the excluded folder is named (never a silent gap)."""
    plain = opening.load(corpus)
    assert len(plain.entries) == 758
    assert not any(e.summary.path.startswith("_data/") for e in plain.entries)
    excluded = [p for p in plain.problems if p.severity == "excluded"]
    assert [(p.path, p.message) for p in excluded] == [
        ("_data/", "not listed: 70 files (the News (Jekyll collections) profile excludes _data/**)")
    ]


def test_the_queue_has_its_60_unpublished_articles(loaded):
    assert sum(1 for e in loaded.entries if e.summary.path.startswith("_news/") and not e.summary.published) == 60


def test_noop_set_leaves_every_file_identical(corpus: Path, loaded):
    for entry in loaded.entries:
        data = (corpus / entry.summary.path).read_bytes()
        doc = load_document(data)
        assert (
            plan_edit(data, {k: doc.data[k] for k in ("quality", "published", "topics", "heat") if k in doc.data})
            is None
        )
        assert doc.to_bytes() == data


def test_publish_all_news_then_unpublish_returns_the_original_bytes(corpus_copy: Path):
    news = sorted((corpus_copy / "_news").glob("*.md"))
    originals = {p: p.read_bytes() for p in news}
    unpublished = [p for p in news if load_document(originals[p]).data.get("published") is False]
    assert len(unpublished) == 60
    for path in news:
        if "published" in load_document(path.read_bytes()).data:
            assert save_changes(path, {"published": True}, read_file(path)[1]).ok
    changed = [p for p in news if p.read_bytes() != originals[p]]
    assert sorted(changed) == sorted(unpublished)
    for path in changed:  # exactly one line differs: the `published:` line
        diff = [
            (a, b) for a, b in zip(originals[path].splitlines(), path.read_bytes().splitlines(), strict=False) if a != b
        ]
        assert diff == [(b"published: false", b"published: true")]
    for path in unpublished:
        assert save_changes(path, {"published": False}, read_file(path)[1]).ok
    assert all(p.read_bytes() == originals[p] for p in news)


def _previous_versions(text: str):
    """Plausible earlier versions of a file, one field edit before it (as a curation bot makes them)."""
    doc = load_document(text.encode())
    data = doc.data
    if isinstance(data.get("quality"), int):
        yield (
            {"quality": data["quality"]},
            re.sub(r"(?m)^quality: [^\r\n]*", f"quality: {data['quality'] + 7}", text, count=1),
        )
    if isinstance(data.get("heat"), int):
        yield {"heat": data["heat"]}, re.sub(r"(?m)^heat: [^\r\n]*", "heat: 12345", text, count=1)
    if data.get("published") is False:
        yield {"published": False}, re.sub(r"(?m)^published: false", "published: true", text, count=1)
        yield {"published": False}, re.sub(r"(?m)^published: false(\r\n|\n)", "", text, count=1)  # key added
    topics = data.get("topics")
    if isinstance(topics, list) and len(topics) >= 2:
        # the last topic was added by the edit: remove its line to get the earlier file
        lines = text.splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("topics:"))
        items = [i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- ")]
        items = [i for i in items if i - start <= len(topics)][: len(topics)]
        yield {"topics": topics}, "".join(lines[: items[-1]] + lines[items[-1] + 1 :])


def test_replayed_edits_reproduce_the_files_byte_for_byte(corpus: Path, loaded):
    replayed = 0
    for entry in loaded.entries:
        data = (corpus / entry.summary.path).read_bytes()
        text = data.decode("utf-8")
        for changes, before in _previous_versions(text):
            assert before != text
            assert plan_edit(before.encode(), changes) == data, (entry.summary.path, changes)
            replayed += 1
    assert replayed > 1000
