"""The front-matter formats Curator reads and edits, in the order a file's first line is tried:
YAML (`---`), TOML (`+++`), JSON (`{`). `frontmatter` splits and reads a file, and `editing`
edits one, through this list, never by naming a format."""

from __future__ import annotations

from curator.core.document.formats.base import FrontMatterFormat
from curator.core.document.formats.json import JSON
from curator.core.document.formats.toml import TOML
from curator.core.document.formats.yaml import YAML

FORMATS: tuple[FrontMatterFormat, ...] = (YAML, TOML, JSON)

_BY_NAME = {f.name: f for f in FORMATS}


def named(name: str) -> FrontMatterFormat:
    """The format a `Split.format` names."""
    return _BY_NAME[name]
