"""The store: the one place that writes feeds, articles and mentions.

One poll of one feed is saved in ONE short write transaction (feed state + articles + mentions +
FTS via triggers + cluster ids), so a crash never leaves half a story and readers never wait long.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.connection import open_database, write_transaction
from db.migrations import migrate
from db.records import SaveResult, StoredMention
from db.tags import tags_for
from db.timeutil import from_iso, to_iso
from feeds.dedup import is_near_duplicate
from feeds.records import Article, FeedState
from monitor.matching.records import Match

CLUSTER_WINDOW = timedelta(days=3)  # a near-duplicate must be this recent to join its cluster
PRUNE_BATCH = 2000  # rows per delete transaction, so pruning never holds the lock for long
_IN_CHUNK = 500  # ids per "IN (...)" lookup, well under SQLite's parameter limit

ARTICLE_COLUMNS = (
    "id", "feed", "guid", "link", "title", "summary", "author", "published", "fetched_at",
    "updated_at", "content_hash", "simhash", "cluster_id", "relevant", "score", "revision",
    "tags",
)  # fmt: skip
MENTION_COLUMNS = (
    "article_id", "actor", "stance", "evidence", "confidence", "baseline", "in_watchlist",
    "shift", "published",
)  # fmt: skip
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
)
_INSERT_MENTION = (
    f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})"
)


def to_signed64(value: int) -> int:
    """SimHash is an unsigned 64-bit int; SQLite stores signed 64-bit."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def from_signed64(value: int) -> int:
    return value & ((1 << 64) - 1)


@dataclass(frozen=True)
class PruneResult:
    relevant_deleted: int
    irrelevant_deleted: int


