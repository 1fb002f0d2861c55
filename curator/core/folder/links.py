"""Checking the links of articles (`originalUrl`, and `webUrl` when it differs).

Each URL gets a HEAD, and a GET when HEAD is refused (405, 501) or fails; at most five redirects
are followed; at most four requests go to one host at once and sixteen overall; one deadline per
URL (20 s) covers every request, redirect and byte of it, so a server trickling a byte a second
cannot stretch it (a watchdog shuts the socket). Only the status line and headers are read.

A result is `ok`, `moved` (a permanent redirect, 301 or 308, to a page that answers 2xx;
`final_url` says where), `dead` (404 or 410, or a host name that does not resolve) or `error`
(anything else: 5xx, a timeout, a refused connection, a TLS error, a redirect loop or too many
redirects, another 4xx): one failed check never says `dead` unless the server said so.

A name that does not resolve is `dead` only when the resolver is seen to work: another name of
the same run resolved, or the control name (CONTROL) does. A computer that is offline resolves
no name at all; its checks are `error` ("is this computer offline?"), not a queue of dead links
kept in the cache for a day.

Results are kept in a cache file for 24 hours (`Cache`); a second run within them makes no
request unless asked to check again.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from curator.core.folder.index import default_cache_dir

STATUSES = ("ok", "moved", "dead", "error")
MAX_REDIRECTS = 5
PER_HOST = 4
OVERALL = 16
DEADLINE = 20.0
FRESH = 24 * 3600.0
USER_AGENT = "Curator link check (+https://github.com/)"
_PERMANENT = (301, 308)
_REDIRECTS = (301, 302, 303, 307, 308)
#: A name that resolves wherever names resolve (IANA keeps it): asked, at most once a run, only
#: when every name of the run failed to resolve.
CONTROL = "example.com"
#: How long the control name may take to resolve before the resolver counts as not working.
CONTROL_SECONDS = 5.0
_NO_NAME = "the name {host} does not resolve"


@dataclass(frozen=True, slots=True)
class Check:
    """What one URL answered."""

    url: str
    status: str  # one of STATUSES
    code: int | None = None
    final_url: str = ""
    detail: str = ""
    checked: float = 0.0  # time.time() of the check


@dataclass(frozen=True, slots=True)
class Link:
    """A link of an article: the file, the field it is in, and its URL."""

    path: str
    field: str
    url: str


def links_of(values: dict[str, dict[str, object]], paths: Iterable[str]) -> list[Link]:
    """The links to check, from {key: {path: value}} of `originalUrl` and `webUrl`."""
    out = []
    original, web = values.get("originalUrl", {}), values.get("webUrl", {})
    for path in paths:
        first = original.get(path)
        if isinstance(first, str) and first.strip():
            out.append(Link(path, "originalUrl", first.strip()))
        other = web.get(path)
        if isinstance(other, str) and other.strip() and other.strip() != (first or "").strip():
            out.append(Link(path, "webUrl", other.strip()))
    return out


_WORST = {"dead": 3, "error": 2, "moved": 1, "ok": 0}


def worst(links: Iterable[Link], checks: dict[str, Check]) -> dict[str, str]:
    """path -> the worst status of its checked links (dead, error, moved, ok), for `Table.links`."""
    out: dict[str, str] = {}
    for link in links:
        found = checks.get(link.url)
        if found is not None and _WORST[found.status] >= _WORST.get(out.get(link.path, ""), -1):
            out[link.path] = found.status
    return out


def cached(links: Iterable[Link], cache: Cache) -> dict[str, Check]:
    """{url: Check} of the links the cache has fresh answers for (no request)."""
    out = {}
    for link in links:
        hit = cache.get(link.url)
        if hit is not None:
            out[link.url] = hit
    return out


# http.client and ssl (with the email package) are imported by the first check, in the functions
# that use them: a window that checks no link does without them (6.9 MB).
if TYPE_CHECKING:
    import http.client


class _Deadline:
    """Shuts a connection's socket when the URL's time is up, wherever a read is waiting."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(0.05, self.end - time.monotonic())

    def watch(self, conn: http.client.HTTPConnection | None) -> None:
        with self._lock:
            self._conn = conn
        if self.expired and conn is not None:
            self._fire()

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._conn.sock if self._conn is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


