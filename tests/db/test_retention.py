"""prune (FTS rows, mentions, rollup and feed counts go too) and vacuum."""

from __future__ import annotations

from conftest import T0, days, feed_state, make_article, make_match, mention

from db import queries


def _fts_rows(store) -> int:
    # the docsize shadow table has exactly one row per indexed document
    return store.db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]


def test_prune_irrelevant_sooner_than_relevant(store):
    store.save_poll(feed_state(), [
        (make_article("old-rel", title="Kashmir mediation old", published=T0 - days(100)),
         make_match(mention("india", "rejects_mediation"))),
        (make_article("old-irr", title="Kashmir weather old", published=T0 - days(40)),
         make_match(relevant=False)),
        (make_article("mid-rel", title="Kashmir mediation mid", published=T0 - days(40)),
         make_match(mention("india", "rejects_mediation"))),
        (make_article("new-irr", title="Kashmir weather new", published=T0 - days(5)),
         make_match(relevant=False)),
    ])  # fmt: skip
    assert _fts_rows(store) == 4
    result = store.prune(keep_days=90, keep_days_irrelevant=30, now=T0)
    assert (result.relevant_deleted, result.irrelevant_deleted) == (1, 1)
    assert {r["id"] for r in store.db["articles"].rows} == {"mid-rel", "new-irr"}
    assert _fts_rows(store) == 2
    assert {h.id for h in queries.search(store, "kashmir")} == {"mid-rel", "new-irr"}
    assert queries.search(store, "old") == []
    assert store.db["mentions"].count == 1  # cascade
    assert sum(r.count for r in queries.timeline(store)) == 1  # rollup follows
    assert queries.stats(store).by_feed["dawn"] == 2


def test_prune_none_keeps_everything(store):
    store.save_poll(feed_state(), [(make_article("a", published=T0 - days(1000)), make_match())])
    assert store.prune(None, None, now=T0).relevant_deleted == 0
    assert store.db["articles"].count == 1


def test_prune_in_batches(store, monkeypatch):
    monkeypatch.setattr("db.store.PRUNE_BATCH", 7)
    items = [(make_article(f"a{i}", title=f"story {i}", published=T0 - days(50)),
              make_match(relevant=False)) for i in range(30)]
    store.save_poll(feed_state(), items)
    assert store.prune(None, 30, now=T0).irrelevant_deleted == 30
    assert store.db["articles"].count == 0 and _fts_rows(store) == 0


def test_vacuum_keeps_search_correct(store):
    items = [(make_article(f"a{i}", title=f"story number{i} kashmir", published=T0 - days(i)),
              make_match(relevant=i % 2 == 0)) for i in range(60)]
    store.save_poll(feed_state(), items)
    store.prune(None, 10, now=T0)  # leaves holes in the rowids
    store.vacuum()
    for i in (0, 2, 8, 12, 58):
        assert [h.id for h in queries.search(store, f"number{i}")] == [f"a{i}"]
    assert queries.search(store, "number11") == []  # pruned, odd and old
    check = store.db.execute(
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    assert check is not None  # raises on a corrupt index
