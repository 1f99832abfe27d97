"""Small helpers shared by the matcher tests (a uniquely named module, not conftest)."""

from __future__ import annotations

from monitor.matching.records import Match


def stances_of(match: Match) -> dict[str, str]:
    """{actor: stance} for the mentions that carry a stance."""
    return {m.actor: m.stance for m in match.mentions if m.stance}


def assert_stances(match: Match, expected: dict[str, str]) -> None:
    """The item is relevant and gives exactly these stances."""
    assert match.relevant
    assert stances_of(match) == expected
