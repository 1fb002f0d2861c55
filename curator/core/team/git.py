"""Team mode: the user's own `git` (their credentials, hooks and config apply), run as a child
process and read with `--porcelain=v2 -z`. Qt-free; the window runs these in workers.

Only what an editor asks for is done: status, commit of exactly the listed paths (never
`add -A`), pull with `--ff-only`, push. A git that is missing, a folder outside a work tree,
a merge in progress or a detached HEAD are told in plain words, with git's own output kept.
"""

from __future__ import annotations

import enum
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Seconds a git command may take (a pull over a slow network included).
TIMEOUT = 120
#: git must never wait for a password on a terminal nobody sees.
ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
#: what would make git work on another repository than the open folder's: Curator started from
#: a git hook, `git bisect run` or a shell that exported them (a test run so made `git init
#: --bare` re-initialise the checkout it ran in as a bare repository)
FOREIGN = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
           "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX")  # fmt: skip


def environment() -> dict[str, str]:
    """The environment git runs in: this process's, without FOREIGN, with ENV."""
    return {**{k: v for k, v in os.environ.items() if k not in FOREIGN}, **ENV}


class GitError(Exception):
    """A git command failed; `message` in plain words, `output` what git said."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.message, self.output = message, output


class State(enum.StrEnum):
    MODIFIED = "modified"
    NEW = "new"  # added to the index, not in HEAD
    UNTRACKED = "untracked"
    DELETED = "deleted"
    RENAMED = "renamed"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Status:
    branch: str  # "" when HEAD is detached
    upstream: str = ""
    ahead: int = 0
    behind: int = 0
    merging: bool = False
    files: dict[str, State] = field(default_factory=dict)  # path relative to the folder asked about
    rebasing: bool = False  # a `pull --rebase` stopped at a conflict, and is not finished

    @property
    def detached(self) -> bool:
        return not self.branch

    def describe(self) -> str:
        """'main, 2 ahead, 1 behind origin/main' for the status bar."""
        where = self.branch or "detached HEAD"
        parts = [where]
        if self.ahead:
            parts.append(f"{self.ahead} ahead")
        if self.behind:
            parts.append(f"{self.behind} behind")
        if self.upstream and (self.ahead or self.behind):
            parts[-1] += f" {self.upstream}"
        if self.merging:
            parts.append("merge in progress")
        if self.rebasing:
            parts.append("rebase in progress")
        return ", ".join(parts)

    def refusal(self) -> str:
        """Why nothing may be committed or pulled now, in plain words ("" when it may)."""
        if self.rebasing:
            return ("A pull (rebase) stopped at a conflict and is not finished: fix the files marked "
                    "`git: conflict`, then run `git add FILE` and `git rebase --continue` in a terminal "
                    "(or `git rebase --abort` to go back to before the pull).")  # fmt: skip
        if self.merging:
            return "A merge is in progress in this repository: finish or abort it in a terminal first."
        if self.detached:
            return "HEAD is detached (no branch is checked out): check out a branch in a terminal first."
        return ""


class PullWay(enum.Enum):
    """What git can do with local work when a plain pull cannot (the words offer it)."""

    FAST_FORWARD = "Pull (git pull --ff-only)"
    COMMIT_FIRST = "Commit them first, then pull, with my commits put after the server's (git pull --rebase)"
    STASH = "Put them aside, pull, then put them back (git stash, git pull --rebase, git stash pop)"
    REBASE = "Pull, and put my commits after the server's (git pull --rebase)"


class PullBlocked(GitError):
    """A pull that local work stands in the way of; `ways` are what git can do about it."""

    def __init__(self, message: str, output: str, ways: Sequence[PullWay]):
        super().__init__(message, output)
        self.ways = tuple(ways)


@dataclass(frozen=True, slots=True)
class Pulled:
    """What a pull did: git's words, and the files (of the folder) it left in conflict, with
    what to do next in plain words."""

    output: str
    conflicts: tuple[str, ...] = ()
    next_steps: str = ""


UNSTASH_CONFLICT = (
    "The pull is done, but your put-aside changes and the pulled ones touch the same lines in the files marked "
    "`git: conflict`. Open each, keep the lines you want and delete the <<<<<<<, ======= and >>>>>>> lines, "
    "save; then run `git add FILE` and `git stash drop` in a terminal (your changes stay in `git stash list` "
    "until then)."
)


def available() -> bool:
    return shutil.which("git") is not None


def _run(args: Sequence[str], cwd: str, check: bool = True, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=timeout, env=environment(), check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {timeout:.0f} s and was stopped") from None
    if check and done.returncode != 0:
        output = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        raise GitError(_plain(args[0], output), output)
    return done


def _plain(command: str, output: str) -> str:
    """git's failure in words an editor reads."""
    low = output.lower()
    if "not a git repository" in low:
        return "This folder is not in a git repository."
    if "authentication failed" in low or "could not read username" in low or "permission denied" in low:
        return f"git {command}: the server refused your credentials."
    if command == "push" and ("non-fast-forward" in low or "fetch first" in low):
        return "git push: the server has commits you do not have: Pull first, then Push."
    if "no tracking information" in low or "no upstream branch" in low or "no configured push destination" in low:
        return (f"git {command}: this branch has no branch on a server to {command} (set that up once in a "
                "terminal, e.g. `git push -u origin BRANCH`, or ask whoever set up the site).")  # fmt: skip
    if "hook" in low or "pre-commit" in low:
        return f"git {command}: a hook of the repository refused it."
    return f"git {command} failed."


