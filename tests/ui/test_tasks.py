"""The one background helper checks what its callers repeated: with `failed=`, an error is
reported for them and their callback gets the result only; with `still=`, a result whose moment
has passed (another folder opened) is dropped."""

from __future__ import annotations

from curator.ui.tasks import Tasks


def test_failed_reports_the_error_and_done_gets_only_results(qtbot):
    reported, got = [], []
    tasks = Tasks(1, "test", report=lambda what, exc: reported.append((what, type(exc))))
    tasks.run(lambda p: 41 + 1, got.append, failed="Adding failed")
    tasks.run(lambda p: 1 / 0, got.append, failed="Dividing failed")
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert got == [42] and reported == [("Dividing failed", ZeroDivisionError)]


def test_still_drops_a_result_whose_moment_has_passed(qtbot):
    open_folder = ["a"]
    got = []
    tasks = Tasks(1, "test", report=lambda what, exc: None)
    mine = open_folder[0]
    tasks.run(lambda p: "values of a", got.append, failed="x", still=lambda: open_folder[0] == mine)
    open_folder[0] = "b"  # another folder opened before the result came back
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert got == []
