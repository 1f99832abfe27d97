"""Fixtures for the feeds tests: a fault-injection HTTP server and a whole poll cycle helper."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fault_server import FaultServer, reply, rss

from feeds.fetch import Fetcher
from feeds.parse import parse_feed
from feeds.records import FeedState, FetchResult, ParsedFeed
from feeds.state import after_fetch
from monitor.config_records import FetchConfig

# Small timeouts keep the suite fast; the real defaults are far more patient.
FAST = FetchConfig(connect_timeout=1.0, read_timeout=0.5, max_concurrency=8, max_per_host=8,
                   host_gap=0.0, max_failures=3, backoff_cap=3600)
NOW = datetime(2025, 5, 12, 12, 0, tzinfo=UTC)
HEALTHY = ("alpha", "beta", "gamma")
ITEMS = 5


@dataclass
class Polled:
    state: FeedState
    result: FetchResult
    parsed: ParsedFeed | None


@pytest.fixture
def server() -> Iterator[FaultServer]:
    farm = FaultServer()
    for name in HEALTHY:
        farm.routes[f"/{name}"] = reply(200, rss(name, ITEMS))
    try:
        yield farm
    finally:
        farm.close()


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    """Set at teardown so misbehaving handlers (stall, drip) end with the test."""
    event = threading.Event()
    yield event
    event.set()


def cycle(states: list[FeedState], fetch: FetchConfig = FAST, *, interval: int = 900,
          user_agents: dict[str, str | None] | None = None) -> dict[str, Polled]:
    """One poll cycle as the daemon runs it: fetch all, parse, update each state."""
    polled = {}
    for state, result in Fetcher(fetch).fetch_all(states, user_agents):
        parsed = None
        if result.error is None and not result.not_modified:
            parsed = parse_feed(result, state.name, now=NOW)
        new = after_fetch(state, result, parsed, interval=interval, fetch=fetch, now=NOW)
        polled[state.name] = Polled(new, result, parsed)
    return polled


def with_healthy(server: FaultServer, **faulty: str) -> list[FeedState]:
    """States for the healthy feeds plus the named faulty paths."""
    states = [FeedState(name, server.url(f"/{name}")) for name in HEALTHY]
    states += [FeedState(name, server.url(path)) for name, path in faulty.items()]
    return states


def assert_healthy_complete(polled: dict[str, Polled]) -> None:
    """The healthy feeds of the cycle came through in full, whatever the faulty one did."""
    for name in HEALTHY:
        got = polled[name]
        assert got.result.error is None, (name, got.result.error)
        assert got.parsed is not None and got.parsed.error is None
        assert len(got.parsed.articles) == ITEMS
        assert got.state.last_status == "ok" and got.state.consecutive_failures == 0
