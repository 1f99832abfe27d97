"""The store commands on a real polled database: timeline, export, stats, db, deliveries, search."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def polled(tmp_path: Path):
    """A config with two file:// feeds, polled once; returns a function that runs a command."""
    for name in ("south-asia-wire.rss.xml", "world-desk.atom.xml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    config = tmp_path / "config.toml"
    config.write_text(f"""
[storage]
path = "km.db"

[[feeds]]
name = "south-asia-wire"
url = "{(tmp_path / 'south-asia-wire.rss.xml').as_uri()}"

[[feeds]]
name = "world-desk"
url = "{(tmp_path / 'world-desk.atom.xml').as_uri()}"

[[channels]]
name = "files"
type = "file"
immediate = true
directory = "out"
""", encoding="utf-8")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["--config", str(config), *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    assert "9 new articles (6 relevant)" in run("poll")
    return run


def test_timeline_counts_stances_per_actor_per_period(polled, tmp_path):
    rows = json.loads(polled("timeline", "--format", "json"))
    assert {"period": "2025-05-12", "actor": "india", "stance": "rejects_mediation",
            "count": 1} in rows
    weekly = json.loads(polled("timeline", "--by", "week", "--actor", "russia", "--format", "json"))
    assert [(r["actor"], r["stance"], r["count"]) for r in weekly] == [
        ("russia", "offers_mediation", 3)]
    polled("timeline", "--plot", str(tmp_path / "t.png"))
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_streams_articles_with_mentions_in_every_format(polled):
    lines = polled("export", "--relevant-only").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 6 and all(r["relevant"] for r in records)
    turkey = next(r for r in records if r["title"].startswith("Turkey offers"))
    assert any(m["actor"] == "turkey" and m["stance"] == "offers_mediation"
               for m in turkey["mentions"])
    assert len(json.loads(polled("export", "--format", "json"))) == 9
    table = list(csv.DictReader(io.StringIO(polled("export", "--format", "csv"))))
    assert len(table) == 9 and "mentions" in table[0]


def test_stats_and_db_maintenance(polled, tmp_path):
    stats = json.loads(polled("stats", "--format", "json"))
    assert stats["articles"] == 9 and stats["relevant"] == 6
    assert stats["by_feed"] == {"south-asia-wire": 5, "world-desk": 4}
    assert "schema version" in polled("db", "version")
    assert "Vacuumed km.db" in polled("db", "vacuum")
    # the fixtures are from 2025: with 30 days for irrelevant stories those three go
    assert "Pruned 0 relevant and 3 irrelevant articles." in polled("db", "prune")
    with sqlite3.connect(tmp_path / "km.db") as db:
        assert db.execute("select count(*) from articles").fetchone() == (6,)
        assert db.execute("select count(*) from articles_fts where articles_fts match 'snowfall'"
                          ).fetchone() == (0,)


def test_search_formats_and_hostile_queries(polled):
    rows = list(csv.DictReader(io.StringIO(polled("search", "Russian", "--format", "csv"))))
    assert rows and all("Russia" in r["title"] or "Russia" in r["snippet"] for r in rows)
    for query in ('"', "*", "AND", "(", 'Kashmir" OR (', "NEAR(x y"):
        polled("search", query)  # never an error
    hits = json.loads(polled("search", "Kashmir", "--actor", "india", "--stance",
                             "welcomes_mediation", "--format", "json"))
    assert [h["title"] for h in hits] == [
        "India signals it could accept Russian mediation on Kashmir"]
    assert "expected a date" in polled("search", "x", "--since", "soon", code=2)


def test_dead_deliveries_are_listed_and_retried(polled, tmp_path):
    with sqlite3.connect(tmp_path / "km.db") as db:
        db.execute("update deliveries set status = 'dead', attempts = 8")
    listed = json.loads(polled("deliveries", "list", "--format", "json"))
    assert len(listed) == 2 and {d["status"] for d in listed} == {"dead"}
    assert polled("status", code=1)  # dead deliveries make it unhealthy
    assert "Re-queued 2 deliveries." in polled("deliveries", "retry")
    assert json.loads(polled("deliveries", "list", "--format", "json")) == []


def test_until_a_date_includes_that_whole_day(polled):
    # the fixtures' stories of 12 May 2025 run from 08:15 to 14:05 UTC
    hits = json.loads(polled("search", "Kashmir", "--since", "2025-05-12", "--until",
                             "2025-05-12", "--format", "json"))
    assert {h["published"][:10] for h in hits} == {"2025-05-12"} and len(hits) >= 2
    exported = polled("export", "--since", "2025-05-12", "--until", "2025-05-12").splitlines()
    assert len(exported) == 4  # three wire stories and the snow one, not the 11th or 13th
