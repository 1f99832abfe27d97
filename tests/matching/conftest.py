"""Shared matcher fixtures: one default Matcher per test session (compiling takes a moment)."""

from __future__ import annotations

import pytest

from monitor.matching.matcher import Matcher


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher()


def stances_of(match) -> dict[str, str]:
    """{actor: stance} for the mentions that carry a stance."""
    return {m.actor: m.stance for m in match.mentions if m.stance}
