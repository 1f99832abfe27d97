"""Relevance: the dispute AND mediation / dialogue / peace-process; decoys never pass."""

from __future__ import annotations

import pytest

from monitor.matching.matcher import Matcher

RELEVANT = [
    ("Britain offers to mediate between India and Pakistan over Kashmir", ""),
    ("New Delhi rules out any third-party role in Kashmir", "Qatar had offered its help."),
    ("EU urges India and Pakistan to resume dialogue on Kashmir", ""),
    ("China calls on both sides to exercise restraint along the LoC", ""),
    ("India, Pakistan NSAs held secret backchannel talks in the Gulf: report", ""),
    ("India and Pakistan agree to ceasefire after four days of strikes", ""),
    ("Ready to help, says Erdogan", "Turkey's president said Ankara could mediate on Kashmir."),
    # "advocates" the verb, not the lawyers of a court decoy
    ("Moscow advocates that New Delhi and Islamabad settle their differences bilaterally", ""),
    # the title alone is not enough; the summary supplies the dispute
    ("Minister says door to talks remains open",
     "Pakistan's foreign minister said Islamabad wants dialogue with India on all issues."),
]

DECOYS = [
    ("Heavy snowfall cuts off Kashmir valley; tourists stranded in Gulmarg", ""),
    ("Tourist arrivals in Srinagar hit a record this spring", ""),
    ("Kashmir Assembly elections: phase 3 polling ends peacefully", ""),
    ("India beat Pakistan by six wickets in Asia Cup thriller", ""),
    ("PCB and BCCI in talks over India-Pakistan match venue", ""),
    ("Turkey offers to mediate between Russia and Ukraine", ""),
    ("US offers to mediate between Israel and Iran", ""),
    ("Senior advocates of the J&K High Court hold mediation workshop in Srinagar", ""),
    # a World Bank procedure on the Indus treaty with no side's stance on it
    ("World Bank only a facilitator on Indus treaty, says Banga",
     "The bank has no role beyond a facilitator after India put the treaty in abeyance."),
    ("PM Imran in Tehran to ease Iran-Saudi tensions",
     "Pakistan wants to act as a facilitator between the two Gulf rivals, Imran Khan said."),
    # a headline on another conflict's peace step with one side of ours in it
    ("Pakistan, Afghanistan agree to ceasefire after Doha talks mediated by Qatar",
     "Pakistan's defence minister accused New Delhi of backing the militants."),
    # a headline about another conflict; India-Pakistan only as a comparison below
    ("Trump says Thai and Cambodian leaders will meet on border truce",
     "He likened the effort to his claim of having ended the India-Pakistan conflict."),
    ("Malaysia to mediate Thailand-Cambodia border talks", ""),
    ("India rejects Trump's offer to mediate on China border row", "Beijing agreed."),
    ("Court refers Delhi property dispute to mediation", ""),
    ("Pakistan will immediately respond to any aggression, says army chief", ""),
    ("Intermediate results for Jammu board exams announced", ""),
    ("Shimla hotels see record bookings; talks on new airport", ""),
    ("J&K statehood talks to resume next month, says chief minister", ""),
    ("Pakistan and Afghanistan hold talks in Doha on border clashes", ""),
    ("Flash floods in Jammu: rescue talks with army under way", ""),
]


@pytest.mark.parametrize(("title", "summary"), RELEVANT)
def test_relevant_items_pass(matcher: Matcher, title: str, summary: str) -> None:
    match = matcher.match(title, summary)
    assert match.relevant, (title, match)
    assert 0.5 <= match.score <= 1.0


@pytest.mark.parametrize(("title", "summary"), DECOYS)
def test_decoys_do_not_pass(matcher: Matcher, title: str, summary: str) -> None:
    match = matcher.match(title, summary)
    assert not match.relevant, (title, match)
    assert 0.0 <= match.score < 0.5
    assert match.mentions == ()


def test_unrelated_item_is_rejected_by_the_fast_gate(matcher: Matcher) -> None:
    match = matcher.match("Apple unveils a new phone", "Prices start at $799.")
    assert (match.relevant, match.score, match.topics) == (False, 0.0, ())


def test_markup_and_entities_in_the_summary_are_read_as_text(matcher: Matcher) -> None:
    match = matcher.match(
        "Talks offer", "<p>Russia &amp; China offer to <b>mediate</b> on Kashmir</p>"
    )
    assert match.relevant
    assert {"russia", "china"} <= {m.actor for m in match.mentions}
    assert all("<" not in m.evidence for m in match.mentions)


def test_topics_name_what_was_found(matcher: Matcher) -> None:
    match = matcher.match("UN offers mediation on Kashmir dispute", "")
    assert {"dispute", "mediation"} <= set(match.topics)


def test_a_stronger_item_scores_higher(matcher: Matcher) -> None:
    weak = matcher.match("India and Pakistan agree to ceasefire", "")
    strong = matcher.match("Trump offers to mediate on Kashmir; Pakistan welcomes the offer", "")
    assert weak.relevant and strong.relevant
    assert strong.score > weak.score



def test_hostile_lengths_are_cut_before_matching(matcher: Matcher) -> None:
    from monitor.matching.matcher import MAX_SUMMARY_CHARS

    summary = "Russia offers to mediate on Kashmir. " + "India, " * 50_000 + "Trump offers help."
    match = matcher.match("Kashmir talks " * 1_000, summary)
    assert match.relevant
    assert {m.actor for m in match.mentions if m.stance} == {"russia"}  # the tail was cut off
    assert all(len(m.evidence) <= MAX_SUMMARY_CHARS for m in match.mentions)
