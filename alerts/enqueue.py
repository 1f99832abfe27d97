"""Creating deliveries: a digest or alert is rendered once and frozen in `deliveries`, and
its stories claimed in `delivery_items` in the same transaction. The UNIQUE key there is
what makes a story go into exactly one digest per channel, and an alert go out once per
(channel, story cluster, actor)."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from alerts.chart import stance_chart_png
from alerts.digest import build_digest
from alerts.records import Alert, RenderedMessage
from alerts.render import render_alert, render_digest
from alerts.select import events_from_save, pending_stories, stance_counts, wanted_by
from monitor.config_records import ChannelConfig

log = logging.getLogger(__name__)


def iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _config(channel: Any) -> ChannelConfig:
    return channel if isinstance(channel, ChannelConfig) else channel.config


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def _transaction(db: Any):
    from db.connection import write_transaction

    return write_transaction(db)


def insert_delivery(store: Any, *, delivery_id: str, channel: str, kind: str,
                    message: RenderedMessage, items: Iterable[tuple[str, str]],
                    now: datetime) -> bool:
    """Freeze a delivery and claim its items (article_id, actor) in one transaction. False when
    an item is already claimed on this channel (nothing is written then)."""
    try:
        with _transaction(store.db) as db:
            db.execute(
                "INSERT INTO deliveries (id, channel, kind, subject, payload, status, attempts, "
                "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                [delivery_id, channel, kind, message.subject, message.to_json(), iso(now),
                 iso(now)])
            db.conn.executemany(
                "INSERT INTO delivery_items (delivery_id, channel, article_id, kind, actor) "
                "VALUES (?, ?, ?, ?, ?)",
                [(delivery_id, channel, article, kind, actor) for article, actor in items])
    except sqlite3.IntegrityError:
        return False
    return True


def build_pending_digest(store: Any, channel: ChannelConfig, now: datetime, *,
                         templates_dir: Path | None = None, chart: bool = True,
                         counts: dict[str, dict[str, int]] | None = None):
    """(digest, rendered message) for what the channel has pending, or None if nothing is."""
    stories = pending_stories(store, channel)
    if not stories:
        return None
    counts = stance_counts(store, now) if counts is None else counts
    digest = build_digest(stories, channel=channel.name, now=now, schedule=channel.schedule,
                          stance_counts=counts)
    png = stance_chart_png(counts) if chart else None
    return digest, render_digest(digest, templates_dir=templates_dir, chart_png=png)


def enqueue_digests(store: Any, channels: Iterable[Any], now: datetime, *,
                    templates_dir: Path | None = None, chart: bool = True) -> list[str]:
    """Freeze one digest delivery per scheduled channel that has pending stories; returns the
    new delivery ids. Channels without a schedule (alerts only) get no digest."""
    created = []
    counts = None
    for channel in map(_config, channels):
        if not channel.schedule:
            continue
        for _ in range(3):  # a concurrent enqueue may claim a story first: select again
            if counts is None:
                counts = stance_counts(store, now)
            built = build_pending_digest(store, channel, now, templates_dir=templates_dir,
                                         chart=chart, counts=counts)
            if built is None:
                break
            digest, message = built
            ids = sorted(digest.article_ids)
            delivery_id = (f"{channel.name}-digest-{now:%Y%m%dT%H%M%SZ}-"
                           f"{_short_hash(channel.name, *ids)}")
            if insert_delivery(store, delivery_id=delivery_id, channel=channel.name,
                               kind="digest", message=message, now=now,
                               items=[(i, "") for i in ids]):
                created.append(delivery_id)
                break
            log.info("digest for %s lost a race for its stories; selecting again", channel.name)
    return created


def enqueue_alerts(store: Any, saved: Any, channels: Iterable[Any], now: datetime, *,
                   templates_dir: Path | None = None) -> int:
    """Freeze an alert delivery per immediate channel for each stance shift and new mediator in
    `saved` (a SaveResult or StoredMentions). The id derives from (channel, cluster, actor), so
    the same event seen again, from another outlet or another poll, adds nothing."""
    events = events_from_save(store, saved)
    created = 0
    for channel in map(_config, channels):
        for event in (e for e in events if wanted_by(channel, e)):
            cluster, actor = event.story.cluster, event.mention.actor
            already = store.db.execute(
                "SELECT 1 FROM delivery_items WHERE channel = ? AND kind = 'alert' "
                "AND article_id = ? AND actor = ?", [channel.name, cluster, actor]).fetchone()
            if already:
                continue
            message = render_alert(Alert(channel.name, now, event), templates_dir=templates_dir)
            delivery_id = f"{channel.name}-alert-{_short_hash(channel.name, cluster, actor)}"
            created += insert_delivery(store, delivery_id=delivery_id, channel=channel.name,
                                       kind="alert", message=message, now=now,
                                       items=[(cluster, actor)])
    return created


def render_pending_digest(store: Any, channel: Any, now: datetime,
                          templates_dir: Path | None = None, *, html: bool = False) -> str:
    """`digest --dry-run`: the digest the channel would get now, rendered, nothing marked."""
    config = _config(channel)
    if not config.schedule:  # as enqueue_digests: such a channel never gets a digest
        return f"[{config.name}] alerts only (no schedule): no digests"
    built = build_pending_digest(store, config, now, templates_dir=templates_dir,
                                 chart=False)
    if built is None:
        return f"[{config.name}] nothing pending"
    _, message = built
    body = message.html if html else message.text
    return f"[{config.name}] Subject: {message.subject}\n\n{body}"
