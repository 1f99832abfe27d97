"""Turning feedparser entries into Article records: plain text, canonical links, UTC times,
stable ids, content hashes and SimHashes."""

from __future__ import annotations

import calendar
import hashlib
import html
import re
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import nh3

from feeds.dedup import simhash
from feeds.records import Article

# Query parameters that only track the reader (campaigns, click ids): dropped from links so that
# the same story reached through different campaigns has one canonical link.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "vero_id", "rb_clickid", "s_cid", "cmpid", "ocid", "ito", "xtor", "at_medium",
    "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "smid", "sr_share",
    "ncid", "cid", "ref_src", "ref_url", "spm", "share", "guccounter", "guce_referrer",
    "guce_referrer_sig", "utm",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__twitter")
_SPACE = re.compile(r"\s+")
# Left after folding whitespace: C0/C1 controls (a decoded "&#x1b;" is a terminal escape for
# whoever reads the database), non-characters and lone surrogates (invalid in any XML output).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_NO_TAGS: set[str] = set()
_DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math"}
# A published time further ahead than this is a broken clock or a typo, not news from the future.
FUTURE_SLACK = timedelta(days=1)


def plain_text(value: str | None, is_html: bool = True) -> str:
    """Text without markup: tags removed (scripts and styles with their content), entities
    decoded, whitespace folded to single spaces."""
    if not value:
        return ""
    if is_html and ("<" in value or "&" in value):
        value = nh3.clean(value, tags=_NO_TAGS, clean_content_tags=_DROP_WITH_CONTENT)
        value = html.unescape(value)
    return _SPACE.sub(" ", _CONTROL.sub(" ", value)).strip()


def printable(text: str) -> str:
    """Text from a feed or a server (an error message, a reason phrase) without the control
    characters that would act on a terminal showing it."""
    return _CONTROL.sub("", text)


def canonical_link(url: str | None) -> str | None:
    """The link without tracking parameters and fragment, with a lower-cased scheme and host."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url or None
    if parts.scheme.lower() not in ("http", "https"):
        return url or None
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}[parts.scheme.lower()]
    # Built from hostname and port only: credentials in a link never reach storage.
    if ":" in host:  # IPv6 literal: hostname dropped its brackets
        host = f"[{host}]"
    netloc = host if port in (None, default) else f"{host}:{port}"
    query = "&".join(
        pair for pair in parts.query.split("&")
        if pair and not _is_tracking(pair.split("=", 1)[0])
    )
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def _is_tracking(name: str) -> bool:
    name = urllib.parse.unquote_plus(name).lower()
    return name in TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def content_hash(title: str, summary: str) -> str:
    """What tells an updated entry (same id, new text) from an unchanged one."""
    return _digest(title, summary)


def trusted_guids(entries: Sequence[Any], base: str | None = None) -> set[str]:
    """The GUIDs of this feed that can identify an entry: present, unique within the feed and
    not a bare short value (feeds that number items 1, 2, 3 reuse them as items rotate).

    feedparser resolves an RSS guid like "17" against the feed URL, so a GUID that is the feed's
    own folder plus a short tail counts as bare too."""
    counts = Counter(guid for guid in (_guid(e) for e in entries) if guid)
    folder = urllib.parse.urljoin(base, ".") if base else None
    return {guid for guid, n in counts.items()
            if n == 1 and _distinctive(_unresolved(guid, folder))}


def _unresolved(guid: str, folder: str | None) -> str:
    if folder and guid.startswith(folder):
        return guid[len(folder):]
    return guid


def _distinctive(guid: str) -> bool:
    if len(guid) < 6:
        return False
    return not (guid.isdigit() and len(guid) < 8)


# feedparser stores entries under canonical keys ("id", "summary", ...); plain dict lookups skip
# its alias machinery, which is a measurable share of a cycle.
_get = dict.get


def _guid(entry: Any) -> str | None:
    guid = _get(entry, "id")
    return guid.strip() if isinstance(guid, str) and guid.strip() else None


def entry_time(entry: Any, now: datetime) -> tuple[datetime, bool]:
    """The entry's published (else updated) time in UTC, and whether it was usable; the first-seen
    time `now` stands in for a missing, unparsable or far-future date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)  # plain lookup: skips feedparser's deprecated aliasing
        if not parsed:
            continue
        try:  # feedparser gives UTC struct_times; timegm keeps them UTC
            when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (OverflowError, ValueError, OSError, TypeError):
            continue
        if when > now + FUTURE_SLACK or when.year < 1970:
            continue
        return when, True
    return now, False


def _detail_is_html(entry: Any, key: str) -> bool:
    detail = _get(entry, f"{key}_detail")
    kind = detail.get("type", "") if detail else ""
    return kind != "text/plain"


def _summary(entry: Any) -> tuple[str, bool]:
    summary = _get(entry, "summary")
    if summary:
        return summary, _detail_is_html(entry, "summary")
    for content in _get(entry, "content") or ():
        if content.get("value"):
            return content["value"], content.get("type", "") != "text/plain"
    return "", False


def normalize_entries(
    entries: Sequence[Any], feed_name: str, now: datetime, base: str | None = None
) -> tuple[list[Article], list[str]]:
    """Articles for a feed's entries (in feed order, one per id) and warnings about them;
    `base` is the feed's URL (to recognise bare GUIDs feedparser made absolute)."""
    trusted = trusted_guids(entries, base)
    articles: list[Article] = []
    seen: set[str] = set()
    undated = duplicates = 0
    for entry in entries:
        title = plain_text(_get(entry, "title"), _detail_is_html(entry, "title"))
        raw_summary, summary_html = _summary(entry)
        summary = plain_text(raw_summary, summary_html)
        link = canonical_link(_get(entry, "link"))
        guid = _guid(entry)
        if not (title or summary or link):
            continue  # nothing a reader could use
        text_hash = content_hash(title, summary)
        if guid and guid in trusted:
            key = "g" + _digest(guid)
        elif link:
            key = "l" + _digest(link)
        else:
            key = "h" + text_hash
        article_id = f"{feed_name}:{key[:25]}"
        if article_id in seen:
            duplicates += 1
            continue
        seen.add(article_id)
        published, dated = entry_time(entry, now)
        undated += not dated
        author = plain_text(_get(entry, "author"), True) or None
        categories = tuple(dict.fromkeys(
            term for term in (plain_text(_get(tag, "term"), False) for tag in _get(entry, "tags") or ())
            if term
        ))
        articles.append(Article(
            id=article_id, feed=feed_name, title=title, summary=summary, link=link, guid=guid,
            published=published, fetched_at=now, author=author, categories=categories,
            content_hash=text_hash,
            # the headline: what syndicated copies share (and what the threshold is calibrated on)
            simhash=simhash(title or summary[:300]),
        ))
    warnings = []
    if undated:
        warnings.append(f"{undated} entries without a usable date (first-seen time used)")
    if duplicates:
        warnings.append(f"{duplicates} duplicate entries dropped")
    untrusted = sum(1 for e in entries if _guid(e) and _guid(e) not in trusted)
    if untrusted:
        warnings.append(f"{untrusted} entries with duplicate or bare GUIDs (ids from links)")
    return articles, warnings
