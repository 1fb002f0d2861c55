"""A fuzzer over the suites' cases and the real corpus: their texts, mutated by hypothesis (a
quote, a tab, a bracket, a key line, a line break YAML knows put in; text cut out; lines from
another case spliced in), must never crash, hang, or make the list-fields reader (skim.py), the
fast reader (fastyaml.py) and the reference parser disagree; nor an edit read back otherwise."""

from __future__ import annotations

import functools
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.document.formats.base import EditError, FrontMatterError, NotAnArticle
from curator.core.document.formats.fastyaml import Unsupported, parse_fast
from curator.core.document.formats.skim import skim
from curator.core.document.frontmatter import decode, load_document, parse_front, split
from curator.core.document.saves import plan_edit
from curator.core.site.article import LISTS, list_keys, summarize
from tests.conformance import oracle
from tests.conformance.suites import json_suite, json_suite_implementation_defined, toml_suite, yaml_suite
from tests.conftest import CORPUS, need

#: No text this size takes a reader anywhere near this long (they take microseconds): more is a hang.
SLOW = 2.0
_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large]


#: CURATOR_FUZZ=10 runs ten times as many examples (a longer hunt than `make test` has time for).
_TIMES = int(os.environ.get("CURATOR_FUZZ", "1"))


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples * _TIMES, deadline=None, suppress_health_check=_CHECKS)


TOKENS = [
    '"', "'", "\t", ": ", ":\t", "- ", "-\t", "[", "]", "{", "}", ", ", "#", " #", "\n", "  ", "&a ", "*a",
    "!!str ", "!!set ", "? ", "|", ">-", "|2\n", "---", "...", "\\", "\\n", "%", "@", "`", "\u2028", "\x85",
    "\r\n", "\r", "\ufeff", "\x00", "é", "\U0001f600", "~", "null", "yes", "0x1F", "1e3", ".inf", "2024-02-30",
    "2024-01-02T03:04:05", "<<: ", 'x"y: "', "\npublished: false\n", "\ntitle: fuzzed\n", "\ndraft: true\n",
    "\n  - item\n", "\nrelated:\n  - a\n", "\ntopics: [a,\n  b]\n", "\nsecured: |\n  x\n", "\n- ", "\n  ",
    "\\U0001F600", "\\ud800", "\\t", "1" * 5000, "[" * 1500 + "]" * 1500, "{" * 1500,
]  # fmt: skip


#: What opens a scalar or collection that goes on over lines, and what closes each: put in at
#: an indented line and at the end of a later one, the lines between become part of it.
SPANS = {
    '"': ['"', 'z: "'], "'": ["'", "z: '"], "[": ["]", "z]"], "{": ["}", "z: 1}"],
    'x"y: "': ['"', 'z: "'], 'x:\t"': ['"'], "x:\t'": ["'"], "x:\t[": ["]"], "x:\t{": ["}"],
    '- "': ['"'], "? [": ["]"], 'x: "a\\': ['"'], "x: &a [": ["]"], "x: !!str '": ["'"],
}  # fmt: skip


@functools.cache
def corpus_fronts() -> tuple[str, ...]:
    out = []
    for path in sorted(CORPUS.rglob("*.md"))[:400]:
        try:
            out.append(split(decode(path.read_bytes())).front)
        except (FrontMatterError, NotAnArticle):
            continue
    return tuple(out)


@functools.cache
def yaml_seeds() -> tuple[str, ...]:
    return tuple(c.front for c in yaml_suite()[0])


def _span(draw, text: str) -> str:
    """A scalar or collection opened on one line and closed on a later one: most often opened on
    a line of its own in an indented block (one the list-fields reader skips) and closed at the
    end of a block's last line (where libyaml can go on after it): what hides column-0 lines."""
    lines = text.split("\n")
    if len(lines) < 3:
        return text
    tops = [k for k, line in enumerate(lines) if line[:1] not in ("", " ", "#", "-")] + [len(lines)]
    if len(tops) > 2 and draw(st.booleans()):  # a block moved first: it comes before keys the list reads
        b = draw(st.integers(1, len(tops) - 2))
        lines = lines[tops[b] : tops[b + 1]] + lines[: tops[b]] + lines[tops[b + 1] :]
    indented = [k for k, line in enumerate(lines[:-1]) if line.startswith(" ")]
    i = draw(st.sampled_from(indented)) if indented and draw(st.booleans()) else draw(st.integers(0, len(lines) - 2))
    ends = [k for k in range(i + 1, len(lines) - 1) if lines[k].strip() and not lines[k + 1].startswith(" ")]
    j = draw(st.sampled_from(ends)) if ends and draw(st.booleans()) else draw(st.integers(i + 1, len(lines) - 1))
    opener = draw(st.sampled_from(sorted(SPANS)))
    lines[j] += draw(st.sampled_from(SPANS[opener]))
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip(" "))]
    where = draw(st.sampled_from(["a line", "start", "end"]))
    if where == "a line":  # as indented as the line before it
        lines.insert(i + 1, indent + opener)
    elif where == "start":
        lines[i] = indent + opener + lines[i][len(indent) :]
    else:
        lines[i] += opener
    return "\n".join(lines)


def _change(draw, text: str, pool: tuple[str, ...]) -> str:
    op = draw(st.integers(0, 4))
    at = draw(st.integers(0, len(text)))
    if op <= 1:  # a token, half the time at a line's start (after its indentation)
        if op == 1 and "\n" in text:
            at = draw(st.sampled_from([i + 1 for i, c in enumerate(text) if c == "\n"]))
            at += len(text[at:]) - len(text[at:].lstrip(" "))
        return text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
    if op == 2:  # a piece cut out
        return text[:at] + text[at + draw(st.integers(1, 8)) :]
    if op == 3:  # a line of another case spliced in
        line = draw(st.sampled_from(draw(st.sampled_from(pool)).split("\n")))
        return text[:at] + line + "\n" + text[at:]
    lines = text.split("\n")  # a line doubled
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(i, lines[i])
    return "\n".join(lines)


