"""The `kashmir-monitor` command line: a thin layer over the library functions.

Every command loads the config through monitor.app, calls one library function, and prints.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from monitor import __version__
from monitor.app import App, builtin_config_text, read_config
from monitor.config import ConfigError, default_config_path
from monitor.logs import register_config_secrets, setup_logging
from monitor.when import parse_when

FORMATS = click.Choice(["table", "json", "csv"])


def when_option(name: str):
    """A --since/--until option: a date, an ISO time, or an age like 7d / 12h. A bare date
    given to --until includes that whole day."""

    def convert(_ctx, param, value):
        try:
            return parse_when(value, end_of_day=name == "--until")
        except ValueError as exc:
            raise click.BadParameter(str(exc), param=param) from None

    return click.option(name, callback=convert,
                        help="Date (2025-05-01), ISO time, or age (7d, 12h).")


class ConfigProblem(click.ClickException):
    """Config problems: one line each on stderr, exit code 2, no traceback."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


class DaemonRunning(click.ClickException):
    """Another daemon holds the database (exit code 3, as `run` itself uses)."""

    exit_code = 3


def get_app(ctx: click.Context) -> App:
    """Load the config once per invocation (lazily: `match` and `init` need none)."""
    obj = ctx.find_root().obj
    if "app" not in obj:
        try:
            config = read_config(obj["config_path"])
        except ConfigError as exc:
            raise ConfigProblem(exc.problems) from None
        register_config_secrets(config)  # masked in every log line from here on
        obj["app"] = App(config, db_path=obj["db_path"])
    return obj["app"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kashmir-monitor")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Config file [default: ./config.toml or $KASHMIR_MONITOR_CONFIG; "
                   "the built-in default when neither exists].")
@click.option("--db", "db_path", type=click.Path(path_type=Path),
              help="SQLite database, overriding [storage] path.")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, db_path: Path | None) -> None:
    """Kashmir Mediation Monitor: who offers, welcomes or rejects mediation over Kashmir."""
    setup_logging("WARNING")  # warnings and errors on stderr, secrets masked; `run` sets its own
    ctx.obj = {"config_path": config_path, "db_path": db_path}


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
def init(path: Path | None) -> None:
    """Write a commented default config to PATH (default ./config.toml); never overwrites."""
    path = path or default_config_path()
    if path.exists():
        raise click.ClickException(f"{path} already exists; not overwriting it")
    path.write_text(builtin_config_text(), encoding="utf-8")
    click.echo(f"Wrote {path}. Check it with: kashmir-monitor --config {path} check-config")


@cli.command("check-config")
@click.pass_context
def check_config(ctx: click.Context) -> None:
    """Validate the config and the watchlist; print a one-screen summary. Exit 0 or 2."""
    app = get_app(ctx)
    cfg = app.config
    watchlist = app.matcher.watchlist
    click.echo(f"{cfg.path}: OK")
    click.echo(f"database: {app.db_path or cfg.storage.path}")
    click.echo(f"feeds ({len(cfg.feeds)}):")
    for feed in cfg.feeds:
        off = "" if feed.enabled else "  [disabled]"
        click.echo(f"  {feed.name:<34} every {feed.interval // 60:>3} min  {feed.url}{off}")
    click.echo(f"channels ({len(cfg.channels)}):")
    for ch in cfg.channels:
        when = f"digest '{ch.schedule}'" if ch.schedule else "no digest"
        imm = ", immediate alerts" if ch.immediate else ""
        click.echo(f"  {ch.name:<20} {ch.type:<8} {when}{imm}, min_score {ch.min_score}")
    followed = [a for a in watchlist.actors if a.in_watchlist]
    click.echo(f"watchlist: {cfg.watchlist_path.name} — {len(followed)} actors (baseline): "
               + ", ".join(f"{a.id} ({a.baseline or 'none'})" for a in followed))
    click.echo(f"  and {len(watchlist.actors) - len(followed)} other third parties "
               "reported as new mediators when they offer mediation")


@cli.command()
@click.option("--feed", "feed_names", multiple=True, help="Only this feed (repeatable).")
@click.pass_context
def poll(ctx: click.Context, feed_names: tuple[str, ...]) -> None:
    """Fetch every (or the named) feed now: parse, match, store, queue alerts."""
    from monitor.pipeline import poll_feeds

    app = get_app(ctx)
    unknown = set(feed_names) - {f.name for f in app.config.feeds}
    if unknown:
        raise click.BadParameter(f"no feed named {', '.join(sorted(unknown))}", param_hint="--feed")
    if sys.stderr.isatty():  # a progress bar on a terminal, none when piped
        with click.progressbar(length=len(feed_names or app.config.feeds), label="Polling",
                               file=sys.stderr) as bar:
            summary = poll_feeds(app, feed_names or None, on_feed_done=lambda _r: bar.update(1))
    else:
        summary = poll_feeds(app, feed_names or None)
    click.echo(summary.describe())


