"""Parsing a fetched body with feedparser into a ParsedFeed of Articles.

Safety: the body is handed over as a stream (feedparser treats a bare `bytes` argument as a
*file name* and would read a local file), the DOCTYPE is defused first (feeds/safexml.py), and
feedparser's own HTML sanitiser is switched off because normalising strips all markup anyway
(doing both would pay twice for the same job; plain text is what leaves this package).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import feedparser

from feeds.normalize import normalize_entries, plain_text
from feeds.records import FetchResult, ParsedFeed
from feeds.safexml import defuse

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)


def parse_feed(result: FetchResult, feed_name: str, *, now: datetime | None = None) -> ParsedFeed:
    """Parse a successful fetch; a failed or not-modified fetch gives an empty ParsedFeed."""
    now = now or datetime.now(UTC)
    if result.error:
        return ParsedFeed(None, [], error=result.error, error_detail=result.error_detail)
    if result.not_modified:
        return ParsedFeed(None, [])
    body = result.body or b""
    if not body.strip():
        return ParsedFeed(None, [], error="empty-body", error_detail="the server sent an empty body")
    defused = defuse(body)
    headers = {name.lower(): value for name, value in result.headers.items()}
    headers["content-location"] = result.url  # base for relative links
    # file:// and some servers give no type; feedparser would flag that as bozo. XML without a
    # charset parameter lets the XML declaration / BOM decide, as a missing header should.
    headers.setdefault("content-type", "application/xml")
    if defused.transcoded and "content-type" in headers:
        headers["content-type"] = headers["content-type"].split(";", 1)[0]  # now UTF-8
    try:
        data = feedparser.parse(io.BytesIO(defused.body), response_headers=headers,
                                sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is robust, but one feed must never stop a cycle
        return ParsedFeed(None, [], warnings=defused.warnings, error="parser-crash",
                          error_detail=f"{type(exc).__name__}: {exc}")
    warnings = list(defused.warnings)
    entries = data.get("entries") or []
    version = data.get("version") or ""
    if data.get("bozo"):
        warnings.append(_bozo_warning(data.get("bozo_exception")))
    if not entries and (not version or data.get("bozo")):
        kind, detail = _not_a_feed(body, headers.get("content-type", ""), version, warnings)
        return ParsedFeed(None, [], warnings=warnings, error=kind, error_detail=detail)
    articles, entry_warnings = normalize_entries(entries, feed_name, now, result.url)
    title = plain_text(data.get("feed", {}).get("title"), True) or None
    return ParsedFeed(title, articles, warnings + entry_warnings)


def _bozo_warning(exc: object) -> str:
    name = type(exc).__name__
    if name == "CharacterEncodingOverride":
        return f"declared encoding is wrong ({exc})"
    if name == "NonXMLContentType":
        return f"not served as XML ({exc})"
    if name == "CharacterEncodingUnknown":
        return f"unknown encoding ({exc})"
    return f"malformed XML, parsed leniently ({name}: {exc})"


def _not_a_feed(body: bytes, content_type: str, version: str, warnings: list[str]) -> tuple[str, str]:
    if "html" in content_type.lower() or _HTML_START.match(body[:4096]):
        return "html-not-feed", "an HTML page was served instead of a feed"
    if version:
        return "broken-feed", f"a {version} feed too broken to give any entry ({warnings[-1]})"
    return "not-a-feed", "the body is not an RSS or Atom feed" + (
        f" ({warnings[-1]})" if warnings else "")
