"""Team mode over git, on real temporary repositories: a bare remote and two clones (editor A
and editor B), with the user's own git. Status parsing, commits of exactly the edited
articles, refusals in plain words, a hook that rejects, --ff-only pulls."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from curator.core.team import git
from tests.test_cli import curator

pytestmark = pytest.mark.skipif(not git.available(), reason="git is not installed")

ARTICLE = "---\ntitle: Article {i}\npublished: false\ntopics:\n  - AI\n---\nBody {i}\n"


def run(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(autouse=True)
def identity(monkeypatch, tmp_path):
    for key, value in (("GIT_AUTHOR_NAME", "Ed"), ("GIT_AUTHOR_EMAIL", "ed@example.com"),
                       ("GIT_COMMITTER_NAME", "Ed"), ("GIT_COMMITTER_EMAIL", "ed@example.com")):  # fmt: skip
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def make_team(tmp_path: Path, fill) -> tuple[Path, Path, Path]:
    """A bare remote whose first commit is what `fill(folder)` writes, and two clones of it."""
    remote = tmp_path / "remote.git"
    run(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    run(tmp_path, "clone", "-q", str(remote), str(seed))
    fill(seed)
    run(seed, "add", "-A")
    run(seed, "commit", "-q", "-m", "base")
    run(seed, "push", "-q", "origin", "main")
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        run(tmp_path, "clone", "-q", str(remote), str(clone))
    return remote, a, b


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Three articles in site/_news and a file outside the folder."""

    def fill(seed: Path) -> None:
        news = seed / "site" / "_news"
        news.mkdir(parents=True)
        for i in range(3):
            (news / f"{i}.md").write_text(ARTICLE.format(i=i))
        (seed / "README.txt").write_text("not an article\n")

    return make_team(tmp_path, fill)


