"""A file's bytes to a Document: decoding, cutting the text into BOM, front matter and body, and
reading the front matter, each in the format whose fence opens the file (formats/registry.py).

Files come from the web and from other tools: every problem is a `FrontMatterError` carrying
the 1-based line in the file; a file with no front matter is `NotAnArticle`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from curator.core.document.formats.base import BOM, FrontMatterError, NotAnArticle, Only, Split
from curator.core.document.formats.registry import FORMATS, named
from curator.core.document.values import Parsed

DEFAULT_MAX_BYTES = 8 * 1024 * 1024

_FIRST, *_OTHERS = (f"'{f.fence}'" for f in FORMATS)
#: "no front matter: the first line is not '---' (nor '+++' or '{')"
_NO_FENCE = f"no front matter: the first line is not {_FIRST} (nor {' or '.join(_OTHERS)})"


def decode(data: bytes) -> str:
    """Bytes to text, keeping the BOM as a character so nothing is lost."""
    if b"\x00" in data[:65536]:
        raise FrontMatterError("binary file (contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FrontMatterError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", line) from None


def split(text: str) -> Split:
    """Cut text into parts; raises NotAnArticle when there is no front matter."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    for fmt in FORMATS:
        parts = fmt.split(text, bom)
        if parts is not None:
            return parts
    raise NotAnArticle(_NO_FENCE)


def parse_front(front: str, fast: bool = True, format: str = "yaml", only: Only | None = None) -> Parsed:
    """Parse front matter text of the format named into plain data with the file line of each
    top-level key. YAML: plain block YAML goes through the fast reader (same result, several
    times faster) unless `fast` is False; with `only`, the list-fields reader reads just those
    keys where it can (Parsed.skimmed)."""
    return named(format).read(front, fast=fast, only=only)


@dataclass(slots=True)
class Document:
    """A whole article file: its parts and the parsed front matter."""

    split: Split
    parsed: Parsed

    @property
    def data(self) -> dict[str, Any]:
        return self.parsed.data

    def to_bytes(self, front: str | None = None) -> bytes:
        return self.split.text(front).encode("utf-8")


def load_document(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, only: Only | None = None) -> Document:
    """Parse a file's bytes (with `only`, maybe just some keys: see parse_front). Raises
    NotAnArticle or FrontMatterError."""
    if len(data) > max_bytes:
        raise FrontMatterError(f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    parts = split(decode(data))
    return Document(parts, named(parts.format).read(parts.front, only=only))
