"""The outbox: delivering frozen deliveries exactly once from the reader's view.

A delivery is claimed (`sending`, attempts+1, committed) before its channel is called and marked
`delivered` only after the channel confirmed. A crash between the two leaves it `sending`; it is
sent again later with the same id, which the far end dedupes (webhook-id, Message-ID, file name).
Failures back off exponentially with jitter (Retry-After wins on 429); after `max_attempts` a
delivery is `dead` until `retry_dead`; a 410 disables the delivery and its channel."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from alerts.channels.base import Channel, DeliveryError, Outgoing
from alerts.enqueue import (  # noqa: F401  (the outbox API in one place)
    _transaction,
    enqueue_alerts,
    enqueue_digests,
    iso,
    render_pending_digest,
)
from alerts.records import RenderedMessage
from alerts.select import _time

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # a `sending` row is retried after this if its sender died
BACKOFF_CAP = 6 * 3600.0
RETRY_AFTER_CAP = 24 * 3600.0

# Disabled channels (a 410 said the endpoint is gone). Kept here until db/ adopts the table.
CHANNEL_STATE_DDL = """CREATE TABLE IF NOT EXISTS channel_state (
    name TEXT PRIMARY KEY, disabled_at TEXT, disabled_reason TEXT)"""


@dataclass
class DeliveryReport:
    """What one `deliver_due` run did, for the CLI and the logs."""

    delivered: list[tuple[str, str, str]] = field(default_factory=list)  # id, channel, detail
    retrying: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, ch, err, when
    dead: list[tuple[str, str, str]] = field(default_factory=list)  # id, channel, error
    disabled: list[tuple[str, str]] = field(default_factory=list)  # channel, reason
    held: int = 0  # due but not attempted (disabled channel, outside active hours)
    in_flight: int = 0  # being sent by another process, or by one that died (lease pending)

    @property
    def ok(self) -> bool:
        return not (self.retrying or self.dead or self.disabled)

    def describe(self) -> str:
        lines = [f"{len(self.delivered)} delivered, {len(self.retrying)} to retry, "
                 f"{len(self.dead)} dead, {len(self.disabled)} channel(s) disabled"
                 + (f", {self.held} held" if self.held else "")
                 + (f", {self.in_flight} in flight (retried after the lease)"
                    if self.in_flight else "")]
        lines += [f"  delivered {i} via {c}: {d}" for i, c, d in self.delivered]
        lines += [f"  retry {i} via {c} at {w}: {e}" for i, c, e, w in self.retrying]
        lines += [f"  DEAD {i} via {c}: {e}" for i, c, e in self.dead]
        lines += [f"  channel {c} DISABLED: {r}" for c, r in self.disabled]
        return "\n".join(lines)


@dataclass(frozen=True)
class ChannelBacklog:
    """Pending and dead deliveries of one channel, for `status`."""

    channel: str
    pending: int
    dead: int
    disabled: bool
    next_attempt_at: str | None
    last_error: str | None


def _ensure_state_table(db: Any) -> None:
    db.execute(CHANNEL_STATE_DDL)


def disabled_channels(store: Any) -> dict[str, str]:
    """name -> why, for channels a 410 disabled."""
    _ensure_state_table(store.db)
    rows = store.db.execute("SELECT name, disabled_reason FROM channel_state "
                            "WHERE disabled_at IS NOT NULL")
    return dict(rows.fetchall())


def backoff_seconds(attempts: int, base: float, rng: random.Random | None = None) -> float:
    """base·2^(attempts-1), capped, with "equal jitter": half fixed, half random."""
    delay = min(BACKOFF_CAP, base * 2 ** max(0, attempts - 1))
    return delay / 2 + (rng or random).uniform(0, delay / 2)


def _within(active_hours: str | None, now: datetime, timezone: str = "UTC") -> bool:
    """Is `now` inside "HH:MM-HH:MM" (in `timezone`; a range may wrap past midnight)?"""
    if not active_hours:
        return True
    start, end = active_hours.split("-")
    if start == end:  # "00:00-00:00": the whole day
        return True
    hm = now.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
    return start <= hm < end if start < end else hm >= start or hm < end


def _due(store: Any, now: datetime, force: bool, names: set[str]) -> list[tuple]:
    # `force` skips the backoff of pending rows, never the lease of a row in flight: that one
    # may be mid-send in another process (the daemon) and is retried once the lease runs out
    rows = store.db.execute(
        "SELECT id, channel, kind, payload, attempts, status, created_at FROM deliveries "
        "WHERE (status = 'pending' AND (? OR next_attempt_at IS NULL OR next_attempt_at <= ?)) "
        "OR (status = 'sending' AND next_attempt_at <= ?) "
        "ORDER BY created_at, id", [int(force), iso(now), iso(now)]).fetchall()
    return [r for r in rows if r[1] in names]


def _in_flight(store: Any, now: datetime, names: set[str]) -> int:
    rows = store.db.execute("SELECT channel FROM deliveries WHERE status = 'sending' "
                            "AND next_attempt_at > ?", [iso(now)]).fetchall()
    return sum(1 for (c,) in rows if c in names)


def _claim(store: Any, row: tuple, now: datetime) -> bool:
    """Mark `sending` (and count the attempt) unless another process got there first."""
    delivery_id, _, _, _, attempts, status, _ = row
    with _transaction(store.db) as db:
        cur = db.execute(
            "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, "
            "next_attempt_at = ? WHERE id = ? AND status = ? AND attempts = ?",
            [iso(now + LEASE), delivery_id, status, attempts])
        return cur.rowcount == 1


def _finish(store: Any, delivery_id: str, **columns: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in columns)
    with _transaction(store.db) as db:
        db.execute(f"UPDATE deliveries SET {sets} WHERE id = ?", [*columns.values(), delivery_id])


def _disable_channel(store: Any, name: str, reason: str, now: datetime) -> None:
    _ensure_state_table(store.db)
    with _transaction(store.db) as db:
        db.execute("INSERT INTO channel_state (name, disabled_at, disabled_reason) "
                   "VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                   "disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason",
                   [name, iso(now), reason])


def deliver_due(store: Any, channels: Mapping[str, Channel] | Iterable[Channel], now: datetime,
                force: bool = False, *, names: Iterable[str] | None = None,
                rng: random.Random | None = None, timezone: str = "UTC") -> DeliveryReport:
    """Attempt every due delivery of the given channels. `force` (a manual `digest`) ignores
    backoff and active hours; the daemon leaves it False. `timezone` is the config's
    [schedule] timezone, in which channels' `active_hours` are read."""
    by_name = dict(channels) if isinstance(channels, Mapping) else {c.name: c for c in channels}
    if names is not None:
        wanted = set(names)
        by_name = {n: c for n, c in by_name.items() if n in wanted}
    report = DeliveryReport(in_flight=_in_flight(store, now, set(by_name)))
    off = disabled_channels(store)
    for row in _due(store, now, force, set(by_name)):
        delivery_id, channel_name, kind, payload, attempts, _, created = row
        channel = by_name[channel_name]
        if channel_name in off or (kind == "alert" and not force
                                   and not _within(channel.config.active_hours, now, timezone)):
            report.held += 1
            continue
        if not _claim(store, row, now):
            continue
        outgoing = Outgoing(delivery_id, channel_name, kind, RenderedMessage.from_json(payload),
                            _time(created), attempts + 1)
        try:
            detail = channel.send(outgoing)
        except DeliveryError as exc:
            error = exc
        except Exception as exc:  # a bug in a channel must not stop the other deliveries
            log.exception("channel %s failed unexpectedly", channel_name)
            error = DeliveryError(f"{type(exc).__name__}: {exc}")
        else:
            _finish(store, delivery_id, status="delivered", delivered_at=iso(now),
                    last_error=None, next_attempt_at=None)
            report.delivered.append((delivery_id, channel_name, detail))
            continue
        _failed(store, report, channel, outgoing, error, now, rng, off)
    return report


