"""TOML (+++) and JSON front matter: read, and edited with the YAML guarantees (only the edited
lines change; the result reads back as intended, or nothing is written)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.document.editing import same
from curator.core.document.formats.base import EditError, FrontMatterError, NotAnArticle
from curator.core.document.formats.json import json_members
from curator.core.document.formats.registry import FORMATS, named
from curator.core.document.formats.toml import toml_statements, toml_value
from curator.core.document.frontmatter import load_document
from curator.core.document.saves import plan_edit
from curator.core.document.values import DELETE

TOML = (
    "\ufeff+++\r\ntitle = \"Hello\"\r\ndraft = true\r\ntags = ['a', 'b']  # the tags\r\n"
    'date = 2024-01-02T03:04:05Z\r\n\r\n[taxonomies]\r\ncategories = [\r\n  "x",\r\n  "y",\r\n]\r\n+++\r\nBody\r\n'
).encode()
JSON = b'{\n  "title": "Hi",\n  "draft": true,\n  "tags": [\n    "a",\n    "b"\n  ],\n  "params": {"x": 1}\n}\n\nBody\n'


def edit(data: bytes, **changes) -> bytes:
    changes = {k.replace("__", "."): v for k, v in changes.items()}
    new = plan_edit(data, changes)
    return data if new is None else new


def test_toml_and_json_front_matter_are_read_with_their_lines():
    doc = load_document(TOML)
    assert doc.split.format == "toml" and doc.split.bom and doc.split.body == "Body\r\n"
    assert doc.data["tags"] == ["a", "b"] and doc.data["taxonomies"] == {"categories": ["x", "y"]}
    assert doc.parsed.key_lines == {"title": 2, "draft": 3, "tags": 4, "date": 5}
    doc = load_document(JSON)
    assert doc.split.format == "json" and doc.data["params"] == {"x": 1} and doc.split.body == "\nBody\n"
    assert doc.parsed.key_lines["draft"] == 3


def test_bad_toml_and_json_say_which_line():
    with pytest.raises(FrontMatterError) as caught:
        load_document(b"+++\ntitle = 'a'\ndraft = tru\n+++\n")
    assert caught.value.line == 3 and "TOML" in caught.value.message
    with pytest.raises(FrontMatterError, match="never closed"):
        load_document(b"+++\ntitle = 'a'\n")
    with pytest.raises(FrontMatterError) as caught:
        load_document(b'{\n  "a": 1,\n  "b": \n}\n')
    assert caught.value.line == 4
    with pytest.raises(NotAnArticle):
        load_document(b"just text\n")


def test_toml_edits_change_only_their_lines():
    assert edit(TOML, draft=False) == TOML.replace(b"draft = true", b"draft = false")
    assert edit(TOML, draft=DELETE) == TOML.replace(b"draft = true\r\n", b"")
    new = edit(TOML, tags=["a", "b", "c d"])  # single quotes, the comment, CRLF, the BOM: kept
    assert new == TOML.replace(b"['a', 'b']", b"['a', 'b', 'c d']")
    new = edit(TOML, taxonomies__categories=["x", "z", "y"])
    assert new == TOML.replace(b'  "x",\r\n', b'  "x",\r\n  "z",\r\n')
    new = edit(TOML, taxonomies__tags=["n"])
    # a new list takes the document's quoting (single quotes, mostly)
    assert new == TOML.replace(b'  "y",\r\n]\r\n', b"  \"y\",\r\n]\r\ntags = ['n']\r\n")
    new = edit(TOML, weight=3)
    assert new == TOML.replace(b"05Z\r\n", b"05Z\r\nweight = 3\r\n")


def test_zola_taxonomies_are_made_when_missing():
    page = b'+++\ntitle = "Z"\ndraft = false\n+++\n'
    new = edit(page, taxonomies__tags=["rust"])
    assert new == b'+++\ntitle = "Z"\ndraft = false\ntaxonomies.tags = ["rust"]\n+++\n'


def test_json_edits_change_only_their_lines():
    assert edit(JSON, draft=False) == JSON.replace(b'"draft": true', b'"draft": false')
    assert edit(JSON, draft=DELETE) == JSON.replace(b'  "draft": true,\n', b"")
    assert edit(JSON, tags=["a", "c"]) == JSON.replace(b'    "b"\n', b'    "c"\n')
    assert edit(JSON, params__x=2) == JSON.replace(b'{"x": 1}', b'{"x": 2}')
    assert edit(JSON, weight=3) == JSON.replace(b'{"x": 1}\n}', b'{"x": 1},\n  "weight": 3\n}')
    assert edit(JSON, title=DELETE) == JSON.replace(b'  "title": "Hi",\n', b"")


def test_what_cannot_be_edited_cleanly_is_refused():
    with pytest.raises(EditError, match="comments inside"):
        plan_edit(b"+++\ntags = [\n  'a', # one\n  'b',\n]\n+++\n", {"tags": ["a"]})
    with pytest.raises(EditError, match="array of tables"):
        plan_edit(b"+++\n[[menu]]\nname = 'a'\n+++\n", {"menu.name": "b"})
    with pytest.raises(EditError, match="not an object"):
        plan_edit(b'{"params": 1}\n', {"params.x": 2})


# --- properties ------------------------------------------------------------------------------

KEYS = st.sampled_from(["title", "draft", "tags", "weight", "slug", "summary"])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
VALUES = st.one_of(TEXT, st.booleans(), st.integers(-(2**40), 2**40), st.lists(TEXT, max_size=4))
CHANGE = st.one_of(VALUES, st.just(DELETE))


def _toml_doc(data: dict, multiline: bool, literal: bool) -> str:
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and multiline and value:
            lines.append(f"{key} = [\n" + "".join(f"  {toml_value(v, literal)},\n" for v in value) + "]")
        else:
            lines.append(f"{key} = {toml_value(value, literal)}")
    return "+++\n" + "\n".join(lines) + ("\n" if lines else "") + "+++\nbody\n"


def _others(text: str, key: str, fmt: str) -> list[str]:
    """The text's lines outside the key's own lines, a trailing comma dropped (JSON adds or
    drops the comma of the member before a new or deleted one)."""
    if fmt == "toml":
        front = text.split("+++\n")[1]
        spans = [(s.start, s.end) for s in toml_statements(front) if s.key == (key,)]
    else:
        front = text
        spans = [(m.key_start, m.value_end) for m in json_members(text, 0) if m.key == key]
    for start, end in spans:
        broke = front[end - 1 : end] == "\n" and fmt == "toml"  # a statement's span ends after its line
        front = front[: front.rfind("\n", 0, start) + 1] + "\0" + ("\n" if broke else "") + front[end:]
    return [line.rstrip(",") for line in front.splitlines() if "\0" not in line]


def _only_lines_of(old: str, new: str, key: str, fmt: str) -> None:
    """Every line but the edited key's own is still there, in order, byte for byte."""
    assert _others(old, key, fmt) == _others(new, key, fmt)