def _request(method: str, url: str, deadline: _Deadline) -> tuple[int, str]:
    """(code, Location header) of one request; raises OSError, ssl.SSLError, http.client errors."""
    import http.client

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a web address: {url!r}")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=deadline.left())
    deadline.watch(conn)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        conn.sock.settimeout(deadline.left())
        response = conn.getresponse()  # the status line and headers; the body is never read
        return response.status, response.getheader("Location", "") or ""
    finally:
        deadline.watch(None)
        conn.close()


def check(url: str, seconds: float = DEADLINE, max_redirects: int = MAX_REDIRECTS,
          gate: Callable[[str], threading.Semaphore] | None = None) -> Check:  # fmt: skip
    """Check one URL (see the module doc); `gate(host)` is held around each request."""
    deadline = _Deadline(seconds)
    try:
        return _follow(url, deadline, max_redirects, gate)
    finally:
        deadline.cancel()


def _follow(url: str, deadline: _Deadline, max_redirects: int, gate) -> Check:
    import http.client
    import ssl

    now = time.time()
    current, seen, permanent = url, {url}, True
    hops = 0
    while True:
        host = (urlsplit(current).hostname or "").lower()
        try:
            code, location = _one(current, deadline, host, gate)
        except socket.gaierror as exc:
            return Check(url, "dead", None, current, _NO_NAME.format(host=host) + f" ({exc.strerror})", now)
        except TimeoutError:
            return Check(url, "error", None, current, f"no answer within {deadline.seconds:g} s", now)
        except ssl.SSLError as exc:
            return Check(url, "error", None, current, f"TLS: {exc.reason or exc}", now)
        except ConnectionRefusedError:
            return Check(url, "error", None, current, "connection refused", now)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired:
                return Check(url, "error", None, current, f"no answer within {deadline.seconds:g} s", now)
            return Check(url, "error", None, current, f"{exc.__class__.__name__}: {exc}", now)
        if code in _REDIRECTS and location:
            permanent = permanent and code in _PERMANENT
            hops += 1
            nxt = urljoin(current, location)
            if nxt in seen:
                return Check(url, "error", code, nxt, "a redirect loop", now)
            if hops > max_redirects:
                return Check(url, "error", code, nxt, f"more than {max_redirects} redirects", now)
            seen.add(nxt)
            current = nxt
            continue
        if 200 <= code < 300:
            if hops and permanent:
                return Check(url, "moved", code, current, f"moved permanently ({hops} redirect(s))", now)
            return Check(url, "ok", code, current if hops else "", "", now)
        if code in (404, 410):
            return Check(url, "dead", code, current if hops else "", http.client.responses.get(code, ""), now)
        return Check(url, "error", code, current if hops else "", http.client.responses.get(code, str(code)), now)


def _one(url: str, deadline: _Deadline, host: str, gate) -> tuple[int, str]:
    """HEAD, then GET when HEAD is refused (405, 501) or fails before the deadline."""
    import http.client

    lock = gate(host) if gate else None
    if lock is not None:
        lock.acquire()
    try:
        try:
            code, location = _request("HEAD", url, deadline)
            if code not in (405, 501):
                return code, location
        except socket.gaierror:
            raise
        except (OSError, http.client.HTTPException):
            if deadline.expired:
                raise
        return _request("GET", url, deadline)
    finally:
        if lock is not None:
            lock.release()


class Gates:
    """At most `per_host` requests at once to one host."""

    def __init__(self, per_host: int = PER_HOST):
        self.per_host = per_host
        self._gates: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def __call__(self, host: str) -> threading.Semaphore:
        with self._lock:
            return self._gates.setdefault(host, threading.BoundedSemaphore(self.per_host))


