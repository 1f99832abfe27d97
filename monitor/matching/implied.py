"""Stances real coverage states by implication rather than with a stance verb:

- a request told as the occasion of an outside act: "consultations, requested by China at
  Pakistan's behest", "the Security Council met at Pakistan's request", "the US intervened at
  Pakistan's request": the requester seeks outside involvement (welcomes_mediation). Read only
  when the sentence names a UN forum, or an outside party is the one acting before "at ...";
  "halted firing at Pakistan's request" (a request to the other side) is none;
- an offer told through its follow-up: "hopes Trump will follow through on his offer to
  mediate", "would act on its offer": the outside party holds an offer (offers_mediation);
- a denial told as a contrast or as the outsider's absence: "DGMO hotline, not Washington, ended
  the hostilities, say Indian officials", "Misri: Pakistan sought the ceasefire, US played no
  role": a side (the sentence's speaker) setting an outside party aside from a peace step
  rejects its role;
- a denial told as the peace step's directness: "the halt was worked out directly between the two
  militaries, New Delhi says": the side telling it rejects an outside role;
- a side disputing a mediation claim in a relative clause: "Trump's claim, which India disputes",
  "a claim New Delhi has rejected": that side rejects it.

Read as fallbacks (a precise cue wins), like the verb-class cues in the watchlist.
"""

from __future__ import annotations

import re

from monitor.matching.compiled import ActorHit, CompiledWatchlist
from monitor.matching.sentences import speaker_spans
from monitor.matching.stances import StanceHit

_I = re.IGNORECASE
_CONFIDENCE = 0.7
_UN_FORUM = re.compile(r"\b(?:UN|U\.N\.|UNSC|United Nations|Security Council|council|world body)\b")
# "at Pakistan's request", "at the request of Pakistan", "requested by China", "sought by"
_REQUEST_BEFORE = re.compile(
    r"\b(?:at|on)\s+(?:the\s+)?(?:request|behest|urging|insistence|initiative)\s+of\s+(?:the\s+)?$"
    r"|\b(?:requested|sought|called|convened|demanded)\s+by\s+(?:the\s+)?$",
    _I,
)
_REQUEST_AFTER = re.compile(r"['’]s?\s+(?:request|behest|urging|insistence|initiative)\b", _I)
# "Pakistan, which sought the meeting, said ...": the requester of a UN meeting
_WHICH_SOUGHT = re.compile(
    r",\s+(?:which|who)\s+(?:had\s+)?(?:sought|requested|called\s+for)\s+(?:the\s+)?"
    r"(?:meeting|session|consultations|debate|discussion)\b",
    _I,
)
_NEGATED = re.compile(r"\b(?:not|never|no|without)\b|n[’']t\b", _I)
_CLAUSE_BETWEEN = re.compile(r"\band\s+that\b|;|,\s+(?:and|but|while)\b|\bwhile\b", _I)
_AT_BEFORE = re.compile(r"\b(?:at|on)\s+(?:the\s+)?$", _I)
_AND = re.compile(r"\s*(?:,|and)\s+(?:the\s+)?$", _I)
# "Trump will follow through on his offer to mediate", "act on its Kashmir offer"
_FOLLOW_UP = re.compile(
    r"\s+(?:(?:will|would|should|could|to|must|can)\s+)?(?:\w+ly\s+)?"
    r"(?:follows?|followed|following)\s+through\s+(?:on|with)"
    r"|\s+(?:(?:will|would|should|could|to|must|can)\s+)?(?:\w+ly\s+)?"
    r"(?:acts?|acted|acting|deliver(?:s|ed|ing)?|make\s+good|makes\s+good|made\s+good)\s+on",
    _I,
)
_OFFER_AFTER = re.compile(
    r"\s+(?:(?:his|its|her|their|the|an?)\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:offer|offers|pledge|promise)\b(?:\s+to\s+(?:mediate|help|facilitate|broker|assist))?",
    _I,
)
_MEDIATION_OFFER = re.compile(
    r"mediat|\bhelp|facilitat|broker|assist|good offices|Kashmir|resolv|settle|talks", _I
)
# ", not Washington," / "- not the US -"
_NOT_BEFORE = re.compile(r"(?:,|—|–|\s-)\s*not\s+(?:the\s+|by\s+|in\s+)?$", _I)
# "US had no role", "Washington played no part", "the US was not involved"
_NO_PART_AFTER = re.compile(
    r"\s+(?:had|has|have|played|plays|play)\s+no\s+(?:role|part|hand)\b"
    r"|\s+(?:was|were|is|are)\s+not\s+involved\b",
    re.I,
)
_SAY_TAIL = re.compile(
    r"(?:,|:|—)\s*(?:say|says|said|according to|insist|insists)\s+([^,:;]{1,60})$", _I
)
_NOT_AFTER = re.compile(r"\s*(?:,|—|–|-\s)")
_DIRECTLY_BETWEEN = re.compile(
    r"\b(?:worked\s+out|reached|agreed(?:\s+upon|\s+on)?|arrived\s+at|achieved|decided|settled|"
    r"negotiated|done)\s+(?:directly\s+(?:between|by)\b|(?:directly\s+)?between\s+the\s+(?:two\s+)?"
    r"(?:countries['’]?\s+)?(?:DGMOs|militaries|armies|directors[-\s]general))",
    _I,
)
# "New Delhi says", "India's foreign secretary said"
_SAY_BEFORE = re.compile(
    r"(?:['’]s?(?:\s+[\w-]+){1,3})?\s+(?:says|said|say|insists|insisted|maintains|maintained)\b",
    _I,
)
# "which India disputes", "a claim New Delhi has rejected", "a claim that Delhi denies"
_RELATIVE_BEFORE = re.compile(
    r"\b(?:which|that|claim|claims|assertion|assertions)\s+(?:the\s+)?$", _I
)
_DISPUTES_AFTER = re.compile(
    r"\s+(?:has\s+|had\s+|have\s+)?(?:strongly\s+|repeatedly\s+|consistently\s+)?"
    r"(?:disputes|disputed|denies|denied|rejects|rejected|contests|contested|refutes|refuted)\b",
    _I,
)


