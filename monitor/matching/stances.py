"""Stance attribution inside one sentence: which actor a cue belongs to, negation, governed cues.

The rules are general English, not per-example fixes:
- the actor doing something is the nearest actor before the cue in its clause that is not the
  object of a preposition ("talks with Islamabad"), or the one a possessive/adjective ties to a
  noun cue ("Trump's offer", "US mediators"), or the sentence's speaker ("..., Lavrov said");
- a governing cue (reject/welcome/thank/urge/deny) owns what follows it in the clause: in "India
  rejects Trump's offer" the offer belongs to Trump, named inside it; a denial blocks the claim it
  denies; thanking someone for brokering is not that someone's own claim;
- a negation right before a cue drops it, or turns it into its `negated` stance ("never accept").
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.matching import actor_roles, clues, offers, scopes
from monitor.matching.compiled import (
    LIST_GAP,
    NEGATION,
    ActorHit,
    CompiledWatchlist,
)
from monitor.matching.sentences import clause_spans, speaker_spans
from monitor.matching.watchlist import NO_STANCE, Cue


@dataclass(frozen=True)
class StanceHit:
    """One stance found for one actor in one sentence."""

    actor: str
    stance: str
    confidence: float
    evidence: str
    cue: str
    fallback: bool = False  # from a broad verb-class cue (see Cue.fallback)


@dataclass(frozen=True)
class _CueMatch:
    cue: Cue
    start: int
    end: int


def _find_cues(cw: CompiledWatchlist, sentence: str, start: int, end: int) -> list[_CueMatch]:
    # Overlapping matches on purpose: "thanks the UN for welcoming the ceasefire" holds two cues.
    found: list[_CueMatch] = []
    for compiled in cw.cues:
        pos = start
        while pos < end:
            m = compiled.regex.search(sentence, pos, end)
            if m is None:
                break
            found.append(_CueMatch(compiled.cue, m.start(), m.end()))
            pos = m.start() + 1
    found.sort(key=lambda c: c.start)
    return found


class _Sentence:
    """Attribution state for one sentence."""

    def __init__(self, cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> None:
        self.cw = cw
        self.text = sentence
        self.hits = hits
        self.speaker_span: tuple[int, int] | None = None
        self.speaker = self._speaker()

    def _speaker(self) -> ActorHit | None:
        for start, end in speaker_spans(self.text):
            inside = [h for h in self.hits if start <= h.start and h.end <= end and not h.oblique]
            if inside:
                self.speaker_span = (start, end)
                return inside[0]
        return None

    def _outside(self, match: _CueMatch, start: int, end: int, besides: str | None = None) -> bool:
        """_has_outside in the cue's scope, or in the words that attribute a quote ("'Kashmir is
        our internal affair': India to Malaysia")."""
        scope = self._scope(match, start, end)
        if actor_roles.has_outside(self.cw, self.text, self.hits, scope, match.start, besides):
            return True
        span = self.speaker_span
        return (
            span is not None
            and not (start <= span[0] < end)
            and actor_roles.has_outside(self.cw, self.text, self.hits, span, span[0], besides)
        )

    def stances(self) -> list[StanceHit]:
        out: list[StanceHit] = []
        previous_subject: ActorHit | None = None
        for start, end in clause_spans(self.text):
            matches = _find_cues(self.cw, self.text, start, end)
            active = [m for m in matches if not m.cue.needs_outside or self._outside(m, start, end)]
            for match in active:
                out.extend(self._attribute(match, active, start, end, previous_subject))
            first = self._first_subject(start, end)
            previous_subject = first or previous_subject
        return out

    def _scope(self, match: _CueMatch, start: int, end: int) -> tuple[int, int]:
        """The clause up to the end of the cue's phrase: "rejects India's claim that Kashmir is
        internal, seeks UN role" - the UN is in the next phrase, not in what is rejected."""
        return start, scopes.scope_end(self.text, self.hits, self.cw.parties, match.end, end)

    def _first_subject(self, start: int, end: int) -> ActorHit | None:
        return next(
            (h for h in self.hits if start <= h.start and h.end <= end and not h.oblique), None
        )

    def _governors(self, match: _CueMatch, active: list[_CueMatch], end: int) -> list[_CueMatch]:
        """Governing cues whose scope covers this cue, nearest first."""
        covering = []
        for g in reversed(active):
            # a broad fallback cue never re-attributes what a precise cue inside it says
            if (
                g.start < match.start
                and g.cue.nested != "none"
                and not g.cue.fallback
                and match.start
                < scopes.scope_end(self.text, self.hits, self.cw.parties, g.end, end)
            ):
                covering.append(g)
        return covering

    def _agent(
        self, match: _CueMatch, start: int, end: int, previous_subject: ActorHit | None
    ) -> tuple[ActorHit | None, float]:
        """Who does what an ungoverned cue says, and how sure that attribution is."""
        cue = match.cue
        if clues.BY_AGENT.search(self.text, match.start, match.end):
            # the passive voice: "Trump's offer rejected by India" is India's act
            agent = next((h for h in self.hits if match.end <= h.start <= match.end + 5), None)
            return agent, 1.0
        if cue.attribution == "modifier":
            owner = actor_roles.modifier(self.text, self.hits, match.start, start)
            if owner is None and cue.stance == "offers_mediation":
                return actor_roles.pronoun_owner(self.cw, self.text, self.hits, match.start), 0.9
            return owner, 1.0
        if cue.attribution == "reporter":
            return actor_roles.reporter(self.text, self.hits, match.start) or self.speaker, 0.9
        owner = actor_roles.modifier(self.text, self.hits, match.start, start)
        if owner is not None and clues.POSSESSIVE.match(self.text, owner.end):
            return owner, 1.0  # "Trump's offer to mediate"
        for hit in reversed(self.hits):
            if start <= hit.start and hit.end <= match.start:
                if clues.ACT_OF.fullmatch(self.text, hit.end, match.start):
                    return hit, 1.0  # "Pakistan's bid to internationalise the issue"
                if clues.CLAIM_OF.match(self.text, hit.end, match.start):
                    return hit, 1.0  # "rejects India's claim that Kashmir is internal"
                break
        subject = actor_roles.subject(self.hits, start, match.start, self.text)
        subject = actor_roles.complement_subject(self.text, self.hits, subject, match.start)
        tail = clues.CONTINUATION.search(self.text, start, match.start)
        if tail and subject is not None and subject.end <= tail.start():
            first = self._first_subject(start, match.start)
            if first is not None and first not in self._coordinated(subject):
                subject = first
        if (
            subject is not None
            and cue.stance == "rejects_mediation"
            and self._told_of(subject, match)
        ):
            teller = actor_roles.reporter(self.text, self.hits, subject.start) or self.speaker
            if teller is None or teller.actor == subject.actor:
                return None, 0.0
            return teller, 0.9
        if (
            subject is not None
            and cue.stance == "urges_dialogue"
            and cue.party_stance in (None, NO_STANCE)
            and subject.actor in self.cw.parties
        ):
            # "the US welcomes Pakistan and India sitting down": the parties are the ones urged
            teller = actor_roles.teller(self.cw.parties, self.hits, start, subject)
            if teller is not None:
                subject = teller
            elif clues.PRESCRIPTIVE.search(self.text, subject.end, match.end):
                if self.speaker is None or self.speaker.actor in self.cw.parties:
                    return None, 0.0
                return self.speaker, 0.85
        if (
            subject is not None
            and cue.party_stance == NO_STANCE
            and subject.actor in self.cw.parties
            and "to " in self.text[max(start, match.start - 3) : match.start + 3].lower()
        ):
            # a party cannot do this (mediate its own dispute): the outside party named before
            # it does, in a purpose clause ("Iran's minister to visit Islamabad, New Delhi to
            # mediate"; not "Moscow hopes New Delhi and Islamabad will settle their issues")
            subject = next(
                (
                    h
                    for h in reversed(self.hits)
                    if start <= h.start < subject.start
                    and not h.oblique
                    and h.actor not in self.cw.parties
                ),
                subject,
            )
        if (
            subject is not None
            and (self.speaker is None or self.speaker in self._coordinated(subject))
            and self.cw.parties <= {h.actor for h in self._coordinated(subject)}
            and self._unnamed_teller(start, self._coordinated(subject)[-1].start)
        ):
            return None, 0.0  # "The minister said India and Pakistan would ...": an unnamed teller
        if (
            subject is not None
            and self.speaker is not None
            and self.cw.parties <= {h.actor for h in self._coordinated(subject)}
        ):
            # "India, Pakistan reached a ceasefire without US mediation, says Jaishankar": the
            # pair is described; the speaker takes the stance
            return self.speaker, 0.85
        if (
            subject is not None
            and self.speaker is not None
            and subject.actor in self.cw.parties
            and self.speaker.actor != subject.actor
            and clues.PRESCRIPTIVE.search(self.text, subject.end, match.start)
        ):
            return self.speaker, 0.85  # "Jaishankar: Pakistan must talk to us, not via others"
        if (
            subject is not None
            and (self.speaker is None or self.speaker is subject)
            and subject.actor in self.cw.parties
            and cue.stance == "welcomes_mediation"
            and clues.PRESCRIPTIVE.search(self.text, subject.end, match.start)
            and self._unnamed_teller(start, subject.start)
        ):
            return None, 0.0  # "He said India should accept the offer": what another wants of it
        if subject is not None:
            return subject, 1.0
        if self.speaker is not None:
            return self.speaker, 0.85
        after = next(
            (
                h
                for h in self.hits
                if match.end <= h.start < end
                and not h.oblique
                and "," in self.text[match.end : h.start]
            ),
            None,
        )
        if after is not None:
            return after, 0.85  # "Ready to help in Kashmir dispute, Trump tells Imran"
        if clues.OWN_SUBJECT.match(self.text, start, match.end):
            return None, 0.0  # "Mehbooba Mufti backs ...": someone outside the watchlist
        return previous_subject, 0.75  # "...; says will work with both": same subject

    def _unnamed_teller(self, start: int, at: int) -> bool:
        """ "He said [India and Pakistan ...]": told by someone the sentence does not name."""
        return bool(clues.TOLD_BEFORE.search(self.text, start, at)) and not any(
            start <= h.start < at for h in self.hits
        )

    def _told_of(self, subject: ActorHit, match: _CueMatch) -> bool:
        """Is the rejection said of the subject, not by it: "the OIC had no locus standi", or
        "[the OIC] ... rejected the OIC's call for UN involvement" (none rejects its own call)?"""
        if clues.STANDING_DENIED.match(self.text, subject.end):
            return True
        return any(
            h.actor == subject.actor
            and h is not subject
            and match.start <= h.start < match.end
            and clues.POSSESSIVE.match(self.text, h.end)
            for h in self.hits
        )

    def _coordinated(self, actor: ActorHit) -> list[ActorHit]:
        """The actor and those listed with it as one subject ("Turkey and Iran volunteered")."""
        group = [actor]
        index = self.hits.index(actor)
        while index > 0:
            prior = self.hits[index - 1]
            if prior.oblique or not LIST_GAP.match(self.text[prior.end : self.hits[index].start]):
                break
            group.append(prior)
            index -= 1
        return group

    def _attribute(
        self,
        match: _CueMatch,
        active: list[_CueMatch],
        start: int,
        end: int,
        previous_subject: ActorHit | None,
    ) -> list[StanceHit]:
        cue = match.cue
        governors = self._governors(match, active, end)
        governor = governors[0] if governors else None
        weight = 1.0
        if clues.NEW_CLAUSE.search(self.text, match.start, match.end):
            return []  # the gap ran into another clause's subject and verb
        if offers.within_acceptance(self.text, match, active):
            return []  # "has no objection to Chinese mediation": no Chinese offer reported
        if clues.NOMINAL_OBJECT.search(self.text, start, match.start) and any(
            g.start < match.start
            and (g.cue.nested_blocks or g in governors and g.cue.stance == "welcomes_mediation")
            and (g.cue.nested_blocks or clues.ROLE_OBJECT.search(self.text, start, match.start))
            for g in active
        ):
            return []  # "thanks Riyadh, Doha for their role in de-escalation": the thanker's
        if governor is not None:
            owner = None
            if cue.attribution == "modifier":
                owner = actor_roles.modifier(self.text, self.hits, match.start, governor.start)
            # "hails Trump's mediation offer" keeps Trump's offer; "calls for US mediation" is none
            named_offer = (
                owner is not None
                and cue.keep_when_blocked
                and bool(clues.POSSESSIVE.match(self.text, owner.end))
                and bool(clues.OFFER_NOUN_END.search(self.text, match.start, match.end))
            )  # not "seeks Washington's intervention": asked for, not offered
            thanked = offers.thanked_for_offer(
                self.text, self.hits, match.start, match.end, governor.end
            )
            if thanked is not None and (
                cue.keep_when_blocked or clues.OFFERING.match(self.text, match.start)
            ):
                owner, named_offer = thanked, True  # "thanks Iran for its mediation offer"
            if not named_offer and any(cue.stance in g.cue.nested_blocks for g in governors):
                return []
            if not named_offer and offers.accepted_not_offered(
                self.text, cue, governor.cue, match.start, match.end
            ):
                return []  # "ready to accept Russian mediation": no Russian offer reported
            if (
                cue.stance == "offers_mediation"
                and governor.cue.stance == "welcomes_mediation"
                and clues.HYPOTHETICAL.search(
                    self.text, max(start, governor.start - 15), match.start
                )
            ):
                return []  # "would welcome any effort by China to mediate": no offer made
            kept = owner is not None and cue.keep_when_blocked
            if not kept and any(g.cue.nested == "block" for g in governors):
                return []  # what a denial denies; but "rejects Trump's claim" keeps Trump's claim
            if cue.attribution == "modifier":
                actor = owner
            else:
                inside = [
                    h for h in self.hits if governor.start <= h.start and h.end <= match.start
                ]
                actor = inside[-1] if inside else None
        else:
            actor, weight = self._agent(match, start, end, previous_subject)
        if actor is None:
            return []
        if cue.needs_outside and not self._outside(match, start, end, actor.actor):
            return []  # "Saudi Arabia welcomes the ceasefire": no outside role in it
        if cue.needs_process and not self.cw.process_words.search(self.text, match.start, end):
            return []  # "India thanks US for support": not about mediation
        if clues.EITHER_WAY.search(self.text, max(start, match.start - 10), match.start):
            return []  # "with or without mediators": no position on them
        negated = NEGATION.search(self.text, max(start, match.start - 40), match.start)
        if (
            negated
            and governor is not None
            and negated.start() < governor.end
            and clues.OFFER_NOUN_END.search(self.text, match.start, match.end)
        ):
            negated = None  # "says no to Russia's proposal": the verb is negated, not the offer
        if negated and clues.UNLESS.search(self.text, match.end, end):
            negated = None  # "will not mediate unless both ask": a conditional offer
        if (
            cue.stance != "offers_mediation"
            and not negated
            and clues.CONDITION.search(self.text, max(start, match.start - 40), match.start)
        ):
            return []  # "unless both ask for mediation": a condition, not a request
        out = []
        actors = self._coordinated(actor) if governor is None else [actor]
        for each in actors:
            stance: str | None = cue.stance
            if each.actor in self.cw.parties and cue.party_stance:
                stance = cue.party_stance
            if negated:
                stance = cue.negated
            if stance is None or stance == NO_STANCE:
                continue
            if (
                stance == "urges_dialogue"
                and each.actor in self.cw.parties
                and self._asks_outside(match, each)
            ):
                stance = "welcomes_mediation"  # "Pakistan urges the US to help resolve Kashmir"
            if cue.reported_by_other == "drop":
                reporter = actor_roles.reporter(self.text, self.hits, each.start)
                if reporter is not None and reporter.actor != each.actor:
                    out.extend(self._claim(reporter, match, end))
                    continue
            out.append(
                StanceHit(
                    each.actor,
                    stance,
                    round(cue.confidence * weight, 3),
                    self.text,
                    cue.id,
                    cue.fallback,
                )
            )
        return out

    def _asks_outside(self, match: _CueMatch, actor: ActorHit) -> bool:
        """Does the urging party ask an outside party to act ("Pakistan urges the US to help",
        "asks China, Turkey to press India for talks")?"""
        if match.cue.id != "urge_dialogue":
            return False
        after = actor.end if actor.end <= match.start else match.start
        first = next((h for h in self.hits if after < h.start and h.end <= match.end), None)
        return (
            first is not None
            and first.actor not in self.cw.parties
            and bool(clues.ASKED.search(self.text, after, first.start))
        )

    def _claim(self, reporter: ActorHit, match: _CueMatch, end: int) -> list[StanceHit]:
        """ "Trump says Modi asked him to mediate": a claim of being asked is the claimer's offer."""
        region = self.text[match.start : end]
        named = any(h.actor == reporter.actor for h in self.hits if match.start <= h.start < end)
        if named or clues.PRONOUN_OBJECT.search(region):
            return [StanceHit(reporter.actor, "offers_mediation", 0.8, self.text, "claim")]
        return []


def sentence_stances(cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> list[StanceHit]:
    """Every stance the sentence gives an actor (several per actor possible; the matcher picks)."""
    if not hits:
        return []
    return _Sentence(cw, sentence, hits).stances()
