"""Verb lemmas with every inflection (`verb+`), and the broad verb-class fallback cues: an accept or
reject verb governing an outside role decides a stance only where no precise cue gave one.
Examples written for this file, not taken from any labelled set."""

from __future__ import annotations

import re

import pytest
from matching_helpers import assert_stances

from monitor.matching.matcher import Matcher
from monitor.matching.phrases import PhraseError, expand_verbs, inflections, phrase_regex


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("welcome", ("welcome", "welcomes", "welcomed", "welcoming")),
        ("snub", ("snub", "snubs", "snubbed", "snubbing")),
        ("deny", ("deny", "denies", "denied", "denying")),
        ("dismiss", ("dismiss", "dismisses", "dismissed", "dismissing")),
        ("offer", ("offer", "offers", "offered", "offering")),
        ("seek", ("seek", "seeks", "sought", "seeking")),
        ("agree", ("agree", "agrees", "agreed", "agreeing")),
    ],
)
def test_inflections_follow_english_spelling(lemma: str, forms: tuple[str, ...]) -> None:
    assert inflections(lemma) == forms


def test_a_lemma_matches_every_form_inside_a_phrase() -> None:
    regex = re.compile(phrase_regex("turn+ .. down"), re.I)
    for text in ("turns it down", "turned the offer down", "turning down"):
        assert regex.search(text), text
    assert not regex.search("turnout was down")
    assert expand_verbs("brush+ aside")[2] == "brushed aside"


def test_a_class_may_be_one_alternative_of_a_group() -> None:
    regex = re.compile(phrase_regex("x .. ({a}|{b})", {"a": "yy", "b": "zz"}))
    assert regex.search("x then zz")
    with pytest.raises(PhraseError):
        phrase_regex("x ({a}|{nope})", {"a": "yy"})


CASES = [
    # unseen accept and reject verbs, through the verb classes
    ("Islamabad applauds Tehran's facilitation between Pakistan and India", "",
     {"pakistan": "welcomes_mediation"}),
    ("New Delhi bats away Ankara's mediation idea on Kashmir", "",
     {"india": "rejects_mediation", "turkey": "offers_mediation"}),
    # a negation flips an accept verb
    ("India does not welcome any outside role in Kashmir, says minister", "",
     {"india": "rejects_mediation"}),
    # outsiders kept out, in so many words
    ("Kashmir will be discussed with no third nation, India says", "",
     {"india": "rejects_mediation"}),
    # the passive voice: the agent follows "by"
    ("Erdogan's mediation offer on Kashmir spurned by New Delhi", "",
     {"india": "rejects_mediation", "turkey": "offers_mediation"}),
    # a precise cue keeps its word over a fallback one in the same item
    ("Pakistan welcomes Chinese readiness to mediate, backs Beijing's role", "",
     {"pakistan": "welcomes_mediation", "china": "offers_mediation"}),
]  # fmt: skip


@pytest.mark.parametrize(("title", "summary", "expected"), CASES)
def test_verb_class_fallbacks(
    matcher: Matcher, title: str, summary: str, expected: dict[str, str]
) -> None:
    assert_stances(matcher.match(title, summary), expected)


@pytest.mark.parametrize(
    "title",
    [
        "Pakistan welcomes Saudi offer of deferred oil payments",
        "China backs Pakistan's mediation between Washington and Tehran",
        "Egypt rejects Israeli proposal on Gaza mediation",
    ],
)
def test_verb_classes_stay_quiet_off_topic(matcher: Matcher, title: str) -> None:
    assert not matcher.match(title).relevant
