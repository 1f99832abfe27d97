"""Coordinated passive participles: "Rejected by India, welcomed by Pakistan: Trump's Kashmir
offer divides neighbours", "Trump's offer rejected by India, welcomed by Pakistan".

A participle of the accept or reject verb classes, opening the sentence or a comma/colon/"and"
segment and followed by "by <actor>", gives that actor the class's stance, when the sentence is
about an outside role (an outside-role noun, or an offer/help noun with an outside party named).
Read as a fallback (a precise cue wins), like the verb-class cues in the watchlist.
"""

from __future__ import annotations

import re

from monitor.matching.compiled import ActorHit, CompiledWatchlist
from monitor.matching.stances import StanceHit

_I = re.IGNORECASE
# the word before "by <actor>", at the start of the sentence or of a coordinated segment
_PARTICIPLE = re.compile(r"(?:^|[,:;]\s*|\s(?:and|but)\s+)([A-Za-z-]+)\s+by\s+$")
_CONFIDENCE = 0.7
_STANCES = (("reject_verb", "rejects_mediation"), ("accept_verb", "welcomes_mediation"))


class _Classes:
    """The verb classes and role nouns compiled once per watchlist."""

    def __init__(self, cw: CompiledWatchlist) -> None:
        c = cw.classes
        self.verbs = [
            (re.compile(rf"(?:{c[name]})\Z", _I), stance) for name, stance in _STANCES if name in c
        ]
        self.role = re.compile(c["outside_role"], _I) if "outside_role" in c else None
        self.help = re.compile(c["outside_help"], _I) if "outside_help" in c else None


_CACHE: dict[int, _Classes] = {}


def participle_stances(
    cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]
) -> list[StanceHit]:
    """Stances of actors named after a coordinated "<participle> by" (see the module doc)."""
    if " by " not in sentence:
        return []
    classes = _CACHE.get(id(cw))
    if classes is None:
        classes = _CACHE.setdefault(id(cw), _Classes(cw))
    if not _about_outside_role(cw, classes, sentence, hits):
        return []
    out = []
    for hit in hits:
        found = _PARTICIPLE.search(sentence, max(0, hit.start - 40), hit.start)
        if found is None:
            continue
        word = found.group(1)
        for verb, stance in classes.verbs:
            if verb.match(word):
                out.append(StanceHit(hit.actor, stance, _CONFIDENCE, sentence, "participle", True))
                break
    return out


def _about_outside_role(
    cw: CompiledWatchlist, classes: _Classes, sentence: str, hits: list[ActorHit]
) -> bool:
    if classes.role is not None and classes.role.search(sentence):
        return True
    outsider = any(h.actor not in cw.parties for h in hits)
    return outsider and classes.help is not None and bool(classes.help.search(sentence))
