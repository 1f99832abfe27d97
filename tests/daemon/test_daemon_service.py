"""The daemon as a real process: poll → store → immediate alert, clean SIGTERM, one instance per
database, SIGHUP reload (good and bad config), status from another process, JSON logs."""

from __future__ import annotations

import json
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest
from daemon_helpers import (
    SHIFT_SUMMARY,
    SHIFT_TITLE,
    query,
    run_cli,
    wait_until,
    write_config,
)

pytestmark = pytest.mark.slow


def article_count(db, feed=None) -> int:
    sql, params = "SELECT count(*) FROM articles", ()
    if feed:
        sql, params = sql + " WHERE feed = ?", (feed,)
    rows = query(db, sql, params)
    return rows[0][0] if rows else 0


def test_new_stance_shift_is_stored_and_alerted_then_sigterm_exits_clean(farm, daemons, tmp_path):
    farm.add_feed("wire")
    config = write_config(tmp_path / "config.toml", farm, ["wire"], interval="1s")
    db = tmp_path / "km.db"
    daemon = daemons(config)
    wait_until(lambda: article_count(db) == 3, 15, "the first poll to store the 3 base items")

    added_at = time.monotonic()
    farm.add_item("wire", SHIFT_TITLE, SHIFT_SUMMARY)
    stored = wait_until(lambda: query(db, "SELECT id, relevant FROM articles WHERE title = ?",
                                      (SHIFT_TITLE,)), 2 + 5, "the new item to be stored")
    assert stored[0][1] == 1, "the stance shift must be stored as relevant"
    shift = query(db, "SELECT actor, stance FROM mentions WHERE article_id = ? AND shift = 1",
                  (stored[0][0],))
    assert ("india", "welcomes_mediation") in shift

    def alert_file():
        return [p for p in (tmp_path / "out").glob("*.txt")
                if "alert" in p.name and "India" in p.read_text(encoding="utf-8")]

    files = wait_until(alert_file, 2 + 5, "the immediate alert file for the stance shift")
    assert time.monotonic() - added_at < 2 + 5  # within the interval plus a few seconds
    assert "India" in files[0].read_text(encoding="utf-8")
    # the file is written before the outbox records the delivery; give it the same deadline
    wait_until(lambda: query(db, "SELECT count(*) FROM deliveries WHERE kind = 'alert' AND "
                                 "status != 'delivered'") == [(0,)], 5, "the alert recorded")
    assert query(db, "SELECT count(*) FROM deliveries WHERE kind = 'alert'")[0][0] >= 1

    stopped_at = time.monotonic()
    assert daemon.stop(timeout=10) == 0, daemon.log
    assert time.monotonic() - stopped_at < 8
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    beat = query(db, "SELECT stopped_at, jobs_run, jobs_failed FROM daemon_heartbeat")
    assert beat[0][0] is not None and beat[0][1] > 0 and beat[0][2] == 0
    assert "stopped cleanly" in daemon.log

    status = run_cli(config, "status", "--format", "json")
    assert status.returncode == 0, status.stdout + status.stderr
    report = json.loads(status.stdout)
    assert report["healthy"] is True and report["daemon"]["state"] == "stopped"
    assert report["feeds"][0]["name"] == "wire" and report["feeds"][0]["articles"] == 4


def test_second_instance_on_the_same_database_is_refused(farm, daemons, tmp_path):
    farm.add_feed("wire")
    config = write_config(tmp_path / "config.toml", farm, ["wire"])
    db = tmp_path / "km.db"
    first = daemons(config)
    wait_until(lambda: article_count(db) == 3, 15, "the first daemon to poll")

    second = daemons(config)
    code = second.proc.wait(timeout=15)
    assert code == 3  # EXIT_ALREADY_RUNNING: not 1 (a crash) nor 2 (a config error)
    assert "already running" in second.log and str(first.proc.pid) in second.log
    assert first.proc.poll() is None, "the first daemon must keep running"
    assert first.stop() == 0

    third = daemons(config)  # the lock went with the first daemon
    wait_until(lambda: "daemon started" in third.log, 15, "a new daemon to start")
    assert third.stop() == 0


