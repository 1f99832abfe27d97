"""Quiet hours for immediate alerts: a channel's `active_hours = "07:00-23:00"`.

Outside the window an immediate alert is held (it stays pending in the outbox) and goes out
when the window opens. Digests follow their own cron schedule and are not held.
A window may wrap midnight ("22:00-06:00"); equal ends ("00:00-00:00") mean always open.
Times are wall-clock times in the configured time zone, so the window follows DST.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ActiveHours:
    """A daily window [start, end) in local wall-clock time."""

    start: time
    end: time

    @classmethod
    def parse(cls, spec: str) -> ActiveHours:
        """"HH:MM-HH:MM" → ActiveHours; ValueError on anything else."""
        try:
            left, right = (part.strip() for part in spec.split("-"))
            return cls(time.fromisoformat(left), time.fromisoformat(right))
        except ValueError:
            raise ValueError(f'expected "HH:MM-HH:MM", got {spec!r}') from None

    def contains(self, local: time) -> bool:
        local = local.replace(tzinfo=None)
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # wraps midnight

    def is_open(self, when: datetime, tz: tzinfo) -> bool:
        return self.contains(when.astimezone(tz).time())

    def next_open(self, when: datetime, tz: tzinfo) -> datetime:
        """`when` if the window is open then, else the moment it next opens (same tz as when)."""
        if self.is_open(when, tz):
            return when
        local = when.astimezone(tz)
        opening = local.replace(hour=self.start.hour, minute=self.start.minute, second=0,
                                microsecond=0)
        if opening <= local:
            opening = (local + timedelta(days=1)).replace(
                hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        # rebuild through the tz so a DST change between today and tomorrow is respected
        naive = opening.replace(tzinfo=None)
        return naive.replace(tzinfo=tz).astimezone(when.tzinfo)


def channel_is_open(channel, when: datetime, timezone: str = "UTC") -> bool:
    """May `channel` (a ChannelConfig) send immediate alerts at `when`?"""
    spec = getattr(channel, "active_hours", None)
    if not spec:
        return True
    return ActiveHours.parse(spec).is_open(when, ZoneInfo(timezone))


def channel_opens_at(channel, when: datetime, timezone: str = "UTC") -> datetime:
    """When `channel` may next send immediate alerts (`when` itself if open now)."""
    spec = getattr(channel, "active_hours", None)
    if not spec:
        return when
    return ActiveHours.parse(spec).next_open(when, ZoneInfo(timezone))
