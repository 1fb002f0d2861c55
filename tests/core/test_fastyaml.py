"""The fast reader must agree with PyYAML's safe loader on everything it accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.document.editing import same
from curator.core.document.formats.base import FrontMatterError
from curator.core.document.formats.fastyaml import Unsupported, block, parse_fast
from curator.core.document.frontmatter import decode, parse_front, split
from curator.core.folder import library
from tests.conftest import GENERATOR, ROOT, need
from tests.core.test_editing_properties import documents


def agree(front: str) -> bool:
    """True when the fast reader accepted `front` (and then it must agree with PyYAML)."""
    try:
        data, key_lines = parse_fast(front)
    except Unsupported:
        return False
    full = parse_front(front, fast=False)
    assert same(data, full.data), front
    assert key_lines == full.key_lines
    return True


def fronts(root: Path, extensions=library.EXTENSIONS):
    """Every file's front matter, content or not (the taxonomy and `_data/` files too)."""
    rels = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in extensions and p.is_file())
    for rel in rels:
        try:
            yield rel, split(decode((root / rel).read_bytes())).front
        except Exception:
            continue


def test_agrees_on_every_file_of_the_real_corpus(corpus):
    results = [agree(front) for _, front in fronts(corpus, (".md", ".markdown", ".txt", ".html"))]
    assert len(results) > 850
    assert sum(results) == len(results)  # and it understands all of them


def generated_fronts(folder: Path, n: int, seed: int) -> list[str]:
    """The front matter of `n` articles made by the corpus generator (the test skips without it)."""
    generator = need(GENERATOR, "the corpus generator")
    subprocess.run(
        [sys.executable, str(generator), str(n), str(folder), "--seed", str(seed)], check=True, capture_output=True
    )
    return [front for _, front in fronts(folder)]


def test_agrees_on_a_generated_corpus(tmp_path):
    results = [agree(front) for front in generated_fronts(tmp_path, 1500, seed=7)]
    assert len(results) == 1500 and all(results)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_agrees_on_generated_documents(text):
    agree(split(text).front)


KEYS = st.sampled_from(["a", "b", "title", "x_y", "on", "yes", "null"])
# Characters that YAML treats specially beyond ASCII: line breaks (U+2028, U+2029, NEL), a BOM,
# a no-break space that is not white space to YAML.
SPECIAL = st.sampled_from(["\u2028", "\u2029", "\x85", "\ufeff", "\xa0", "\t", "#", ":", '"', "'"])
PLAIN = st.text(st.one_of(st.characters(min_codepoint=32, max_codepoint=0x2FF), SPECIAL), max_size=12)


