"""Scheduling policy for the daemon, as plain functions: when each job runs next.

- Feeds: an adaptive interval from how many new entries a feed had last week (Miniflux's
  "entry frequency" idea), kept within [fetch] min_interval..max_interval and within
  configured/4 .. configured*2 (a quiet feed's alerts must not wait too long); failing feeds follow the backoff that
  feeds/state.py wrote into FeedState.next_poll; a server's Retry-After/cache hint is honoured.
- Digests: the channel's 5-field cron, with cron's day-of-week numbering (0 or 7 = Sunday;
  APScheduler 3's own numbering starts at Monday) and a catch-up rule for missed runs.
- Fetch politeness across per-feed jobs: at most max_per_host requests to one host at once and
  host_gap seconds between two request starts (the Fetcher does the same for a batch).
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

from monitor.config_records import FetchConfig

WEEK = 7 * 24 * 3600
ADAPT_FASTER = 4  # a busy feed is polled up to 4x more often than configured
ADAPT_SLOWER = 2  # a quiet one up to 2x less often (alerts latency matters)
JITTER = 0.1  # ±10 % of the interval, so feeds configured alike drift apart

_DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def cron_trigger(expr: str, tz: tzinfo) -> CronTrigger:
    """A CronTrigger for a standard crontab line, day-of-week numbers read the cron way."""
    minute, hour, day, month, dow = expr.split()
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_cron_days(dow), timezone=tz)


def _cron_days(field: str) -> str:
    """Cron day-of-week (0-7, Sunday = 0 or 7, names allowed) → APScheduler day names."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        rng, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if rng == "*":
            lo, hi = 0, 6
        elif "-" in rng:
            lo, hi = (_day_number(x) for x in rng.split("-", 1))
            if hi == 0 and lo > 0:  # "5-0" / "5-7": through Sunday
                hi = 7
        else:
            lo = hi = _day_number(rng)
            if step_text:
                hi = 6
        days.update(d % 7 for d in range(lo, hi + 1, step))
    return ",".join(_DAY_NAMES[d] for d in sorted(days))


def _day_number(token: str) -> int:
    if token[:3] in _DAY_NAMES:
        return _DAY_NAMES.index(token[:3])
    number = int(token)
    if not 0 <= number <= 7:
        raise ValueError(f"day of week out of range: {token}")
    return number


def last_fire_before(trigger: CronTrigger, now: datetime, horizon: timedelta) -> datetime | None:
    """The latest fire time of `trigger` in (now - horizon, now], or None."""
    fire = trigger.get_next_fire_time(None, now - horizon)
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return last


def digest_due(schedule: str, tz: tzinfo, last_digest_at: datetime | None,
               now: datetime) -> bool:
    """Was a scheduled digest run missed? True when the schedule fired within the last 8 days
    and no digest was made since that moment (or none ever was)."""
    fired = last_fire_before(cron_trigger(schedule, tz), now, timedelta(days=8))
    if fired is None:
        return False
    return last_digest_at is None or last_digest_at < fired


def adaptive_interval(configured: int, new_last_week: int, fetch: FetchConfig) -> int:
    """Seconds until the next poll of a healthy feed.

    A feed with n new entries last week is polled about every week/n (a busy feed often, a
    quiet one rarely), clamped to [min_interval, max_interval] and to configured/4 ..
    configured*2; the configured interval itself is always allowed, even outside
    the global bounds (the user asked for it explicitly).
    """
    target = WEEK / new_last_week if new_last_week else configured * 2
    lo = max(fetch.min_interval, configured // ADAPT_FASTER)
    hi = min(fetch.max_interval, configured * ADAPT_SLOWER)
    lo, hi = min(lo, configured), max(hi, configured)
    return int(min(hi, max(lo, target)))


def with_jitter(seconds: float, rng: random.Random | None = None) -> float:
    rng = rng or random
    return seconds * (1 + rng.uniform(-JITTER, JITTER))


def next_poll_at(*, now: datetime, interval: int, configured: int,
                 state_next_poll: datetime | None, failing: bool,
                 rng: random.Random | None = None) -> datetime:
    """When to poll a feed next, given its adaptive interval and what feeds/state.py decided.

    A failing feed waits for its backoff (state.next_poll). A healthy one waits its jittered
    adaptive interval, unless the state asks for later than the configured interval explains
    (feeds/state.py plans `configured` seconds, more on a Retry-After or cache hint from the
    server): such a hint is honoured.
    """
    planned = now + timedelta(seconds=with_jitter(interval, rng))
    if state_next_poll is None:
        return planned
    if failing:
        return max(state_next_poll, now + timedelta(seconds=1))
    if state_next_poll > now + timedelta(seconds=configured * (1 + JITTER) + 5):
        return max(planned, state_next_poll)
    return planned


def first_poll_at(*, now: datetime, interval: int, state_next_poll: datetime | None,
                  rng: random.Random | None = None) -> datetime:
    """At start-up: keep a future next_poll from the last run; otherwise spread overdue feeds
    over the first minute (or interval) so a restart does not fire them all at once."""
    if state_next_poll is not None and state_next_poll > now:
        return state_next_poll
    rng = rng or random
    return now + timedelta(seconds=rng.uniform(0, min(interval, 60)))


class HostGate:
    """Per-host politeness for fetches started by independent jobs."""

    def __init__(self, fetch: FetchConfig) -> None:
        self.per_host = max(1, fetch.max_per_host)
        self.gap = max(0.0, fetch.host_gap)
        self._cond = threading.Condition()
        self._busy: dict[str, int] = defaultdict(int)
        self._next_start: dict[str, float] = defaultdict(float)

    @contextmanager
    def slot(self, url: str, stop: threading.Event | None = None,
             max_wait: float | None = None) -> Iterator[bool]:
        """Wait for a free slot on url's host. Yields False, and holds no slot, if `stop` was
        set meanwhile or no slot came within `max_wait` seconds: a job should not keep a pool
        thread waiting on a slow host while feeds of other hosts queue behind it."""
        from feeds.fetch import host_key

        host = host_key(url)
        give_up = None if max_wait is None else time.monotonic() + max_wait
        with self._cond:
            while True:
                granted = not (stop is not None and stop.is_set())
                if not granted:
                    break
                now = time.monotonic()
                wait = self._next_start[host] - now
                if self._busy[host] < self.per_host and wait <= 0:
                    break
                if give_up is not None and now >= give_up:
                    granted = False
                    break
                timeout = wait if wait > 0 else 0.5
                if give_up is not None:
                    timeout = min(timeout, give_up - now)
                self._cond.wait(timeout=timeout)
            if granted:
                self._busy[host] += 1
                if host != "file:":
                    self._next_start[host] = time.monotonic() + self.gap
        try:
            yield granted
        finally:
            if granted:
                with self._cond:
                    self._busy[host] -= 1
                    if not self._busy[host]:
                        del self._busy[host]
                    self._cond.notify_all()
