"""Where a governing cue's reach ends in a clause ("rejects Trump's offer, calls for talks").

A comma or "and" ends it, except inside a list: of actors ("thanks the US, Saudi Arabia for their
role": both are thanked) or of outside-role nouns ("rejects the call for a probe, third-party
role": both are rejected).
"""

from __future__ import annotations

import re

from monitor.matching import clues
from monitor.matching.compiled import ActorHit

# ", third-party role", ", any mediation" ending the list (a full stop, "and", "or", the end)
_LISTED_ROLE = re.compile(
    r",\s+(?:(?:a|an|the|any|all|its|their|third-party|third party|outside|foreign|international|"
    r"external|(?-i:[A-Z][\w-]*))\s+){0,2}"
    r"(?:role|roles|mediation|mediator|mediators|involvement|intervention|arbitration|"
    r"facilitation|good offices)\b(?=\s*(?:$|[.;:]|,|\s(?:and|or|on|in|over)\b))",
    re.I,
)


def scope_end(text: str, hits: list[ActorHit], parties: frozenset[str], pos: int, end: int) -> int:
    """The offset where the reach of a cue ending at `pos` stops (at most `end`)."""
    outsiders = [h for h in hits if h.actor not in parties]
    for found in clues.SCOPE_END.finditer(text, pos, end):
        if _actor_list(outsiders, found.start(), found.end()):
            continue
        if found.group().startswith(",") and _LISTED_ROLE.match(text, found.start(), end):
            continue
        return found.start()
    return end


def _actor_list(hits: list[ActorHit], gap_start: int, gap_end: int) -> bool:
    """An outside actor right before the comma/"and" and another right after it (not the parties:
    "helps India and Pakistan find a way back to talks" has its own verb after them)."""
    before = any(h.end == gap_start for h in hits)
    return before and any(gap_end <= h.start <= gap_end + 4 for h in hits)
