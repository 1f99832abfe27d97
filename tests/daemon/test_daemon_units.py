"""The daemon's building blocks on their own: lock, log masking, cron, adaptive intervals,
per-host gate, heartbeat and status (real files, real SQLite, real threads)."""

from __future__ import annotations

import io
import json
import logging
import random
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from daemon_helpers import wait_until

from monitor import jobs
from monitor.config_records import ChannelConfig, FeedConfig, FetchConfig
from monitor.health import (
    Heartbeat,
    collect_status,
    read_heartbeat,
    write_heartbeat,
)
from monitor.lock import AlreadyRunning, DaemonLock, lock_path_for
from monitor.logs import mask_secrets, register_config_secrets, setup_logging

NOW = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)


# -- lock ---------------------------------------------------------------------------------------

def test_lock_refuses_a_second_holder_and_frees_on_release(tmp_path):
    db = tmp_path / "km.db"
    first = DaemonLock(db)
    first.acquire()
    with pytest.raises(AlreadyRunning, match=r"already running on .*km\.db.*pid \d+|pid \d+"):
        DaemonLock(db).acquire()
    first.release()
    with DaemonLock(db) as again:
        assert again.held and lock_path_for(db).exists()


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    db = tmp_path / "km.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from monitor.lock import DaemonLock; "
         f"DaemonLock({str(db)!r}).acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning, match=f"pid {holder.pid}"):
            DaemonLock(db).acquire()
    finally:
        holder.kill()
        holder.wait()
    with DaemonLock(db) as lock:  # kill -9 released it: no stale lock to clean up
        assert lock.held


# -- logs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, secret", [
    ("GET https://alice:hunter22@example.org/feed.xml", "hunter22"),
    ("GET /rss?api_key=abcd1234efgh&lang=en", "abcd1234efgh"),
    ("fetch https://x.example/f?access_token=tok-998877&x=1 failed", "tok-998877"),
    ("secret is whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/send",
     "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
])
def test_mask_secrets_patterns(text, secret):
    masked = mask_secrets(text)
    assert secret not in masked and "***" in masked


def test_config_secrets_are_masked_and_plain_text_is_kept():
    config = SimpleNamespace(
        channels=[ChannelConfig("mail", "email", settings={"password": "correct horse 42",
                                                           "smtp_host": "127.0.0.1"}),
                  ChannelConfig("slack", "webhook", settings={
                      "url": "https://hooks.example.com/services/T1/B2/zzSECRETzz",
                      "secret": "plain-hmac-secret"})],
        feeds=[FeedConfig("f", "https://example.org/rss?key=feedkey77")])
    register_config_secrets(config)
    line = ("smtp login correct horse 42 failed; POST https://hooks.example.com/services/T1/B2/"
            "zzSECRETzz; signed with plain-hmac-secret; feed https://example.org/rss?key=feedkey77")
    masked = mask_secrets(line)
    for secret in ("correct horse 42", "zzSECRETzz", "plain-hmac-secret", "feedkey77"):
        assert secret not in masked
    assert "https://hooks.example.com" in masked and "smtp login" in masked


def test_json_log_lines_are_masked_including_tracebacks():
    out = io.StringIO()
    setup_logging("DEBUG", "json", stream=out)
    try:
        log = logging.getLogger("kashmir_monitor.test")
        try:
            raise ValueError("connect to https://bob:pa55w0rd99@mail.example.org failed")
        except ValueError:
            log.exception("send failed for %s", "https://x.example/?token=t0k3n-123")
    finally:
        setup_logging("WARNING", "text")
    record = json.loads(out.getvalue().splitlines()[0])
    assert record["level"] == "ERROR" and record["logger"] == "kashmir_monitor.test"
    assert "t0k3n-123" not in out.getvalue() and "pa55w0rd99" not in out.getvalue()
    assert "ValueError" in record["exc"]


# -- scheduling policy --------------------------------------------------------------------------

def test_cron_day_of_week_is_read_the_cron_way():
    tz = ZoneInfo("UTC")
    sunday = jobs.cron_trigger("0 7 * * 0", tz).get_next_fire_time(None, NOW)
    assert sunday == datetime(2026, 3, 29, 7, 0, tzinfo=tz) and sunday.weekday() == 6
    weekdays = jobs.cron_trigger("30 6 * * 1-5", tz)
    fire, seen = NOW, set()
    for _ in range(7):
        fire = weekdays.get_next_fire_time(None, fire + timedelta(seconds=1))
        seen.add(fire.weekday())
    assert seen == {0, 1, 2, 3, 4}
    assert jobs._cron_days("5-7") == "sun,fri,sat" and jobs._cron_days("*/2") == "sun,tue,thu,sat"


