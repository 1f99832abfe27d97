"""Forward-only schema migrations. Each step runs in one transaction with its version row, so a
crash mid-migration leaves the database at the previous version, never half-way.

v1  the first release (db/schema.py): tables, FTS5, basic indexes
v2  mentions.published (denormalised for actor/stance queries), query indexes, analyst views
v3  stance_daily: per-day stance counts kept by triggers, so timelines stay fast at 1M articles
v4  articles.tags (actor/stance tokens) indexed in FTS, so actor+stance filters join the MATCH
v5  daemon_heartbeat adopted from monitor/health.py (same DDL, so an existing table is kept)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from db.connection import write_transaction
from db.schema import FTS_TOKENIZE, create_v1
from db.tags import TAGS_SQL
from db.views import create_views


def _v2(db: sqlite_utils.Database) -> None:
    if "published" not in db["mentions"].columns_dict:
        db.execute("ALTER TABLE mentions ADD COLUMN published TEXT")
    db.execute(
        "UPDATE mentions SET published = "
        "(SELECT a.published FROM articles a WHERE a.id = mentions.article_id)"
    )
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS mentions_actor_stance
            ON mentions(actor, stance, published);
        CREATE INDEX IF NOT EXISTS mentions_shift ON mentions(published) WHERE shift = 1;
        CREATE INDEX IF NOT EXISTS articles_relevant_fetched
            ON articles(fetched_at) WHERE relevant = 1;
        CREATE INDEX IF NOT EXISTS articles_cluster ON articles(cluster_id);
        """
    )
    create_views(db)


STANCE_DAILY_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS mentions_stance_ai AFTER INSERT ON mentions
WHEN new.stance IS NOT NULL BEGIN
  INSERT INTO stance_daily (day, actor, stance, n)
  VALUES (substr(new.published, 1, 10), new.actor, new.stance, 1)
  ON CONFLICT (day, actor, stance) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS mentions_stance_ad AFTER DELETE ON mentions
WHEN old.stance IS NOT NULL BEGIN
  UPDATE stance_daily SET n = n - 1
  WHERE day = substr(old.published, 1, 10) AND actor = old.actor AND stance = old.stance;
END;
"""


FTS_TRIGGERS_V4 = """
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, summary, tags)
  VALUES (new.rowid, new.title, new.summary, new.tags);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, tags)
  VALUES ('delete', old.rowid, old.title, old.summary, old.tags);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, summary, tags ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, tags)
  VALUES ('delete', old.rowid, old.title, old.summary, old.tags);
  INSERT INTO articles_fts (rowid, title, summary, tags)
  VALUES (new.rowid, new.title, new.summary, new.tags);
END;
"""


def _v3(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS stance_daily (
            day TEXT NOT NULL,
            actor TEXT NOT NULL,
            stance TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (day, actor, stance)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS stance_daily_actor ON stance_daily(actor, day);
        DELETE FROM stance_daily;
        INSERT INTO stance_daily (day, actor, stance, n)
            SELECT substr(published, 1, 10), actor, stance, count(*) FROM mentions
            WHERE stance IS NOT NULL GROUP BY 1, 2, 3;
        """
    )
    db.executescript(STANCE_DAILY_TRIGGERS)


def _v4(db: sqlite_utils.Database) -> None:
    if "tags" not in db["articles"].columns_dict:
        db.execute("ALTER TABLE articles ADD COLUMN tags TEXT NOT NULL DEFAULT ''")
    db.execute(f"UPDATE articles SET tags = (SELECT group_concat({TAGS_SQL}, ' ') FROM mentions m "
               "WHERE m.article_id = articles.id) "
               "WHERE id IN (SELECT article_id FROM mentions)")
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE IF EXISTS articles_fts")
    db["articles"].enable_fts(["title", "summary", "tags"], tokenize=FTS_TOKENIZE)
    db.executescript(FTS_TRIGGERS_V4)


HEARTBEAT_DDL = """
CREATE TABLE IF NOT EXISTS daemon_heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER NOT NULL,
    host TEXT,
    version TEXT,
    config_path TEXT,
    started_at TEXT NOT NULL,
    beat_at TEXT NOT NULL,          -- last time the daemon wrote this row
    beat_every INTEGER NOT NULL,    -- seconds between beats: what "fresh" means
    last_cycle_at TEXT,             -- last time any job (poll, delivery) completed
    stopped_at TEXT,                -- set on a clean shutdown; NULL while running or crashed
    next_jobs TEXT NOT NULL DEFAULT '[]',  -- JSON [{"id", "next_run"}], soonest first
    jobs_run INTEGER NOT NULL DEFAULT 0,
    jobs_failed INTEGER NOT NULL DEFAULT 0,
    jobs_missed INTEGER NOT NULL DEFAULT 0   -- missed + skipped (max_instances) runs
)
"""


def _v5(db: sqlite_utils.Database) -> None:
    # one row (id = 1): only one daemon runs on a database; the daemon writes it, status reads
    db.execute(HEARTBEAT_DDL)


# (version, step). Append only; never edit a released step.
MIGRATIONS: list[tuple[int, Callable[[sqlite_utils.Database], None]]] = [
    (1, create_v1),
    (2, _v2),
    (3, _v3),
    (4, _v4),
    (5, _v5),
]
CURRENT_VERSION = MIGRATIONS[-1][0]


def schema_version(db: sqlite_utils.Database) -> int:
    """The version the database is at (0 for an empty database)."""
    if not db["schema_version"].exists():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, target: int = CURRENT_VERSION) -> list[int]:
    """Apply every step above the current version up to `target`; returns the versions applied.

    Raises RuntimeError if the database is newer than this code (a downgrade is not supported).
    """
    current = schema_version(db)
    if current > CURRENT_VERSION:
        raise RuntimeError(
            f"database schema version {current} is newer than this program's "
            f"({CURRENT_VERSION}); upgrade kashmir-monitor"
        )
    applied = []
    for version, step in MIGRATIONS:
        if current < version <= target:
            with write_transaction(db):
                # Re-check under the write lock: another process may have migrated meanwhile.
                if schema_version(db) >= version:
                    continue
                step(db)
                db.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    [version, datetime.now(UTC).isoformat(timespec="seconds")],
                )
            applied.append(version)
    return applied
