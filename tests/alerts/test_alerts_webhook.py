"""The webhook channel against a real local receiver that verifies Standard Webhooks
signatures with the independent `standardwebhooks` package."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from alerts_helpers import NOW, SECRET, article, channel, mediator, save, shift
from alerts_samples import sample_stories

from alerts.channels import build_channels
from alerts.channels.base import Outgoing
from alerts.digest import build_digest
from alerts.outbox import (
    deliver_due,
    enqueue_alerts,
    enqueue_digests,
    pending_summary,
    retry_dead,
)
from alerts.render import render_digest
from alerts.webhook_formats import DISCORD_TOTAL, discord_body, slack_body


def hook(receiver, name="hook", **extra):
    return channel(name, "webhook", url=receiver.url, secret=SECRET, immediate=True, **extra)


def seed(store):
    return save(store, "dawn", [(article("dawn-1", "India signals openness"), [shift()]),
                                (article("dawn-2", "Turkey offers to mediate"), [mediator()])])


def status_of(store, delivery_id):
    return store.db.execute("SELECT status, attempts, next_attempt_at, last_error FROM deliveries "
                            "WHERE id = ?", [delivery_id]).fetchone()


def test_signed_json_digest_verifies(store, receiver):
    seed(store)
    ch = hook(receiver)
    [delivery_id] = enqueue_digests(store, [ch], NOW)
    assert deliver_due(store, build_channels([ch]), NOW).ok
    [req] = receiver.requests
    assert req["verified"] is True
    assert req["headers"]["webhook-id"] == delivery_id
    assert req["headers"]["webhook-signature"].startswith("v1,")
    body = req["body"]
    assert body["type"] == "digest" and body["id"] == delivery_id
    assert body["subject"] == "Daily digest: 2 stories, 1 stance shift, 1 new mediator"
    assert [e["headline"] for e in body["data"]["events"]] == [
        "India: rejects → welcomes mediation", "New mediator: Turkey offers mediation"]


def test_500_then_200_retries_with_the_same_webhook_id(store, receiver):
    saved = seed(store)
    ch = hook(receiver)
    assert enqueue_alerts(store, saved, [ch], NOW) == 2
    receiver.script = [(500, {}, 0.0), (500, {}, 0.0)]
    channels = build_channels([ch])
    report = deliver_due(store, channels, NOW)
    assert len(report.retrying) == 2 and "HTTP 500" in report.retrying[0][2]
    report = deliver_due(store, channels, NOW + timedelta(hours=1))
    assert len(report.delivered) == 2
    ids = receiver.ids()
    assert len(ids) == 4 and sorted(set(ids)) == sorted(ids[:2])  # each id twice, same id
    assert all(r["verified"] for r in receiver.requests)
    subjects = sorted(r["body"]["subject"] for r in receiver.requests[2:])
    assert subjects == ["India: rejects → welcomes mediation (Dawn)",
                        "New mediator: Turkey offers mediation (Dawn)"]


def test_429_honours_retry_after(store, receiver):
    seed(store)
    ch = hook(receiver)
    [delivery_id] = enqueue_digests(store, [ch], NOW)
    receiver.script = [(429, {"Retry-After": "120"}, 0.0)]
    channels = build_channels([ch])
    report = deliver_due(store, channels, NOW)
    assert "429" in report.retrying[0][2]
    status, attempts, next_at, _ = status_of(store, delivery_id)
    assert (status, attempts) == ("pending", 1)
    assert datetime.fromisoformat(next_at) == NOW + timedelta(seconds=120)
    assert deliver_due(store, channels, NOW + timedelta(seconds=119)).delivered == []
    assert deliver_due(store, channels, NOW + timedelta(seconds=120)).delivered
    assert len(receiver.requests) == 2


def test_429_with_a_non_ascii_retry_after_is_still_a_429(store, receiver):
    seed(store)
    ch = hook(receiver)
    enqueue_digests(store, [ch], NOW)
    receiver.script = [(429, {"Retry-After": "\u00b2"}, 0.0)]  # "²".isdigit() is True
    report = deliver_due(store, build_channels([ch]), NOW)
    assert "429" in report.retrying[0][2]


def test_410_disables_delivery_and_channel_and_reports_it(store, receiver):
    saved = seed(store)
    ch = hook(receiver)
    enqueue_alerts(store, saved, [ch], NOW)
    receiver.script = [(410, {}, 0.0)]
    channels = build_channels([ch])
    report = deliver_due(store, channels, NOW)
    assert report.disabled == [("hook", "HTTP 410 Gone: the receiver removed this webhook")]
    assert "channel hook DISABLED" in report.describe()
    assert report.held == 1  # the second alert is not even attempted
    assert len(receiver.requests) == 1
    [backlog] = pending_summary(store)
    assert backlog.disabled and (backlog.pending, backlog.dead) == (1, 1)
    assert deliver_due(store, channels, NOW + timedelta(days=1), force=True).delivered == []
    # the user fixed the endpoint and retries: both go out
    assert retry_dead(store, "hook") == 1
    assert len(deliver_due(store, channels, NOW + timedelta(days=1)).delivered) == 2
    assert not pending_summary(store)[0].disabled


def test_slow_receiver_times_out_and_is_retried(store, receiver):
    seed(store)
    ch = hook(receiver, timeout=0.3)
    [delivery_id] = enqueue_digests(store, [ch], NOW)
    receiver.script = [(200, {}, 2.0)]  # answers too late
    channels = build_channels([ch])
    report = deliver_due(store, channels, NOW)
    assert report.retrying and "timed out" in report.retrying[0][2]
    assert status_of(store, delivery_id)[0] == "pending"
    report = deliver_due(store, channels, NOW + timedelta(hours=1))
    assert report.delivered
    assert receiver.ids() == [delivery_id, delivery_id]  # the receiver can dedupe the late one


def test_other_4xx_is_dead_at_once(store, receiver):
    seed(store)
    ch = hook(receiver)
    [delivery_id] = enqueue_digests(store, [ch], NOW)
    receiver.script = [(401, {}, 0.0)]
    report = deliver_due(store, build_channels([ch]), NOW)
    assert [d[0] for d in report.dead] == [delivery_id] and "HTTP 401" in report.dead[0][2]


def outgoing_digest(n_copies=1):
    stories = []
    for i in range(n_copies):
        for s in sample_stories():
            stories.append(s.__class__(**{**s.__dict__, "id": f"{s.id}-{i}",
                                          "cluster_id": None,
                                          "title": s.title + " " + "x" * 300}))
    message = render_digest(build_digest(stories, channel="c", now=NOW))
    return Outgoing("c-digest-1", "c", "digest", message, NOW)


def test_slack_block_kit_within_limits():
    body = slack_body(outgoing_digest(20))
    assert body["text"].startswith("Digest: 100 stories")
    assert len(body["blocks"]) <= 50
    assert body["blocks"][0]["type"] == "header" and len(body["blocks"][0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in body["blocks"] if b["type"] == "section")
    assert "more stories" in json.dumps(body["blocks"][-1])


def test_discord_embeds_within_limits():
    body = discord_body(outgoing_digest(20))
    embeds = body["embeds"]
    assert 1 <= len(embeds) <= 10
    total = sum(len(e.get("title", "")) + len(e.get("description", ""))
                + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
                for e in embeds)
    assert total <= DISCORD_TOTAL
    assert all(len(e["title"]) <= 256 for e in embeds)
    assert all(len(e.get("fields", [])) <= 25 for e in embeds)
    assert body["allowed_mentions"] == {"parse": []}


def test_slack_format_posts_block_kit(store, receiver):
    seed(store)
    ch = hook(receiver, format="slack")
    enqueue_digests(store, [ch], NOW)
    assert deliver_due(store, build_channels([ch]), NOW).ok
    body = receiver.requests[0]["body"]
    assert body["blocks"][0]["text"]["text"].startswith("Daily digest: 2 stories")
    assert receiver.requests[0]["verified"]
