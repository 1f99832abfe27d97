"""Fixtures for the alerts tests (real store, SMTP server, webhook receiver)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alerts_helpers import Receiver, Smtp


@pytest.fixture
def store(tmp_path):
    from db.store import Store

    s = Store(tmp_path / "km.db")
    yield s
    s.close()


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def smtp_auth() -> Iterator[Smtp]:
    server = Smtp(login=("desk", "right-password"))
    server.start()
    yield server
    server.stop()
