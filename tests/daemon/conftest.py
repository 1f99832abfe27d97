"""Fixtures for the daemon tests (the helpers live in daemon_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from daemon_helpers import DaemonProcess, FeedFarm


@pytest.fixture
def farm() -> Iterator[FeedFarm]:
    farm = FeedFarm()
    yield farm
    farm.close()


@pytest.fixture
def daemons() -> Iterator[Callable[..., DaemonProcess]]:
    started: list[DaemonProcess] = []

    def start(config: Path, *args: str, **kwargs) -> DaemonProcess:
        process = DaemonProcess(config, *args, **kwargs)
        started.append(process)
        return process

    yield start
    for process in started:  # never leave a daemon behind, whatever the test did
        if process.proc.poll() is None:
            process.kill()
