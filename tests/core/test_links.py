"""Link checks against a real HTTP server on 127.0.0.1 giving each kind of answer (never the internet)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from curator.core.folder import links
from curator.core.folder.links import Cache, check, check_all
from tests.conftest import ROOT


class Answers(BaseHTTPRequestHandler):
    """One kind of answer per path; `seen` counts requests, `active` the requests at once."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str]] = []
    active = 0
    most = 0
    lock = threading.Lock()
    stop = threading.Event()

    def log_message(self, *args) -> None:
        pass

    def _answer(self, code: int, location: str = "", body: bytes = b"") -> None:
        self._done()  # before the client can have the answer (and send its next request)
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET" and body:
            self.wfile.write(body)

    def _route(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.seen.append((self.command, self.path))
            cls.active += 1
            cls.most = max(cls.most, cls.active)
        self.counted = True
        try:
            self._dispatch()
        finally:
            self._done()

    def _done(self) -> None:
        """The request no longer counts as running (once): it is answered or given up."""
        cls = type(self)
        with cls.lock:
            if self.counted:
                self.counted = False
                cls.active -= 1

    def _dispatch(self) -> None:
        path = self.path.split("?")[0]
        if path == "/ok":
            self._answer(200, body=b"fine")
        elif path == "/busy-ok":
            time.sleep(0.3)
            self._answer(200)
        elif path.startswith("/chain"):
            n = int(path[len("/chain") :] or 0)
            self._answer(301, "/ok" if n >= 2 else f"/chain{n + 1}")
        elif path == "/temporary":
            self._answer(302, "/ok")
        elif path == "/loop-a":
            self._answer(301, "/loop-b")
        elif path == "/loop-b":
            self._answer(308, "/loop-a")
        elif path.startswith("/many"):
            n = int(path[len("/many") :] or 0)
            self._answer(301, f"/many{n + 1}")
        elif path == "/gone":
            self._answer(410)
        elif path == "/no-head":
            self._answer(405 if self.command == "HEAD" else 200)
        elif path == "/busy":
            self._answer(503)
        elif path == "/slow":
            type(self).stop.wait(40)  # a 40 s delay before any answer
            self._answer(200)
        elif path == "/trickle":
            for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 200:
                if type(self).stop.wait(0.2):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
        else:
            self._answer(404)

    do_HEAD = do_GET = _route


@pytest.fixture
def server() -> Iterator[str]:
    Answers.seen, Answers.active, Answers.most = [], 0, 0
    Answers.stop = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Answers.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_ok(server: str):
    assert (check(server + "/ok").status, check(server + "/ok").code) == ("ok", 200)


def test_a_chain_of_permanent_redirects_is_moved_and_says_where(server: str):
    found = check(server + "/chain")
    assert (found.status, found.code, found.final_url) == ("moved", 200, server + "/ok")


def test_a_temporary_redirect_to_a_working_page_is_ok(server: str):
    assert check(server + "/temporary").status == "ok"


def test_loops_and_more_than_five_redirects_are_errors_never_dead(server: str):
    loop = check(server + "/loop-a")
    assert (loop.status, loop.detail) == ("error", "a redirect loop")
    many = check(server + "/many")
    assert many.status == "error" and "more than 5 redirects" in many.detail
    assert len([p for _, p in Answers.seen if p.startswith("/many")]) == 6  # the first and five redirects


def test_404_and_410_are_dead(server: str):
    assert (check(server + "/missing").status, check(server + "/missing").code) == ("dead", 404)
    assert (check(server + "/gone").status, check(server + "/gone").code) == ("dead", 410)


def test_head_refused_then_get(server: str):
    found = check(server + "/no-head")
    assert (found.status, found.code) == ("ok", 200)
    assert [m for m, p in Answers.seen if p == "/no-head"] == ["HEAD", "GET"]


def test_5xx_is_an_error(server: str):
    assert (check(server + "/busy").status, check(server + "/busy").code) == ("error", 503)


def test_a_40_s_delay_and_a_trickle_end_at_the_deadline(server: str):
    for path in ("/slow", "/trickle"):
        start = time.monotonic()
        found = check(server + path, seconds=1.5)
        took = time.monotonic() - start
        assert found.status == "error" and "no answer within 1.5 s" in found.detail, found
        assert took < 3, f"{path} took {took:.1f} s"


def test_a_closed_port_is_an_error_and_an_unresolvable_name_is_dead():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    refused = check(f"http://127.0.0.1:{port}/x")
    assert (refused.status, refused.detail) == ("error", "connection refused")
    assert check("http://no-such-host.invalid/x").status == "dead"


def test_at_most_four_at_once_to_one_host(server: str):
    urls = [server + "/busy-ok?" + str(i) for i in range(12)]
    found = check_all(urls, overall=16)
    assert {c.status for c in found.values()} == {"ok"}
    assert Answers.most <= links.PER_HOST
    assert Answers.most >= 2  # they did run side by side


def test_results_are_cached_for_24_hours_and_recheck_asks_again(server: str, tmp_path: Path):
    cache = Cache(tmp_path / "links.json")
    urls = [server + "/ok", server + "/gone"]
    first = check_all(urls, cache)
    asked = len(Answers.seen)
    again = check_all(urls, Cache(tmp_path / "links.json"))
    assert len(Answers.seen) == asked and again == first
    stale = Cache(tmp_path / "links.json", fresh=0)
    time.sleep(0.01)
    check_all(urls, stale)
    assert len(Answers.seen) > asked
    now = len(Answers.seen)
    check_all(urls, Cache(tmp_path / "links.json"), recheck=True)
    assert len(Answers.seen) > now


def test_cancel_leaves_urls_not_started(server: str):
    seen: list[int] = []
    stop = threading.Event()

    def progress(done, total, result):
        seen.append(done)
        stop.set()

    found = check_all([server + f"/ok?{i}" for i in range(40)], progress=progress, cancelled=stop.is_set, overall=1)
    assert 1 <= len(found) < 40


def test_an_offline_computer_gets_no_dead_links_from_names_that_do_not_resolve(server: str, monkeypatch):
    # No name resolves, the control name neither (as on a train): no verdict, and no day of "dead" in the cache.
    monkeypatch.setattr(links, "CONTROL", "control-name.invalid")
    found = check_all(["http://no-such-host.invalid/x", server + "/ok"])
    gone = found["http://no-such-host.invalid/x"]
    assert gone.status == "error" and "is this computer offline?" in gone.detail, gone
    assert found[server + "/ok"].status == "ok"  # an address needs no resolver


def test_a_name_that_does_not_resolve_is_dead_when_the_resolver_works(monkeypatch):
    monkeypatch.setattr(links, "CONTROL", "localhost")  # resolves from the hosts file, with or without a network
    found = check_all(["http://no-such-host.invalid/x"])["http://no-such-host.invalid/x"]
    assert found.status == "dead" and "does not resolve" in found.detail, found


def test_http_client_and_ssl_are_imported_by_the_first_check_only() -> None:
    """A window that checks no link does without them (with the thumbnails' requests, lazy too)."""
    script = "import sys, curator.core.folder.links; print(any(m in sys.modules for m in ('http.client', 'ssl')))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
