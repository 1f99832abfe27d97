"""Politeness: conditional GET, User-Agent, caching hints, per-host limits, file:// feeds."""

from __future__ import annotations

import threading

import pytest
from conftest import FAST, HEALTHY, ITEMS, NOW, assert_healthy_complete, cycle, with_healthy
from fault_server import FaultServer, conditional, http_date, reply, rss, send

from feeds.fetch import Fetcher, fetch_feed
from feeds.httputil import DEFAULT_USER_AGENT
from feeds.records import FeedState
from monitor.config_records import FetchConfig


def test_304_with_etag_costs_no_parse(server):
    server.routes["/tagged"] = conditional(rss("tagged", 3), '"v1"')
    first = cycle(with_healthy(server, tagged="/tagged"))
    assert first["tagged"].state.etag == '"v1"'
    second = cycle([first["tagged"].state])
    got = second["tagged"]
    assert server.hits("/tagged")[-1]["If-None-Match"] == '"v1"'
    assert got.result.status == 304 and got.result.not_modified and got.parsed is None
    assert got.state.last_status == "not-modified"
    assert got.state.etag == '"v1"' and got.state.body_hash == first["tagged"].state.body_hash


def test_304_without_etag_uses_last_modified(server):
    stamp = "Mon, 12 May 2025 06:00:00 GMT"
    server.routes["/dated"] = conditional(rss("dated", 3), None, stamp)
    first = cycle(with_healthy(server, dated="/dated"))
    assert_healthy_complete(first)
    assert first["dated"].state.etag is None and first["dated"].state.last_modified == stamp
    second = cycle([first["dated"].state])
    assert "If-None-Match" not in server.hits("/dated")[-1]
    assert server.hits("/dated")[-1]["If-Modified-Since"] == stamp
    assert second["dated"].state.last_status == "not-modified"


def test_identical_body_without_validators_is_not_parsed_again(server):
    polled = cycle(with_healthy(server))
    again = cycle([polled["alpha"].state])
    assert again["alpha"].result.status == 200 and again["alpha"].result.not_modified
    assert again["alpha"].parsed is None and again["alpha"].state.last_status == "unchanged"


def test_user_agent_default_and_per_feed_override(server):
    states = with_healthy(server)
    cycle(states, user_agents={"beta": "custom-agent/1.0"})
    assert server.hits("/alpha")[0]["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("kashmir-monitor/")
    assert "+https://github.com/kashmir-monitor/kashmir-monitor" in DEFAULT_USER_AGENT
    assert server.hits("/beta")[0]["User-Agent"] == "custom-agent/1.0"


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Cache-Control": "public, max-age=7200"}, 7200),  # slower than the interval: honoured
    ({"Cache-Control": "max-age=60"}, 900),  # faster than the interval: ignored
    ({"Cache-Control": "max-age=999999"}, FAST.max_interval),  # capped
    ({"Expires": "in 7200 s"}, 7200),  # relative to the server's own Date header
])
def test_cache_hints_only_slow_polling_down(server, headers, expected):
    if "Expires" in headers:  # made now, not at collection time
        headers = {"Expires": http_date(7200)}
    server.routes["/cached"] = reply(200, rss("cached", 2), headers)
    polled = cycle(with_healthy(server, cached="/cached"))
    wait = (polled["cached"].state.next_poll - NOW).total_seconds()
    assert expected - 2 <= wait <= expected  # Expires has one-second resolution


def test_file_urls_work(tmp_path):
    path = tmp_path / "local.xml"
    path.write_bytes(rss("local", 4))
    polled = cycle([FeedState("local", path.as_uri()), FeedState("lost", (tmp_path / "no.xml").as_uri())])
    assert len(polled["local"].parsed.articles) == 4
    assert polled["local"].state.last_status == "ok"
    assert polled["lost"].state.last_status == "file-not-found"


def test_fetch_feed_never_raises_on_a_bad_url():
    result = fetch_feed(FeedState("bad", "http://[::1"), FAST)
    assert result.error == "bad-url"


def _tracking_server(hold: float, stop: threading.Event):
    """A server whose feeds each take `hold` seconds, recording the peak concurrency."""
    farm = FaultServer()
    lock = threading.Lock()
    stats = {"now": 0, "peak": 0}

    def slow(h) -> None:
        with lock:
            stats["now"] += 1
            stats["peak"] = max(stats["peak"], stats["now"])
        stop.wait(hold)  # the feed is slow to answer; not a synchronisation device
        with lock:
            stats["now"] -= 1
        send(h, 200, rss(h.path.strip("/"), 2))

    for i in range(6):
        farm.routes[f"/f{i}"] = slow
    return farm, stats


def test_per_host_and_overall_limits(stop):
    first, first_stats = _tracking_server(0.1, stop)
    second, second_stats = _tracking_server(0.1, stop)
    try:
        states = [FeedState(f"a{i}", first.url(f"/f{i}")) for i in range(6)]
        states += [FeedState(f"b{i}", second.url(f"/f{i}")) for i in range(6)]
        fetch = FetchConfig(max_concurrency=3, max_per_host=2, host_gap=0, read_timeout=5)
        polled = cycle(states, fetch)
        assert all(p.state.last_status == "ok" for p in polled.values())
        assert first_stats["peak"] == 2 and second_stats["peak"] <= 2
        assert first_stats["peak"] + second_stats["peak"] >= 3  # both hosts ran at once
    finally:
        first.close()
        second.close()


def test_minimum_gap_between_requests_to_one_host(server):
    fetch = FetchConfig(max_concurrency=4, max_per_host=4, host_gap=0.2)
    polled = cycle(with_healthy(server), fetch)
    assert_healthy_complete(polled)
    starts = sorted(t for _, _, t in server.requests)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == len(HEALTHY) and min(gaps) >= 0.19


def test_a_slow_host_never_blocks_other_hosts(server, stop):
    release = threading.Event()
    slow_host = FaultServer()
    slow_host.routes["/slow"] = lambda h: (release.wait(10), send(h, 200, rss("slow", ITEMS)))
    try:
        states = [FeedState(f"slow{i}", slow_host.url("/slow")) for i in range(2)]
        states += with_healthy(server)
        fetch = FetchConfig(max_concurrency=3, max_per_host=2, host_gap=0, read_timeout=10)
        order = []
        for state, result in Fetcher(fetch).fetch_all(states):
            order.append((state.name, result.error))
            if {name for name, _ in order} >= set(HEALTHY):
                release.set()  # the slow feeds may finish only once the others are through
        assert [name for name, _ in order[:3]] == sorted(HEALTHY, key=[n for n, _ in order].index)
        assert {name for name, _ in order[:3]} == set(HEALTHY)
        assert all(error is None for _, error in order)
    finally:
        release.set()
        slow_host.close()
