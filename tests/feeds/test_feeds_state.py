"""FeedState bookkeeping over several cycles: backoff, pause, reset, redirects."""

from __future__ import annotations

import random
from datetime import timedelta

from conftest import FAST, NOW, cycle
from fault_server import reply, rss

from feeds.records import FeedState, FetchResult
from feeds.state import after_fetch, backoff_seconds, resume


def test_backoff_doubles_with_jitter_and_is_capped():
    rng = random.Random(7)
    delays = [backoff_seconds(n, 900, 6 * 3600, rng) for n in range(1, 8)]
    for n, delay in enumerate(delays[:5], start=1):
        base = min(900 * 2 ** (n - 1), 6 * 3600)
        assert base <= delay <= base * 1.25
    assert delays[-1] == 6 * 3600  # capped, jitter never pushes past the cap
    assert backoff_seconds(1, 900, 600, rng) == 600


def test_failures_back_off_then_pause_then_reset_recovers(server):
    server.routes["/flaky"] = reply(500, b"down")
    state = FeedState("flaky", server.url("/flaky"))
    waits = []
    for _ in range(FAST.max_failures):
        state = cycle([state])["flaky"].state
        waits.append(state.next_poll - NOW)
    assert state.consecutive_failures == FAST.max_failures
    assert waits[0] < waits[1] < waits[2]
    assert state.paused and "3 consecutive failures" in state.paused_reason
    assert state.last_status == "http-500"

    server.routes["/flaky"] = reply(200, rss("flaky", 2))
    state = resume(state, now=NOW)
    assert not state.paused and state.next_poll == NOW
    state = cycle([state])["flaky"].state
    assert state.last_status == "ok" and state.consecutive_failures == 0
    assert state.next_poll == NOW + timedelta(seconds=900) and state.last_success == NOW


def test_success_resets_the_failure_count(server):
    server.routes["/blip"] = reply(503, b"")
    state = cycle([FeedState("blip", server.url("/blip"))])["blip"].state
    assert state.consecutive_failures == 1
    server.routes["/blip"] = reply(200, rss("blip", 1))
    state = cycle([state])["blip"].state
    assert state.consecutive_failures == 0 and state.last_error is None


def test_permanent_redirect_updates_url_and_drops_old_validators():
    state = FeedState("moved", "http://127.0.0.1/old", etag='"old"', last_modified="x")
    result = FetchResult(url="http://127.0.0.1/new", status=304, not_modified=True,
                         permanent_redirect="http://127.0.0.1/new")
    new = after_fetch(state, result, None, interval=900, fetch=FAST, now=NOW)
    assert new.url == "http://127.0.0.1/new" and new.etag is None
    assert new.last_status == "not-modified"


def test_304_keeps_validators_it_did_not_resend():
    state = FeedState("f", "http://127.0.0.1/f", etag='"1"', last_modified="Mon", body_hash="h")
    result = FetchResult(url=state.url, status=304, not_modified=True)
    new = after_fetch(state, result, None, interval=900, fetch=FAST, now=NOW)
    assert (new.etag, new.last_modified, new.body_hash) == ('"1"', "Mon", "h")


def test_dns_failure_is_named_as_such_not_as_a_timeout():
    """urllib3's NameResolutionError subclasses its ConnectTimeoutError; it must not read
    as a timeout. Built by hand: a real lookup would leave loopback."""
    import requests
    import urllib3.exceptions

    from feeds.httputil import error_detail, error_kind

    inner = urllib3.exceptions.NameResolutionError("feeds.example.org", None, OSError("-2"))
    exc = requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", inner))
    assert error_kind(exc) == "dns-error"
    assert error_detail("dns-error", exc, "https://feeds.example.org/rss") == \
        "could not resolve host feeds.example.org"
