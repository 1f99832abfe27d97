"""A real HTTP server on 127.0.0.1 for fault injection: each path runs a small handler function
that may answer normally or misbehave (reset the connection, drip bytes, never finish)."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


def rss(title: str, items: int, *, prefix: str = "item", guids: bool = True) -> bytes:
    """A small valid RSS 2.0 document with `items` entries."""
    parts = [f"<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel>"
             f"<title>{title}</title><link>http://example.org/{title}</link>"]
    for i in range(items):
        guid = f"<guid isPermaLink='false'>urn:{title}:{prefix}-{i:04d}</guid>" if guids else ""
        parts.append(
            f"<item><title>{title} story {prefix} {i}</title>"
            f"<link>http://example.org/{title}/{prefix}/{i}?utm_source=rss</link>{guid}"
            f"<description>&lt;p&gt;Body of {title} {i} &amp;amp; more&lt;/p&gt;</description>"
            f"<pubDate>Mon, 12 May 2025 0{i % 10}:00:00 GMT</pubDate></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()


class FaultServer:
    """A threaded HTTP/1.1 server whose routes are set per test; records each request."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str], float]] = []
        self.lock = threading.Lock()
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server.lock:
                    server.requests.append((self.path, dict(self.headers.items()), time.monotonic()))
                handler = server.routes.get(self.path.split("?", 1)[0])
                if handler is None:
                    send(self, 404, b"not here")
                    return
                # the client may give up (too large, timeout): that is the point of the test
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for p, headers, _ in self.requests if p.split("?", 1)[0] == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    headers = dict(headers or {})
    headers.setdefault("Content-Type", "application/rss+xml; charset=utf-8")
    for name, value in headers.items():
        handler.send_header(name, value)
    if status not in (204, 304):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if status not in (204, 304):
        handler.wfile.write(body)


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    return lambda h: send(h, status, body, headers)


def conditional(body: bytes, etag: str | None, last_modified: str | None = None) -> Handler:
    """Serves body, answering 304 when the client's validators match."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            send(h, 304, headers={"ETag": etag})
        elif not etag and last_modified and h.headers.get("If-Modified-Since") == last_modified:
            send(h, 304)
        else:
            headers = {}
            if etag:
                headers["ETag"] = etag
            if last_modified:
                headers["Last-Modified"] = last_modified
            send(h, 200, body, headers)

    return handle


def reset_mid_body(body: bytes) -> Handler:
    """Announces the full length, sends half, then resets the TCP connection (RST)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[: len(body) // 2])
        h.wfile.flush()
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    return handle


def stall(seconds: float, stop: threading.Event) -> Handler:
    """Sends headers, then nothing (until the test ends): the client's read timeout must fire."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.flush()
        stop.wait(seconds)
        h.close_connection = True

    return handle


def drip(body: bytes, every: float, stop: threading.Event) -> Handler:
    """Sends one byte at a time, each well within the read timeout, forever slower overall."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for byte in body:
            if stop.wait(every):
                break
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
        h.close_connection = True

    return handle


def endless(total: int, chunk: bytes = b"x" * 65536, headers: dict[str, str] | None = None,
            *, announce: bool = True) -> Handler:
    """Streams `total` bytes (e.g. 50 MB) without holding them in memory; without `announce`
    there is no Content-Length (the body ends when the connection closes)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        for name, value in (headers or {"Content-Type": "application/rss+xml"}).items():
            h.send_header(name, value)
        if announce:
            h.send_header("Content-Length", str(total))
        else:
            h.send_header("Connection", "close")
        h.end_headers()
        sent = 0
        while sent < total:
            piece = chunk[: total - sent]
            h.wfile.write(piece)
            sent += len(piece)
        h.close_connection = True

    return handle


def http_date(offset_seconds: float) -> str:
    return formatdate(time.time() + offset_seconds, usegmt=True)
