"""A watchlist compiled to regular expressions, once, for fast matching.

Compiled regex alternations are used rather than Aho-Corasick: alias search only runs on the few
items that pass the dispute gate, so it is not where the time goes (see BENCHMARKS.md, Matcher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.matching.phrases import alternation, compile_classes, normalise_alias
from monitor.matching.watchlist import Actor, Cue, Topic, Watchlist

_I = re.IGNORECASE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class ActorHit:
    """One alias found in a sentence."""

    actor: str
    start: int
    end: int
    oblique: bool  # object of a preposition ("talks with Islamabad"): never a subject
    compound: bool = False  # part of "India-Pakistan": a modifier


@dataclass(frozen=True)
class CompiledCue:
    cue: Cue
    regex: re.Pattern[str]


@dataclass(frozen=True)
class CompiledTopic:
    topic: Topic
    regex: re.Pattern[str]


# Words after which an actor is an object, not the one acting ("between India and Pakistan").
PREPOSITIONS = _words(
    "with to between from against on over of for by at in into toward towards about than "
    "among across along alongside amid within upon via like including and or nor"
)
NEGATION = re.compile(
    r"(?:\b(?:not|never|no|nor|neither|without|hardly|cannot)\b|n[’']t\b)"
    r"(?:\W+\w+){0,2}\W*$",
    _I,
)
REPORTING = re.compile(
    # up to four words between the actor and the verb, not across a comma ("if both Pakistan
    # and India accept them, his spokesman said": India is no reporter)
    r"(?:['’]s?)?\W{0,3}(?:\w+[^\w,;:]+){0,4}?(?:said|says|say|told|tells|claimed|"
    r"claims|claim|stated|asserted|tweeted|announced)\b",
    _I,
)
MODIFIER_GAP = re.compile(
    r"^(?:['’]s?)?(?:\s+(?!(?:for|of|to|in|on|with|by|from|at|against|and|"
    r"that|the|a|an|is|was|has|had|said|says)\b)[A-Za-z]+(?:['’]s?)?){0,2}\s+$"
    # "Beijing's 'mediation' claim": a quoted noun right after the possessive
    r"|^['’]s?\s+['‘\"“]$"
    # "US-brokered talks": a hyphenated compound
    r"|^[-–]$"
)


class _Anchors:
    """The longest word of each phrase, looked for as a plain substring before any regex runs:
    most items contain none of them, and `in` is far cheaper than a regex search."""

    def __init__(self, phrases: list[str], phrases_case_sensitive: list[str]) -> None:
        self.folded = tuple(sorted({_longest_word(p).casefold() for p in phrases}))
        self.exact = tuple(sorted({_longest_word(p) for p in phrases_case_sensitive}))

    def any_in(self, raw: str, lower: str) -> bool:
        return any(a in lower for a in self.folded) or any(a in raw for a in self.exact)


def _longest_word(phrase: str) -> str:
    words = re.split(r"[\s\-–]+", phrase.replace("*", ""))
    return max(words, key=len)


def _alias_regexes(
    actors: tuple[Actor, ...],
) -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str] | None, dict[str, str]]:
    folded = {normalise_alias(a): actor.id for actor in actors for a in actor.aliases}
    exact = {
        re.sub(r"[\s\-–]+", " ", a): actor.id
        for actor in actors
        for a in actor.aliases_case_sensitive
    }
    ci = re.compile(
        alternation(folded_alias for actor in actors for folded_alias in actor.aliases), _I
    )
    cs_aliases = [a for actor in actors for a in actor.aliases_case_sensitive]
    cs = re.compile(alternation(cs_aliases, case_sensitive=True)) if cs_aliases else None
    return ci, folded, cs, exact


def _topic_regex(topic: Topic) -> re.Pattern[str]:
    parts = []
    if topic.terms:
        parts.append("(?i:" + alternation(topic.terms) + ")")
    if topic.terms_case_sensitive:
        parts.append(alternation(topic.terms_case_sensitive, case_sensitive=True))
    return re.compile("|".join(parts))


class CompiledWatchlist:
    """Regexes and lookups built once per watchlist."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self.actors = {a.id: a for a in watchlist.actors}
        self.parties = frozenset(watchlist.parties)
        self.alias_ci, self.alias_folded, self.alias_cs, self.alias_exact = _alias_regexes(
            watchlist.actors
        )
        self.topics = [CompiledTopic(t, _topic_regex(t)) for t in watchlist.topics]
        dispute = [t for t in watchlist.topics if t.kind in ("dispute", "region")]
        self.dispute_gate = re.compile("|".join(_topic_regex(t).pattern for t in dispute))
        # Each party's aliases: naming every party counts as the dispute.
        self.party_gates = [self._party_regex(self.actors[p]) for p in watchlist.parties]
        self.dispute_anchors = _Anchors(
            [t for t in dispute for t in t.terms],
            [t for t in dispute for t in t.terms_case_sensitive],
        )
        one_party = [t for t in watchlist.topics if t.with_one_party]
        self.one_party_anchors = _Anchors(
            [term for topic in one_party for term in topic.terms],
            [term for topic in one_party for term in topic.terms_case_sensitive],
        )
        self.one_party_gate = re.compile(
            "|".join(_topic_regex(t).pattern for t in one_party) or "(?!)"
        )
        self.party_anchors = [
            _Anchors(list(self.actors[p].aliases), list(self.actors[p].aliases_case_sensitive))
            for p in watchlist.parties
        ]
        classes = compile_classes(watchlist.terms)
        self.classes = classes  # regex sources of the [terms] classes, for rules in code
        self.cues = [
            CompiledCue(c, re.compile(alternation(c.phrases, classes), _I)) for c in watchlist.cues
        ]
        process = [t for t in watchlist.topics if t.kind == "process"]
        self.process_words = re.compile(
            "|".join(_topic_regex(t).pattern for t in process) or "(?!)"
        )
        mediation = [t for t in self.topics if t.topic.id == "mediation"]
        self.mediation_words = mediation[0].regex if mediation else None
        # outside parties named without a state ("the international community")
        world = watchlist.terms.get("world")
        self.world_words = re.compile(classes["world"], _I) if world else None
        # words that name the outside role itself ("third-party mediation", "good offices")
        third = watchlist.terms.get("third_party")
        self.third_party_words = re.compile(classes["third_party"], _I) if third else None

    @staticmethod
    def _party_regex(actor: Actor) -> re.Pattern[str]:
        parts = ["(?i:" + alternation(actor.aliases) + ")"]
        if actor.aliases_case_sensitive:
            parts.append(alternation(actor.aliases_case_sensitive, case_sensitive=True))
        return re.compile("|".join(parts))

    def may_concern(self, raw: str) -> bool:
        """The fast gate: does the text name the dispute, its region, or every party?"""
        lower = raw.lower()
        if self.dispute_anchors.any_in(raw, lower) and self.dispute_gate.search(raw):
            return True
        named = [
            bool(anchors.any_in(raw, lower) and gate.search(raw))
            for anchors, gate in zip(self.party_anchors, self.party_gates, strict=True)
        ]
        if all(named):
            return True
        # one party and a topic that may make it the dispute (see Matcher._dispute)
        return (
            any(named)
            and self.one_party_anchors.any_in(raw, lower)
            and bool(self.one_party_gate.search(raw))
        )

    def actor_hits(self, sentence: str) -> list[ActorHit]:
        """Aliases in a sentence, longest first on overlaps, in text order."""
        found: list[tuple[int, int, str]] = []
        for m in self.alias_ci.finditer(sentence):
            actor = self.alias_folded.get(normalise_alias(m.group()))
            if actor:
                found.append((m.start(), m.end(), actor))
        if self.alias_cs is not None:
            for m in self.alias_cs.finditer(sentence):
                actor = self.alias_exact.get(re.sub(r"[\s\-–]+", " ", m.group()))
                if actor:
                    found.append((m.start(), m.end(), actor))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        hits: list[ActorHit] = []
        last_end = -1
        for start, end, actor in found:
            if start < last_end:
                continue  # inside a longer alias already taken ("US" in "US President")
            if (
                hits
                and hits[-1].actor != actor
                and _TITLE_ONLY.match(sentence, start, end)
                and COMPOUND_GAP.match(sentence[hits[-1].end : start])
            ):
                continue  # "the OIC Secretary-General": another body's office-holder
            oblique = self._oblique(sentence, start, end, actor, hits)
            compound = (
                bool(hits)
                and hits[-1].actor != actor
                and bool(COMPOUND_GAP.match(sentence[hits[-1].end : start]))
            )
            if compound:
                hits[-1] = ActorHit(hits[-1].actor, hits[-1].start, hits[-1].end, True, True)
            if _possessive_of_thing(sentence, end):
                oblique = True  # "Erdogan's remarks ... unacceptable": the remarks are the subject
            if (
                hits
                and hits[-1].actor != actor
                and _POSSESSIVE_GAP.fullmatch(sentence, hits[-1].end, start)
                and _ENVOY_AFTER.match(sentence, end)
            ):
                oblique = True  # "China's UN ambassador Zhang Jun": China's envoy to the UN
            if _NOUN_ADJUNCT.match(sentence, end) or _DOCUMENT_AFTER.match(sentence, end):
                oblique = True  # "India says US mediation claim false": US qualifies a noun
            hits.append(ActorHit(actor, start, end, oblique, compound))
            last_end = end
        return hits

    @staticmethod
    def _oblique(sentence: str, start: int, end: int, actor: str, before: list[ActorHit]) -> bool:
        if before:
            gap = sentence[before[-1].end : start]
            if (
                before[-1].actor != actor
                and COMPOUND_GAP.match(gap)
                # not "Ambassador to the UN Maleeha Lodhi": a named person after a body
                and not (before[-1].oblique and gap == " " and " " in sentence[start:end])
            ):
                return True  # "India-Pakistan ceasefire": a modifier, not an agent
            if before[-1].actor == actor and _POSSESSIVE_GAP.fullmatch(gap):
                # "from India's Jaishankar and Pakistan's Ishaq Dar": where its state stands
                # (the state's own possessive flag aside)
                state = before[-1]
                return CompiledWatchlist._oblique(
                    sentence, state.start, state.end, actor, before[:-1]
                )
            if LIST_GAP.match(gap):
                # "between India and Pakistan"; a comma after a compound starts a new clause
                # ("on India-Pak, Russia drops hints"), and so does one after a fronted place
                # or time ("In Iran, Pakistan PM expresses ...")
                fronted = "," in gap and _FRONTED.match(sentence[: before[-1].start])
                return (
                    before[-1].oblique
                    and ("," not in gap or not before[-1].compound)
                    and not fronted
                    and not ("," in gap and _SAID_AFTER.match(sentence, end))
                )
        if _INDO.search(sentence, max(0, start - 6), start):
            return True  # "Indo-Pak issues": a compound modifier
        window_start = max(0, start - 60)
        if before and before[-1].actor != actor and sentence[before[-1].end : start] == " ":
            # "Ambassador to the UN Maleeha Lodhi": the "to" governs the UN, not the person
            window_start = max(window_start, before[-1].end)
        window = sentence[window_start:start]
        cut = max(window.rfind(mark) for mark in ':;,"“”(—–')
        words = _WORD.findall(window[cut + 1 :])
        # skip names and titles back to the word that governs them ("to NSA Doval")
        for index in range(len(words) - 1, max(-1, len(words) - 7), -1):
            word = words[index]
            lower = word.lower()
            title_inside = lower in ("of", "for") and index > 0 and words[index - 1][0].isupper()
            if lower in ADDRESSEE_VERBS:
                return True  # "Modi tells Trump ...": Trump is spoken to
            if lower in PREPOSITIONS and not title_inside:
                return lower not in ("and", "or", "nor") and not _absolute_with(
                    lower, sentence, start
                )
            if not (
                title_inside or word[0].isupper() or lower in ROLE_WORDS or lower in ("'s", "’s")
            ):
                return False
        return False