def _edited(text: str, data: dict, key: str, value) -> str | None:
    """The edited text, checked to read back as intended (None: nothing changed, rightly)."""
    new = plan_edit(text.encode(), {key: value})
    want = {k: v for k, v in data.items() if not (k == key and value is DELETE)}
    if value is not DELETE:
        want[key] = value
    if new is None:
        assert want == data
        return None
    got = load_document(new)
    assert got.data == want and got.split.tail.endswith("body\n")
    return new.decode()


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6), KEYS, CHANGE, st.booleans(), st.booleans())
def test_toml_edits_read_back_as_intended_and_leave_other_lines(data, key, value, multiline, literal):
    text = _toml_doc(data, multiline, literal)
    assert tomllib.loads(text.split("+++\n")[1]) == data
    new = _edited(text, data, key, value)
    if new is not None:
        _only_lines_of(text, new, key, "toml")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6), KEYS, CHANGE, st.sampled_from([None, 2, 4]))
def test_json_edits_read_back_as_intended_and_leave_other_lines(data, key, value, indent):
    text = json.dumps(data, indent=indent, ensure_ascii=False) + "\nbody\n"
    new = _edited(text, data, key, value)
    if new is not None and indent is not None and data:  # (an empty object is one line: its member joins it)
        _only_lines_of(text, new, key, "json")


