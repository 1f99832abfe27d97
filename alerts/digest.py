"""What a digest says: events first (stance shifts, new mediators), then stories grouped by
actor and stance, near-duplicates collapsed into "also in". Pure functions over records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from alerts.labels import STANCE_ORDER, schedule_title
from alerts.records import Digest, Event, Story, StoryGroup, StoryMention


def collapse_duplicates(stories: Iterable[Story]) -> tuple[list[Story], int]:
    """One story per near-duplicate cluster: the best-scored (then earliest) stands for the rest,
    which become its "also in" outlets. Returns the stories and how many were folded."""
    clusters: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        clusters[story.cluster].append(story)
    kept, folded = [], 0
    for members in clusters.values():
        members.sort(key=lambda s: (-s.score, s.published, s.id))
        head, rest = members[0], members[1:]
        folded += len(rest)
        outlets = list(head.also_in)
        for other in rest:
            for outlet in (other.outlet, *other.also_in):
                if outlet != head.outlet and outlet not in outlets:
                    outlets.append(outlet)
        ids = list(head.all_ids)
        for other in rest:
            ids.extend(i for i in other.all_ids if i not in ids)
        kept.append(replace(head, also_in=tuple(outlets), member_ids=tuple(ids),
                            mentions=_merge_mentions([head, *rest])))
    kept.sort(key=lambda s: (s.published, s.id), reverse=True)
    return kept, folded


def _merge_mentions(stories: list[Story]) -> tuple[StoryMention, ...]:
    """The union of mentions by (actor, stance), keeping the most confident evidence."""
    best: dict[tuple[str, str | None], StoryMention] = {}
    for story in stories:
        for m in story.mentions:
            key = (m.actor, m.stance)
            if key not in best or m.confidence > best[key].confidence:
                best[key] = m
    return tuple(best.values())


def events_in(story: Story) -> list[Event]:
    """The stance shifts and new mediators a story reports."""
    events = []
    for m in story.mentions:
        if m.shift and m.stance:
            events.append(Event("shift", story, m))
        elif m.new_mediator:
            events.append(Event("new_mediator", story, m))
    return events


def _stance_rank(stance: str | None) -> int:
    return STANCE_ORDER.index(stance) if stance in STANCE_ORDER else len(STANCE_ORDER)


def group_stories(stories: Iterable[Story]) -> list[StoryGroup]:
    """Stories by (actor, stance); a story reporting two actors' stances sits in both groups.

    A bare mention (an actor named, no stance) makes no group of its own: it would repeat most
    stories under India and Pakistan. Stories with no stance at all go under "other".
    """
    groups: dict[tuple[str, str | None], list[Story]] = defaultdict(list)
    for story in stories:
        keys = {(m.actor, m.stance) for m in story.mentions if m.stance} or {("other", None)}
        for key in keys:
            groups[key].append(story)
    # keep each actor's groups together, the busiest actor first
    by_actor: dict[str, list[tuple[tuple[str, str | None], list[Story]]]] = defaultdict(list)
    for key, members in groups.items():
        by_actor[key[0]].append((key, members))
    actor_order = sorted(by_actor, key=lambda a: (a == "other",
                                                  -sum(len(m) for _, m in by_actor[a]), a))
    result = []
    for actor in actor_order:
        for (a, stance), members in sorted(by_actor[actor], key=lambda kv: _stance_rank(kv[0][1])):
            result.append(StoryGroup(a, stance, tuple(members)))
    return result


def build_digest(stories: Iterable[Story], *, channel: str, now: datetime,
                 schedule: str | None = None,
                 stance_counts: dict[str, dict[str, int]] | None = None) -> Digest:
    """Assemble a channel's digest from its pending stories."""
    kept, folded = collapse_duplicates(stories)
    seen: set[tuple[str, str, str | None, str]] = set()
    events = []
    for story in kept:
        for e in events_in(story):
            key = (e.kind, e.mention.actor, e.mention.stance, story.cluster)
            if key not in seen:
                seen.add(key)
                events.append(e)
    events.sort(key=lambda e: (e.kind != "shift", e.mention.actor, e.story.published))
    return Digest(channel=channel, generated_at=now, title=schedule_title(schedule),
                  events=tuple(events), groups=tuple(group_stories(kept)), stories=tuple(kept),
                  collapsed=folded, stance_counts=stance_counts or {})
