"""Helpers for the alerts tests: a store on disk, feeds saved through it, an aiosmtpd server
(with optional login, startable late on a reserved port) and a local webhook receiver that
verifies Standard Webhooks signatures with the independent `standardwebhooks` package."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from feeds.records import Article, FeedState
from monitor.config_records import ChannelConfig
from monitor.matching.records import Match, Mention

TLS = Path(__file__).parent / "tls"  # a self-signed test certificate for 127.0.0.1
NOW = datetime(2025, 5, 11, 7, 0, tzinfo=UTC)
SECRET = "whsec_" + base64.b64encode(b"kashmir-monitor-test-secret-0123").decode()


def wait_until(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def article(id: str, title: str, *, feed: str = "dawn", simhash: int | None = None,
            hours_ago: float = 2, summary: str = "", link: str | None = None) -> Article:
    published = NOW - timedelta(hours=hours_ago)
    return Article(id=id, feed=feed, title=title, summary=summary,
                   link=link if link is not None else f"https://news.example/{id}",
                   guid=id, published=published, fetched_at=NOW - timedelta(minutes=5),
                   content_hash=hashlib.sha1(f"{title}{summary}".encode()).hexdigest(),
                   simhash=simhash if simhash is not None else
                   int(hashlib.sha1(id.encode()).hexdigest()[:15], 16))


def shift(actor="india", stance="welcomes_mediation", baseline="rejects_mediation",
          evidence="New Delhi said it would welcome a US role in talks.") -> Mention:
    return Mention(actor, stance, evidence, 0.9, baseline=baseline, shift=True)


def plain(actor="pakistan", stance="welcomes_mediation",
          evidence="Islamabad welcomed mediation on Kashmir.") -> Mention:
    return Mention(actor, stance, evidence, 0.8, baseline=stance)


def mediator(actor="turkey", evidence="Ankara offered to host India-Pakistan talks.") -> Mention:
    return Mention(actor, "offers_mediation", evidence, 0.8, in_watchlist=False)


def save(store, feed: str, items: list[tuple[Article, list[Mention]]], score: float = 0.8):
    store.sync_feeds([(feed, f"https://{feed}.example/rss")])
    state = FeedState(name=feed, url=f"https://{feed}.example/rss", last_status="ok")
    pairs = [(a, Match(relevant=True, score=score, mentions=tuple(ms))) for a, ms in items]
    return store.save_poll(state, pairs, now=NOW)


def channel(name="desk", type="file", **settings) -> ChannelConfig:
    common = {k: settings.pop(k) for k in list(settings)
              if k in ("schedule", "immediate", "min_score", "actors", "stances",
                       "shifts_only", "active_hours")}
    return ChannelConfig(name=name, type=type, settings=settings, **common)


class Inbox:
    """What the aiosmtpd server accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK queued"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


class Smtp:
    """An aiosmtpd server on a reserved port, started on demand (to test "down, then up")."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.login = login
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        kwargs = {}
        if self.login:
            def check(server, session, envelope, mechanism, auth_data):
                ok = (auth_data.login.decode(), auth_data.password.decode()) == self.login
                return AuthResult(success=ok, handled=False)
            # login only after STARTTLS, as a real relay would insist
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
            kwargs = {"authenticator": check, "auth_required": True, "tls_context": tls,
                      "require_starttls": True}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

class Receiver:
    """A local webhook endpoint. `script` holds (status, headers, delay) answers to give in
    order (then 200); every request is recorded with whether its signature verified."""

    def __init__(self) -> None:
        from standardwebhooks.webhooks import Webhook

        self.verifier = Webhook(SECRET)
        self.script: list[tuple[int, dict[str, str], float]] = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    receiver.verifier.verify(body, headers)
                    verified = True
                except Exception:
                    verified = False
                with receiver.lock:
                    status, extra, delay = (receiver.script.pop(0) if receiver.script
                                            else (200, {}, 0.0))
                    receiver.requests.append({"headers": headers, "body": json.loads(body),
                                              "verified": verified, "status": status})
                if delay:
                    time.sleep(delay)  # the slow receiver under test, not synchronisation
                try:
                    self.send_response(status)
                    for k, v in extra.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def ids(self) -> list[str]:
        with self.lock:
            return [r["headers"]["webhook-id"] for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

