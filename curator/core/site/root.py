"""What a site's checkout tells about itself: where its URLs live locally; and how the files
Curator reads as data (the taxonomy, `.curator.yml`) are read, within bounds."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from curator.core.document.formats.yaml import CONSTRUCTOR_ERRORS, SafeLoader

#: A site file (a taxonomy entry, `.curator.yml`) larger than this is not read...
MAX_SITE_FILE = 1_000_000
#: ...nor one whose collections nest deeper than this.
MAX_DEPTH = 32


class SiteFileError(ValueError):
    """A site file that is not read, and why."""


def load_site_yaml(text: str) -> object:
    """The YAML of a site file, read within bounds: a YAML alias (`*name`, as in the "billion
    laughs", whose few lines expand to an exponential structure that every later comparison
    walks) is refused, as are texts over MAX_SITE_FILE characters and nesting deeper than
    MAX_DEPTH. Raises SiteFileError."""
    if len(text) > MAX_SITE_FILE:
        raise SiteFileError(f"larger than {MAX_SITE_FILE:,} characters")
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise SiteFileError(f"it uses a YAML alias (*{event.anchor}), which site files may not")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SiteFileError(f"nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise SiteFileError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    except CONSTRUCTOR_ERRORS as exc:  # a tagged value PyYAML cannot make (`!!int ""`)
        raise SiteFileError(f"a value YAML cannot make: {exc.__class__.__name__}: {exc}") from None


def read_site_yaml(path: str | os.PathLike[str]) -> tuple[bytes, object]:
    """A site file's bytes and its YAML (see load_site_yaml). Raises OSError, SiteFileError."""
    with open(path, "rb") as f:
        data = f.read(MAX_SITE_FILE + 4)
    if len(data) > MAX_SITE_FILE + 3:  # (a BOM is not counted)
        raise SiteFileError(f"larger than {MAX_SITE_FILE:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteFileError("not UTF-8 text") from None
    return data, load_site_yaml(text)


def _load_yaml(path: Path) -> object:
    """A generator's own config (`_config.yml`, which may use anchors and merge keys: only its
    `url` and `baseurl` are looked at), or None."""
    try:
        if path.stat().st_size > MAX_SITE_FILE:
            return None
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, *CONSTRUCTOR_ERRORS):
        return None


class Site:
    """Maps the site's own image URLs to files in the checkout, so logos show offline."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).resolve()
        config = _load_yaml(self.root / "_config.yml")
        prefixes = []
        if isinstance(config, dict):
            url = config.get("url") if isinstance(config.get("url"), str) else ""
            base = config.get("baseurl") if isinstance(config.get("baseurl"), str) else ""
            if url:
                prefixes.append((url.rstrip("/") + "/" + base.strip("/")).rstrip("/") + "/")
            if base:
                prefixes.append("/" + base.strip("/") + "/")
        self.prefixes = tuple(prefixes)

    def resolve_local(self, url: str) -> Path | None:
        rest = None
        for prefix in self.prefixes:
            if url.startswith(prefix):
                rest = url[len(prefix) :]
                break
        if rest is None and url.startswith("/") and not url.startswith("//"):
            rest = url[1:]
        if rest is None:
            return None
        path = (self.root / unquote(urlsplit(rest).path)).resolve()
        if self.root not in path.parents:
            return None  # never outside the checkout
        return path if path.is_file() else None
