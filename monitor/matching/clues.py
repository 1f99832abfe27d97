"""Word-level clues the stance attribution reads around a cue: who is the subject, whether a
phrase is prescriptive, conditional, hypothetical, a claim, a request to an outside party.

Plain regular expressions, kept apart from the attribution logic in stances.py.
"""

from __future__ import annotations

import re

# After the last comma (or "and"), a verb or participle with no actor of its own shares the
# clause's first subject: "Wang speaks to Doval, calls for ceasefire".
CONTINUATION = re.compile(
    r"(?:,\s+(?!(?:which|who|whom|whose|that)\b)|\band\s+(?=\w+ing\b))[^,]*$", re.I
)
# "continued communication is important to reduce tensions": a purpose judged, not an act
EVALUATIVE_TO = re.compile(
    r"\b(?:important|necessary|essential|crucial|vital|imperative|needed|key|helpful|useful)"
    r"\s+(?:for\s+\w+\s+)?$",
    re.I,
)
# "signed the Lahore Declaration": a side signing the framework, not invoking it against others
SIGNING = re.compile(r"\b(?:sign|signs|signed|signing|ink|inked|adopt|adopted)\s+(?:the\s+)?$", re.I)
# "hopes both will exercise restraint ... and work together to cool down": the sides do it
BOTH_DO = re.compile(
    r"\b(?:both|the two)(?:\s+sides|\s+countries|\s+neighbours|\s+neighbors)?\s+"
    # (across a list of their steps, not past a new reporting clause: ", his spokesman said,
    # adding that his good offices are available")
    r"(?:will|would|should|must|can|could|to)\b(?:(?!\b(?:said|says|told|adding|added)\b)[^.;:])*$",
    re.I,
)
# "could help", "can play a role", "could also help bring": a modal at or just before the cue
_MODALS = (
    r"(?:could|can|should|must|has to|have to|needs? to|"
    r"(?:has|had|have)\s+(?:a\s+)?(?:responsibility|duty|obligation)\s+to)"
)
MODAL_START = re.compile(_MODALS + r"\b", re.I)
MODAL_BEFORE = re.compile(r"\b" + _MODALS + r"\s+(?:\w+\s+){0,2}$", re.I)
# "PM's 'no mediation' message": a quoted cue labelling a noun, not a stance of the clause
QUOTE_OPEN = re.compile(r"['‘\"“]$")
POSSESSIVE_QUOTE = re.compile(r"['’]s?\s+['‘\"“]")
LABEL_NOUN_AFTER = re.compile(
    r"['’\"”]\s+(?:message|messages|remark|remarks|stance|line|policy|position|comment|comments|"
    r"statement|mantra|pitch|jibe|jibes|claim|claims|assertion|pledge|vow|slogan|narrative)\b",
    re.I,
)
# a link between two clauses: what is reported before it is not reported after it
CLAUSE_LINK = re.compile(r";|\b(?:while|whereas|but)\b", re.I)
# "hits back", "pushed back": the verb before a cue's "back" makes it a rebuff
PHRASAL_BACK = re.compile(
    r"\b(?:hit|hits|hitting|push|pushes|pushed|pushing|fire|fires|fired|strike|strikes|struck|"
    r"shoot|shoots|shot|fight|fights|fought|come|comes|came|step|steps|stepped|pull|pulls|"
    r"pulled|roll|rolls|rolled)\s+$",
    re.I,
)
# "hopes (that) India and Pakistan will ...": the sides are the object of the hope
HOPES_THAT = re.compile(
    r"\b(?:hopes?|hoped|hoping|wants?|wanted|expects?|expected|believes?|believed|trusts?)"
    r"\s+(?:that\s+)?(?:the\s+)?$",
    re.I,
)
PEACE = re.compile(r"\bpeace\b", re.I)
# "called on India and Pakistan to prioritise dialogue and diplomacy to prevent ...": what the
# urged parties are to do (not "asked him to mediate": a claim of being asked)
URGED_TO = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+on|ask(?:s|ed|ing)?|press(?:es|ed|ing)?|"
    r"encourag(?:e|es|ed|ing)|appeal(?:s|ed|ing)?\s+to|want(?:s|ed)?)\s+"
    r"(?!(?:him|her|me|us|them)\b)(?:the\s+)?(?:India|Pakistan|both|the two|New Delhi|Islamabad)"
    r"[^.;:]{0,40}?\s+to\s+[^.;:,]*$",
    re.I,
)
# "Ready to help, Trump tells Imran": the headline's subject right after the comma
# (a closing quote and a capitalised title may sit between: '...," President Trump told')
RIGHT_AFTER_COMMA = re.compile(r",\s*[\"”’']?\s*(?:the\s+)?(?:(?-i:[A-Z])[\w.-]*\s+){0,3}$", re.I)
# asides whose commas end no clause: a short quote ("very, very closely") and an appositive
# "as" phrase ("the US, as the world's most powerful country, could help")
ASIDES = re.compile(r"\"[^\"]{1,80}\"|“[^”]{1,80}”|,\s+as\s+(?:the|a|an)\s+[^,.;:]{1,50},")
# "India and Pakistan should settle through dialogue": the parties are being told, not telling.
PRESCRIPTIVE = re.compile(r"\b(?:should|must|would|ought to|needs? to|ha(?:ve|s) to)\b", re.I)
# right after an actor: its own future or modal verb ("India will exercise restraint")
MODAL = re.compile(r"\s+(?:will|would|should|must|can|could|to)\s", re.I)
# a cue whose subject is a relative pronoun after a common noun ("countries that helped")
RELATIVE_SUBJECT = re.compile(
    r"\b(?!(?:and|or|but|so|said|says|say|told|tells|is|was|are|were|also|now)\b)"
    r"[a-z]+(?<!ed)\s+(?:that|who|which)\s+$"
)
UNLESS = re.compile(r"\bunless\b", re.I)
# "unless both ask for mediation", "whether India accepted US mediation": not a stance taken
CONDITION = re.compile(
    r"\b(?:if|unless|whether|provided(?:\s+that)?|as\s+long\s+as|should(?=\s+(?:both|the\s+two|either)\b))"
    r"\b(?:\W+\w+){0,6}\W*$",
    re.I,
)
WHETHER = re.compile(r"\bwhether\b(?:\W+\w+){0,6}\W*$", re.I)
# what a governing cue covers ends at a comma, "and"/"but", or a time clause ("says no
# third-party role after Trump repeats offer": the offer is not what is ruled out)
SCOPE_END = re.compile(r",\s|\s(?:and|but|after|before|when|while|amid|following)\s")
OWN_SUBJECT = re.compile(r"\W*(?:[A-Z]\w*\s+){0,3}?[A-Z]\w+\s+(?:[a-z]\w*s|said|told)\b")
POSSESSIVE = re.compile(r"['’]s?\s")
PRONOUN_OBJECT = re.compile(r"\b(?:him|me|his|my)\b", re.I)
ANAPHOR = re.compile(r"\b(?:it|this|the (?:offer|proposal|idea|suggestion|remarks?))\b", re.I)
ACT_OF = re.compile(
    r"['’]s?\s+(?:\w+\s+)?(?:bid|bids|attempt|attempts|effort|efforts|call|calls|demand|push|"
    r"move|plea|request|appeal|readiness|willingness|decision)\s+(?:to|for)\s+",
    re.I,
)
CLAIM_OF = re.compile(
    r"['’]s?\s+(?:claim|assertion|contention|position|stance|view|argument|insistence)\s+"
    r"that\b[^,;]*$",
    re.I,
)
ASKED = re.compile(
    r"\b(?:asks?|asked|asking|urges?|urged|urging|press(?:es|ed)?|calls?\s+on|called\s+on|"
    r"appeals?\s+to|appealed\s+to)\s+(?:the\s+)?$",
    re.I,
)
OFFER_NOUN_END = re.compile(r"\b(?:offer|offers|proposal|initiative)$", re.I)
FOR_ITS = re.compile(r"\s+for\s+(?:its|his|her|their|the)?\s*(?:\w+\s+)?", re.I)
RELATIVE = re.compile(r",\s*(?:which|who)\b")
HYPOTHETICAL = re.compile(r"\b(?:would|could|any|if)\b", re.I)
# "thanks X for its role in de-escalation": what X is thanked for is a noun, the thanker's account
NOMINAL_OBJECT = re.compile(
    r"\b(?:role|roles|efforts?|help|contribution|support)['’\"”]?\s+(?:in|for|to|towards)\s+"
    r"(?:the\s+)?$",
    re.I,
)
# "appreciates China's role in de-escalation": what is welcomed is the welcomer's account too
ROLE_OBJECT = re.compile(
    r"\b(?:role|roles|efforts?)['’\"”]?\s+(?:in|for|to|towards)\s+(?:the\s+)?$", re.I
)
# a second complement clause of a reporting verb ("said X should ... and that ...")
AND_THAT = re.compile(r",?\s+and\s+that\b", re.I)
SAID_BEFORE = re.compile(
    r"\b(?:said|says|say|told|tells|added|stated|maintained|insisted|reiterated)"
    r"(?:\s+(?:him|her|them|us|me|reporters|journalists|(?-i:[A-Z])[\w.-]*"
    r"(?:\s+(?-i:[A-Z])[\w.-]*){0,2}))?\s+(?:that\s+)?$",
    re.I,
)
# a cue ending in "by": its agent is the actor right after it
BY_AGENT = re.compile(r"\bby$", re.I)
# a finite passive ("was rejected by India") heads its clause; a reduced one ("talks mediated by
# the US") can still be what another cue governs ("rejects the call for talks mediated by US")
FINITE_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+){0,2}\w+\s+by$", re.I)
# a possessive pronoun right before a noun, up to two words between ("his Kashmir mediation offer")
PRONOUN_BEFORE = re.compile(r"\b(?:his|her|its|their)\s+(?:[\w-]+\s+){0,2}$", re.I)
# "thanks Iran for offering to mediate": what the thanked party did
OFFERING = re.compile(r"(?:offering|volunteering|proposing)\b", re.I)
# a cue that carries its own negation ("never accept"): a negation before it is a coordinated
# one ("does not and will never accept"), not a second one that flips it
SELF_NEGATED = re.compile(r"(?:not|never|no|won['’]t|cannot|can['’]t)\b", re.I)
EITHER_WAY = re.compile(r"\bwith or\s+$", re.I)
# a new clause with its own subject inside a gapped cue: "Pakistan sought the ceasefire, US
# played no role" is no request for a role
NEW_CLAUSE = re.compile(
    r",\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){1,3}(?:[a-z]+ed|said|says|has|had|is|was|were|will|"
    r"would|did|does|do)\b"
)
# "the OIC had no locus standi": the actor is told it has no standing; the teller takes the stance
STANDING_DENIED = re.compile(r"\s+(?:has|had|have)\s+(?:got\s+)?no\s+locus\s+standi", re.I)
# "He said India should ...": someone unnamed reports what a side should do
TOLD_BEFORE = re.compile(
    r"\b(?:said|says|told|added|insisted|argued)\b(?:\s+that)?[\s:\"“'‘]+$", re.I
)
