"""`kashmir-monitor run --once`: one cycle of the daemon's work, for cron or a CI job."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor import jobs
from monitor.app import App
from monitor.daemon_support import last_digest_at
from monitor.lock import DaemonLock


def run_once(app: App) -> str:
    """`run --once`: poll every feed, send digests whose schedule fired since the last one,
    deliver what is due in the outbox; return a printable summary. Raises AlreadyRunning if a
    daemon holds the database (two senders would only be safe, not useful)."""
    from alerts.outbox import deliver_due
    from monitor.logs import register_config_secrets
    from monitor.pipeline import poll_feeds, send_digests

    register_config_secrets(app.config)
    tz = ZoneInfo(app.config.timezone)
    with DaemonLock(Path(app.db_path or app.config.storage.path)):
        summary = poll_feeds(app)
        now = datetime.now(UTC)
        due = [c.name for c in app.config.channels if c.schedule and jobs.digest_due(
            c.schedule, tz, last_digest_at(app.store, c.name), now)]
        parts = [summary.describe()]
        if due:
            parts.append(f"digests due ({', '.join(due)}): "
                         + send_digests(app, due, now=now, force=False))
        report = deliver_due(app.store, app.channels, datetime.now(UTC), force=False,
                             timezone=app.config.timezone)
        parts.append("outbox: " + report.describe())
        return "\n".join(parts)
