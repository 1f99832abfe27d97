"""Rules in a real poll (local HTTP feed → `kashmir-monitor poll` → SQLite), `feeds list` from
the database, `feeds resume` lifting an automatic pause, and `feeds test` storing nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES

FEED = (FIXTURES / "rules-wire.rss.xml").read_bytes()
KEPT = {"Moscow ready to mediate between India and Pakistan on Kashmir, Lavrov says",
        "Turkey offers to mediate between Pakistan and India over Kashmir",
        "a" * 5000 + "!"}  # the runaway rule timed out on it: counted as no match


def km(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120)


def write_config(tmp_path: Path, url: str, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"""# rules for the wire
[storage]
path = "km.db"

[fetch]
max_failures = 2

[filters]
block = ["title=(?i)cricket", "age>3650d"]   # no sport, nothing older than ten years

[[feeds]]
name = "rules-wire"
url = "{url}"
block = ["category=^Sponsored$", "title=(a+)+$"]   # the second one runs away on a hostile title
{extra}
[[channels]]
name = "files"
type = "file"
directory = "digests"
""")
    return path


def stored_titles(tmp_path: Path) -> set[str]:
    with sqlite3.connect(tmp_path / "km.db") as db:
        return {row[0] for row in db.execute("SELECT title FROM articles")}


def test_rules_apply_in_a_real_poll_and_blocked_entries_are_not_stored(httpserver, tmp_path):
    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    config = write_config(tmp_path, httpserver.url_for("/wire.xml"))
    start = time.monotonic()
    proc = km(config, "poll")
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - start < 60  # the runaway rule did not stall the poll
    assert "1 ok, 0 failed; 3 new articles (2 relevant)" in proc.stdout
    assert stored_titles(tmp_path) == KEPT
    assert "filter rule 'title=(a+)+$' took over" in proc.stderr

    rows = json.loads(km(config, "feeds", "list", "--format", "json").stdout)
    assert rows[0]["name"] == "rules-wire" and rows[0]["state"] == "ok"
    assert rows[0]["articles"] == 3 and rows[0]["last_success"]


def test_a_keep_rule_turns_the_feed_into_an_allow_list(httpserver, tmp_path):
    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    config = write_config(tmp_path, httpserver.url_for("/wire.xml"),
                          extra='keep = ["title=^Turkey"]\n')
    assert km(config, "poll").returncode == 0
    assert stored_titles(tmp_path) == {
        "Turkey offers to mediate between Pakistan and India over Kashmir"}


def test_list_without_a_database_shows_new_feeds_and_creates_nothing(config_file, run_cli):
    result = run_cli(config_file, "feeds", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["NAME", "URL", "INTERVAL", "STATE", "LAST", "SUCCESS", "ARTICLES"]
    assert lines[1].split() == ["dawn", "https://dawn.example.org/feed", "15m", "new", "never", "0"]
    assert not (config_file.parent / "km.db").exists()
    rows = json.loads(run_cli(config_file, "feeds", "list", "--format", "json").stdout)
    assert rows[1] == {"name": "hindu", "url": "https://hindu.example.org/rss", "interval": 900,
                       "state": "new", "last_success": None, "articles": 0, "last_status": None,
                       "last_error": None, "consecutive_failures": 0, "paused_reason": None}


def test_resume_lifts_the_automatic_pause_after_a_410(httpserver, tmp_path, run_cli):
    httpserver.expect_request("/wire.xml").respond_with_data("gone", status=410)
    config = write_config(tmp_path, httpserver.url_for("/wire.xml"))
    assert km(config, "poll").returncode == 0
    rows = json.loads(km(config, "feeds", "list", "--format", "json").stdout)
    assert rows[0]["state"] == "paused" and "410" in rows[0]["paused_reason"]

    result = run_cli(config, "feeds", "resume", "rules-wire")
    assert result.exit_code == 0, result.output
    assert "Lifted the automatic pause (gone: the server answered 410" in result.output
    row = json.loads(run_cli(config, "feeds", "list", "--format", "json").stdout)[0]
    assert (row["state"], row["consecutive_failures"], row["paused_reason"]) == ("resumed", 0, None)

    httpserver.clear()
    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    assert "1 ok" in km(config, "poll").stdout  # polled again, not skipped as paused
    assert json.loads(km(config, "feeds", "list", "--format", "json").stdout)[0]["state"] == "ok"


def test_paused_in_config_is_not_polled(httpserver, tmp_path, run_cli):
    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    config = write_config(tmp_path, httpserver.url_for("/wire.xml"))
    assert run_cli(config, "feeds", "pause", "rules-wire").exit_code == 0
    assert "0 feeds polled" in km(config, "poll").stdout
    assert httpserver.log == []
    listed = run_cli(config, "feeds", "list").output
    assert " disabled " in listed
    assert run_cli(config, "feeds", "resume", "rules-wire").exit_code == 0
    assert "1 feeds polled: 1 ok" in km(config, "poll").stdout
    assert len(httpserver.log) == 1


def test_feeds_test_shows_rules_and_matcher_verdicts_and_stores_nothing(httpserver, tmp_path,
                                                                      run_cli):
    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    url = httpserver.url_for("/wire.xml")
    config = write_config(tmp_path, url)
    result = run_cli(config, "feeds", "test", url)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "feed: Rules Wire — 6 entries, 3 blocked by filter rules, 2 relevant" in out
    assert 'filter rules: global and feed "rules-wire"' in out
    assert "filter: blocked by global-block rule title=(?i)cricket" in out
    assert "filter: blocked by feed-block rule category=^Sponsored$" in out
    assert "filter: blocked by global-block rule age>3650d" in out
    assert "filter rule title=(a+)+$ ran out of time" in out
    assert "russia: offers_mediation" in out and "turkey: offers_mediation" in out
    assert not (tmp_path / "km.db").exists()

    data = json.loads(run_cli(config, "feeds", "test", url, "--format", "json").stdout)
    kept = [e for e in data["entries"] if e["kept"]]
    assert len(data["entries"]) == 6 and len(kept) == 3
    assert {e["match"]["relevant"] for e in kept} == {True, False}


def test_feeds_test_of_an_unknown_url_uses_global_rules_and_reports_failures(httpserver,
                                                                           config_file, run_cli):
    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    httpserver.expect_request("/missing.xml").respond_with_data("no", status=404)
    out = run_cli(config_file, "feeds", "test", httpserver.url_for("/wire.xml")).output
    assert "1 blocked by filter rules" in out  # only the global cricket rule applies
    assert "filter rules:" not in out
    failed = run_cli(config_file, "feeds", "test", httpserver.url_for("/missing.xml"))
    assert failed.exit_code == 1 and "HTTP 404, error:" in failed.output


def test_feeds_test_strips_terminal_escapes_from_feed_text(httpserver, config_file, run_cli):
    evil = FEED.replace(b"<title>Rules Wire</title>", b"<title>Wire\x1b]0;pwned\x07 &#27;[2J</title>")
    httpserver.expect_request("/evil.xml").respond_with_data(evil, content_type="application/xml")
    out = run_cli(config_file, "feeds", "test", httpserver.url_for("/evil.xml")).output
    assert "feed: Wire ]0;pwned [2J — 6 entries" in out  # shown, but inert
    assert "\x1b" not in out and "\x07" not in out


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def lock_held(db_path: Path) -> bool:
    import fcntl
    import os

    lock = db_path.with_name(db_path.name + ".lock")
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def test_a_running_daemon_reloads_the_config_after_feeds_add(httpserver, tmp_path, run_cli):
    """`feeds add` sends SIGHUP to the daemon holding the database lock; it reloads the config
    (and so schedules the new feed) without a restart."""
    import signal

    httpserver.expect_request("/wire.xml").respond_with_data(FEED, content_type="application/xml")
    config = write_config(tmp_path, httpserver.url_for("/wire.xml"))
    log = tmp_path / "daemon.log"
    with log.open("w") as out:
        daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config),
                                   "run"], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "daemon started" in log.read_text())
        assert lock_held(tmp_path / "km.db")
        result = run_cli(config, "feeds", "add", "second", httpserver.url_for("/second.xml"))
        assert result.exit_code == 0, result.output
        assert f"Asked the running daemon (pid {daemon.pid}) to reload the config." in result.output
        wait_for(lambda: "config reloaded: 2 feeds (1 added" in log.read_text())
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    assert "stopped cleanly" in log.read_text()
    # no daemon any more: nobody to tell
    assert "Asked the running daemon" not in run_cli(config, "feeds", "pause", "second").output
