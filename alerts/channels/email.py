"""Channel `email`: SMTP with STARTTLS, implicit TLS or none, optional login. The message is
multipart/alternative (text + HTML, the chart inline by CID); its Message-ID comes from the
delivery id, so a retry after a crash is the same message to the reader's mail client.

    [[channels]]
    name = "desk-email"
    type = "email"
    smtp_host = "${SMTP_HOST}"
    smtp_port = 587              # default: 587 starttls, 465 ssl, 25 none
    smtp_security = "starttls"   # starttls | ssl | none
    username = "${SMTP_USER}"    # optional: no login without it
    password = "${SMTP_PASSWORD}"
    from = "monitor@example.org"
    to = ["desk@example.org"]
"""

from __future__ import annotations

import smtplib
import ssl
from typing import Any

from alerts.channels.base import Channel, DeliveryError, Outgoing, Setting
from alerts.mime import build_email

SECURITY = ("starttls", "ssl", "none")
LOOPBACK = ("localhost", "127.0.0.1", "::1")  # a local relay may take a login in the clear
_DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}


def _code_error(what: str, code: int, text: bytes | str) -> DeliveryError:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    # 4xx is the server saying "later"; 5xx is final
    return DeliveryError(f"{what}: {code} {text}".strip(), retryable=400 <= code < 500)


class EmailChannel(Channel):
    """Send digests and alerts by SMTP."""

    type_name = "email"
    SETTINGS = {
        "smtp_host": Setting(str, required=True),
        "smtp_port": Setting(int),
        "smtp_security": Setting(str, default="starttls", help="starttls | ssl | none"),
        "username": Setting(str),
        "password": Setting(str),
        "from": Setting(str, required=True),
        "to": Setting(list, required=True),
        "timeout": Setting((int, float), default=30, help="seconds per SMTP operation"),
        "ca_file": Setting(str, help="extra CA bundle to trust (self-signed relays)"),
    }

    @classmethod
    def check(cls, settings: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        security = settings.get("smtp_security", "starttls")
        if security not in SECURITY:
            problems.append(("smtp_security",
                             f'expected one of {" | ".join(SECURITY)}, got "{security}"'))
        port = settings.get("smtp_port")
        if port is not None and not 0 < port < 65536:
            problems.append(("smtp_port", f"expected a port from 1 to 65535, got {port}"))
        to = settings.get("to", [])
        if not to or not all(isinstance(a, str) and "@" in a for a in to):
            problems.append(("to", "expected a non-empty list of email addresses"))
        if "@" not in settings.get("from", "@"):
            problems.append(("from", "expected an email address"))
        if bool(settings.get("username")) != bool(settings.get("password")):
            problems.append(("password" if settings.get("username") else "username",
                             "username and password go together"))
        if (settings.get("username") and security == "none"
                and settings.get("smtp_host") not in LOOPBACK):
            problems.append(("smtp_security", 'a password is never sent unencrypted to another '
                             'host: use "starttls" or "ssl"'))
        return problems

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings["ca_file"])

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        security = s["smtp_security"]
        port = s["smtp_port"] or _DEFAULT_PORT[security]
        timeout = float(s["timeout"])
        if security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s["smtp_host"], port, timeout=timeout,
                                                  context=self._tls())
        else:
            smtp = smtplib.SMTP(s["smtp_host"], port, timeout=timeout)
        try:
            smtp.ehlo()
            if security == "starttls":
                smtp.starttls(context=self._tls())
                smtp.ehlo()
            if s["username"]:
                smtp.login(s["username"], s["password"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, outgoing: Outgoing) -> str:
        recipients = list(self.settings["to"])
        msg = build_email(outgoing, sender=self.settings["from"], recipients=recipients)
        try:
            with self._connect() as smtp:
                refused = smtp.send_message(msg, to_addrs=recipients)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code} "
                                f"{exc.smtp_error.decode('utf-8', 'replace')}",
                                retryable=False) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"SMTP server lacks a feature: {exc}", retryable=False) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryError(f"all recipients refused: {exc.recipients}",
                                retryable=any(400 <= c < 500 for c in codes)) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _code_error("SMTP refused the message", exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPResponseException as exc:
            raise _code_error("SMTP error", exc.smtp_code, exc.smtp_error) from exc
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(f"TLS certificate not trusted: {exc.verify_message}",
                                retryable=False) from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused, reset, timeout: try later
            raise DeliveryError(f"SMTP unreachable: {type(exc).__name__}: {exc}") from exc
        accepted = len(recipients) - len(refused)
        note = f"; refused {sorted(refused)}" if refused else ""
        return f"SMTP accepted for {accepted} recipient(s){note}"