def test_cron_runs_in_the_configured_time_zone():
    kolkata = ZoneInfo("Asia/Kolkata")
    fire = jobs.cron_trigger("0 7 * * *", kolkata).get_next_fire_time(None, NOW)
    assert fire.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_digest_due_catches_up_a_missed_run_only():
    tz = ZoneInfo("UTC")
    at_8 = NOW.replace(hour=8)
    assert jobs.digest_due("0 7 * * *", tz, None, at_8)
    assert jobs.digest_due("0 7 * * *", tz, at_8 - timedelta(days=1), at_8)
    assert not jobs.digest_due("0 7 * * *", tz, at_8.replace(hour=7, minute=1), at_8)


def test_adaptive_interval_busy_quiet_and_bounds():
    fetch = FetchConfig(min_interval=60, max_interval=6 * 3600)
    assert jobs.adaptive_interval(900, 0, fetch) == 1800  # quiet: up to twice the configured
    assert jobs.adaptive_interval(900, 10_000, fetch) == 225  # busy: down to a quarter
    assert jobs.adaptive_interval(900, 7 * 24 * 2, fetch) == 1800  # one an hour: ~30 min cap
    assert jobs.adaptive_interval(900, 7 * 24 * 6, fetch) == 600  # six an hour: every 10 min
    assert jobs.adaptive_interval(120, 10_000, fetch) == 60  # never under min_interval
    assert jobs.adaptive_interval(5, 1_000_000, fetch) == 5  # unless configured so explicitly


def test_next_poll_honours_backoff_and_server_hints():
    rng = random.Random(1)
    later = NOW + timedelta(hours=2)
    assert jobs.next_poll_at(now=NOW, interval=600, configured=900, state_next_poll=later, failing=True,
                             rng=rng) == later  # failing: the backoff of feeds/state.py
    assert jobs.next_poll_at(now=NOW, interval=600, configured=900, state_next_poll=later, failing=False,
                             rng=rng) == later  # Retry-After / cache hint beyond the schedule
    planned = jobs.next_poll_at(now=NOW, interval=600, configured=900, state_next_poll=NOW
                                + timedelta(seconds=900), failing=False, rng=rng)  # adaptive wins
    assert NOW + timedelta(seconds=540) <= planned <= NOW + timedelta(seconds=660)
    spread = {jobs.first_poll_at(now=NOW, interval=900, state_next_poll=None, rng=rng)
              for _ in range(50)}
    assert min(spread) >= NOW and max(spread) <= NOW + timedelta(seconds=60) and len(spread) > 40


def test_host_gate_limits_concurrency_per_host_and_lets_stop_through():
    gate = jobs.HostGate(FetchConfig(max_per_host=2, host_gap=0.01))
    inside, peak, lock = 0, 0, threading.Lock()
    release = threading.Event()

    def fetch():
        nonlocal inside, peak
        with gate.slot("http://one.example/feed") as ok:
            assert ok
            with lock:
                inside += 1
                peak = max(peak, inside)
            release.wait(5)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=fetch) for _ in range(5)]
    for t in threads:
        t.start()
    wait_until(lambda: inside == 2, 5, "two fetches inside the gate")
    with gate.slot("http://other.example/feed") as ok:  # another host is not held up
        assert ok
    stop = threading.Event()
    stop.set()
    with gate.slot("http://one.example/feed", stop) as ok:  # shutting down: no wait, no fetch
        assert ok is False
    release.set()
    for t in threads:
        t.join(5)
    assert peak == 2 and inside == 0


# -- heartbeat and status -----------------------------------------------------------------------

def test_heartbeat_round_trip_and_staleness(tmp_path):
    from db.store import Store

    store = Store(tmp_path / "km.db")
    assert read_heartbeat(store.db) is None  # the table, but no daemon yet
    beat = Heartbeat(pid=4242, started_at=NOW, beat_at=NOW, beat_every=15, version="0.1.0",
                     host="box", next_jobs=[{"id": "feed:a", "next_run": NOW.isoformat()}])
    write_heartbeat(store.db, beat)
    back = read_heartbeat(store.db)
    assert back == beat
    assert back.state(NOW + timedelta(seconds=40)) == "running"
    assert back.state(NOW + timedelta(seconds=50)) == "dead"
    back.stopped_at = NOW
    assert back.state(NOW + timedelta(hours=1)) == "stopped"
    store.close()


