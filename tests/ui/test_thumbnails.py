"""Thumbnails from a real HTTP server on 127.0.0.1: real JPEGs, and broken, slow, huge and non-image answers."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QSize

from curator.ui import thumbnails
from curator.ui.tasks import Tasks
from curator.ui.thumbnails import Thumbnails
from tests.conftest import ROOT, SAMPLE


def png_header_bomb(width: int = 40000, height: int = 40000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def png(width: int, height: int) -> bytes:
    """A real, small, solid PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\x20\x60\xa0" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def server():
    jpeg = (SAMPLE / "assets/images/organizations/microsoft.com-400x400.jpg").read_bytes()
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            hits.append(self.path)
            if self.path.startswith("/logo.jpg"):
                self._send(200, "image/jpeg", jpeg)
            elif self.path.startswith("/slow.jpg"):
                time.sleep(2)
                self._send(200, "image/jpeg", jpeg)
            elif self.path == "/huge.jpg":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(200 * 1024 * 1024))
                self.end_headers()
            elif self.path == "/page.html":
                self._send(200, "text/html", b"<html><body>not an image</body></html>")
            elif self.path == "/small.png":
                self._send(200, "image/png", png(40, 30))
            elif self.path == "/bomb.png":
                self._send(200, "image/png", png_header_bomb())
            else:
                self._send(404, "text/plain", b"missing")

        def _send(self, code: int, kind: str, body: bytes):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the slow case): that is the point

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # clients that time out on purpose are not errors here

    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def thumbs(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(thumbnails, "TIMEOUT", (1, 1))
    tasks = Tasks(4)
    made = []

    def make(network=True, **kw):
        t = Thumbnails(tasks, QSize(128, 96), cache_dir=tmp_path / "cache", network=network, **kw)
        made.append(t)
        return t

    yield make
    tasks.wait(10000)


def fetch(qtbot, t: Thumbnails, url: str):
    assert t.get(url) is None
    with qtbot.waitSignal(t.ready, timeout=10000, check_params_cb=lambda u: u == url):
        pass
    return t.get(url)


def test_real_jpeg_is_scaled_and_cached_on_disk(qtbot, server, thumbs):
    base, hits = server
    t = thumbs()
    pixmap = fetch(qtbot, t, f"{base}/logo.jpg?1")
    assert pixmap is not None and pixmap.width() == 128 and pixmap.height() == 96
    assert t.cache_path(f"{base}/logo.jpg?1").exists()
    offline = thumbs(network=False)
    assert fetch(qtbot, offline, f"{base}/logo.jpg?1") is not None  # from the disk cache
    assert hits.count("/logo.jpg?1") == 1


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.jpg", "download failed"),
        ("/slow.jpg", "download failed"),
        ("/huge.jpg", "limit"),
        ("/page.html", "not a readable image"),
        pytest.param(
            "/bomb.png", "not a readable image", marks=pytest.mark.qt_log_ignore("exceeds the current allocation limit")
        ),
    ],
)
def test_bad_answers_become_errors_not_crashes(qtbot, server, thumbs, path, reason):
    base, _ = server
    t = thumbs()
    assert fetch(qtbot, t, base + path) is None
    assert reason in t.error(base + path)


def test_fallback_to_the_provider_logo(qtbot, server, thumbs):
    base, _ = server
    t = thumbs()
    fetch(qtbot, t, f"{base}/missing.jpg")
    assert t.get(f"{base}/missing.jpg", fallback=f"{base}/logo.jpg?2") is None
    with qtbot.waitSignal(t.ready, timeout=10000):
        pass
    assert t.get(f"{base}/missing.jpg", fallback=f"{base}/logo.jpg?2") is not None


def test_only_http_and_local_site_files(qtbot, thumbs):
    logo = SAMPLE / "assets/images/organizations/microsoft.com-50x50.jpg"
    t = thumbs(resolve_local=lambda url: logo if url == "/local.jpg" else None)
    assert fetch(qtbot, t, "file:///etc/passwd") is None
    assert "not an http(s) address" in t.error("file:///etc/passwd")
    assert fetch(qtbot, t, "/local.jpg") is not None


def test_scrolled_away_requests_are_dropped(qtbot, server, thumbs):
    base, hits = server
    t = thumbs()
    slow = [f"{base}/slow.jpg?{i}" for i in range(4)]
    for url in slow:  # keep every worker busy
        t.get(url)
    assert t.get(f"{base}/logo.jpg?3") is None  # queued behind them
    t.set_wanted(slow)  # ...and scrolled out of view before a worker is free
    t.tasks.wait(10000)
    qtbot.wait(50)
    assert "/logo.jpg?3" not in hits
    assert t.error(f"{base}/logo.jpg?3") is None  # not failed: asked again when back in view


