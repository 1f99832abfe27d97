"""Small pieces the daemon is built from: signal wiring, in-flight accounting, job counters,
per-thread HTTP sessions and the two store queries the scheduler needs."""

from __future__ import annotations

import logging
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import requests
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
)
from requests.adapters import HTTPAdapter

from monitor.app import App
from monitor.config_records import Config, FetchConfig

_local = threading.local()


def install_signal_handlers(on_stop: Callable[[str], None],
                            on_reload: Callable[[str], None]) -> Callable[[], None]:
    """SIGTERM/SIGINT → on_stop, SIGHUP → on_reload (main thread only); returns an undo.

    The handlers only set flags: the main thread does the work, so nothing runs inside a
    signal handler that could deadlock on a lock the interrupted code holds.
    """
    wanted = {signal.SIGTERM: on_stop, signal.SIGINT: on_stop, signal.SIGHUP: on_reload}
    previous = {}
    for signum, callback in wanted.items():
        previous[signum] = signal.signal(
            signum, lambda num, _frame, cb=callback: cb(signal.Signals(num).name))

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


class FlightCounter:
    """How many jobs are running; a context manager per job, and a bounded wait for zero."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.count = 0

    def __enter__(self) -> FlightCounter:
        with self._cond:
            self.count += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self.count -= 1
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self.count == 0, timeout=timeout)


LISTENED_EVENTS = EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_EXECUTED
log = logging.getLogger("kashmir_monitor.daemon")


class JobStats:
    """Counters the heartbeat publishes (thread-safe), fed by the scheduler's job events."""

    def on_event(self, event: JobEvent) -> None:
        """The APScheduler listener: count, and log what went wrong."""
        if event.code == EVENT_JOB_ERROR:
            self.failed()
            log.error("job %s failed: %r\n%s", event.job_id, event.exception,
                      event.traceback or "")
        elif event.code == EVENT_JOB_MISSED:
            self.missed()
            log.warning("job %s missed its run at %s (coalesced; the next run catches up)",
                        event.job_id, event.scheduled_run_time)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            self.missed()
            log.warning("job %s skipped: its previous run is still going", event.job_id)
        else:
            self.ran()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._run = self._failed = self._missed = 0
        self.last_done: datetime | None = None

    def done(self, when: datetime) -> None:
        with self._lock:
            self.last_done = when

    def ran(self) -> None:
        with self._lock:
            self._run += 1

    def failed(self) -> None:
        with self._lock:
            self._run += 1
            self._failed += 1

    def missed(self) -> None:
        with self._lock:
            self._missed += 1

    def counts(self) -> tuple[int, int, int]:
        with self._lock:
            return self._run, self._failed, self._missed


def limit_memory(poll_store, other_dbs) -> None:
    """Keep the long-running process small.

    - SQLite page cache: the store opens connections with a 32 MB cache, good for one-shot CLI
      queries; the daemon holds three connections for months, and WAL plus the OS page cache
      serve its small reads anyway: 2 MB each.
    - glibc malloc arenas: one per thread by default (up to 8 x cores), each keeping freed
      memory; two arenas are plenty for a pool of mostly-waiting threads.
    """
    for db in [poll_store.db, *other_dbs]:
        db.execute("PRAGMA cache_size = -2000")
    if _libc is not None:
        _libc.mallopt(-8, 2)  # M_ARENA_MAX


def release_free_memory() -> None:
    """Hand freed heap pages back to the OS (glibc malloc_trim), e.g. after a burst of polls;
    without it RSS stays at the high-water mark. Called with each heartbeat."""
    if _libc is not None:
        _libc.malloc_trim(0)


def _load_libc():
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt, libc.malloc_trim  # noqa: B018  (glibc only: elsewhere, do nothing)
        return libc
    except (OSError, AttributeError):
        return None


_libc = _load_libc()


def clone_app(app: App, config: Config, *, share_store: bool) -> App:
    """A new App on `config` for the same database; with share_store, the same open Store
    (cached_property keeps it in the instance dict), else its own connection when first used."""
    clone = App(config, db_path=app.db_path)
    if share_store and "store" in app.__dict__:
        clone.__dict__["store"] = app.__dict__["store"]
    return clone


def thread_session(fetch: FetchConfig) -> requests.Session:
    """One keep-alive requests.Session per poll thread (a Session is not safe to share)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=16, pool_maxsize=max(2, fetch.max_per_host))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


def new_last_week(store, feed: str, now: datetime) -> int:
    """Articles first seen from `feed` in the last 7 days (the adaptive interval's input)."""
    since = (now - timedelta(days=7)).astimezone(UTC).isoformat(timespec="seconds")
    row = store.db.execute("SELECT count(*) FROM articles WHERE feed = ? AND fetched_at >= ?",
                           [feed, since]).fetchone()
    return int(row[0])


def record_schedule(store, feed: str, next_poll: datetime, interval: int) -> None:
    """Store when the daemon will poll `feed` next and at what adaptive interval, so `status`
    shows the truth and a restart keeps the spread (only these two columns are touched)."""
    from db.connection import write_transaction

    with write_transaction(store.db):
        store.db.execute("UPDATE feeds SET next_poll = ?, interval = ? WHERE name = ?",
                         [next_poll.astimezone(UTC).isoformat(timespec="seconds"), interval, feed])


def last_digest_at(store, channel: str) -> datetime | None:
    """When the channel's latest digest was created (queued), or None if never."""
    row = store.db.execute("SELECT max(created_at) FROM deliveries WHERE channel = ? "
                           "AND kind = 'digest'", [channel]).fetchone()
    if not row or not row[0]:
        return None
    when = datetime.fromisoformat(row[0])
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def config_problem_lines(exc) -> str:
    problems = getattr(exc, "problems", None) or [str(exc)]
    return "\n".join(f"  {p}" for p in problems)


def digest_in_child(config: Config, db_path, channel: str, stop: threading.Event,
                    grace: float) -> int:
    """Build and send one channel's digest in a short-lived child process; its exit code.

    Why a child: the digest's chart loads matplotlib and numpy (about 30 MB that would stay in
    the daemon for good); a child returns that memory when it exits. It gets the daemon's
    running Config (pickled on stdin), not whatever is on disk now. On shutdown it gets the
    same grace as other in-flight work, then SIGTERM (the outbox makes that safe).
    """
    from monitor.logs import JsonFormatter

    root = logging.getLogger()
    fmt = "json" if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers) else "text"
    payload = pickle.dumps((config, db_path, channel, logging.getLevelName(root.level), fmt))
    child = subprocess.Popen([sys.executable, "-c",
                              "from monitor.daemon_support import digest_child_main as m; m()"],
                             stdin=subprocess.PIPE)
    child.stdin.write(payload)
    child.stdin.close()
    while True:
        try:
            return child.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if stop.is_set():
                try:
                    return child.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    child.terminate()
                    return child.wait()


def digest_child_main() -> None:
    """The child's side of digest_in_child (reads its orders from stdin)."""
    from monitor.logs import register_config_secrets, setup_logging
    from monitor.pipeline import send_digests

    if _libc is not None and sys.platform.startswith("linux"):
        _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: die with the daemon, no orphan
    config, db_path, channel, level, fmt = pickle.loads(sys.stdin.buffer.read())
    setup_logging(level, fmt)
    register_config_secrets(config)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the daemon decides when the child stops
    app = App(config, db_path=db_path)
    result = send_digests(app, [channel], force=False)
    log.info(
        "digest for %s: %s", channel, result.splitlines()[0] if result else "nothing to send")
    app.store.close()
