"""Commit messages made from what the checked files change against HEAD, on real repositories
(never from the undo history), and the files a commit may take: the folder's articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core.site import profiles
from curator.core.team import commits, git
from tests.conftest import SAMPLE, copy_tree
from tests.test_cli import curator
from tests.test_git import identity, run  # noqa: F401 - the fixture sets a git identity

pytestmark = pytest.mark.skipif(not git.available(), reason="git is not installed")

ARTICLE = "---\ntitle: Article {i}\npublished: false\nquality: 50\ntype: news\ntopics:\n  - AI\n---\nBody {i}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Six articles in _news, committed."""
    site = tmp_path / "site"
    (site / "_news").mkdir(parents=True)
    for i in range(6):
        (site / f"_news/{i}.md").write_text(ARTICLE.format(i=i))
    run(site, "init", "-q", "-b", "main")
    run(site, "add", "-A")
    run(site, "commit", "-q", "-m", "base")
    return site


def edit(site: Path, i: int, old: str, new: str) -> str:
    path = site / f"_news/{i}.md"
    path.write_text(path.read_text().replace(old, new, 1))
    return f"_news/{i}.md"


def describe(site: Path, paths) -> str:
    return commits.describe(git.Repo(site), paths)


def test_publish_and_quality_are_counted_per_change(site):
    paths = [edit(site, i, "published: false", "published: true") for i in (0, 1, 2)]
    paths += [edit(site, i, "quality: 50", "quality: 77") for i in (2, 3)]
    assert describe(site, sorted(set(paths))) == "Publish 3 articles; set quality of 2"
    assert describe(site, ["_news/3.md"]) == "Set quality of 1 article"  # only what is checked


def test_topics_added_and_removed_and_other_keys(site):
    paths = [edit(site, i, "  - AI\n", "  - AI\n  - Teams\n") for i in range(4)]
    assert describe(site, paths) == 'Add topic "Teams" to 4 articles'
    edit(site, 4, "published: false", "published: true")
    edit(site, 4, "published: true", "published: false")  # back as it was: nothing to say
    edit(site, 5, "published: false\n", "")  # a missing `published` means published
    edit(site, 0, "type: news", "type: blog")
    edit(site, 1, "type: news", "type: event")
    edit(site, 1, "  - AI\n", "")
    edit(site, 2, "Body 2", "Body two")
    message = describe(site, [f"_news/{i}.md" for i in range(6)])
    first, blank, *body = message.splitlines()  # the whole line would be 99 characters
    assert first == 'Publish 1 article; add topic "Teams" to 4; and 3 more'
    assert len(first) <= commits.SUBJECT and blank == ""
    assert body == ["Publish 1 article", 'Add topic "Teams" to 4 articles', 'Remove topic "AI" from 1 article',
                    "Change type of 2 articles", "Edit the text of 1 article"]  # fmt: skip


