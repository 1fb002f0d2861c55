"""Edit Field… on a selection and other fields as columns, in the window: a field the window
does not edit itself is written at once as one undo step (Undo writes back every byte), the
window's own fields become unsaved edits, and the preview dialog shows what changes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from curator.core.editing import DELETE
from curator.core.fields import FieldEdit, Op
from curator.ui.fieldedit import FieldDialog
from curator.ui.model import COLUMNS
from tests.ui.conftest import open_folder

FIRST = "_news/2019-10-29-ai-builder-2019-release-wave-2-overview.md"
SECOND = "_news/2020-09-15-announcing-the-new-solution-import-experience-with-connections-and-environment-variables.md"


def select_paths(window, *paths: str) -> list[int]:
    window.set_view("table")
    model, selection = window.model, window.table.selectionModel()
    selection.clear()
    rows = [window.workspace.rows[p] for p in paths]
    positions = window.model.positions()
    for row in rows:
        index = model.index(positions[row], 0)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(index, flags)
    return rows


def changed_lines(old: bytes, new: bytes) -> list[tuple[bytes, bytes]]:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_a_field_the_window_does_not_edit_is_written_at_once_and_undo_gives_back_every_byte(qtbot, window, sample):
    before = {p: (sample / p).read_bytes() for p in (FIRST, SECOND)}
    open_folder(qtbot, window, sample)
    select_paths(window, FIRST, SECOND)
    window.prompts.field = ("provider.name", FieldEdit(Op.REPLACE, pattern=r"^(.*)$", replacement=r"\1 (checked)"))
    window.act_edit_field.trigger()
    qtbot.waitUntil(lambda: all((sample / p).read_bytes() != before[p] for p in before), timeout=10000)
    kind, keys, count, shown = window.prompts.asked[-1]
    assert kind == "field" and count == 2 and {"provider.name", "topics", "title"} <= set(keys)
    assert shown == {FIRST: "Microsoft", SECOND: "Microsoft"}
    for path, old in before.items():
        (line,) = changed_lines(old, (sample / path).read_bytes())
        assert (line[0].rstrip(), line[1].rstrip()) == (b"  name: Microsoft", b"  name: Microsoft (checked)")
        assert line[1].endswith(line[0][len(line[0].rstrip()) :])  # its line ending (CRLF in one) kept
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Edit provider.name of 2 articles"
    row = window.workspace.rows[FIRST]
    qtbot.waitUntil(lambda: window.workspace.summary(row).provider_name.endswith(" (checked)"), timeout=10000)
    assert not window.workspace.pending  # written, nothing left to save
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: all((sample / p).read_bytes() == before[p] for p in before), timeout=10000)
    qtbot.waitUntil(lambda: not window.watcher.checking, timeout=10000)
    # (not "Wrote": nothing new) said once the undo's write reports back, which can be after the
    # bytes are on disk: asserted at once, the edit's "Wrote 2 files." was still shown, 1 run in 6
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Undone: wrote 2 files back.", timeout=10000)
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Wrote 2 files.", timeout=10000)


def test_files_it_wrote_itself_are_read_again_without_saying_they_changed_on_disk(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, FIRST, SECOND)
    window.prompts.field = ("provider.name", FieldEdit(Op.SET, value="Checked"))
    window.act_edit_field.trigger()
    row = window.workspace.rows[FIRST]
    qtbot.waitUntil(lambda: window.workspace.summary(row).provider_name == "Checked", timeout=10000)
    qtbot.waitUntil(lambda: not window.watcher.checking, timeout=10000)
    assert window.status.currentMessage() == "Wrote 2 files."
    path = sample / SECOND  # another program's change of a file it wrote is told as ever
    path.write_bytes(path.read_bytes().replace(b"name: Checked", b"name: Elsewhere"))
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Files changed on disk: 1 reloaded", timeout=10000)
    assert window.workspace.summary(window.workspace.rows[SECOND]).provider_name == "Elsewhere"

    # another program writes the file again between Curator's write and the check that reads it back
    write_back = window.fields.check_disk

    def racing(written):
        path.write_bytes(path.read_bytes().replace(b"name: Once more", b"name: Theirs"))
        write_back(written)

    window.fields.check_disk = racing
    window.status.clearMessage()
    select_paths(window, SECOND)
    window.prompts.field = ("provider.name", FieldEdit(Op.SET, value="Once more"))
    window.act_edit_field.trigger()
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Files changed on disk: 1 reloaded", timeout=10000)
    assert window.workspace.summary(window.workspace.rows[SECOND]).provider_name == "Theirs"


def test_the_windows_own_fields_become_one_unsaved_step(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    rows = select_paths(window, FIRST, SECOND)
    window.prompts.field = (
        "topics",
        FieldEdit(Op.REPLACE, pattern=r"^Power (\w+)$", replacement=r"Microsoft Power \1"),
    )
    window.act_edit_field.trigger()
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10000)
    assert window.undo_stack.undoText() == "Edit topics of 2 articles"
    assert [window.workspace.current(r, "topics") for r in rows] == [
        ["Microsoft Power Apps", "AI Builder"],
        ["Microsoft Power Apps"],
    ]
    assert sorted(window.workspace.pending) == sorted(rows)  # unsaved: Save writes it, with its checks
    window.undo_stack.undo()
    assert not window.workspace.pending


def test_a_value_of_the_wrong_type_for_the_windows_fields_changes_nothing(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, FIRST)
    window.prompts.field = ("published", FieldEdit(Op.SET, "yes please"))
    window.act_edit_field.trigger()
    qtbot.waitUntil(lambda: "error" in window.prompts.kinds(), timeout=10000)
    assert window.undo_stack.count() == 0 and not window.workspace.pending


def test_other_fields_show_as_columns(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    window.prompts.fields = ["provider.domain", "originalUrl"]
    window.table.other_fields_requested.emit()
    qtbot.waitUntil(lambda: window.model.columnCount() == len(COLUMNS) + 2, timeout=10000)
    kind, counts, shown = window.prompts.asked[-1]
    assert kind == "fields" and shown == [] and dict(counts)["title"] >= 10
    model = window.model
    assert model.headerData(len(COLUMNS), Qt.Orientation.Horizontal) == "provider.domain"
    row = window.workspace.rows[FIRST]
    index = model.index(model.positions()[row], len(COLUMNS))
    domain = window.workspace.summary(row).provider_domain
    assert domain and index.data() == domain
    model.sort(len(COLUMNS), Qt.SortOrder.AscendingOrder)  # not sortable: the sort in force stays
    assert model.sort_field == "date"


def test_the_dialog_previews_each_change_and_the_mixed_values(qtbot):
    values = {"a.md": ["AI", "Power Apps"], "b.md": DELETE, "c.md": "text"}
    dialog = FieldDialog(["topics"], lambda key: values, 3, "topics")
    qtbot.addWidget(dialog)
    assert "missing in 1" in dialog.now.text()
    dialog.op.setCurrentIndex(list(Op).index(Op.ADD))
    dialog.value.setText("Low code")
    tree = dialog.preview
    rows = [tuple(tree.topLevelItem(i).text(c) for c in range(3)) for i in range(tree.topLevelItemCount())]
    assert rows[0][0] == "c.md" and rows[0][1].startswith("⚠")  # what cannot take it, first
    assert ("a.md", "[AI, Power Apps]", "[AI, Power Apps, Low code]") in rows
    assert ("b.md", "(missing)", "[Low code]") in rows
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.op.setCurrentIndex(list(Op).index(Op.REPLACE))
    dialog.pattern.setText("(")
    assert "not a valid regular expression" in dialog.outcome.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert dialog.value.isHidden() and not dialog.pattern.isHidden()
