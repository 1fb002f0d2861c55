"""Curator against suites nobody here wrote: yaml-test-suite, toml-test, JSONTestSuite,
python-frontmatter's fixtures, and Hugo's front matter cases (see tests/conformance/suites.py
and tests/data/suites/README.md). Each case is a whole file read through the editor's path, the
list's path and the fast reader, edited, and saved where it is refused (see oracle.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from curator.core.document.saves import save_changes
from tests.conformance import oracle
from tests.conformance.suites import HUGO, SUITE_CASES, frontmatter_fixtures, hugo_cases, need_suite
from tests.conftest import ROOT

REFERENCE_SUITES = ("yaml-test-suite", "toml-test", "JSONTestSuite")


def _report(problems: list[str], what: str) -> str:
    shown = "\n".join(problems[:25])
    return f"{len(problems)} {what}:\n{shown}" + ("\n…" if len(problems) > 25 else "")


@pytest.mark.parametrize("suite", REFERENCE_SUITES)
def test_every_case_is_read_as_the_reference_reads_it(suite):
    cases, apart = SUITE_CASES[suite]()
    problems, accepted = [], 0
    for case in cases:
        ref = oracle.reference(case)
        accepted += not isinstance(ref, str)
        problems += oracle.check_reading(case, ref)
    assert not problems, _report(problems, f"disagreements in {len(cases)} cases")
    assert accepted > 50 and len(cases) - accepted > 50, (accepted, len(cases), apart)


@pytest.mark.parametrize("suite", REFERENCE_SUITES)
def test_every_edit_of_an_accepted_case_changes_only_its_lines(suite):
    cases, _ = SUITE_CASES[suite]()
    problems, made, declined = [], 0, 0
    for case in cases:
        ref = oracle.reference(case)
        if isinstance(ref, str):
            continue
        found, m, d = oracle.check_edits(case, ref)
        problems += found
        made, declined = made + m, declined + d
    assert not problems, _report(problems, f"bad edits of {made}")
    assert made > 3 * declined, (made, declined)  # most edits are made, not declined


@pytest.mark.parametrize("suite", REFERENCE_SUITES)
def test_a_refused_file_is_never_written(suite, tmp_path):
    cases, _ = SUITE_CASES[suite]()
    refused = [c for c in cases if isinstance(oracle.reference(c), str)]
    problems = []
    for i, case in enumerate(refused):
        path = tmp_path / f"{i}.md"
        path.write_bytes(case.data)
        result = save_changes(path, {"title": "x", "draft": False}, expected=None)
        if result.ok or path.read_bytes() != case.data:
            problems.append(f"{case.id}: saved ({result.status}, {result.message})")
    assert not problems, _report(problems, f"written of {len(refused)} refused")
    assert sorted(os.listdir(tmp_path)) == sorted(f"{i}.md" for i in range(len(refused)))  # no temp file left


@pytest.mark.parametrize("suite", REFERENCE_SUITES)
def test_curator_show_prints_each_case_as_the_reference_reads_it(suite, tmp_path):
    cases, _ = SUITE_CASES[suite]()
    paths = []
    for i, case in enumerate(cases):
        paths.append(tmp_path / f"{i}.md")
        paths[-1].write_bytes(case.data)
    out = subprocess.run(
        [sys.executable, "-m", "curator", "show", "--format", "json", *map(str, paths)],
        capture_output=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    shown = json.loads(out.stdout)
    problems = []
    for case, item in zip(cases, shown, strict=True):
        ref = oracle.reference(case)
        if isinstance(ref, str):
            if "error" not in item:
                problems.append(f"{case.id}: shown although the reference refuses it")
        elif "error" in item or not oracle.same(item["front_matter"], json.loads(json.dumps(oracle.as_json(ref)))):
            problems.append(f"{case.id}: shown as {item}")
    assert not problems, _report(problems, "cases shown otherwise")
    assert out.returncode == (1 if any("error" in i for i in shown) else 0)


# --- the fixtures of python-frontmatter, and Hugo's cases -----------------------------------------

#: Where python-frontmatter reads otherwise, and why: a `----` line opens front matter there, not
#: in Jekyll or Hugo; a file without front matter has empty metadata there, and is no article here.
FRONTMATTER_DIFFERS = {"yaml/extra-dash.txt": oracle.NONE, "empty/no-frontmatter.txt": oracle.NONE}


def test_python_frontmatter_fixtures_read_as_it_reads_them():
    place = need_suite("python-frontmatter")
    cases, _ = frontmatter_fixtures()
    problems = []
    for case in cases:
        expected = json.loads((place / case.name).with_suffix(".result.json").read_text(encoding="utf-8"))
        expected.pop("content")
        expected = FRONTMATTER_DIFFERS.get(case.name, expected)
        got = oracle.curator(case.data)
        if expected == oracle.NONE and got != oracle.NONE:
            problems.append(f"{case.id}: read as {getattr(got, 'data', got)}, not as no front matter")
        elif expected != oracle.NONE and (isinstance(got, str) or oracle.as_json(got.data) != expected):
            problems.append(f"{case.id}: read as {getattr(got, 'data', got)}, python-frontmatter reads {expected}")
        elif not isinstance(got, str) and got.data:
            edits, _, _ = oracle.check_edits(case, got.data)
            problems += edits
    assert not problems and len(cases) >= 9, _report(problems, "fixtures read otherwise")


def _hugo_expected() -> dict:
    return json.loads((HUGO / "expected.json").read_text(encoding="utf-8"))


def test_hugo_cases_read_as_hugo_reads_them_but_where_the_difference_is_written_down():
    cases, _ = hugo_cases()
    expected = _hugo_expected()
    assert sorted(expected) == sorted(c.name for c in cases)
    problems = []
    for case in cases:
        want = expected[case.name].get("curator", expected[case.name]["hugo"]) if "why" in expected[case.name] else (
            expected[case.name]["hugo"])  # fmt: skip
        got = oracle.curator(case.data)
        if want is None:
            ok = got == oracle.NONE
        elif want == "error":
            ok = got == oracle.REFUSED
        else:
            ok = not isinstance(got, str) and oracle.same(got.data, want)
            if ok and want:
                edits, made, _ = oracle.check_edits(case, got.data)
                problems += edits
                ok = made > 0
        if not ok:
            problems.append(f"{case.id}: read as {getattr(got, 'data', got)}, not {want}")
    assert not problems, _report(problems, "Hugo cases read otherwise")


def _hugo_list(site: Path) -> tuple[int, dict[str, dict[str, str]]]:
    done = subprocess.run(["hugo", "list", "all"], cwd=site, capture_output=True, text=True, timeout=120)
    rows = csv.DictReader(io.StringIO(done.stdout)) if done.returncode == 0 else []
    return done.returncode, {row["path"]: row for row in rows}


@pytest.mark.skipif(
    shutil.which("hugo") is None and not os.environ.get("CURATOR_REQUIRE_HUGO"), reason="hugo is not installed"
)
def test_hugo_itself_reads_the_hugo_cases_as_written_down(tmp_path):
    """The expectations are Hugo's: `hugo list all` gives each page's title and draft state as
    expected, and refuses to build a site with a page expected to be an error."""
    cases, _ = hugo_cases()
    expected = _hugo_expected()
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "http://example.org/"\ntitle = "cases"\n')
    errors = [c for c in cases if expected[c.name]["hugo"] == "error"]
    for case in cases:
        if case not in errors:
            (site / "content" / case.name).write_bytes(case.data)
    code, rows = _hugo_list(site)
    assert code == 0 and len(rows) == len(cases) - len(errors), rows
    for case in cases:
        if case in errors:
            continue
        front = expected[case.name]["hugo"] or {}
        row = rows[f"content/{case.name}"]
        assert row["title"] == front.get("title", ""), case.name
        assert row["draft"] == str(front.get("draft", False)).lower(), case.name
    for case in errors:
        lone = tmp_path / case.name
        shutil.copytree(site, lone, ignore=shutil.ignore_patterns("*.md"))
        (lone / "content" / case.name).write_bytes(case.data)
        assert _hugo_list(lone)[0] != 0, case.name
