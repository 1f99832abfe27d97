"""Read-only queries the CLI and alerts/ call; each returns records from db/records.py.

`search` lives in db/search.py and `export` in db/export.py; both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from db.export import export
from db.migrations import schema_version
from db.records import FeedStatus, Stats, StoredMentionRow, Story, TimelineRow
from db.search import mentions_for, search
from db.timeutil import to_iso

if TYPE_CHECKING:
    from db.store import Store

__all__ = [
    "export", "feed_status", "recent_stance_counts", "search", "stats", "stories_for_digest",
    "timeline",
]  # fmt: skip

# A period label is the day, or the Monday that starts the ISO week.
_PERIOD = {"day": "day", "week": "date(day, '-6 days', 'weekday 1')"}


def timeline(
    store: Store, actor: str | None = None, *, by: str = "day",
    since: datetime | date | str | None = None, until: datetime | date | str | None = None,
) -> list[TimelineRow]:  # fmt: skip
    """Stance counts per actor per day or week (mentions with a stance, by publication date),
    ordered by period, actor, stance. Read from the stance_daily rollup, so it is fast at any
    size."""
    if by not in _PERIOD:
        raise ValueError(f"by must be 'day' or 'week', not {by!r}")
    where, params = ["n > 0"], []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if since is not None:
        where.append("day >= ?")
        params.append(to_iso(since)[:10])
    if until is not None:
        where.append("day <= ?")
        params.append(to_iso(until)[:10])
    rows = store.db.execute(
        f"SELECT {_PERIOD[by]} AS period, actor, stance, sum(n) FROM stance_daily "
        f"WHERE {' AND '.join(where)} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        params,
    )
    return [TimelineRow(*r) for r in rows]


def recent_stance_counts(
    store: Store, days: int = 30, *, now: datetime | None = None
) -> dict[str, dict[str, int]]:
    """actor -> stance -> mentions in the last `days` days (for a digest's summary line)."""
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=days)).date().isoformat()
    counts: dict[str, dict[str, int]] = {}
    rows = store.db.execute(
        "SELECT actor, stance, sum(n) FROM stance_daily WHERE day >= ? AND n > 0 "
        "GROUP BY actor, stance ORDER BY actor, stance",
        [cutoff],
    )
    for actor, stance, n in rows:
        counts.setdefault(actor, {})[stance] = n
    return counts


def feed_status(store: Store) -> list[FeedStatus]:
    """One health row per feed, by name."""
    rows = store.db.execute(
        "SELECT name, url, last_polled, last_status, consecutive_failures, next_poll, articles, "
        "paused, last_error FROM feeds ORDER BY name"
    )
    return [
        FeedStatus(name=r[0], url=r[1], last_polled=r[2], last_status=r[3],
                   consecutive_failures=r[4] or 0, next_poll=r[5], articles=r[6] or 0,
                   paused=bool(r[7]), last_error=r[8])
        for r in rows
    ]  # fmt: skip


def stats(store: Store) -> Stats:
    """Counts by feed, actor and stance (stance counts from the rollup), and storage size."""
    db = store.db
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    relevant = db.execute("SELECT count(*) FROM articles WHERE relevant = 1").fetchone()[0]
    by_feed = dict(db.execute("SELECT name, articles FROM feeds ORDER BY articles DESC, name"))
    by_actor = dict(db.execute(
        "SELECT actor, sum(n) AS c FROM stance_daily GROUP BY actor HAVING c > 0 "
        "ORDER BY c DESC, actor"
    ))  # fmt: skip
    by_stance = dict(db.execute(
        "SELECT stance, sum(n) AS c FROM stance_daily GROUP BY stance HAVING c > 0 "
        "ORDER BY c DESC, stance"
    ))  # fmt: skip
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    page_count = db.execute("PRAGMA page_count").fetchone()[0]
    wal = store.path.with_name(store.path.name + "-wal") if store.path else None
    return Stats(
        articles=total, relevant=relevant, mentions_with_stance=sum(by_stance.values()),
        by_feed=by_feed, by_actor=by_actor, by_stance=by_stance,
        db_bytes=page_size * page_count, wal_bytes=wal.stat().st_size if wal and wal.exists()
        else 0, schema_version=schema_version(db),
    )  # fmt: skip


