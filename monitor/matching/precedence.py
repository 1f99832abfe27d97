"""Which of an actor's stances in one item is the one the item reports.

The more specific stance wins (a rejection or an offer says more than a call for dialogue), then
the more confident one. One exception: a side's rejection read only from its bilateral framing
("Simla Agreement", "bilateral issue") yields to that side's explicit welcome of an outside role
in the same sentence ("Simla Agreement no bar to third-party mediation: Pakistan").
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


def best_hits(hits: list[StanceHit]) -> dict[str, StanceHit]:
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
        rank = (STANCE_PRIORITY[hit.stance], hit.confidence)
        if current is None or rank > (STANCE_PRIORITY[current.stance], current.confidence):
            best[hit.actor] = hit
    return best
