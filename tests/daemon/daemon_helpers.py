"""Real parts for the daemon tests: a local RSS server whose feeds the test edits while the
daemon runs, the daemon as a real subprocess, and polling with a deadline (no fixed sleeps)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]

BASE_ITEMS = [
    ("India says Kashmir is a bilateral matter, rejects third-party mediation",
     "The Ministry of External Affairs said there is no room for any third party."),
    ("Heavy snowfall shuts Srinagar airport as Kashmir valley freezes",
     "Flights were cancelled after a night of heavy snow."),
    ("Turkey offers to mediate between Pakistan and India over Kashmir",
     "Ankara said it stands ready to help both sides resolve the dispute."),
]
SHIFT_TITLE = "India welcomes Russia's offer to mediate on Kashmir"
SHIFT_SUMMARY = ("New Delhi said it would welcome Moscow's mediation between India and Pakistan "
                 "over Kashmir, a departure from its long-held bilateral stance.")


def wait_until(condition: Callable[[], object], timeout: float, what: str,
               interval: float = 0.05) -> object:
    """Poll `condition` until it returns something truthy; fail naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclass
class Feed:
    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # guid, title, summary
    hits: int = 0
    delay: float = 0.0  # seconds the server takes to answer (a slow feed)
    started: int = 0  # requests received (counted before the delay)


class FeedFarm:
    """RSS 2.0 feeds served from memory on 127.0.0.1; thread-safe edits while serving."""

    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self.lock = threading.Lock()
        farm = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                name = self.path.strip("/").split("?")[0]
                with farm.lock:
                    feed = farm.feeds.get(name)
                    if feed is not None:
                        feed.started += 1
                        delay = feed.delay
                if feed is not None and delay:
                    time.sleep(delay)  # the slow server under test, not synchronisation
                body = farm.render(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"

    def add_feed(self, name: str, items: list[tuple[str, str]] = BASE_ITEMS) -> None:
        with self.lock:
            self.feeds[name] = Feed(name, [(f"{name}-{i}", t, s) for i, (t, s) in enumerate(items)])

    def add_item(self, name: str, title: str, summary: str) -> str:
        with self.lock:
            feed = self.feeds[name]
            guid = f"{name}-{len(feed.items)}"
            feed.items.append((guid, title, summary))
            return guid

    def set_delay(self, name: str, seconds: float) -> None:
        with self.lock:
            self.feeds[name].delay = seconds

    def started(self, name: str) -> int:
        with self.lock:
            return self.feeds[name].started

    def hits(self, name: str) -> int:
        with self.lock:
            return self.feeds[name].hits

    def render(self, name: str) -> bytes | None:
        with self.lock:
            feed = self.feeds.get(name)
            if feed is None:
                return None
            feed.hits += 1
            items = list(feed.items)
        when = format_datetime(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
        parts = [f"<item><title>{escape(t)}</title><link>https://news.example.org/{g}</link>"
                 f"<guid isPermaLink=\"false\">{g}</guid><pubDate>{when}</pubDate>"
                 f"<description>{escape(s)}</description></item>" for g, t, s in items]
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{escape(feed.title)}</title><link>https://news.example.org/</link>"
                f"<description>test feed</description>{''.join(parts)}</channel></rss>"
                ).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_config(path: Path, farm: FeedFarm, feeds: list[str], *, interval: str = "1s",
                 extra: str = "", schedule: str = "0 7 * * *") -> Path:
    feed_tables = "".join(f'\n[[feeds]]\nname = "{n}"\nurl = "{farm.url(n)}"\n'
                          f'interval = "{interval}"\n' for n in feeds)
    path.write_text(f"""
[storage]
path = "km.db"

[fetch]
min_interval = 1
max_interval = 2
host_gap = 0.01
{feed_tables}
[[channels]]
name = "alerts"
type = "file"
schedule = "{schedule}"
immediate = true
min_score = 0.3
directory = "out"
{extra}
""", encoding="utf-8")
    return path


class DaemonProcess:
    """`python -m monitor --config CONFIG run` as a real child process, stderr to a file."""

    def __init__(self, config: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.config = config
        self.log_path = config.parent / f"daemon-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("wb")
        full_env = {**os.environ, "PYTHONPATH": str(REPO), "KASHMIR_MONITOR_BEAT_EVERY": "1",
                    "KASHMIR_MONITOR_DELIVER_EVERY": "1", **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "run", *args],
            cwd=config.parent, stdout=self._log, stderr=subprocess.STDOUT, env=full_env)

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; returns the exit code (fails the test past the timeout)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self._log.close()


def query(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """A fresh read-only connection per query, so the test sees the daemon's commits."""
    if not db_path.exists():
        return []
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        conn.close()


def run_cli(config: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          cwd=config.parent, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
