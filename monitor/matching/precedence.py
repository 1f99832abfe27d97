"""Which of an actor's stances in one item is the one the item reports.

The more specific stance wins (a rejection or an offer says more than a call for dialogue), then
the more confident one. One exception: a side's rejection read only from its bilateral framing
("Simla Agreement", "bilateral issue") yields to that side's explicit welcome of an outside role
in the same sentence ("Simla Agreement no bar to third-party mediation: Pakistan"). And an
outside party's own call for dialogue outranks its welcome of someone else's efforts ("Qatar
welcomed the ceasefire, appreciated US efforts and called for dialogue"): a welcome of mediation
is the sides' answer, not a bystander's.
"""

from __future__ import annotations

from monitor.matching.stances import StanceHit

STANCE_PRIORITY = {
    "rejects_mediation": 4,
    "offers_mediation": 3,
    "welcomes_mediation": 2,
    "urges_dialogue": 1,
}
FRAMING_CUES = frozenset({"bilateral_position"})
# an outsider's weak welcomes: of what others did ("appreciated US efforts"), or a UN meeting it
# requested for a side; not its own appeal for outside help
CREDIT_CUES = frozenset(
    {
        "credit_outside",
        "welcome_outside",
        "accept_outside_help",
        "accept_outside_role",
        "implied_request",
    }
)


def best_hits(hits: list[StanceHit], parties: frozenset[str]) -> dict[str, StanceHit]:
    """Each actor's most specific stance, then its most confident."""
    welcomed = {
        (h.actor, h.evidence)
        for h in hits
        if h.stance == "welcomes_mediation" and h.cue not in FRAMING_CUES
    }
    best: dict[str, StanceHit] = {}
    for hit in hits:
        if hit.cue in FRAMING_CUES and (hit.actor, hit.evidence) in welcomed:
            continue  # the framing named only to say it does not bar an outside role
        current = best.get(hit.actor)
        if current is None or _rank(hit, parties) > _rank(current, parties):
            best[hit.actor] = hit
    return best


def _rank(hit: StanceHit, parties: frozenset[str]) -> tuple[float, float]:
    priority = STANCE_PRIORITY[hit.stance]
    if is_credit(hit, parties):
        priority = 0.5  # below urges_dialogue
    return priority, hit.confidence


def is_credit(hit: StanceHit, parties: frozenset[str]) -> bool:
    """An outsider's welcome of others' efforts (not its own appeal for outside help)."""
    return (
        hit.stance == "welcomes_mediation" and hit.actor not in parties and hit.cue in CREDIT_CUES
    )
