"""Who plays which part around a cue in one sentence: the subject, the possessor of a noun
("Trump's offer"), the reporter ("Trump says ..."), and whether an outside party is involved.
"""

from __future__ import annotations

from monitor.matching import clues
from monitor.matching.compiled import (
    LIST_GAP,
    MODIFIER_GAP,
    REPORTING,
    ActorHit,
    CompiledWatchlist,
)


def has_outside(
    cw: CompiledWatchlist,
    sentence: str,
    hits: list[ActorHit],
    clause: tuple[int, int],
    cue_start: int,
    besides: str | None = None,
) -> bool:
    """Does the clause name an outside party (other than `besides`), or a mediation word after
    the cue? ("welcomed Trump's offer", "slammed Erdogan ... gross interference")"""
    start, end = clause
    listed = _listed_with(sentence, hits, besides, cue_start)
    if any(
        start <= h.start < end
        and h.actor not in cw.parties
        and h.actor != besides
        and h not in listed
        for h in hits
    ):
        return True
    if cw.world_words and cw.world_words.search(sentence, cue_start, end):
        return True  # "urges the international community to help"
    if cw.mediation_words and cw.mediation_words.search(sentence, cue_start, end):
        return True
    # "Erdogan offers to facilitate talks; India calls it unacceptable": the pronoun is the
    # outside party's offer named earlier in the sentence
    elided = sentence[cue_start:end].strip(" .!?'\"’”").count(" ") <= 1  # "India says no"
    if (
        elided
        or clues.ANAPHOR.search(sentence, cue_start, end)
        or clues.ANAPHOR.search(sentence, start, cue_start)
    ):
        return any(h.actor not in cw.parties and h.actor != besides for h in hits)
    return False


def modifier(sentence: str, hits: list[ActorHit], at: int, floor: int) -> ActorHit | None:
    """The actor a possessive or adjective ties to the noun at `at` ("Riyadh's first offer")."""
    for hit in reversed(hits):
        if hit.end <= at and hit.start >= floor:
            return hit if MODIFIER_GAP.match(sentence[hit.end : at] or " ") else None
    return None


def subject(hits: list[ActorHit], start: int, at: int, sentence: str = "") -> ActorHit | None:
    for hit in reversed(hits):
        # "... from New Delhi, which has long insisted ...": the relative clause is its own
        inside = start <= hit.start and hit.end <= at
        if inside and (not hit.oblique or clues.RELATIVE.match(sentence, hit.end)):
            return hit
    return None


def teller(
    parties: frozenset[str], hits: list[ActorHit], start: int, subject: ActorHit
) -> ActorHit | None:
    """The outside party telling the parties to talk: the clause's first actor that is no
    object, when it is not a party ("the US welcomes Pakistan and India sitting down"; not
    "Shehbaz thanks Trump, says Pakistan ready to talk", where Trump is thanked)."""
    first = next((h for h in hits if start <= h.start < subject.start and not h.oblique), None)
    return first if first is not None and first.actor not in parties else None


def complement_subject(
    sentence: str, hits: list[ActorHit], subject: ActorHit | None, at: int
) -> ActorHit | None:
    """ "The MEA said Ankara should respect ... and that there was no role for a third party":
    a second "that"-clause after a reporting verb is the reporter's again, not the actor named
    in the first one."""
    if subject is None or not clues.AND_THAT.search(sentence, subject.end, at):
        return subject
    first = subject  # the first of a listed subject ("that India and Pakistan must ...")
    for hit in reversed([h for h in hits if h.end <= first.start]):
        if not LIST_GAP.match(sentence[hit.end : first.start]):
            break
        first = hit
    if not clues.SAID_BEFORE.search(sentence, 0, first.start):
        return subject
    return reporter(sentence, hits, subject.start)  # None: the reporter is no known actor


def reporter(sentence: str, hits: list[ActorHit], at: int) -> ActorHit | None:
    """The nearest actor before `at` followed by a reporting verb ("Trump says ...")."""
    for hit in reversed(hits):
        if hit.end <= at and not hit.oblique:  # "Pakistan's ambassador in Moscow said"
            verb = REPORTING.match(sentence, hit.end)
            if verb and verb.end() <= at:
                return hit
    return None


def pronoun_owner(
    cw: CompiledWatchlist, sentence: str, hits: list[ActorHit], at: int
) -> ActorHit | None:
    """ "backs his Kashmir mediation offer" after "praises Trump's efforts": a possessive pronoun
    before a noun cue stands for the nearest outside party named before it (a side cannot offer
    to mediate its own dispute, so it is never the one meant)."""
    if not clues.PRONOUN_BEFORE.search(sentence, max(0, at - 40), at):
        return None
    return next((h for h in reversed(hits) if h.end <= at and h.actor not in cw.parties), None)


def _listed_with(
    sentence: str, hits: list[ActorHit], actor: str | None, cue_start: int
) -> list[ActorHit]:
    """Actors listed with `actor` as one subject before the cue ("Egypt, Saudi Arabia, Qatar
    welcome ..."): co-subjects, not an outside party for each other."""
    before = [h for h in hits if h.end <= cue_start]
    index = next((i for i in range(len(before) - 1, -1, -1) if before[i].actor == actor), None)
    if index is None:
        return []
    group = []
    low = index
    while low > 0 and LIST_GAP.match(sentence[before[low - 1].end : before[low].start]):
        low -= 1
        group.append(before[low])
    high = index
    while high + 1 < len(before) and LIST_GAP.match(
        sentence[before[high].end : before[high + 1].start]
    ):
        high += 1
        group.append(before[high])
    return group
