"""Table / JSON / CSV rendering (hostile text stays inert) and the timeline chart."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import T0, feed_state, make_article, make_match, mention

from db import queries
from db.chart import plot_timeline
from db.formats import render, render_search, render_stats


@pytest.fixture
def filled(store):
    store.save_poll(feed_state(), [
        (make_article("d1", title="India rejects mediation \x1b[31m offer \x1b[0m", published=T0),
         make_match(mention("india", "rejects_mediation"))),
    ])  # fmt: skip
    return store


def test_search_table_highlights_and_strips_terminal_escapes(filled):
    hits = queries.search(filled, "mediation")
    plain = render_search(hits, "table")
    assert "\x1b" not in plain and "*mediation*" in plain and "india:rejects_mediation" in plain
    coloured = render_search(hits, "table", color=True)
    assert "\x1b[1mmediation\x1b[0m" in coloured and "\x1b[31m" not in coloured
    assert render_search([], "table") == "no matches\n"


def test_search_json_and_csv(filled):
    hits = queries.search(filled, "mediation")
    data = json.loads(render(hits, "json"))
    assert data[0]["id"] == "d1" and "**mediation**" in data[0]["snippet"]
    rows = list(csv.DictReader(io.StringIO(render(hits, "csv"))))
    assert rows[0]["id"] == "d1" and rows[0]["stances"] == "india:rejects_mediation"


def test_generic_records_and_stats(filled):
    rows = queries.timeline(filled)
    table = render(rows, "table")
    assert table.splitlines()[0].split() == ["period", "actor", "stance", "count"]
    assert "2025-05-11" in table
    assert json.loads(render(rows, "json"))[0]["count"] == 1
    assert "2025-05-11,india,rejects_mediation,1" in render(rows, "csv")
    assert render([], "table") == "(none)\n"
    stats = render_stats(queries.stats(filled), "table")
    assert "actor" in stats and "india" in stats
    assert json.loads(render_stats(queries.stats(filled), "json"))["articles"] == 1
    with pytest.raises(ValueError):
        render(rows, "xml")


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_timeline_plot(filled, tmp_path, suffix, magic):
    out = plot_timeline(queries.timeline(filled), tmp_path / f"timeline{suffix}")
    assert out.read_bytes().startswith(magic)
    empty = plot_timeline([], tmp_path / f"empty{suffix}")
    assert empty.stat().st_size > 0
    with pytest.raises(ValueError):
        plot_timeline([], tmp_path / "x.gif")
