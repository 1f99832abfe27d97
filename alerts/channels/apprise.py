"""Channel `apprise`: any Apprise URL (Telegram, Teams, ntfy, Matrix, ...). Needs the optional
extra: `pip install 'kashmir-monitor[apprise]'`.

    [[channels]]
    name = "phone"
    type = "apprise"
    urls = ["ntfy://ntfy.sh/my-kashmir-topic"]
    format = "text"        # text | html | markdown body
"""

from __future__ import annotations

import importlib
from typing import Any

from alerts.channels.base import Channel, DeliveryError, Outgoing, Setting

INSTALL_HINT = "the apprise channel needs the apprise package: pip install 'kashmir-monitor[apprise]'"


def _apprise() -> Any:
    try:
        return importlib.import_module("apprise")
    except ImportError:
        return None


class AppriseChannel(Channel):
    """Send through Apprise to any service it supports."""

    type_name = "apprise"
    SETTINGS = {
        "urls": Setting(list, required=True, help="Apprise URLs"),
        "format": Setting(str, default="text", help="text | html | markdown"),
    }

    @classmethod
    def check(cls, settings: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        if not settings["urls"] or not all(isinstance(u, str) and "://" in u
                                           for u in settings["urls"]):
            problems.append(("urls", "expected a non-empty list of Apprise URLs"))
        if settings.get("format", "text") not in ("text", "html", "markdown"):
            problems.append(("format", f"expected text | html | markdown, got \"{settings['format']}\""))
        if _apprise() is None:
            problems.append(("type", INSTALL_HINT))
        return problems

    def send(self, outgoing: Outgoing) -> str:
        apprise = _apprise()
        if apprise is None:
            raise DeliveryError(INSTALL_HINT, retryable=False)
        notifier = apprise.Apprise()
        for url in self.settings["urls"]:
            if not notifier.add(url):
                raise DeliveryError(f"Apprise does not understand the URL {url.split(':')[0]}://…",
                                    retryable=False)
        fmt = self.settings["format"]
        message = outgoing.message
        body = message.html if fmt == "html" else message.text
        ok = notifier.notify(title=message.subject, body=body,
                             body_format=getattr(apprise.NotifyFormat, fmt.upper()))
        if not ok:
            raise DeliveryError("Apprise reported a failed notification")
        return f"Apprise notified {len(self.settings['urls'])} URL(s)"
