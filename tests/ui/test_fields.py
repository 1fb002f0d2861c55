"""Edit Field… on a selection and other fields as columns, in the window: an edit of any key is
one unsaved undo step like every other edit (Review lists it, Save writes it, Undo after Save
gives back every byte), and the preview dialog shows what changes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from curator.core.document.values import DELETE
from curator.core.folder import review
from curator.core.folder.fields import FieldEdit, Op
from curator.ui.fieldedit import FieldDialog
from curator.ui.mainwindow.actions import Action
from curator.ui.model import COLUMNS
from tests.ui.conftest import open_folder, wait_saved

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


def test_any_field_is_an_unsaved_edit_saved_by_save_and_undone_after_it(qtbot, window, sample):
    """Edit Field… of a key the list does not keep: pending (nothing written), listed in Review,
    written by Save over only its lines; Undo after Save is pending again, and Save gives back
    every byte (the 758-files-on-one-Enter defect: nothing is written at once)."""
    before = {p: (sample / p).read_bytes() for p in (FIRST, SECOND)}
    open_folder(qtbot, window, sample)
    rows = select_paths(window, FIRST, SECOND)
    window.prompts.field = ("provider.name", FieldEdit(Op.REPLACE, pattern=r"^(.*)$", replacement=r"\1 (checked)"))
    window.action_map[Action.EDIT_FIELD].trigger()
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10000)
    kind, keys, count, shown = window.prompts.asked[-1]
    assert kind == "field" and count == 2 and {"provider.name", "topics", "title"} <= set(keys)
    assert shown == {FIRST: "Microsoft", SECOND: "Microsoft"}
    assert window.undo_stack.undoText() == "Edit provider.name of 2 articles"
    assert all((sample / p).read_bytes() == before[p] for p in before)  # nothing written yet
    assert sorted(window.workspace.pending) == sorted(rows)
    listed = {a.path: [f.texts for f in a.fields] for a in review.pending(window.workspace)}
    assert listed == {p: [("provider.name", "Microsoft", "Microsoft (checked)")] for p in (FIRST, SECOND)}
    window.action_map[Action.SAVE].trigger()
    wait_saved(qtbot, window)
    for path, old in before.items():
        (line,) = changed_lines(old, (sample / path).read_bytes())
        assert (line[0].rstrip(), line[1].rstrip()) == (b"  name: Microsoft", b"  name: Microsoft (checked)")
        assert line[1].endswith(line[0][len(line[0].rstrip()) :])  # its line ending (CRLF in one) kept
    assert not window.workspace.pending
    assert window.workspace.summary(rows[0]).provider_name == "Microsoft (checked)"  # read back after the save
    window.undo_stack.undo()
    assert sorted(window.workspace.pending) == sorted(rows)  # the undo is an unsaved edit too
    window.action_map[Action.SAVE].trigger()
    wait_saved(qtbot, window)
    assert all((sample / p).read_bytes() == before[p] for p in before)
    assert window.workspace.summary(rows[0]).provider_name == "Microsoft"


def test_an_edit_field_of_a_file_changed_on_disk_since_is_asked_at_save(qtbot, window, sample):
    open_folder(qtbot, window, sample)
    select_paths(window, SECOND)
    window.prompts.field = ("provider.name", FieldEdit(Op.SET, value="Ours"))
    window.action_map[Action.EDIT_FIELD].trigger()
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10000)
    path = sample / SECOND
    path.write_bytes(path.read_bytes().replace(b"name: Microsoft", b"name: Theirs"))
    assert window.watcher.check_now()
    qtbot.waitUntil(lambda: SECOND in window.workspace.changed_on_disk, timeout=10000)
    window.action_map[Action.SAVE].trigger()  # the fake answers Skip: nothing is written over their change
    qtbot.waitUntil(lambda: "conflicts" in window.prompts.kinds(), timeout=10000)
    qtbot.waitUntil(lambda: not window.saver.running, timeout=10000)
    assert b"name: Theirs" in path.read_bytes() and b"Ours" not in path.read_bytes()


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


def test_the_dialog_opens_with_no_field_and_a_stray_enter_applies_nothing(qtbot):
    """Ctrl+A, Ctrl+Shift+E, Return once wrote `heat: ""` into 758 files: the dialog opened on a
    field with "Set to" and an empty value, and Apply was the default button."""
    values = {"a.md": 3, "b.md": DELETE}
    dialog = FieldDialog(["heat", "category"], lambda key: values, 2)
    qtbot.addWidget(dialog)
    dialog.show()
    apply = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.key.currentText() == "" and not apply.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == 0 and dialog.isVisible()  # nothing accepted
    dialog.key.setCurrentText("heat")  # a field, "Set to" and no value yet: still nothing to apply
    assert not apply.isEnabled() and "Type a value" in dialog.outcome.text()
    assert "choose Clear" in dialog.outcome.text()  # clearing is its own operation
    dialog.value.setText("5")
    assert apply.isEnabled()
    dialog.op.setCurrentIndex(list(Op).index(Op.CLEAR))  # clearing needs no value
    assert apply.isEnabled() and "1 article change" in dialog.outcome.text()


def test_the_dialogs_preview_refuses_what_apply_refuses_and_says_why(qtbot, window, sample):
    """QA of issue 29 (C): Set quality = "high" previewed "2 articles change", then Apply
    refused. The real dialog, with the window's check: the preview is Apply's own planning."""
    open_folder(qtbot, window, sample)
    rows = select_paths(window, FIRST, SECOND)
    seen: list[dict] = []

    def state(dialog: FieldDialog) -> dict:
        tree, apply = dialog.preview, dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        items = [tuple(tree.topLevelItem(i).text(c) for c in range(3)) for i in range(tree.topLevelItemCount())]
        return {"outcome": dialog.outcome.text(), "rows": items, "apply": apply.isEnabled()}

    def real_dialog(keys, values, count, key="", check=None):
        dialog = FieldDialog(keys, values, count, key, window, check)
        qtbot.addWidget(dialog)
        dialog.key.setCurrentText("quality")
        qtbot.keyClicks(dialog.value, "high")
        seen.append(state(dialog))
        dialog.key.setCurrentText("heat")  # a field of the table of fields the list does not keep
        seen.append(state(dialog))
        dialog.key.setCurrentText("quality")
        dialog.value.setText("80")
        seen.append(state(dialog))
        return dialog.chosen()

    window.prompts.edit_field = real_dialog
    window.action_map[Action.EDIT_FIELD].trigger()
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10000)
    high, heat, eighty = seen
    why = 'quality must be a whole number, not "high"'
    assert high["outcome"] == f"0 articles change; 2 cannot take it: {why}."
    assert not high["apply"]  # nothing valid would change
    assert sorted(high["rows"]) == [(FIRST, f"⚠ {why}", "not changed"), (SECOND, f"⚠ {why}", "not changed")]
    assert heat["outcome"] == '0 articles change; 2 cannot take it: heat must be a whole number, not "high".'
    assert not heat["apply"]
    assert eighty["apply"] and eighty["outcome"].startswith("2 articles change")
    assert [window.workspace.current(r, "quality") for r in rows] == [80, 80]  # what the preview said
    assert "failures" not in window.prompts.kinds()
