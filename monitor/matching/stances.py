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
from monitor.matching.agents import CueMatch, SentenceActors, find_cues
from monitor.matching.compiled import NEGATION, ActorHit, CompiledWatchlist
from monitor.matching.sentences import clause_spans
from monitor.matching.watchlist import NO_STANCE


@dataclass(frozen=True)
class StanceHit:
    """One stance found for one actor in one sentence."""

    actor: str
    stance: str
    confidence: float
    evidence: str
    cue: str
    fallback: bool = False  # from a broad verb-class cue (see Cue.fallback)


class _Sentence(SentenceActors):
    """Attribution state for one sentence."""

    def _outside(self, match: CueMatch, start: int, end: int, besides: str | None = None) -> bool:
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
            matches = find_cues(self.cw, self.text, start, end)
            active = [m for m in matches if not m.cue.needs_outside or self._outside(m, start, end)]
            for match in active:
                out.extend(self._attribute(match, active, start, end, previous_subject))
            first = self._first_subject(start, end)
            previous_subject = first or previous_subject
        return out

    def _scope(self, match: CueMatch, start: int, end: int) -> tuple[int, int]:
        """The clause up to the end of the cue's phrase: "rejects India's claim that Kashmir is
        internal, seeks UN role" - the UN is in the next phrase, not in what is rejected."""
        return start, scopes.scope_end(self.text, self.hits, self.cw.parties, match.end, end)

    def _governors(self, match: CueMatch, active: list[CueMatch], end: int) -> list[CueMatch]:
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

    def _attribute(
        self,
        match: CueMatch,
        active: list[CueMatch],
        start: int,
        end: int,
        previous_subject: ActorHit | None,
    ) -> list[StanceHit]:
        cue = match.cue
        governors = self._governors(match, active, end)
        if clues.FINITE_PASSIVE.search(self.text, match.start, match.end):
            governors = []  # a passive names its agent: "X's call for UN help was rejected by India"
        governor = governors[0] if governors else None
        weight = 1.0
        if cue.stance == "offers_mediation" and (
            clues.EVALUATIVE_TO.search(self.text, start, match.start)
            or clues.BOTH_DO.search(self.text, start, match.start)
            or clues.URGED_TO.search(self.text, start, match.start)
        ):
            # "communication is important to reduce tensions", "hopes both will ... work
            # together to cool down the situation": no one offers
            return []
        if self._quoted_label(match):
            return []  # "Hours after PM's 'no mediation' message, Trump says ..."
        if self.text[match.start : match.start + 4].lower() == "back" and clues.PHRASAL_BACK.search(
            self.text, max(0, match.start - 12), match.start
        ):
            return []  # "hits back at", "pushed back on": a rebuff, not backing anything
        if match.start and self.text[match.start - 1] in "-–" and cue.attribution != "modifier":
            return []  # "China-backed consultations": a compound adjective, not a verb
        if self._runs_into_clause(match):
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
        if (
            governor is not None
            and cue.stance == governor.cue.stance == "rejects_mediation"
            and cue.attribution != "modifier"
        ):
            return []  # "rejects China's interference in its internal affairs": one rejection
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
                    self.text,
                    max(start, governor.start - 15),
                    min(match.start, governor.end + 12),  # around the welcome, not the offer
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
        if cue.needs_process and not self._about_process(match, active, start, end):
            return []  # "India thanks US for support": not about mediation
        if clues.EITHER_WAY.search(self.text, max(start, match.start - 10), match.start):
            return []  # "with or without mediators": no position on them
        negated = NEGATION.search(self.text, max(start, match.start - 40), match.start)
        if negated and clues.SELF_NEGATED.match(self.text, match.start):
            negated = None
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
        if clues.WHETHER.search(self.text, max(start, match.start - 40), match.start):
            return []  # "asked whether the US brokered the ceasefire": a question, no claim
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
            if stance == cue.party_stance and clues.SIGNING.search(
                self.text, max(start, match.start - 20), match.start
            ):
                continue  # "signed the Lahore Declaration": no answer to an outside role
            if (
                stance == "urges_dialogue"
                and each.actor in self.cw.parties
                and self._asks_outside(match, each)
            ):
                stance = "welcomes_mediation"  # "Pakistan urges the US to help resolve Kashmir"
            wisher = self._wished_offer(match, each, stance)
            if wisher is not None:
                out.append(
                    StanceHit(wisher.actor, "welcomes_mediation", 0.8, self.text, "wished_offer")
                )
                continue
            if cue.reported_by_other == "drop":
                reporter = actor_roles.reporter(self.text, self.hits, each.start)
                if (
                    reporter is not None
                    and reporter.actor != each.actor
                    # "..., after Pakistan's Foreign Office said it welcomed": it speaks itself
                    and not actor_roles.reporter(self.text, [each], match.start)
                    # "... sources said X, while Sharif thanked ...": another clause's reporter
                    and not clues.CLAUSE_LINK.search(self.text, reporter.end, each.start)
                ):
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

    def _about_process(self, match: CueMatch, active: list[CueMatch], start: int, end: int) -> bool:
        """A peace-process word after the cue, or an offer inside what it covers ("thanked the
        Kingdom for its offer to help resolve the crisis")."""
        if self.cw.process_words.search(self.text, match.start, end):
            return True
        if clues.PEACE.search(self.text, match.end, end):
            return True  # "thanked the US President for his leadership and role for peace"
        reach = self._scope(match, start, end)[1]
        return any(
            m.cue.stance == "offers_mediation" and match.end <= m.start < reach for m in active
        )

    def _wished_offer(self, match: CueMatch, actor: ActorHit, stance: str) -> ActorHit | None:
        """ "Imran Khan said the US could help bring the two together": what a side says an
        outsider could or should do is the side's wish, not the outsider's offer."""
        if stance != "offers_mediation" or actor.actor in self.cw.parties:
            return None
        if not (
            clues.MODAL_BEFORE.search(self.text, max(0, match.start - 30), match.start)
            or clues.MODAL_START.match(self.text, match.start)
        ):
            return None
        reporter = actor_roles.reporter(self.text, self.hits, actor.start)
        if reporter is None or reporter.actor not in self.cw.parties:
            return None
        return reporter

    def _quoted_label(self, match: CueMatch) -> bool:
        """A quoted cue naming someone's message ("the PM's 'no mediation' message"), with no
        actor owning it ("Jaishankar's 'no mediation' message" is India's)."""
        if not (
            clues.QUOTE_OPEN.search(self.text, max(0, match.start - 1), match.start)
            and clues.LABEL_NOUN_AFTER.match(self.text, match.end)
        ):
            return False
        return not any(
            clues.POSSESSIVE_QUOTE.fullmatch(self.text, h.end, match.start) for h in self.hits
        )

    def _runs_into_clause(self, match: CueMatch) -> bool:
        """Does the cue's gap cross into another clause ("sought the ceasefire, US played no
        role"), not just along a list of names ("hopes India, Pakistan will settle")?"""
        return any(
            not any(h.end == found.start() for h in self.hits)
            for found in clues.NEW_CLAUSE.finditer(self.text, match.start, match.end)
        )

    def _asks_outside(self, match: CueMatch, actor: ActorHit) -> bool:
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

    def _claim(self, reporter: ActorHit, match: CueMatch, end: int) -> list[StanceHit]:
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
