"""Actors through aliases: word boundaries, case-sensitive aliases, outside parties."""

from __future__ import annotations

from matching_helpers import stances_of

from monitor.matching.matcher import Matcher


def _actors(matcher: Matcher, title: str, summary: str = "") -> set[str]:
    return {m.actor for m in matcher.match(title, summary).mentions}


def test_capitals_ministries_and_office_holders_reach_their_state(matcher: Matcher) -> None:
    actors = _actors(
        matcher,
        "Kremlin, White House and Beijing react to Kashmir mediation offer",
        "Jaishankar and Ishaq Dar spoke; Guterres and Lavrov urged dialogue.",
    )
    assert {"russia", "united_states", "china", "india", "pakistan", "united_nations"} <= actors


def test_upper_case_us_is_the_country_but_the_pronoun_is_not(matcher: Matcher) -> None:
    country = matcher.match("US offers to mediate between India and Pakistan on Kashmir")
    pronoun = matcher.match("Let us talk, Pakistan tells India on Kashmir; mediation ruled out")
    assert "united_states" in {m.actor for m in country.mentions}
    assert "united_states" not in {m.actor for m in pronoun.mentions}


def test_aliases_match_whole_words_only(matcher: Matcher) -> None:
    # "Indiana", "Unesco-style" and "Dartmouth" contain aliases but are not them
    actors = _actors(
        matcher,
        "Indiana and Dartmouth scholars discuss Kashmir mediation with Pakistan's envoy",
    )
    assert "india" not in actors
    assert actors == {"pakistan"}


def test_adjectives_and_possessives_count(matcher: Matcher) -> None:
    match = matcher.match("Pakistani officials welcome Saudi offer to mediate on Kashmir")
    assert stances_of(match) == {"pakistan": "welcomes_mediation",
                                 "saudi_arabia": "offers_mediation"}


def test_outside_party_is_reported_with_its_own_id(matcher: Matcher) -> None:
    match = matcher.match("Norway offers to facilitate India-Pakistan talks on Kashmir")
    norway = next(m for m in match.mentions if m.actor == "norway")
    assert norway.stance == "offers_mediation"
    assert norway.in_watchlist is False
    assert norway.baseline is None
    assert norway.new_mediator
    assert match.new_mediators == (norway,)


def test_named_actor_without_a_stance_has_none(matcher: Matcher) -> None:
    match = matcher.match(
        "Trump offers to mediate on Kashmir", "China has interests in the region due to CPEC."
    )
    china = next(m for m in match.mentions if m.actor == "china")
    assert china.stance is None
    assert "CPEC" in china.evidence
