"""The one channel for what the window tells the editor, and what it may ask.

Controllers post status lines, warnings and errors to `Messages` (everything is also
logged, so nothing a worker raised is lost); the window shows them. Questions go through a
`Prompts` object: dialogs in the window (prompts.py), a fake in tests. QtCore only.
"""

from __future__ import annotations

import enum
import logging
import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from ...core.folder.fields import FieldEdit, FieldPlan
    from ...core.folder.review import Preview
    from ...core.team.git import PullWay

log = logging.getLogger("curator")


class Level(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Messages(QObject):
    """Emits posted(level, text, detail, timeout_ms)."""

    posted = Signal(object, str, str, int)

    def info(self, text: str, timeout_ms: int = 8000) -> None:
        log.info(text)
        self.posted.emit(Level.INFO, text, "", timeout_ms)

    def warning(self, text: str, detail: str = "", timeout_ms: int = 10000) -> None:
        log.warning("%s%s", text, f"\n{detail}" if detail else "")
        self.posted.emit(Level.WARNING, text, detail, timeout_ms)

    def error(self, text: str, detail: str = "") -> None:
        log.error("%s%s", text, f"\n{detail}" if detail else "")
        self.posted.emit(Level.ERROR, text, detail, 0)

    def failed(self, what: str, exc: BaseException) -> None:
        """A worker raised: say what failed, keep the traceback in the details and the log."""
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.error(f"{what}: {exc.__class__.__name__}: {exc}", detail)


class ConflictChoice(enum.Enum):
    RELOAD = "reload"  # drop my edit, show the file as it is now
    OVERWRITE = "overwrite"  # apply my edit to the new text
    SKIP = "skip"  # keep my edit unsaved


class UnsavedAnswer(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompts(Protocol):
    """What controllers may ask the editor."""

    def confirm_batch(self, text: str, count: int) -> bool: ...

    def confirm_change(self, text: str, detail: str) -> bool: ...

    def ask_commit(
        self, files: list[tuple[str, str, bool]], message_for: Callable[[list[str]], str]
    ) -> tuple[list[str], str] | None: ...

    def ask_pull(self, text: str, ways: list[PullWay]) -> PullWay | None: ...

    def resolve_conflicts(self, paths: list[str], previews: dict[str, Preview]) -> dict[str, ConflictChoice]: ...

    def unsaved_changes(self, count: int, doing: str) -> UnsavedAnswer: ...

    def show_failures(self, text: str, details: list[str]) -> None: ...

    def show_error(self, text: str, detail: str = "") -> None: ...

    def ask_topic(self, title: str, label: str, choices: list[str], editable: bool, start: str = "") -> str | None: ...

    def ask_quality(self, start: int) -> int | None: ...

    def edit_field(
        self, keys: list[str], values: Callable[[str], Mapping[str, Any]], count: int, key: str = "",
        check: Callable[[str, FieldEdit], FieldPlan] | None = None,
    ) -> tuple[str, FieldEdit] | None: ...  # fmt: skip

    def pick_fields(self, counts: list[tuple[str, int]], shown: list[str]) -> list[str] | None: ...

    def about(self) -> None: ...

    def preferences(self, values: dict[str, Any]) -> dict[str, Any] | None: ...

    def show_shortcuts(self, rows: list[tuple[str, str]]) -> None: ...

    def confirm_new_topic(self, topic: str, similar: list[str]) -> bool: ...

    def ask_merge_entry(self, text: str, detail: str, entries: list[str], target: str) -> bool | None: ...
