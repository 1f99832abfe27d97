"""Logging for the CLI and the daemon: human-readable or JSON lines, secrets masked.

Masking happens on the fully formatted record (message, arguments and traceback), so a secret
cannot slip through a `%r` or an exception text. Two layers:
- patterns that are secret wherever they appear: passwords in URLs (`user:pass@host`), token-like
  query parameters, Standard Webhooks secrets (`whsec_…`), Telegram bot tokens, Bearer tokens;
- literal values registered from the config (SMTP passwords, webhook secrets and URLs...).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from datetime import UTC, datetime

MASK = "***"

_URL_PASSWORD = re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+(?=@)", re.I)
_SECRET_PARAM = re.compile(
    r"(?P<pre>[?&;](?:[a-z0-9_.-]*?(?:token|secret|password|passwd|pwd|apikey|api_key|"
    r"api-key|key|auth|signature|sig|credentials?)[a-z0-9_.-]*)=)[^&#\s\"'<>]+", re.I)
_WHSEC = re.compile(r"whsec_[A-Za-z0-9+/=_-]+")
_BOT_TOKEN = re.compile(r"(?P<pre>bot)\d{5,}:[A-Za-z0-9_-]{20,}")
_BEARER = re.compile(r"(?P<pre>\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}", re.I)

# Channel settings whose values are secrets (the whole value), and those that are URLs whose
# path or query may carry one (Slack/Discord webhook URLs, Apprise URLs).
SECRET_KEYS = ("password", "secret", "token", "api_key", "apikey", "credentials")
URL_KEYS = ("url", "urls")

_registered: set[str] = set()
_registered_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Mask this literal value in every later log line (too-short values would mask noise)."""
    if value and len(value) >= 4:
        with _registered_lock:
            _registered.add(value)


def register_config_secrets(config) -> None:
    """Register every channel secret and webhook/Apprise URL of a loaded Config."""
    for channel in config.channels:
        for key, value in channel.settings.items():
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                if not isinstance(item, str):
                    continue
                if any(k in key.lower() for k in SECRET_KEYS):
                    register_secret(item)
                elif key.lower() in URL_KEYS and "://" in item:
                    # keep scheme and host readable; everything after is potentially secret
                    head, _, rest = item.partition("://")
                    host, sep, tail = rest.partition("/")
                    if tail:
                        register_secret(sep + tail)
                    if "@" in host:
                        register_secret(host.split("@", 1)[0])
    for feed in config.feeds:  # feed URLs may embed credentials or API keys
        masked = mask_secrets(feed.url)
        if masked != feed.url:
            register_secret(feed.url)


def mask_secrets(text: str) -> str:
    """The text with every known secret replaced by ***."""
    with _registered_lock:
        literals = sorted(_registered, key=len, reverse=True)
    for literal in literals:
        if literal in text:
            text = text.replace(literal, MASK)
    text = _URL_PASSWORD.sub(lambda m: m.group("pre") + MASK, text)
    text = _SECRET_PARAM.sub(lambda m: m.group("pre") + MASK, text)
    text = _WHSEC.sub("whsec_" + MASK, text)
    text = _BOT_TOKEN.sub(lambda m: m.group("pre") + MASK, text)
    return _BEARER.sub(lambda m: m.group("pre") + MASK, text)


class TextFormatter(logging.Formatter):
    """`2025-05-11T07:00:00Z INFO    kashmir_monitor.poll: message`, masked."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message (+ exc, thread, extra fields)."""

    STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_secrets(record.getMessage()),
            "thread": record.threadName,
        }
        if record.exc_info:
            out["exc"] = mask_secrets(self.formatException(record.exc_info))
        for key, value in vars(record).items():  # `extra={...}` fields
            if key not in self.STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, int | float | bool | type(None)) \
                    else mask_secrets(str(value))
        return json.dumps(out, ensure_ascii=False)


def setup_logging(level: str = "INFO", fmt: str = "text", *, stream=None) -> None:
    """Send every log record to stderr (or `stream`) in the chosen format, at `level`."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # APScheduler logs every job start/finish at INFO; that is noise at 1,000 feeds.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    logging.captureWarnings(True)
