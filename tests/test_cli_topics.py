"""`curator topics`, `set --add/--remove` and `suggest` as a user runs them: real processes on
real files, golden diffs, and every untouched line byte-identical."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from tests.conftest import CORPUS, copy_tree, need
from tests.test_cli import curator

ARTICLES = {
    "a.md": "---\ntitle: Canvas things\ntopics:\n  - Canvas apps\n  - AI Builder\n  - canvas-apps\n---\nBody a\n",
    "b.md": '---\ntitle: Flow style\ntopics: ["AI Builder", canvas-apps, Portals]\nquality: 3\n---\n',
    "c.md": "---\r\ntitle: CRLF\r\ntopics:\r\n- 'Portals'\r\n- Canvas apps\r\n---\r\n",
    "d.md": "---\ntitle: Untouched\ntopics:\n  - Power Apps\n---\n",
}


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "_data" / "topics").mkdir(parents=True)
    (root / "_data" / "topics" / "01-canvas.yaml").write_text(
        "name: Canvas apps\nparent: Power Apps\nkeywords:\n  - canvas app\n"
    )
    (root / "_data" / "topics" / "00-power.yaml").write_text("name: Power Apps\nkeywords:\n  - power apps\n")
    for name, text in ARTICLES.items():
        (root / name).write_bytes(text.encode())
    return root


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """(old, new) line pairs of a diff that only replaces lines; raises if lines were added or removed."""
    a, b = before.decode().splitlines(keepends=True), after.decode().splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if tag == "equal":
            continue
        out.append(("".join(a[i1:i2]), "".join(b[j1:j2])))
    return out


def test_topics_lists_counts_taxonomy_and_variants(tmp_path):
    root = site(tmp_path)
    out = curator("topics", str(root), "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["topic"]: r for r in json.loads(out.stdout)}
    assert rows["Canvas apps"]["articles"] == 2 and rows["Canvas apps"]["taxonomy"]
    assert rows["canvas-apps"]["variants"] == ["Canvas apps"] and not rows["canvas-apps"]["taxonomy"]
    assert rows["Power Apps"]["taxonomy"] and rows["Power Apps"]["parent"] == ""
    table = curator("topics", str(root))
    assert "variants: canvas-apps" in table.stdout and table.returncode == 0


def test_merge_leaves_one_occurrence_in_place_and_touches_only_those_lines(tmp_path):
    root = site(tmp_path)
    before = {n: (root / n).read_bytes() for n in ARTICLES}
    out = curator("topics", "merge", "canvas-apps", "Canvas apps", "Canvas Apps", str(root))
    assert out.returncode == 0, out.stderr
    assert "merged into 'Canvas Apps': changed 3 articles and 1 taxonomy file" in out.stderr
    after = {n: (root / n).read_bytes() for n in ARTICLES}
    assert after["d.md"] == before["d.md"]
    assert changed_lines(before["a.md"], after["a.md"]) == [
        ("  - Canvas apps\n", "  - Canvas Apps\n"),
        ("  - canvas-apps\n", ""),
    ]
    assert changed_lines(before["b.md"], after["b.md"]) == [
        ('topics: ["AI Builder", canvas-apps, Portals]\n', 'topics: ["AI Builder", Canvas Apps, Portals]\n')
    ]
    assert changed_lines(before["c.md"], after["c.md"]) == [("- Canvas apps\r\n", "- Canvas Apps\r\n")]
    assert (root / "_data/topics/01-canvas.yaml").read_text().splitlines()[0] == "name: Canvas Apps"


def test_rename_dry_run_writes_nothing_and_delete_removes_everywhere(tmp_path):
    root = site(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    dry = curator("topics", "rename", "Portals", "Portal pages", str(root), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "-- 'Portals'\n+- 'Portal pages'\n" in dry.stdout  # the renamed item keeps its quotes
    assert '+topics: ["AI Builder", canvas-apps, Portal pages]' in dry.stdout
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    out = curator("topics", "delete", "AI Builder", str(root))
    assert out.returncode == 0, out.stderr
    assert b"AI Builder" not in (root / "a.md").read_bytes() + (root / "b.md").read_bytes()
    assert (root / "b.md").read_text().splitlines()[2] == "topics: [canvas-apps, Portals]"


def test_topics_usage_errors(tmp_path):
    root = site(tmp_path)
    assert curator("topics", "rename", "A", str(root)).returncode == 2
    assert curator("topics", "merge", "A", str(root)).returncode == 2
    assert curator("topics", str(root / "a.md")).returncode == 2


def test_set_add_and_remove_keep_order_quoting_and_style(tmp_path):
    root = site(tmp_path)
    before = {n: (root / n).read_bytes() for n in ARTICLES}
    out = curator("set", "--where", "", str(root), "--add", "topics=Portals", "--remove", "topics=AI Builder")
    assert out.returncode == 0, out.stderr
    after = {n: (root / n).read_bytes() for n in ARTICLES}
    expected = ARTICLES["a.md"].replace("  - AI Builder\n", "").replace("-apps\n---", "-apps\n  - Portals\n---")
    assert after["a.md"].decode() == expected
    assert after["b.md"].decode().splitlines()[2] == "topics: [canvas-apps, Portals]"
    assert after["c.md"] == before["c.md"]  # has Portals, no AI Builder: untouched
    assert changed_lines(before["d.md"], after["d.md"]) == [("", "  - Portals\n")]
    out = curator("set", str(root / "d.md"), "--add", "quality=5")
    assert out.returncode == 1 and "quality" not in (root / "d.md").read_text()  # not a list: refused


def test_set_on_a_folder_needs_where(tmp_path):
    root = site(tmp_path)
    out = curator("set", str(root), "--set", "quality=1")
    assert out.returncode == 2 and "--where" in out.stderr


def test_suggest_lists_and_applies_taxonomy_topics(tmp_path):
    root = site(tmp_path)
    (root / "e.md").write_text("---\ntitle: A canvas app for power apps makers\ntopics: []\n---\nText.\n")
    out = curator("suggest", "--where", "title:canvas", str(root))
    assert out.returncode == 0, out.stderr
    assert f"{root / 'e.md'}: Power Apps, Canvas apps" in out.stdout
    out = curator("suggest", str(root / "e.md"), "--apply")
    assert out.returncode == 0, out.stderr
    assert "topics:\n  - Power Apps\n  - Canvas apps\n" in (root / "e.md").read_text()


def test_renaming_a_topic_of_the_real_corpus_changes_one_line_per_article(tmp_path):
    corpus = copy_tree(need(CORPUS, "the real corpus"), tmp_path / "power-apps")
    files = [p for p in corpus.rglob("*") if p.is_file() and ".git" not in p.parts]
    before = {p: p.read_bytes() for p in files}
    out = curator("topics", "rename", "Canvas apps", "Canvas Apps", str(corpus))
    assert out.returncode == 0, out.stderr
    changed = {p: p.read_bytes() for p in files if p.read_bytes() != before[p]}
    taxonomy = corpus / "_data/topics/01-canvas-apps.yaml"
    assert taxonomy in changed and len(changed) > 20
    for path, data in changed.items():
        lines = changed_lines(before[path], data)
        assert (
            len(lines) == 1
            and "Canvas apps" in lines[0][0]
            and lines[0][1] == lines[0][0].replace("Canvas apps", "Canvas Apps")
        ), (path, lines)
    listed = json.loads(curator("topics", str(corpus), "--format", "json").stdout)
    assert not [r for r in listed if r["topic"] == "Canvas apps"]  # completion offers one spelling


def test_a_keyword_with_a_run_of_spaces_is_data_not_a_pattern(tmp_path):
    """Issue 32 #7: each space of a keyword became `[\\s\\-]*` in a regex, so a keyword with 60
    spaces backtracked for minutes on a line with `power` and 60 spaces. Keywords are matched
    as words now: the same run finishes at once."""
    root = tmp_path / "site"
    (root / "_data/topics").mkdir(parents=True)
    (root / "_data/topics/evil.yaml").write_text(f"name: Evil\nkeywords:\n  - 'power{' ' * 60}x'\n")
    (root / "a.md").write_text(f"---\ntitle: A\ntopics: []\n---\npower{' ' * 60}y\npower{' ' * 60}x\n")
    out = curator("suggest", "--where", "", str(root), timeout=20)
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"{root / 'a.md'}: Evil\n"  # the second line has it, as words


def test_ten_thousand_topics_are_listed_with_their_variants_without_comparing_every_pair(tmp_path, capsys, monkeypatch):
    """Issue 32 #11: `curator topics` compared every pair of topics (10,000 took 30 s)."""
    import random
    import time

    from curator import cli

    monkeypatch.setenv("CURATOR_CACHE_DIR", str(tmp_path / "cache"))
    rng = random.Random(7)
    for a in range(100):
        names = [
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(6, 24))) for _ in range(100)
        ]
        lines = "".join(f"  - {n}\n" for n in names + (["Power Apps", "power-apps"] if a == 0 else []))
        (tmp_path / f"a{a}.md").write_text(f"---\ntitle: A\ntopics:\n{lines}---\n")
    started = time.perf_counter()
    assert cli.main(["topics", str(tmp_path), "--format", "json"]) == cli.OK
    # a bound that tells the two designs apart on a busy machine, not a benchmark: comparing every
    # pair took 15-30 s here, the buckets 0.5 s
    assert time.perf_counter() - started < 10
    rows = {r["topic"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(rows) >= 9_900 and rows["power-apps"]["variants"] == ["Power Apps"]


LAUGHS = "name: Laughs\nparent: Canvas apps\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefghij", "bcdefghijk", strict=True)
)


