"""Records that leave the feeds package: what a fetch returned and what a feed entry became."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FeedState:
    """What we remember about one feed between polls (persisted by db/, used by fetch)."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    # "ok", "warning" (entries kept, see last_error), "not-modified" (304), "unchanged" (same
    # body hash), or a failure kind: "http-500", "timeout", "too-large", "html-not-feed", ...
    last_status: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    next_poll: datetime | None = None
    paused: bool = False
    paused_reason: str | None = None


@dataclass
class FetchResult:
    """The outcome of one HTTP (or file://) fetch. `error` is set when nothing usable came back."""

    url: str  # the URL finally answered (after redirects)
    status: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304, or a 200 whose body hash equals the last one
    permanent_redirect: str | None = None  # new URL after a 301/308
    retry_after: float | None = None  # seconds, from Retry-After / Cache-Control
    error: str | None = None  # short machine-ish kind: "timeout", "http-503", "too-large", ...
    error_detail: str | None = None  # human sentence
    elapsed: float = 0.0
    body_hash: str | None = None  # sha256 of the body, kept in FeedState.body_hash


@dataclass
class Article:
    """One normalised feed entry: plain text, canonical link, UTC time, stable id."""

    id: str  # stable: trusted GUID, else canonical link, else content hash (prefixed by feed)
    feed: str
    title: str
    summary: str
    link: str | None
    guid: str | None
    published: datetime  # UTC, falls back to first-seen time
    fetched_at: datetime  # UTC
    author: str | None = None
    categories: tuple[str, ...] = ()
    content_hash: str = ""  # hash of title+summary, to tell updates
    simhash: int = 0  # 64-bit SimHash of the text shingles, for near-duplicate clusters


@dataclass
class ParsedFeed:
    """What parsing one fetched body produced; warnings do not stop the entries."""

    title: str | None
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when the body was not a feed at all
    error_detail: str | None = None  # human sentence for `error`
