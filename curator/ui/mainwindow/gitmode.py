"""Team mode over git for the open folder.

`GitController` owns the folder's git work tree (found in a worker when a folder opens; none
outside a work tree or without git, and then nothing of this shows) and its status, read in a
worker when the work tree is found, after saves and changes on disk, and when git's own files
(HEAD, the index, the branch's ref) changed since it was read: a commit, checkout or reset made
in a terminal (`poll`, on each tick of the folder watcher: stat calls in a worker, git itself
runs only when they differ). Commit asks (Prompts) for
the changed article files, with this session's saved articles checked, and the site files a topic
rename, merge or delete changed (`.curator.yml`, the taxonomy's files), checked, and a message made
from what the checked files change against HEAD (core.commits, read in a worker first),
then commits exactly those paths. Pull is `--ff-only`; when local work stands in the way it asks
which of git's ways to take (commit first, then `pull --rebase`; or `git stash`, pull, `git
stash pop`), and says conflicts with what to do next. The files it changed go through the
watcher's reload path (unsaved edits stay; a pulled change to an edited value is asked about
at Save). Push is explicit. All git work runs in workers; failures are said in plain words
with git's output. The file's diff against HEAD is read in a worker for the preview's Diff tab. Emits:
status_changed(object Status or None), pulled(), diff_ready(str path, str diff).
QtCore only.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ...core import words
from ...core.team import commits, git
from ..tasks import Tasks
from ..throttle import Throttle
from .messages import Messages, Prompts
from .session import Session


class GitController(QObject):
    status_changed = Signal(object)
    pulled = Signal()
    diff_ready = Signal(str, str)  # path, the file's diff against HEAD

    def __init__(self, session: Session, tasks: Tasks, prompts: Prompts, messages: Messages, parent=None):
        super().__init__(parent)
        self.session, self.tasks, self.prompts, self.messages = session, tasks, prompts, messages
        self.repo: git.Repo | None = None
        self.status: git.Status | None = None
        self.saved_paths: set[str] = set()  # articles saved this session: checked in the commit dialog
        self.refresh_later = Throttle(self.refresh, 400, self)
        self.busy = False
        self.marks: tuple = ()  # git's files as the status was read (see git.Repo.marks)
        self._polling = False
        session.opened.connect(self._opened)

    def _opened(self, workspace) -> None:
        self.repo, self.status, self.marks = None, None, ()
        workspace.table.git = {}
        self.saved_paths.clear()
        self.status_changed.emit(None)
        root = self.session.root

        def done(repo: git.Repo | None) -> None:
            if repo is not None:
                self.repo = repo
                self.refresh()

        self.tasks.run(
            lambda p: git.Repo.of(root),
            done,
            failed="Finding the git work tree failed",
            still=self.session.still(workspace),
        )

    def refresh(self) -> None:
        """Read the status in a worker (nothing outside a work tree); emits status_changed."""
        repo = self.repo
        if repo is None:
            return

        def done(result: tuple) -> None:
            self._show(*result, None)

        def failed(error: BaseException) -> None:
            self._show(self.marks, None, error)

        still = lambda: repo is self.repo  # noqa: E731
        # (the marks first: a change after is seen)
        self.tasks.run(lambda p: (repo.marks(), repo.status()), done, failed=failed, still=still)

    def poll(self) -> None:
        """Whether git's own files changed since the status was read (a commit, checkout or reset
        in a terminal): stat calls in a worker, and the status read again there when they did."""
        repo, known = self.repo, self.marks
        if repo is None or self.busy or self._polling:
            return
        self._polling = True

        def work(p) -> tuple | None:
            marks = repo.marks()
            if marks == known:
                return None
            try:
                return marks, repo.status(), None
            except git.GitError as exc:  # said once: the next tick asks again only if the marks change
                return marks, None, exc

        def ended() -> None:
            self._polling = False

        def done(result: tuple | None) -> None:
            if result is not None and not self.busy:
                self._show(*result)

        def failed(error: BaseException) -> None:
            self._show(self.marks, None, error)

        self.tasks.run(work, done, failed=failed, still=lambda: repo is self.repo, always=ended)

    def _show(self, marks: tuple, status: git.Status | None, error: BaseException | None) -> None:
        if isinstance(error, git.GitError):
            self.messages.info(f"git: {error.message}", 8000)
        elif error is not None:
            self.messages.failed("Reading the git status failed", error)
        self.status, self.marks = status, marks
        # the folder's git states, for the git: query term and the facet
        self.session.workspace.table.git = {p: s.value for p, s in status.files.items()} if status else {}
        self.status_changed.emit(status)

    def read_diff(self, path: str | None) -> None:
        """The file against HEAD, read in a worker: emits diff_ready (nothing outside a work tree)."""
        repo = self.repo
        if repo is None or path is None:
            return

        def failed(error: BaseException) -> None:
            said = error.message if isinstance(error, git.GitError) else str(error)
            self.diff_ready.emit(path, f"git diff failed: {said}")

        self.tasks.run(
            lambda p: repo.diff(path) or "No change since the last commit.",
            lambda text: self.diff_ready.emit(path, text),
            failed=failed, still=lambda: repo is self.repo,
        )  # fmt: skip

    def saved(self, results: list) -> None:
        if self.repo is None:
            return  # outside a work tree nothing is committed
        root = self.session.root
        prefix = os.path.join(root, "")
        for result in results:
            if result.ok:  # results name files by their absolute path, under the root (relpath: 4 us each)
                path = result.path
                rel = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, root)
                self.saved_paths.add(rel.replace(os.sep, "/"))
        self.refresh_later()

    def state(self, path: str) -> git.State | None:
        return None if self.status is None else self.status.files.get(path)

    def commit(self, then: Callable[[], object] | None = None) -> bool:
        """Ask which changed article files to commit, and with what message (made from what the
        checked files change against HEAD, read in a worker first); commit those, then `then`."""
        repo, status, profile = self.repo, self.status, self.session.workspace.profile
        if repo is None or status is None or self.busy:
            return False
        self.busy = True
        self.messages.info("Reading what the changed files change…", 0)

        def read(p) -> tuple[list[tuple[str, git.State]], commits.Reading]:
            files = commits.commit_files(repo, status, profile)
            return files, commits.read(repo, [path for path, _ in files], profile)

        def ended() -> None:
            self.busy = False

        def done(result: tuple) -> None:
            files, reading = result
            if not files:
                self.messages.info("No article file has changed since the last commit.", 5000)
                if then is not None:
                    then()
                return
            self.messages.info(f"{words.count(len(files), 'changed file')}: check those to commit", 5000)
            # the site files a topic rename, merge or delete wrote are checked: the team shares
            # the retired names with the work
            listed = [(path, state.value, path in self.saved_paths or path in reading.now) for path, state in files]
            answer = self.prompts.ask_commit(listed, reading.message)
            if answer is not None:
                paths, message = answer
                self._run("Committing", lambda repo: repo.commit(paths, message), "Committed", then)
            elif then is not None:
                self.messages.info("Nothing was committed, so nothing was pulled.", 8000)

        self.tasks.run(
            read, done, failed=lambda error: self._failed("Reading the changes", error),
            still=lambda: repo is self.repo, always=ended,
        )  # fmt: skip
        return True

    def pull(self, way: git.PullWay | None = None) -> bool:
        """Pull (`--ff-only` unless `way` says otherwise). When local work stands in the way, ask
        which of the ways git offers to take (commit first, or put the changes aside and back);
        conflicts are said with what to do next. The files it changed are read again."""

        def pulled(result: git.Pulled) -> None:
            self.pulled.emit()
            if result.conflicts:
                names = ", ".join(result.conflicts[:5]) + (", …" if len(result.conflicts) > 5 else "")
                count = words.count(len(result.conflicts), "file")
                self.messages.error(f"git: conflict in {count} ({names}). {result.next_steps}", result.output)

        def blocked(error: git.PullBlocked) -> None:
            chosen = self.prompts.ask_pull(error.message, list(error.ways))
            if chosen is None:
                self.messages.info("Not pulled.", 5000)
            elif chosen is git.PullWay.COMMIT_FIRST:
                self.commit(then=lambda: self.pull(git.PullWay.REBASE))
            else:
                self.pull(chosen)

        return self._run("Pulling", lambda repo: repo.pull(way), "Pulled", pulled, blocked)

    def push(self) -> bool:
        return self._run("Pushing", lambda repo: repo.push(), "Pushed")

    def _failed(self, doing: str, error: BaseException) -> None:
        if isinstance(error, git.GitError):
            self.messages.error(error.message, error.output)
        else:
            self.messages.failed(f"{doing} failed", error)

    def _run(self, doing: str, work, done_text: str, then=None, blocked=None) -> bool:
        """`work(repo)` in a worker, said in the status bar; then `then(result)` (or `then()`
        for a result that is git's words), or `blocked(error)` for a pull that local work stands
        in the way of. The status is read again after."""
        repo = self.repo
        if repo is None or self.busy:
            return False
        self.busy = True
        self.messages.info(f"{doing}…", 0)

        def ended() -> None:
            self.busy = False

        def failed(error: BaseException) -> None:
            if isinstance(error, git.PullBlocked) and blocked is not None:
                self.messages.info(error.message.removesuffix(" Git can:"), 8000)
                blocked(error)
            else:
                self._failed(doing, error)
            self.refresh()

        def done(result) -> None:
            output = result.output if isinstance(result, git.Pulled) else result
            first = (output or "").splitlines()[:1]
            self.messages.info(f"{done_text}{': ' + first[0] if first else '.'}", 8000)
            if then is not None and isinstance(result, git.Pulled):
                then(result)
            elif then is not None:
                then()
            self.refresh()

        self.tasks.run(lambda p: work(repo), done, failed=failed, always=ended)
        return True
