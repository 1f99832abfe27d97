"""Small HTTP helpers for fetching: header parsing (Retry-After, caching hints) and error kinds."""

from __future__ import annotations

import errno
import re
import socket
import urllib.parse
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
import urllib3.exceptions

from monitor import __version__

PROJECT_URL = "https://github.com/kashmir-monitor/kashmir-monitor"
DEFAULT_USER_AGENT = f"kashmir-monitor/{__version__} (+{PROJECT_URL})"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def http_date(value: str | None) -> datetime | None:
    """An HTTP date (RFC 9110: IMF-fixdate, RFC 850, asctime) as an aware UTC datetime."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # asctime / "-0000" carry no zone; HTTP dates are GMT
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # isdigit alone accepts "²", which float() refuses
        return float(value)
    when = http_date(value)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())


def cache_hint_seconds(headers: dict[str, str], now: datetime) -> float | None:
    """How long the server says the response stays fresh (Cache-Control max-age, else Expires).

    Only a hint: the caller never polls faster than the feed's interval because of it.
    """
    control = headers.get("cache-control", "")
    if "no-cache" in control.lower() or "no-store" in control.lower():
        return None
    match = _MAX_AGE.search(control)
    if match:
        return float(match.group(1))
    expires = http_date(headers.get("expires"))
    if expires is None:
        return None
    served = http_date(headers.get("date")) or now  # Expires is relative to the server's clock
    return max(0.0, (expires - served).total_seconds())


def error_kind(exc: BaseException) -> str:
    """A short, stable name for a network failure (stored as the feed's last_status)."""
    # requests wraps urllib3 errors which wrap socket errors; look through the whole chain.
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        reason = getattr(chain[-1], "reason", None)
        if isinstance(reason, BaseException) and seen is None:
            seen = reason
    for item in chain:
        if isinstance(item, ConnectionRefusedError) or getattr(item, "errno", None) == errno.ECONNREFUSED:
            return "connection-refused"
        # before the timeout check: urllib3's NewConnectionError subclasses ConnectTimeoutError
        if isinstance(item, socket.gaierror | urllib3.exceptions.NameResolutionError):
            return "dns-error"
    for item in chain:
        if isinstance(item, ConnectionResetError) or getattr(item, "errno", None) == errno.ECONNRESET:
            return "connection-reset"
        if isinstance(item, (socket.timeout, TimeoutError, requests.Timeout,
                             urllib3.exceptions.TimeoutError)):
            return "timeout"
        if isinstance(item, requests.exceptions.SSLError):
            return "tls-error"
        if isinstance(item, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                             requests.exceptions.InvalidSchema)):
            return "bad-url"
        if isinstance(item, (urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError)):
            return "bad-content-encoding"
        if isinstance(item, (urllib3.exceptions.ProtocolError, requests.exceptions.ChunkedEncodingError,
                             urllib3.exceptions.IncompleteRead)):
            return "connection-reset"
    return "network-error"


def error_detail(kind: str, exc: BaseException, url: str) -> str:
    """One short sentence for a feed's last_error (requests' own messages run to 300 chars)."""
    host = urllib.parse.urlsplit(url).netloc or url
    if kind == "dns-error":
        return f"could not resolve host {urllib.parse.urlsplit(url).hostname}"
    if kind == "connection-refused":
        return f"connection refused by {host}"
    if kind == "timeout":
        return f"no answer from {host} in time"
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"