@st.composite
def mutated(draw, seeds: tuple[str, ...], others: tuple[str, ...] = (), spans: bool = False):
    """A seed text with one to four changes; with `spans`, one of them opens a scalar or a
    collection on one line and closes it on a later one."""
    text = draw(st.sampled_from(seeds))
    changes = draw(st.integers(0 if spans else 1, 3))
    if spans:
        text = _span(draw, text)
    for _ in range(changes):
        text = _change(draw, text, seeds + others)
    return text


def _timed(call, *args):
    start = time.perf_counter()
    try:
        return call(*args)
    finally:
        assert time.perf_counter() - start < SLOW, f"{call.__name__} took over {SLOW} s"


def readers_agree(front: str) -> None:
    """The fast reader, the list-fields reader (News and Hugo) and Curator's full read give what
    libyaml gives, or decline; nothing raises but the errors meant to be raised."""
    ref = _timed(oracle.yaml_reference, front)
    try:
        fast, _ = _timed(parse_fast, front)
    except Unsupported:
        pass
    else:
        assert not isinstance(ref, str), f"the fast reader reads what libyaml refuses: {front!r}"
        assert oracle.same(fast, ref), front
    try:
        full = _timed(parse_front, front)
    except FrontMatterError:
        assert isinstance(ref, str), f"Curator refuses what libyaml reads: {front!r}"
        return
    assert not isinstance(ref, str) and oracle.same(full.data, ref), front
    for profile in oracle.PROFILES:
        try:
            skimmed = _timed(skim, front, list_keys(profile), LISTS)
        except Unsupported:
            continue
        wanted = {k: v for k, v in ref.items() if k in list_keys(profile)}
        assert oracle.same(skimmed.data, wanted), f"the list-fields reader disagrees: {front!r}"
        assert all(full.key_lines.get(k) == line for k, line in skimmed.key_lines.items()), front
        assert summarize("a.md", skimmed, profile) == summarize("a.md", full, profile), front


def edit_reads_back(data: bytes) -> None:
    """An edit of a file Curator reads either is declined or reads back as intended."""
    try:
        doc = _timed(load_document, data)
    except (FrontMatterError, NotAnArticle):
        return
    for changes in ({"title": "fuzzed"}, {"topics": ["a", "b"]}, {"draft": False}):
        try:
            new = _timed(plan_edit, data, changes)
        except EditError:
            continue
        if new is not None:
            got = load_document(new).data
            assert oracle.same(got, {**doc.data, **changes}), (data, changes)


@fuzz(1500)
@given(st.data())
def test_the_yaml_readers_agree_on_the_mutated_yaml_suite(data):
    front = data.draw(mutated(yaml_seeds()))
    readers_agree(front)
    edit_reads_back(("---\n" + front + "\n---\nbody\n").encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("spans", [False, True], ids=["changes", "spans"])
def test_the_yaml_readers_agree_on_the_mutated_real_corpus(spans):
    need(CORPUS, "the real corpus")
    fronts = corpus_fronts()
    assert len(fronts) > 100

    @fuzz(2000 if spans else 1000)
    @given(mutated(fronts, yaml_seeds(), spans=spans))
    def run(front):
        readers_agree(front)

    run()


def _as_file(kind: str, text: str) -> bytes:
    if kind == "toml":
        return ("+++\n" + text + "\n+++\nbody\n").encode("utf-8", "surrogatepass")
    return (text + "\nbody\n").encode("utf-8", "surrogatepass")


@fuzz(800)
@given(st.data())
def test_toml_and_json_front_matter_never_crash_and_agree(data):
    """Mutated toml-test and JSONTestSuite cases (the i_ ones too) read as tomllib and json read
    them, or are refused; an edit reads back."""
    kind = data.draw(st.sampled_from(["toml", "json"]))
    text = data.draw(mutated(_toml_seeds() if kind == "toml" else _json_seeds()))
    file = _as_file(kind, text)
    try:
        doc = _timed(load_document, file)
    except (FrontMatterError, NotAnArticle):
        doc = None
    ref = _reference(kind, text, file)
    if ref is not None:
        assert (doc is None) == isinstance(ref, str), text
        assert doc is None or oracle.same(doc.data, ref), text
    edit_reads_back(file)


def _reference(kind: str, text: str, file: bytes):
    """What the reference reads from the file, where the case is still front matter of one
    piece in it (None where the mutation made it something else: text after `+++`, no `{`)."""
    try:
        whole = decode(file)
    except FrontMatterError:
        return None  # binary or not UTF-8: refused before any parser sees it
    if kind == "toml":
        try:
            parts = split(whole)
        except (FrontMatterError, NotAnArticle):
            return None
        return oracle.toml_reference(text + "\n") if parts.front == text + "\n" else None
    if whole.startswith("{") and whole[1:2] not in ("{", "%", "#"):
        return oracle.json_reference(whole)
    return None


@functools.cache
def _toml_seeds() -> tuple[str, ...]:
    return tuple(c.front[:-1] for c in toml_suite()[0] if c.front)


@functools.cache
def _json_seeds() -> tuple[str, ...]:
    cases = [*json_suite()[0], *json_suite_implementation_defined()]
    return tuple(c.front.removesuffix("\nBody stays.\n") for c in cases if c.front)


@pytest.fixture(autouse=True)
def _suites_installed() -> None:
    """Each fuzz test needs its suites (a skip with the reason, or a failure in CI)."""
    yaml_suite()
    toml_suite()
    json_suite()
