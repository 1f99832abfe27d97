"""The two things the monitor does, as plain functions the CLI and the daemon share:

- a poll: fetch → parse → filter → match → store → queue immediate alerts, for one feed;
- a delivery: select → render → send → record, for the channels that are due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime

from feeds.normalize import printable
from feeds.records import Article, FeedState, FetchResult
from monitor.app import App
from monitor.config_records import ChannelConfig, FeedConfig
from monitor.matching.records import Match

log = logging.getLogger("kashmir_monitor.poll")


@dataclass
class FeedOutcome:
    """What one feed's poll did."""

    feed: str
    status: str  # the feed's last_status after this poll
    error: str | None = None
    entries: int = 0
    blocked: int = 0
    new: int = 0
    updated: int = 0
    relevant: int = 0
    alerts: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PollSummary:
    outcomes: list[FeedOutcome] = field(default_factory=list)

    def describe(self) -> str:
        ok = sum(o.ok for o in self.outcomes)
        lines = [
            f"{len(self.outcomes)} feeds polled: {ok} ok, {len(self.outcomes) - ok} failed; "
            f"{sum(o.new for o in self.outcomes)} new articles "
            f"({sum(o.relevant for o in self.outcomes)} relevant), "
            f"{sum(o.updated for o in self.outcomes)} updated, "
            f"{sum(o.blocked for o in self.outcomes)} blocked by filter rules, "
            f"{sum(o.alerts for o in self.outcomes)} alerts queued"
        ]
        for o in self.outcomes:  # errors and warnings quote servers and feeds: no escapes
            if not o.ok:
                lines.append(printable(f"  {o.feed}: {o.status} — {o.error}"))
            for warning in o.warnings:
                lines.append(printable(f"  {o.feed}: warning: {warning}"))
        return "\n".join(lines)


@dataclass
class PreparedPoll:
    """Everything after the fetch except storing: the new feed state and matched articles."""

    feed: FeedConfig
    state: FeedState
    items: list[tuple[Article, Match]]
    outcome: FeedOutcome
    before: FeedState  # the state before this poll: what a failed store must fall back to


def prepare(app: App, feed: FeedConfig, state: FeedState, result: FetchResult,
            now: datetime) -> PreparedPoll:
    """Parse → filter → match one fetched feed, and work out its next state (CPU only)."""
    from feeds.filters import apply_rules
    from feeds.parse import parse_feed
    from feeds.state import after_fetch

    parsed = None
    if result.error is None and not result.not_modified:
        parsed = parse_feed(result, feed.name, now=now)
    new_state = after_fetch(state, result, parsed, interval=feed.interval,
                            fetch=app.config.fetch, now=now)
    failed = result.error is not None or (parsed is not None and parsed.error is not None)
    outcome = FeedOutcome(feed.name, new_state.last_status or "",
                          error=new_state.last_error if failed else None)
    items = []
    if parsed is not None and parsed.error is None:
        kept, outcome.blocked = apply_rules(parsed.articles, app.config, feed, now=now)
        items = [(a, app.matcher.match(a.title, a.summary)) for a in kept]
        outcome.entries = len(parsed.articles)
        outcome.warnings = list(parsed.warnings)
    return PreparedPoll(feed, new_state, items, outcome, before=state)


def store(app: App, prepared: PreparedPoll, now: datetime) -> FeedOutcome:
    """Store one prepared poll and queue its immediate alerts, in one transaction: an alert
    that fails to render (a user's broken template) rolls the poll back, so the next poll
    sees the story as new again instead of the alert being lost."""
    from alerts.outbox import enqueue_alerts
    from db.connection import write_transaction

    outcome, items = prepared.outcome, prepared.items
    with write_transaction(app.store.db):
        saved = app.store.save_poll(prepared.state, items)
        if saved.new_ids or saved.updated_ids:
            outcome.alerts = enqueue_alerts(app.store, saved, app.config.channels, now,
                                            templates_dir=app.config.templates_dir)
    outcome.new, outcome.updated = len(saved.new_ids), len(saved.updated_ids)
    new_ids = set(saved.new_ids)
    outcome.relevant = sum(1 for a, m in items if m.relevant and a.id in new_ids)
    # an unchanged poll is routine: at 1,000 feeds INFO would log a million lines a day
    level = logging.INFO if outcome.new or outcome.updated or outcome.error else logging.DEBUG
    log.log(level, "feed %s: %s, %d entries, %d new, %d updated", outcome.feed, outcome.status,
            outcome.entries, outcome.new, outcome.updated)
    return outcome


