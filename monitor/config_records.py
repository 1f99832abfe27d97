"""The configuration as typed records. `monitor.config.load_config` builds these from TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StorageConfig:
    path: Path  # absolute; relative paths in the file are resolved against the config's folder
    keep_days: int | None = None  # prune relevant stories older than this (None: keep forever)
    keep_days_irrelevant: int | None = 30  # irrelevant stories may go sooner


@dataclass(frozen=True)
class Rule:
    """A filter rule `field=regex` (or `age>30d`), from the block/keep lists."""

    field: str  # title | summary | link | author | category | age
    pattern: str  # the regex source (for age: the op and duration, e.g. ">30d")


@dataclass(frozen=True)
class FeedConfig:
    name: str  # unique, [a-z0-9-]
    url: str  # http(s) or file://
    interval: int = 900  # seconds
    user_agent: str | None = None
    enabled: bool = True
    block: tuple[Rule, ...] = ()
    keep: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class FetchConfig:
    """Politeness and resilience settings shared by every feed."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024  # measured on the decompressed stream
    max_concurrency: int = 8  # requests in flight overall
    max_per_host: int = 2  # requests in flight per host
    host_gap: float = 0.5  # minimum seconds between two requests to one host
    max_failures: int = 10  # consecutive failures before a feed is paused
    backoff_cap: int = 6 * 3600  # seconds; the most a failing feed's next poll is pushed back
    user_agent: str | None = None  # None: kashmir-monitor/<version> (+project URL)
    min_interval: int = 60  # adaptive polling bounds (seconds)
    max_interval: int = 6 * 3600


@dataclass(frozen=True)
class ChannelConfig:
    """One delivery channel. `settings` holds the type's own keys (smtp_host, url, directory...),
    validated by the channel class registered for `type`."""

    name: str
    type: str  # file | email | webhook | rss | apprise
    schedule: str | None = "0 7 * * *"  # 5-field cron for digests; None: no digest
    immediate: bool = False  # also send immediate alerts (stance shifts, new mediators)
    min_score: float = 0.5
    actors: tuple[str, ...] = ()  # only these actors (empty: all)
    stances: tuple[str, ...] = ()  # only these stances (empty: all)
    shifts_only: bool = False
    active_hours: str | None = None  # e.g. "07:00-23:00": immediate alerts held outside
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path  # the config file this came from
    storage: StorageConfig
    feeds: tuple[FeedConfig, ...]
    channels: tuple[ChannelConfig, ...]
    watchlist_path: Path  # the watchlist TOML (a built-in one by default)
    fetch: FetchConfig = FetchConfig()
    timezone: str = "UTC"
    templates_dir: Path | None = None  # user templates that override alerts/templates
    block: tuple[Rule, ...] = ()  # global filter rules
    keep: tuple[Rule, ...] = ()
