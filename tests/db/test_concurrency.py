"""One writer, many readers: queries from other connections while polls are saved."""

from __future__ import annotations

import threading
import time

from conftest import T0, days, feed_state, make_article, make_match, mention

from db import queries
from db.store import Store

POLLS = 60
PER_POLL = 25


def test_readers_never_see_database_is_locked_while_a_writer_saves(tmp_path):
    path = tmp_path / "busy.db"
    writer = Store(path)
    writer.sync_feeds([("dawn", "u1"), ("hindu", "u2")])
    errors: list[BaseException] = []
    seen_counts: dict[int, list[int]] = {0: [], 1: [], 2: []}
    done = threading.Event()
    ready = threading.Barrier(4, timeout=30)  # the writer starts once every reader has read

    def write() -> None:
        try:
            ready.wait()
            for p in range(POLLS):
                feed = ("dawn", "hindu")[p % 2]
                items = [(make_article(f"{feed}-{p}-{i}", feed=feed,
                                       title=f"Kashmir mediation update {p} {i}",
                                       published=T0 + days(p)),
                          make_match(mention("india", "rejects_mediation")))
                         for i in range(PER_POLL)]  # fmt: skip
                writer.save_poll(feed_state(feed), items)
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)
        finally:
            done.set()

    def read(n: int) -> None:
        reader = Store(path)
        try:
            while not done.is_set():
                hits = queries.search(reader, "kashmir mediation", actor="india", limit=5)
                status = queries.feed_status(reader)
                queries.stats(reader)
                queries.timeline(reader, "india")
                seen_counts[n].append(sum(f.articles for f in status))
                assert len(hits) <= 5
                if len(seen_counts[n]) == 1:
                    ready.wait()
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
        finally:
            reader.close()

    readers = [threading.Thread(target=read, args=(n,)) for n in range(3)]
    for t in readers:
        t.start()
    writing = threading.Thread(target=write)
    writing.start()
    deadline = time.monotonic() + 120
    writing.join(timeout=120)
    for t in readers:
        t.join(timeout=max(1, deadline - time.monotonic()))
    assert not errors, errors
    assert writer.db["articles"].count == POLLS * PER_POLL
    for counts in seen_counts.values():
        assert len(counts) > 1 and counts == sorted(counts)  # time only moves forward
        assert all(n % PER_POLL == 0 for n in counts)  # whole polls only, never half of one
    assert any(0 < n < POLLS * PER_POLL for c in seen_counts.values() for n in c)  # overlapped
    writer.close()


def test_two_writers_wait_for_each_other(tmp_path):
    """The alerts outbox writes deliveries from its own connection while polls are saved."""
    path = tmp_path / "two.db"
    poller = Store(path)
    poller.sync_feeds([("dawn", "u")])
    errors: list[BaseException] = []

    def deliver() -> None:
        other = Store(path)
        try:
            for i in range(200):
                with other.db.conn:
                    other.db.conn.execute(
                        "INSERT INTO deliveries (id, channel, kind, created_at) "
                        "VALUES (?, 'c', 'digest', ?)", [f"d{i}", T0.isoformat()])
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
        finally:
            other.close()

    t = threading.Thread(target=deliver)
    t.start()
    for p in range(40):
        poller.save_poll(feed_state(), [(make_article(f"a{p}-{i}"), make_match())
                                        for i in range(20)])
    t.join(timeout=60)
    assert not errors, errors
    assert poller.db["deliveries"].count == 200 and poller.db["articles"].count == 800
    poller.close()


def test_closing_a_reader_behind_a_writer_never_fails(tmp_path):
    # close() runs PRAGMA optimize, which may write; a reader whose snapshot is older than the
    # writer's last commit cannot write (SQLITE_BUSY at once, no busy wait) and must still close
    path = tmp_path / "close.db"
    writer = Store(path)
    writer.sync_feeds([("dawn", "u1")])

    def poll(prefix: str, n: int) -> None:
        writer.save_poll(feed_state("dawn"), [
            (make_article(f"{prefix}{i}", feed="dawn", title=f"Kashmir mediation {prefix} {i}",
                          published=T0), make_match(mention("india", "rejects_mediation")))
            for i in range(n)])

    poll("a", 50)
    reader = Store(path)
    queries.search(reader, "kashmir mediation", actor="india", limit=5)
    queries.timeline(reader, "india")
    cursor = reader.db.execute("SELECT id FROM articles")
    cursor.fetchone()  # a half-read result keeps the reader's snapshot open
    poll("b", 2000)
    reader.close()  # must not raise "database is locked"
    assert writer.db["articles"].count == 2050
    writer.close()
