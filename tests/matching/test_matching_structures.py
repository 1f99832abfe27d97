"""Structural rules: lists after a comma, coordinated passive participles, double negation, a
side's framing against its own welcome, mediation told as contacts, and whose stance a welcomed
or credited role is. One example each, written for this file (not from any labelled set)."""

from __future__ import annotations

import pytest
from matching_helpers import assert_stances, stances_of

from monitor.matching.matcher import Matcher

CASES = [
    # a thanks reaches every outside actor listed after a comma; their role is the thanker's
    ("Islamabad thanks Qatar, Turkey for role in securing truce with India", "",
     {"pakistan": "welcomes_mediation"}),
    # an outside-role noun listed after a comma is rejected with the first object
    ("India rejects Pakistan's demand for a probe, international involvement on Kashmir", "",
     {"india": "rejects_mediation"}),
    # the second half of coordinated participles
    ("Spurned by New Delhi, hailed by Islamabad: Moscow's Kashmir mediation offer", "",
     {"india": "rejects_mediation", "pakistan": "welcomes_mediation",
      "russia": "offers_mediation"}),
    ("Beijing's offer to mediate welcomed by Pakistan, rejected by India", "",
     {"china": "offers_mediation", "pakistan": "welcomes_mediation",
      "india": "rejects_mediation"}),
    # a negated rejection is acceptance
    ("Pakistan will never say no to any country willing to help on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    ("Bilateral accords do not preclude third-party mediation on Kashmir, says Islamabad", "",
     {"pakistan": "welcomes_mediation"}),
    # accepting a mediator noun reports no offer by that mediator
    ("Islamabad open to Turkish mediation on Kashmir", "", {"pakistan": "welcomes_mediation"}),
    # ... but a named offer stays its maker's, also after a title ("X President's offer")
    ("Pakistan welcomes the Iranian President's offer on Kashmir talks", "",
     {"pakistan": "welcomes_mediation", "iran": "offers_mediation"}),
    # mediation told as contacts that led to the ceasefire
    ("Saudi Arabia held talks with both sides ahead of the India-Pakistan ceasefire", "",
     {"saudi_arabia": "offers_mediation"}),
    # a role welcomed is the welcomer's account, not the welcomed party's stance
    ("Pakistan appreciates Turkey's role in de-escalation with India", "",
     {"pakistan": "welcomes_mediation"}),
    # taking the dispute to the UN seeks outside involvement
    ("Pakistan to approach UN Security Council over Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    # a broad acceptance of a mediator noun reports no offer; a negated one turns an offer down
    ("Islamabad has no objection to Iranian mediation on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
    ("India not interested in Moscow's mediation, officials say", "",
     {"india": "rejects_mediation", "russia": "offers_mediation"}),
    # a claim called false is denied; the claim stays its maker's
    ("New Delhi calls Washington's mediation claims false", "",
     {"india": "rejects_mediation", "united_states": "offers_mediation"}),
    # talks asked for with a mediator named
    ("Pakistan calls for India talks brokered by Saudi Arabia", "",
     {"pakistan": "welcomes_mediation"}),
    # a second "that"-clause is the reporter's again, not the actor told what it should do
    ("India rebuffs Iran's mediation offer",
     "The foreign ministry said Tehran should respect India's position and that there was no "
     "need for any intermediary.",
     {"india": "rejects_mediation", "iran": "offers_mediation"}),
    # a thanked outsider is no teller of the parties' readiness to talk
    ("Dar thanks Erdogan, says Pakistan ready for talks with India", "",
     {"pakistan": "welcomes_mediation"}),
    # "stood ready" is an offer like "stands ready"
    ("UN chief stood ready to help India and Pakistan ease tensions", "",
     {"united_nations": "offers_mediation"}),
    # an oblique actor is no reporter ("envoy in Moscow said")
    ("Pakistan's envoy in Beijing said Islamabad would welcome any Chinese role on Kashmir", "",
     {"pakistan": "welcomes_mediation"}),
]  # fmt: skip


@pytest.mark.parametrize(("title", "summary", "expected"), CASES)
def test_structures(matcher: Matcher, title: str, summary: str, expected: dict[str, str]) -> None:
    assert_stances(matcher.match(title, summary), expected)


def test_contacts_without_a_ceasefire_are_no_offer(matcher: Matcher) -> None:
    # calls with both sides, but nothing they led to: no claim of having mediated
    match = matcher.match(
        "Wang Yi held calls with both sides, urged restraint",
        "China's foreign minister spoke with his Indian and Pakistani counterparts on Saturday.",
    )
    assert match.relevant
    assert stances_of(match).get("china") == "urges_dialogue"


def test_exchanged_lists_are_a_peace_step(matcher: Matcher) -> None:
    assert matcher.match("India and Pakistan exchange lists of civilian prisoners").relevant


def test_a_party_list_keeps_its_own_verb(matcher: Matcher) -> None:
    # "and" between the parties does not carry an offer's reach onto their own verb
    match = matcher.match("Britain offers to help India and Pakistan find a way back to talks")
    assert stances_of(match) == {"united_kingdom": "offers_mediation"}
