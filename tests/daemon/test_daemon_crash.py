"""Crash test: kill -9 the real daemon at random moments across many cycles while feeds keep
growing, restart it each time, then check nothing was duplicated, lost or corrupted."""

from __future__ import annotations

import random
import re
import time

import pytest
from daemon_helpers import query, run_cli, wait_until, write_config

pytestmark = pytest.mark.slow

CRASH_BUDGET = 40.0  # seconds of kill/restart cycles (the whole test stays near a minute)
MEDIATORS = ["Russia", "Turkey", "Saudi Arabia", "the United States", "Iran", "the UAE", "China",
             "Qatar", "Norway", "Japan", "the United Kingdom", "Egypt"]
ACTS = [
    ("India welcomes {m}'s offer to mediate on Kashmir",
     "New Delhi said it would welcome mediation by {m} between India and Pakistan over Kashmir."),
    ("Pakistan rejects {m} mediation bid on Kashmir dispute",
     "Islamabad said it does not accept mediation by {m} and prefers direct talks with India."),
    ("{m} offers to mediate between India and Pakistan over Kashmir",
     "{m} said it stands ready to mediate between New Delhi and Islamabad on Kashmir."),
    ("Cricket: India and Pakistan to meet in {m} for a friendly series",
     "The boards confirmed a three-match series to be staged in {m} next spring."),
]


def stems(folder) -> list[str]:
    """Completed deliveries on disk: the .html is written last (see alerts/channels/file.py)."""
    return [p.stem for p in folder.glob("*.html") if not p.name.startswith(".")]


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(farm, daemons, tmp_path):
    rng = random.Random(7)
    feeds = ["wire", "desk", "post"]
    for name in feeds:
        farm.add_feed(name)
    config = write_config(tmp_path / "config.toml", farm, feeds, interval="1s",
                          schedule="* * * * *")  # a digest every minute, so digests get killed too
    db = tmp_path / "km.db"
    served = 3 * len(feeds)
    cycles = 0
    started = time.monotonic()
    while time.monotonic() - started < CRASH_BUDGET:
        for _ in range(rng.randint(1, 3)):  # the feeds grow between and during lives
            title, summary = rng.choice(ACTS)
            mediator = rng.choice(MEDIATORS)
            farm.add_item(rng.choice(feeds), title.format(m=mediator) + f" ({served})",
                          summary.format(m=mediator))
            served += 1
        daemon = daemons(config)
        wait_until(lambda d=daemon: "daemon started" in d.log or d.proc.poll() is not None, 15,
                   "the daemon to start")
        assert daemon.proc.poll() is None, daemon.log  # a restart after kill -9 must succeed
        time.sleep(rng.uniform(0.1, 2.0))  # the random kill moment, not synchronisation
        daemon.kill()
        cycles += 1
    assert cycles >= 10

    # One last life, long enough to catch up: every served item stored, the outbox drained
    # (deliveries a kill left mid-send are released at start and sent again).
    daemon = daemons(config, "--log-level", "DEBUG")  # unchanged polls log at DEBUG
    wait_until(lambda: all(f"feed {n}: " in daemon.log for n in feeds), 20,
               "every feed to be polled in the last life")
    wait_until(lambda: query(db, "SELECT count(*) FROM articles") == [(served,)], 20,
               f"all {served} served items to be stored")
    wait_until(lambda: not query(db, "SELECT 1 FROM deliveries WHERE status != 'delivered'"),
               15, "every delivery to be sent")
    assert daemon.stop() == 0, daemon.log
    # A manual digest puts every story not yet digested into one (the "no story lost" check).
    flushed = run_cli(config, "digest")
    assert flushed.returncode == 0, flushed.stderr

    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT count(*), count(DISTINCT feed || '/' || guid) FROM articles") == [
        (served, served)], "an article stored twice"
    assert query(db, "SELECT status, count(*) FROM deliveries WHERE status != 'delivered' "
                     "GROUP BY status") == []
    twice = query(db, "SELECT channel, kind, article_id, actor, count(*) FROM delivery_items "
                      "GROUP BY 1, 2, 3, 4 HAVING count(*) > 1")
    assert twice == [], "a story went out twice on one channel"
    # A story is a near-duplicate cluster: once a digest carried it, later outlets' copies are
    # not sent again, so "not lost" means every relevant article's cluster reached a digest.
    undigested = query(db, """
        SELECT a.id FROM articles a WHERE a.relevant = 1 AND a.score >= 0.3
        AND coalesce(a.cluster_id, a.id) NOT IN (
            SELECT coalesce(b.cluster_id, b.id) FROM delivery_items d
            JOIN articles b ON b.id = d.article_id WHERE d.kind = 'digest')""")
    assert undigested == [], "a relevant story never reached a digest"

    delivered = {re.sub(r"[^A-Za-z0-9.\-_]", "-", i) for (i,) in
                 query(db, "SELECT id FROM deliveries WHERE status = 'delivered'")}
    on_disk = stems(tmp_path / "out")
    assert len(on_disk) == len(set(on_disk)) and set(on_disk) == delivered
    kinds = dict(query(db, "SELECT kind, count(*) FROM deliveries GROUP BY kind"))
    assert kinds.get("alert", 0) > 0 and kinds.get("digest", 0) > 0
