"""Thumbnails: fetched, decoded and scaled off the GUI thread, cached on disk and in memory.

Workers produce QImage (allowed off the GUI thread); QPixmap is made only on the GUI thread.
Only what the views ask for is fetched, and a request that scrolled out of view before a
worker reached it is dropped.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

import requests
from PySide6.QtCore import QBuffer, QByteArray, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

from .. import __version__
from ..core.index import default_cache_dir
from .tasks import Progress, Tasks

USER_AGENT = f"Curator/{__version__} (desktop editorial curation; python-requests)"
MAX_DOWNLOAD = 15 * 1024 * 1024
TIMEOUT = (4, 10)  # connect, read
ALLOCATION_LIMIT_MB = 256


class ImageError(Exception):
    pass


_local = threading.local()


def _session() -> requests.Session:
    """One session per worker thread (requests sessions are not thread-safe)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT  # proxies come from the environment as usual
    return session


def download(url: str, limit: int = MAX_DOWNLOAD) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ImageError(f"not an http(s) address: {url[:60]}")
    try:
        with _session().get(url, timeout=TIMEOUT, stream=True) as response:
            response.raise_for_status()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise ImageError(f"image is {int(declared):,} bytes, over the {limit:,}-byte limit")
            chunks, size = [], 0
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > limit:
                    raise ImageError(f"image is over the {limit:,}-byte limit")
                chunks.append(chunk)
    except requests.RequestException as exc:
        raise ImageError(f"download failed: {exc.__class__.__name__}") from None
    return b"".join(chunks)


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
        memory_items: int = 400,
        network: bool = True,
    ):
        super().__init__()
        self.tasks = tasks
        self.size = size
        self.crop = crop
        base = cache_dir or default_cache_dir() / "thumbnails"
        self.cache_dir = base / f"{size.width()}x{size.height()}{'c' if crop else ''}"
        self.resolve_local = resolve_local or (lambda url: None)
        self.network = network
        self.memory_items = memory_items
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: dict[str, str] = {}
        self._pending: set[str] = set()
        self._wanted: set[str] | None = None  # None: everything asked for is wanted

    def cache_path(self, url: str) -> Path:
        return self.cache_dir / (hashlib.sha1(url.encode("utf-8")).hexdigest() + ".png")

    def get(self, url: str, fallback: str = "") -> QPixmap | None:
        """The pixmap if ready; otherwise None and a fetch is scheduled (ready(url) follows)."""
        if not url:
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
            self.tasks.run(lambda progress, u=url: self._fetch(u, progress), lambda r, e, u=url: self._done(u, r, e))
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
            data = local.read_bytes()
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

    def _done(self, url: str, image: QImage | None, error: BaseException | None) -> None:
        self._pending.discard(url)
        if error is not None:
            self._failed[url] = str(error) if isinstance(error, ImageError) else f"{error.__class__.__name__}: {error}"
        elif image is None:
            return  # dropped: asked again when it comes back into view
        else:
            self._pixmaps[url] = QPixmap.fromImage(image)
            while len(self._pixmaps) > self.memory_items:
                self._pixmaps.popitem(last=False)
        self.ready.emit(url)
