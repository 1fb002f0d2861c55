from curator.ui.throttle import Throttle


def test_calls_once_after_the_last_call(qtbot):
    calls = []
    throttle = Throttle(calls.append, 50)
    for n in range(5):
        throttle(n)
    assert calls == [] and throttle.pending
    qtbot.waitUntil(lambda: calls == [4], timeout=1000)
    qtbot.wait(80)
    assert calls == [4] and not throttle.pending


def test_flush_runs_now_and_cancel_drops(qtbot):
    calls = []
    throttle = Throttle(lambda: calls.append("x"), 1000)
    throttle.flush()
    assert calls == []  # nothing pending: nothing to run
    throttle()
    throttle.flush()
    assert calls == ["x"] and not throttle.pending
    throttle()
    throttle.cancel()
    qtbot.wait(30)
    assert calls == ["x"]
