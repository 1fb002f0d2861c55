"""Editing any field over many articles: planning, previews of mixed values, and the bytes written."""

from __future__ import annotations

import os

import pytest

from curator.core.document.values import DELETE
from curator.core.document.writes import Status, write_edits
from curator.core.folder import fields
from curator.core.folder.fields import FieldEdit, Op

A = b'---\ntitle: "One"\ntags: [a, b]\nprovider:\n  name: Acme\n  domain: acme.example\nscore: 3\n---\nBody\n'
B = b"---\r\ntitle: Two\r\ntags:\r\n  - 'b'\r\n  - c\r\n---\r\n"
C = b"---\ntitle: Three\n---\n"


@pytest.fixture
def site(tmp_path):
    for name, data in (("a.md", A), ("b.md", B), ("c.md", C), ("bad.md", b"---\ntitle: [\n---\n")):
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_reading_keeps_each_files_bytes_and_names_unreadable_ones(site):
    reads = fields.read(site, ["a.md", "b.md", "c.md", "bad.md", "gone.md"])
    assert [r.document is not None for r in reads] == [True, True, True, False, False]
    assert reads[0].data == A
    assert reads[3].error and reads[4].error
    assert reads[0].value("provider.name") == "Acme"
    assert reads[2].value("tags") is DELETE
    counts = fields.key_counts(reads)
    assert counts["title"] == 3 and counts["tags"] == 2 and counts["provider.domain"] == 1
    texts = fields.column_texts(fields.iter_read(site, ["a.md", "b.md", "bad.md"]), ["tags", "provider.name"])
    assert texts == {"tags": {"a.md": "[a, b]", "b.md": "[b, c]"}, "provider.name": {"a.md": "Acme"}}


def test_a_typed_value_is_read_as_yaml():
    assert fields.parse_value("true") is True and fields.parse_value("[a, 3]") == ["a", 3]
    assert fields.parse_value("  ") == "" and fields.parse_value("Power Apps") == "Power Apps"
    with pytest.raises(fields.FieldError, match="cannot read '\\[a' as YAML"):
        fields.parse_value("[a")


def test_list_edits_keep_order_and_skip_what_is_already_so():
    values = {"a": ["x", "y"], "b": ["y"], "c": DELETE, "d": "text"}
    add = fields.plan(values, FieldEdit(Op.ADD, "y"), "tags")
    assert add.changes == {"c": (DELETE, ["y"])}
    assert add.unchanged == 2 and add.errors == {"d": "tags is text, not a list"}
    remove = fields.plan(values, FieldEdit(Op.REMOVE, "y"), "tags")
    assert remove.changes == {"a": (["x", "y"], ["x"]), "b": (["y"], [])}
    assert remove.unchanged == 1  # c has no tags: nothing to remove


def test_set_clear_and_regex_replace():
    values = {"a": "Power Apps news", "b": ["Power Apps", 3], "c": DELETE, "d": 7}
    replace = fields.plan(values, FieldEdit(Op.REPLACE, pattern=r"Power (\w+)", replacement=r"\1!"))
    assert replace.changes == {"a": ("Power Apps news", "Apps! news"), "b": (["Power Apps", 3], ["Apps!", 3])}
    assert replace.unchanged == 2
    assert fields.plan(values, FieldEdit(Op.CLEAR)).changes.keys() == {"a", "b", "d"}
    assert fields.plan({"a": 1, "b": True}, FieldEdit(Op.SET, 1)).changes == {"b": (True, 1)}  # 1 is not True
    with pytest.raises(fields.FieldError, match="not a valid regular expression"):
        fields.plan(values, FieldEdit(Op.REPLACE, pattern="("))
    bad_group = fields.plan({"a": "x"}, FieldEdit(Op.REPLACE, pattern="x", replacement=r"\2"))
    assert "does not fit" in bad_group.errors["a"]


def test_mixed_values_are_summed_up():
    assert fields.mixed([["a"], ["a"]]) == "all: [a]"
    assert fields.mixed([["a"], DELETE]) == "the others: [a]; missing in 1"
    assert fields.mixed([1, 2, 2, DELETE]) == "2 different values (2 ×2, 1 ×1); missing in 1"
    assert fields.mixed([DELETE]) == "no selected article has this key"
    assert fields.describe(True) == "true" and fields.describe(None) == "(empty)"


def test_the_bytes_written_change_only_the_edited_lines_and_undo_restores_every_byte(site):
    reads = fields.read(site, ["a.md", "b.md", "c.md"])
    values = {r.path: r.value("tags") for r in reads}
    planned = fields.plan(values, FieldEdit(Op.ADD, "new tag"), "tags")
    edits, errors = fields.byte_edits(reads, "tags", planned.changes)
    assert errors == {}
    results = write_edits(edits)
    assert [r.status for r in results] == [Status.OK] * 3
    assert (site / "a.md").read_bytes() == A.replace(b"[a, b]", b"[a, b, new tag]")
    assert (site / "b.md").read_bytes() == B.replace(b"  - c\r\n", b"  - c\r\n  - new tag\r\n")
    assert (site / "c.md").read_bytes() == b"---\ntitle: Three\ntags:\n  - new tag\n---\n"
    write_edits([e.reversed() for e in edits])
    assert [(site / n).read_bytes() for n in ("a.md", "b.md", "c.md")] == [A, B, C]


def test_a_nested_key_is_edited_in_place_and_a_file_changed_since_is_left_alone(site):
    reads = fields.read(site, ["a.md"])
    planned = fields.plan({"a.md": reads[0].value("provider.name")}, FieldEdit(Op.SET, "Acme Corp"))
    edits, _ = fields.byte_edits(reads, "provider.name", planned.changes)
    assert edits[0].new == A.replace(b"name: Acme\n", b"name: Acme Corp\n")
    (site / "a.md").write_bytes(A + b"more\n")
    (result,) = write_edits(edits)
    assert result.status is Status.CONFLICT and (site / "a.md").read_bytes() == A + b"more\n"


def test_a_value_that_cannot_be_written_is_named_per_file(site):
    reads = fields.read(site, ["a.md"])
    edits, errors = fields.byte_edits(reads, "tags", {"a.md": (["a", "b"], [{"x": 1}])})
    assert edits == [] and "only scalars and lists of strings" in errors["a.md"]
    assert os.path.exists(site / "a.md")
