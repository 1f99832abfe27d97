"""timeline, stats, feed_status, stories_for_digest, recent_stance_counts, export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from conftest import T0, days, feed_state, make_article, make_match, mention

from db import queries


def _record_delivery(store, channel, article_ids, kind="digest"):
    store.db.execute("INSERT INTO deliveries (id, channel, kind, created_at) VALUES (?, ?, ?, ?)",
                     [f"{channel}-{article_ids[0]}", channel, kind, T0.isoformat()])
    for aid in article_ids:
        store.db.execute("INSERT INTO delivery_items (delivery_id, channel, article_id, kind) "
                         "VALUES (?, ?, ?, ?)", [f"{channel}-{article_ids[0]}", channel, aid, kind])


@pytest.fixture
def week(store):
    """India rejects on Sunday and Monday, the US offers on Monday; one irrelevant story."""
    sunday = datetime(2025, 5, 11, 7, tzinfo=T0.tzinfo)  # 2025-05-11 is a Sunday
    base = 0xAAAA_0000_5555_FFFF
    store.save_poll(feed_state(), [
        (make_article("d1", title="India rejects mediation", published=sunday, simhash=base),
         make_match(mention("india", "rejects_mediation", shift=True), score=0.9)),
        (make_article("d2", title="US offers help", published=sunday + days(1)),
         make_match(mention("united_states", "offers_mediation"),
                    mention("india", "rejects_mediation"), score=0.6)),
        (make_article("d3", title="Weather in Srinagar", published=sunday + days(1)),
         make_match(relevant=False, score=0.1)),
        (make_article("d4", title="Low score story", published=sunday),
         make_match(mention("pakistan", "welcomes_mediation"), score=0.3)),
    ])  # fmt: skip
    store.save_poll(feed_state("hindu"), [
        (make_article("h1", feed="hindu", title="India says no to mediation",
                      published=sunday, simhash=base ^ 1),
         make_match(mention("india", "rejects_mediation"), score=0.7)),
    ])  # fmt: skip
    return store


def test_timeline_by_day_week_actor_and_since(week):
    by_day = [(r.period, r.actor, r.stance, r.count) for r in queries.timeline(week)]
    assert by_day == [
        ("2025-05-11", "india", "rejects_mediation", 2),
        ("2025-05-11", "pakistan", "welcomes_mediation", 1),
        ("2025-05-12", "india", "rejects_mediation", 1),
        ("2025-05-12", "united_states", "offers_mediation", 1),
    ]
    by_week = [(r.period, r.actor, r.count) for r in queries.timeline(week, "india", by="week")]
    assert by_week == [("2025-05-05", "india", 2), ("2025-05-12", "india", 1)]
    assert [r.period for r in queries.timeline(week, since="2025-05-12")] == ["2025-05-12"] * 2
    with pytest.raises(ValueError):
        queries.timeline(week, by="month")


def test_recent_stance_counts(week):
    counts = queries.recent_stance_counts(week, days=30, now=T0 + days(5))
    assert counts == {"india": {"rejects_mediation": 3}, "pakistan": {"welcomes_mediation": 1},
                      "united_states": {"offers_mediation": 1}}
    assert queries.recent_stance_counts(week, days=1, now=T0 + days(30)) == {}


def test_stats_and_feed_status(week):
    s = queries.stats(week)
    assert (s.articles, s.relevant) == (5, 4)
    assert s.by_feed == {"dawn": 4, "hindu": 1, "aljazeera": 0}
    assert s.by_actor["india"] == 3 and s.by_stance["rejects_mediation"] == 3
    assert s.db_bytes > 0 and s.schema_version >= 3
    status = {f.name: f for f in queries.feed_status(week)}
    assert status["dawn"].articles == 4 and status["dawn"].last_status == "ok"
    assert status["aljazeera"].last_polled is None


def test_digest_groups_clusters_and_skips_delivered(week):
    stories = queries.stories_for_digest(week, "daily", min_score=0.5)
    assert [s.id for s in stories] == ["d1", "d2"]  # d1 (0.9) represents d1+h1; d4 too low
    d1 = stories[0]
    assert d1.cluster_id == "d1" and set(d1.member_ids) == {"d1", "h1"}
    assert d1.also_in == ("hindu",)
    assert d1.also_in_links[0][1] == "India says no to mediation"
    assert [(m.actor, m.stance, m.shift) for m in d1.mentions] == [
        ("india", "rejects_mediation", True)]  # merged: the most confident per actor+stance

    _record_delivery(week, "daily", ["d2"])
    assert [s.id for s in queries.stories_for_digest(week, "daily", min_score=0.5)] == ["d1"]
    assert len(queries.stories_for_digest(week, "other", min_score=0.5)) == 2  # per channel
    _record_delivery(week, "daily", ["d1"])  # h1 is pending but its cluster went out
    assert queries.stories_for_digest(week, "daily", min_score=0.5) == []


def test_digest_filters(week):
    def ids(**kw):
        return [s.id for s in queries.stories_for_digest(week, "c", min_score=0.0, **kw)]

    assert ids(actors=["united_states"]) == ["d2"]
    assert ids(stances=["welcomes_mediation"]) == ["d4"]
    assert ids(shifts_only=True) == ["d1"]
    assert ids(since=T0 + days(1)) == ["d2"]
    assert ids(limit=1) == ["d1"]


def test_export_formats_carry_mentions(week):
    lines = list(queries.export(week, "jsonl"))
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records][:3] == ["d1", "d4", "h1"]  # oldest first
    d2 = next(r for r in records if r["id"] == "d2")
    assert {m["actor"] for m in d2["mentions"]} == {"united_states", "india"}

    as_json = json.loads("".join(queries.export(week, "json", relevant_only=True)))
    assert len(as_json) == 4 and all(r["relevant"] for r in as_json)

    rows = list(csv.DictReader(io.StringIO("".join(queries.export(week, "csv", since=T0 +
                                                                          days(1))))))
    assert {r["id"] for r in rows} == {"d2", "d3"}
    assert json.loads(next(r for r in rows if r["id"] == "d2")["mentions"])[0]["actor"]
    assert list(queries.export(week, "json", since=T0 + days(99))) == ["[", "\n]\n"]
    with pytest.raises(ValueError):
        list(queries.export(week, "xml"))


def test_export_streams_lazily(store):
    items = [(make_article(f"d{i}", published=T0 + days(i / 1000)), make_match())
             for i in range(1200)]
    store.save_poll(feed_state(), items)
    chunks = queries.export(store, "jsonl")
    first = next(chunks)  # only the first batch has been read
    assert json.loads(first)["id"] == "d0"
    assert sum(1 for _ in chunks) == 1199
