"""Webhook bodies: our own JSON, Slack Block Kit and Discord embeds, each within the limits the
receiving service enforces (Slack: 50 blocks, 3000-char sections; Discord: 10 embeds, 6000
characters in all, 25 fields)."""

from __future__ import annotations

import re
from typing import Any

from alerts.channels.base import Outgoing
from alerts.labels import actor_name, stance_phrase

SLACK_MAX_BLOCKS = 50
SLACK_TEXT = 3000
SLACK_MAX_EVENTS = 15  # leave most blocks for the stories
DISCORD_EMBEDS = 10
DISCORD_TOTAL = 6000
DISCORD_TITLE = 256
DISCORD_DESCRIPTION = 4096
DISCORD_FIELDS = 25
DISCORD_FIELD_VALUE = 1024


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def json_body(outgoing: Outgoing) -> dict[str, Any]:
    m = outgoing.message
    return {"type": m.kind, "id": outgoing.id, "channel": outgoing.channel,
            "subject": m.subject, "created_at": outgoing.created_at.isoformat(),
            "text": m.text, "data": m.data}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str | None, text: str) -> str:
    label = _slack_escape(text).replace("|", "¦")
    if not url:
        return label
    url = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")  # Slack's delimiters
    return f"<{url}|{label}>"


def _story_line(story: dict, evidence: str | None = None) -> str:
    meta = f"{story['source']} · {story['published'][:16].replace('T', ' ')}"
    if story["also_in"]:
        meta += f" · also in: {', '.join(story['also_in'])}"
    text = f"*{_slack_link(story['link'], story['title'])}*\n{_slack_escape(meta)}"
    if evidence:
        text += f"\n> {_slack_escape(evidence)}"
    return text


def _slack_more(n: int, what: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": f"…and {n} more {what}"}]}


def slack_body(outgoing: Outgoing) -> dict[str, Any]:
    m, data = outgoing.message, outgoing.message.data
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(m.subject, 150)}}]
    if data.get("summary"):
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": _slack_escape(data["summary"])}]})
    events = data.get("events", [])
    shown = events[:SLACK_MAX_EVENTS]
    for event in shown:
        text = f":rotating_light: *{_slack_escape(event['headline'])}*\n" + _story_line(
            event["story"], event["evidence"])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SLACK_TEXT)}})
    if len(events) > len(shown):
        blocks.append(_slack_more(len(events) - len(shown), "events"))
    if m.kind == "digest":
        blocks.append({"type": "divider"})
        stories = data.get("stories", [])
        room = SLACK_MAX_BLOCKS - len(blocks) - 1  # keep one block for "and N more"
        for story in stories[:room]:
            blocks.append({"type": "section",
                           "text": {"type": "mrkdwn", "text": cut(_story_line(story), SLACK_TEXT)}})
        if len(stories) > room:
            blocks.append(_slack_more(len(stories) - room, "stories"))
    return {"text": m.subject, "blocks": blocks[:SLACK_MAX_BLOCKS]}


_DISCORD_MD = re.compile(r"([\\*_~`|>\[\]()#@:-])")


def _discord_escape(text: str) -> str:
    return _DISCORD_MD.sub(r"\\\1", text)


def _stances(story: dict) -> str:
    return "; ".join(f"{actor_name(x['actor'])} {stance_phrase(x['stance'])}"
                     for x in story["mentions"] if x["stance"])


def discord_body(outgoing: Outgoing) -> dict[str, Any]:
    m, data = outgoing.message, outgoing.message.data
    embeds: list[dict[str, Any]] = []
    budget = DISCORD_TOTAL

    def add(embed: dict[str, Any]) -> bool:
        nonlocal budget
        size = sum(len(embed.get(k, "")) for k in ("title", "description")) + sum(
            len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        if len(embeds) >= DISCORD_EMBEDS or size > budget:
            return False
        budget -= size
        embeds.append(embed)
        return True

    for event in data.get("events", []):
        story = event["story"]
        add({"title": cut(event["headline"], DISCORD_TITLE), "url": story["link"] or None,
             "description": cut(_discord_escape(f"“{event['evidence']}”\n{story['title']} "
                                                f"({story['source']})"), 600),
             "color": 0xD55E00 if event["kind"] == "shift" else 0x0072B2})
    if m.kind == "digest":
        fields = []
        for story in data.get("stories", [])[:DISCORD_FIELDS]:
            link = f"\n{story['link']}" if story["link"] else ""
            value = cut(_discord_escape(f"{story['source']} · {_stances(story)}"), 400) + link
            fields.append({"name": cut(story["title"], 200), "value": cut(value, DISCORD_FIELD_VALUE),
                           "inline": False})
        while fields and not add({"title": cut(m.subject, DISCORD_TITLE),
                                  "description": _discord_escape(data.get("summary", "")),
                                  "fields": fields, "color": 0x444444}):
            fields.pop()  # drop stories until the embed fits the remaining budget
    for embed in embeds:
        if embed.get("url") is None:
            embed.pop("url", None)
    # never ping anyone, whatever a headline says
    return {"content": cut(m.subject, 2000), "embeds": embeds, "allowed_mentions": {"parse": []}}


FORMATS = {"json": json_body, "slack": slack_body, "discord": discord_body}