def stories_for_digest(
    store: Store, channel: str, *, min_score: float = 0.0, actors: Iterable[str] = (),
    stances: Iterable[str] = (), shifts_only: bool = False,
    since: datetime | date | str | None = None, limit: int | None = None, kind: str = "digest",
) -> list[Story]:  # fmt: skip
    """Relevant stories scoring >= min_score that no `kind` delivery of `channel` has carried,
    one Story per near-duplicate cluster (clusters already sent on the channel are left out),
    best score first. `since` bounds fetched_at (a new channel need not get all history)."""
    db = store.db
    actors, stances = tuple(actors), tuple(stances)
    where = ["a.relevant = 1", "a.score >= ?"]
    params: list = [min_score]
    if since is not None:
        where.append("a.fetched_at >= ?")
        params.append(to_iso(since))
    where.append("NOT EXISTS (SELECT 1 FROM delivery_items d WHERE d.channel = ? "
                 "AND d.kind = ? AND d.article_id = a.id)")
    params += [channel, kind]
    mention_where = []
    if actors:
        mention_where.append(f"m.actor IN ({', '.join('?' * len(actors))})")
        params += actors
    if stances:
        mention_where.append(f"m.stance IN ({', '.join('?' * len(stances))})")
        params += stances
    if shifts_only:
        mention_where.append("m.shift = 1")
    if mention_where:
        where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND "
                     + " AND ".join(mention_where) + ")")
    rows = db.execute(
        "SELECT a.id, coalesce(a.cluster_id, a.id), a.feed, a.title, a.summary, a.link, "
        "a.published, a.fetched_at, a.score FROM articles a INDEXED BY articles_relevant_fetched "
        f"WHERE {' AND '.join(where)} ORDER BY a.fetched_at",
        params,
    ).fetchall()
    clusters: dict[str, list[tuple]] = {}
    for r in rows:
        clusters.setdefault(r[1], []).append(r)
    for sent in _clusters_sent(db, channel, kind, list(clusters)):
        del clusters[sent]
    members = _cluster_members(db, list(clusters))
    mentions = mentions_for(db, [r[0] for group in clusters.values() for r in group])
    stories = []
    for cluster_id, group in clusters.items():
        best = max(group, key=lambda r: (r[8], -_ts(r[6])))
        feeds_seen, also_in = {best[2]}, []
        for feed, title, link in members.get(cluster_id, []):
            if feed not in feeds_seen:
                feeds_seen.add(feed)
                also_in.append((feed, title, link))
        stories.append(Story(
            id=best[0], feed=best[2], title=best[3], link=best[5],
            published=datetime.fromisoformat(best[6]), summary=best[4], score=best[8],
            cluster_id=cluster_id,
            mentions=tuple(_merge_mentions(mentions.get(r[0], []) for r in group)),
            also_in=tuple(f for f, _, _ in also_in), member_ids=tuple(r[0] for r in group),
            fetched_at=datetime.fromisoformat(best[7]), also_in_links=tuple(also_in),
        ))  # fmt: skip
    stories.sort(key=lambda s: (-s.score, s.published))
    return stories[:limit] if limit is not None else stories


def _clusters_sent(db, channel: str, kind: str, cluster_ids: list[str]) -> set[str]:
    sent = set()
    for i in range(0, len(cluster_ids), 500):
        chunk = cluster_ids[i : i + 500]
        # EXISTS, not a JOIN: the planner would otherwise scan every delivered item first
        sent.update(r[0] for r in db.execute(
            "SELECT DISTINCT a.cluster_id FROM articles a "
            f"WHERE a.cluster_id IN ({', '.join('?' * len(chunk))}) AND EXISTS (SELECT 1 FROM "
            "delivery_items d WHERE d.channel = ? AND d.kind = ? AND d.article_id = a.id)",
            [*chunk, channel, kind],
        ))  # fmt: skip
    return sent


def _cluster_members(db, cluster_ids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    members: dict[str, list[tuple[str, str, str]]] = {}
    for i in range(0, len(cluster_ids), 500):
        chunk = cluster_ids[i : i + 500]
        rows = db.execute(
            "SELECT cluster_id, feed, title, link FROM articles "
            f"WHERE cluster_id IN ({', '.join('?' * len(chunk))}) ORDER BY fetched_at",
            chunk,
        )
        for cluster_id, feed, title, link in rows:
            members.setdefault(cluster_id, []).append((feed, title, link))
    return members


def _merge_mentions(groups: Iterable[list[StoredMentionRow]]) -> list[StoredMentionRow]:
    """One mention per (actor, stance) across a cluster's articles: the most confident."""
    best: dict[tuple[str, str | None], StoredMentionRow] = {}
    for group in groups:
        for m in group:
            key = (m.actor, m.stance)
            if key not in best or m.confidence > best[key].confidence:
                best[key] = m
    return list(best.values())


def _ts(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()
