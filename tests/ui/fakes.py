"""A stand-in for the window's dialogs (as qutebrowser's messagemock): records what was
asked and answers as told."""

from __future__ import annotations

from curator.ui.mainwindow.messages import ConflictChoice, UnsavedAnswer


class FakePrompts:
    def __init__(self, batch: bool = True, conflict: ConflictChoice = ConflictChoice.SKIP,
                 unsaved: UnsavedAnswer = UnsavedAnswer.CANCEL):  # fmt: skip
        self.batch, self.conflict, self.unsaved = batch, conflict, unsaved
        self.new_topic = True
        self.topic: str | None = None  # what ask_topic answers (None: the first choice)
        self.commit: str | None = "Commit message"  # the message ask_commit answers (None: cancel)
        self.pull = None  # the git.PullWay ask_pull answers (None: cancel)
        self.field: tuple | None = None  # what edit_field answers: (key, FieldEdit) or None
        self.fields: list[str] | None = None  # what pick_fields answers
        self.entry: bool | None = True  # what ask_merge_entry answers: keep as alias, remove (False), cancel (None)
        self.asked: list[tuple] = []

    def confirm_batch(self, text: str, count: int) -> bool:
        self.asked.append(("batch", text, count))
        return self.batch

    def ask_commit(self, files: list[tuple[str, str, bool]], message_for) -> tuple[list[str], str] | None:
        """Records the message the dialog starts with (for the checked files); `message_for`
        stays here for a test to ask about other files."""
        checked = [path for path, _, on in files if on]
        self.message_for = message_for
        self.asked.append(("commit", list(files), message_for(checked)))
        if self.commit is None:
            return None
        return checked, self.commit

    def ask_pull(self, text: str, ways: list) -> object:
        self.asked.append(("pull", text, list(ways)))
        return self.pull

    def confirm_change(self, text: str, detail: str) -> bool:
        self.asked.append(("change", text, detail))
        return self.batch

    def resolve_conflicts(self, paths: list[str], previews: dict) -> dict[str, ConflictChoice]:
        self.asked.append(("conflicts", list(paths)))
        self.previews = dict(previews)
        return dict.fromkeys(paths, self.conflict)

    def unsaved_changes(self, count: int, doing: str) -> UnsavedAnswer:
        self.asked.append(("unsaved", count, doing))
        return self.unsaved

    def show_failures(self, text: str, details: list[str]) -> None:
        self.asked.append(("failures", text, list(details)))

    def show_error(self, text: str, detail: str = "") -> None:
        self.asked.append(("error", text))

    def ask_topic(self, title: str, label: str, choices: list[str], editable: bool, start: str = "") -> str | None:
        self.asked.append(("topic", title))
        self.choices, self.start = list(choices), start  # what the last question offered, and began with
        if self.topic is not None:
            return self.topic
        return choices[0] if choices else None

    def ask_quality(self, start: int) -> int | None:
        self.asked.append(("quality", start))
        return start

    def edit_field(self, keys: list[str], values, count: int, key: str = "", check=None) -> tuple | None:
        """Records the keys offered and the values the dialog would preview for the answer;
        `check` stays here for a test to ask what the preview would show."""
        shown = dict(values(self.field[0])) if self.field is not None else {}
        self.check = check
        self.asked.append(("field", list(keys), count, shown))
        return self.field

    def pick_fields(self, counts: list[tuple[str, int]], shown: list[str]) -> list[str] | None:
        self.asked.append(("fields", list(counts), list(shown)))
        return self.fields

    def ask_merge_entry(self, text: str, detail: str, entries: list[str], target: str) -> bool | None:
        self.asked.append(("merge entry", text, list(entries), target))
        return self.entry

    def confirm_new_topic(self, topic: str, similar: list[str]) -> bool:
        self.asked.append(("new topic", topic, list(similar)))
        return self.new_topic

    def show_shortcuts(self, rows: list[tuple[str, str]]) -> None:
        self.asked.append(("shortcuts", list(rows)))

    def about(self) -> None:
        self.asked.append(("about",))

    def preferences(self, values: dict) -> dict | None:
        """Answers `preferences_answer` (None: cancelled), recording what the dialog would show."""
        self.asked.append(("preferences", dict(values)))
        return getattr(self, "preferences_answer", None)

    def kinds(self) -> list[str]:
        return [a[0] for a in self.asked]
