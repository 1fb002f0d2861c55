"""Property tests: random documents and edit sequences.

For every generated document and change set, the edited text parses back to exactly the
intended mapping, and no line outside the edited keys is removed or altered.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.document.editing import edit_document, intended, same
from curator.core.document.formats.yaml import _node_end, compose
from curator.core.document.frontmatter import load_document, parse_front
from curator.core.document.values import DELETE

KEYS = ["title", "quality", "heat", "published", "topics", "category", "excerpt", "secured", "k_1", "x-y"]
WORDS = st.sampled_from(["AI", "Power Apps", "news", "Canvas apps", "x", "éclair", "a b c", "C#", "100%"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
SCALAR = st.one_of(st.integers(-(10**6), 10**6), st.booleans(), TEXT, WORDS)
LIST = st.lists(st.one_of(WORDS, TEXT), max_size=5)


@st.composite
def rendered_value(draw):
    """(value, lines after 'key:') in one of the styles real files use."""
    kind = draw(st.sampled_from(["int", "bool", "plain", "double", "single", "block", "flow"]))
    if kind == "int":
        v = draw(st.integers(-1000, 100000))
        return v, [f" {v}"]
    if kind == "bool":
        v = draw(st.booleans())
        word = draw(st.sampled_from([("true", "false"), ("True", "False"), ("yes", "no")]))
        return v, [" " + (word[0] if v else word[1])]
    if kind == "plain":
        v = draw(st.sampled_from(["news", "article", "Power Apps", "video"]))
        return v, [f" {v}"]
    if kind == "double":
        v = draw(st.text(st.characters(min_codepoint=32, max_codepoint=0xFFFD, blacklist_categories=("Cs", "Cc"))))
        return v, [" " + json.dumps(v, ensure_ascii=draw(st.booleans()))]
    if kind == "single":
        v = draw(st.text(st.characters(min_codepoint=32, max_codepoint=0x7E), max_size=15))
        return v, [" '" + v.replace("'", "''") + "'"]
    items = draw(st.lists(WORDS, max_size=4))
    if kind == "flow" or not items:
        return items, [" [" + ", ".join(json.dumps(i) for i in items) + "]"]
    indent = draw(st.sampled_from(["", "  ", "    "]))
    quoted = draw(st.booleans())
    lines = [""]
    for item in items:
        lines.append(f"{indent}- {json.dumps(item) if quoted else item}")
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"{indent}# a comment")
    return items, lines


@st.composite
def documents(draw):
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=8))
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    lines = []
    for key in keys:
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "# note"])))
        _, rendered = draw(rendered_value())
        comment = draw(st.sampled_from(["", "", " # why"])) if len(rendered) == 1 else ""
        lines.append(f"{key}:{rendered[0]}{comment}")
        lines.extend(rendered[1:])
    front = "".join(line + nl for line in lines)
    body = draw(st.sampled_from(["", "Body\n", "# Title\n\ntext"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return f"{bom}---{nl}{front}---{nl}{body}"


CHANGES = st.dictionaries(
    st.sampled_from(KEYS),
    st.one_of(SCALAR, LIST, st.just(DELETE)),
    max_size=4,
)


def edited_line_ranges(front: str, keys, deleted=()) -> set[int]:
    # lines are counted at "\n" only (YAML's marks also count U+2028, U+0085: a quoted value holding one
    # shifted every later line of the check by one)
    root = compose(front)
    lines: set[int] = set()
    texts = front.split("\n")
    for k, v in root.value if root is not None else ():
        start = front.count("\n", 0, k.start_mark.index)
        if k.value in deleted and start > 0 and not texts[start - 1].strip():
            lines.add(start - 1)  # a deleted key takes the blank line before it along
        if k.value in keys:
            end = _node_end(v)
            end_line = front.count("\n", 0, end) if not front[:end].endswith("\n") else front.count("\n", 0, end) - 1
            lines.update(range(start, max(end_line, start) + 1))
    return lines


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), CHANGES)
def test_edit_reads_back_as_intended_and_touches_nothing_else(text, changes):
    data = text.encode("utf-8")
    doc = load_document(data)
    new = edit_document(doc, changes)
    want = intended(doc.data, changes)
    if new is None:
        assert same(want, doc.data)
        return
    new_doc = load_document(new)
    assert same(new_doc.data, want)
    assert new_doc.split.head == doc.split.head and new_doc.split.tail == doc.split.tail
    assert new_doc.split.bom == doc.split.bom
    if doc.split.newline == "\r\n":
        assert "\n" not in new_doc.split.front.replace("\r\n", "")
    old_lines = doc.split.front.split("\n")
    new_lines = new_doc.split.front.split("\n")
    allowed = edited_line_ranges(doc.split.front, set(changes), {k for k, v in changes.items() if v is DELETE})
    kept = [line for i, line in enumerate(old_lines) if i not in allowed]
    remaining = iter(new_lines)
    assert all(line in remaining for line in kept), "a line outside the edited keys changed or moved"


@settings(max_examples=200, deadline=None)
@given(documents())
def test_setting_every_key_to_its_value_is_a_no_op(text):
    doc = load_document(text.encode("utf-8"))
    assert edit_document(doc, dict(doc.data)) is None


@settings(max_examples=200, deadline=None)
@given(documents(), CHANGES)
def test_edits_compose_and_parse_front_agrees(text, changes):
    """Applying changes one key at a time gives the same file as applying them together."""
    doc = load_document(text.encode("utf-8"))
    together = edit_document(doc, changes)
    step = doc
    for key, value in changes.items():
        out = edit_document(step, {key: value})
        if out is not None:
            step = load_document(out)
    assert same(parse_front(step.split.front).data, intended(doc.data, changes))
    if together is not None:
        assert same(load_document(together).data, step.data)
