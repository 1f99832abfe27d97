"""The email form of a delivery (used by the email channel and the file channel's .eml):
multipart/alternative text + HTML, the chart inside multipart/related by CID, and headers
derived from the delivery id so a retry is recognisably the same message."""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage
from email.utils import format_datetime

from alerts.channels.base import Outgoing

DOMAIN = "kashmir-monitor.invalid"  # our own id-domain; never resolved


def _token(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-_]", "-", text).strip("-.") or "x"


def message_id(delivery_id: str) -> str:
    """`<3f2a…@kashmir-monitor.invalid>`: derived from the delivery id, so the same on every
    retry; a hash keeps the header on one line (folded ids confuse some clients)."""
    return f"<{hashlib.sha256(delivery_id.encode()).hexdigest()[:32]}@{DOMAIN}>"


def build_email(outgoing: Outgoing, *, sender: str, recipients: list[str]) -> EmailMessage:
    msg = EmailMessage()
    message = outgoing.message
    msg["Subject"] = message.subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(outgoing.created_at)
    msg["Message-ID"] = message_id(outgoing.id)
    msg["List-Id"] = f"Kashmir Mediation Monitor {outgoing.channel} <{_token(outgoing.channel)}.{DOMAIN}>"
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    msg["X-Kashmir-Monitor-Delivery"] = outgoing.id
    msg["X-Kashmir-Monitor-Channel"] = outgoing.channel
    msg["X-Kashmir-Monitor-Kind"] = outgoing.kind
    msg["X-Kashmir-Monitor-Stories"] = str(len(message.data.get("stories", [])))
    msg.set_content(message.text)
    msg.add_alternative(message.html, subtype="html")
    if message.images:
        html_part = msg.get_payload()[1]
        for image in message.images:
            maintype, subtype = image.content_type.split("/", 1)
            html_part.add_related(image.data, maintype=maintype, subtype=subtype,
                                  cid=f"<{image.cid}>", filename=image.filename,
                                  disposition="inline")
    return msg
