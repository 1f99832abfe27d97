"""Opening the database with the settings every connection needs, and short write transactions."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 15_000


def open_database(path: Path | str) -> sqlite_utils.Database:
    """A sqlite_utils.Database in WAL mode with foreign keys on and a busy timeout.

    WAL lets readers (search, status, Datasette) run while the daemon writes; the busy timeout
    makes a second writer wait for the lock instead of failing with "database is locked".
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:" and db.journal_mode != "wal":
        db.enable_wal()
    # NORMAL is safe in WAL mode (no corruption on power loss; at worst the last commit is lost)
    # and avoids an fsync per poll.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -32000")  # 32 MB page cache per connection
    return db


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE ... COMMIT: take the write lock up front.

    A deferred transaction that reads first and then writes can fail with SQLITE_BUSY on the
    lock upgrade, which the busy timeout cannot retry; IMMEDIATE waits for the lock instead.
    """
    if db.conn.in_transaction:  # nested: join the outer transaction via a savepoint
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