# --- hostile input (issue 32) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, name",
    [
        ('"k\\U0001F600"', "k\U0001f600"),  # an escape JSON does not know
        ('"k\tz"', "k\tz"),  # a tab: allowed in a TOML basic string, a control character to JSON
        ('"a\\u00e9\\\\b"', "a\u00e9\\b"),
        ("'raw\\n'", "raw\\n"),
    ],
)
def test_quoted_toml_keys_are_read_as_tomllib_reads_them(key, name):
    data = f'+++\ntitle = "x"\n{key} = 1\ndraft = true\n+++\nbody\n'.encode()
    doc = load_document(data)
    assert doc.data == tomllib.loads(doc.split.front) == {"title": "x", name: 1, "draft": True}
    assert doc.parsed.key_lines == {"title": 2, name: 3, "draft": 4}
    assert edit(data, draft=False) == data.replace(b"draft = true", b"draft = false")


def test_nesting_and_numbers_the_reference_refuses_are_errors_not_crashes():
    deep = ("+++\ntitle = 'x'\nv = " + "[" * 3000 + "]" * 3000 + "\n+++\n").encode()
    with pytest.raises(FrontMatterError, match="nested too deeply"):
        load_document(deep)
    digits = ('{\n  "title": "x",\n  "n": ' + "1" * 5000 + "\n}\nbody\n").encode()
    with pytest.raises(FrontMatterError, match="digits") as caught:
        load_document(digits)
    assert caught.value.line == 3
    with pytest.raises(FrontMatterError, match="digits"):
        load_document(("+++\nn = " + "1" * 5000 + "\n+++\n").encode())


@pytest.mark.parametrize(
    "page", ["{% include head.html %}\n<p>hi</p>\n", "{{ site.title }}\n", "{%- if x -%}\n", "{# note #}\n"]
)
def test_a_page_that_starts_with_a_template_tag_has_no_front_matter(page):
    """Liquid, Go templates and Nunjucks start with `{%`, `{{`, `{#`: never a JSON object."""
    with pytest.raises(NotAnArticle):
        load_document(page.encode())
    with pytest.raises(FrontMatterError, match="JSON"):  # a JSON object that is broken still says so
        load_document(b'{\n  "title": "x",\n}\n')


# --- the registry: every format behind one protocol -------------------------------------------

#: a one-key front matter of each format around a rendered value
ONE_KEY = {"yaml": "k: {}\n", "toml": "k = {}\n", "json": '{{"k": {}}}'}


def test_each_format_is_registered_once_and_opens_its_own_files():
    assert [f.name for f in FORMATS] == ["yaml", "toml", "json"]  # the order a first line is tried in
    assert all(named(f.name) is f for f in FORMATS)
    for fmt, data in ((named("yaml"), b"---\ntitle: T\n---\n"), (named("toml"), TOML), (named("json"), JSON)):
        doc = load_document(data)
        assert doc.split.format == fmt.name and (doc.split.head or doc.split.front).startswith(fmt.fence)
        assert [f.name for f in FORMATS if f.split(data.decode().removeprefix("\ufeff"), False)] == [fmt.name]
    with pytest.raises(NotAnArticle, match=r"not '---' \(nor '\+\+\+' or '\{'\)"):
        load_document(b"plain text\n")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_renders_a_value_its_reader_reads_back(fmt):
    values = ["text", "yes", "a: b", 'say "hi"', "#tag", "", 12, -3, 1.5, True, False]
    values += [dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)]
    for value in values:
        got = fmt.read(ONE_KEY[fmt.name].format(fmt.render(value))).data["k"]
        assert same(got, fmt.held(value)), (fmt.name, value, fmt.render(value))
    assert fmt.held("text") == "text" and (fmt.held(dt.date(2024, 1, 2)) == "2024-01-02") == (fmt.name == "json")
