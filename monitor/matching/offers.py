"""Whose offer a noun cue names when a welcome or a thanks governs it.

- "thanks Iran for its mediation offer" / "for offering to mediate": the thanked party's offer;
- "ready to accept Russian mediation", "open to a UN role": the side accepts an outside role, but
  the item reports no offer by the outsider (the labelling guide gives a stance only to the actor
  the item reports as taking it), so the mediator named gets none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from monitor.matching import clues
from monitor.matching.compiled import NEGATION, ActorHit
from monitor.matching.watchlist import Cue


class CueSpan(Protocol):
    """A cue found in a sentence (stances._CueMatch)."""

    cue: Cue
    start: int
    end: int


def thanked_for_offer(
    text: str, hits: list[ActorHit], match_start: int, match_end: int, governor_end: int
) -> ActorHit | None:
    """The actor thanked or welcomed "for" an offer named by the cue at match_start, if any."""
    if not (
        clues.OFFER_NOUN_END.search(text, match_start, match_end)
        or clues.OFFERING.match(text, match_start, match_end)
    ):
        return None
    for hit in reversed(hits):
        if governor_end <= hit.start and hit.end <= match_start:
            gap = clues.FOR_ITS.fullmatch(text, hit.end, match_start)
            return hit if gap else None
    return None


def accepted_not_offered(
    text: str, cue: Cue, governor: Cue, match_start: int, match_end: int
) -> bool:
    """A mediator noun welcomed, sought or accepted ("accept Russian mediation") that names no
    offer: no offer by the outsider is reported."""
    return (
        cue.attribution == "modifier"
        and cue.stance == "offers_mediation"
        and governor.stance == "welcomes_mediation"
        and not clues.OFFER_NOUN_END.search(text, match_start, match_end)
    )


def within_acceptance(text: str, match: CueSpan, active: Sequence[CueSpan]) -> bool:
    """The mediator noun sits inside a broad accept-class reading ("has no objection to Chinese
    mediation", a fallback cue that governs nothing): accepted, not offered, as above. Not when
    the acceptance is negated: "not interested in Beijing's mediation" turns down an offer."""
    return any(
        a.cue.fallback
        and not NEGATION.search(text, max(0, a.start - 40), a.start)
        and a.start < match.start
        and match.end <= a.end
        and accepted_not_offered(text, match.cue, a.cue, match.start, match.end)
        for a in active
    )
