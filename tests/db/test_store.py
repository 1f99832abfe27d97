"""Store.save_poll: new / updated / unchanged, clusters, alerts data, one transaction."""

from __future__ import annotations

import pytest
from conftest import T0, days, feed_state, make_article, make_match, mention

from db import queries
from db.store import Store


def test_new_then_unchanged_then_updated(store):
    a = make_article("d1", title="Kashmir talks resume")
    r1 = store.save_poll(feed_state(), [(a, make_match(mention("india", "urges_dialogue")))])
    assert (r1.new_ids, r1.updated_ids, r1.unchanged) == (["d1"], [], 0)

    r2 = store.save_poll(feed_state(), [(a, make_match(mention("india", "urges_dialogue")))])
    assert (r2.new_ids, r2.updated_ids, r2.unchanged) == ([], [], 1)

    changed = make_article("d1", title="Kashmir talks collapse")
    r3 = store.save_poll(feed_state(), [(changed, make_match(mention("pakistan",
                                                                      "welcomes_mediation")))])
    assert (r3.new_ids, r3.updated_ids) == ([], ["d1"])
    row = store.db["articles"].get("d1")
    assert row["revision"] == 2 and row["updated_at"] is not None
    assert row["title"] == "Kashmir talks collapse"
    mentions = [(m["actor"], m["stance"]) for m in store.db["mentions"].rows]
    assert mentions == [("pakistan", "welcomes_mediation")]
    assert queries.search(store, "resume") == []  # FTS follows the update
    assert [h.id for h in queries.search(store, "collapse")] == ["d1"]
    assert store.db["articles"].count == 1
    assert store.feed_state("dawn").last_status == "ok"
    assert dict(store.db.execute("SELECT name, articles FROM feeds"))["dawn"] == 1


def test_shift_and_new_mediator_mentions_are_returned_with_cluster(store):
    a = make_article("d1", title="Turkey offers to mediate; India rejects")
    match = make_match(mention("india", "rejects_mediation", shift=True),
                       mention("turkey", "offers_mediation", in_watchlist=False))
    result = store.save_poll(feed_state(), [(a, match)])
    assert [(s.article_id, s.cluster_id, s.mention.actor) for s in result.shifts] == [
        ("d1", "d1", "india")]
    assert [s.mention.actor for s in result.new_mediators] == ["turkey"]


def test_near_duplicate_from_another_feed_joins_cluster(store):
    base = 0xF0F0_F0F0_F0F0_F0F0
    store.save_poll(feed_state(), [(make_article("d1", simhash=base), make_match())])
    near = make_article("h1", feed="hindu", simhash=base ^ 0b11, fetched_at=T0 + days(1))
    far = make_article("h2", feed="hindu", title="Other", simhash=~base & (2**64 - 1))
    store.save_poll(feed_state("hindu"), [(near, make_match()), (far, make_match())])
    clusters = {r["id"]: r["cluster_id"] for r in store.db["articles"].rows}
    assert clusters == {"d1": "d1", "h1": "d1", "h2": "h2"}
    # the top bit set survives the signed 64-bit column
    assert store.db.execute("SELECT simhash FROM articles WHERE id = 'd1'").fetchone()[0] < 0


def test_no_cluster_within_one_feed_outside_the_window_or_for_irrelevant(store):
    base = 0x1234_5678_9ABC_DEF0
    store.save_poll(feed_state(), [(make_article("d1", simhash=base), make_match())])
    same_feed = make_article("d2", simhash=base)
    late = make_article("h1", feed="hindu", simhash=base, fetched_at=T0 + days(10))
    irrelevant = make_article("a1", feed="aljazeera", simhash=base)
    store.save_poll(feed_state(), [(same_feed, make_match())])
    store.save_poll(feed_state("hindu"), [(late, make_match())])
    store.save_poll(feed_state("aljazeera"), [(irrelevant, make_match(relevant=False))])
    clusters = {r["id"]: r["cluster_id"] for r in store.db["articles"].rows}
    assert clusters == {"d1": "d1", "d2": "d2", "h1": "h1", "a1": "a1"}


def test_a_failed_save_leaves_nothing_half_stored(store):
    good = make_article("d1")
    orphan = make_article("x1", feed="no-such-feed")  # violates the feeds foreign key
    state = feed_state()
    state.last_status = "http-500"
    with pytest.raises(Exception, match="FOREIGN KEY"):
        store.save_poll(state, [(good, make_match(mention("india", "rejects_mediation"))),
                                (orphan, make_match())])
    assert store.db["articles"].count == 0
    assert store.db["mentions"].count == 0
    assert store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0
    assert store.feed_state("dawn").last_status is None


def test_feed_state_round_trip_and_sync(store):
    state = store.feed_state("dawn")
    state.etag, state.consecutive_failures, state.paused = '"abc"', 3, True
    state.next_poll = T0 + days(1)
    store.save_feed_state(state)
    again = store.feed_state("dawn")
    assert again == state
    store.sync_feeds([("dawn", "https://dawn.example/feed")])  # same URL: state kept
    assert store.feed_state("dawn").etag == '"abc"'
    store.sync_feeds([("dawn", "https://dawn.example/new-feed")])  # config changed the URL
    moved = store.feed_state("dawn")
    assert (moved.url, moved.etag) == ("https://dawn.example/new-feed", None)
    with pytest.raises(KeyError):
        store.feed_state("nope")


def test_same_id_twice_in_one_poll_is_stored_once(store):
    items = [(make_article("d1", title="first"), make_match()),
             (make_article("d1", title="second"), make_match())]
    result = store.save_poll(feed_state(), items)
    assert result.new_ids == ["d1"]
    assert store.db["articles"].get("d1")["title"] == "second"


def test_store_works_as_context_manager(tmp_path):
    with Store(tmp_path / "c.db") as s:
        s.sync_feeds([("dawn", "u")])
        assert s.feed_state("dawn").url == "u"


def test_feed_interval_is_recorded(store):
    store.set_feed_interval("dawn", 1800)
    assert store.db.execute("SELECT interval FROM feeds WHERE name = 'dawn'").fetchone()[0] == 1800
