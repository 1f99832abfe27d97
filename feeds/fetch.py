"""Getting a feed's bytes politely: conditional GET, bounded streamed bodies, redirects, hints.

`fetch_feed` never raises: every failure becomes `FetchResult.error` (a short kind such as
"timeout", "http-503", "too-large", "redirect-loop") plus a human `error_detail`.
`Fetcher.fetch_all` runs many feeds at once with overall and per-host limits.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from feeds.httputil import (
    ACCEPT,
    DEFAULT_USER_AGENT,
    cache_hint_seconds,
    error_detail,
    error_kind,
    retry_after_seconds,
)
from feeds.records import FeedState, FetchResult
from monitor.config_records import FetchConfig

log = logging.getLogger(__name__)

MAX_REDIRECTS = 10
CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


def body_hash(body: bytes) -> str:
    """The fingerprint kept in FeedState.body_hash to skip re-parsing an identical body."""
    return hashlib.sha256(body).hexdigest()


def total_deadline(fetch: FetchConfig) -> float:
    """Seconds one fetch may take overall; a server dripping bytes slower than this is cut off
    (the read timeout alone only bounds the gap between two packets)."""
    return fetch.connect_timeout + 2 * fetch.read_timeout


def fetch_feed(
    state: FeedState,
    fetch: FetchConfig,
    *,
    user_agent: str | None = None,
    session: requests.Session | None = None,
) -> FetchResult:
    """Fetch one feed (http, https or file URL) into a FetchResult; never raises."""
    started = time.monotonic()
    try:
        if state.url.lower().startswith("file:"):
            result = _fetch_file(state.url, fetch.max_bytes)
        else:
            agent = user_agent or fetch.user_agent or DEFAULT_USER_AGENT
            own_session = session is None
            session = session or requests.Session()
            try:
                result = _fetch_http(state, fetch, agent, session, started)
            finally:
                if own_session:
                    session.close()
    except Exception as exc:  # a bug or an exotic failure must still stay with this feed
        log.exception("fetch of %s failed unexpectedly", state.url)
        result = FetchResult(url=state.url, error=error_kind(exc), error_detail=repr(exc))
    if result.body is not None and result.error is None:
        result.body_hash = body_hash(result.body)
        if state.body_hash and result.body_hash == state.body_hash:
            result.not_modified = True  # byte-identical to last time: no parse needed
            result.body = None
    result.elapsed = time.monotonic() - started
    return result


def _fetch_file(url: str, max_bytes: int) -> FetchResult:
    path = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return FetchResult(url=url, error="file-not-found", error_detail=f"no such file: {path}")
    except OSError as exc:
        return FetchResult(url=url, error="file-error", error_detail=str(exc))
    if len(body) > max_bytes:
        return FetchResult(url=url, error="too-large", error_detail=f"file exceeds {max_bytes} bytes")
    return FetchResult(url=url, status=200, body=body)


def _fetch_http(
    state: FeedState, fetch: FetchConfig, agent: str, session: requests.Session, started: float
) -> FetchResult:
    headers = {"User-Agent": agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    timeout = (fetch.connect_timeout, fetch.read_timeout)
    url, seen = state.url, {state.url}
    permanent: str | None = None
    still_permanent = True  # a permanent hop after a temporary one must not move the feed
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            response = session.get(url, headers=headers, timeout=timeout, stream=True,
                                   allow_redirects=False)
        except Exception as exc:
            kind = error_kind(exc)
            return FetchResult(url=url, error=kind, error_detail=error_detail(kind, exc, url),
                               permanent_redirect=permanent)
        location = response.headers.get("location")
        if response.status_code not in _REDIRECTS or not location:
            break
        response.close()
        target = urllib.parse.urljoin(url, location.strip())
        if target in seen:
            return FetchResult(url=url, status=response.status_code, error="redirect-loop",
                               error_detail=f"redirect loop back to {target}")
        seen.add(target)
        if response.status_code in _PERMANENT and still_permanent:
            permanent = target
        else:
            still_permanent = False
        url = target
    else:
        return FetchResult(url=url, error="too-many-redirects",
                           error_detail=f"more than {MAX_REDIRECTS} redirects")
    if permanent:
        log.info("feed %s moved permanently to %s", state.name, permanent)
    with response:
        return _read_response(response, url, permanent, fetch, started)


def _read_response(
    response: requests.Response, url: str, permanent: str | None, fetch: FetchConfig,
    started: float,
) -> FetchResult:
    now = datetime.now(UTC)
    lowered = {name.lower(): value for name, value in response.headers.items()}
    result = FetchResult(url=url, status=response.status_code, headers=lowered,
                         etag=lowered.get("etag"), last_modified=lowered.get("last-modified"),
                         permanent_redirect=permanent)
    if response.status_code == 304:
        result.not_modified = True
        result.retry_after = cache_hint_seconds(lowered, now)
        return result
    if response.status_code != 200:
        result.error = f"http-{response.status_code}"
        result.error_detail = f"HTTP {response.status_code} {response.reason or ''}".strip()
        result.retry_after = retry_after_seconds(lowered.get("retry-after"), now)
        return result
    declared = lowered.get("content-length", "")
    if declared.isdigit() and int(declared) > fetch.max_bytes and "content-encoding" not in lowered:
        result.error, result.error_detail = "too-large", f"Content-Length {declared} > {fetch.max_bytes}"
        return result
    body, error, detail = _read_bounded(response, fetch.max_bytes, started + total_deadline(fetch))
    if error:
        result.error, result.error_detail = error, detail
        return result
    result.body = body
    result.retry_after = cache_hint_seconds(lowered, now)
    return result


def _read_bounded(
    response: requests.Response, max_bytes: int, deadline: float
) -> tuple[bytes | None, str | None, str | None]:
    """Read the decompressed body in small pieces, stopping past max_bytes (gzip bombs too) or
    past the overall deadline (slow drip)."""
    parts: list[bytes] = []
    size = 0
    raw = response.raw
    try:
        while True:
            # read1 returns as soon as some bytes arrive (so the deadline is checked often) and
            # never decompresses more than CHUNK bytes at once (so a bomb is stopped early).
            chunk = raw.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                return None, "too-large", f"body exceeds {max_bytes} bytes (decompressed)"
            parts.append(chunk)
            if time.monotonic() > deadline:
                return None, "too-slow", "body not complete within the overall deadline"
    except Exception as exc:
        return None, error_kind(exc), str(exc) or type(exc).__name__
    return b"".join(parts), None, None


def host_key(url: str) -> str:
    """What per-host limits count by: scheme-less host[:port] (file URLs share one key)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() == "file":
        return "file:"
    return (parts.netloc or url).lower()