def _absolute_with(preposition: str, sentence: str, start: int) -> bool:
    """ "with Lavrov emphasizing ...": the actor after "with" is doing something."""
    return preposition == "with" and bool(_GERUND_AFTER.match(sentence, start))


_WORD = re.compile(r"[A-Za-z]+|['’]s\b")
_FRONTED = re.compile(
    r"^\W*(?:In|At|From|During|After|Before|Amid|On|Speaking in|According to|Citing|Quoting|Per)\s+$"
)
_TITLE_ONLY = re.compile(r"Secretary[\s-]+General\b")
# (prepositions ending in -ing are no gerund: "with US leaders during Operation Sindoor")
_GERUND_AFTER = re.compile(
    r"[\w.'’ -]{0,25}?\b(?!(?:during|including|according|regarding|concerning|following)\b)"
    r"\w+ing\b"
)
COMPOUND_GAP = re.compile(r"^\s*[-–/]\s*$|^ $")
_ENVOY_AFTER = re.compile(
    r"\s+(?:permanent\s+)?(?:envoy|ambassador|representative|mission|delegate)\b", re.I
)
_POSSESSIVE_GAP = re.compile(r"['’]s?\s+")
_INDO = re.compile(r"\bIndo[-–]$", re.I)
# "... between India and Pakistan, Misri said": a speaker after the list, not one more member
_SAID_AFTER = re.compile(
    r"\s+(?:said|says|told|tells|added|stated|noted|insisted|claimed|maintained|declared)\b"
)
LIST_GAP = re.compile(r"^\s*(?:,|and|&|or|nor)\s*(?:the\s+)?$")
# "X's <noun>": X is only a modifier, unless the noun is X's own institution or office-holder
# ("Pakistan's Foreign Ministry welcomed ...", "the UN chief's spokesman said ...").
_POSSESSIVE_NEXT = re.compile(r"['’]s?\s+([\w-]+)(?:\s+([\w-]+))?(?:\s+([\w-]+))?")
INSTITUTION_WORDS = _words(
    "foreign prime president pm fm nsa army military government ministry minister office "
    "official officials envoy ambassador spokesperson spokesman spokeswoman mission "
    "embassy delegation leader leaders leadership chief deputy defence defense external "
    "cabinet parliament president-elect secretary mea fo dgmo representative side "
    "establishment administration diplomats diplomat premier emir king crown sultan "
    "chancellor vice monarch sheikh"
)


