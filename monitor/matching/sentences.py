"""Splitting an item's text into sentences and clauses, and cleaning feed markup out of it.

Stances are attributed inside a clause: "India rejects Trump's offer; Pakistan welcomes it" holds
two clauses with one subject each.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")
# A sentence ends at . ! ? followed by space and a capital/quote, except after short
# abbreviations (U.S., U.N., Dr., Gen., Mr., St., Lt., S.)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Dr|Mr|Mrs|Ms|Gen|Lt|Col|St|Sr|Jr|No|vs|Gov|Sen|Rep|Prof|Capt|Maj|"
    r"Adm|Brig|Hon|Rs|Inc|Ltd|Co|approx|Dept|Mt)\.)$"
)
# Clause breaks: semicolons, colons (not in times), spaced dashes, pipes, and contrastive links.
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|(?<!\d):(?!\d)\s*|\s+[—–-]\s+|\s*—\s*|\s*\|\s*"
    # "as" links clauses, but not in "as well as" or "such as"
    r"|(?<!well)(?<!such),?\s+\b(?:while|whereas|but|however|although|even as|as(?!\s+well\b))\b\s+"
)
_APPOSITIVE = re.compile(r"(?:the|a|an)\s+[^,.;:]{1,50},")
_AS_PREPOSITION = re.compile(r"\s+as\s+$", re.I)
_ROLE_AFTER_AS = re.compile(
    r"(?:a|an|the)?\s*(?:honest\s+)?(?:mediator|facilitator|intermediary|go-between|bridge|"
    r"broker|venue|host|guarantor|peacemaker)s?\b",
    re.I,
)
_VERB_BEFORE_AS = re.compile(r"\b(?:act|acts|acted|acting|serve|serves|served|serving)$", re.I)
# "..., Lavrov said" / ": UN chief" / "says Trump" — who is speaking in a sentence.
_SPEAKER_TAILS = (
    # "..., Lavrov said" / "..., Trump tells Imran"
    re.compile(
        r"(?:,|:|—|–|\s-)\s*([^,:;]{1,80}?)\s*\b(?:said|says|say|told|tells|tweeted|"
        r"added|stated|declared|asserted|noted|remarked|claimed|claims|announced|"
        r"informed)\b[^,:;]{0,80}$"
    ),
    # "..., Bagchi said, after Wang Yi told the OIC ...": a speaker, then a trailing adverbial
    re.compile(
        r"(?:,|:|—|–|\s-)\s*([^,:;]{1,80}?)\s*\b(?:said|says|told|tells|added|stated|declared|"
        r"asserted|noted|claimed|announced)\b[^,:;]{0,80},\s+(?:after|before|when|while|adding|"
        r"citing|responding|replying|during|amid|following|according)\b[^;:]{0,200}$"
    ),
    # "..., spokesperson Matthew Miller said: \"We ...\"": the speaker before a colon and a quote
    re.compile(
        r"(?:^|,\s*)([^,:;]{1,80}?)\s*\b(?:said|says|added|stated|told(?:\s+\w+){0,2})\s*:\s*[\"“‘']"
    ),
    # "..., says UN chief"
    re.compile(r"\b(?:said|says|told|tells|according to|tweeted|claimed|claims)\s+([^,:;]{1,80})$"),
    # "...: MEA" / "... — foreign ministry"
    re.compile(r"(?::|—|–|\s-)\s*([^,:;—–]{1,70})$"),
    # "'Internal matter': India hits back at Turkey, Malaysia": a quoted head, its speaker next
    re.compile(r"^[‘'\"“][^\n]{1,150}?[’'\"”]\s*:\s*([^,:;—–]{1,70})"),
)
# "MEA: ...", "UN chief's spokesman: ..." (a possessive, but no quotation, in the head)
_SPEAKER_HEAD = re.compile(r"^((?:[^:,\"“”‘’']|['’]s\b){1,45}):\s")


def clean(text: str) -> str:
    """Feed markup to plain text: tags dropped, entities decoded, whitespace collapsed."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def split_sentences(text: str) -> list[str]:
    """A summary's sentences (a title is one sentence on its own)."""
    sentences: list[str] = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        head = text[start : found.start()]
        if _ABBREVIATION.search(head):
            continue
        if head.strip():
            sentences.append(head.strip())
        start = found.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each clause in a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for found in _CLAUSE_BREAK.finditer(sentence):
        if _AS_PREPOSITION.match(found.group()) and (
            _ROLE_AFTER_AS.match(sentence, found.end())
            or _VERB_BEFORE_AS.search(sentence, 0, found.start())
        ):
            continue  # "could act as mediator", "offers Oslo as venue": not a clause link
        if found.group().rstrip().endswith(" as") and _APPOSITIVE.match(sentence, found.end()):
            continue  # "the US, as the world's most powerful country, could help"
        if found.start() > start:
            spans.append((start, found.start()))
        start = found.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans or [(0, len(sentence))]


def speaker_spans(sentence: str) -> list[tuple[int, int]]:
    """Where a sentence names who is speaking: a tail ("..., X said"), or a head ("X: ...")."""
    spans: list[tuple[int, int]] = []
    # a head first: in "UN chief's spokesman: good offices available if India and Pakistan
    # agree" the head speaks, not the parties named after the colon
    head = _SPEAKER_HEAD.match(sentence)
    if head:
        spans.append(head.span(1))
    for pattern in _SPEAKER_TAILS:
        tail = pattern.search(sentence)
        if tail:
            spans.append(tail.span(1))
    return spans