class Cache:
    """Checks by URL in one JSON file of the cache folder, each fresh for 24 hours."""

    def __init__(self, path: str | os.PathLike[str] | None = None, fresh: float = FRESH):
        self.path = Path(path) if path is not None else default_cache_dir() / "links.json"
        self.fresh = fresh
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self.checks = {u: Check(**c) for u, c in raw.items() if isinstance(c, dict)}
        except (OSError, ValueError, TypeError):
            self.checks = {}

    def get(self, url: str, now: float | None = None) -> Check | None:
        found = self.checks.get(url)
        if found is None or (now if now is not None else time.time()) - found.checked > self.fresh:
            return None
        return found

    def put(self, result: Check) -> None:
        self.checks[result.url] = result

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            cutoff = time.time() - self.fresh
            keep = {u: asdict(c) for u, c in self.checks.items() if c.checked >= cutoff}
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".links-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(keep, out)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs a second check


def check_all(
    urls: Sequence[str],
    cache: Cache | None = None,
    recheck: bool = False,
    progress: Callable[[int, int, Check], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    seconds: float = DEADLINE,
    overall: int = OVERALL,
    per_host: int = PER_HOST,
) -> dict[str, Check]:
    """{url: Check} for each distinct URL; cached ones fresher than 24 h are not asked again unless
    `recheck`. `progress(done, total, check)` is called from worker threads; once `cancelled()`
    says so, URLs not started are left out of the answer."""
    distinct = list(dict.fromkeys(urls))
    out: dict[str, Check] = {}
    todo = []
    for url in distinct:
        hit = None if recheck or cache is None else cache.get(url)
        if hit is not None:
            out[url] = hit
        else:
            todo.append(url)
    total, done = len(distinct), len(out)
    lock = threading.Lock()
    gates = Gates(per_host)

    def one(url: str) -> None:
        nonlocal done
        if cancelled():
            return
        result = check(url, seconds, gate=gates)
        with lock:
            out[url] = result
            done += 1
            count = done
        if progress:
            progress(count, total, result)

    with ThreadPoolExecutor(max_workers=max(1, overall), thread_name_prefix="link") as pool:
        list(pool.map(one, todo))
    _offline_is_no_verdict(out, todo)
    if cache is not None:
        for url in todo:
            if url in out:
                cache.put(out[url])
        cache.save()
    return out


def _unresolved(found: Check) -> bool:
    """The check failed because its host name did not resolve."""
    host = (urlsplit(found.final_url or found.url).hostname or "").lower()
    return found.status == "dead" and found.code is None and found.detail.startswith(_NO_NAME.format(host=host))


def _by_name(url: str) -> bool:
    """The URL names its host (not an address, not this computer): resolving it needs the resolver."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        return False
    except OSError:
        return True


def resolver_works(seconds: float = CONTROL_SECONDS) -> bool:
    """Whether CONTROL resolves within `seconds` (asked in a thread: a resolver with no network
    may take long to say no)."""
    answer: list[bool] = []

    def ask() -> None:
        try:
            socket.getaddrinfo(CONTROL, 443, type=socket.SOCK_STREAM)
            answer.append(True)
        except (OSError, UnicodeError):
            answer.append(False)

    asker = threading.Thread(target=ask, name="link-resolver", daemon=True)
    asker.start()
    asker.join(seconds)
    return bool(answer and answer[0])


def _offline_is_no_verdict(out: dict[str, Check], asked: Sequence[str]) -> None:
    """Turn this run's "does not resolve" into `error` when no name resolved and CONTROL does not."""
    unresolved = [url for url in asked if url in out and _unresolved(out[url])]
    if not unresolved:
        return
    if any(_by_name(url) and not _unresolved(out[url]) for url in asked if url in out):
        return  # another name resolved: the resolver works, so these names are gone
    if resolver_works():
        return
    for url in unresolved:
        found = out[url]
        detail = f"{found.detail}; nor does {CONTROL}: is this computer offline?"
        out[url] = Check(found.url, "error", None, found.final_url, detail, found.checked)