# an actor used as a noun's modifier ("US mediation", "Chinese proposal"), never a subject; not
# "offer(s)"/"claim(s)", which are verbs as often ("US offers to mediate")
_NOUN_ADJUNCT = re.compile(
    r"\s+(?:mediation|mediator|mediators|proposal|proposals|intervention|brokering|involvement)"
    r"\b(?!\s+(?:is|are|was|were|has|have|had|will|would|can|could|may|might)\b)",
    re.I,
)


# "Security Council resolutions", "the UN Charter": a body's documents, not the body acting
_DOCUMENT_AFTER = re.compile(r"\s+(?:resolution|resolutions|charter)\b", re.I)


def _possessive_of_thing(sentence: str, end: int) -> bool:
    found = _POSSESSIVE_NEXT.match(sentence, end)
    if not found:
        return False
    if _PERSON_SPEAKING.match(sentence, found.start()):
        return False  # "Pakistan's Tariq Fatemi said": its official speaking
    return not any(w and w.lower() in INSTITUTION_WORDS for w in found.groups())


# "'s" then a person's name (two or three capitalised words) and a verb of saying
_PERSON_SPEAKING = re.compile(
    r"['’]s?\s+(?:[A-Z][\w.'’-]*\s+){1,3}(?:said|says|told|tells|added|stated)\b"
)


ADDRESSEE_VERBS = _words(
    "tell tells told telling inform informs informed assure assures assured remind reminds reminded "
    # "asks China, Turkey to press India": the ones asked are objects too
    "ask asks asked asking urge urges urged urging encourage encourages encouraged encouraging "
    # "Responding to Sharif crediting Trump, India said": the one credited or blamed is no agent
    "crediting thanking praising blaming accusing quoting citing "
    # "briefed Beijing on ...", "bring Pakistan and India to the table": objects too
    "brief briefs briefed briefing bring brings brought bringing "
    # "Pakistan wanted the United States to help": the one wanted to act is asked, not acting
    "want wants wanted wanting "
    # "visits Islamabad": the place visited is no agent; nor the one met or phoned
    "visit visits visited visiting meet meets met phoned phones "
    # "Addressing the SCO summit, Shehbaz said": the body addressed is no agent
    "address addresses addressed addressing"
)
ROLE_WORDS = _words(
    "counterpart president minister prime foreign chief secretary spokesperson spokesman "
    "envoy officials official ambassador deputy general leader premier his her its their "
    "the national security adviser advisor"
)
