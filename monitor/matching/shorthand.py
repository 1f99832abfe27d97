"""The item's own shorthand for a side's government: "Govt sources: US had no role in ceasefire
talks with Pakistan", "No one asked for US help on Pakistan, says government".

"government"/"govt" with no owner named before it stands for one side only when the sentence
itself says which: it names exactly one side, only as the other side of a peace step or an
outside role ("talks with Pakistan", "help on Pakistan"), so the government is
the other side's. Anything else
(no side named, both named, "the J&K government", "Opposition slams govt") stays unresolved:
outlets of both countries use the word, and which country an outlet is in is no evidence.
One exception, from the watchlist's own data: an unnamed government denying any outside part
in the two sides' peace step ("government sources said the halt was worked out directly between
the two countries and there is no decision to hold talks at any other place") is the side whose
baseline is to reject outside roles, when exactly one side has that baseline.
"""

from __future__ import annotations

import re

from monitor.matching.compiled import ActorHit, CompiledWatchlist

_GOVERNMENT = re.compile(r"\b(?:govt|government)(?:\s+(?:sources|officials|source))?\b", re.I)
# what may stand right before it: the sentence start, an article, a reporting verb, punctuation
_OPEN_BEFORE = re.compile(
    r"(?:^|[\s:;,'\"‘“(]|\b(?:the|says|said|say|tells|told|according to))\s*$", re.I
)
# the side as the other side of a peace step or an outside role: "talks with Pakistan"
_OTHER_SIDE_BEFORE = re.compile(
    r"\b(?:talks|dialogue|negotiations?|ceasefire|truce|help|mediation|role|deal|understanding|"
    r"agreement|hostilities|conflict|tensions|war|engagement)\s+(?:[\w-]+\s+)?"
    r"(?:with|on|against|over|from)\s+(?:the\s+)?$",
    re.I,
)
# a government keeping outsiders out of the two sides' own peace step
_DENIAL_LINE = re.compile(
    r"worked\s+out\s+directly|directly\s+between|no\s+decision\s+to\s+hold\s+talks|"
    r"any\s+other\s+place|no\s+third[-\s]party|neutral\s+(?:site|venue)",
    re.I,
)
_IN_GAP = re.compile(r"\s+in\s+")
_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
_OWNER_BEFORE = re.compile(r"[A-Z&][\w&.-]*\s*$")  # "J&K government", "Modi government"


def with_government(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[ActorHit]:
    """`hits` plus the government the sentence's shorthand stands for, if it says whose."""
    if "gov" not in sentence.lower():
        return hits
    denier = _denying_side(cw, sentence, hits)
    if denier is not None:
        return denier
    for found in _GOVERNMENT.finditer(sentence):
        # "government sources in New Delhi said": the government of the place named
        placed = next((h for h in hits if _IN_GAP.fullmatch(sentence, found.end(), h.start)), None)
        if placed is not None and placed.actor in cw.parties:
            # one hit for the whole phrase, so that a "said" after it is its verb
            added = ActorHit(placed.actor, found.start(), placed.end, False)
            rest = [h for h in hits if h is not placed]
            return sorted([*rest, added], key=lambda h: h.start)
    sides = [h for h in hits if h.actor in cw.parties]
    if len({h.actor for h in sides}) != 1 or not all(
        _OTHER_SIDE_BEFORE.search(sentence, max(0, h.start - 40), h.start)
        and not _POSSESSIVE_AFTER.match(sentence, h.end)
        for h in sides
    ):
        return hits  # "on India's diplomatic standing" says nothing about whose government
    other = next(iter(cw.parties - {sides[0].actor}), None)
    if other is None:
        return hits
    for found in _GOVERNMENT.finditer(sentence):
        before = sentence[max(0, found.start() - 20) : found.start()]
        lead = before.rstrip()
        if lead.endswith(("The", "the")) or not lead:
            pass
        elif _OWNER_BEFORE.search(before) or not _OPEN_BEFORE.search(before):
            continue
        if any(h.start <= found.start() < h.end for h in hits):
            continue  # part of an alias ("Indian government")
        added = ActorHit(other, found.start(), found.end(), False)
        return sorted([*hits, added], key=lambda h: h.start)
    return hits


def _denying_side(
    cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]
) -> list[ActorHit] | None:
    """The hits plus the rejecting side for an unnamed government's denial line, else None."""
    named = {h.actor for h in hits if h.actor in cw.parties}
    if len(named) == 1 or not _DENIAL_LINE.search(sentence):
        return None  # one side named: the rule above decides
    rejecting = [p for p in cw.parties if cw.actors[p].baseline == "rejects_mediation"]
    found = _GOVERNMENT.search(sentence)
    if len(rejecting) != 1 or found is None:
        return None
    added = ActorHit(rejecting[0], found.start(), found.end(), False)
    return sorted([*hits, added], key=lambda h: h.start)