def literal(paths: Sequence[str]) -> list[str]:
    """Paths as literal pathspecs: a file named `*.md` or `[0].md` is that file, not a pattern."""
    return [":(literal)" + p for p in paths]


def toplevel(folder: str | os.PathLike[str]) -> str | None:
    """The work tree `folder` is in, or None (no git, or not in a work tree)."""
    if not available():
        return None
    try:
        done = _run(["rev-parse", "--show-toplevel"], os.fspath(folder), check=False, timeout=10)
    except GitError:
        return None
    return done.stdout.decode("utf-8", "replace").strip() or None if done.returncode == 0 else None


_CODES = {"M": State.MODIFIED, "T": State.MODIFIED, "A": State.NEW, "D": State.DELETED, "R": State.RENAMED,
          "C": State.NEW}  # fmt: skip


def _state(xy: str) -> State:
    """The state of a changed entry from its XY code (index, work tree)."""
    index, tree = xy[0], xy[1]
    if index == "A" or tree == "A":
        return State.NEW
    for code in (index, tree):
        if code in _CODES and code != ".":
            return _CODES[code]
    return State.MODIFIED


def parse_status(data: bytes, prefix: str = "") -> Status:
    """`git status --porcelain=v2 -z --branch` output. Paths are made relative to `prefix`
    (the folder's path inside the work tree, with '/'); files outside it are left out."""
    branch, upstream, ahead, behind = "", "", 0, 0
    files: dict[str, State] = {}
    entries = data.decode("utf-8", "surrogateescape").split("\0")
    i = 0

    def add(path: str, state: State) -> None:
        if not prefix or path.startswith(prefix):
            files[path[len(prefix) :]] = state

    while i < len(entries):
        entry = entries[i]
        i += 1
        if not entry:
            continue
        if entry.startswith("# branch.head "):
            head = entry[len("# branch.head ") :]
            branch = "" if head == "(detached)" else head
        elif entry.startswith("# branch.upstream "):
            upstream = entry[len("# branch.upstream ") :]
        elif entry.startswith("# branch.ab "):
            a, b = entry[len("# branch.ab ") :].split()
            ahead, behind = int(a), -int(b)
        elif entry.startswith("1 "):
            parts = entry.split(" ", 8)
            add(parts[8], _state(parts[1]))
        elif entry.startswith("2 "):
            parts = entry.split(" ", 9)
            add(parts[9], _state(parts[1]))
            i += 1  # the original path follows
        elif entry.startswith("u "):
            add(entry.split(" ", 10)[10], State.CONFLICT)
        elif entry.startswith("? "):
            add(entry[2:], State.UNTRACKED)
    return Status(branch, upstream, ahead, behind, False, files)