@st.composite
def wild_front(draw):
    """Lines of YAML-ish text: whatever the fast reader accepts must match PyYAML."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4]))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            lines.append(f"{indent}{draw(KEYS)}: {draw(PLAIN)}")
        elif kind == 1:
            lines.append(f"{indent}{draw(KEYS)}:")
        elif kind == 2:
            lines.append(f"{indent}- {draw(PLAIN)}")
        else:
            lines.append(f"{indent}{draw(PLAIN)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=1500, deadline=None)
@given(wild_front())
def test_accepts_only_what_pyyaml_reads_the_same(front):
    reads_as_libyaml(front)


def reads_as_libyaml(front: str) -> None:
    """What the fast reader accepts, libyaml (PyYAML's C loader) accepts and reads the same:
    a file libyaml rejects is never read, and so never edited."""
    try:
        data, _ = parse_fast(front)
    except Unsupported:
        return
    try:
        full = parse_front(front, fast=False)
    except FrontMatterError:
        pytest.fail(f"fast reader accepted what libyaml rejects: {front!r}")
    assert same(data, full.data), front


@pytest.mark.parametrize(
    "front",
    [
        "a: &x 1\nb: *x\n",
        "a: [1, 2]\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: !!str 1\n",
        'a: "multi\n  line"\n',
        "a: plain\n  continued\n",
        "a:\tb\n",
        "a: 1\na: 2\n",
        "yes: 1\n",
        "a: 0x1F\n",
        "a: 1.5e+3\n",
        'a: "\\x41"\n',
        "? a\n: b\n",
        "a: 2021-01-01 10:00:00\n",
        "- a\n- b\n",
        "a: b: c\n",
        "a: -\n",
    ],
)
def test_hands_everything_else_to_pyyaml(front):
    with pytest.raises(Unsupported):
        parse_fast(front)


@pytest.mark.parametrize(
    "front",
    [
        "published: true\n# note\u2028published: false\n",  # U+2028 ends the comment: the key is real
        "published: true\n# note\u2029published: false\n",
        "k" * 2000 + ": 1\n",  # libyaml refuses keys over 1024 characters
        'excerpt: "quoted"\xa0\ntitle: x\n',  # a no-break space after a quote is not white space
        "publishedDateTime: 2021-02-30T00:00:00Z\n",  # no such day: the full parser reports it
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 400)) + "  " * 400 + "x: 1\n",
    ],
)
def test_declines_what_libyaml_reads_differently(front):
    with pytest.raises(Unsupported):
        parse_fast(front)


def test_a_line_break_only_yaml_sees_changes_the_value():
    parsed = parse_front("published: true\n# note\u2028published: false\n")
    assert parsed.data == {"published": False}  # as libyaml (and so Jekyll) reads it


MUTATIONS = st.sampled_from(
    [*" \t\n\r:-#'\"[]{},&*!|>%@`?\\\u2028\u2029\x85\ufeff\xa0xyz019.", "---", "...", "- ", ": ", " #", "\r\n", "    "]
)


@st.composite
def mutated_sample(draw):
    """A real front matter of the bundled sample with a few characters or lines changed."""
    text = draw(st.sampled_from(SAMPLE_FRONTS))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 3))
        if op == 0:
            text = text[:at] + draw(MUTATIONS) + text[at:]
        elif op == 1:
            text = text[:at] + text[at + 1 :]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == 2:
                lines.insert(draw(st.integers(0, len(lines))), lines[i])
            else:
                lines[i] = " " * draw(st.integers(0, 4)) + lines[i].lstrip(" ")
            text = "\n".join(lines)
    return text


SAMPLE_FRONTS = [front for _, front in fronts(ROOT / "resources" / "sample")]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample())
def test_mutated_real_files_read_as_libyaml_reads_them(front):
    """A fuzzed real file that libyaml rejects is never accepted by the fast reader (it would be edited)."""
    reads_as_libyaml(front)


SIMPLE = st.sampled_from(["a", "Chips", "Startups Asia", "10", "true", '"q r"', "'s'", "https://x.y/z"])
ITEM = st.one_of(
    *[SIMPLE] * 8,
    PLAIN,
    st.text("ab 1:#-'\"", min_size=1, max_size=6),
    st.sampled_from(['"quoted"', "'single'", '"a" # c', "2024-01-02T03:04:05Z", "2024-13-02T03:04:05Z", "12",
                     "yes", "~", "", "  ", "# note", "- x", "a: b", "a:", "url: x", "x #c", "[]", "{}"]),
)  # fmt: skip
GOOD_KEYS = st.sampled_from(["url", "name", "width", "x-y", "isCached"])
LINE_KEYS = st.one_of(GOOD_KEYS, GOOD_KEYS, GOOD_KEYS, st.sampled_from(["on", "null", "a b", "é"]))


@st.composite
def nested_lines(draw):
    """The lines under `k:`: a list, a mapping or a list of mappings, its indentation, dashes and
    items varied, sometimes with a line that does not belong."""
    at = " " * draw(st.sampled_from([0, 1, 2, 2, 4]))
    shape = draw(st.sampled_from(["list", "mapping", "mappings"]))
    off = st.sampled_from([0, 0, 0, 0, 0, 1])  # one space more than the shape's
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        if shape == "list":
            lines.append(f"{at}-{' ' * (1 + draw(off))}{draw(ITEM)}")
        elif shape == "mapping":
            lines.append(f"{at}{draw(LINE_KEYS)}:{draw(st.sampled_from([' ', ' ', ' ', '  ', '']))}{draw(ITEM)}")
        else:
            lines.append(f"{at}-{' ' * (1 + draw(off))}{draw(LINE_KEYS)}: {draw(ITEM)}")
            inner = at + "  " + " " * draw(off)
            lines += [f"{inner}{draw(LINE_KEYS)}: {draw(ITEM)}" for _ in range(draw(st.integers(0, 3)))]
    if draw(st.integers(0, 3)) == 0:
        stray = draw(st.sampled_from(["", "  ", "# c", f"{at}  more", f"{at}- x", f"{at}x: y", f"{at}x:"]))
        lines.insert(draw(st.integers(0, len(lines))), stray)
    if draw(st.integers(0, 3)) == 0:  # one line a space further in
        moved = draw(st.integers(0, len(lines) - 1))
        lines[moved] = " " + lines[moved]
    return "".join("\n" + line for line in lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested_lines())
def test_a_block_reads_as_the_fast_reader_reads_it(lines):
    block_agrees(lines)


def block_agrees(lines: str) -> None:
    """fastyaml.block (the list-fields reader's shortcut for nested values) gives what parse_fast
    gives the key, or declines; it never accepts what parse_fast declines."""
    try:
        value = block(lines)
    except Unsupported:
        return
    data, _ = parse_fast("k:" + lines)  # (raises, failing the test, where the shortcut accepted too much)
    assert same(value, data["k"]) and type(value) is type(data["k"]), lines


@st.composite
def well_formed_lines(draw):
    """A list, a mapping or a list of mappings of plain one-line values, and which line to move."""
    at = " " * draw(st.integers(0, 3))
    keys = st.lists(GOOD_KEYS, min_size=1, max_size=4, unique=True)
    shape = draw(st.sampled_from(["list", "mapping", "mappings"]))
    if shape == "list":
        lines = [f"{at}- {draw(SIMPLE)}" for _ in range(draw(st.integers(1, 4)))]
    elif shape == "mapping":
        lines = [f"{at or ' '}{key}: {draw(SIMPLE)}" for key in draw(keys)]
    else:
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            first, *rest = draw(keys)
            lines += [f"{at}- {first}: {draw(SIMPLE)}", *(f"{at}  {key}: {draw(SIMPLE)}" for key in rest)]
    return lines, draw(st.integers(0, len(lines) - 1)), draw(st.sampled_from([" ", "  ", "   "]))


@settings(max_examples=1500, deadline=None)
@given(well_formed_lines())
def test_a_block_reads_well_formed_lines_and_declines_one_moved(drawn):
    lines, moved, spaces = drawn
    text = "".join("\n" + line for line in lines)
    assert same(block(text), parse_fast("k:" + text)[0]["k"]), text
    lines[moved] = spaces + lines[moved]  # one line further in, or (below) out
    for shifted in (lines, [line[len(spaces) * 2 :] if i == moved else line for i, line in enumerate(lines)]):
        block_agrees("".join("\n" + line for line in shifted))


@pytest.mark.parametrize(
    ("lines", "value"),
    [
        ("\n  - Chips\n  - Startups Asia\n", ["Chips", "Startups Asia"]),
        ("\n- a\n- 'b'\n", ["a", "b"]),
        ("\n  name: Draft News\n  domain: draftnews.com", {"name": "Draft News", "domain": "draftnews.com"}),
        ('\n  - url: "u"\n    width: 10\n  - url: v\n', [{"url": "u", "width": 10}, {"url": "v"}]),
    ],
)
def test_a_block_reads_the_common_shapes(lines, value):
    assert block(lines) == value


@pytest.mark.parametrize(
    "lines",
    ["\n  - a\n    b", "\n  - a\n\n  - b", "\n  a: 1\n  a: 2", "\n  - a:\n      b: 1", "\n  a: # c", "\n  yes: 1"],
)
def test_a_block_leaves_other_shapes_to_the_tokens(lines):
    with pytest.raises(Unsupported):
        block(lines)
