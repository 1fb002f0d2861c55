"""Thumbnails: fetched, decoded and scaled off the GUI thread, cached on disk and in memory.

Workers produce QImage (allowed off the GUI thread); QPixmap is made only on the GUI thread.
Only what the views ask for is fetched, and a request that scrolled out of view before a
worker reached it is dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

from .. import __version__
from ..core.folder.index import default_cache_dir
from .tasks import Progress, Tasks

USER_AGENT = f"Curator/{__version__} (desktop editorial curation; python-requests)"
MAX_DOWNLOAD = 15 * 1024 * 1024
TIMEOUT = (4, 10)  # connect, read
#: A whole download, headers included, ends after this long however slowly the server sends.
DOWNLOAD_SECONDS = 30.0
ALLOCATION_LIMIT_MB = 256


class ImageError(Exception):
    pass


_local = threading.local()
_inflight_lock = threading.Lock()
_inflight: dict[int, Any] = {}  # worker thread -> the (urllib3) connection of its download


class _Tracked:
    """A connection that registers itself for the thread sending a request on it, so a
    watchdog (or closing the window) can shut its socket down: a blocked read returns at
    once, however slowly a server trickles its answer."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        with _inflight_lock:
            _inflight[threading.get_ident()] = self
        super().request(*args, **kwargs)  # type: ignore[misc]


_network_lock = threading.Lock()
_network: SimpleNamespace | None = None


def network() -> SimpleNamespace:
    """requests, urllib3 and the connection pools whose connections are _Tracked, imported on
    the first download: requests with urllib3, http.client and ssl took 17-21 MB of the
    window's memory, which a folder whose images are the site's own files (or with images
    from the web turned off) never needs."""
    global _network
    with _network_lock:
        if _network is None:
            import requests
            import urllib3

            class TrackedHTTP(_Tracked, urllib3.connection.HTTPConnection):
                pass

            class TrackedHTTPS(_Tracked, urllib3.connection.HTTPSConnection):
                pass

            class HTTPPool(urllib3.HTTPConnectionPool):
                ConnectionCls = TrackedHTTP

            class HTTPSPool(urllib3.HTTPSConnectionPool):
                ConnectionCls = TrackedHTTPS

            failures = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)
            pools = {"http": HTTPPool, "https": HTTPSPool}
            _network = SimpleNamespace(requests=requests, pools=pools, failures=failures)
        return _network


