"""The poll pipeline (monitor/pipeline.py) with real parts: local HTTP feeds, real sqlite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitor.app import App, read_config
from monitor.pipeline import poll_feeds

FIXTURES = Path(__file__).parent / "fixtures"


def _serve_fixtures(httpserver) -> None:
    for name in ("south-asia-wire.rss.xml", "world-desk.atom.xml"):
        httpserver.expect_request(f"/{name}").respond_with_data(
            (FIXTURES / name).read_bytes(), content_type="application/xml")


def test_failing_alert_template_loses_no_shift_and_stops_no_other_feed(httpserver, write_config,
                                                                        tmp_path):
    _serve_fixtures(httpserver)
    templates = tmp_path / "templates"
    templates.mkdir()
    broken = templates / "alert.html"
    broken.write_text("{{ no_such_variable.attribute }}", encoding="utf-8")
    config = write_config(f"""
[storage]
path = "km.db"

[templates]
directory = "templates"

[[feeds]]
name = "south-asia-wire"
url = "{httpserver.url_for('/south-asia-wire.rss.xml')}"

[[feeds]]
name = "world-desk"
url = "{httpserver.url_for('/world-desk.atom.xml')}"

[[channels]]
name = "alerts"
type = "file"
schedule = ""
immediate = true
directory = "out"
""")
    app = App(read_config(config))
    summary = poll_feeds(app)  # must not raise: the failure belongs to the feed that hit it
    by_feed = {o.feed: o for o in summary.outcomes}
    assert set(by_feed) == {"south-asia-wire", "world-desk"}
    assert not by_feed["world-desk"].ok  # the India shift story is there; its alert failed
    db = sqlite3.connect(tmp_path / "km.db")
    assert db.execute("select count(*) from deliveries").fetchone()[0] == 0
    # the failure is recorded against that feed (backoff, counted), with no validators kept
    assert db.execute("select last_status, consecutive_failures, etag, body_hash from feeds "
                      "where name = 'world-desk'").fetchone() == ("internal-error", 1, None, None)
    assert by_feed["world-desk"].status == "internal-error"

    broken.unlink()  # the user fixes the template: the shift is still alerted
    again = poll_feeds(app)
    assert all(o.ok for o in again.outcomes), again.describe()
    alerts = db.execute("select subject from deliveries where kind = 'alert'").fetchall()
    assert any("India" in subject for (subject,) in alerts), alerts


def test_run_once_reads_active_hours_in_the_configured_timezone(write_config, tmp_path):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from monitor.once import run_once

    zone = "Etc/GMT-12"  # UTC+12: a two-hour window around local now never holds UTC now
    hour = datetime.now(UTC).astimezone(ZoneInfo(zone)).hour
    window = f"{hour:02d}:00-{(hour + 2) % 24:02d}:00"
    config = write_config(f"""
[storage]
path = "km.db"

[schedule]
timezone = "{zone}"

[[feeds]]
name = "world-desk"
url = "{(FIXTURES / 'world-desk.atom.xml').as_uri()}"

[[channels]]
name = "alerts"
type = "file"
schedule = ""
immediate = true
active_hours = "{window}"
directory = "out"
""")
    report = run_once(App(read_config(config)))
    assert "2 delivered" in report and "held" not in report, report
    assert list((tmp_path / "out").glob("*.html"))


def test_poll_summary_prints_no_terminal_escapes():
    from monitor.pipeline import FeedOutcome, PollSummary

    summary = PollSummary([FeedOutcome("wire", "broken-feed", error="bad \x1b[2J feed",
                                       warnings=["declared as \x1b]0;x\x07utf-8"])])
    text = summary.describe()
    assert "\x1b" not in text and "\x07" not in text
    assert "wire: broken-feed — bad [2J feed" in text
