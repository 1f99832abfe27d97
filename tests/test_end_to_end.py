"""Issue 2's end-to-end proof with real parts: local HTTP feeds → poll → digest → file + SMTP."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def km(config, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_poll_then_digest_stores_matches_and_delivers(httpserver, smtp_server, write_config,
                                                      tmp_path):
    for name in ("south-asia-wire.rss.xml", "world-desk.atom.xml"):
        httpserver.expect_request(f"/{name}").respond_with_data(
            (FIXTURES / name).read_bytes(), content_type="application/xml")
    host, port, inbox = smtp_server
    config = write_config(f"""
[storage]
path = "km.db"

[[feeds]]
name = "south-asia-wire"
url = "{httpserver.url_for('/south-asia-wire.rss.xml')}"

[[feeds]]
name = "world-desk"
url = "{httpserver.url_for('/world-desk.atom.xml')}"

[[channels]]
name = "files"
type = "file"
schedule = "0 7 * * *"
directory = "digests"

[[channels]]
name = "desk"
type = "email"
schedule = "0 7 * * *"
smtp_host = "{host}"
smtp_port = {port}
smtp_security = "none"
from = "monitor@example.org"
to = ["desk@example.org"]
""")
    out = km(config, "poll").stdout
    assert "2 feeds polled: 2 ok, 0 failed; 9 new articles" in out

    # polling again stores nothing new
    again = km(config, "poll").stdout
    assert "0 new articles" in again

    db = sqlite3.connect(tmp_path / "km.db")
    titles = dict(db.execute("select title, relevant from articles"))
    assert len(titles) == 9
    assert titles["Islamabad welcomes Russian offer of mediation over Kashmir"] == 1
    assert titles["Heavy snowfall shuts Srinagar airport as Kashmir valley freezes"] == 0
    assert titles["India beat Pakistan by six wickets in Asia Cup thriller"] == 0
    assert titles["Qatar and Egypt mediate new round of Gaza truce talks"] == 0
    stances = set(db.execute(
        "select a.title, m.actor, m.stance from mentions m join articles a on a.id = m.article_id"
        " where m.stance is not null"))
    assert ("Islamabad welcomes Russian offer of mediation over Kashmir", "pakistan",
            "welcomes_mediation") in stances
    assert ("Turkey offers to mediate between Pakistan and India over Kashmir", "turkey",
            "offers_mediation") in stances
    assert ("India signals it could accept Russian mediation on Kashmir", "india",
            "welcomes_mediation") in stances
    shifts = db.execute("select actor from mentions where shift = 1").fetchall()
    assert ("india",) in shifts

    km(config, "digest")
    files = sorted(p.suffix for p in (tmp_path / "digests").iterdir())
    assert ".html" in files and ".txt" in files
    html = next((tmp_path / "digests").glob("*digest*.html")).read_text(encoding="utf-8")
    assert "Islamabad welcomes Russian offer" in html
    assert "Heavy snowfall" not in html

    messages = inbox.wait_for(1)
    assert any("digest" in (m["Subject"] or "").lower() for m in messages)
    delivered = db.execute(
        "select channel, status from deliveries where kind = 'digest'").fetchall()
    assert ("desk", "delivered") in delivered and ("files", "delivered") in delivered

    # a second digest run has nothing new to send: no second email
    km(config, "digest")
    assert len([m for m in inbox.messages if "digest" in (m["Subject"] or "").lower()]) == 1

    search = json.loads(km(config, "search", "Russian mediation", "--format", "json").stdout)
    assert any("Russian" in hit["title"] for hit in search)
