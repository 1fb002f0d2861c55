"""TOML front matter edits: Curator's span splicing (core/document/formats/toml.py) against tomlkit, the
library that round-trips TOML, on real-shaped Hugo pages. Prints the time per edit of each,
their ratio, and how many bytes outside the edited lines each one changed.

Not a test and not in `make bench`: it needs tomlkit (`pip install tomlkit`), which Curator
does not depend on. Run: python tests/bench/bench_formats.py
"""

from __future__ import annotations

import difflib
import time

from curator.core.document.saves import plan_edit

try:
    import tomlkit
except ImportError:  # pragma: no cover
    raise SystemExit("needs tomlkit: pip install tomlkit") from None

PAGES = [
    '+++\ntitle = "Power Apps: a canvas tour"\ndate = 2024-03-01T09:00:00Z\ndraft = true\n'
    'tags = ["Power Apps", "Canvas apps"]\ncategories = [ "news" ]\n'
    '[params]\n  author = "Jane"   # who wrote it\n  image = "/img/a.png"\n+++\nBody text\n',
    "+++\ntitle = 'Zola page'\ndate = 2024-01-02\ndraft = false\n\n[taxonomies]\ntags = [\n  'rust',\n"
    "  'web',\n]\ncategories = ['posts']\n\n[extra]\nlead = \"x\"\n+++\n",
]
EDITS = [
    {"draft": True},
    {"tags": ["Power Apps", "Canvas apps", "Dataverse"]},
    {"taxonomies.tags": ["rust", "wasm", "web"]},
]


def tomlkit_edit(data: bytes, changes: dict) -> bytes:
    text = data.decode()
    _, front, body = text.split("+++\n", 2)
    doc = tomlkit.parse(front)
    for key, value in changes.items():
        *parents, last = key.split(".")
        table = doc
        for p in parents:
            table = table.setdefault(p, tomlkit.table())
        table[last] = value
    return ("+++\n" + tomlkit.dumps(doc) + "+++\n" + body).encode()


def changed_lines(old: bytes, new: bytes) -> int:
    diff = difflib.ndiff(old.decode().splitlines(), new.decode().splitlines())
    return sum(1 for d in diff if d[:1] in "-+")


def main() -> None:
    rounds = 300
    for page in PAGES:
        data = page.encode()
        for changes in EDITS:
            key = next(iter(changes))
            if key.split(".")[0] not in page and key != "draft":
                continue
            t0 = time.perf_counter()
            for _ in range(rounds):
                ours = plan_edit(data, changes) or data
            t1 = time.perf_counter()
            for _ in range(rounds):
                theirs = tomlkit_edit(data, changes)
            t2 = time.perf_counter()
            a, b = (t1 - t0) / rounds * 1e6, (t2 - t1) / rounds * 1e6
            print(
                f"{key:16} splice {a:7.0f} µs ({changed_lines(data, ours)} lines differ)   "
                f"tomlkit {b:7.0f} µs ({changed_lines(data, theirs)} lines differ)   ratio {b / a:4.1f}x"
            )


if __name__ == "__main__":
    main()
