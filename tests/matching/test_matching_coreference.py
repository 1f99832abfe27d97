"""Back-references across an item's sentences (`coreference.py`) and the rejections said of an
actor rather than by it; one example each, written for this file."""

from __future__ import annotations

import pytest
from matching_helpers import assert_stances, stances_of

from monitor.matching.matcher import Matcher

CASES = [
    # "the offer" after exactly one outside party: that party's offer, welcomed by the side
    (
        "Norway says it is ready to help India and Pakistan on Kashmir",
        "Islamabad welcomed the offer on Friday.",
        {"norway": "offers_mediation", "pakistan": "welcomes_mediation"},
    ),
    # "the President's proposal" names the one outside party named before
    (
        "India turns down Trump's comments on Kashmir",
        "New Delhi said the President's proposal to mediate was not needed.",
        {"united_states": "offers_mediation", "india": "rejects_mediation"},
    ),
    # an unnamed speaker stands for the only actor any earlier sentence had act
    (
        "Lavrov meets Pakistani envoy over Kashmir tensions",
        "He said Moscow was willing to facilitate talks between India and Pakistan if both asked.",
        {"russia": "offers_mediation"},
    ),
    # what an unnamed teller says a side should do is no stance of that side
    (
        "Sharif backs Trump's Kashmir mediation offer",
        "He said India should accept the offer.",
        {"pakistan": "welcomes_mediation", "united_states": "offers_mediation"},
    ),
    # its call rejected: the OIC asked, India rejected
    (
        "India rejects OIC statement on Jammu and Kashmir",
        "The MEA rejected its call for UN involvement.",
        {"india": "rejects_mediation", "oic": "welcomes_mediation"},
    ),
]


@pytest.mark.parametrize(("title", "summary", "expected"), CASES)
def test_back_reference_resolved(
    matcher: Matcher, title: str, summary: str, expected: dict[str, str]
) -> None:
    assert_stances(matcher.match(title, summary), expected)


def test_two_outside_candidates_leave_the_offer_unresolved(matcher: Matcher) -> None:
    match = matcher.match(
        "Norway, Oman offer help as India-Pakistan tensions rise on Kashmir",
        "Pakistan welcomed his offer.",
    )
    # "his" could be either offerer's: neither gets a welcome-driven reading from it
    assert stances_of(match).get("norway") == stances_of(match).get("oman")


def test_evidence_is_the_items_own_sentence(matcher: Matcher) -> None:
    summary = "Islamabad welcomed the offer on Friday."
    match = matcher.match("Norway says it is ready to help India and Pakistan on Kashmir", summary)
    pakistan = next(m for m in match.mentions if m.actor == "pakistan")
    assert pakistan.evidence == summary


def test_told_it_has_no_standing_is_no_rejection_by_it(matcher: Matcher) -> None:
    match = matcher.match(
        "India rejects OIC statement on Jammu and Kashmir",
        "The MEA said the OIC had no locus standi and rejected its call for UN involvement.",
    )
    stances = stances_of(match)
    assert stances["india"] == "rejects_mediation"
    assert stances.get("oic") != "rejects_mediation"  # it asked; it rejected nothing
