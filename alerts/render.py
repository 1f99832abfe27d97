"""Rendering digests and alerts with Jinja2 template files (a user directory overrides the
shipped ones). HTML is autoescaped; feed HTML goes through nh3; only http(s) links survive."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import nh3
from markupsafe import Markup

from alerts.labels import (
    actor_name,
    alert_subject,
    digest_counts,
    digest_subject,
    event_headline,
    shift_phrase,
    stance_phrase,
)
from alerts.records import Alert, Digest, Event, InlineImage, RenderedMessage, Story

TEMPLATES = Path(__file__).parent / "templates"
CHART_CID = "stance-chart@kashmir-monitor"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# A summary is short context, not an article: inline formatting and links only.
_SUMMARY_TAGS = {"a", "b", "strong", "i", "em", "br", "p", "q", "cite", "abbr"}


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s) with a host, else None (javascript:, data:, ...)."""
    if not url:
        return None
    url = _CONTROL.sub("", url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def plain(text: str | None) -> str:
    """Feed text without control and direction-override characters."""
    return _CONTROL.sub("", text or "").strip()


def sanitize_html(fragment: str | None) -> Markup:
    """Feed HTML reduced to harmless inline markup; safe to insert unescaped."""
    cleaned = nh3.clean(plain(fragment), tags=_SUMMARY_TAGS,
                        attributes={"a": {"href", "title"}, "abbr": {"title"}},
                        url_schemes={"http", "https"},
                        link_rel="noopener noreferrer nofollow", strip_comments=True)
    return Markup(cleaned)


def fmt_time(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _autoescape(name: str | None) -> bool:
    # explicit: every template whose output is markup, whatever its extension
    return bool(name) and name.rsplit(".", 1)[-1] in ("html", "htm", "xml")


@lru_cache(maxsize=8)
def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The template environment: the user's directory first, then the shipped templates."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=_autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(safe_url=safe_url, plain=plain, sanitize=sanitize_html, time=fmt_time,
                       actor=actor_name, stance=stance_phrase)
    env.globals.update(shift_phrase=shift_phrase, event_headline=event_headline)
    return env


def _story_data(story: Story) -> dict:
    """A story as JSON for webhooks and feeds (plain text, safe link or None)."""
    return {
        "id": story.id, "title": plain(story.title), "link": safe_url(story.link),
        "source": plain(story.outlet), "published": story.published.isoformat(),
        "score": story.score, "also_in": [plain(o) for o in story.also_in],
        "summary": plain(nh3.clean_text(story.summary)) if story.summary else "",
        "mentions": [{k: v for k, v in asdict(m).items()} for m in story.mentions],
    }


def _event_data(event: Event) -> dict:
    m = event.mention
    return {"kind": event.kind, "actor": m.actor, "stance": m.stance, "baseline": m.baseline,
            "headline": event_headline(event.kind, m.actor, m.baseline, m.stance),
            "evidence": plain(m.evidence), "story": _story_data(event.story)}


def render_digest(digest: Digest, *, templates_dir: Path | None = None,
                  chart_png: bytes | None = None) -> RenderedMessage:
    """The digest as subject, plain text, HTML (chart by CID) and structured data."""
    env = environment(templates_dir)
    images = ()
    if chart_png:
        images = (InlineImage(CHART_CID, "image/png", chart_png, "stance-chart.png"),)
    context = {"digest": digest, "subject": digest_subject(digest),
               "counts": digest_counts(digest), "chart_cid": CHART_CID if chart_png else None}
    data = {
        "type": "digest", "channel": digest.channel, "title": digest.title,
        "generated_at": digest.generated_at.isoformat(), "summary": context["counts"],
        "events": [_event_data(e) for e in digest.events],
        "stories": [_story_data(s) for s in digest.stories],
    }
    return RenderedMessage("digest", plain(context["subject"]),
                           env.get_template("digest.txt").render(context),
                           env.get_template("digest.html").render(context), data, images)


def render_alert(alert: Alert, *, templates_dir: Path | None = None) -> RenderedMessage:
    """An immediate alert as subject, plain text, HTML and structured data."""
    env = environment(templates_dir)
    subject = plain(alert_subject(alert))
    context = {"alert": alert, "event": alert.event, "story": alert.event.story,
               "mention": alert.event.mention, "subject": subject}
    data = {"type": "alert", "channel": alert.channel, "title": subject,
            "generated_at": alert.generated_at.isoformat(), "events": [_event_data(alert.event)],
            "stories": [_story_data(alert.event.story)]}
    return RenderedMessage("alert", subject, env.get_template("alert.txt").render(context),
                           env.get_template("alert.html").render(context), data)
