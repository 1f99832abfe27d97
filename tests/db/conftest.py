"""Builders for articles and matches, and a fresh store per test (a real SQLite file)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from db.store import Store
from feeds.records import Article, FeedState
from monitor.matching.records import Match, Mention

T0 = datetime(2025, 5, 11, 7, 0, tzinfo=UTC)


def make_article(
    id: str, feed: str = "dawn", title: str = "Kashmir talks", summary: str = "",
    *, published: datetime = T0, fetched_at: datetime | None = None, simhash: int | None = None,
) -> Article:  # fmt: skip
    content_hash = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
    if simhash is None:  # distinct per id unless a test asks for near-duplicates
        simhash = int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big")
    return Article(
        id=id, feed=feed, title=title, summary=summary, link=f"https://example.org/{id}",
        guid=id, published=published, fetched_at=fetched_at or published,
        content_hash=content_hash, simhash=simhash,
    )  # fmt: skip


def mention(actor: str, stance: str | None = None, *, shift: bool = False,
            in_watchlist: bool = True, confidence: float = 0.9) -> Mention:
    return Mention(actor=actor, stance=stance, evidence=f"{actor} said so", confidence=confidence,
                   baseline=None, in_watchlist=in_watchlist, shift=shift)


def make_match(*mentions: Mention, relevant: bool = True, score: float = 0.8) -> Match:
    return Match(relevant=relevant, score=score, mentions=tuple(mentions))


def feed_state(name: str = "dawn", url: str | None = None) -> FeedState:
    url = url or f"https://{name}.example/feed"
    return FeedState(name=name, url=url, last_polled=T0, last_status="ok")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kashmir-monitor.db")
    s.sync_feeds([("dawn", "https://dawn.example/feed"), ("hindu", "https://hindu.example/feed"),
                  ("aljazeera", "https://aljazeera.example/feed")])
    yield s
    s.close()


def days(n: float) -> timedelta:
    return timedelta(days=n)
