"""The email channel over STARTTLS and implicit TLS to a real aiosmtpd server on 127.0.0.1
(a self-signed test certificate in tests/alerts/tls/)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from alerts_helpers import NOW, Inbox, article, channel, free_port, save, shift, wait_until

from alerts.channels import build_channels
from alerts.outbox import deliver_due, enqueue_digests

TLS = Path(__file__).parent / "tls"


def server_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    return ctx


@pytest.fixture(params=["starttls", "ssl"])
def tls_smtp(request):
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    if request.param == "starttls":
        controller = Controller(inbox, hostname="127.0.0.1", port=port,
                                tls_context=server_context(), require_starttls=True)
    else:
        controller = Controller(inbox, hostname="127.0.0.1", port=port,
                                ssl_context=server_context())
    controller.start()
    yield request.param, port, inbox
    controller.stop()


def test_tls_delivery_and_untrusted_certificate(store, tls_smtp):
    security, port, inbox = tls_smtp
    save(store, "dawn", [(article("dawn-1", "India signals openness"), [shift()])])
    common = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": security,
              "from": "monitor@example.org", "to": ["desk@example.org"]}
    untrusted = channel("untrusted", "email", **common)
    trusted = channel("trusted", "email", ca_file=str(TLS / "cert.pem"), **common)
    enqueue_digests(store, [untrusted, trusted], NOW)
    report = deliver_due(store, build_channels([untrusted, trusted]), NOW)
    # an unknown certificate is a configuration problem: dead at once, said plainly
    assert [d[1] for d in report.dead] == ["untrusted"]
    assert "TLS certificate not trusted" in report.dead[0][2]
    assert [d[1] for d in report.delivered] == ["trusted"]
    wait_until(lambda: inbox.count() == 1, what="one message over TLS")
    assert inbox.messages[0]["Subject"] == "Daily digest: 1 story, 1 stance shift"