class Repo:
    """The work tree a folder of articles is in."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = os.path.realpath(os.fspath(folder))
        top = toplevel(self.folder)
        if top is None:
            raise GitError("This folder is not in a git repository (or git is not installed).")
        self.top = os.path.realpath(top)
        rel = os.path.relpath(self.folder, self.top).replace(os.sep, "/")
        self.prefix = "" if rel == "." else rel + "/"
        self._dirs: tuple[str, str] | None = None  # see git_dirs

    @classmethod
    def of(cls, folder: str | os.PathLike[str]) -> Repo | None:
        try:
            return cls(folder)
        except GitError:
            return None

    def git(self, *args: str, check: bool = True, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
        return _run(args, self.top, check, timeout)

    def status(self) -> Status:
        done = self.git(
            "status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all", "--", *literal([self.folder])
        )
        status = parse_status(done.stdout, self.prefix)
        merging = self.git("rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0
        return Status(status.branch, status.upstream, status.ahead, status.behind, merging, status.files,
                      self.rebasing())  # fmt: skip

    def rebasing(self) -> bool:
        done = self.git("rev-parse", "--git-path", "rebase-merge", "--git-path", "rebase-apply", check=False)
        folders = done.stdout.decode("utf-8", "surrogateescape").splitlines()
        return any(os.path.isdir(os.path.join(self.top, f)) for f in folders)

    def commit(self, paths: Sequence[str], message: str) -> str:
        """Commit exactly these paths (relative to the folder); returns git's output. Refuses an
        empty message, an empty list, a path outside the folder, a merge in progress and a
        detached HEAD. Names are literal (a file named `*.md` is that file), and a refused
        commit leaves the index as it was."""
        if not message.strip():
            raise GitError("A commit needs a message.")
        if not paths:
            raise GitError("There is nothing to commit: no file was listed.")
        full = [self.inside(p) for p in paths]
        if refusal := self.status().refusal():
            raise GitError(refusal)
        # `commit -- PATHS` commits the files as they are and updates the index only when it
        # succeeds; files git does not know yet must be added first, and are taken out again
        # if the commit is refused
        known = set(
            self.git("ls-files", "-z", "--", *literal(full)).stdout.decode("utf-8", "surrogateescape").split("\0")
        )
        unknown = [f for f in full if self.from_top(f) not in known]
        if unknown:
            self.git("add", "--", *literal(unknown))
        try:
            done = self.git("commit", "-m", message, "--", *literal(full))
        except GitError as exc:
            if unknown:
                self.git("update-index", "--force-remove", "--", *map(self.from_top, unknown), check=False)
            hooks = self.commit_hooks()
            if hooks:  # git does not say it was a hook: the hook's own output is all there is
                raise GitError(
                    f"A hook of the repository ({', '.join(hooks)}) refused the commit.", exc.output
                ) from None
            raise
        return done.stdout.decode("utf-8", "replace").strip()

    def inside(self, path: str) -> str:
        """The absolute path of a file named relative to the folder (or absolute); GitError
        when it lies outside the folder."""
        full = os.path.normpath(os.path.join(self.folder, path))
        if os.path.commonpath([full, self.folder]) != self.folder:
            raise GitError(f"{path} is outside the folder {self.folder}: only the folder's files are committed.")
        return full

    def from_top(self, full: str) -> str:
        """An absolute path inside the work tree as git names it ('/'-separated, from the top)."""
        return os.path.relpath(full, self.top).replace(os.sep, "/")

    def head_versions(self, paths: Sequence[str]) -> dict[str, bytes | None]:
        """Each file's bytes (paths relative to the folder) in HEAD; None where HEAD has no such
        file (or there is no commit yet). One `git cat-file --batch` for all of them."""
        names = {p: self.from_top(self.inside(p)) for p in paths}
        out: dict[str, bytes | None] = dict.fromkeys(paths)
        asked = [p for p, name in names.items() if "\n" not in name]  # (a name with a line break is not asked)
        if not asked:
            return out
        query = "".join(f"HEAD:{names[p]}\n" for p in asked).encode("utf-8", "surrogateescape")
        try:
            done = subprocess.run(
                ["git", "cat-file", "--batch"], cwd=self.top, input=query, capture_output=True,
                timeout=TIMEOUT, env=environment(), check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise GitError("git cat-file could not read the last commit's files", str(exc)) from None
        data, at = done.stdout, 0
        for path in asked:
            end = data.find(b"\n", at)
            if end < 0:
                break
            header = data[at:end].split(b" ")
            at = end + 1
            if len(header) == 3 and header[1] == b"blob" and header[2].isdigit():
                size = int(header[2])
                out[path] = data[at : at + size]
                at += size + 1
        return out

    def git_dirs(self) -> tuple[str, str]:
        """The repository's own folder (HEAD, the index) and its common folder (refs, shared
        by linked work trees), absolute; asked of git once."""
        if self._dirs is None:
            done = self.git("rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir", check=False,
                            timeout=10)  # fmt: skip
            if done.returncode != 0:  # a git before 2.31: the common folder is named from the top
                done = self.git("rev-parse", "--absolute-git-dir", "--git-common-dir", timeout=10)
            own, common = done.stdout.decode("utf-8", "surrogateescape").splitlines()[:2]
            self._dirs = (own, os.path.normpath(os.path.join(self.top, common)))
        return self._dirs

    def marks(self) -> tuple:
        """What changes when git's state does (a commit, checkout, reset or add in a terminal):
        the modification time, size and inode of HEAD, the index, the branch HEAD names and
        `packed-refs`. Stat calls and a read of HEAD, no git process (but the first call's
        rev-parse); equal marks mean the last status still holds, as far as git's own files say."""
        try:
            own, common = self.git_dirs()
        except GitError:
            return ()
        files = [os.path.join(own, "HEAD"), os.path.join(own, "index"), os.path.join(common, "packed-refs")]
        try:
            with open(files[0], "rb") as f:
                head = f.read(4096)
        except OSError:
            head = b""
        if head.startswith(b"ref: "):
            ref = head[5:].strip().decode("utf-8", "surrogateescape")
            files.append(os.path.join(common, *ref.split("/")))
        out: list[object] = [head]
        for path in files:
            try:
                st = os.stat(path)
                out.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                out.append(None)
        return tuple(out)

    def commit_hooks(self) -> list[str]:
        """The repository's hooks that run on a commit (they are the user's, and they apply)."""
        done = self.git("rev-parse", "--git-path", "hooks", check=False)
        folder = os.path.join(self.top, done.stdout.decode("utf-8", "replace").strip())
        names = ("pre-commit", "prepare-commit-msg", "commit-msg")
        return [n for n in names if os.access(os.path.join(folder, n), os.X_OK)]

    def pull(self, way: PullWay | None = None) -> Pulled:
        """Pull the way asked (by default `git pull --ff-only`: never a merge commit the editor
        did not ask for). Raises PullBlocked, with the ways git offers, when local work stands in
        the way; a rebase or an unstash that stops at a conflict returns the conflicts and what
        to do next."""
        way = way or PullWay.FAST_FORWARD
        if refusal := self.status().refusal():
            raise GitError(refusal)
        if way is PullWay.FAST_FORWARD:
            try:
                return Pulled(self._text(self.git("pull", "--ff-only")))
            except GitError as exc:
                raise self._blocked(exc) from None
        stashed = False
        if way is PullWay.STASH:
            before = self.git("rev-parse", "-q", "--verify", "refs/stash", check=False).stdout
            self.git("stash", "push", "-m", "curator: put aside to pull")
            stashed = self.git("rev-parse", "-q", "--verify", "refs/stash", check=False).stdout != before
        try:
            output = self._text(self.git("pull", "--rebase"))
        except GitError as exc:
            if self.rebasing():
                then = " Your put-aside changes are kept: run `git stash pop` once the pull is done." if stashed else ""
                return Pulled(exc.output, self._conflicts(), self.status().refusal() + then)
            if stashed:
                self.git("stash", "pop", check=False)  # nothing was pulled: the changes go back
            raise self._blocked(exc) from None
        if stashed:
            done = self.git("stash", "pop", check=False)
            output = "\n".join(filter(None, (output, self._text(done))))
            if done.returncode != 0:
                return Pulled(output, self._conflicts(), UNSTASH_CONFLICT)
        return Pulled(output)

    def _blocked(self, exc: GitError) -> GitError:
        """A refused pull as PullBlocked when local work stands in the way (else as it was)."""
        low = exc.output.lower()
        uncommitted = self.uncommitted()
        if "would be overwritten" in low or "unstaged changes" in low or "uncommitted changes" in low:
            ways = (PullWay.COMMIT_FIRST, PullWay.STASH)
            text = "Pulling would overwrite changes you saved but did not commit."
        elif "not possible to fast-forward" in low or "diverg" in low:
            ways = (PullWay.COMMIT_FIRST, PullWay.STASH) if uncommitted else (PullWay.REBASE,)
            text = "Your branch has commits the server does not have, and the server has commits you do not have."
        else:
            return exc
        return PullBlocked(text + " Git can:", exc.output, ways)

    def uncommitted(self) -> bool:
        """Whether any tracked file of the work tree has changes not committed."""
        done = self.git("status", "--porcelain=v2", "-z", "--untracked-files=no", check=False)
        return any(e[:2] in ("1 ", "2 ", "u ") for e in done.stdout.decode("utf-8", "replace").split("\0"))

    def _conflicts(self) -> tuple[str, ...]:
        """The folder's files in conflict (relative to it)."""
        return tuple(sorted(p for p, state in self.status().files.items() if state is State.CONFLICT))

    @staticmethod
    def _text(done: subprocess.CompletedProcess) -> str:
        return (done.stdout or done.stderr).decode("utf-8", "replace").strip()

    def push(self) -> str:
        done = self.git("push")
        return (done.stderr or done.stdout).decode("utf-8", "replace").strip()

    def diff(self, path: str) -> str:
        """The file against HEAD (empty for an unchanged file; the whole file for a new one)."""
        full = os.path.join(self.folder, path)
        done = self.git("diff", "HEAD", "--no-color", "--", *literal([full]), check=False)
        text = done.stdout.decode("utf-8", "replace")
        if not text and self.git("ls-files", "--error-unmatch", "--", *literal([full]), check=False).returncode != 0:
            text = self.git("diff", "--no-index", "--no-color", "/dev/null", full, check=False).stdout.decode(
                "utf-8", "replace"
            )
        return text
