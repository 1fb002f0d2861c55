"""The list-fields reader (skim) must give the full parse's list fields on everything it reads.

On every document the full parse (libyaml) accepts, the skim either declines or gives exactly
the same values for the keys the list reads, the same file line for each key up to the last
of those, and so the same Summary. What it skips it does not check: a file whose skipped part is broken is
listed, and the full parse in the background (library.check_skimmed) names it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.document.editing import same
from curator.core.document.formats.base import FrontMatterError
from curator.core.document.formats.skim import Unsupported, skim
from curator.core.document.frontmatter import parse_front, split
from curator.core.folder import library
from curator.core.site import profiles
from curator.core.site.article import LISTS, list_keys, summarize
from tests.core.test_editing_properties import documents
from tests.core.test_fastyaml import SAMPLE_FRONTS, fronts, generated_fronts, mutated_sample

NEWS = profiles.NEWS
WANTED = list_keys(NEWS)


def skim_agrees(front: str, profile: profiles.Profile = NEWS) -> bool | None:
    """True when the skim read `front` (and then it agrees with the full parse), False when it
    declined, None when the full parse rejects the document (nothing to agree with)."""
    try:
        full = parse_front(front, fast=False)
    except FrontMatterError:
        return None
    try:
        skimmed = skim(front, list_keys(profile), LISTS)
    except Unsupported:
        return False
    assert skimmed.skimmed
    wanted = {k: v for k, v in full.data.items() if k in list_keys(profile)}
    assert same(skimmed.data, wanted), front
    # the file line of each key up to the last one it reads (what follows it is not vouched for)
    assert all(full.key_lines.get(k) == line for k, line in skimmed.key_lines.items()), front
    assert all(skimmed.key_lines[k] == full.key_lines[k] for k in wanted), front
    assert summarize("a.md", skimmed, profile) == summarize("a.md", full, profile), front
    return True


def test_the_keys_it_reads_are_the_ones_summarize_reads():
    assert {"title", "name", "excerpt", "publishedDateTime", "date", "images", "image", "category"} <= WANTED
    assert {"published", "topics", "provider", "quality", "heat", "type", "originalUrl"} <= WANTED  # (duplicates)
    assert "related" not in WANTED and "related" in LISTS
    assert {"secured", "featuredContent", "webUrl"}.isdisjoint(WANTED)
    hugo = list_keys(profiles.by_name("hugo"))
    assert {"draft", "tags", "summary", "cover"} <= hugo  # `cover.image`: the mapping is read


def test_agrees_on_every_file_of_the_real_corpus(corpus):
    results = [skim_agrees(front) for _, front in fronts(corpus, (".md", ".markdown", ".txt", ".html"))]
    assert len(results) > 850 and None not in results
    assert all(results)  # and it reads every one of them


def test_agrees_on_a_generated_corpus(tmp_path):
    results = [skim_agrees(front) for front in generated_fronts(tmp_path, 1500, seed=11)]
    assert len(results) == 1500 and all(results)


def test_agrees_on_the_bundled_sample():
    assert SAMPLE_FRONTS and all(skim_agrees(front) for front in SAMPLE_FRONTS)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_agrees_on_generated_documents(text):
    skim_agrees(split(text).front)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample())
def test_agrees_on_mutated_real_files(front):
    skim_agrees(front)


TOP_KEYS = st.sampled_from(
    ["title", "excerpt", "topics", "quality", "published", "images", "provider", "related", "secured", "x"]
)
LOOKS_LIKE_A_KEY = st.sampled_from(
    ["title: y", "published: false", "quality: 3", "topics:", "other: 1", "- a", "# c", "x"]
)
#: values that end on their line, or go on in indented lines only
PLAIN_BLOCKS = [
    "plain",
    '"quoted"',
    "'single'",
    "12",
    "true",
    "it's [not] a {flow}",
    '"a" # "b',
    "\n  - a\n  - 'b'",
    "\n- a\n- b",
    '\n  - t: "x"\n    u: 1',
    "\n  k: v\n  m: [1, 2]",
    "|\n  text\n  {line}",  # a block scalar's lines look like keys, but are indented
    ">\n  {line}\n\n  more",
    "a\n  {line}",  # a plain scalar on two lines
    "\n# {line}",
]
#: values that go on past their line: continuation lines at column 0 that look like keys
GOING_ON = [
    '"x\n{line}"',
    "'x\n{line}'",
    '"x\\\n{line}"',  # an escaped line break
    "[a,\n{line}]",
    "{{a: 1,\n{line}}}",
    '\n  - t: "x\n{line}"',
    "&a x",
    "\n  - *a",
]
BLOCKS = st.one_of(st.sampled_from(PLAIN_BLOCKS), st.sampled_from(PLAIN_BLOCKS), st.sampled_from(GOING_ON))


@st.composite
def top_level(draw):
    """Top-level keys whose values are built to mislead a reader that goes by column 0: quoted
    scalars, flow collections and block scalars that go on over lines that look like keys."""
    keys = draw(st.lists(TOP_KEYS, min_size=1, max_size=7, unique=True))
    if draw(st.integers(0, 9)) == 0:
        keys.append(keys[0])  # now and then a key twice
    parts = []
    for key in keys:
        block = draw(BLOCKS)
        block = block.replace("{line}", draw(LOOKS_LIKE_A_KEY)).replace("{{", "{").replace("}}", "}")
        parts.append(f"{key}:{'' if block.startswith(chr(10)) else ' '}{block}")
    return "\n".join(parts) + "\n"


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(top_level())
def test_agrees_on_documents_made_to_mislead_it(front):
    skim_agrees(front)


@pytest.mark.parametrize(
    "front",
    [
        'related:\n  - t: "x\ntitle: y"\n',  # a quoted scalar goes on into a line that looks like a key
        "related:\n  - t: 'x\ntitle: y'\n",
        "secured: [a,\ntitle: b]\n",  # a flow collection goes on
        'featuredContent: "a\n  b"\ntitle: x\n',
        "title: a\ntitle: b\n",  # duplicate keys: libyaml keeps the last
        "  title: a\n",  # not a key at column 0
        "? title\n: x\n",
        "title: x\n...\n",
        "%YAML 1.1\ntitle: x\n",
        "title: x\u2028published: false\n",  # a line break only YAML sees
        "title: x\npublished: false\x85quality: 3\n",
        "title: &a x\n",  # anchors, aliases, tags in what it reads: the fast reader declines
        "related: &r\n  - a\ntitle: *r\n",
        "title: !!str 1\n",
        "related: 5\n",  # not a list: summarize warns, from the full parse
        "related:\n  a: 1\n",
        "title: x\n- y\n",  # a list item after a key with a value
        "title: x\r\npublished: false\rquality: 1\n",  # a lone carriage return
    ],
)
def test_declines_what_it_cannot_read_as_libyaml_does(front):
    with pytest.raises(Unsupported):
        skim(front, WANTED, LISTS)


@pytest.mark.parametrize(
    ("front", "read"),
    [
        ("title: T\n\n   \nquality: 5", True),  # blank lines after it; the last key without a line break
        ("title:\nquality: 5 # five\n", True),  # no value: null; a comment after the value
        ("title: # a comment, no value\nheat: -0\n", True),
        ("title:   'it''s'   \npublished: yes\ntype: null\nexcerpt: ~\n", True),
        ("publishedDateTime: 2024-02-03\ndate: 2024-02-03T10:00:00Z\n", True),
        ("title: x\n# a comment at column 0\nquality: 1\n", True),  # (title's block: not its line alone)
        ("title: x\n  # an indented comment\nquality: 1\n", True),
        ("title: a\u200bb\nquality: 1.5\n", True),
        ("title: [a, b]\nquality: []\n", False),  # a flow collection: libyaml reads it
        ('title: "a \\u00e9"\n', False),  # an escape it leaves to libyaml
        ("quality: 017\n", False),  # YAML 1.1 octal: libyaml reads it
        ("heat: 1e3\n", True),  # text to YAML 1.1 (no dot): to both
        ("title: caf\u00e9 \u0085 x\n", False),  # a line break only YAML knows
        ("publishedDateTime: 2024-02-30T10:00:00Z\n", None),  # a date that does not exist
        ("title: a: b\n", None),  # `: ` in a plain scalar
    ],
)
def test_one_line_values_read_from_their_line_as_the_full_parse_reads_them(front, read):
    """The skim reads a key whose value is on its line alone from that line (fastyaml.scalar_line),
    without tokenizing it again: the same values, and the same refusals, as the full parse."""
    assert skim_agrees(front) is read
    if read is None:  # libyaml refuses it: the skim leaves it to the full parse, which names it
        with pytest.raises(Unsupported):
            skim(front, WANTED, LISTS)


def test_reads_only_what_the_list_needs():
    front = (
        "title: T\nrelated:\n  - title: R\n    x: [1, 2,\n      3]\n    y: |\n      text\nsecured: 'abc'\n"
        "featuredContent: |\n  <p>\nextra: {a: 1}\n"
    )
    parsed = skim(front, WANTED, LISTS)
    assert parsed.data == {"title": "T"} and parsed.skimmed
    assert parsed.key_lines == {"title": 2, "related": 3}  # up to the last key it reads or checks
    assert parse_front(front, fast=False).data["extra"] == {"a": 1}  # (the full parse reads it all)


def test_a_broken_skipped_part_is_listed_then_named_by_the_full_parse(tmp_path):
    """The skim does not read what it skips; the check in the background finds what is wrong."""
    (tmp_path / "a.md").write_text("---\ntitle: A\nrelated:\n  - a\n - b\nsecured: x\n---\n")
    (tmp_path / "b.md").write_text("---\ntitle: B\nrelated:\n  - a\n---\n")
    entry = library.load_one(str(tmp_path), "a.md", NEWS, skim=True)
    assert isinstance(entry, library.Entry) and entry.summary.title == "A"
    problem = library.check_skimmed(str(tmp_path), "a.md", NEWS)
    assert isinstance(problem, library.Problem) and problem.path == "a.md" and problem.line == 5
    assert "YAML error" in problem.message and problem.stat is not None
    assert library.load_one(str(tmp_path), "a.md", NEWS) == problem  # as the full load says
    assert library.check_skimmed(str(tmp_path), "b.md", NEWS) is None  # read the same: nothing to say


@pytest.mark.parametrize(
    "front",
    [
        'title: a\nsecured:\n  x"y: "\npublished: false\nz: "\n',  # a quote in a plain key: text
        'title: a\nsecured:\n  - x"y: "\npublished: false\nz: "\n',
        'title: a\nsecured:\n  x:\t"\npublished: false\nz: "\n',  # a tab after the colon separates
        "title: a\nsecured:\n  x:\t'\npublished: false\nz: '\n",
        'title: a\nsecured:\n  - x:\t"\npublished: false\nz: "\n',
        "title: a\nsecured:\n  x:\t[\npublished: false, a]\n",
        "title: a\nsecured:\n  x:\t{\npublished: false, a: b}\n",
    ],
)
def test_a_line_that_opens_a_scalar_is_never_passed_over(front):
    """Issue 32: these lines open a quoted scalar or a flow collection that libyaml reads on over
    `published: false`, which is no key of the document; the skim read it as one."""
    assert "published" not in parse_front(front, fast=False).data
    assert skim_agrees(front) is False  # it declines: the full parse decides
