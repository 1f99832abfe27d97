"""Who does what a cue says when no governing cue owns it: the subject, the speaker, a
possessive owner, the passive's agent, or nobody (an unnamed teller, a pair being described).

`SentenceActors` holds one sentence's actor hits and its speaker; `stances.py` builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.matching import actor_roles, clues
from monitor.matching.compiled import LIST_GAP, ActorHit, CompiledWatchlist
from monitor.matching.sentences import speaker_spans
from monitor.matching.watchlist import NO_STANCE, Cue


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    start: int
    end: int


def find_cues(cw: CompiledWatchlist, sentence: str, start: int, end: int) -> list[CueMatch]:
    # Overlapping matches on purpose: "thanks the UN for welcoming the ceasefire" holds two cues.
    found: list[CueMatch] = []
    for compiled in cw.cues:
        pos = start
        while pos < end:
            m = compiled.regex.search(sentence, pos, end)
            if m is None:
                break
            found.append(CueMatch(compiled.cue, m.start(), m.end()))
            pos = m.start() + 1
    found.sort(key=lambda c: c.start)
    return found


class SentenceActors:
    """The actors of one sentence and the rules that pick a cue's agent among them."""

    def __init__(self, cw: CompiledWatchlist, sentence: str, hits: list[ActorHit]) -> None:
        self.cw = cw
        self.text = sentence
        self.hits = hits
        # the text with its asides blanked, for rules that read commas as clause ends
        self.without_asides = clues.ASIDES.sub(lambda m: "x" * len(m.group()), sentence)
        self.speaker_span: tuple[int, int] | None = None
        self.speaker = self._speaker()

    def _speaker(self) -> ActorHit | None:
        # the whole sentence first, then each part of a "X, says ISPR; Trump tells ..." teaser
        spans = speaker_spans(self.text)
        offset = 0
        for part in self.text.split(";") if ";" in self.text else ():
            spans += [(offset + a, offset + b) for a, b in speaker_spans(part)]
            offset += len(part) + 1
        for start, end in spans:
            inside = [h for h in self.hits if start <= h.start and h.end <= end and not h.oblique]
            if inside:
                self.speaker_span = (start, end)
                return inside[0]
        return None

    def _first_subject(self, start: int, end: int) -> ActorHit | None:
        return next(
            (h for h in self.hits if start <= h.start and h.end <= end and not h.oblique), None
        )

    def _agent(
        self, match: CueMatch, start: int, end: int, previous_subject: ActorHit | None
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
        if clues.RELATIVE_SUBJECT.search(self.text, start, match.start):
            return None, 0.0  # "commended countries that helped secure it": not the clause's act
        subject = actor_roles.subject(self.hits, start, match.start, self.text)
        subject = actor_roles.complement_subject(self.text, self.hits, subject, match.start)
        tail = clues.CONTINUATION.search(self.without_asides, start, match.start)
        if (
            tail
            and subject is not None
            and subject.end <= tail.start()
            # "hopes Pakistan and India will exercise restraint, meet halfway and work together
            # to ...": the verbs listed after a side's own modal are still that side's
            and not clues.MODAL.match(self.text, subject.end, tail.start())
        ):
            first = self._first_subject(start, match.start)
            if first is not None and first not in self._coordinated(subject):
                subject = first
        if (
            subject is not None
            and cue.stance == "rejects_mediation"
            and (
                self._told_of(subject, match)
                # a broad "keeping outsiders out" reading is a side's: "The MEA said China is
                # aware of India's position and it is not for other countries to comment"
                or (cue.fallback and subject.actor not in self.cw.parties)
            )
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
            and not clues.MODAL.match(self.text, subject.end)
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
        if subject is not None and subject.actor in self.cw.parties:
            # "Moscow hopes New Delhi and Islamabad will settle ... on a bilateral basis": the
            # sides are what the hoper hopes for; the hoper takes the stance
            group_start = self._coordinated(subject)[-1].start
            hoper = self._first_subject(start, group_start)
            if (
                hoper is not None
                and hoper.actor not in self.cw.parties
                and clues.HOPES_THAT.search(self.text, hoper.end, group_start)
            ):
                # what the sides are hoped to do is nobody's offer
                return (None, 0.0) if cue.stance == "offers_mediation" else (hoper, 0.9)
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
        teller = self.speaker or actor_roles.reporter(
            self.text, self.hits, subject.start if subject else 0
        )
        if (
            subject is not None
            and teller is not None
            and subject.actor in self.cw.parties
            and teller.actor != subject.actor
            and clues.PRESCRIPTIVE.search(self.text, subject.end, match.start)
        ):
            # "Jaishankar: Pakistan must talk to us, not via others"; "Mahathir had told the
            # Assembly that India should work with Pakistan" (a call on a side, no offer)
            if cue.stance == "offers_mediation":
                return None, 0.0
            return teller, 0.85
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
                # the headline's subject right after the comma, not "..., adding that India"
                and clues.RIGHT_AFTER_COMMA.search(self.text, match.end, h.start)
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
        # the telling may sit before the clause ("Responding to X, she said: 'India and ...'")
        told = clues.TOLD_BEFORE.search(self.text, 0, at)
        return told is not None and not any(
            min(start, told.start()) <= h.start < at and not h.oblique for h in self.hits
        )

    def _told_of(self, subject: ActorHit, match: CueMatch) -> bool:
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
