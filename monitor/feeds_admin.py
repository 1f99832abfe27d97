"""Managing feeds: the library behind `kashmir-monitor feeds …` (the CLI only prints).

config.toml is the source of truth for which feeds exist and whether they are enabled; the
database holds how each one is doing (state, last success, articles, an automatic pause after
too many failures). Edits go through monitor.config_edit (validated, atomic, comments kept).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tomlkit.toml_document import TOMLDocument

from feeds.opml import ImportPlan, parse_opml, plan_import
from feeds.records import Article, FeedState
from monitor.config import ChannelValidator
from monitor.config_edit import (
    ConfigEditError,
    NewFeed,
    add_feeds,
    edit_config,
    feed_tables,
    find_feed,
    remove_feed,
    set_feed_enabled,
)
from monitor.config_records import Config, FeedConfig
from monitor.matching.records import Match


@dataclass(frozen=True)
class FeedRow:
    """One line of `feeds list`: the configured feed joined with its stored state."""

    name: str
    url: str
    interval: int  # seconds
    state: str  # new | ok | failing | paused | disabled
    last_success: str | None  # ISO-8601 UTC
    articles: int
    last_status: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    paused_reason: str | None = None


SUCCESS_STATUSES = ("ok", "warning", "not-modified", "unchanged")


def feed_state_word(feed: FeedConfig, state: FeedState | None) -> str:
    """The one-word state `feeds list` shows: disabled (config) | paused (automatic, in the
    database) | failing | ok | new (never polled) | resumed (failed, then resumed)."""
    if not feed.enabled:
        return "disabled"
    if state is None or state.last_polled is None:
        return "new"
    if state.paused:
        return "paused"
    if state.consecutive_failures:
        return "failing"
    return "ok" if state.last_status in SUCCESS_STATUSES else "resumed"


def list_feeds(config: Config, store=None) -> list[FeedRow]:
    """Every configured feed, in config order, with its state from `store` (None: no DB yet)."""
    states: dict[str, FeedState] = {}
    articles: dict[str, int] = {}
    if store is not None:
        from db.queries import feed_status

        articles = {s.name: s.articles for s in feed_status(store)}
        for feed in config.feeds:
            with suppress(KeyError):  # configured since the last poll: no row yet
                states[feed.name] = store.feed_state(feed.name)
    rows = []
    for feed in config.feeds:
        state = states.get(feed.name)
        rows.append(FeedRow(
            name=feed.name, url=feed.url, interval=feed.interval,
            state=feed_state_word(feed, state),
            last_success=state.last_success.isoformat() if state and state.last_success else None,
            articles=articles.get(feed.name, 0),
            last_status=state.last_status if state else None,
            last_error=state.last_error if state else None,
            consecutive_failures=state.consecutive_failures if state else 0,
            paused_reason=state.paused_reason if state else None,
        ))
    return rows


def existing_feeds(doc: TOMLDocument) -> list[tuple[str, str]]:
    return [(str(t.get("name")), str(t.get("url"))) for t in feed_tables(doc) or []]


def add_feed(path: Path, feed: NewFeed, *,
             validate_channel: ChannelValidator | None = None) -> Config:
    """Add one feed to the config at `path`; refuses a name or URL already there."""
    from feeds.opml import url_key

    def change(doc: TOMLDocument) -> None:
        for name, url in existing_feeds(doc):
            if name == feed.name:
                raise ConfigEditError([f'a feed named "{name}" already exists ({url})'])
            if url_key(url) == url_key(feed.url):
                raise ConfigEditError([f'{feed.url} is already configured as "{name}"'])
        add_feeds(doc, [feed])

    return edit_config(path, change, validate_channel=validate_channel)[0]


def delete_feed(path: Path, name: str, *,
                validate_channel: ChannelValidator | None = None) -> dict:
    """Remove feed `name` from the config; returns its keys. Stored articles are kept."""
    return edit_config(path, lambda doc: remove_feed(doc, name),
                       validate_channel=validate_channel)[1]


def set_enabled(path: Path, name: str, enabled: bool, *,
                validate_channel: ChannelValidator | None = None) -> bool:
    """Pause (enabled = false) or resume a feed in the config; True if that changed it."""
    def change(doc: TOMLDocument) -> bool:
        find_feed(doc, name)
        return set_feed_enabled(doc, name, enabled)

    return edit_config(path, change, validate_channel=validate_channel)[1]


def clear_store_pause(store, name: str, *, now: datetime | None = None) -> FeedState | None:
    """Lift an automatic pause (after max_failures, or a 410) and the failure backoff, so the
    next poll fetches the feed at once. Returns the state before, or None if it had none."""
    from feeds.state import resume

    try:
        before = store.feed_state(name)
    except KeyError:
        return None
    if before.paused or before.consecutive_failures:
        store.save_feed_state(resume(before, now=now or datetime.now(UTC)))
    return before


def import_opml(path: Path, data: bytes, *, interval: int | str | None = None,
                dry_run: bool = False,
                validate_channel: ChannelValidator | None = None) -> ImportPlan:
    """Add every new feed of an OPML file to the config (one validated, atomic write)."""
    opml = parse_opml(data)

    def change(doc: TOMLDocument) -> ImportPlan:
        plan = plan_import(opml, existing_feeds(doc))
        add_feeds(doc, [NewFeed(name, feed.xml_url, interval) for name, feed in plan.added])
        return plan

    if dry_run:
        import tomlkit

        return change(tomlkit.parse(Path(path).read_text(encoding="utf-8")))
    return edit_config(path, change, validate_channel=validate_channel)[1]


@dataclass
class ProbedEntry:
    """One entry of a tested feed: what the rules and the matcher say about it."""

    article: Article
    verdict: str  # the filter rules' decision, in words
    kept: bool
    match: Match | None  # None when the rules blocked it (it would never reach the matcher)


@dataclass
class FeedProbe:
    """The outcome of `feeds test URL`: one fetch and parse, nothing stored."""

    url: str
    status: int | None
    error: str | None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    entries: list[ProbedEntry] = field(default_factory=list)
    rules_from: str | None = None  # the configured feed whose rules applied, if any
    slow_rules: list[str] = field(default_factory=list)  # rules that ran out of time


def probe_feed(url: str, config: Config, matcher, *, now: datetime | None = None) -> FeedProbe:
    """Fetch and parse `url` once, run the filter rules and the matcher on each entry."""
    from feeds.fetch import fetch_feed
    from feeds.filters import RuleSet, rule_text
    from feeds.opml import url_key
    from feeds.parse import parse_feed

    now = now or datetime.now(UTC)
    feed = next((f for f in config.feeds if url_key(f.url) == url_key(url)), None)
    name = feed.name if feed else "test"
    result = fetch_feed(FeedState(name=name, url=url), config.fetch,
                        user_agent=feed.user_agent if feed else None)
    probe = FeedProbe(url=result.url or url, status=result.status,
                    error=result.error_detail or result.error if result.error else None,
                    rules_from=feed.name if feed else None)
    if result.error:
        return probe
    parsed = parse_feed(result, name, now=now)
    probe.title, probe.warnings = parsed.title, list(parsed.warnings)
    if parsed.error:
        probe.error = parsed.error
        return probe
    rules = RuleSet.for_feed(config, feed)
    for article in parsed.articles:
        verdict = rules.verdict(article, now)
        match = matcher.match(article.title, article.summary) if verdict.kept else None
        probe.entries.append(ProbedEntry(article, verdict.describe(), verdict.kept, match))
    probe.slow_rules = sorted(rule_text(r) for r in rules.timed_out)
    return probe


def signal_daemon_reload(db_path: Path) -> int | None:
    """Ask a daemon running on `db_path` to re-read the config (SIGHUP). Returns its pid, or
    None when no daemon holds the database's lock. The lock (monitor/lock.py) is held by a live
    process by construction, so the pid in it cannot be stale."""
    import fcntl
    import os
    import signal

    from monitor.lock import lock_path_for

    try:
        fd = os.open(lock_path_for(db_path), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: a daemon is running
            text = os.read(fd, 32).decode("ascii", "replace").strip()
            if not text.isdigit():
                return None
            os.kill(int(text), signal.SIGHUP)
            return int(text)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