def test_sighup_applies_a_good_config_and_rejects_a_bad_one(farm, daemons, tmp_path):
    farm.add_feed("wire")
    farm.add_feed("desk")
    config = write_config(tmp_path / "config.toml", farm, ["wire"])
    db = tmp_path / "km.db"
    daemon = daemons(config)
    wait_until(lambda: article_count(db, "wire") == 3, 15, "the first feed's items")
    assert farm.hits("desk") == 0

    write_config(config, farm, ["wire", "desk"])
    daemon.signal(signal.SIGHUP)
    wait_until(lambda: article_count(db, "desk") == 3, 15, "the feed added by the reload")
    assert "config reloaded: 2 feeds (1 added" in daemon.log

    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace('interval = "1s"', 'interval = "soon"', 1)
                      + '\n[[channels]]\nname = "alerts"\ntype = "file"\ndirectory = "x"\n',
                      encoding="utf-8")
    daemon.signal(signal.SIGHUP)
    wait_until(lambda: "config reload rejected" in daemon.log, 10, "the rejection log line")
    log = daemon.log
    assert "interval" in log.split("config reload rejected", 1)[1]
    # the old config keeps running: a new item on the first feed is still picked up
    farm.add_item("wire", SHIFT_TITLE, SHIFT_SUMMARY)
    wait_until(lambda: article_count(db, "wire") == 4, 10, "polling to go on after a bad reload")
    assert daemon.proc.poll() is None

    write_config(config, farm, ["desk"])  # remove "wire"
    daemon.signal(signal.SIGHUP)
    wait_until(lambda: daemon.log.count("config reloaded") == 2, 10, "the second good reload")
    # a poll of "wire" already in flight may still land; after that, no more requests
    wait_until(lambda: farm.hits("desk") >= 2, 10, "desk to keep being polled")
    hits = farm.hits("wire")
    before = farm.hits("desk")
    wait_until(lambda: farm.hits("desk") >= before + 3, 15, "three more polls of desk")
    assert farm.hits("wire") <= hits + 1
    assert daemon.stop() == 0


def test_status_is_unhealthy_when_the_daemon_died(farm, daemons, tmp_path):
    farm.add_feed("wire")
    config = write_config(tmp_path / "config.toml", farm, ["wire"])
    db = tmp_path / "km.db"
    daemon = daemons(config)
    wait_until(lambda: query(db, "SELECT pid FROM daemon_heartbeat"), 15, "a heartbeat")
    running = run_cli(config, "status")
    assert running.returncode == 0, running.stdout + running.stderr
    assert "daemon: running" in running.stdout and "next jobs: " in running.stdout

    daemon.kill()  # kill -9: no clean stop recorded; the heartbeat goes stale (beat every 1s)
    dead = wait_until(lambda: (r := run_cli(config, "status")).returncode == 1 and r, 15,
                      "status to notice the dead daemon")
    assert "daemon: dead" in dead.stdout and "no heartbeat since" in dead.stdout


def test_json_logs_mask_secrets(farm, daemons, tmp_path):
    farm.add_feed("wire")
    secret_url = farm.url("missing") + "?token=s3cr3t-t0ken&x=1"
    config = write_config(tmp_path / "config.toml", farm, ["wire"], extra="""
[[channels]]
name = "hook"
type = "webhook"
schedule = "0 7 * * *"
url = "http://127.0.0.1:9/hooks/T000/B000/XyZsecretpath"
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
""").read_text(encoding="utf-8")
    config_path = tmp_path / "config.toml"
    config_path.write_text(config + f'\n[[feeds]]\nname = "private"\nurl = "{secret_url}"\n'
                           'interval = "1s"\n', encoding="utf-8")
    daemon = daemons(config_path, "--log-format", "json", "--log-level", "DEBUG")
    wait_until(lambda: "private" in daemon.log and "http-404" in daemon.log, 15,
               "the failing private feed to be logged")
    assert daemon.stop() == 0
    lines = [json.loads(line) for line in daemon.log.splitlines() if line.strip()]
    assert {"ts", "level", "logger", "message"} <= set(lines[0])
    text = daemon.log
    assert "token=***" in text  # the request line was logged (urllib3 at DEBUG), masked
    for secret in ("s3cr3t-t0ken", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "XyZsecretpath"):
        assert secret not in text