def test_status_health_rules(tmp_path):
    from db.store import Store

    store = Store(tmp_path / "km.db")
    app = SimpleNamespace(store=store)
    report = collect_status(app, now=NOW)  # a fresh database: no daemon ever, nothing wrong
    assert report.healthy and "never started" in report.as_text()
    write_heartbeat(store.db, Heartbeat(pid=1, started_at=NOW, beat_at=NOW, beat_every=15))
    assert collect_status(app, now=NOW + timedelta(seconds=10)).healthy
    stale = collect_status(app, now=NOW + timedelta(minutes=5))
    assert not stale.healthy and "no heartbeat since" in stale.problems[0]
    store.sync_feeds([("wire", "http://127.0.0.1/feed")])
    store.db.execute("UPDATE feeds SET paused = 1 WHERE name = 'wire'")
    store.db.conn.commit()
    paused = collect_status(app, now=NOW + timedelta(seconds=10))
    assert not paused.healthy and "paused feeds: wire" in paused.problems[0]
    data = paused.as_json()
    assert data["healthy"] is False and data["feeds"][0]["name"] == "wire"
    assert "PAUSED" in paused.as_text()
    store.db.execute("UPDATE feeds SET paused = 0")
    store.db.execute("INSERT INTO deliveries (id, channel, kind, subject, payload, status, "
                     "attempts, last_error, created_at) VALUES ('d1', 'mail', 'digest', 's', "
                     "'{}', 'dead', 5, 'SMTP 535 auth failed', ?)", [NOW.isoformat()])
    store.db.conn.commit()
    dead = collect_status(app, now=NOW + timedelta(seconds=10))
    assert not dead.healthy and dead.problems == [
        "1 dead deliveries (retry them with the delivery retry command)"]
    assert "channel mail: 0 pending, 1 dead" in dead.as_text()
    assert dead.as_json()["channels"][0]["dead"] == 1
    store.close()



def test_host_gate_gives_up_after_max_wait():
    gate = jobs.HostGate(FetchConfig(max_per_host=1, host_gap=0.01))
    with gate.slot("http://slow.example/a") as first:
        assert first
        with gate.slot("http://slow.example/b", max_wait=0.2) as second:
            assert second is False  # the job reschedules itself instead of holding a thread
    with gate.slot("http://slow.example/b", max_wait=0.2) as third:
        assert third


def test_housekeeping_prunes_old_irrelevant_articles(tmp_path, caplog):
    from daemon_helpers import FeedFarm, write_config

    from monitor.app import App, read_config
    from monitor.daemon import Daemon

    farm = FeedFarm()
    try:
        config = read_config(write_config(tmp_path / "config.toml", farm, ["wire"]))
    finally:
        farm.close()
    daemon = Daemon(App(config))  # not started: no threads, just the jobs as methods
    store = daemon.poll_app.store
    store.sync_feeds([("wire", "http://127.0.0.1/wire")])
    old = (datetime.now(UTC) - timedelta(days=90)).isoformat(timespec="seconds")
    for article_id, relevant in (("old-noise", 0), ("old-story", 1)):
        store.db.execute("INSERT INTO articles (id, feed, title, published, fetched_at, relevant) "
                         "VALUES (?, 'wire', 'a title', ?, ?, ?)", [article_id, old, old, relevant])
    store.db.conn.commit()
    with caplog.at_level(logging.INFO, logger="kashmir_monitor.daemon"):
        daemon._housekeeping_job()
    # keep_days_irrelevant defaults to 30; relevant stories are kept (keep_days unset)
    assert [r[0] for r in store.db.execute("SELECT id FROM articles")] == ["old-story"]
    assert "pruned 0 relevant and 1 irrelevant" in caplog.text
    store.close()


def test_a_dead_scheduler_thread_stops_the_daemon_instead_of_beating_on(tmp_path):
    """The heartbeat is written by the main thread: it must not say "running" once the
    scheduler's own thread has died, or `status` would call a stuck daemon healthy."""
    from daemon_helpers import FeedFarm, write_config

    from monitor.app import App, read_config
    from monitor.daemon import EXIT_FAILED, Daemon

    farm = FeedFarm()
    try:
        config = read_config(write_config(tmp_path / "config.toml", farm, ["wire"]))
        daemon = Daemon(App(config))
        dead = threading.Thread(target=lambda: None)
        dead.start()
        dead.join()
        real_start = daemon.scheduler.start

        def start_then_die(*args, **kwargs):
            real_start(*args, **kwargs)
            daemon.scheduler._thread = dead  # as if its loop had crashed
            daemon.wake.set()

        daemon.scheduler.start = start_then_die
        assert daemon.run() == EXIT_FAILED
    finally:
        farm.close()