class Fetcher:
    """Fetches many feeds at once: at most `max_concurrency` requests in flight overall, at most
    `max_per_host` per host and `host_gap` seconds between two request starts to one host.

    A dispatcher (the caller's thread) only starts a fetch when its host has a free slot, so a
    slow host holds its own slots and never a worker that another host could use.
    """

    def __init__(self, fetch: FetchConfig) -> None:
        self.fetch = fetch
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the keep-alive connections (fetch_all does this itself when it finishes)."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:  # one keep-alive session per worker thread (Session is not shared)
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=16, pool_maxsize=max(2, self.fetch.max_per_host))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _run(self, state: FeedState, agent: str | None) -> FetchResult:
        return fetch_feed(state, self.fetch, user_agent=agent, session=self._session())

    def fetch_all(
        self, states: list[FeedState], user_agents: dict[str, str | None] | None = None
    ) -> Iterator[tuple[FeedState, FetchResult]]:
        """Fetch every state; yield (state, result) pairs as they complete."""
        # The worker threads live only as long as one cycle: a daemon that polls for months
        # must not collect idle pools.
        workers = max(1, min(self.fetch.max_concurrency, len(states)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed-fetch")
        self._local = threading.local()
        try:
            yield from self._dispatch(pool, states, user_agents or {})
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self.close()

    def _dispatch(
        self, pool: ThreadPoolExecutor, states: list[FeedState], agents: dict[str, str | None]
    ) -> Iterator[tuple[FeedState, FetchResult]]:
        waiting: dict[str, deque[FeedState]] = defaultdict(deque)
        for state in states:
            waiting[host_key(state.url)].append(state)
        busy: dict[str, int] = defaultdict(int)
        next_start: dict[str, float] = defaultdict(float)
        done: queue.Queue[tuple[str, FeedState, FetchResult]] = queue.Queue()
        in_flight = 0
        limit = max(1, self.fetch.max_concurrency)
        per_host = max(1, self.fetch.max_per_host)

        def finished(host: str, state: FeedState, future) -> None:
            try:
                result = future.result()
            except BaseException as exc:  # fetch_feed does not raise; be safe anyway
                result = FetchResult(url=state.url, error="internal-error", error_detail=repr(exc))
            done.put((host, state, result))

        while waiting or in_flight:
            now = time.monotonic()
            wake = None
            for host in list(waiting):
                while in_flight < limit and busy[host] < per_host and waiting[host]:
                    if next_start[host] > now:
                        wake = min(wake or next_start[host], next_start[host])
                        break
                    state = waiting[host].popleft()
                    busy[host] += 1
                    in_flight += 1
                    if host != "file:":
                        next_start[host] = now + self.fetch.host_gap
                    future = pool.submit(self._run, state, agents.get(state.name))
                    future.add_done_callback(lambda f, h=host, s=state: finished(h, s, f))
                if not waiting[host]:
                    del waiting[host]
            if not in_flight and wake is None:
                continue
            timeout = None if wake is None else max(0.0, wake - time.monotonic())
            try:
                host, state, result = done.get(timeout=timeout)
            except queue.Empty:
                continue
            busy[host] -= 1
            in_flight -= 1
            yield state, result
            while True:  # drain whatever else finished meanwhile
                try:
                    host, state, result = done.get_nowait()
                except queue.Empty:
                    break
                busy[host] -= 1
                in_flight -= 1
                yield state, result