def poll_feeds(app: App, names: Iterable[str] | None = None, *, now: datetime | None = None,
               on_feed_done: Callable[[FeedOutcome], None] | None = None,
               due_only: bool = False) -> PollSummary:
    """Poll the named feeds (default: every enabled one) concurrently; one failure hurts none.

    A feed named explicitly is polled even when paused; `due_only` skips feeds not yet due.
    """
    from feeds.fetch import Fetcher

    now = now or datetime.now(UTC)
    wanted = set(names) if names else None
    config = app.config
    app.store.sync_feeds((f.name, f.url) for f in config.feeds)
    feeds = {f.name: f for f in config.feeds if (f.name in wanted if wanted else f.enabled)}
    states = []
    for name in feeds:
        state = app.store.feed_state(name)
        if wanted is None and (state.paused or (due_only and state.next_poll and state.next_poll > now)):
            continue
        states.append(state)
    summary = PollSummary()
    user_agents = {name: f.user_agent for name, f in feeds.items()}
    for state, result in Fetcher(config.fetch).fetch_all(states, user_agents):
        outcome = _prepare_and_store(app, feeds[state.name], state, result, datetime.now(UTC))
        summary.outcomes.append(outcome)
        if on_feed_done:
            on_feed_done(outcome)
    return summary


def record_failure(app: App, feed: FeedConfig, state: FeedState, exc: Exception,
                   now: datetime) -> FeedOutcome:
    """A bug met on one feed's (hostile) content: count it as that feed's failure — recorded,
    backed off, paused after max_failures like any other — so it never stops the others."""
    from feeds.state import after_fetch

    log.error("feed %s: poll failed: %s", feed.name, exc, exc_info=exc)
    detail = f"{type(exc).__name__}: {exc}"
    failed = after_fetch(state, FetchResult(url=state.url, error="internal-error",
                                            error_detail=detail),
                         None, interval=feed.interval, fetch=app.config.fetch, now=now)
    try:
        app.store.save_feed_state(failed)
    except Exception:  # the store itself is failing: the outcome still says what happened
        log.exception("feed %s: recording the failure failed too", feed.name)
    return FeedOutcome(feed.name, "internal-error", error=detail)


def _prepare_and_store(app: App, feed: FeedConfig, state: FeedState, result: FetchResult,
                       now: datetime, *, store_lock=nullcontext) -> FeedOutcome:
    """Everything after the fetch for one feed; never raises (a failure is the feed's)."""
    try:
        prepared = prepare(app, feed, state, result, now)  # parsing needs no lock
    except Exception as exc:
        with store_lock():
            return record_failure(app, feed, state, exc, now)
    with store_lock():
        return _store_or_fail(app, prepared, now)


def _store_or_fail(app: App, prepared: PreparedPoll, now: datetime) -> FeedOutcome:
    """`store`, with a failure (nothing stored: see `store`) recorded against the feed. The
    failure builds on the state from before the fetch, so its validators (ETag, body hash)
    do not make the next poll skip the entries that were never stored."""
    try:
        return store(app, prepared, now)
    except Exception as exc:
        return record_failure(app, prepared.feed, prepared.before, exc, now)


def selected_channels(app: App, names: Iterable[str] | None) -> list[ChannelConfig]:
    wanted = set(names) if names else None
    return [c for c in app.config.channels if wanted is None or c.name in wanted]


def send_digests(app: App, names: Iterable[str] | None = None, *, dry_run: bool = False,
                 now: datetime | None = None, force: bool = True) -> str:
    """Build the pending digest for each selected channel and deliver it (or, dry, print it)."""
    from alerts.outbox import deliver_due, enqueue_digests, render_pending_digest

    now = now or datetime.now(UTC)
    channels = selected_channels(app, names)
    if dry_run:
        return "\n\n".join(render_pending_digest(app.store, ch, now, app.config.templates_dir)
                           for ch in channels)
    enqueue_digests(app.store, channels, now, templates_dir=app.config.templates_dir)
    report = deliver_due(app.store, app.channels, now, force=force,
                         names=[c.name for c in channels], timezone=app.config.timezone)
    return report.describe()


def poll_feed(app: App, feed: FeedConfig, *, session=None,
              store_lock: Callable[[], AbstractContextManager] | None = None,
              host_slot: Callable[[str], AbstractContextManager[bool]] | None = None,
              ) -> FeedOutcome | None:
    """Poll one feed now (the daemon's per-feed job); None when the feed is paused.

    The daemon shares one store connection between its poll threads, so it passes `store_lock`
    (held for each store access, never during the fetch or the parse) and `host_slot` (per-host politeness
    across independent jobs; a slot yielding False means "shutting down, do not fetch").
    """
    from feeds.fetch import fetch_feed

    lock = store_lock or nullcontext
    with lock():
        state = app.store.feed_state(feed.name)
    if state.paused:
        return None
    with host_slot(state.url) if host_slot else nullcontext(True) as may_fetch:
        if not may_fetch:
            return None
        result = fetch_feed(state, app.config.fetch, user_agent=feed.user_agent, session=session)
    return _prepare_and_store(app, feed, state, result, datetime.now(UTC), store_lock=lock)
