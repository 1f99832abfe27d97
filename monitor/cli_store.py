"""Commands over the store: timeline, export, stats, db maintenance, the delivery outbox.

Each is a thin layer over db.queries / db.store / alerts.outbox.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from monitor.cli import cli, get_app, when_option

FORMATS = click.Choice(["table", "json", "csv"])


def _print(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.option("--actor", help="Only this actor id (e.g. india).")
@click.option("--by", type=click.Choice(["day", "week"]), default="day", show_default=True)
@when_option("--since")
@when_option("--until")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--plot", type=click.Path(path_type=Path), help="Also draw it to FILE.png / .svg.")
@click.pass_context
def timeline(ctx, actor: str | None, by: str, since: datetime | None, until: datetime | None,
             fmt: str, plot: Path | None) -> None:
    """Stance counts per actor per day or week ("how often did India reject mediation?")."""
    from db import queries
    from db.chart import plot_timeline
    from db.formats import render

    rows = queries.timeline(get_app(ctx).store, actor, by=by, since=since, until=until)
    _print(render(rows, fmt))
    if plot:
        if plot.suffix.lower() not in (".png", ".svg"):
            raise click.BadParameter("must end in .png or .svg", param_hint="--plot")
        click.echo(f"Wrote {plot_timeline(rows, plot)}", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv"]), default="jsonl",
              show_default=True)
@when_option("--since")
@when_option("--until")
@click.option("--relevant-only", is_flag=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write to FILE instead of stdout.")
@click.pass_context
def export(ctx, fmt: str, since, until, relevant_only: bool, output) -> None:
    """Stream articles with their mentions (constant memory at any size)."""
    from db import queries

    for chunk in queries.export(get_app(ctx).store, fmt, since=since, until=until,
                                relevant_only=relevant_only):
        output.write(chunk)


@cli.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def stats(ctx, fmt: str) -> None:
    """Counts by feed, actor and stance, and the storage size."""
    from db import queries
    from db.formats import render_stats

    _print(render_stats(queries.stats(get_app(ctx).store), fmt))


@cli.group("db")
def db_group() -> None:
    """Database maintenance: prune, vacuum, version."""


@db_group.command()
@click.option("--keep-days", type=click.IntRange(1), help="Default: [storage] keep_days.")
@click.option("--keep-days-irrelevant", type=click.IntRange(1),
              help="Default: [storage] keep_days_irrelevant.")
@click.pass_context
def prune(ctx, keep_days: int | None, keep_days_irrelevant: int | None) -> None:
    """Delete stories older than the retention settings (search index included)."""
    app = get_app(ctx)
    storage = app.config.storage
    result = app.store.prune(keep_days or storage.keep_days,
                             keep_days_irrelevant or storage.keep_days_irrelevant)
    click.echo(f"Pruned {result.relevant_deleted} relevant and "
               f"{result.irrelevant_deleted} irrelevant articles.")


@db_group.command()
@click.pass_context
def vacuum(ctx) -> None:
    """Optimise the search index, VACUUM, ANALYZE and truncate the WAL."""
    app = get_app(ctx)
    path = Path(app.store.db.conn.execute("PRAGMA database_list").fetchone()[2])
    before = path.stat().st_size
    app.store.vacuum()
    click.echo(f"Vacuumed {path.name}: {before:,} → {path.stat().st_size:,} bytes.")


@db_group.command()
@click.pass_context
def version(ctx) -> None:
    """The database's schema version."""
    from db.migrations import CURRENT_VERSION, schema_version

    click.echo(f"schema version {schema_version(get_app(ctx).store.db)} "
               f"(this release: {CURRENT_VERSION})")


@cli.group()
def deliveries() -> None:
    """The delivery outbox: list and retry dead (or disabled-channel) deliveries."""


@deliveries.command("list")
@click.option("--channel")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def list_deliveries(ctx, channel: str | None, fmt: str) -> None:
    """Dead and disabled deliveries, newest first."""
    from alerts.outbox import list_dead
    from db.formats import render

    _print(render(list_dead(get_app(ctx).store, channel), fmt))


@deliveries.command()
@click.option("--channel", help="Only this channel (and re-enable it).")
@click.pass_context
def retry(ctx, channel: str | None) -> None:
    """Queue dead deliveries again; the next `digest` or daemon cycle sends them."""
    from alerts.outbox import retry_dead

    count = retry_dead(get_app(ctx).store, channel)
    click.echo(f"Re-queued {count} deliveries.")
