"""Stances attributed to the right actor, negation, denials, claims, shifts, evidence."""

from __future__ import annotations

import pytest
from matching_helpers import assert_stances

from monitor.matching.matcher import Matcher

CASES = [
    # attribution inside one clause: the rejecter and the offerer
    ("India rejects Trump's offer to mediate on Kashmir", "",
     {"india": "rejects_mediation", "united_states": "offers_mediation"}),
    ("Islamabad welcomes Moscow's offer of good offices on Kashmir", "",
     {"pakistan": "welcomes_mediation", "russia": "offers_mediation"}),
    # negation
    ("India will never accept third-party mediation on Kashmir, says minister", "",
     {"india": "rejects_mediation"}),
    ("India did not rule out talks with Pakistan on Kashmir", "", {}),
    ("UN chief urges restraint over Kashmir",
     "Guterres did not offer his good offices and made no offer to mediate.",
     {"united_nations": "urges_dialogue"}),
    ("No question of third-party mediation on Kashmir: New Delhi", "",
     {"india": "rejects_mediation"}),
    # denials of a claim, and the claim's maker
    ("New Delhi denies Modi sought US mediation on Kashmir", "",
     {"india": "rejects_mediation"}),
    ("Trump says Modi asked him to mediate on Kashmir", "", {"united_states": "offers_mediation"}),
    ("Modi rejects Trump's claim that he brokered the India-Pakistan ceasefire", "",
     {"india": "rejects_mediation", "united_states": "offers_mediation"}),
    ("India has never sought anyone's mediation on Kashmir, says Jaishankar", "",
     {"india": "rejects_mediation"}),
    # conditional offers count
    ("Kremlin says Russia will not mediate between India and Pakistan unless both ask", "",
     {"russia": "offers_mediation"}),
    ("UN says its good offices are available if India and Pakistan both ask", "",
     {"united_nations": "offers_mediation"}),
    # a bilateral stance: rejection from a party, a call for talks from a third party
    ("Kashmir is a strictly bilateral matter, New Delhi tells Washington", "",
     {"india": "rejects_mediation"}),
    ("Russia says Kashmir must be settled bilaterally by India and Pakistan", "",
     {"russia": "urges_dialogue"}),
    # the parties are the ones urged, not the ones urging
    ("India and Pakistan should resolve Kashmir through dialogue, says China", "",
     {"china": "urges_dialogue"}),
    ("EU urges India and Pakistan to resume talks on Kashmir", "",
     {"european_union": "urges_dialogue"}),
    # thanking someone for brokering is the thanker's welcome, not the other's own claim
    ("Islamabad thanks Washington for brokering the ceasefire with India", "",
     {"pakistan": "welcomes_mediation"}),
    # listed subjects share the stance; an outside actor named earlier does the mediating
    ("Iran and Turkey have volunteered to mediate between India and Pakistan", "",
     {"iran": "offers_mediation", "turkey": "offers_mediation"}),
    ("Iran's foreign minister to visit Islamabad, New Delhi to mediate on Kashmir", "",
     {"iran": "offers_mediation"}),
    # a speaker at the end of a headline
    ("Ready to help resolve Kashmir dispute, Trump tells Pakistan's PM", "",
     {"united_states": "offers_mediation"}),
    # a possessive names whose remarks, not who speaks
    ("India says Erdogan's remarks on Kashmir are unacceptable", "",
     {"india": "rejects_mediation"}),
    # asking for a mediator is no offer by that mediator
    ("Pakistan calls for US mediation on Kashmir", "", {"pakistan": "welcomes_mediation"}),
    # a claim of credit is the claimer's
    ("Trump claims credit for India-Pakistan truce; India says no third party was involved", "",
     {"united_states": "offers_mediation", "india": "rejects_mediation"}),
    # one side thanking an outside party for a peace step, with no other conflict named
    ("Pakistan thanks the UN chief for welcoming the ceasefire", "",
     {"pakistan": "welcomes_mediation", "united_nations": "urges_dialogue"}),
    # a request under a condition is not a request
    ("Russia has no role in the Kashmir dispute unless both ask for mediation, says envoy", "",
     {"russia": "offers_mediation"}),
]


@pytest.mark.parametrize(("title", "summary", "expected"), CASES)
def test_stances(matcher: Matcher, title: str, summary: str, expected: dict[str, str]) -> None:
    assert_stances(matcher.match(title, summary), expected)


def test_one_stance_per_actor_the_most_specific_one(matcher: Matcher) -> None:
    match = matcher.match(
        "Kremlin calls for restraint between India and Pakistan",
        "Moscow also said it was ready to mediate on Kashmir.",
    )
    russia = [m for m in match.mentions if m.actor == "russia"]
    assert len(russia) == 1
    assert russia[0].stance == "offers_mediation"
    assert russia[0].evidence == "Moscow also said it was ready to mediate on Kashmir."
    assert 0 < russia[0].confidence <= 1


def test_a_departure_from_the_baseline_is_a_shift(matcher: Matcher) -> None:
    match = matcher.match("India accepts US offer to mediate on Kashmir", "")
    india = next(m for m in match.mentions if m.actor == "india")
    assert (india.stance, india.baseline, india.shift) == (
        "welcomes_mediation", "rejects_mediation", True)
    assert india in match.shifts


def test_the_baseline_stance_is_not_a_shift(matcher: Matcher) -> None:
    match = matcher.match("India rejects third-party mediation on Kashmir", "")
    india = next(m for m in match.mentions if m.actor == "india")
    assert (india.stance, india.shift) == ("rejects_mediation", False)
    assert match.shifts == ()


def test_china_has_no_baseline_so_any_stance_is_a_shift(matcher: Matcher) -> None:
    match = matcher.match("China urges India and Pakistan to hold talks on Kashmir", "")
    china = next(m for m in match.mentions if m.actor == "china")
    assert (china.stance, china.baseline, china.shift) == ("urges_dialogue", None, True)


def test_outside_party_is_never_a_shift(matcher: Matcher) -> None:
    match = matcher.match("Qatar offers to mediate on Kashmir", "")
    qatar = next(m for m in match.mentions if m.actor == "qatar")
    assert (qatar.stance, qatar.shift, qatar.in_watchlist) == ("offers_mediation", False, False)


@pytest.mark.parametrize(
    "title",
    [
        "India thanks US for support after Pahalgam attack",  # thanks for support: no mediation
        "Pakistan thanks Qatar for brokering ceasefire with Afghanistan",  # another conflict
        "Pakistan offers to mediate between Iran and the US",  # a party mediating elsewhere
        "Saudi Arabia welcomes Israel-Iran ceasefire",
    ],
)
def test_no_false_mediation_stance(matcher: Matcher, title: str) -> None:
    match = matcher.match(title, "")
    assert not match.relevant, match
