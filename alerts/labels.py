"""Human words for actor ids and stances, and the subject lines that say what happened."""

from __future__ import annotations

from alerts.records import Alert, Digest

STANCE_ORDER = ("offers_mediation", "welcomes_mediation", "rejects_mediation", "urges_dialogue")

# Words for the stances; "rejects → welcomes mediation" shares the trailing noun.
_STANCE_VERB = {
    "offers_mediation": ("offers", "mediation"),
    "welcomes_mediation": ("welcomes", "mediation"),
    "rejects_mediation": ("rejects", "mediation"),
    "urges_dialogue": ("urges", "dialogue"),
}

# Ids whose title-cased form reads wrong.
_ACTOR_NAMES = {
    "united_states": "United States",
    "un": "UN",
    "united_nations": "United Nations",
    "uk": "UK",
    "united_kingdom": "United Kingdom",
    "eu": "EU",
    "uae": "UAE",
    "oic": "OIC",
    "saudi_arabia": "Saudi Arabia",
}


def actor_name(actor: str) -> str:
    """`united_states` → "United States"."""
    return _ACTOR_NAMES.get(actor) or " ".join(
        w if w.isupper() else w.capitalize() for w in actor.replace("-", "_").split("_") if w
    )


def stance_phrase(stance: str | None) -> str:
    """`welcomes_mediation` → "welcomes mediation"; None → "mentioned"."""
    if stance is None:
        return "mentioned"
    verb, noun = _STANCE_VERB.get(stance, (stance.replace("_", " "), ""))
    return f"{verb} {noun}".strip()


def shift_phrase(baseline: str | None, stance: str | None) -> str:
    """"rejects → welcomes mediation" (shared noun said once) or the two full phrases."""
    if baseline is None:
        return stance_phrase(stance)
    b_verb, b_noun = _STANCE_VERB.get(baseline, (baseline, ""))
    s_verb, s_noun = _STANCE_VERB.get(stance or "", (stance_phrase(stance), ""))
    if b_noun == s_noun:
        return f"{b_verb} → {s_verb} {s_noun}".strip()
    return f"{stance_phrase(baseline)} → {stance_phrase(stance)}"


def source_name(feed: str) -> str:
    """A feed name as an outlet label: `dawn-pakistan` → "Dawn Pakistan"."""
    return " ".join(w.capitalize() for w in feed.replace("_", "-").split("-") if w) or feed


def schedule_title(schedule: str | None) -> str:
    """"Daily digest" for `0 7 * * *`, "Weekly digest" for `0 7 * * 1`, else "Digest"."""
    fields = (schedule or "").split()
    if len(fields) == 5 and fields[2:4] == ["*", "*"]:
        if fields[4] == "*" and "*" not in fields[:2] and "," not in fields[1]:
            return "Daily digest"
        if fields[4] != "*" and "*" not in fields[:2]:
            return "Weekly digest"
    return "Digest"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def digest_counts(digest: Digest) -> str:
    """"14 stories, 2 stance shifts, 1 new mediator" (zero parts after stories omitted)."""
    parts = [_plural(len(digest.stories), "story").replace("storys", "stories")]
    if digest.shifts:
        parts.append(_plural(len(digest.shifts), "stance shift"))
    if digest.new_mediators:
        parts.append(_plural(len(digest.new_mediators), "new mediator"))
    return ", ".join(parts)


def digest_subject(digest: Digest) -> str:
    """"Daily digest: 14 stories, 2 stance shifts"."""
    return f"{digest.title}: {digest_counts(digest)}"


def event_headline(kind: str, actor: str, baseline: str | None, stance: str | None) -> str:
    """"India: rejects → welcomes mediation" or "New mediator: Turkey offers mediation"."""
    if kind == "new_mediator":
        return f"New mediator: {actor_name(actor)} {stance_phrase(stance)}"
    return f"{actor_name(actor)}: {shift_phrase(baseline, stance)}"


def alert_subject(alert: Alert) -> str:
    """"India: rejects → welcomes mediation (Dawn)"."""
    e = alert.event
    head = event_headline(e.kind, e.mention.actor, e.mention.baseline, e.mention.stance)
    return f"{head} ({e.story.outlet})"
