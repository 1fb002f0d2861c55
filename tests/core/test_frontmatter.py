from __future__ import annotations

import datetime as dt

import pytest

from curator.core.document import frontmatter as fm
from curator.core.document.formats.base import FrontMatterError, NotAnArticle
from curator.core.document.frontmatter import load_document


def test_split_keeps_every_part():
    text = '\ufeff---\r\ntitle: "A"\r\n---\r\nBody *text*\r\n'
    parts = fm.split(text)
    assert parts.bom and parts.newline == "\r\n"
    assert parts.front == 'title: "A"\r\n'
    assert parts.body == "Body *text*\r\n"
    assert parts.text() == text


def test_dots_close_front_matter_and_no_final_newline():
    parts = fm.split("---\na: 1\n...")
    assert parts.front == "a: 1\n"
    assert parts.text() == "---\na: 1\n..."
    assert load_document(b"---\na: 1\n---").data == {"a": 1}


def test_empty_front_matter_is_an_empty_mapping():
    assert load_document(b"---\n---\n").data == {}
    # null, as libyaml reads these, is no front matter to Jekyll either: `data ||= {}` (found by the fuzzer)
    for front in (b"null\n", b"~\n", b"--- # nothing here\n", b"# a comment\n"):
        assert load_document(b"---\n" + front + b"---\nbody\n").data == {}


def test_no_front_matter_is_not_an_article():
    with pytest.raises(NotAnArticle):
        load_document(b"# Just markdown\n")


def test_unclosed_front_matter_names_the_line():
    with pytest.raises(FrontMatterError, match="never closed") as info:
        load_document(b"---\na: 1\nb: 2\n")
    assert info.value.line == 4


def test_malformed_yaml_reports_file_line():
    with pytest.raises(FrontMatterError) as info:
        load_document(b'---\ntitle: ok\nexcerpt: "unterminated\nquality: 3\n---\n')
    assert info.value.line == 3  # where the quote opens, not the end of the front matter
    assert "YAML error" in info.value.message


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("title: ok\ntopics: [a, b\nquality: 3\nother: 1\n", 3),  # the list that is never closed
        ("topics: {a: 1\nx: 2\ny: 3\n", 2),
        ("title: ok\ntopics: [a]\nquality: 3\nexcerpt: 'open\nmore: 1\n", 5),
        ("title: ok\n  bad: indent\nquality: 3\n", 3),  # no bracket or quote: where it goes wrong
    ],
)
def test_yaml_errors_point_where_the_problem_starts(front, line):
    with pytest.raises(FrontMatterError) as info:
        load_document(f"---\n{front}---\nbody\n".encode())
    assert info.value.line == line, info.value.message


def test_binary_junk_is_reported_not_crashed():
    with pytest.raises(FrontMatterError, match="binary"):
        load_document(b"---\x00\x01\x02\xff")
    with pytest.raises(FrontMatterError, match="UTF-8") as info:
        load_document(b"---\ntitle: caf\xe9\n---\n")
    assert info.value.line == 2


def test_front_matter_must_be_a_mapping():
    with pytest.raises(FrontMatterError, match="list"):
        load_document(b"---\n- a\n- b\n---\n")
    # a mapping node tagged as a set (yaml-test-suite 2XXW) is a set, which has no keys to read
    with pytest.raises(FrontMatterError, match="set, not a mapping"):
        load_document(b"---\n--- !!set\n? Mark McGwire\n? Sammy Sosa\n---\n")


def test_alias_bomb_is_refused():
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        bomb.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    data = ("---\n" + "\n".join(bomb) + "\n---\n").encode()
    with pytest.raises(FrontMatterError, match="alias"):
        load_document(data)


def test_small_aliases_are_fine():
    assert load_document(b"---\na: &x [1]\nb: *x\n---\n").data == {"a": [1], "b": [1]}


def test_oversized_file_is_refused():
    with pytest.raises(FrontMatterError, match="limit"):
        load_document(b"---\na: 1\n---\n" + b"x" * 100, max_bytes=50)


def test_no_python_objects_are_built():
    with pytest.raises(FrontMatterError):
        load_document(b"---\na: !!python/object/apply:os.system ['echo hi']\n---\n")


def test_timestamps_parse_and_key_lines_are_known():
    doc = load_document(b"---\n# c\npublishedDateTime: 2021-04-28T15:53:00Z\nquality: 3\n---\n")
    assert doc.data["publishedDateTime"] == dt.datetime(2021, 4, 28, 15, 53, tzinfo=dt.UTC)
    assert doc.parsed.key_lines == {"publishedDateTime": 3, "quality": 4}


@pytest.mark.parametrize("value", ["!!int", "!!int _", "!!float", "!!bool", "!!bool maybe", "!!timestamp x"])
def test_a_tagged_value_libyaml_cannot_make_is_an_error_not_a_crash(value):
    """PyYAML's constructors raise IndexError, KeyError or AttributeError on these (found by the fuzzer)."""
    with pytest.raises(FrontMatterError, match="YAML value error") as caught:
        load_document(f"---\ntitle: t\nn: {value}\n---\n".encode())
    assert caught.value.line == 3


def test_deep_nesting_is_an_error_not_a_crash():
    deep = "a: " + "[" * 5000 + "]" * 5000
    with pytest.raises(FrontMatterError):
        load_document(f"---\n{deep}\n---\n".encode())
