"""Back-references across an item's sentences: "Erdogan offers help on Kashmir. Islamabad welcomed
the offer." The summary often names an offer, proposal or call only as "the offer", "his offer",
"the President's proposal" or "its call". Where exactly one outside party (not India or Pakistan)
was named before it in the item, headline included, the reference is rewritten to that party's
name ("Turkey's offer") so the ordinary cues read it; with two or more candidates it is left alone
(never a guess between competing offerers). Likewise a sentence opened by an unnamed subject:
"He said ..." / "A day earlier he spoke ..." is the one actor earlier sentences had act, and
"The prime minister appreciated ..." the one actor named earlier under that title.
"""

from __future__ import annotations

import re

from monitor.matching.compiled import REPORTING, ActorHit, CompiledWatchlist
from monitor.matching.sentences import speaker_spans

# "the offer", "his offer", "the President's proposal", "its call for", "the minister's offer"
_BACK_REFERENCE = re.compile(
    # "such references", "these remarks": the outsider's words a side answers
    r"\b(?:such|these|those)\s+"
    r"(?=(?:remarks|comments|references|observations|request|requests|claim|claims)\b)|"
    r"\b(?:the|his|her|its)\s+"
    r"(?:(?:president|prime\s+minister|(?:foreign\s+)?minister|emir|crown\s+prince|envoy|"
    r"secretary|secretary-general|king|grouping|organisation|organization|bloc)['’]s\s+)?"
    r"(?:(?:latest|earlier|mediation|peace|own|sincere|repeated|renewed|fresh|new)\s+)?"
    r"(?=(?:offer|proposal|call|appeal|demand|claim)s?\b)",
    re.I,
)
# a sentence opened by an unnamed speaker: "He said ...", "The minister told reporters ..."
_SPEAKER = re.compile(
    r"^(?:he|she|the\s+(?:president|prime\s+minister|(?:foreign\s+)?minister|"
    r"foreign\s+secretary|spokes(?:person|man|woman)|emir|crown\s+prince|envoy))\s+"
    r"(?=(?:has\s+)?(?:repeatedly\s+|also\s+|later\s+)?"
    r"(?:said|says|told|added|insisted|stressed|reiterated)\b)",
    re.I,
)
# "He spoke to both leaders", "A day earlier, she urged ...": a pronoun subject after at most a
# short time phrase (the speech-verb forms are _SPEAKER's)
_PRONOUN_SUBJECT = re.compile(
    r"^(?:(?:(?:a|one|two|three)\s+(?:day|days|week|weeks)\s+|hours\s+)?(?:earlier|later)|"
    r"meanwhile|separately|(?:on|last)\s+[A-Z]\w+)?,?\s*(?:he|she)\s+(?=[a-z])"
    # "It reaffirmed its position": a body, only before a verb of stating or urging
    r"|^it\s+(?=(?:also\s+)?(?:reaffirmed|reiterated|said|urged|called|stressed|welcomed|"
    r"expressed|added|noted|underscored|emphasi[sz]ed|appealed|offered)\b)",
    re.I,
)
# ", he said" after a quote or a clause: the speaker named in the sentence before
_PRONOUN_TAIL = re.compile(
    r"[,\"”]\s+(he|she)\s+(?:said|says|added|told|stressed|noted|insisted)\b", re.I
)
# a sentence opened by a bare title: "The prime minister appreciated the offer"
_TITLE = (
    r"(?:prime\s+minister|president|foreign\s+minister|foreign\s+secretary|"
    r"secretary\s+of\s+state|secretary-general|emir|crown\s+prince|chancellor|king)"
)
# (an aside may follow: "The prime minister, according to his office, urged ...")
_TITLED_OPENING = re.compile(rf"^the\s+({_TITLE})\s*(?:,[^,]{{1,40}},\s*)?(?=[a-z])", re.I)
# the title right before a name: "Prime Minister Shehbaz Sharif", "Iranian President Masoud ..."
_NAME_WORDS = r"(?:\s+[A-Z][\w.'’-]*){0,2}\s*$"
# "the offer" inside "the offer of subsidised packages" is no mediation offer: the cues decide,
# this only names whose offer it is.


def _outside_before(
    cw: CompiledWatchlist,
    earlier: list[list[tuple[str, ActorHit]]],
    hits: list[ActorHit],
    at: int,
    acting_only: bool = False,
) -> set[str]:
    """The outside parties named before `at`: those that acted (non-oblique) if that settles
    it, else all ("the Chinese side reiterated ... the UN Charter. India rejected such
    references": China's, not the UN's). A pronoun ("his call") needs one that acted: "on the
    sidelines of the UN General Assembly, Imran ... his call" is Imran's own."""
    before = [hit for sentence in earlier for _, hit in sentence]
    before += [h for h in hits if h.end <= at]
    outside = [h for h in before if h.actor not in cw.parties]
    acting = {h.actor for h in outside if not h.oblique}
    if len(acting) == 1 or acting_only:
        return acting
    return {h.actor for h in outside}


