"""The daemon's heartbeat (written by the daemon) and `status` (read from the database only, so
it works from another shell, a cron job or a container health check).

The `daemon_heartbeat` table is owned here until db/migrations.py adopts it: one row (id = 1)
per database, since only one daemon may run on a database (monitor/lock.py).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# The table daemon_heartbeat is created by db/migrations.py (v5); one row, id = 1.
STALE_AFTER_BEATS = 3  # a heartbeat older than 3 beats (and not stopped cleanly) is unhealthy


def iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@dataclass
class Heartbeat:
    """What the daemon last said about itself."""

    pid: int
    started_at: datetime
    beat_at: datetime
    beat_every: int
    version: str = ""
    host: str = ""
    config_path: str | None = None
    last_cycle_at: datetime | None = None
    stopped_at: datetime | None = None
    next_jobs: list[dict[str, str]] = field(default_factory=list)
    jobs_run: int = 0
    jobs_failed: int = 0
    jobs_missed: int = 0

    def row(self) -> dict[str, Any]:
        return {
            "id": 1, "pid": self.pid, "host": self.host, "version": self.version,
            "config_path": self.config_path, "started_at": iso(self.started_at),
            "beat_at": iso(self.beat_at), "beat_every": self.beat_every,
            "last_cycle_at": iso(self.last_cycle_at), "stopped_at": iso(self.stopped_at),
            "next_jobs": json.dumps(self.next_jobs), "jobs_run": self.jobs_run,
            "jobs_failed": self.jobs_failed, "jobs_missed": self.jobs_missed,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Heartbeat:
        return cls(
            pid=row["pid"], started_at=parse_iso(row["started_at"]),
            beat_at=parse_iso(row["beat_at"]), beat_every=row["beat_every"],
            version=row["version"] or "", host=row["host"] or "",
            config_path=row["config_path"], last_cycle_at=parse_iso(row["last_cycle_at"]),
            stopped_at=parse_iso(row["stopped_at"]), next_jobs=json.loads(row["next_jobs"]),
            jobs_run=row["jobs_run"], jobs_failed=row["jobs_failed"],
            jobs_missed=row["jobs_missed"])

    def fresh(self, now: datetime) -> bool:
        return now - self.beat_at <= timedelta(seconds=self.beat_every * STALE_AFTER_BEATS)

    def state(self, now: datetime) -> str:
        """running | stopped | dead (stopped without saying so: crashed, killed, hung)."""
        if self.stopped_at is not None:
            return "stopped"
        return "running" if self.fresh(now) else "dead"


def new_heartbeat(beat_every: int, config_path: str | None, now: datetime) -> Heartbeat:
    from monitor import __version__

    return Heartbeat(pid=os.getpid(), started_at=now, beat_at=now, beat_every=beat_every,
                     version=__version__, host=socket.gethostname(), config_path=config_path)


def write_heartbeat(db, beat: Heartbeat) -> None:
    """Upsert the single heartbeat row, in its own short transaction."""
    with db.conn:
        db["daemon_heartbeat"].upsert(beat.row(), pk="id")


def read_heartbeat(db) -> Heartbeat | None:
    if "daemon_heartbeat" not in db.table_names():
        return None
    rows = list(db.query("SELECT * FROM daemon_heartbeat WHERE id = 1"))
    return Heartbeat.from_row(rows[0]) if rows else None


@dataclass
class StatusReport:
    """Everything `status` prints; `healthy` drives its exit code."""

    now: datetime
    heartbeat: Heartbeat | None
    feeds: list[Any]  # db.records.FeedStatus
    deliveries: dict[str, int]  # status -> count (pending, sending, dead, disabled...)
    channels: list[Any] = field(default_factory=list)  # alerts.outbox.ChannelBacklog
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        hb = self.heartbeat
        return {
            "healthy": self.healthy,
            "problems": self.problems,
            "checked_at": iso(self.now),
            "daemon": None if hb is None else {
                **{k: v for k, v in hb.row().items() if k not in ("id", "next_jobs")},
                "state": hb.state(self.now), "next_jobs": hb.next_jobs},
            "deliveries": self.deliveries,
            "channels": [asdict(c) for c in self.channels],
            "feeds": [f if isinstance(f, dict) else asdict(f) for f in self.feeds],
        }

    def as_text(self) -> str:
        lines = [_daemon_line(self.heartbeat, self.now)]
        if self.heartbeat and self.heartbeat.state(self.now) == "running":
            soon = ", ".join(f"{j['id']} at {j['next_run']}" for j in self.heartbeat.next_jobs[:5])
            lines.append(f"next jobs: {soon or '(none)'}")
        lines.append("deliveries: " + (", ".join(f"{n} {s}" for s, n in
                                                 sorted(self.deliveries.items())) or "none"))
        for c in self.channels:
            state = "DISABLED" if c.disabled else f"{c.pending} pending, {c.dead} dead"
            nxt = f", next attempt {c.next_attempt_at}" if c.pending and c.next_attempt_at else ""
            err = f", last error: {c.last_error}" if c.last_error else ""
            lines.append(f"  channel {c.channel}: {state}{nxt}{err}")
        lines.append("")
        lines.append(_feed_table(self.feeds))
        lines.append("")
        lines.append("healthy" if self.healthy else
                     "UNHEALTHY:\n" + "\n".join(f"  - {p}" for p in self.problems))
        return "\n".join(lines)


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = int((now - when).total_seconds())
    if seconds < 120:
        return f"{seconds}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def _daemon_line(hb: Heartbeat | None, now: datetime) -> str:
    if hb is None:
        return "daemon: never started on this database"
    state = hb.state(now)
    head = f"daemon: {state} (pid {hb.pid} on {hb.host or '?'}, version {hb.version}, " \
           f"started {iso(hb.started_at)})"
    if state == "stopped":
        return f"{head}; stopped cleanly {_ago(hb.stopped_at, now)}"
    return (f"{head}; heartbeat {_ago(hb.beat_at, now)}, last job done {_ago(hb.last_cycle_at, now)}, "
            f"{hb.jobs_run} jobs done, {hb.jobs_failed} failed, {hb.jobs_missed} missed")


FEED_COLUMNS = ("name", "last_status", "last_polled", "consecutive_failures", "next_poll",
                "articles", "url")


def _feed_table(feeds: list[Any]) -> str:
    if not feeds:
        return "feeds: none"
    rows = [f if isinstance(f, dict) else asdict(f) for f in feeds]
    for row in rows:
        if row.get("paused"):
            row["last_status"] = f"PAUSED ({row.get('last_status') or '-'})"
    cells = [[("" if row.get(c) is None else str(row.get(c)))[:60] for c in FEED_COLUMNS]
             for row in rows]
    heads = ["feed", "status", "last polled", "fails", "next poll", "articles", "url"]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(heads)]
    out = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(out)


def delivery_counts(db) -> dict[str, int]:
    """deliveries by status, straight from the table (alerts.outbox may summarise more)."""
    if "deliveries" not in db.table_names():
        return {}
    return {row["status"]: row["n"] for row in
            db.query("SELECT status, count(*) AS n FROM deliveries GROUP BY status")}


def collect_status(app, now: datetime | None = None) -> StatusReport:
    """Read heartbeat, feed health and the outbox from the database; judge health.

    Unhealthy when: the daemon's heartbeat is stale without a clean stop (it crashed or hangs),
    any delivery is dead, or any feed is paused. No heartbeat row at all means no daemon was
    ever started on this database (e.g. `poll` from cron), which is not a problem by itself.
    """
    from alerts.outbox import pending_summary
    from db import queries

    now = now or datetime.now(UTC)
    store = app.store
    heartbeat = read_heartbeat(store.db)
    feeds = list(queries.feed_status(store))
    deliveries = delivery_counts(store.db)
    report = StatusReport(now, heartbeat, feeds, deliveries, pending_summary(store))
    if heartbeat is not None and heartbeat.state(now) == "dead":
        report.problems.append(
            f"daemon pid {heartbeat.pid} on {heartbeat.host or '?'}: no heartbeat since "
            f"{iso(heartbeat.beat_at)} (expected every {heartbeat.beat_every}s)")
    if deliveries.get("dead"):
        report.problems.append(f"{deliveries['dead']} dead deliveries "
                               "(retry them with the delivery retry command)")
    disabled = [c.channel for c in report.channels if c.disabled]
    if disabled:
        report.problems.append(f"disabled channels (the endpoint answered 410): "
                               f"{', '.join(disabled)}")
    paused = [f.name for f in feeds if getattr(f, "paused", False)]
    if paused:
        report.problems.append(f"{len(paused)} paused feeds: {', '.join(paused)}")
    return report
