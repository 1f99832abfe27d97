"""Datasette opens the store, its FTS search works, and the analyst views are there."""

from __future__ import annotations

import asyncio

from conftest import T0, feed_state, make_article, make_match, mention
from datasette.app import Datasette


def test_datasette_serves_search_and_views(store):
    store.save_poll(feed_state(), [
        (make_article("d1", title="Trump offers to mediate on Kashmir", published=T0),
         make_match(mention("india", "rejects_mediation", shift=True))),
        (make_article("d2", title="Monsoon reaches Kerala", published=T0), make_match()),
    ])  # fmt: skip
    path = store.path

    async def fetch():
        ds = Datasette([str(path)])
        name = path.stem
        search = await ds.client.get(f"/{name}/articles.json?_search=mediate&_shape=array")
        shifts = await ds.client.get(f"/{name}/stance_shifts.json?_shape=array")
        latest = await ds.client.get(f"/{name}/latest_stance.json?_shape=array")
        return search, shifts, latest

    search, shifts, latest = asyncio.run(fetch())
    assert search.status_code == 200
    assert [r["id"] for r in search.json()] == ["d1"]
    assert [(r["actor"], r["article_id"]) for r in shifts.json()] == [("india", "d1")]
    assert latest.json()[0]["stance"] == "rejects_mediation"
