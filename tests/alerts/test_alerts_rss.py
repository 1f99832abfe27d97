"""The rss channel keeps an Atom file any feed reader (here: feedparser) can read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import feedparser
from alerts_helpers import NOW, article, channel, mediator, save, shift

from alerts.channels import build_channels
from alerts.outbox import deliver_due, enqueue_alerts, enqueue_digests


def test_atom_file_grows_by_new_stories_only(store, tmp_path):
    saved = save(store, "dawn", [
        (article("dawn-1", "India <b>signals</b> openness & more"), [shift()]),
        (article("dawn-2", "Turkey offers to mediate", link="javascript:alert(1)"), [mediator()]),
    ])
    atom = channel("atom", "rss", path="public/km.atom", immediate=True, max_entries=50)
    channels = build_channels([atom], base_dir=tmp_path)
    enqueue_digests(store, [atom], NOW)
    enqueue_alerts(store, saved, [atom], NOW)  # the same stories again, as alerts
    report = deliver_due(store, channels, NOW)
    assert len(report.delivered) == 3 and report.ok
    path = tmp_path / "public" / "km.atom"
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert sorted(e.title for e in feed.entries) == ["India <b>signals</b> openness & more",
                                                     "Turkey offers to mediate"]
    by_title = {e.title: e for e in feed.entries}
    assert by_title["India <b>signals</b> openness & more"].link == "https://news.example/dawn-1"
    assert by_title["Turkey offers to mediate"].get("links", []) == []  # javascript: dropped
    assert "javascript" not in path.read_text().lower()
    assert "India welcomes mediation" in by_title["India <b>signals</b> openness & more"].summary
    # a later story is added on top; the earlier entries keep their ids
    ids = {e.id for e in feed.entries}
    save(store, "dawn", [(article("dawn-3", "US offers again", hours_ago=0.5), [shift(
        "united_states", "offers_mediation", "urges_dialogue", "Washington offered.")])])
    enqueue_digests(store, [atom], NOW + timedelta(days=1))
    deliver_due(store, channels, NOW + timedelta(days=1))
    feed = feedparser.parse(path.read_bytes())
    assert [e.title for e in feed.entries][0] == "US offers again"
    assert ids < {e.id for e in feed.entries} and len(feed.entries) == 3


def test_a_users_atom_template_is_used(store, tmp_path):
    # README: "[templates] directory — your templates, searched before alerts/templates/"
    templates = tmp_path / "templates"
    templates.mkdir()
    shipped = (Path(__file__).parents[2] / "alerts" / "templates" / "atom.xml").read_text()
    (templates / "atom.xml").write_text(
        shipped.replace("<generator>kashmir-monitor</generator>", "<generator>ours</generator>"))
    save(store, "dawn", [(article("dawn-1", "India signals openness"), [shift()])])
    atom = channel("atom", "rss", path="km.atom")
    enqueue_digests(store, [atom], NOW, templates_dir=templates)
    report = deliver_due(store, build_channels([atom], base_dir=tmp_path, templates_dir=templates),
                         NOW)
    assert report.ok and len(report.delivered) == 1
    assert feedparser.parse((tmp_path / "km.atom").read_bytes()).feed.generator == "ours"