class Store:
    """The SQLite store at `path`, opened in WAL mode and migrated to the current schema.

    One Store (one connection) per thread that writes; readers may open their own Store or use
    db.queries on it. `.db` is the sqlite_utils.Database.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self.db = open_database(path)
        migrate(self.db)

    def close(self) -> None:
        # lets SQLite refresh planner statistics it found stale during this connection's queries;
        # best effort: it may need to write, which a reader behind the daemon's last commit
        # cannot (SQLITE_BUSY at once), and closing must not fail for that
        try:
            self.db.execute("PRAGMA optimize")
        except sqlite3.OperationalError:
            pass
        finally:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeds -------------------------------------------------------------------------------

    def sync_feeds(self, feeds: Iterable[tuple[str, str]]) -> None:
        """Create rows for configured feeds that have none. A changed configured URL replaces
        the stored one (and forgets its cache validators); a feed's own permanent redirect, saved
        through save_feed_state, is kept until the configuration changes."""
        with write_transaction(self.db):
            for name, url in feeds:
                self.db.execute(
                    "INSERT INTO feeds (name, url, config_url) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET url = excluded.url, "
                    "config_url = excluded.config_url, etag = NULL, last_modified = NULL, "
                    "body_hash = NULL WHERE feeds.config_url IS NOT excluded.config_url",
                    [name, url, url],
                )

    def feed_state(self, name: str) -> FeedState:
        """The stored state of feed `name`; KeyError if it has no row (call sync_feeds first)."""
        cursor = self.db.execute("SELECT * FROM feeds WHERE name = ?", [name])
        row = cursor.fetchone()
        if row is None:
            raise KeyError(name)
        r = dict(zip([d[0] for d in cursor.description], row, strict=True))
        return FeedState(
            name=r["name"], url=r["url"], etag=r["etag"], last_modified=r["last_modified"],
            body_hash=r["body_hash"], last_polled=from_iso(r["last_polled"]),
            last_success=from_iso(r["last_success"]), last_status=r["last_status"],
            last_error=r["last_error"], consecutive_failures=r["consecutive_failures"] or 0,
            next_poll=from_iso(r["next_poll"]), paused=bool(r["paused"]),
            paused_reason=r["paused_reason"],
        )  # fmt: skip

    def save_feed_state(self, state: FeedState) -> None:
        with write_transaction(self.db):
            self._write_feed_state(state)

    def _write_feed_state(self, s: FeedState) -> None:
        values = [
            s.name, s.url, s.etag, s.last_modified, s.body_hash, to_iso(s.last_polled),
            to_iso(s.last_success), s.last_status, s.last_error, s.consecutive_failures,
            to_iso(s.next_poll), int(s.paused), s.paused_reason,
        ]  # fmt: skip
        self.db.execute(
            "INSERT INTO feeds (name, url, etag, last_modified, body_hash, last_polled, "
            "last_success, last_status, last_error, consecutive_failures, next_poll, paused, "
            "paused_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET url = excluded.url, etag = excluded.etag, "
            "last_modified = excluded.last_modified, body_hash = excluded.body_hash, "
            "last_polled = excluded.last_polled, last_success = excluded.last_success, "
            "last_status = excluded.last_status, last_error = excluded.last_error, "
            "consecutive_failures = excluded.consecutive_failures, "
            "next_poll = excluded.next_poll, paused = excluded.paused, "
            "paused_reason = excluded.paused_reason",
            values,
        )

    def set_feed_interval(self, name: str, interval: int) -> None:
        """Record the feed's current (possibly adaptive) polling interval in seconds."""
        with write_transaction(self.db):
            self.db.execute("UPDATE feeds SET interval = ? WHERE name = ?", [interval, name])

    # -- articles ----------------------------------------------------------------------------

    def save_poll(
        self, state: FeedState, items: Sequence[tuple[Article, Match]], *,
        now: datetime | None = None,
    ) -> SaveResult:  # fmt: skip
        """Store one poll of one feed in one transaction: the feed state, then each article as
        new (inserted), updated (content_hash changed: same id, revision + 1, mentions
        replaced) or unchanged (left alone). Relevant new articles join the cluster of a
        near-duplicate from another feed seen within CLUSTER_WINDOW."""
        now = now or datetime.now(UTC)
        latest: dict[str, tuple[Article, Match]] = {}
        for article, match in items:  # a feed repeating an id: the last copy wins
            latest[article.id] = (article, match)
        result = SaveResult()
        with write_transaction(self.db):
            self._write_feed_state(state)
            existing = self._existing(list(latest))
            candidates: list[tuple[str, str, int, str]] | None = None
            article_rows, mention_rows = [], []
            for article, match in latest.values():
                old = existing.get(article.id)
                if old is not None and old[0] == article.content_hash:
                    result.unchanged += 1
                    continue
                if old is None:
                    cluster_id = article.id
                    if match.relevant:
                        if candidates is None:
                            candidates = self._cluster_candidates(state.name, latest.values())
                        cluster_id = _find_cluster(article, candidates) or article.id
                        candidates.append((article.id, cluster_id, article.simhash,
                                           to_iso(article.fetched_at)))
                    article_rows.append(_article_row(article, match, cluster_id, None, 1))
                    result.new_ids.append(article.id)
                else:
                    cluster_id = old[1] or article.id
                    self._update_article(article, match, old[2] + 1, now)
                    result.updated_ids.append(article.id)
                published = to_iso(article.published)
                for m in match.mentions:
                    mention_rows.append((
                        article.id, m.actor, m.stance, m.evidence, m.confidence, m.baseline,
                        int(m.in_watchlist), int(m.shift), published,
                    ))  # fmt: skip
                    stored = StoredMention(article.id, cluster_id, article.feed, article.title,
                                           article.link, m)
                    if m.shift:
                        result.shifts.append(stored)
                    if m.new_mediator:
                        result.new_mediators.append(stored)
            self.db.conn.executemany(_INSERT_ARTICLE, article_rows)
            self.db.conn.executemany(_INSERT_MENTION, mention_rows)
            if article_rows:
                self.db.execute(
                    "UPDATE feeds SET articles = articles + ? WHERE name = ?",
                    [len(article_rows), state.name],
                )
        return result

    def _existing(self, ids: list[str]) -> dict[str, tuple[str, str | None, int]]:
        """id -> (content_hash, cluster_id, revision) for the ids already stored."""
        found = {}
        for i in range(0, len(ids), _IN_CHUNK):
            chunk = ids[i : i + _IN_CHUNK]
            rows = self.db.execute(
                "SELECT id, content_hash, cluster_id, revision FROM articles "
                f"WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for id_, content_hash, cluster_id, revision in rows:
                found[id_] = (content_hash, cluster_id, revision)
        return found

    def _update_article(self, a: Article, match: Match, revision: int, now: datetime) -> None:
        self.db.execute(
            "UPDATE articles SET guid = ?, link = ?, title = ?, summary = ?, author = ?, "
            "published = ?, content_hash = ?, simhash = ?, relevant = ?, score = ?, "
            "revision = ?, updated_at = ?, tags = ? WHERE id = ?",
            [a.guid, a.link, a.title, a.summary, a.author, to_iso(a.published), a.content_hash,
             to_signed64(a.simhash), int(match.relevant), match.score, revision, to_iso(now),
             tags_for(match.mentions), a.id],
        )  # fmt: skip
        self.db.execute("DELETE FROM mentions WHERE article_id = ?", [a.id])

    def _cluster_candidates(
        self, feed: str, batch: Iterable[tuple[Article, Match]]
    ) -> list[tuple[str, str, int, str]]:
        """Recent relevant articles of other feeds: (id, cluster_id, simhash, fetched_at).
        Only relevant stories are clustered; digests are what groups them."""
        oldest = min(a.fetched_at for a, m in batch if m.relevant) - CLUSTER_WINDOW
        rows = self.db.execute(
            "SELECT id, coalesce(cluster_id, id), simhash, fetched_at FROM articles "
            "WHERE relevant = 1 AND fetched_at >= ? AND feed != ?",
            [to_iso(oldest), feed],
        )
        return [(i, c, from_signed64(s), f) for i, c, s, f in rows]

    # -- maintenance -------------------------------------------------------------------------

    def prune(
        self, keep_days: int | None, keep_days_irrelevant: int | None, *,
        now: datetime | None = None,
    ) -> PruneResult:  # fmt: skip
        """Delete articles published more than keep_days ago (irrelevant ones after
        keep_days_irrelevant); None keeps forever. Mentions go by cascade, FTS rows by trigger.
        Deletes in batches of PRUNE_BATCH, one short transaction each."""
        now = now or datetime.now(UTC)
        counts = []
        for relevant, days in ((1, keep_days), (0, keep_days_irrelevant)):
            deleted = 0
            if days is not None:
                cutoff = to_iso(now - timedelta(days=days))
                while True:
                    with write_transaction(self.db):
                        n = self.db.execute(
                            "DELETE FROM articles WHERE rowid IN (SELECT rowid FROM articles "
                            "WHERE published < ? AND relevant = ? LIMIT ?)",
                            [cutoff, relevant, PRUNE_BATCH],
                        ).rowcount
                    deleted += n
                    if n < PRUNE_BATCH:
                        break
            counts.append(deleted)
        if any(counts):
            with write_transaction(self.db):
                self.db.execute(
                    "UPDATE feeds SET articles = "
                    "(SELECT count(*) FROM articles WHERE articles.feed = feeds.name)"
                )
                self.db.execute("DELETE FROM stance_daily WHERE n <= 0")
        return PruneResult(relevant_deleted=counts[0], irrelevant_deleted=counts[1])

    def vacuum(self) -> None:
        """Maintenance: merge FTS segments, VACUUM, refresh planner statistics, truncate the WAL.

        VACUUM may renumber the implicit rowids of `articles`, which the external-content FTS
        index is keyed on, so the index is rebuilt afterwards.
        """
        self.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
        self.db.vacuum()
        self.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        self.db.execute("PRAGMA optimize")
        self.db.execute("ANALYZE")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _article_row(
    a: Article, match: Match, cluster_id: str, updated_at: str | None, revision: int
) -> tuple:
    return (
        a.id, a.feed, a.guid, a.link, a.title, a.summary, a.author, to_iso(a.published),
        to_iso(a.fetched_at), updated_at, a.content_hash, to_signed64(a.simhash), cluster_id,
        int(match.relevant), match.score, revision, tags_for(match.mentions),
    )  # fmt: skip


def _find_cluster(article: Article, candidates: list[tuple[str, str, int, str]]) -> str | None:
    oldest = to_iso(article.fetched_at - CLUSTER_WINDOW)
    for _id, cluster_id, simhash, fetched_at in candidates:
        if fetched_at >= oldest and is_near_duplicate(article.simhash, simhash):
            return cluster_id
    return None
