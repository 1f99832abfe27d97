"""`kashmir-monitor feeds …`: manage feeds from the command line (config.toml stays the truth)."""

from __future__ import annotations

import click

from monitor.cli import cli


@cli.group()
def feeds() -> None:
    """List, add, remove, pause, resume, test, import and export feeds."""