def _titled_before(earlier: list[list[tuple[str, ActorHit]]], title: str) -> str | None:
    """The one actor an earlier sentence named under this title, if exactly one."""
    named = r"\b" + re.escape(title).replace(r"\ ", r"\s+")
    before, inside = re.compile(named + _NAME_WORDS, re.I), re.compile(named, re.I)
    found = {
        hit.actor
        for each in earlier
        for sentence, hit in each
        if before.search(sentence, max(0, hit.start - 60), hit.start)
        or inside.search(sentence, hit.start, hit.end)  # an alias holding its title
    }
    return found.pop() if len(found) == 1 else None


def _speaking_actor(sentence: str, hits: list[ActorHit]) -> str | None:
    """The actor a sentence names as its speaker ("..., MEA spokesperson Jaiswal said",
    "External Affairs Minister Jaishankar said there was ...")."""
    # the sentence's own subject with its verb of saying first ("Pakistan's envoy Lodhi said
    # the Security Council's meeting ..." is Pakistan speaking, not the Council)
    speaking = [h for h in hits if not h.oblique and REPORTING.match(sentence, h.end)]
    if speaking:
        return speaking[0].actor
    for start, end in speaker_spans(sentence):
        inside = [h for h in hits if start <= h.start and h.end <= end and not h.oblique]
        if inside:
            return inside[0].actor
    return None


def _name_of(cw: CompiledWatchlist, actor: str) -> str:
    """A name the alias search reads back as this actor (its first alias: "Turkey", "US")."""
    known = cw.actors[actor]
    return (known.aliases or known.aliases_case_sensitive or (known.name,))[0]


def resolve_back_references(
    cw: CompiledWatchlist, sentences: list[str], hits_of: list[list[ActorHit]]
) -> list[str]:
    """The sentences with their back-references rewritten where exactly one outside party can be
    meant (the headline, sentence 0, is never rewritten: it has nothing before it)."""
    out: list[str] = []
    earlier: list[list[tuple[str, ActorHit]]] = []
    for index, (sentence, hits) in enumerate(zip(sentences, hits_of, strict=True)):
        rewritten = sentence
        if index > 0:
            speaker = _SPEAKER.match(sentence) or _PRONOUN_SUBJECT.match(sentence)
            subjects = {h.actor for each in earlier for _, h in each if not h.oblique}
            if speaker and len(subjects) == 1:
                # the only actor any earlier sentence had act: "Lavrov urged restraint. He said"
                (actor,) = subjects
                sentence = f"{_name_of(cw, actor)} {sentence[speaker.end() :]}"
            titled = _TITLED_OPENING.match(sentence)
            if titled:  # (a rewritten opening no longer starts with "The")
                actor = _titled_before(earlier, titled.group(1))
                if actor is not None:
                    sentence = f"{_name_of(cw, actor)} {sentence[titled.end() :]}"
            tail = _PRONOUN_TAIL.search(sentence)
            # the last earlier sentence that names its speaker (a quote may span sentences)
            previous = next(
                (
                    found
                    for back in range(index - 1, -1, -1)
                    if (found := _speaking_actor(sentences[back], hits_of[back])) is not None
                ),
                None,
            )
            if tail and previous is not None:
                # "X said. ..., he said": the one who spoke in the sentence before
                name = _name_of(cw, previous)
                sentence = f"{sentence[: tail.start(1)]}{name}{sentence[tail.end(1) :]}"
            if sentence is not sentences[index]:
                hits = cw.actor_hits(sentence)
            pieces: list[str] = []
            pos = 0
            for m in _BACK_REFERENCE.finditer(sentence):
                pronoun = m.group().lower().startswith(("his", "her", "its"))
                candidates = _outside_before(cw, earlier, hits, m.start(), acting_only=pronoun)
                if len(candidates) != 1:
                    continue
                (actor,) = candidates
                alias = _name_of(cw, actor)
                pieces.append(sentence[pos : m.start()])
                pieces.append(f"{alias}'s ")
                pos = m.end()
            rewritten = "".join(pieces) + sentence[pos:] if pieces else sentence
        earlier.append([(sentence, h) for h in hits])
        out.append(rewritten)
    return out