def test_run_once_polls_delivers_and_exits(farm, daemons, tmp_path):
    farm.add_feed("wire", [(SHIFT_TITLE, SHIFT_SUMMARY)])
    config = write_config(tmp_path / "config.toml", farm, ["wire"])
    first = run_cli(config, "run", "--once")
    assert first.returncode == 0, first.stderr
    assert "1 feeds polled: 1 ok, 0 failed; 1 new articles (1 relevant)" in first.stdout
    assert "digests due (alerts)" in first.stdout  # never sent before: due now
    db = tmp_path / "km.db"
    kinds = dict(query(db, "SELECT kind, count(*) FROM deliveries WHERE status = 'delivered' "
                           "GROUP BY kind"))
    assert kinds == {"alert": 1, "digest": 1}
    assert len(list((tmp_path / "out").glob("*.html"))) == 2

    again = run_cli(config, "run", "--once")  # nothing new, and the digest is not due again
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stdout and "digests due" not in again.stdout
    assert query(db, "SELECT count(*) FROM deliveries") == [(2,)]

    daemon = daemons(config)  # a running daemon holds the database: --once refuses
    wait_until(lambda: "daemon started" in daemon.log, 15, "the daemon to start")
    refused = run_cli(config, "run", "--once")
    assert refused.returncode != 0 and "already running" in refused.stderr
    assert daemon.stop() == 0


def window(start_offset_h: int, end_offset_h: int) -> str:
    now = datetime.now(UTC)
    return "-".join((now + timedelta(hours=h)).strftime("%H:%M")
                    for h in (start_offset_h, end_offset_h))


def test_alerts_outside_active_hours_are_held_until_the_window_opens(farm, daemons, tmp_path):
    farm.add_feed("wire", [])
    config = tmp_path / "config.toml"
    later = window(2, 3)  # computed once: a minute may pass before it is replaced below
    closed = write_config(config, farm, ["wire"]).read_text(encoding="utf-8").replace(
        "immediate = true", f'immediate = true\nactive_hours = "{later}"')
    config.write_text(closed, encoding="utf-8")
    db = tmp_path / "km.db"
    daemon = daemons(config)
    wait_until(lambda: "daemon started" in daemon.log, 15, "the daemon to start")
    farm.add_item("wire", SHIFT_TITLE, SHIFT_SUMMARY)
    wait_until(lambda: query(db, "SELECT 1 FROM deliveries WHERE kind = 'alert'"), 10,
               "the alert to be queued")
    # several outbox drains pass (every second in tests) without sending the held alert
    runs = query(db, "SELECT jobs_run FROM daemon_heartbeat")[0][0]
    wait_until(lambda: query(db, "SELECT jobs_run FROM daemon_heartbeat")[0][0] >= runs + 5, 10,
               "more jobs to run")
    assert query(db, "SELECT status FROM deliveries WHERE kind = 'alert'") == [("pending",)]
    assert not list((tmp_path / "out").glob("*.html"))

    opened = closed.replace(later, window(-1, 1))
    assert opened != closed
    config.write_text(opened, encoding="utf-8")
    daemon.signal(signal.SIGHUP)  # the window is open now: the held alert goes out
    wait_until(lambda: query(db, "SELECT status FROM deliveries WHERE kind = 'alert'") ==
               [("delivered",)], 10, "the held alert to be delivered")
    assert daemon.stop() == 0


def test_sigterm_lets_an_in_flight_poll_finish_and_commit(farm, daemons, tmp_path):
    farm.add_feed("slow")
    farm.set_delay("slow", 2.0)
    config = write_config(tmp_path / "config.toml", farm, ["slow"])
    db = tmp_path / "km.db"
    daemon = daemons(config)
    wait_until(lambda: farm.started("slow") >= 1, 15, "the slow feed's request to be in flight")
    assert article_count(db) == 0
    daemon.signal(signal.SIGTERM)  # mid-fetch: the poll must finish and be stored, then exit
    assert daemon.stop(timeout=10) == 0, daemon.log
    assert article_count(db) == 3
    assert "stopped cleanly" in daemon.log and "still in flight" not in daemon.log
    assert farm.started("slow") == 1, "no new work after SIGTERM"
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_sigterm_does_not_wait_forever_for_a_stuck_fetch(farm, daemons, tmp_path):
    farm.add_feed("stuck")
    farm.set_delay("stuck", 25.0)  # longer than the shutdown grace (5 s), shorter than timeouts
    config = write_config(tmp_path / "config.toml", farm, ["stuck"])
    daemon = daemons(config)
    wait_until(lambda: farm.started("stuck") >= 1, 15, "the stuck request to be in flight")
    stopping = time.monotonic()
    assert daemon.stop(timeout=15) == 0, daemon.log
    assert time.monotonic() - stopping < 9
    assert "jobs still in flight" in daemon.log
    db = tmp_path / "km.db"
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT stopped_at IS NOT NULL FROM daemon_heartbeat") == [(1,)]