def test_unpublish_and_type_on_a_hugo_site_where_draft_true_means_unpublished(tmp_path):
    site = tmp_path / "hugo"
    (site / "content/posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('title = "x"\n')
    for i in range(3):
        (site / f"content/posts/{i}.md").write_text(f"---\ntitle: P{i}\ndraft: false\ntype: post\n---\nText\n")
    run(site, "init", "-q", "-b", "main")
    run(site, "add", "-A")
    run(site, "commit", "-q", "-m", "base")
    profiles.forget(site)
    posts = site / "content/posts"
    (posts / "0.md").write_text("---\ntitle: P0\ndraft: true\ntype: post\n---\nText\n")
    (posts / "1.md").write_text("---\ntitle: P1\ndraft: false\ntype: page\n---\nText\n")
    (posts / "2.md").write_text("---\ntitle: P2\ndraft: false\ntype: page\n---\nText\n")
    paths = ["content/posts/0.md", "content/posts/1.md", "content/posts/2.md"]
    assert describe(site, paths) == "Unpublish 1 article; change type of 2"


def test_edits_already_committed_or_thrown_away_are_not_in_the_message(site):
    edit(site, 0, "published: false", "published: true")
    run(site, "commit", "-q", "-am", "Publish 0")  # committed before
    edit(site, 1, "  - AI\n", "  - Merged\n")
    run(site, "checkout", "-q", "--", "_news/1.md")  # thrown away
    edit(site, 2, "published: false", "published: true")
    run(site, "checkout", "-q", "--", ".")  # reverted
    paths = [edit(site, i, "quality: 50", "quality: 77") for i in (3, 4)]
    assert describe(site, paths) == "Set quality of 2 articles"


def test_new_deleted_unreadable_and_unchanged_files(site):
    (site / "_news/new.md").write_text(ARTICLE.format(i=9))
    (site / "_news/5.md").unlink()
    (site / "_news/4.md").write_text("---\ntitle: [broken\n---\n")
    assert describe(site, ["_news/new.md", "_news/5.md", "_news/4.md", "_news/3.md"]) == (
        "Add 1 article; delete 1; change 1"
    )
    assert describe(site, ["_news/3.md"]) == "Update 1 article"  # checked, but nothing differs
    assert describe(site, []) == ""


def test_a_name_that_looks_like_a_pattern_or_has_spaces_reads_its_own_head_version(site):
    for name in ("*.md", "a b.md", "HEAD missing.md"):
        (site / "_news" / name).write_text(ARTICLE.format(i=name))
    run(site, "add", "-A")
    run(site, "commit", "-q", "-m", "odd names")
    for name in ("*.md", "a b.md"):
        edit(site, name.removesuffix(".md"), "published: false", "published: true")
    repo = git.Repo(site)
    heads = repo.head_versions(["_news/*.md", "_news/a b.md", "_news/HEAD missing.md", "_news/none.md"])
    assert heads["_news/*.md"] == ARTICLE.format(i="*.md").encode() and heads["_news/none.md"] is None
    assert heads["_news/HEAD missing.md"] == ARTICLE.format(i="HEAD missing.md").encode()
    assert describe(site, ["_news/*.md", "_news/a b.md", "_news/HEAD missing.md"]) == "Publish 2 articles"


def test_curator_commit_without_a_message_says_what_the_files_change(site):
    for i in (0, 1, 2):
        edit(site, i, "published: false", "published: true")
    for i in (2, 3):
        edit(site, i, "quality: 50", "quality: 77")
    out = curator("commit", str(site))
    assert out.returncode == 0, out.stderr
    assert run(site, "log", "-1", "--format=%B").strip() == "Publish 3 articles; set quality of 2"
    edit(site, 4, "type: news", "type: blog")
    out = curator("commit", str(site), "-m", "My own words")  # -m still wins
    assert out.returncode == 0, out.stderr
    assert run(site, "log", "-1", "--format=%B").strip() == "My own words"


def test_only_articles_are_offered(site):
    (site / "README.md").write_text("# About\n")
    (site / "_news/scratch.md").write_text("no front matter\n")
    (site / ".github").mkdir()
    (site / ".github/notes.md").write_text("---\ntitle: n\n---\n")
    (site / "_news/broken.md").write_text("---\ntitle: [\n---\n")  # an article with a problem
    edit(site, 0, "published: false", "published: true")
    repo = git.Repo(site)
    offered = commits.article_files(repo, repo.status())
    assert offered == [("_news/0.md", git.State.MODIFIED), ("_news/broken.md", git.State.UNTRACKED)]


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """The sample site (a taxonomy in _data/topics) with two articles on Common Data Service,
    committed."""
    site = copy_tree(SAMPLE, tmp_path / "news")
    for i in range(2):
        (site / f"_news/cds{i}.md").write_text(f"---\ntitle: CDS {i}\ntopics:\n  - Common Data Service\n---\nText\n")
    run(site, "init", "-q", "-b", "main")
    run(site, "add", "-A")
    run(site, "commit", "-q", "-m", "base")
    return site


CDS = "_data/topics/03-common-data-service.yaml"
PORTALS = "_data/topics/05-portals.yaml"


def test_a_merge_and_a_delete_offer_the_site_files_and_curator_commit_says_the_operations(news):
    """QA of issue 29 (B): the taxonomy file a merge removed and `.curator.yml` were neither
    offered nor committed, so the team never got the retired names; the message said nothing
    of the merge."""
    assert curator("topics", "merge", "Common Data Service", "Portals", str(news)).returncode == 0
    assert curator("topics", "delete", "AI Builder", str(news)).returncode == 0
    repo = git.Repo(news)
    offered = commits.commit_files(repo, repo.status())
    assert [(p, s) for p, s in offered if not p.startswith("_news/")] == [
        (".curator.yml", git.State.UNTRACKED), (CDS, git.State.DELETED), (PORTALS, git.State.MODIFIED)
    ]  # fmt: skip
    articles = [p for p, _ in offered if p.startswith("_news/")]
    assert len(articles) == 3  # two lost "Common Data Service" to "Portals", one lost "AI Builder"
    reading = commits.read(repo, [p for p, _ in offered])
    assert reading.message(articles).splitlines()[2:] == [
        'Add topic "Portals" to 2 articles',
        'Remove topic "Common Data Service" from 2 articles',
        'Remove topic "AI Builder" from 1 article',
    ]  # fmt: skip  (the site files unchecked: no operation is committed, none is said)
    assert reading.message([".curator.yml"]) == 'Retire topic "Common Data Service"; retire topic "AI Builder"'
    out = curator("commit", str(news))
    assert out.returncode == 0, out.stderr
    assert run(news, "log", "-1", "--format=%B").strip().splitlines() == [
        'Merge topic "Common Data Service" into "Portals" in 2 articles; and 1 more', "",
        'Merge topic "Common Data Service" into "Portals" in 2 articles', 'Retire topic "AI Builder" from 1 article',
    ]  # fmt: skip
    assert run(news, "status", "--porcelain").strip() == ""  # everything went in: the removal too
    assert "- Common Data Service" in run(news, "show", "HEAD:.curator.yml")
    assert "D\t" + CDS in run(news, "show", "--name-status", "--format=", "HEAD").splitlines()


def test_topic_operations_from_the_taxonomy_against_head(news):
    repo = git.Repo(news)

    def said(*args: str) -> str:
        assert curator("topics", *args, str(news)).returncode == 0
        files = [p for p, _ in commits.commit_files(repo, repo.status())]
        text = commits.describe(repo, files)
        run(news, "reset", "-q", "--hard")
        run(news, "clean", "-qfd")
        return text

    assert said("rename", "Portals", "Power Pages") == 'Rename topic "Portals" to "Power Pages" in 1 article'
    # the old entry removed, no alias kept: the target is the one topic its articles gained
    assert said("--entry", "remove", "merge", "Common Data Service", "Portals") == (
        'Merge topic "Common Data Service" into "Portals" in 2 articles'
    )
    assert said("merge", "Common Data Service", "Brand new") == (
        'Merge topic "Common Data Service" into "Brand new" in 2 articles'  # its entry renamed
    )
    assert said("delete", "Model-driven apps") == 'Retire topic "Model-driven apps"'
