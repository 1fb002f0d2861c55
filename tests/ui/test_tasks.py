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


def test_a_worker_waits_for_the_gui_threads_turn_to_end(qtbot, monkeypatch):
    """A result or report the helper delivers is a turn of the GUI thread (gently.gui_turn): a
    worker's wait_turn, called while it runs, returns as it ends, not while it goes on."""
    import threading
    import time

    from curator.core import gently

    monkeypatch.setattr(gently, "TURN_WAIT_S", 2.0)
    monkeypatch.setattr(gently, "_free_until", 0.0)
    tasks, others = Tasks(1, "test"), Tasks(1, "other")
    turn_ended, waited = [], []
    in_turn = threading.Event()

    def long_turn(result) -> None:  # (the GUI thread, busy for 0.3 s delivering a result)
        in_turn.set()
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass
        turn_ended.append(time.monotonic())

    def work(progress) -> None:
        in_turn.wait(5)
        time.sleep(0.05)
        gently.wait_turn()
        waited.append(time.monotonic())

    others.run(work)
    tasks.run(lambda p: None, long_turn)
    qtbot.waitUntil(lambda: bool(waited), timeout=5000)
    assert turn_ended and waited[0] >= turn_ended[0]
    assert not gently.in_turn()  # (the turn over)


def test_a_turn_longer_than_turn_wait_is_shared_for_a_while(monkeypatch):
    """A turn that does not end (a loop calling processEvents, a modal wait) holds a worker up
    TURN_WAIT_S once; then workers go on for TURN_FREE_S."""
    import time

    from curator.core import gently

    monkeypatch.setattr(gently, "TURN_WAIT_S", 0.1)
    monkeypatch.setattr(gently, "TURN_FREE_S", 30.0)
    monkeypatch.setattr(gently, "_free_until", 0.0)
    with gently.gui_turn():
        start = time.monotonic()
        gently.wait_turn()
        first = time.monotonic() - start
        start = time.monotonic()
        for _ in range(100):
            gently.wait_turn()
        after = time.monotonic() - start
    assert first >= 0.1 and after < 0.05


def test_waiting_for_tasks_lets_their_workers_go_on(qtbot, monkeypatch):
    """Tasks.wait blocks the GUI thread in a turn: its workers do not wait for that turn."""
    import time

    from curator.core import gently

    monkeypatch.setattr(gently, "TURN_WAIT_S", 5.0)
    monkeypatch.setattr(gently, "_free_until", 0.0)
    tasks = Tasks(1, "test")
    tasks.run(lambda p: [gently.wait_turn() for _ in range(3)])
    with gently.gui_turn():  # (as in a result's delivery)
        start = time.monotonic()
        assert tasks.wait(10_000)
        assert time.monotonic() - start < 2.0
        assert gently.in_turn()  # (the turn goes on after the wait)
