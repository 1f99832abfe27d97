"""Watchlists are data: strict validation, and a custom dispute works with no Python changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.matching.matcher import Matcher
from monitor.matching.watchlist import DEFAULT_WATCHLIST, WatchlistError, load_watchlist

# A made-up dispute between two invented states over an invented river valley.
RIVERLAND = """
[watchlist]
name = "riverland"
parties = ["arland", "borvia"]

[[actor]]
id = "arland"
name = "Arland"
baseline = "rejects_mediation"
aliases = ["Arland", "Arlandic", "Port Arl"]
aliases_case_sensitive = ["ARL"]

[[actor]]
id = "borvia"
baseline = "welcomes_mediation"
aliases = ["Borvia", "Borvian", "Velgrad", "President Osk"]

[[actor]]
id = "league"
name = "League of Shores"
baseline = "urges_dialogue"
aliases = ["League of Shores", "Shores League"]

[[other]]
id = "north_union"
aliases = ["North Union"]

[[topic]]
id = "valley"
kind = "dispute"
terms = ["Sarn Valley", "Sarn river", "Sarn dispute"]

[[topic]]
id = "mediation"
kind = "process"
terms = ["mediat*", "good offices", "talks"]

[[topic]]
id = "fishing"
kind = "decoy"
terms = ["fishing festival"]

[terms]
mediate = ["mediat*", "help", "broker*"]

[[cue]]
id = "offer"
stance = "offers_mediation"
party_stance = "none"
phrases = ["offer* to {mediate}", "ready to {mediate}"]

[[cue]]
id = "reject"
stance = "rejects_mediation"
nested = "attribute"
phrases = ["reject* .. offer*", "refus* .. mediat*"]

[[cue]]
id = "welcome"
stance = "welcomes_mediation"
negated = "rejects_mediation"
nested = "attribute"
phrases = ["welcome*", "accept*"]
needs_outside = true

[[cue]]
id = "modifier_offer"
stance = "offers_mediation"
attribution = "modifier"
phrases = ["offer"]
"""


def _write(tmp_path: Path, text: str, name: str = "w.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_watchlist_loads_with_the_seed_baselines() -> None:
    watchlist = load_watchlist(DEFAULT_WATCHLIST)
    baselines = {a.id: a.baseline for a in watchlist.actors if a.in_watchlist}
    assert baselines == {
        "russia": "offers_mediation", "india": "rejects_mediation",
        "pakistan": "welcomes_mediation", "china": None,
        "united_states": "urges_dialogue", "united_nations": "urges_dialogue",
    }
    outside = {a.id for a in watchlist.actors if not a.in_watchlist}
    assert {"iran", "saudi_arabia", "turkey", "united_arab_emirates", "united_kingdom",
            "european_union", "oic", "qatar"} <= outside


def test_a_custom_dispute_works_without_python_changes(tmp_path: Path) -> None:
    matcher = Matcher(load_watchlist(_write(tmp_path, RIVERLAND)))
    match = matcher.match("Arland rejects League of Shores offer to mediate in Sarn Valley", "")
    assert match.relevant
    assert {m.actor: m.stance for m in match.mentions if m.stance} == {
        "arland": "rejects_mediation", "league": "offers_mediation"}
    shift = matcher.match("Arlandic minister accepts North Union offer to help on Sarn dispute")
    arland = next(m for m in shift.mentions if m.actor == "arland")
    assert (arland.stance, arland.shift) == ("welcomes_mediation", True)
    north = next(m for m in shift.mentions if m.actor == "north_union")
    assert north.new_mediator
    assert not matcher.match("Sarn Valley fishing festival draws crowds; talks on parking").relevant
    assert not matcher.match("Kashmir mediation offer from Russia").relevant


def test_matcher_accepts_a_path(tmp_path: Path) -> None:
    matcher = Matcher(_write(tmp_path, RIVERLAND))
    assert matcher.watchlist.name == "riverland"


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = _write(tmp_path, text)
    with pytest.raises(WatchlistError) as caught:
        load_watchlist(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    for line in caught.value.problems:
        assert line.startswith(f"{path}: "), line
    return caught.value.problems


def test_unknown_keys_get_a_did_you_mean(tmp_path: Path) -> None:
    text = RIVERLAND.replace('baseline = "welcomes_mediation"', 'baseline = "welcomes_mediation"\nalias = ["B"]')
    text = text.replace("[watchlist]", "[watchlist]\ntreshold = 0.4")
    problems = _problems(tmp_path, text)
    assert any("watchlist.treshold: unknown key (did you mean 'threshold'?)" in p for p in problems)
    assert any("actor[1].alias: unknown key (did you mean 'aliases'?)" in p for p in problems)


def test_wrong_types_unknown_stances_and_duplicates_are_all_reported(tmp_path: Path) -> None:
    text = (RIVERLAND
            .replace('baseline = "rejects_mediation"', 'baseline = "reject_mediation"')
            .replace('aliases = ["North Union"]', 'aliases = "North Union"')
            .replace('id = "league"', 'id = "borvia"'))
    text = text.replace('stance = "offers_mediation"\nparty_stance', 'stance = 3\nparty_stance')
    text = text.replace('kind = "dispute"', 'kind = "dispute"\nwith_side_stance = "yes"', 1)
    problems = _problems(tmp_path, text)
    joined = "\n".join(problems)
    assert "actor[0].baseline: unknown stance 'reject_mediation' (did you mean 'rejects_mediation'?)" in joined
    assert "other[0].aliases: expected a list, got 'North Union'" in joined
    assert "actor/other.borvia: duplicate id" in joined
    assert "cue[0].stance: expected a string, got 3" in joined
    assert "topic[0].with_side_stance: expected true or false, got 'yes'" in joined
    assert len(problems) >= 5


def test_bad_phrases_and_missing_keys(tmp_path: Path) -> None:
    text = RIVERLAND.replace('phrases = ["welcome*", "accept*"]', 'phrases = ["welcome*", "{unknown} x", "a (b"]')
    text = text.replace('kind = "decoy"', 'kind = "noise"').replace('name = "riverland"\n', "")
    problems = "\n".join(_problems(tmp_path, text))
    assert "cue[2].phrases[1]: bad phrase '{unknown} x': unknown class {unknown}" in problems
    assert "cue[2].phrases[2]: bad phrase 'a (b': unbalanced '('" in problems
    assert "topic[2].kind: expected one of dispute, region, process, decoy, other_conflict" in problems
    assert "watchlist.name: missing" in problems


def test_parties_must_be_actors_and_aliases_unique(tmp_path: Path) -> None:
    text = RIVERLAND.replace('parties = ["arland", "borvia"]', 'parties = ["arland", "corvia"]')
    text = text.replace('aliases = ["North Union"]', 'aliases = ["North Union", "Borvian"]')
    problems = "\n".join(_problems(tmp_path, text))
    assert "watchlist.parties[1]: no actor with id 'corvia'" in problems
    assert "'Borvian' is also an alias of 'borvia'" in problems


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError) as missing:
        load_watchlist(tmp_path / "nope.toml")
    assert "nope.toml: file: cannot read" in str(missing.value)
    bad = _write(tmp_path, "[watchlist\nname=", "bad.toml")
    with pytest.raises(WatchlistError) as malformed:
        load_watchlist(bad)
    assert f"{bad}: toml:" in str(malformed.value)