def _abort(ident: int | None = None) -> None:
    """Shut down the socket of one thread's download, or of every download."""
    with _inflight_lock:
        connections = list(_inflight.values()) if ident is None else [_inflight.get(ident)]
    for conn in connections:
        sock = getattr(conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def abort_downloads() -> None:
    """End every download now (closing the window never waits on the network)."""
    _abort()


def _session() -> Any:
    """One requests.Session per worker thread (requests sessions are not thread-safe)."""
    session = getattr(_local, "session", None)
    if session is None:
        net = network()
        session = _local.session = net.requests.Session()
        session.headers["User-Agent"] = USER_AGENT  # proxies come from the environment as usual
        for adapter in session.adapters.values():
            adapter.poolmanager.pool_classes_by_scheme = dict(net.pools)
    return session


def download(url: str, limit: int = MAX_DOWNLOAD) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ImageError(f"not an http(s) address: {url[:60]}")
    failures = network().failures
    me = threading.get_ident()
    started = time.monotonic()
    watchdog = threading.Timer(DOWNLOAD_SECONDS, _abort, (me,))
    watchdog.daemon = True
    watchdog.start()
    try:
        with _session().get(url, timeout=TIMEOUT, stream=True) as response:
            response.raise_for_status()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise ImageError(f"image is {int(declared):,} bytes, over the {limit:,}-byte limit")
            chunks, size = [], 0
            while chunk := response.raw.read1(65536, decode_content=True):  # what has arrived, not 64 KB
                size += len(chunk)
                if size > limit:
                    raise ImageError(f"image is over the {limit:,}-byte limit")
                chunks.append(chunk)
    except failures as exc:
        if time.monotonic() - started >= DOWNLOAD_SECONDS:
            raise ImageError(f"download took over {DOWNLOAD_SECONDS:g} s") from None
        raise ImageError(f"download failed: {exc.__class__.__name__}") from None
    finally:
        watchdog.cancel()
        with _inflight_lock:
            _inflight.pop(me, None)
    return b"".join(chunks)


def read_local(path: Path, limit: int = MAX_DOWNLOAD) -> bytes:
    """A site file, with the same cap as a download (a 500 MB file once took 1 GB of memory)."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ImageError(f"image is over the {limit:,}-byte limit")
    return data


#: How much a small image may be enlarged to fill a cropped thumbnail.
MAX_UPSCALE = 2


def decode(data: bytes, size: QSize, crop: bool) -> QImage:
    """Bytes to a QImage no larger than `size`, with a cap on what the decoder may allocate."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QBuffer.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and not full.isEmpty():
        mode = Qt.AspectRatioMode.KeepAspectRatioByExpanding if crop else Qt.AspectRatioMode.KeepAspectRatio
        target = full.scaled(size, mode)
        if target.width() < full.width():  # let the decoder shrink while decoding (JPEG does it cheaply)
            reader.setScaledSize(target)
    image = reader.read()
    if image.isNull():
        raise ImageError(f"not a readable image: {reader.errorString()}")
    if crop and max(size.width() / image.width(), size.height() / image.height()) > MAX_UPSCALE:
        # a small logo is not blown up to fill the thumbnail: at most twice its size, whole,
        # and the card centres it on a neutral background
        fit = image.size().scaled(size, Qt.AspectRatioMode.KeepAspectRatio)
        if fit.width() > image.width() * MAX_UPSCALE:
            fit = image.size() * MAX_UPSCALE
        return image.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    if crop:
        image = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatioByExpanding, Qt.TransformationMode.SmoothTransformation
        )
        x = max(0, (image.width() - size.width()) // 2)
        y = max(0, (image.height() - size.height()) // 2)
        image = image.copy(x, y, min(size.width(), image.width()), min(size.height(), image.height()))
    elif image.width() > size.width() or image.height() > size.height():
        image = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image


#: pixmaps a Thumbnails keeps in memory, least recently painted dropped first (read again from
#: the disk cache when scrolled back to): a tall screen of rows in the list view, several of
#: cards. 400 list thumbnails (128x96) held 20 MB of a 100k-article folder's browsing peak.
MEMORY_ITEMS = 160


class Thumbnails(QObject):
    """Images by URL at one size: `get()` answers from memory or schedules a fetch."""

    ready = Signal(str)

    def __init__(
        self,
        tasks: Tasks,
        size: QSize,
        cache_dir: Path | None = None,
        resolve_local: Callable[[str], Path | None] | None = None,
        crop: bool = True,
        memory_items: int = MEMORY_ITEMS,
        network: bool = True,
    ):
        super().__init__()
        self.tasks = tasks
        self.size = size
        self.crop = crop
        base = cache_dir or default_cache_dir() / "thumbnails"
        self.cache_dir = base / f"{size.width()}x{size.height()}{'c2' if crop else ''}"  # c2: small ones not blown up
        self.resolve_local = resolve_local or (lambda url: None)
        self.network = network
        self.memory_items = memory_items
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: dict[str, str] = {}
        self._pending: set[str] = set()
        self._wanted: set[str] | None = None  # None: everything asked for is wanted
        self.closed = False

    def shutdown(self) -> None:
        """Closing: fetch nothing more, drop what is queued, end the downloads that are running."""
        self.closed = True
        self.tasks.clear()
        abort_downloads()

    def cache_path(self, url: str) -> Path:
        return self.cache_dir / (hashlib.sha1(url.encode("utf-8")).hexdigest() + ".png")

    def get(self, url: str, fallback: str = "") -> QPixmap | None:
        """The pixmap if ready; otherwise None and a fetch is scheduled (ready(url) follows)."""
        if not url or self.closed:
            return None
        pixmap = self._pixmaps.get(url)
        if pixmap is not None:
            self._pixmaps.move_to_end(url)
            return pixmap
        if url in self._failed:
            return self.get(fallback) if fallback and fallback != url else None
        if url not in self._pending:
            self._pending.add(url)
            if self._wanted is not None:
                self._wanted.add(url)
            self.tasks.run(
                lambda progress, u=url: self._fetch(u, progress),
                lambda image, u=url: self._done(u, image),
                failed=lambda error, u=url: self._fetch_failed(u, error),
            )
        return None

    def error(self, url: str) -> str | None:
        return self._failed.get(url)

    def set_wanted(self, urls: Iterable[str]) -> None:
        """Only these are still needed: queued fetches of others are dropped when reached."""
        self._wanted = set(urls)

    def _fetch(self, url: str, progress: Progress) -> QImage | None:
        wanted = self._wanted
        if wanted is not None and url not in wanted:
            return None  # scrolled away before a worker got to it
        cached = self.cache_path(url)
        if cached.exists():
            image = QImage(str(cached))
            if not image.isNull():
                return image
        local = self.resolve_local(url)
        if local is not None and local.is_file():
            data = read_local(local)
        elif self.network:
            data = download(url)
        else:
            raise ImageError("offline and not in the cache")
        image = decode(data, self.size, self.crop)
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp.png")
            if image.save(str(tmp), "PNG"):
                tmp.replace(cached)
        except OSError:
            pass  # a cache that cannot be written only costs a later download
        return image

    def _done(self, url: str, image: QImage | None) -> None:
        self._pending.discard(url)
        if image is None:
            return  # dropped: asked again when it comes back into view
        self._pixmaps[url] = QPixmap.fromImage(image)
        while len(self._pixmaps) > self.memory_items:
            self._pixmaps.popitem(last=False)
        self.ready.emit(url)

    def _fetch_failed(self, url: str, error: BaseException) -> None:
        """Remembered: the image is not fetched again (its error is shown)."""
        self._pending.discard(url)
        self._failed[url] = str(error) if isinstance(error, ImageError) else f"{error.__class__.__name__}: {error}"
        self.ready.emit(url)


def window_thumbnails(
    tasks: Tasks, cache_dir: Path, network: bool, resolve_local: Callable[[str], Path | None] | None = None
) -> tuple[Thumbnails, Thumbnails]:
    """The window's two image sizes: list thumbnails (cropped) and the preview's large image;
    `resolve_local(url)` finds an image in the open site's checkout (Session.resolve_local)."""
    folder = cache_dir / "thumbnails"
    small = Thumbnails(tasks, QSize(128, 96), folder, network=network, resolve_local=resolve_local)
    large = Thumbnails(
        tasks, QSize(560, 320), folder, crop=False, memory_items=24, network=network, resolve_local=resolve_local
    )
    return small, large