def test_a_billion_laughs_taxonomy_file_stops_a_rename_before_anything_is_written(tmp_path):
    """Issue 32 #3: the rename compared the file's exponential structure for minutes, after the
    articles were rewritten. A taxonomy file is read without YAML aliases, and a rename that
    cannot plan its taxonomy edit writes nothing."""
    root = site(tmp_path)
    (root / "_data/topics/99-laughs.yaml").write_text(LAUGHS)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out = curator("topics", "rename", "Canvas apps", "Canvas Apps", str(root), timeout=20)
    assert out.returncode == 1
    assert "99-laughs.yaml" in out.stderr and "alias" in out.stderr and "nothing was changed" in out.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    listed = curator("topics", str(root), "--format", "json", timeout=20)  # listing names it and goes on
    assert listed.returncode == 0 and "99-laughs.yaml" in listed.stderr
    assert "Laughs" not in {r["topic"] for r in json.loads(listed.stdout)}


def test_a_rename_counts_the_articles_it_wrote_and_leaves_the_taxonomy_when_some_were_refused(tmp_path):
    """Issue 32 #10: `topics rename` said "changed 2 articles" when both files were refused."""
    root = site(tmp_path)
    taxonomy = (root / "_data/topics/01-canvas.yaml").read_bytes()
    for name in ("a.md", "c.md"):
        (root / name).chmod(0o444)  # read-only: a save refuses to replace it
    out = curator("topics", "rename", "Canvas apps", "Canvas Apps", str(root))
    assert out.returncode == 1
    assert "changed 0 articles" in out.stderr and "2 articles were not written" in out.stderr, out.stderr
    assert (root / "_data/topics/01-canvas.yaml").read_bytes() == taxonomy  # all or none: left as it is
    (root / "c.md").chmod(0o644)
    out = curator("topics", "rename", "Canvas apps", "Canvas Apps", str(root))
    assert out.returncode == 1 and "changed 1 article\n" in out.stderr, out.stderr
    (root / "a.md").chmod(0o644)
    out = curator("topics", "rename", "Canvas apps", "Canvas Apps", str(root))  # run again once fixed
    assert out.returncode == 0 and "changed 1 article and 1 taxonomy file" in out.stderr, out.stderr
    assert b"name: Canvas Apps" in (root / "_data/topics/01-canvas.yaml").read_bytes()


