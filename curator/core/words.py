"""Counted nouns for messages: '1 file', '2 files', '1,024 articles'."""

from __future__ import annotations

IRREGULAR = {"article is": "articles are", "file has": "files have", "article has": "articles have"}


def count(n: int, noun: str) -> str:
    """`n` and `noun`, in the plural unless n is 1 (nouns here take an 's', or are listed above)."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {IRREGULAR.get(noun, noun + 's')}"
