"""What a poll means for a feed's remembered state: validators, status, failures, next poll."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import datetime, timedelta

from feeds.normalize import printable
from feeds.records import FeedState, FetchResult, ParsedFeed
from monitor.config_records import FetchConfig

log = logging.getLogger(__name__)

# Jitter spreads the retries of feeds that failed together (one host down) over time.
JITTER = (1.0, 1.25)


def backoff_seconds(failures: int, interval: int, cap: int, rng: random.Random | None = None) -> float:
    """Delay before the next try after `failures` consecutive failures: the interval doubled per
    failure, with jitter, never more than `cap` (and never less than the interval)."""
    base = interval * 2 ** max(0, failures - 1)
    jittered = min(base, cap) * (rng or random).uniform(*JITTER)
    return max(float(min(interval, cap)), min(jittered, float(cap)))


def after_fetch(
    state: FeedState,
    result: FetchResult,
    parsed: ParsedFeed | None,
    *,
    interval: int,
    fetch: FetchConfig,
    now: datetime,
    rng: random.Random | None = None,
) -> FeedState:
    """The feed's new state after one fetch (and parse, if there was one)."""
    new = replace(state, last_polled=now)
    error = result.error or (parsed.error if parsed else None)
    if error:  # a move to a URL that fails is not trusted yet: keep the old URL
        return _failed(new, result, parsed, error, interval, fetch, now, rng)
    if result.permanent_redirect and result.permanent_redirect != state.url:
        log.warning("feed %s: permanent redirect, URL now %s", state.name, result.permanent_redirect)
        new.url = result.permanent_redirect
        # validators belonged to the old URL
        new.etag = new.last_modified = None
    if result.etag or not result.not_modified:
        new.etag = result.etag or None
    if result.last_modified or not result.not_modified:
        new.last_modified = result.last_modified or None
    if result.body_hash:
        new.body_hash = result.body_hash
    warnings = parsed.warnings if parsed else []
    if result.not_modified:
        new.last_status = "not-modified" if result.status == 304 else "unchanged"
    else:
        new.last_status = "warning" if warnings else "ok"
    new.last_error = (printable("; ".join(warnings))[:500]
                      if warnings and not result.not_modified else None)
    new.last_success = now
    new.consecutive_failures = 0
    new.paused, new.paused_reason = False, None
    wait = float(interval)
    if result.retry_after:  # a caching hint may slow us down, never speed us up (capped)
        wait = max(wait, min(result.retry_after, float(max(fetch.max_interval, interval))))
    new.next_poll = now + timedelta(seconds=wait)
    return new


def _failed(
    new: FeedState, result: FetchResult, parsed: ParsedFeed | None, error: str, interval: int,
    fetch: FetchConfig, now: datetime, rng: random.Random | None,
) -> FeedState:
    detail = result.error_detail if result.error else (parsed.error_detail if parsed else None)
    new.last_status = printable(error)
    new.last_error = printable(detail or error)[:500]
    new.consecutive_failures = new.consecutive_failures + 1
    wait = backoff_seconds(new.consecutive_failures, interval, fetch.backoff_cap, rng)
    if result.retry_after:  # the server said when to come back (429/503): honour it, capped
        wait = max(wait, min(result.retry_after, float(fetch.backoff_cap)))
    new.next_poll = now + timedelta(seconds=wait)
    if result.status == 410:
        new.paused, new.paused_reason = True, "gone: the server answered 410, the feed was removed"
    elif new.consecutive_failures >= fetch.max_failures:
        new.paused = True
        new.paused_reason = f"{new.consecutive_failures} consecutive failures, last: {new.last_error}"
    if new.paused:
        log.warning("feed %s paused: %s", new.name, new.paused_reason)
    return new


def resume(state: FeedState, *, now: datetime) -> FeedState:
    """A paused feed made active again (`feeds reset NAME`): failures forgotten, polled next."""
    return replace(state, paused=False, paused_reason=None, consecutive_failures=0,
                   last_error=None, next_poll=now)
