"""Counted nouns for messages: '1 file', '2 files', '1,024 articles', '1 file changes', '2 files
change'. Every message that counts something says it through `count`."""

from __future__ import annotations

IRREGULAR = {"article is": "articles are", "file has": "files have", "article has": "articles have"}
#: Verbs whose plural is not the singular without its 's'.
VERBS = {"is": "are", "has": "have", "was": "were", "does": "do"}


def count(n: int, noun: str, verb: str = "") -> str:
    """`n` and `noun`, in the plural unless n is 1 (nouns here take an 's', or are listed above);
    a `verb` said of them (given as for one: "changes") agrees: '1 file changes', '2 files change'."""
    counted = f"1 {noun}" if n == 1 else f"{n:,} {IRREGULAR.get(noun, noun + 's')}"
    if not verb:
        return counted
    return f"{counted} {verb if n == 1 else VERBS.get(verb, verb.removesuffix('s'))}"
