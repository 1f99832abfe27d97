"""Records the store hands out: what a poll's save did, and what the queries return."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from monitor.matching.records import Mention

# Snippet markers: markdown bold, readable as-is in JSON/CSV/plain tables;
# SearchHit.highlighted(start, end) swaps them for other markup (ANSI bold, <mark>).
HIGHLIGHT_START = HIGHLIGHT_END = "**"
_MARKED = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class StoredMention:
    """A shift or new-mediator mention as stored, with where it lives (for immediate alerts)."""

    article_id: str
    cluster_id: str
    feed: str
    title: str
    link: str | None
    mention: Mention


@dataclass
class SaveResult:
    """What one save_poll did."""

    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)
    unchanged: int = 0
    shifts: list[StoredMention] = field(default_factory=list)
    new_mediators: list[StoredMention] = field(default_factory=list)


@dataclass(frozen=True)
class StoredMentionRow:
    """One mention row of a stored article (queries and exports)."""

    actor: str
    stance: str | None
    evidence: str
    confidence: float
    baseline: str | None = None
    in_watchlist: bool = True
    shift: bool = False


@dataclass
class SearchHit:
    """One full-text search result; `snippet` has **matched terms** (see HIGHLIGHT_START)."""

    id: str
    feed: str
    title: str
    link: str | None
    published: str
    relevant: bool
    score: float
    snippet: str
    rank: float
    mentions: list[StoredMentionRow] = field(default_factory=list)

    def highlighted(self, start: str = "**", end: str = "**") -> str:
        return _MARKED.sub(lambda m: f"{start}{m.group(1)}{end}", self.snippet)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["snippet"] = self.highlighted()
        return d


@dataclass(frozen=True)
class TimelineRow:
    """How many stored mentions gave `actor` the `stance` in one period (day or week start)."""

    period: str
    actor: str
    stance: str
    count: int


@dataclass(frozen=True)
class FeedStatus:
    """Per-feed health, as `status` shows it."""

    name: str
    url: str
    last_polled: str | None
    last_status: str | None
    consecutive_failures: int
    next_poll: str | None
    articles: int
    paused: bool = False
    last_error: str | None = None


@dataclass
class Stats:
    """Counts by feed, actor and stance, and storage size in bytes (database + WAL)."""

    articles: int
    relevant: int
    mentions_with_stance: int
    by_feed: dict[str, int]
    by_actor: dict[str, int]
    by_stance: dict[str, int]
    db_bytes: int
    wal_bytes: int
    schema_version: int


@dataclass
class Story:
    """One digest entry: a cluster of near-duplicate relevant articles, shown once.

    Fields mirror alerts.records.Story (so converting is one call per field): `id`..`score` are
    the representative article (highest score, then earliest); `member_ids` are every pending
    article of the cluster (record them all in delivery_items); `also_in` the other outlets'
    feed names that carried the story, with their headline and link in `also_in_links`.
    """

    id: str
    feed: str
    title: str
    link: str | None
    published: datetime
    summary: str = ""
    score: float = 0.0
    cluster_id: str | None = None
    mentions: tuple[StoredMentionRow, ...] = ()
    also_in: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()
    fetched_at: datetime | None = None
    also_in_links: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def shifts(self) -> list[StoredMentionRow]:
        return [m for m in self.mentions if m.shift]
