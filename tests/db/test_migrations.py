"""Schema version, forward migrations from every earlier version on a populated database."""

from __future__ import annotations

import sqlite3

import pytest

from db import queries
from db.connection import open_database
from db.migrations import CURRENT_VERSION, MIGRATIONS, migrate, schema_version
from db.store import Store


def test_fresh_store_is_current_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    store = Store(tmp_path / "m.db")
    db = store.db
    assert schema_version(db) == CURRENT_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert {"feeds", "articles", "mentions", "deliveries", "delivery_items", "articles_fts",
            "stance_daily", "daemon_heartbeat"} <= set(db.table_names())
    assert {"article_mentions", "latest_stance", "stance_shifts"} <= set(db.view_names())
    store.close()


def test_reopening_does_not_migrate_again(tmp_path):
    Store(tmp_path / "m.db").close()
    db = open_database(tmp_path / "m.db")
    assert migrate(db) == []
    assert db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def _populate_v1(db) -> None:
    """Rows as the first release wrote them (mentions had no `published` then)."""
    db.execute("INSERT INTO feeds (name, url, articles) VALUES ('dawn', 'https://d.example/', 2)")
    for i, (title, day) in enumerate([("US offers to mediate on Kashmir", "2025-05-11"),
                                      ("India rejects third-party mediation", "2025-05-12")]):
        db.execute(
            "INSERT INTO articles (id, feed, title, summary, published, fetched_at, relevant, "
            "score, cluster_id) VALUES (?, 'dawn', ?, '', ?, ?, 1, 0.9, ?)",
            [f"a{i}", title, f"{day}T07:00:00+00:00", f"{day}T07:05:00+00:00", f"a{i}"],
        )
    db.execute("INSERT INTO mentions (article_id, actor, stance, evidence, confidence) "
               "VALUES ('a0', 'united_states', 'offers_mediation', 'US offers', 0.9)")
    db.execute("INSERT INTO mentions (article_id, actor, stance, evidence, confidence, shift) "
               "VALUES ('a1', 'india', 'rejects_mediation', 'India rejects', 0.9, 1)")


@pytest.mark.parametrize("start", [v for v, _ in MIGRATIONS[:-1]])
def test_migrates_populated_database_from_every_earlier_version(tmp_path, start):
    path = tmp_path / "old.db"
    db = open_database(path)
    migrate(db, target=1)
    _populate_v1(db)
    migrate(db, target=start)
    assert schema_version(db) == start
    db.close()

    store = Store(path)  # opening migrates to the current version
    assert schema_version(store.db) == CURRENT_VERSION
    assert [h.id for h in queries.search(store, "mediation")] == ["a1"]
    assert {h.id for h in queries.search(store, "mediat*")} == {"a0", "a1"}
    assert [(r.actor, r.stance, r.count) for r in queries.timeline(store)] == [
        ("united_states", "offers_mediation", 1), ("india", "rejects_mediation", 1)]
    assert [h.id for h in queries.search(store, actor="india", stance="rejects_mediation")] == [
        "a1"]
    # the v4 tags were backfilled from the old mentions
    assert [h.id for h in queries.search(store, "mediat*", actor="india")] == ["a1"]
    assert [h.id for h in queries.search(store, "mediat*", stance="offers_mediation")] == ["a0"]
    shifts = list(store.db["stance_shifts"].rows)
    assert [(s["actor"], s["article_id"]) for s in shifts] == [("india", "a1")]
    latest = {r["actor"]: r["stance"] for r in store.db["latest_stance"].rows}
    assert latest == {"india": "rejects_mediation", "united_states": "offers_mediation"}
    store.close()


def test_database_newer_than_the_code_is_refused(tmp_path):
    Store(tmp_path / "n.db").close()
    conn = sqlite3.connect(tmp_path / "n.db")
    conn.execute("INSERT INTO schema_version VALUES (?, 'later')", [CURRENT_VERSION + 1])
    conn.commit()
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this program"):
        Store(tmp_path / "n.db")


def test_a_failing_step_leaves_the_previous_version_intact(tmp_path, monkeypatch):
    path = tmp_path / "f.db"
    db = open_database(path)
    migrate(db, target=1)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    monkeypatch.setattr("db.migrations.MIGRATIONS", [MIGRATIONS[0], (2, broken)])
    with pytest.raises(RuntimeError, match="step failed"):
        migrate(db, target=2)
    assert schema_version(db) == 1
    assert not db["half_done"].exists()