def test_status_parses_branch_states_and_paths_inside_the_folder(team):
    _, a, _ = team
    site = a / "site"
    (site / "_news/0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    (site / "_news/new.md").write_text(ARTICLE.format(i=9))
    (site / "_news/staged.md").write_text(ARTICLE.format(i=8))
    run(a, "add", "site/_news/staged.md")
    (site / "_news/2.md").unlink()
    (a / "README.txt").write_text("changed outside the folder\n")
    status = git.Repo(site).status()
    assert status.branch == "main" and status.upstream == "origin/main" and (status.ahead, status.behind) == (0, 0)
    assert status.files == {
        "_news/0.md": git.State.MODIFIED,
        "_news/new.md": git.State.UNTRACKED,
        "_news/staged.md": git.State.NEW,
        "_news/2.md": git.State.DELETED,
    }
    out = curator("status", str(site))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "# main" and "modified   _news/0.md" in out.stdout


def test_git_works_on_the_open_folders_repository_whatever_git_dir_says(team, monkeypatch):
    """Started from a git hook or `git bisect run`, Curator inherits GIT_DIR and the like: its
    git still reads and commits in the folder's own repository, never the one they name."""
    _remote, a, b = team
    before = run(b, "rev-parse", "HEAD")
    monkeypatch.setenv("GIT_DIR", str(b / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(b))
    monkeypatch.setenv("GIT_INDEX_FILE", str(b / ".git" / "index"))
    (a / "site" / "_news" / "0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    repo = git.Repo(a / "site")
    assert Path(repo.top) == a.resolve()
    assert repo.status().files == {"_news/0.md": git.State.MODIFIED}
    repo.commit(["_news/0.md"], "Publish 0")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name)
    assert run(a, "log", "-1", "--format=%s").strip() == "Publish 0" and run(a, "status", "--porcelain") == ""
    assert run(b, "rev-parse", "HEAD") == before and run(b, "status", "--porcelain") == ""  # (b untouched)


def test_a_commit_contains_only_the_edited_articles_and_needs_a_message(team):
    _, a, _ = team
    site = a / "site"
    (a / "README.txt").write_text("someone's unrelated change\n")
    out = curator("publish", "--where", "", str(site), "--commit", "-m", "Publish 3 articles")
    assert out.returncode == 0, out.stderr
    files = run(a, "show", "--name-only", "--format=%s", "HEAD").split()
    assert files == ["Publish", "3", "articles", "site/_news/0.md", "site/_news/1.md", "site/_news/2.md"]
    assert "README.txt" in run(a, "status", "--porcelain")  # not committed: never add -A
    assert curator("publish", str(site / "_news/0.md"), "--commit").returncode == 2  # no message: usage
    (site / "_news/1.md").write_text(ARTICLE.format(i=1).replace("AI", "ML"))
    out = curator("commit", str(site), "-m", "  ")
    assert out.returncode == 1 and "needs a message" in out.stderr
    out = curator("commit", str(site), "-m", "Retag")
    assert out.returncode == 0, out.stderr
    assert run(a, "show", "--name-only", "--format=", "HEAD").split() == ["site/_news/1.md"]


def test_merge_in_progress_and_detached_head_are_refused_in_plain_words(team):
    _, a, _ = team
    site = a / "site"
    run(a, "checkout", "-q", "--detach")
    (site / "_news/0.md").write_text("---\ntitle: changed\n---\n")
    repo = git.Repo(site)
    with pytest.raises(git.GitError, match="HEAD is detached"):
        repo.commit(["_news/0.md"], "x")
    run(a, "checkout", "-q", "-f", "main")
    (a / ".git" / "MERGE_HEAD").write_text(run(a, "rev-parse", "HEAD"))
    with pytest.raises(git.GitError, match="merge is in progress"):
        repo.commit(["_news/0.md"], "x")
    with pytest.raises(git.GitError, match="merge is in progress"):
        repo.pull()


def test_pull_and_push_without_a_server_branch_say_so_in_plain_words(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    run(site, "init", "-q", "-b", "main")
    (site / "a.md").write_text(ARTICLE.format(i=1))
    run(site, "add", "-A")
    run(site, "commit", "-q", "-m", "base")
    repo = git.Repo(site)
    for act in (repo.pull, repo.push):  # no remote at all, then a remote the branch does not track
        with pytest.raises(git.GitError, match="no branch on a server") as caught:
            act()
        assert "git branch --set-upstream-to" in caught.value.output or "remote" in caught.value.output
    run(site, "remote", "add", "origin", str(tmp_path / "remote.git"))
    with pytest.raises(git.GitError, match="no branch on a server"):
        repo.push()


def test_a_hook_that_rejects_the_commit_is_reported_with_its_output(team):
    _, a, _ = team
    hook = a / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'front matter lint: title too short' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    (a / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    out = curator("commit", str(a / "site"), "-m", "Publish")
    assert out.returncode == 1
    assert "A hook of the repository (pre-commit) refused the commit" in out.stderr
    assert "title too short" in out.stderr


def test_editor_b_pulls_editor_as_publish_fast_forward_only(team):
    _, a, b = team
    out = curator("publish", str(a / "site/_news/0.md"), "--commit", "-m", "Publish 0")
    assert out.returncode == 0, out.stderr
    run(a, "push", "-q")
    (b / "site/_news/2.md").write_text(ARTICLE.format(i=2).replace("AI", "Edge"))  # B's own unsaved... on disk
    repo = git.Repo(b / "site")
    assert repo.status().behind == 0  # not fetched yet
    repo.pull()
    assert "published: true" in (b / "site/_news/0.md").read_text()
    assert "Edge" in (b / "site/_news/2.md").read_text()  # B's change to another file stays
    (b / "site/_news/1.md").write_text("---\ntitle: B\n---\n")
    run(b, "commit", "-q", "-am", "B commits")
    (a / "site/_news/1.md").write_text("---\ntitle: A\n---\n")
    run(a, "commit", "-q", "-am", "A commits")
    run(a, "push", "-q")
    with pytest.raises(git.PullBlocked, match="server has commits you do not have") as info:
        repo.pull()
    assert info.value.output and info.value.ways == (git.PullWay.REBASE,)  # git's own words are kept
    assert "title: B" in (b / "site/_news/1.md").read_text()  # nothing was merged behind B's back


def test_outside_a_work_tree_nothing_of_git_shows(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        assert git.Repo.of(plain) is None and git.toplevel(plain) is None
        out = curator("status", str(plain))
        assert out.returncode == 1 and "not in a git repository" in out.stderr
    finally:
        del os.environ["GIT_CEILING_DIRECTORIES"]


def test_parse_status_reads_renames_conflicts_and_ahead_behind():
    data = (
        b"# branch.oid abc\0# branch.head topic\0# branch.upstream origin/topic\0# branch.ab +2 -1\0"
        b"1 .M N... 100644 100644 100644 a a site/a.md\0"
        b"2 R. N... 100644 100644 100644 a a R100 site/new name.md\0site/old.md\0"
        b"u UU N... 100644 100644 100644 100644 a a a site/c.md\0"
        b"? site/u.md\0? other/x.md\0"
    )
    status = git.parse_status(data, "site/")
    assert (status.branch, status.upstream, status.ahead, status.behind) == ("topic", "origin/topic", 2, 1)
    assert status.files == {"a.md": git.State.MODIFIED, "new name.md": git.State.RENAMED,
                            "c.md": git.State.CONFLICT, "u.md": git.State.UNTRACKED}  # fmt: skip
    assert status.describe() == "topic, 2 ahead, 1 behind origin/topic"
    assert git.parse_status(b"# branch.head (detached)\0").detached


def test_a_pull_over_saved_but_uncommitted_changes_offers_what_git_can_do(team):
    _, a, b = team
    (a / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    run(a, "commit", "-q", "-am", "A")
    run(a, "push", "-q")
    (b / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("AI", "B's topic"))  # saved, not committed
    repo = git.Repo(b / "site")
    with pytest.raises(git.PullBlocked, match="overwrite changes you saved but did not commit") as info:
        repo.pull()
    assert "0.md" in info.value.output and info.value.ways == (git.PullWay.COMMIT_FIRST, git.PullWay.STASH)
    assert "B's topic" in (b / "site/_news/0.md").read_text()
    with pytest.raises(git.PullBlocked) as info:  # a rebase needs the changes out of the way too
        repo.pull(git.PullWay.REBASE)
    assert info.value.ways == (git.PullWay.COMMIT_FIRST, git.PullWay.STASH)
    pulled = repo.pull(git.PullWay.STASH)  # put aside, pull, put back: both changes are in the file
    assert pulled.conflicts == () and not pulled.next_steps
    text = (b / "site/_news/0.md").read_text()
    assert "published: true" in text and "B's topic" in text
    assert run(b, "stash", "list") == "" and run(b, "status", "--porcelain") == " M site/_news/0.md\n"


def test_commit_first_then_a_rebase_puts_my_commit_after_the_servers(team):
    _, a, b = team
    (a / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    run(a, "commit", "-q", "-am", "A publishes 0")
    run(a, "push", "-q")
    (b / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("AI", "B's topic"))
    repo = git.Repo(b / "site")
    repo.commit(["_news/0.md"], "B retags 0")
    with pytest.raises(git.PullBlocked) as info:
        repo.pull()
    assert info.value.ways == (git.PullWay.REBASE,)
    assert repo.pull(git.PullWay.REBASE).conflicts == ()
    assert run(b, "log", "--format=%s").split("\n")[:3] == ["B retags 0", "A publishes 0", "base"]  # no merge
    text = (b / "site/_news/0.md").read_text()
    assert "published: true" in text and "B's topic" in text


def test_conflicts_of_a_rebase_or_an_unstash_are_marked_with_what_to_do_next(team):
    _, a, b = team
    (a / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("Article 0", "A's title"))
    run(a, "commit", "-q", "-am", "A")
    run(a, "push", "-q")
    repo = git.Repo(b / "site")
    (b / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("Article 0", "B's title"))  # the same line
    pulled = repo.pull(git.PullWay.STASH)
    assert pulled.conflicts == ("_news/0.md",) and "git stash drop" in pulled.next_steps
    assert repo.status().files == {"_news/0.md": git.State.CONFLICT}
    assert len(run(b, "stash", "list").splitlines()) == 1  # B's change is kept
    text = (b / "site/_news/0.md").read_text()
    assert "<<<<<<<" in text and "A's title" in text and "B's title" in text
    run(b, "checkout", "-q", "-f", "HEAD", "--", ".")  # B gives up the unstash, and commits instead
    run(b, "reset", "-q", "--hard", "HEAD~1")
    (b / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("Article 0", "B's title"))
    repo.commit(["_news/0.md"], "B")
    pulled = repo.pull(git.PullWay.REBASE)
    assert pulled.conflicts == ("_news/0.md",) and "git rebase --continue" in pulled.next_steps
    status = repo.status()
    assert status.rebasing and "rebase in progress" in status.describe()
    with pytest.raises(git.GitError, match="rebase --abort"):
        repo.commit(["_news/0.md"], "x")  # (HEAD is detached in a rebase: said as what it is)
    run(b, "rebase", "--abort")
    assert not repo.status().rebasing


def staged(repo: Path) -> str:
    """The index as `git ls-files --stage` shows it (mode, blob, stage, path per entry)."""
    return run(repo, "ls-files", "--stage")


def test_a_file_named_like_a_pattern_is_committed_alone(team):
    _, a, _ = team
    news = a / "site/_news"
    (news / "*.md").write_text(ARTICLE.format(i="star"))
    run(a, "add", "site/_news/*.md")  # (git's own glob: the file is tracked, so the commit is of a change)
    run(a, "commit", "-q", "-m", "star")
    (news / "*.md").write_text(ARTICLE.format(i="star").replace("false", "true"))
    (news / "0.md").write_text(ARTICLE.format(i=0).replace("AI", "unrelated edit"))  # the user's own, not to commit
    (news / "new.md").write_text(ARTICLE.format(i=7))  # untracked
    git.Repo(a / "site").commit(["_news/*.md"], "Publish the star")
    assert run(a, "show", "--name-only", "--format=", "HEAD").split() == ["site/_news/*.md"]
    assert run(a, "status", "--porcelain").splitlines() == [" M site/_news/0.md", "?? site/_news/new.md"]
    (news / "[0].md").write_text(ARTICLE.format(i="bracket"))  # untracked; `[0].md` as a glob means 0.md
    git.Repo(a / "site").commit(["_news/[0].md"], "Add one")
    assert run(a, "show", "--name-only", "--format=", "HEAD").split() == ["site/_news/[0].md"]
    assert run(a, "status", "--porcelain").splitlines() == [" M site/_news/0.md", "?? site/_news/new.md"]


def test_commit_refuses_files_outside_the_folder_and_files_that_are_not_articles(team):
    _, a, _ = team
    site = a / "site"
    (a / "outside.md").write_text(ARTICLE.format(i="out"))
    before = run(a, "rev-parse", "HEAD")
    for name in ("../outside.md", str(a / "outside.md")):
        out = curator("commit", "-m", "msg", str(site), name)
        assert out.returncode == 1 and "outside" in out.stderr and "outside.md" in out.stderr, out.stderr
    assert run(a, "rev-parse", "HEAD") == before and staged(a) == run(a, "ls-files", "--stage")
    with pytest.raises(git.GitError, match="outside"):
        git.Repo(site).commit(["../outside.md"], "msg")
    (site / "README.md").write_text("# About this site\n")
    out = curator("commit", "-m", "msg", str(site), str(site / "README.md"))
    assert out.returncode == 1 and "README.md" in out.stderr and "not an article" in out.stderr.lower(), out.stderr
    assert run(a, "rev-parse", "HEAD") == before


def test_commit_of_a_folder_takes_only_its_changed_articles_never_untracked_or_other_files(team):
    _, a, _ = team
    site = a / "site"
    news = site / "_news"
    (news / "0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    (news / "new.md").write_text(ARTICLE.format(i=5))  # untracked article: named to be committed
    (site / "README.md").write_text("# About\n")  # untracked, not an article
    (site / ".github").mkdir()
    (site / ".github/notes.md").write_text("---\ntitle: notes\n---\n")  # in a hidden folder: not listed
    (news / "scratch.md").write_text("just some notes, no front matter\n")
    run(a, "add", "site/README.md", "site/.github/notes.md", "site/_news/scratch.md")
    run(a, "commit", "-q", "-m", "other files")
    for path in ("README.md", ".github/notes.md", "_news/scratch.md"):  # tracked now, and changed
        (site / path).write_text((site / path).read_text() + "more\n")
    out = curator("commit", "-m", "Publish 1 article", str(site))
    assert out.returncode == 0, out.stderr
    assert run(a, "show", "--name-only", "--format=", "HEAD").split() == ["site/_news/0.md"]
    assert sorted(run(a, "status", "--porcelain").splitlines()) == [
        " M site/.github/notes.md", " M site/README.md", " M site/_news/scratch.md", "?? site/_news/new.md"
    ]  # fmt: skip


def test_a_refused_commit_leaves_the_index_as_it_was(team):
    _, a, _ = team
    hook = a / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint: no' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    news = a / "site/_news"
    (news / "0.md").write_text(ARTICLE.format(i=0).replace("false", "true"))
    (news / "1.md").write_text(ARTICLE.format(i=1).replace("AI", "staged by hand"))
    run(a, "add", "site/_news/1.md")  # the user staged this version of 1.md ...
    (news / "1.md").write_text(ARTICLE.format(i=1).replace("AI", "edited again"))  # ... and changed it since
    (news / "new.md").write_text(ARTICLE.format(i=5))  # untracked
    before = staged(a)
    with pytest.raises(git.GitError, match="refused"):
        git.Repo(a / "site").commit(["_news/0.md", "_news/1.md", "_news/new.md"], "msg")
    assert staged(a) == before
    assert sorted(run(a, "status", "--porcelain").splitlines()) == sorted(
        [" M site/_news/0.md", "MM site/_news/1.md", "?? site/_news/new.md"]
    )


def test_marks_change_with_a_commit_an_add_or_a_checkout_and_only_then(team):
    """Repo.marks: what the window's watcher compares on each tick (stat calls, no git run) to
    notice a commit made in a terminal."""
    _, a, _ = team
    repo = git.Repo(a / "site")
    first = repo.marks()
    assert first and repo.marks() == first
    (a / "site/_news/0.md").write_text(ARTICLE.format(i=0).replace("AI", "Edited"))
    repo.status()
    assert repo.marks() == first  # a saved file is the folder watcher's; a status changes nothing
    run(a, "add", "site/_news/0.md")
    added = repo.marks()
    assert added != first
    run(a, "commit", "-q", "-m", "in a terminal")
    committed = repo.marks()
    assert committed != added
    run(a, "checkout", "-q", "-b", "other")
    assert repo.marks() != committed
    run(a, "pack-refs", "--all")  # the branch's ref moves into packed-refs
    packed = repo.marks()
    run(a, "commit", "-q", "--allow-empty", "-m", "on the packed branch")
    assert repo.marks() != packed