def _failed(store: Any, report: DeliveryReport, channel: Channel, outgoing: Outgoing,
            error: DeliveryError, now: datetime, rng: random.Random | None,
            off: dict[str, str]) -> None:
    name, delivery_id = channel.name, outgoing.id
    if error.gone:
        _finish(store, delivery_id, status="disabled", last_error=error.detail,
                next_attempt_at=None)
        _disable_channel(store, name, error.detail, now)
        off[name] = error.detail
        report.disabled.append((name, error.detail))
        log.error("channel %s disabled: %s", name, error.detail)
    elif not error.retryable or outgoing.attempt >= channel.max_attempts:
        _finish(store, delivery_id, status="dead", last_error=error.detail, next_attempt_at=None)
        report.dead.append((delivery_id, name, error.detail))
        log.error("delivery %s is dead after %d attempt(s): %s", delivery_id, outgoing.attempt,
                  error.detail)
    else:
        wait = (min(error.retry_after, RETRY_AFTER_CAP) if error.retry_after is not None
                else backoff_seconds(outgoing.attempt, channel.retry_base, rng))
        when = iso(now + timedelta(seconds=wait))
        _finish(store, delivery_id, status="pending", last_error=error.detail,
                next_attempt_at=when)
        report.retrying.append((delivery_id, name, error.detail, when))
        log.warning("delivery %s failed (%s); retry at %s", delivery_id, error.detail, when)


