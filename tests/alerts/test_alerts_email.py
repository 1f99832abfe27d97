"""The email channel against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

from alerts_helpers import NOW, TLS, article, channel, mediator, save, shift, wait_until

from alerts.channels import build_channels
from alerts.mime import message_id
from alerts.outbox import deliver_due, enqueue_digests, pending_summary


def email_channel(smtp, **extra):
    if "username" in extra:  # the login server insists on STARTTLS first
        extra.update(smtp_security="starttls", ca_file=str(TLS / "cert.pem"))
    return channel("desk-email", "email", smtp_host="127.0.0.1", smtp_port=smtp.port,
                   **{"smtp_security": "none", "to": ["desk@example.org"],
                      "from": "monitor@example.org", **extra})


def seed(store):
    save(store, "dawn", [(article("dawn-1", "India signals openness to US mediation"), [shift()]),
                         (article("dawn-2", "Turkey offers to mediate"), [mediator()])])


def test_smtp_down_then_up_delivers_exactly_one_message(store, smtp):
    seed(store)
    desk = email_channel(smtp)
    [delivery_id] = enqueue_digests(store, [desk], NOW)
    channels = build_channels([desk])
    report = deliver_due(store, channels, NOW)  # the server is not running yet
    assert report.retrying and "SMTP unreachable" in report.retrying[0][2]
    assert pending_summary(store)[0].pending == 1
    smtp.start()
    report = deliver_due(store, channels, NOW + timedelta(hours=1))
    assert [d[0] for d in report.delivered] == [delivery_id]
    assert "SMTP accepted for 1 recipient" in report.delivered[0][2]
    wait_until(lambda: smtp.inbox.count() == 1, what="one message")
    # nothing more is sent, however often delivery runs
    assert deliver_due(store, channels, NOW + timedelta(hours=2), force=True).delivered == []
    assert smtp.inbox.count() == 1
    msg = smtp.inbox.messages[0]
    assert msg["Subject"] == "Daily digest: 2 stories, 1 stance shift, 1 new mediator"
    assert msg["Message-ID"] == message_id(delivery_id)
    assert msg["X-Kashmir-Monitor-Delivery"] == delivery_id
    assert msg["X-Kashmir-Monitor-Kind"] == "digest"
    assert msg["List-Id"].endswith("<desk-email.kashmir-monitor.invalid>")
    assert msg["Date"] == "Sun, 11 May 2025 07:00:00 +0000"
    # multipart/alternative: text, then HTML inside multipart/related with the chart by CID
    assert msg.get_content_type() == "multipart/alternative"
    text, related = msg.get_payload()
    assert text.get_content_type() == "text/plain"
    assert "India: rejects → welcomes mediation" in text.get_payload(decode=True).decode()
    assert related.get_content_type() == "multipart/related"
    html, chart = related.get_payload()
    assert html.get_content_type() == "text/html"
    cid = chart["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html.get_payload(decode=True).decode()
    assert chart.get_content_type() == "image/png"
    assert chart.get_payload(decode=True).startswith(b"\x89PNG")


def test_auth_failure_is_dead_at_once_with_a_clear_reason(store, smtp_auth):
    seed(store)
    desk = email_channel(smtp_auth, username="desk", password="wrong-password")
    [delivery_id] = enqueue_digests(store, [desk], NOW)
    report = deliver_due(store, build_channels([desk]), NOW)
    assert [d[0] for d in report.dead] == [delivery_id]
    assert "SMTP login refused: 535" in report.dead[0][2]
    assert "DEAD" in report.describe()
    assert smtp_auth.inbox.count() == 0


def test_auth_success(store, smtp_auth):
    seed(store)
    desk = email_channel(smtp_auth, username="desk", password="right-password")
    enqueue_digests(store, [desk], NOW)
    assert deliver_due(store, build_channels([desk]), NOW).ok
    wait_until(lambda: smtp_auth.inbox.count() == 1, what="one message")
