"""Fixtures for the feeds-admin tests: a hand-written config with comments, and a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

FIXTURES = Path(__file__).parent / "fixtures"

# A user's config: comments and odd spacing that every edit must keep.
BASE_CONFIG = """\
# My monitor — hand-written; comments must survive every edit.
[storage]
path = "km.db"   # next to this file

[filters]
block = ["title=(?i)cricket"]   # no sport

# Pakistani press
[[feeds]]
name = "dawn"                   # paper of record
url = "https://dawn.example.org/feed"
interval = "15m"

# Indian press

# The Hindu's national desk
[[feeds]]
name = "hindu"
url = "https://hindu.example.org/rss"

# Where the digests go
[[channels]]
name = "files"
type = "file"
directory = "digests"
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(BASE_CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run `kashmir-monitor --config PATH ARGS…` in-process (click's runner)."""
    from monitor.cli import cli

    def run(config: Path, *args: str) -> Result:
        return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)

    return run
