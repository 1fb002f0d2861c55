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


def test_a_failure_handler_gets_the_error_while_its_moment_lasts(qtbot):
    """`failed=callable` shows the error the caller's way; like `on_done`, only while `still`."""
    got, handled, reported = [], [], []
    tasks = Tasks(1, "test", report=lambda what, exc: reported.append(what))
    still = [True]
    tasks.run(lambda p: 1 / 0, got.append, failed=lambda e: handled.append(type(e)), still=lambda: still[0])
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    still[0] = False
    tasks.run(lambda p: 1 / 0, got.append, failed=lambda e: handled.append("late"), still=lambda: still[0])
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert got == [] and handled == [ZeroDivisionError] and reported == []


def test_a_reported_failure_is_told_even_when_its_moment_has_passed(qtbot):
    reported = []
    tasks = Tasks(1, "test", report=lambda what, exc: reported.append((what, type(exc))))
    tasks.run(lambda p: 1 / 0, lambda r: None, failed="Dividing failed", still=lambda: False)
    tasks.run(lambda p: [][1], lambda r: None)  # no `failed=`: never lost either
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert reported == [("Dividing failed", ZeroDivisionError), ("Working in the background failed", IndexError)]


def test_always_runs_first_and_dropped_when_done_does_not(qtbot):
    calls: list[str] = []
    tasks = Tasks(1, "test", report=lambda what, exc: calls.append("reported"))
    for name, func, still in (("ok", lambda p: 1, True), ("stale", lambda p: 2, False), ("bad", lambda p: 1 / 0, True)):
        tasks.run(
            func, lambda r, n=name: calls.append(f"{n} done {r}"), failed="x", still=lambda s=still: s,
            always=lambda n=name: calls.append(f"{n} always"), dropped=lambda n=name: calls.append(f"{n} dropped"),
        )  # fmt: skip
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert calls == [
        "ok always", "ok done 1",
        "stale always", "stale dropped",
        "bad always", "reported", "bad dropped",
    ]  # fmt: skip


def test_progress_of_a_task_whose_moment_has_passed_is_dropped(qtbot):
    still, seen = [True], []
    tasks = Tasks(1, "test")

    def work(progress):
        progress.report(1)

    tasks.run(work, None, seen.append, still=lambda: still[0])
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    still[0] = False
    tasks.run(work, None, seen.append, still=lambda: still[0])
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert seen == [1]


def test_a_paced_task_waits_for_the_gui_thread_to_take_its_reports(qtbot):
    """With `ahead=1` a task's next report waits until the GUI thread has taken the one before
    (a warm open's batches are handled one a turn, not queued up and taken in one long turn);
    without it the task runs ahead. Reports the GUI thread drops count as taken too."""
    import threading
    import time

    def order(ahead: int, wanted: bool = True) -> list[tuple[str, int]]:
        events, lock = [], threading.Lock()

        def work(progress):
            for i in range(8):
                progress.report(i)
                with lock:
                    events.append(("sent", i))

        def took(i):
            time.sleep(0.01)  # (a GUI thread busy with each)
            with lock:
                events.append(("took", i))

        tasks = Tasks(1, "test")
        tasks.run(work, None, took, ahead=ahead, still=lambda: wanted)
        qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
        return events

    paced = order(1)
    assert all(paced.index(("took", i - 1)) < paced.index(("sent", i)) for i in range(1, 8))
    free = order(0)
    assert free.index(("sent", 7)) < free.index(("took", 1))  # (what pacing tells apart)
    started = time.monotonic()
    assert order(1, wanted=False) == [("sent", i) for i in range(8)]  # dropped: taken all the same
    assert time.monotonic() - started < 2  # (never waited out PACE_WAIT_S)
