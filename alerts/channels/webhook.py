"""Channel `webhook`: a JSON POST signed per Standard Webhooks. `webhook-id` is the delivery
id (the same on every retry, so receivers can dedupe), `webhook-timestamp` the send time, and
`webhook-signature` is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed by the secret.
`format = "slack"` posts Block Kit, `"discord"` posts embeds. A 410 disables the channel; a 429
is retried after its Retry-After.

    [[channels]]
    name = "slack-alerts"
    type = "webhook"
    url = "${SLACK_WEBHOOK_URL}"
    secret = "${WEBHOOK_SECRET}"   # whsec_<base64>; optional for slack/discord
    format = "slack"               # json | slack | discord
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import requests

from alerts.channels.base import Channel, DeliveryError, Outgoing, Setting
from alerts.render import safe_url
from alerts.webhook_formats import FORMATS
from feeds.httputil import retry_after_seconds as http_retry_after

USER_AGENT = "kashmir-monitor-webhook/1"


def secret_key(secret: str) -> bytes:
    """The HMAC key from a `whsec_<base64>` secret."""
    return base64.b64decode(secret.removeprefix("whsec_"), validate=True)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date."""
    return http_retry_after(value, datetime.now(UTC))


class WebhookChannel(Channel):
    """POST digests and alerts to a URL, signed per Standard Webhooks."""

    type_name = "webhook"
    SETTINGS = {
        "url": Setting(str, required=True),
        "secret": Setting(str, help="whsec_<base64>; signs every request"),
        "format": Setting(str, default="json", help="json | slack | discord"),
        "timeout": Setting((int, float), default=10, help="seconds to connect and to read"),
    }

    @classmethod
    def check(cls, settings: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        if not safe_url(settings["url"]):
            problems.append(("url", f"expected an http(s) URL, got \"{settings['url']}\""))
        fmt = settings.get("format", "json")
        if fmt not in FORMATS:
            problems.append(("format", f'expected one of {" | ".join(FORMATS)}, got "{fmt}"'))
        secret = settings.get("secret")
        if secret is not None:
            try:
                ok = secret.startswith("whsec_") and len(secret_key(secret)) >= 16
            except (binascii.Error, ValueError):
                ok = False
            if not ok:
                problems.append(("secret", "expected whsec_ followed by base64 of 16+ bytes"))
        elif fmt == "json":
            problems.append(("secret", "missing (a json webhook is always signed)"))
        return problems

    def body(self, outgoing: Outgoing) -> bytes:
        payload = FORMATS[self.settings["format"]](outgoing)
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def send(self, outgoing: Outgoing) -> str:
        body = self.body(outgoing)
        timestamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "webhook-id": outgoing.id, "webhook-timestamp": str(timestamp)}
        if self.settings["secret"]:
            headers["webhook-signature"] = sign(self.settings["secret"], outgoing.id,
                                                timestamp, body)
        timeout = float(self.settings["timeout"])
        try:
            response = requests.post(self.settings["url"], data=body, headers=headers,
                                     timeout=(timeout, timeout), allow_redirects=False,
                                     stream=True)  # the reply body is never needed
        except requests.Timeout as exc:
            raise DeliveryError(f"webhook timed out after {timeout:g}s") from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"webhook unreachable: {type(exc).__name__}") from exc
        status = response.status_code
        response.close()
        if 200 <= status < 300:
            return f"HTTP {status}"
        if status == 410:
            raise DeliveryError("HTTP 410 Gone: the receiver removed this webhook", gone=True)
        if status == 429:
            raise DeliveryError("HTTP 429 Too Many Requests",
                                retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        if status in (408, 425) or status >= 500:
            raise DeliveryError(f"HTTP {status}",
                                retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        raise DeliveryError(f"HTTP {status}: the receiver refused the request", retryable=False)
