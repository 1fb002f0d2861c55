"""The open folder.

`Session` owns the Workspace (articles, unsaved edits, problems), the Site (taxonomy and
where the site's own image URLs live in the checkout) and where the folder's index is kept.
Emits opened(workspace) when a folder, or the same one again, replaces the workspace.
QtCore only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ...core.folder.index import Index
from ...core.folder.workspace import Workspace
from ...core.site import profiles
from ...core.site.root import Site


class Session(QObject):
    opened = Signal(object)  # the new Workspace

    def __init__(self, cache_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.cache_dir = cache_dir
        self.workspace = Workspace(".")
        self.site: Site | None = None
        self.retired: list[Workspace] = []  # replaced workspaces, for the loader to empty in a worker

    @property
    def is_open(self) -> bool:
        return self.site is not None

    def still(self, workspace: Workspace):
        """For Tasks.run(still=...): whether `workspace` is still the open folder's."""
        return lambda: workspace is self.workspace

    def resolve_local(self, url: str) -> Path | None:
        """The file in the open site's checkout an image URL names (None: not one of its files)."""
        site = self.site
        return None if site is None else site.resolve_local(url)

    @property
    def root(self) -> str:
        return str(self.workspace.root)

    def open(self, folder: Path) -> Workspace:
        """A new workspace for `folder`. No gc.unfreeze() for the old one: its articles hold
        no reference cycles, so reference counting frees them, while unfreezing would make the
        next full collection walk every object frozen so far (200 ms at 100,000 articles)."""
        if self.site is not None:
            self.retired.append(self.workspace)
        profiles.forget(folder)  # its files may have changed since: detected again (a chosen one stays)
        self.workspace = Workspace(folder.resolve(), text_folder=str(self.cache_dir / "texts"))
        self.site = Site(folder)
        self.opened.emit(self.workspace)
        return self.workspace

    def index(self) -> Index:
        return Index(self.workspace.root, self.cache_dir)