@pytest.fixture(scope="module")
def trickler():
    """A server that answers two bytes a second: from the status line on, or after the headers."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            try:
                if self.path.startswith("/head"):
                    data = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n" + b"X-Slow: " + b"." * 100
                else:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 5000\r\n\r\n")
                    data = b"\xff" * 5000
                for byte in data:
                    if stop.wait(0.5):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            except OSError:
                pass  # the client hung up: that is the point

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass

    httpd = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    stop.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/head.jpg", "/body.jpg"])
def test_a_trickling_server_is_cut_off_at_the_deadline(qtbot, thumbs, trickler, monkeypatch, path):
    monkeypatch.setattr(thumbnails, "DOWNLOAD_SECONDS", 2.0)
    t = thumbs()
    started = time.monotonic()
    assert fetch(qtbot, t, trickler + path) is None
    assert time.monotonic() - started < 5
    assert "took over 2 s" in t.error(trickler + path)


def test_closing_never_waits_on_the_network(qtbot, thumbs, trickler, server):
    t = thumbs()  # the deadline stays 30 s
    for i in range(6):  # every worker busy on a trickle, two more queued
        t.get(f"{trickler}/body.jpg?{i}")
    qtbot.wait(300)
    started = time.monotonic()
    t.shutdown()
    assert t.tasks.wait(3000), "a worker still waits on the network"
    assert time.monotonic() - started < 3
    assert t.get(f"{server[0]}/logo.jpg?closed") is None
    qtbot.wait(200)
    assert "/logo.jpg?closed" not in server[1]  # nothing new is fetched after closing


def test_local_images_have_the_download_cap(qtbot, thumbs, tmp_path):
    big = tmp_path / "huge.jpg"
    with open(big, "wb") as f:
        f.truncate(thumbnails.MAX_DOWNLOAD + 1)  # sparse: large, costs no disk
    t = thumbs(resolve_local=lambda url: big if url == "/huge.jpg" else None)
    assert fetch(qtbot, t, "/huge.jpg") is None
    assert "limit" in t.error("/huge.jpg")


def test_a_small_logo_is_not_blown_up_beyond_twice_its_size(qtbot, server, thumbs):
    base, _ = server
    pixmap = fetch(qtbot, thumbs(), f"{base}/small.png")
    assert (pixmap.width(), pixmap.height()) == (80, 60)  # whole, at most 2x, not cropped to 128x96
    big = fetch(qtbot, thumbs(), f"{base}/logo.jpg?3")
    assert (big.width(), big.height()) == (128, 96)  # large images still fill the thumbnail


def test_a_thumbnail_tells_the_row_where_it_is_shown_without_mapping_every_row(
    qtbot, server, thumbs, sample, monkeypatch
):
    """A card asks for its image where it is painted; when the image comes, the list is told at
    that place, or, after a search moved the row, at its new place once it was painted there.
    No map of every row's position is made for it (at a million rows: ~40 ms a search)."""
    from PySide6.QtWidgets import QTableView

    from curator.core.folder import library
    from curator.core.folder.listing import Positions
    from curator.core.folder.workspace import Workspace
    from curator.ui import model as model_module
    from curator.ui.model import ArticleModel, Role

    base, _ = server
    workspace = Workspace(sample)
    paths = sorted(str(p.relative_to(sample)) for p in (sample / "_news").iterdir())
    workspace.add_entries([library.load_one(str(sample), p) for p in paths])
    for n, s in enumerate(workspace.table.summaries):  # every card's image on the server, no logos
        s.image, s.provider_logo = f"{base}/logo.jpg?row{n}", ""
    model = ArticleModel(workspace, thumbs())
    model.refresh()
    view = QTableView()
    view.setModel(model)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)

    last = model.order[-1]
    asked_at = len(model.order) - 1
    url = workspace.table.summaries[last].image
    assert model.index(asked_at, 0).data(Role.CARD).thumbnail is None  # painted (asked) at the end
    model.set_query(workspace.table.summaries[last].title)  # ...and a search moves it to the top
    moved_to = model.order.index(last)
    assert moved_to != asked_at
    assert model.index(moved_to, 0).data(Role.CARD).thumbnail is None  # painted at its new place
    made = []
    monkeypatch.setattr(model_module, "Positions", lambda *a, **k: made.append(1) or Positions(*a, **k))
    told = []
    model.dataChanged.connect(lambda top, bottom, roles: told.append(top.row()))
    with qtbot.waitSignal(model.thumbnails.ready, timeout=10000, check_params_cb=lambda u: u == url):
        pass  # (the model heard it first: connected first)
    assert told == [moved_to]
    assert not made  # found where it was painted, not by mapping every row
    assert model.index(moved_to, 0).data(Role.CARD).thumbnail is not None


def test_memory_keeps_the_last_painted_and_reads_the_rest_again(qtbot, thumbs, tmp_path):
    """Only `memory_items` pixmaps stay (the least recently asked for go first); one dropped
    comes back from the disk cache, not the source."""
    image = tmp_path / "a.png"
    image.write_bytes(png(40, 30))
    read: list[str] = []
    t = thumbs(resolve_local=lambda url: read.append(url) or image, memory_items=3)
    assert t.memory_items == 3
    for name in ("/1", "/2", "/3"):
        assert fetch(qtbot, t, name) is not None
    assert t.get("/1") is not None  # asked for again: the most recent now
    assert fetch(qtbot, t, "/4") is not None  # "/2" goes
    assert t.get("/1") is not None and t.get("/3") is not None and t.get("/4") is not None
    assert fetch(qtbot, t, "/2") is not None  # read again ...
    assert read == ["/1", "/2", "/3", "/4"]  # ... from the disk cache


def test_the_network_is_imported_for_the_first_download_only() -> None:
    """Browsing a folder whose images are its own files never imports requests (17-21 MB)."""
    script = (
        "import sys; from pathlib import Path; from PySide6.QtCore import QSize; "
        "from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from curator.ui import thumbnails; from curator.ui.tasks import Tasks; "
        "tasks = Tasks(2); t = thumbnails.Thumbnails(tasks, QSize(64, 48), Path(sys.argv[1]), network=False, "
        "resolve_local=lambda url: Path(sys.argv[2])); t.get('/logo.jpg'); tasks.wait(10000); app.processEvents(); "
        "print(t.get('/logo.jpg') is not None, 'requests' in sys.modules, 'urllib3' in sys.modules); "
        "thumbnails.network(); print('requests' in sys.modules)"
    )
    jpeg = SAMPLE / "assets/images/organizations/microsoft.com-400x400.jpg"
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", script, cache, str(jpeg)], capture_output=True, text=True,
                             cwd=ROOT, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "False", "True"]
