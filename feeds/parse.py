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
    headers["content-type"] = _xml_charset_rule(headers["content-type"])
    try:
        data = feedparser.parse(io.BytesIO(defused.body), response_headers=headers,
                                sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is robust, but one feed must never stop a cycle
        return ParsedFeed(None, [], warnings=defused.warnings, error="parser-crash",
                          error_detail=f"{type(exc).__name__}: {exc}")
    warnings = list(defused.warnings)
    entries = data.get("entries") or []
    if data.get("bozo"):
        warnings.append(_bozo_warning(data.get("bozo_exception")))
    if not entries:
        failure = _not_a_feed(data, body, headers["content-type"], warnings)
        if failure:
            return ParsedFeed(None, [], warnings=warnings, error=failure[0], error_detail=failure[1])
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


def _xml_charset_rule(content_type: str) -> str:
    """RFC 7303: text/xml without a charset parameter lets the BOM / XML declaration decide.
    feedparser still applies RFC 3023's us-ascii default, which breaks UTF-8 and UTF-16 feeds
    served that way (common), so such types are passed on as application/xml."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media.startswith("text/") and media.endswith("xml") and "charset" not in content_type.lower():
        return "application/xml"
    return content_type


def _not_a_feed(data, body: bytes, content_type: str, warnings: list[str]) -> tuple[str, str] | None:
    """Why an entry-less parse is an error, or None when it is merely an empty feed."""
    version = data.get("version") or ""
    feed = data.get("feed") or {}
    described = bool(feed.get("title") or feed.get("link"))
    last = f" ({warnings[-1]})" if warnings else ""
    if not version and ("html" in content_type.lower() or _HTML_START.match(body[:4096])):
        return "html-not-feed", "an HTML page was served instead of a feed"
    if not version and not described:
        return "not-a-feed", "the body is not an RSS or Atom feed" + last
    if data.get("bozo") and not described:
        return "broken-feed", f"a {version or 'feed'} document too broken to give any entry{last}"
    return None
