"""The outbox over a real SQLite store: each story in exactly one digest per channel, alerts once
per (actor, cluster), retries, dead letters, status and dry runs."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from alerts_helpers import NOW, article, channel, mediator, plain, save, shift

from alerts.channels import build_channels, validate_channel
from alerts.outbox import (
    deliver_due,
    enqueue_alerts,
    enqueue_digests,
    list_dead,
    pending_summary,
    render_pending_digest,
    retry_dead,
)


def seed_cluster(store):
    """The India shift carried by two outlets (one near-duplicate cluster) plus two others."""
    save(store, "dawn", [(article("dawn-1", "India signals openness to US mediation", simhash=7),
                          [shift()]),
                         (article("dawn-2", "Pakistan welcomes mediation"), [plain()])])
    return save(store, "the-hindu", [
        (article("hindu-1", "Delhi open to US role in Kashmir talks", feed="the-hindu",
                 simhash=7), [shift()]),
        (article("hindu-2", "Turkey offers to mediate", feed="the-hindu"), [mediator()])])


def items(store, channel_name):
    return store.db.execute("SELECT delivery_id, article_id, kind, actor FROM delivery_items "
                            "WHERE channel = ? ORDER BY article_id", [channel_name]).fetchall()


def test_story_goes_into_exactly_one_digest_per_channel(store, tmp_path):
    seed_cluster(store)
    desk, other = channel("desk", directory="out"), channel("other", directory="out2")
    created = enqueue_digests(store, [desk, other], NOW)
    assert len(created) == 2
    rows = items(store, "desk")
    assert sorted(r[1] for r in rows) == ["dawn-1", "dawn-2", "hindu-1", "hindu-2"]
    payload = json.loads(store.db.execute("SELECT payload FROM deliveries WHERE id = ?",
                                          [created[0]]).fetchone()[0])
    assert payload["subject"] == "Daily digest: 3 stories, 1 stance shift, 1 new mediator"
    # nothing new: no second digest, on either channel
    assert enqueue_digests(store, [desk, other], NOW + timedelta(hours=1)) == []
    # a new story goes into the next digest alone
    save(store, "dawn", [(article("dawn-3", "US offers to mediate again", hours_ago=1),
                          [plain("united_states", "offers_mediation", "Washington offered.")])])
    later = enqueue_digests(store, [desk], NOW + timedelta(days=1))
    assert len(later) == 1
    assert [r[1] for r in items(store, "desk") if r[0] == later[0]] == ["dawn-3"]


def test_file_channel_writes_html_txt_eml_once(store, tmp_path):
    seed_cluster(store)
    desk = channel("desk", directory=str(tmp_path / "digests"))
    [delivery_id] = enqueue_digests(store, [desk], NOW)
    report = deliver_due(store, build_channels([desk]), NOW)
    assert [d[0] for d in report.delivered] == [delivery_id] and report.ok
    files = sorted(p.name for p in (tmp_path / "digests").iterdir())
    assert files == [f"{delivery_id}{ext}" for ext in ("-chart.png", ".eml", ".html", ".txt")]
    html = (tmp_path / "digests" / f"{delivery_id}.html").read_text()
    assert f'src="{delivery_id}-chart.png"' in html and "cid:" not in html
    status = store.db.execute("SELECT status, attempts, delivered_at FROM deliveries").fetchone()
    assert status == ("delivered", 1, NOW.isoformat())
    # delivered means done: a second run sends nothing
    assert deliver_due(store, build_channels([desk]), NOW, force=True).delivered == []


def test_alert_once_per_actor_per_cluster_not_per_outlet(store):
    desk = channel("desk", immediate=True)
    quiet = channel("quiet", immediate=False)
    first = save(store, "dawn", [(article("dawn-1", "India signals openness", simhash=7),
                                  [shift()])])
    assert enqueue_alerts(store, first, [desk, quiet], NOW) == 1
    # the same story from a second outlet joins the cluster: no second alert
    second = save(store, "the-hindu", [(article("hindu-1", "Delhi open to US role",
                                                feed="the-hindu", simhash=7), [shift()])])
    assert second.shifts and second.shifts[0].cluster_id == "dawn-1"
    assert enqueue_alerts(store, second, [desk, quiet], NOW) == 0
    # a new mediator elsewhere is its own alert; enqueuing the same result twice adds nothing
    third = save(store, "al-jazeera", [(article("aj-1", "Turkey offers", feed="al-jazeera"),
                                        [mediator()])])
    assert enqueue_alerts(store, third, [desk], NOW) == 1
    assert enqueue_alerts(store, third, [desk], NOW) == 0
    subjects = [r[0] for r in store.db.execute(
        "SELECT subject FROM deliveries WHERE kind = 'alert' ORDER BY subject")]
    assert subjects == ["India: rejects → welcomes mediation (Dawn)",
                        "New mediator: Turkey offers mediation (Al Jazeera)"]
    assert items(store, "quiet") == []


def test_failures_back_off_then_go_dead_and_can_be_retried(store, tmp_path):
    seed_cluster(store)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    desk = channel("desk", directory=str(blocker / "sub"), max_attempts=3, retry_base=60)
    [delivery_id] = enqueue_digests(store, [desk], NOW)
    channels = build_channels([desk])
    rng = random.Random(1)
    report = deliver_due(store, channels, NOW, rng=rng)
    assert report.retrying and "cannot write" in report.retrying[0][2]
    next_at = store.db.execute("SELECT next_attempt_at FROM deliveries").fetchone()[0]
    wait = (datetime_from(next_at) - NOW).total_seconds()
    assert 30 <= wait <= 60  # base 60 s with equal jitter
    # not due yet: the daemon waits, a manual run (force) does not
    assert deliver_due(store, channels, NOW + timedelta(seconds=1)).retrying == []
    report = deliver_due(store, channels, NOW + timedelta(seconds=2), force=True, rng=rng)
    next_at = store.db.execute("SELECT next_attempt_at FROM deliveries").fetchone()[0]
    assert 60 <= (datetime_from(next_at) - NOW - timedelta(seconds=2)).total_seconds() <= 120
    report = deliver_due(store, channels, NOW + timedelta(hours=1))
    assert [d[0] for d in report.dead] == [delivery_id]
    assert [d["id"] for d in list_dead(store)] == [delivery_id]
    [backlog] = pending_summary(store)
    assert (backlog.channel, backlog.pending, backlog.dead) == ("desk", 0, 1)
    # fix the cause, retry the dead letter: delivered, still exactly one digest
    blocker.unlink()
    assert retry_dead(store, "desk") == 1
    report = deliver_due(store, channels, NOW + timedelta(hours=2))
    assert [d[0] for d in report.delivered] == [delivery_id]
    assert pending_summary(store)[0].pending == 0


def datetime_from(text):
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_dry_run_renders_and_marks_nothing(store):
    seed_cluster(store)
    desk = channel("desk")
    out = render_pending_digest(store, desk, NOW)
    assert "Subject: Daily digest: 3 stories, 1 stance shift, 1 new mediator" in out
    assert "India: rejects → welcomes mediation" in out
    assert store.db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    assert items(store, "desk") == []
    assert len(enqueue_digests(store, [desk], NOW)) == 1


def test_dry_run_of_an_alerts_only_channel_shows_no_digest(store):
    # `digest` never sends a digest on a channel without a schedule; the dry run must agree
    seed_cluster(store)
    alerts_only = channel("pager", schedule=None, immediate=True)
    out = render_pending_digest(store, alerts_only, NOW)
    assert out == "[pager] alerts only (no schedule): no digests"
    assert enqueue_digests(store, [alerts_only], NOW) == []


def test_active_hours_hold_alerts_until_morning(store, tmp_path):
    desk = channel("desk", immediate=True, active_hours="07:00-22:00")
    saved = save(store, "dawn", [(article("dawn-1", "India signals openness"), [shift()])])
    enqueue_alerts(store, saved, [desk], NOW)
    channels = build_channels([desk], base_dir=tmp_path)
    night = NOW + timedelta(hours=20)  # 03:00
    assert deliver_due(store, channels, night).held == 1
    assert deliver_due(store, channels, night + timedelta(hours=5)).delivered
    assert len(list((tmp_path / "digests").glob("*.html"))) == 1


def test_channel_settings_validation_lines():
    assert validate_channel(channel("a", "file", directory="x"), 0) == []
    assert validate_channel(channel("a", "fiel"), 1) == [
        'channels[1].type: unknown channel type "fiel" (did you mean "file"?); '
        "known: apprise, email, file, rss, webhook"]
    problems = validate_channel(channel("a", "email", smtp_host="h", smtp_port="abc",
                                        **{"from": "x@y"}, to=["a@b"], smtp_secure="ssl"), 2)
    assert 'channels[2].smtp_port: expected an integer, got "abc"' in problems
    assert 'channels[2].smtp_secure: unknown key for the email channel (did you mean "smtp_security"?)' in problems
    problems = validate_channel(channel("a", "email", smtp_host="h", smtp_security="tls",
                                        **{"from": "x@y"}, to=[]), "channels[3]")
    assert problems == ['channels[3].smtp_security: expected one of starttls | ssl | none, got "tls"',
                        "channels[3].to: expected a non-empty list of email addresses"]
    problems = validate_channel(channel("w", "webhook", url="javascript:x", secret="nope",
                                        format="teams"), 4)
    assert problems == ['channels[4].url: expected an http(s) URL, got "javascript:x"',
                        'channels[4].format: expected one of json | slack | discord, got "teams"',
                        "channels[4].secret: expected whsec_ followed by base64 of 16+ bytes"]
    assert validate_channel(channel("w", "webhook"), 5) == [
        "channels[5].url: missing (required for the webhook channel)"]


def test_apprise_without_the_package_is_a_clear_config_problem_and_a_dead_delivery(
        store, receiver, monkeypatch):
    import sys

    from alerts.channels.apprise import INSTALL_HINT

    monkeypatch.setitem(sys.modules, "apprise", None)  # as on a machine without the extra
    assert validate_channel(channel("p", "apprise", urls=["json://127.0.0.1/x"]), 0) == [
        f"channels[0].type: {INSTALL_HINT}"]
    seed_cluster(store)
    ch = channel("phone", "apprise", urls=[receiver.url.replace("http://", "json://")])
    [delivery_id] = enqueue_digests(store, [ch], NOW)
    report = deliver_due(store, build_channels([ch]), NOW)
    assert report.dead == [(delivery_id, "phone", INSTALL_HINT)]


def test_apprise_delivers_through_a_real_apprise_url_to_a_local_receiver(store, receiver):
    seed_cluster(store)
    ch = channel("phone", "apprise", urls=[receiver.url.replace("http://", "json://")])
    assert validate_channel(ch, 0) == []
    [delivery_id] = enqueue_digests(store, [ch], NOW)
    report = deliver_due(store, build_channels([ch]), NOW)
    assert [d[0] for d in report.delivered] == [delivery_id]
    assert len(receiver.requests) == 1
    body = receiver.requests[0]["body"]  # Apprise's own JSON: title and message
    assert body["title"].startswith("Daily digest") and "India" in body["message"]


def test_active_hours_windows():
    from datetime import UTC, datetime

    from alerts.outbox import _within

    night = datetime(2025, 5, 12, 23, 30, tzinfo=UTC)
    noon = datetime(2025, 5, 12, 12, 0, tzinfo=UTC)
    assert _within("07:00-23:00", noon) and not _within("07:00-23:00", night)
    assert _within("22:00-06:00", night) and not _within("22:00-06:00", noon)  # wraps midnight
    assert _within("00:00-00:00", night) and _within("00:00-00:00", noon)  # the whole day
    evening = datetime(2025, 5, 12, 18, 0, tzinfo=UTC)  # 23:30 in India
    assert _within("07:00-23:00", evening) and not _within("07:00-23:00", evening, "Asia/Kolkata")


def test_a_password_is_never_configured_to_travel_in_the_clear():
    def email(host):
        return channel("m", "email", smtp_host=host, smtp_security="none", username="u",
                       password="p", **{"from": "a@b.org"}, to=["c@d.org"])

    assert validate_channel(email("smtp.example.org"), 0) == [
        'channels[0].smtp_security: a password is never sent unencrypted to another host: '
        'use "starttls" or "ssl"']
    assert validate_channel(email("127.0.0.1"), 0) == []
