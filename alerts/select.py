"""Reading what to send from the store: db records turned into the alerts' own records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.labels import source_name
from alerts.records import Event, Story, StoryMention
from monitor.config_records import ChannelConfig


def _time(value: str | datetime | None) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not value:
        return datetime.now(UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _mention(m: Any) -> StoryMention:
    return StoryMention(actor=m.actor, stance=m.stance, evidence=m.evidence or "",
                        confidence=float(m.confidence or 0), baseline=m.baseline,
                        in_watchlist=bool(m.in_watchlist), shift=bool(m.shift))


def story_from_db(row: Any) -> Story:
    """A `db.records.Story` (one near-duplicate cluster) as an alerts Story."""
    also = []
    for entry in row.also_in:
        feed = entry[0] if isinstance(entry, tuple | list) else entry
        label = source_name(feed)
        if label not in also:
            also.append(label)
    return Story(id=row.id, feed=row.feed, title=row.title or "", link=row.link,
                 published=_time(row.published), summary=row.summary or "",
                 score=float(row.score or 0), cluster_id=row.cluster_id,
                 mentions=tuple(_mention(m) for m in row.mentions), also_in=tuple(also),
                 member_ids=tuple(getattr(row, "member_ids", None)
                                  or getattr(row, "article_ids", ())),
                 source=source_name(row.feed))


def pending_stories(store: Any, channel: ChannelConfig) -> list[Story]:
    """Relevant stories this channel's digests have not carried yet."""
    from db.queries import stories_for_digest

    rows = stories_for_digest(store, channel.name, min_score=channel.min_score,
                              actors=channel.actors, stances=channel.stances,
                              shifts_only=channel.shifts_only)
    return [story_from_db(r) for r in rows]


def stance_counts(store: Any, now: datetime, days: int = 30) -> dict[str, dict[str, int]]:
    from db.queries import recent_stance_counts

    return recent_stance_counts(store, days, now=now)


def events_from_save(store: Any, saved: Any) -> list[Event]:
    """The stance shifts and new mediators a `save_poll` stored (a SaveResult, or an iterable of
    StoredMention), as events with their story read back from `articles`."""
    if hasattr(saved, "shifts") or hasattr(saved, "new_mediators"):
        stored = [*getattr(saved, "shifts", []), *getattr(saved, "new_mediators", [])]
    else:
        stored = list(saved)
    events, seen = [], set()
    for item in stored:
        m = _mention(item.mention)
        kind = "shift" if m.shift and m.stance else "new_mediator" if m.new_mediator else None
        key = (kind, item.cluster_id or item.article_id, m.actor)
        if kind is None or key in seen:
            continue
        seen.add(key)
        row = store.db.execute("SELECT published, summary, score FROM articles WHERE id = ?",
                               [item.article_id]).fetchone()
        published, summary, score = row if row else (None, "", 0.0)
        story = Story(id=item.article_id, feed=item.feed, title=item.title or "",
                      link=item.link, published=_time(published), summary=summary or "",
                      score=float(score or 0), cluster_id=item.cluster_id, mentions=(m,),
                      source=source_name(item.feed))
        events.append(Event(kind, story, m))
    return events


def wanted_by(channel: ChannelConfig, event: Event) -> bool:
    """Does an immediate channel want this event (its score, actor/stance and shift filters)?"""
    m = event.mention
    return (channel.immediate and event.story.score >= channel.min_score
            and (not channel.shifts_only or event.kind == "shift")
            and (not channel.actors or m.actor in channel.actors)
            and (not channel.stances or m.stance in channel.stances))

