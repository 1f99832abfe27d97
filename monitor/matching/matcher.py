"""The watchlist matcher: is an item about the dispute and third-party mediation or dialogue, who
is named, and which stance does the item report for each actor (with the sentence that says so).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from monitor.matching.compiled import ActorHit, CompiledWatchlist
from monitor.matching.coreference import resolve_back_references
from monitor.matching.implied import implied_stances
from monitor.matching.participles import participle_stances
from monitor.matching.precedence import best_hits, is_credit
from monitor.matching.records import Match, Mention
from monitor.matching.sentences import clean, split_sentences
from monitor.matching.shorthand import with_government
from monitor.matching.stances import StanceHit, sentence_stances
from monitor.matching.watchlist import DEFAULT_WATCHLIST, Watchlist, load_watchlist

PAIR_DISPUTE = 0.9  # both parties named, or the region with an outside party
ONE_SIDE_DISPUTE = 0.65  # one party welcoming/rejecting an outside role (see _dispute)
ONE_SIDE_STANCES = ("welcomes_mediation", "rejects_mediation")
# may name the outside party as "the world" or as outsiders kept out ("third countries")
OUTSIDERS_CUE = "outsiders_excluded"  # "no other country was involved"
WORLD_CUES = ("welcome_outside", "request_outside", OUTSIDERS_CUE)
DECOY_FACTOR = 0.35  # a decoy topic (cricket, weather...) with no explicit mediation word
ELSEWHERE_FACTOR = 0.6  # another conflict named, the dispute only through the two parties
MAX_RAW_CHARS = 100_000  # before markup is stripped
MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 6_000
NOT_RELEVANT = Match(relevant=False, score=0.0)


BOTH_SIDES = re.compile(r"\b(?:both sides|the two sides|both countries|the two countries)\b", re.I)


class Matcher:
    """Matches items against one watchlist (the default Kashmir one unless given)."""

    def __init__(self, watchlist: Watchlist | Path | str | None = None) -> None:
        if watchlist is None or isinstance(watchlist, (str, Path)):
            watchlist = load_watchlist(watchlist or DEFAULT_WATCHLIST)
        self.watchlist = watchlist
        self.compiled = CompiledWatchlist(watchlist)

    def match(self, title: str, summary: str = "") -> Match:
        """The verdict on one item (title and summary as a feed gives them, markup allowed)."""
        cw = self.compiled
        title, summary = title[:MAX_RAW_CHARS], summary[:MAX_RAW_CHARS]
        raw = f"{title}\n{summary}" if summary else title
        # Fast gate: most items name neither the dispute, its region, nor both parties.
        if not cw.may_concern(raw):
            return NOT_RELEVANT
        # feed text is hostile: bound the work per item (a headline and a summary are short)
        title = clean(title)[:MAX_TITLE_CHARS]
        summary = clean(summary)[:MAX_SUMMARY_CHARS]
        sentences = ([title] if title else []) + split_sentences(summary)
        text = "\n".join(sentences)
        topics = {t.topic.id: t.topic for t in cw.topics if t.regex.search(text)}
        named: dict[str, str] = {}
        stance_hits: list[StanceHit] = []
        first_hits = [with_government(cw, s, cw.actor_hits(s)) for s in sentences]
        resolved = resolve_back_references(cw, sentences, first_hits)
        for original, sentence, hits in zip(sentences, resolved, first_hits, strict=True):
            for hit in hits:
                named.setdefault(hit.actor, original)
            if sentence is not original:
                hits = with_government(cw, sentence, cw.actor_hits(sentence))
            found = sentence_stances(cw, sentence, hits)
            found += participle_stances(cw, sentence, hits)
            found += implied_stances(cw, sentence, hits)
            if sentence is not original:  # evidence is what the item said
                found = [replace(h, evidence=original) for h in found]
            stance_hits.extend(found)
        dispute = self._dispute(topics, named, stance_hits, text)
        if title and self._elsewhere(title, first_hits[0]):
            dispute = 0.0  # about another conflict; India-Pakistan only in passing below
        score = self._score(dispute, topics, stance_hits) if dispute else 0.0
        if score < self.watchlist.threshold:
            return Match(relevant=False, score=score, topics=tuple(sorted(topics)))
        return Match(
            relevant=True,
            score=score,
            mentions=self._mentions(named, stance_hits),
            topics=tuple(sorted(topics)),
        )

    def _dispute(
        self, topics: dict[str, Any], named: dict[str, str], stances: list[StanceHit], text: str
    ) -> float:
        """How surely the item is about the dispute itself (0: not at all)."""
        kinds = {t.kind for t in topics.values()}
        if "dispute" in kinds:
            return 1.0
        parties = self.compiled.parties
        if parties <= named.keys():
            return PAIR_DISPUTE
        outside = any(a not in parties for a in named)
        party_turn = [h for h in stances if h.actor in parties and h.stance in ONE_SIDE_STANCES]
        regions = [t for t in topics.values() if t.kind == "region"]
        if regions and all(t.with_side_stance for t in regions) and not party_turn:
            return 0.0  # "World Bank only a facilitator on the Indus treaty": no side's stance
        if "region" in kinds and (outside or "mediation" in topics):
            return PAIR_DISPUTE
        if "region" in kinds and party_turn and any(h.cue in WORLD_CUES for h in party_turn):
            return PAIR_DISPUTE  # "Pakistan welcomes any role by friendly countries on Kashmir"
        # One side welcoming or rejecting an outside role in a ceasefire or mediation, with no
        # other conflict named: the outside party named ("Pakistan thanks the UN for welcoming
        # the ceasefire") or the role itself ("India will not accept any third-party mediation").
        third_party = self.compiled.third_party_words
        if (
            party_turn
            and not kinds & {"other_conflict", "decoy"}
            and any(t.with_one_party for t in topics.values())
            and (
                outside
                or (third_party is not None and third_party.search(text))
                or any(h.cue == OUTSIDERS_CUE for h in party_turn)
            )
        ):
            return ONE_SIDE_DISPUTE
        # an offer made in so many words (a verb, not "UK court orders mediation")
        offerers = {h.actor for h in stances if h.stance == "offers_mediation" and h.cue == "offer"}
        if (
            len(offerers) == 1
            and set(named) - parties == offerers
            and not kinds & {"other_conflict", "decoy"}
            and ("mediation" in topics or ("dialogue" in topics and BOTH_SIDES.search(text)))
        ):
            # "Iran FM in Islamabad with mediation offer"; "Rubio ... urged both sides to
            # de-escalate, offered US help in starting talks"
            return ONE_SIDE_DISPUTE
        return 0.0

    def _elsewhere(self, title: str, title_hits: list[ActorHit]) -> bool:
        """Is the headline about another conflict: naming it and not the dispute, and either no
        side at all, or one side and a peace step ("Pakistan, Afghanistan agree to ceasefire
        after Doha talks": that conflict's peace step)?"""
        kinds = {t.topic.kind for t in self.compiled.topics if t.regex.search(title)}
        if "other_conflict" not in kinds or kinds & {"dispute", "region"}:
            return False
        sides = {h.actor for h in title_hits} & self.compiled.parties
        return not sides or (sides != self.compiled.parties and "process" in kinds)

    def _score(self, dispute: float, topics: dict[str, Any], stances: list[StanceHit]) -> float:
        # independent signals add up: 1 - prod(1 - w)
        missing = 1.0
        for topic in topics.values():
            if topic.kind == "process":
                missing *= 1.0 - topic.weight
        for hit in stances:
            missing *= 1.0 - hit.confidence
        score = dispute * (1.0 - missing)
        kinds = {t.kind for t in topics.values()}
        # a mediation word and a stance outweigh a decoy only on the dispute itself: "PCB seeks
        # ICC mediation in its row with India" is cricket
        disputed = kinds & {"dispute", "region"}
        if "decoy" in kinds and not ("mediation" in topics and stances and disputed):
            score *= DECOY_FACTOR
        if "other_conflict" in kinds and dispute < 1.0 and not stances:
            score *= ELSEWHERE_FACTOR
        return round(min(1.0, score), 3)

    def _mentions(self, named: dict[str, str], hits: list[StanceHit]) -> tuple[Mention, ...]:
        parties = self.compiled.parties
        best = best_hits([h for h in hits if not h.fallback], parties)
        # a broad verb-class reading only where no precise cue spoke, or only of dialogue
        for actor, hit in best_hits([h for h in hits if h.fallback], parties).items():
            current = best.get(actor)
            if current is None or (
                current.stance == "urges_dialogue"
                and hit.stance != "urges_dialogue"
                # an outsider's own call outranks its welcome of others' efforts (precedence)
                and not is_credit(hit, parties)
            ):
                best[actor] = hit
        mentions = []
        for actor_id, first_sentence in named.items():
            actor = self.compiled.actors[actor_id]
            hit = best.get(actor_id)
            stance = hit.stance if hit else None
            mentions.append(
                Mention(
                    actor=actor_id,
                    stance=stance,
                    evidence=hit.evidence if hit else first_sentence,
                    confidence=hit.confidence if hit else 0.5,
                    baseline=actor.baseline,
                    in_watchlist=actor.in_watchlist,
                    shift=bool(stance and actor.in_watchlist and stance != actor.baseline),
                )
            )
        return tuple(mentions)


def match_to_json(match: Match, item_id: str | None) -> dict[str, Any]:
    """The `match` command's output line for one item."""
    return {
        "id": item_id,
        "relevant": match.relevant,
        "score": match.score,
        "mentions": [
            {
                "actor": m.actor,
                "stance": m.stance,
                "evidence": m.evidence,
                "confidence": m.confidence,
                "baseline": m.baseline,
                "in_watchlist": m.in_watchlist,
                "shift": m.shift,
            }
            for m in match.mentions
        ],
        "topics": list(match.topics),
    }