def retry_dead(store: Any, channel: str | None = None) -> int:
    """Put dead and disabled deliveries (of one channel, or all) back in the queue, re-enabling
    their channels; returns how many."""
    _ensure_state_table(store.db)
    where, params = "status IN ('dead', 'disabled')", []
    if channel is not None:
        where += " AND channel = ?"
        params.append(channel)
    with _transaction(store.db) as db:
        cur = db.execute(f"UPDATE deliveries SET status = 'pending', attempts = 0, "
                         f"next_attempt_at = NULL WHERE {where}", params)
        if channel is None:
            db.execute("DELETE FROM channel_state")
        else:
            db.execute("DELETE FROM channel_state WHERE name = ?", [channel])
        return cur.rowcount


def list_dead(store: Any, channel: str | None = None) -> list[dict[str, Any]]:
    """Dead and disabled deliveries, newest first."""
    sql = ("SELECT id, channel, kind, subject, status, attempts, last_error, created_at "
           "FROM deliveries WHERE status IN ('dead', 'disabled')")
    params = []
    if channel is not None:
        sql += " AND channel = ?"
        params.append(channel)
    return list(store.db.query(sql + " ORDER BY created_at DESC", params))


def pending_summary(store: Any) -> list[ChannelBacklog]:
    """Per channel with any backlog: pending (incl. in-flight) and dead counts, disabled flag."""
    off = disabled_channels(store)
    rows = store.db.execute(
        "SELECT channel, sum(status IN ('pending', 'sending')), "
        "sum(status IN ('dead', 'disabled')), "
        "min(CASE WHEN status IN ('pending', 'sending') THEN next_attempt_at END), "
        "max(CASE WHEN status != 'delivered' THEN last_error END) "
        "FROM deliveries GROUP BY channel ORDER BY channel").fetchall()
    out = [ChannelBacklog(c, int(p or 0), int(d or 0), c in off, n, e) for c, p, d, n, e in rows]
    known = {b.channel for b in out}
    out += [ChannelBacklog(c, 0, 0, True, None, r) for c, r in off.items() if c not in known]
    return out


def release_orphaned_leases(store) -> int:
    """At daemon start: deliveries left `sending` by a killed sender become due again now.

    The outbox leases a claimed delivery for 10 minutes so that two live senders never send it
    twice at once. A daemon starting holds the database lock, so no other daemon is sending;
    waiting out the lease would only delay alerts. The (small) remaining overlap, a manual
    `digest` mid-send right now, re-sends under the same delivery id, which receivers dedupe
    (the outbox's at-least-once contract).
    """
    with _transaction(store.db) as db:
        return db.execute("UPDATE deliveries SET status = 'pending', next_attempt_at = NULL "
                                "WHERE status = 'sending'").rowcount
