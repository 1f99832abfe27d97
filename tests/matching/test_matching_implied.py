"""Stances stated by implication (monitor/matching/implied.py, shorthand.py) and the clause
boundary inside gapped cues: one example each, written for this file, not taken from any
labelled set."""

from __future__ import annotations

import pytest
from matching_helpers import assert_stances, stances_of

from monitor.matching.matcher import Matcher

CASES = [
    # a request told as the occasion of a UN meeting: the requester seeks outside involvement
    ("Security Council takes up Kashmir at the request of Pakistan", "",
     {"pakistan": "welcomes_mediation"}),
    # (an outsider asking for the meeting on a side's behalf facilitates: no stance from that)
    ("UN Security Council holds closed-door talks on Kashmir sought by Pakistan and China", "",
     {"pakistan": "welcomes_mediation"}),
    # an outside party acting at a side's request
    ("Riyadh's envoy raised the Kashmir dispute in Delhi talks at the request of Pakistan", "",
     {"pakistan": "welcomes_mediation"}),
    # an offer told through its follow-up is the outside party's
    ("Islamabad wants Washington to make good on its offer to help resolve Kashmir", "",
     {"pakistan": "welcomes_mediation", "united_states": "offers_mediation"}),
    # a denial told as a contrast, or as the outsider's absence, is the speaker side's
    ("Bilateral talks, not Moscow, secured the India-Pakistan truce, says New Delhi", "",
     {"india": "rejects_mediation"}),
    ("Jaishankar: Pakistan asked for the ceasefire, Washington played no part", "",
     {"india": "rejects_mediation"}),
    # a side's government named as the other side of talks
    ("Government sources: Riyadh had no role in the truce talks with Pakistan", "",
     {"india": "rejects_mediation"}),
    # a side's own position, strictly internal
    ("India says Kashmir strictly internal after Security Council meeting", "",
     {"india": "rejects_mediation"}),
    # mediation told as engaging both sides to reach the ceasefire
    ("British officials engaged both sides for two days to secure the India-Pakistan ceasefire",
     "", {"united_kingdom": "offers_mediation"}),
]  # fmt: skip


@pytest.mark.parametrize(("title", "summary", "expected"), CASES)
def test_implied_stances(
    matcher: Matcher, title: str, summary: str, expected: dict[str, str]
) -> None:
    assert_stances(matcher.match(title, summary), expected)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # a request to the other side is no request for outside involvement
        ("India halted firing at Pakistan's request, says Misri; ceasefire holds", {}),
        # a cue's gap stops at another clause's subject and verb
        ("Pakistan sought the ceasefire, India said after the DGMO talks", {}),
        # a thanked or contrasted outsider takes no stance; a third party's contrast is none
        ("Turkey says dialogue, not Washington, can settle Kashmir", {}),
    ],
)  # fmt: skip
def test_implied_stances_stay_precise(
    matcher: Matcher, title: str, expected: dict[str, str]
) -> None:
    match = matcher.match(title)
    assert stances_of(match) == expected


@pytest.mark.parametrize(
    "title",
    [
        # whose government is not said: no side is resolved
        "Opposition slams government over Kashmir tourism slump",
        "J&K government announces talks with traders on Srinagar market fire",
    ],
)
def test_government_shorthand_unresolved(matcher: Matcher, title: str) -> None:
    match = matcher.match(title)
    assert not {m.actor for m in match.mentions} & {"india", "pakistan"}
