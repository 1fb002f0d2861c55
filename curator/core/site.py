"""What a Jekyll checkout tells about itself: the topic taxonomy and where site URLs live locally."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from .frontmatter import CONSTRUCTOR_ERRORS, SafeLoader


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    parent: str = ""
    keywords: tuple[str, ...] = ()


def _load_yaml(path: Path) -> object:
    try:
        if path.stat().st_size > 1_000_000:
            return None
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, *CONSTRUCTOR_ERRORS):
        return None


def taxonomy(root: str | os.PathLike[str]) -> list[Topic]:
    """Topics declared in `_data/topics/*.yaml` (or .yml); unreadable files are skipped."""
    folder = Path(root) / "_data" / "topics"
    topics = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
        data = _load_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            keywords = data.get("keywords")
            topics.append(
                Topic(
                    data["name"],
                    data["parent"] if isinstance(data.get("parent"), str) else "",
                    tuple(k for k in keywords if isinstance(k, str)) if isinstance(keywords, list) else (),
                )
            )
    return topics


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
