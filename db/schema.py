"""The first-release (v1) tables. Later changes live in db/migrations.py as forward steps.

Column names here are a contract (README, "The database"): alerts/ reads `deliveries` and
`delivery_items`, the CLI reads `feeds`. Add columns in a migration; never rename.
"""

from __future__ import annotations

import sqlite_utils

# Plain DDL rather than table.create(): the exact constraints (ON DELETE CASCADE, UNIQUE,
# NOT NULL DEFAULT) matter for correctness and are easier to read as SQL.
V1_TABLES = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    last_polled TEXT,
    last_success TEXT,
    last_status TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll TEXT,
    paused INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    interval INTEGER,
    articles INTEGER NOT NULL DEFAULT 0,
    config_url TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    feed TEXT NOT NULL REFERENCES feeds(name),
    guid TEXT,
    link TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    author TEXT,
    published TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    updated_at TEXT,
    content_hash TEXT NOT NULL DEFAULT '',
    simhash INTEGER NOT NULL DEFAULT 0,
    cluster_id TEXT,
    relevant INTEGER NOT NULL DEFAULT 0,
    score REAL NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    stance TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0,
    baseline TEXT,
    in_watchlist INTEGER NOT NULL DEFAULT 1,
    shift INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT,
    payload TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
-- actor is NOT NULL DEFAULT '' because SQLite treats NULLs as distinct in UNIQUE:
-- with NULL a digest item could be recorded twice for one channel.
CREATE TABLE IF NOT EXISTS delivery_items (
    delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    article_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    UNIQUE (channel, kind, article_id, actor)
);
CREATE INDEX IF NOT EXISTS articles_feed ON articles(feed);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries(status, next_attempt_at);
CREATE INDEX IF NOT EXISTS delivery_items_delivery ON delivery_items(delivery_id);
"""

# Own triggers instead of enable_fts(create_triggers=True): that one rewrites the FTS row on
# every UPDATE of any column, and the store updates cluster/score columns often.
FTS_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, summary) VALUES (new.rowid, new.title, new.summary);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary)
  VALUES ('delete', old.rowid, old.title, old.summary);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, summary ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary)
  VALUES ('delete', old.rowid, old.title, old.summary);
  INSERT INTO articles_fts (rowid, title, summary) VALUES (new.rowid, new.title, new.summary);
END;
"""

FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def create_v1(db: sqlite_utils.Database) -> None:
    """Create the first release's schema (idempotent). Runs inside the migration transaction
    (sqlite-utils 4's executescript does not COMMIT an open transaction)."""
    db.executescript(V1_TABLES)
    # enable_fts makes an external-content FTS5 table (content=articles) that Datasette
    # recognises, so its search box works out of the box.
    if not db["articles_fts"].exists():
        db["articles"].enable_fts(["title", "summary"], tokenize=FTS_TOKENIZE)
    db.executescript(FTS_TRIGGERS)
