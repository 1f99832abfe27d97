"""Commands over the store: timeline, export, stats, db maintenance, deliveries."""

from __future__ import annotations

import click

from monitor.cli import cli


@cli.group("db")
def db_group() -> None:
    """Database maintenance (prune, vacuum)."""
