"""Records the alerts package works on: stories to tell, digests and alerts to send, and the
frozen rendered message that the outbox stores and the channels deliver."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class StoryMention:
    """One actor's stance in a story, as stored in `mentions`."""

    actor: str
    stance: str | None
    evidence: str
    confidence: float = 1.0
    baseline: str | None = None
    in_watchlist: bool = True
    shift: bool = False

    @property
    def new_mediator(self) -> bool:
        return not self.in_watchlist and self.stance == "offers_mediation"


@dataclass(frozen=True)
class Story:
    """One relevant article (the representative of its near-duplicate cluster)."""

    id: str
    feed: str
    title: str
    link: str | None
    published: datetime
    summary: str = ""
    score: float = 0.0
    cluster_id: str | None = None
    mentions: tuple[StoryMention, ...] = ()
    also_in: tuple[str, ...] = ()  # other outlets that carried a near-duplicate
    member_ids: tuple[str, ...] = ()  # every article id this story stands for (incl. its own)
    source: str | None = None  # display name of the outlet; falls back to the feed name

    @property
    def outlet(self) -> str:
        return self.source or self.feed

    @property
    def cluster(self) -> str:
        return self.cluster_id or self.id

    @property
    def all_ids(self) -> tuple[str, ...]:
        return self.member_ids or (self.id,)


@dataclass(frozen=True)
class Event:
    """A stance shift or a new mediator found in a story: what an analyst reads first."""

    kind: str  # "shift" | "new_mediator"
    story: Story
    mention: StoryMention


@dataclass(frozen=True)
class StoryGroup:
    """Stories in which one actor took one stance; actor "other" holds stories with no stance."""

    actor: str
    stance: str | None
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class Digest:
    """What one channel's digest says, before rendering."""

    channel: str
    generated_at: datetime
    title: str  # "Daily digest"
    events: tuple[Event, ...]
    groups: tuple[StoryGroup, ...]
    stories: tuple[Story, ...]  # every story in the digest, once each
    collapsed: int = 0  # near-duplicates folded into "also in"
    stance_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # actor -> stance -> n

    @property
    def shifts(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == "shift")

    @property
    def new_mediators(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == "new_mediator")

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(i for s in self.stories for i in s.all_ids)


@dataclass(frozen=True)
class Alert:
    """An immediate message about one event (one actor, one story cluster)."""

    channel: str
    generated_at: datetime
    event: Event


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML references as `cid:<cid>` (the digest chart)."""

    cid: str
    content_type: str
    data: bytes
    filename: str


@dataclass(frozen=True)
class RenderedMessage:
    """A message as rendered once and frozen in the outbox: every channel sends from this."""

    kind: str  # "digest" | "alert"
    subject: str
    text: str
    html: str
    data: dict[str, Any] = field(default_factory=dict)  # structured form for webhooks / feeds
    images: tuple[InlineImage, ...] = ()

    def to_json(self) -> str:
        raw = asdict(self)
        raw["images"] = [
            {**asdict(i), "data": base64.b64encode(i.data).decode("ascii")} for i in self.images
        ]
        return json.dumps(raw, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RenderedMessage:
        raw = json.loads(text)
        images = tuple(
            InlineImage(i["cid"], i["content_type"], base64.b64decode(i["data"]), i["filename"])
            for i in raw.get("images", [])
        )
        return cls(raw["kind"], raw["subject"], raw["text"], raw["html"], raw.get("data", {}),
                   images)