@cli.command()
@click.option("--channel", "channel_names", multiple=True, help="Only this channel (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the rendered digest; mark nothing.")
@click.pass_context
def digest(ctx: click.Context, channel_names: tuple[str, ...], dry_run: bool) -> None:
    """Build and deliver what is pending for the channel(s) now (ignores retry backoff)."""
    from monitor.pipeline import send_digests

    app = get_app(ctx)
    unknown = set(channel_names) - {c.name for c in app.config.channels}
    if unknown:
        raise click.BadParameter(f"no channel named {', '.join(sorted(unknown))}",
                                 param_hint="--channel")
    click.echo(send_digests(app, channel_names or None, dry_run=dry_run))


@cli.command()
@click.option("--once", is_flag=True, help="Poll every feed, deliver what is due, exit.")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@click.option("--log-format", default="text", show_default=True, type=click.Choice(["text", "json"]))
@click.pass_context
def run(ctx: click.Context, once: bool, log_level: str, log_format: str) -> None:
    """Run the monitor as a service (polling, digests, alerts, housekeeping)."""
    from monitor.daemon import run_daemon, run_once
    from monitor.lock import AlreadyRunning

    setup_logging(log_level, log_format)
    if not once:
        # sqlite-utils imports numpy whenever it is installed (matplotlib brings it), only to
        # convert numpy values we never insert: 16 MB of RSS for the daemon's whole life. The
        # digest chart, which does need numpy, runs in a child process.
        sys.modules.setdefault("numpy", None)
    app = get_app(ctx)
    if once:
        try:
            click.echo(run_once(app))
        except AlreadyRunning as exc:  # a daemon holds the database: not a crash
            raise DaemonRunning(str(exc)) from None
        return
    sys.exit(run_daemon(app, config_path=ctx.find_root().obj["config_path"]))


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.pass_context
def match(ctx: click.Context, file) -> None:
    """JSON Lines in (title, summary, id) → one JSON line out per input, in order."""
    from monitor.matching.matcher import match_to_json

    matcher = get_app(ctx).matcher
    for number, line in enumerate(file, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
        except ValueError as exc:
            raise click.ClickException(f"{file.name}: line {number}: {exc}") from None
        result = matcher.match(str(item.get("title") or ""), str(item.get("summary") or ""))
        click.echo(json.dumps(match_to_json(result, item.get("id")), ensure_ascii=False))


@cli.command("eval")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def evaluate(ctx: click.Context, file, fmt: str) -> None:
    """Score the matcher on a labelled JSON Lines file (see the labelling guide)."""
    from monitor.matching.evaluate import evaluate as run_eval
    from monitor.matching.evaluate import read_labelled

    try:
        items = read_labelled(file)
    except ValueError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    report = run_eval(get_app(ctx).matcher, items)
    click.echo(json.dumps(report.as_json(), indent=2) if fmt == "json" else report.as_text())


@cli.command()
@click.argument("query")
@click.option("--actor")
@click.option("--stance")
@when_option("--since")
@when_option("--until")
@click.option("--feed")
@click.option("--relevant-only", is_flag=True)
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def search(ctx, query, actor, stance, since, until, feed, relevant_only, limit, fmt) -> None:
    """Full-text search over stored articles (bm25, then recency)."""
    from db import queries
    from db.formats import render_search

    hits = queries.search(get_app(ctx).store, query, actor=actor, stance=stance, since=since,
                          until=until, feed=feed, relevant_only=relevant_only, limit=limit)
    text = render_search(hits, fmt, color=sys.stdout.isatty())
    click.echo(text if hits or fmt != "table" else "No matches.", nl=not text.endswith("\n"))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def status(ctx: click.Context, fmt: str) -> None:
    """Per-feed health, the daemon's heartbeat, pending and dead deliveries.

    Exit code 1 when unhealthy (no heartbeat for too long, dead deliveries, paused feeds),
    so it serves as a health check.
    """
    from monitor.health import collect_status

    report = collect_status(get_app(ctx), now=datetime.now(UTC))
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        click.echo(report.as_text())
    sys.exit(0 if report.healthy else 1)


def main() -> None:
    """Console entry point (`kashmir-monitor`, `python -m monitor`)."""
    cli(prog_name="kashmir-monitor")


# Command groups in their own files register themselves on `cli` (they import it from here).
from monitor import cli_feeds, cli_store  # noqa: E402,F401
