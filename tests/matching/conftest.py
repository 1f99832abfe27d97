"""Shared matcher fixtures: one default Matcher per test session (compiling takes a moment)."""

from __future__ import annotations

import pytest

from monitor.matching.matcher import Matcher


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher()

