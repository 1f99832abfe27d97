"""Channel `rss`: keeps an Atom file of relevant stories that any feed reader can subscribe to
(serve the file, or point a reader at it). Each delivery adds its stories, newest first, up to
`max_entries`; an entry's id comes from the story id, so a repeated delivery changes nothing.

    [[channels]]
    name = "atom"
    type = "rss"
    path = "public/kashmir-mediation.atom"
    title = "Kashmir mediation"
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from alerts.channels.base import Channel, DeliveryError, Outgoing, Setting
from alerts.channels.file import write_atomically
from alerts.labels import actor_name, stance_phrase
from alerts.render import environment

_NS = uuid.UUID("6f1c3c1e-58b8-4d59-9d3e-2f0c7c5b1a11")  # our namespace for entry ids


def _entry(story: dict) -> dict[str, Any]:
    stances = [f"{actor_name(m['actor'])} {stance_phrase(m['stance'])}"
               for m in story["mentions"] if m["stance"]]
    evidence = [m["evidence"] for m in story["mentions"] if m["stance"] and m["evidence"]]
    summary = "; ".join(stances)
    if evidence:
        summary += f". “{evidence[0]}”"
    if story["also_in"]:
        summary += f" Also in: {', '.join(story['also_in'])}."
    return {"id": story["id"], "atom_id": f"urn:uuid:{uuid.uuid5(_NS, story['id'])}",
            "title": story["title"], "link": story["link"], "source": story["source"],
            "published": story["published"], "summary": summary.strip(),
            "categories": sorted({m["actor"] for m in story["mentions"]})}


class RssChannel(Channel):
    """Maintain an Atom feed file of the stories delivered to this channel."""

    type_name = "rss"
    SETTINGS = {
        "path": Setting(str, default="kashmir-monitor.atom", help="the Atom file to write"),
        "title": Setting(str, default="Kashmir Mediation Monitor"),
        "max_entries": Setting(int, default=200),
    }

    @classmethod
    def check(cls, settings: dict[str, Any]) -> list[tuple[str, str]]:
        if settings.get("max_entries", 200) < 1:
            return [("max_entries", "expected at least 1")]
        return []

    def send(self, outgoing: Outgoing) -> str:
        target = self.path(self.settings["path"])
        state = target.with_name(target.name + ".entries.json")  # our own memory of entries
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            entries = json.loads(state.read_text("utf-8")) if state.exists() else []
            known = {e["id"] for e in entries}
            data = outgoing.message.data
            stories = data.get("stories", []) + [e["story"] for e in data.get("events", [])]
            added = 0
            for story in stories:
                if story["id"] not in known:
                    known.add(story["id"])
                    entries.append(_entry(story))
                    added += 1
            entries.sort(key=lambda e: (e["published"], e["id"]), reverse=True)
            entries = entries[: int(self.settings["max_entries"])]
            xml = environment(self.templates_dir).get_template("atom.xml").render(
                title=self.settings["title"], entries=entries,
                feed_id=f"urn:uuid:{uuid.uuid5(_NS, 'feed:' + self.name)}",
                updated=entries[0]["published"] if entries else datetime.now(UTC).isoformat())
            write_atomically(state, json.dumps(entries, ensure_ascii=False).encode("utf-8"))
            write_atomically(target, xml.encode("utf-8"))
        except (OSError, ValueError) as exc:
            raise DeliveryError(f"cannot update {target}: {exc}") from exc
        return f"{added} new entries in {target}"
