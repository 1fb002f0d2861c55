"""The team's saved views: the `views:` list of the site's `.curator.yml`, shared through git.

A view is a name, a query, a sort and the card/table choice, written as one line of text each
(the YAML line editor of core.document.formats.yaml writes lists of text, so the file stays one
a person reads and merges):

    views:
      - Morning | -date | cards | published:no date:>=-1d

The name comes first and the query last; between them a sort (`FIELD` or `-FIELD`,
descending) and `cards` or `table`, each may be empty. Written by hand, `NAME | QUERY` is a
view too (then the query holds no `|`; in the four-part form, as Curator writes it, it may). Saving or deleting a
view edits only those lines of the file (taxonomy.config_edit: its comments and other keys
stay byte-identical). Whether a query parses is the folder's business (core.folder.query):
here a view is text, and an entry that is not a view is reported, never raised while opening.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from curator.core.document.values import DELETE
from curator.core.document.writes import ByteEdit
from curator.core.site import profiles
from curator.core.site.root import SiteFileError, load_site_yaml, read_site_yaml
from curator.core.site.taxonomy import TaxonomyError, config_edit

KEY = "views"
MODES = ("cards", "table")
SEPARATOR = " | "


class ViewError(ValueError):
    """A view that cannot be saved or deleted; the file is left as it is."""


@dataclass(frozen=True, slots=True)
class View:
    name: str
    query: str
    sort: str = ""  # `FIELD` or `-FIELD`; "" keeps the sort in force
    mode: str = ""  # "cards", "table" or "" (as it is)
    text: str = field(default="", compare=False)  # its line as read: written back as it was

    def line(self) -> str:
        return self.text or SEPARATOR.join((self.name, self.sort, self.mode, self.query))


def parse_line(text: str) -> View:
    """A view from its line (see the module's docstring). Raises ViewError."""
    parts = [p.strip() for p in text.split("|", 3)]
    if len(parts) < 2 or not parts[0]:
        raise ViewError(f"{text!r} is not `NAME | [SORT |] [cards|table |] QUERY`")
    name, *middle, query = parts
    if len(parts) == 4 and middle[1] not in ("", *MODES):
        raise ViewError(f"{text!r}: the third part is cards, table or empty, not {middle[1]!r}")
    sort = mode = ""
    for part in middle:
        if part in MODES:
            mode = part
        elif part:
            sort = part
    return View(name, query, sort, mode, text)


@dataclass(frozen=True)
class Views:
    """The views of a site as read: `problems` names what could not be read (never raised)."""

    path: str
    views: tuple[View, ...] = ()
    config: bytes | None = None  # `.curator.yml` as read (None: the site has none)
    problems: tuple[str, ...] = ()

    def get(self, name: str) -> View | None:
        return next((v for v in self.views if v.name == name), None)


def read(root: str | os.PathLike[str]) -> Views:
    path = os.path.join(os.fspath(root), profiles.CONFIG)
    try:
        config, settings = read_site_yaml(path)
    except FileNotFoundError:
        return Views(path)
    except (OSError, SiteFileError) as exc:
        return Views(path, problems=(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})",))
    return _views(path, config, settings)


def _views(path: str, config: bytes, settings: object) -> Views:
    value = settings.get(KEY) if isinstance(settings, dict) else None
    if value is None:
        return Views(path, config=config)
    if not isinstance(value, list):
        return Views(path, config=config, problems=(f"{path}: {KEY}: must be a list of lines",))
    found: list[View] = []
    problems: list[str] = []
    for item in value:
        try:
            if not isinstance(item, str):
                raise ViewError(f"{item!r} is not a line of text")
            view = parse_line(item)
        except ViewError as exc:
            problems.append(f"{path}: {KEY}: {exc}")
            continue
        if any(v.name == view.name for v in found):
            problems.append(f"{path}: {KEY}: {view.name!r} is named twice; the first is used")
            continue
        found.append(view)
    return Views(path, tuple(found), config, tuple(problems))


def _edit(views: Views, kept: list[View]) -> ByteEdit:
    if views.problems:
        raise ViewError(f"{views.problems[0]}; correct the file first")
    try:
        return config_edit(views.path, views.config, {KEY: [v.line() for v in kept] if kept else DELETE})
    except TaxonomyError as exc:
        raise ViewError(str(exc)) from None


def plan_save(views: Views, view: View) -> ByteEdit:
    """The edit that saves `view` (replacing the one of its name, in its place). Raises ViewError."""
    if not view.name.strip() or "|" in view.name or "\n" in view.name or "\n" in view.query:
        raise ViewError("a view's name is one line without `|`, and its query one line")
    if view.mode not in ("", *MODES):
        raise ViewError(f"a view shows {' or '.join(MODES)}, not {view.mode!r}")
    kept = [view if v.name == view.name else v for v in views.views]
    if views.get(view.name) is None:
        kept.append(view)
    return _edit(views, kept)


def plan_delete(views: Views, name: str) -> ByteEdit:
    """The edit that deletes the view `name`. Raises ViewError when there is none."""
    if views.get(name) is None:
        raise ViewError(f"no view is named {name!r}")
    return _edit(views, [v for v in views.views if v.name != name])


def plan_rename(views: Views, old: str, new: str) -> ByteEdit:
    """The edit that renames a view, in its place. Raises ViewError."""
    view = views.get(old)
    if view is None:
        raise ViewError(f"no view is named {old!r}")
    if new != old and views.get(new) is not None:
        raise ViewError(f"a view is already named {new!r}")
    renamed = View(new.strip(), view.query, view.sort, view.mode)
    if not renamed.name or "|" in renamed.name or "\n" in renamed.name:
        raise ViewError("a view's name is one line without `|`")
    return _edit(views, [renamed if v.name == old else v for v in views.views])


def applied(views: Views, edit: ByteEdit) -> Views:
    """The views once `edit` (planned from them) is written: what the window shows at once."""
    if edit.new is None:
        return Views(views.path)
    return _views(views.path, edit.new, load_site_yaml(edit.new.decode("utf-8-sig")))