def test_suggest_never_puts_back_a_topic_merged_away(tmp_path):
    """Issue 29 #2: after merging "Common Data Service" into "Portals", `suggest --apply` put
    "Common Data Service" back into every article that mentions it (its taxonomy entry stayed)."""
    root = site(tmp_path)
    (root / "_data/topics/03-cds.yaml").write_text(
        "# the Dataverse, before 2020\nname: Common Data Service\nparent: Power Apps\n"
        "keywords:\n  - common data service\n"
    )
    (root / "_data/topics/05-portals.yaml").write_text("name: Portals\nparent: Power Apps\nkeywords: [portals]\n")
    (root / "e.md").write_text(
        "---\ntitle: Portals on the Common Data Service\ntopics:\n  - Common Data Service\n---\n"
    )
    (root / "f.md").write_text("---\ntitle: Common data service tables\ntopics: [Portals]\n---\n")
    out = curator("topics", "merge", "Common Data Service", "Portals", str(root))
    assert out.returncode == 0, out.stderr
    out = curator("suggest", "--where", "topic:Portals", str(root), "--apply")
    assert out.returncode == 0, out.stderr
    for name in ("e.md", "f.md"):
        assert "- Common Data Service" not in (root / name).read_text()
    listed = {r["topic"]: r for r in json.loads(curator("topics", str(root), "--format", "json").stdout)}
    assert "Common Data Service" not in listed and listed["Portals"]["aliases"] == ["Common Data Service"]


def test_a_merge_can_remove_the_old_entry_and_a_delete_retires_the_topic(tmp_path):
    root = site(tmp_path)
    (root / ".curator.yml").write_text("# our settings\nexclude: [drafts/**]  # not ready\n")
    out = curator("topics", "merge", "Canvas apps", "Power Apps", str(root), "--entry", "remove")
    assert out.returncode == 0, out.stderr
    assert not (root / "_data/topics/01-canvas.yaml").exists()
    assert "aliases" not in (root / "_data/topics/00-power.yaml").read_text()
    out = curator("topics", "delete", "Portals", str(root))
    assert out.returncode == 0, out.stderr
    assert (root / ".curator.yml").read_text() == (
        "# our settings\nexclude: [drafts/**]  # not ready\nretired:\n  - Canvas apps\n  - Portals\n"
    )
    (root / "g.md").write_text("---\ntitle: Portals and canvas apps in power apps\n---\n")
    out = curator("suggest", str(root / "g.md"))
    assert out.returncode == 0 and out.stdout == f"{root / 'g.md'}: Power Apps\n", out.stdout


def test_suggest_for_a_file_finds_its_sites_taxonomy_above_it(tmp_path):
    root = site(tmp_path)
    (root / "deep/er").mkdir(parents=True)
    (root / "deep/er/e.md").write_text("---\ntitle: A canvas app\n---\n")
    out = curator("suggest", str(root / "deep/er/e.md"))
    assert out.returncode == 0 and out.stdout == f"{root / 'deep/er/e.md'}: Power Apps, Canvas apps\n", out.stderr