def implied_stances(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[StanceHit]:
    """Stances the sentence implies (see the module doc)."""
    if not hits:
        return []
    out: list[StanceHit] = []
    out.extend(_requests(cw, sentence, hits))
    out.extend(_follow_ups(cw, sentence, hits))
    out.extend(_contrasts(cw, sentence, hits))
    out.extend(_directly_between(cw, sentence, hits))
    out.extend(_disputed_claims(cw, sentence, hits))
    return out


def _hit(actor: str, stance: str, sentence: str, cue: str) -> StanceHit:
    return StanceHit(actor, stance, _CONFIDENCE, sentence, cue, True)


def _requests(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[StanceHit]:
    if not re.search(r"request|behest|urging|insistence|initiative|sought|by", sentence, _I):
        return []
    out = []
    requesters: list[ActorHit] = []
    for index, hit in enumerate(hits):
        before = sentence[max(0, hit.start - 40) : hit.start]
        if (
            _REQUEST_BEFORE.search(before)
            or (_AT_BEFORE.search(before) and _REQUEST_AFTER.match(sentence, hit.end))
            or (hit.actor in cw.parties and _WHICH_SOUGHT.match(sentence, hit.end))
        ):
            requesters.append(hit)
        elif (
            requesters
            and requesters[-1] is hits[index - 1]
            and _AND.fullmatch(sentence[hits[index - 1].end : hit.start])
        ):
            requesters.append(hit)  # "sought by Pakistan and China"
    for requester in requesters:
        if requester.actor not in cw.parties:
            continue  # an outsider asking the UN to meet on a side's behalf facilitates, no more
        forum = _UN_FORUM.search(sentence)
        actor_before = next(  # the one acting: "in Delhi" is where, not who
            (
                h
                for h in reversed(hits)
                if h.end <= requester.start and h not in requesters and not h.oblique
            ),
            None,
        )
        outside_actor = (
            actor_before is not None
            and actor_before.actor not in cw.parties
            and actor_before.actor != requester.actor
            and not _NEGATED.search(sentence, actor_before.end, requester.start)
            # "no call with the US President, and that the halt was requested by Pakistan":
            # the outsider belongs to another clause
            and not _CLAUSE_BETWEEN.search(sentence, actor_before.end, requester.start)
        )
        if forum or outside_actor:
            out.append(_hit(requester.actor, "welcomes_mediation", sentence, "implied_request"))
    return out


def _follow_ups(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[StanceHit]:
    out = []
    for hit in hits:
        if hit.actor in cw.parties:
            continue
        verb = _FOLLOW_UP.match(sentence, hit.end)
        if verb is None:
            continue
        offer = _OFFER_AFTER.match(sentence, verb.end())
        if offer is None:
            continue
        # the offer's own words, or the rest of the sentence, must say what it is for
        if _MEDIATION_OFFER.search(offer.group(0)) or _MEDIATION_OFFER.search(
            sentence, offer.end()
        ):
            out.append(_hit(hit.actor, "offers_mediation", sentence, "follow_up"))
    return out


def _contrasts(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[StanceHit]:
    lowered = sentence.lower()
    if (" not " not in lowered and " no " not in lowered) or not cw.process_words.search(sentence):
        return []
    set_aside = [
        h
        for h in hits
        if h.actor not in cw.parties
        and _NOT_BEFORE.search(sentence[max(0, h.start - 12) : h.start])
        and _NOT_AFTER.match(sentence, h.end)
    ]
    set_aside += [
        h for h in hits if h.actor not in cw.parties and _NO_PART_AFTER.match(sentence, h.end)
    ]
    if not set_aside:
        return []
    teller = _speaker(sentence, hits)
    if teller is None or teller.actor not in cw.parties:
        return []  # only a side keeping an outsider out of its own peace step rejects its role
    return [_hit(teller.actor, "rejects_mediation", sentence, "contrast")]


def _directly_between(
    cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]
) -> list[StanceHit]:
    found = _DIRECTLY_BETWEEN.search(sentence)
    if not found:
        return []
    # the one saying so right before it, else the sentence's speaker
    teller = next(
        (
            h
            for h in reversed(hits)
            if h.end <= found.start() and not h.oblique and _SAY_BEFORE.match(sentence, h.end)
        ),
        None,
    ) or _speaker(sentence, hits)
    if teller is None or teller.actor not in cw.parties:
        return []
    return [_hit(teller.actor, "rejects_mediation", sentence, "directly_between")]


def _disputed_claims(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[StanceHit]:
    if cw.mediation_words is None or not cw.mediation_words.search(sentence):
        return []
    return [
        _hit(h.actor, "rejects_mediation", sentence, "disputed_claim")
        for h in hits
        if h.actor in cw.parties
        and _RELATIVE_BEFORE.search(sentence, max(0, h.start - 16), h.start)
        and _DISPUTES_AFTER.match(sentence, h.end)
    ]


def _speaker(sentence: str, hits: list[ActorHit]) -> ActorHit | None:
    spans = speaker_spans(sentence)
    tail = _SAY_TAIL.search(sentence)
    if tail:
        spans.append(tail.span(1))  # "..., say Indian officials"
    for start, end in spans:
        inside = [h for h in hits if start <= h.start and h.end <= end and not h.oblique]
        if inside:
            return inside[0]
    return None
