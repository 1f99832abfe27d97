"""`kashmir-monitor feeds …`: manage feeds from the command line (config.toml stays the truth).

Commands that change feeds edit config.toml in place (comments and layout kept), validate the
result and write it atomically; see monitor/feeds_admin.py and monitor/config_edit.py.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

from monitor.cli import ConfigProblem, cli, get_app
from monitor.config import ConfigError, default_config_path


def _config_path(ctx: click.Context) -> Path:
    return ctx.find_root().obj["config_path"] or default_config_path()


def _validator():
    from monitor.app import channel_validator

    return channel_validator()


def _edit(action):
    """Run a config edit, turning its refusals into one-line messages and exit codes."""
    from monitor.config_edit import ConfigEditError

    try:
        return action()
    except ConfigEditError as exc:
        raise click.ClickException("\n".join(exc.problems)) from None
    except ConfigError as exc:
        raise ConfigProblem(["config.toml not changed: the result would be invalid:",
                             *exc.problems]) from None


def _plain(text: object, width: int | None = None) -> str:
    """Feed text made safe for a terminal: no control characters (escape sequences), one line."""
    s = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in str(text or ""))
    s = " ".join(s.split())
    return s if width is None or len(s) <= width else s[: width - 1] + "…"


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _open_store(ctx: click.Context, create: bool = False):
    """The store, or None when the database does not exist yet (listing must not create it)."""
    app = get_app(ctx)
    path = app.db_path or app.config.storage.path
    if not create and not Path(path).exists():
        return None
    return app.store


def _reload_daemon(ctx: click.Context) -> None:
    """Config edits reach a running daemon at once: it reloads on SIGHUP."""
    from monitor.feeds_admin import signal_daemon_reload

    app = get_app(ctx)
    pid = signal_daemon_reload(Path(app.db_path or app.config.storage.path))
    if pid is not None:
        click.echo(f"Asked the running daemon (pid {pid}) to reload the config.")


@cli.group()
def feeds() -> None:
    """List, add, remove, pause, resume, test, import and export feeds."""


@feeds.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_context
def list_command(ctx: click.Context, fmt: str) -> None:
    """Show feeds with state, last success, articles.

    State: new (never polled), ok, failing, paused (automatically, after too many failures or
    a 410; see `feeds resume`), disabled (enabled = false in the config), resumed."""
    from dataclasses import asdict

    from monitor.feeds_admin import list_feeds

    rows = list_feeds(get_app(ctx).config, _open_store(ctx))
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No feeds configured. Add one with: kashmir-monitor feeds add NAME URL")
        return
    table = [(r.name, _plain(r.url, 60), _duration(r.interval),
              r.state + (f" ({r.consecutive_failures} failures)" if r.consecutive_failures else ""),
              (r.last_success or "never")[:16].replace("T", " "), str(r.articles)) for r in rows]
    head = ("NAME", "URL", "INTERVAL", "STATE", "LAST SUCCESS", "ARTICLES")
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(head)]
    for row in (head, *table):
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


@feeds.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--interval", help='Poll interval: seconds or "30s" / "15m" / "2h" [default: 15m].')
@click.pass_context
def add_command(ctx: click.Context, name: str, url: str, interval: str | None) -> None:
    """Add a feed to the config.

    NAME: lower-case letters, digits and '-'. URL: http(s) (or file://)."""
    from monitor.config_edit import NewFeed
    from monitor.feeds_admin import add_feed

    value = int(interval) if interval and interval.isdigit() else interval
    path = _config_path(ctx)
    _edit(lambda: add_feed(path, NewFeed(name, url, value), validate_channel=_validator()))
    click.echo(f'Added feed "{name}" ({url}) to {path}.')
    _reload_daemon(ctx)


@feeds.command("remove")
@click.argument("name")
@click.pass_context
def remove_command(ctx: click.Context, name: str) -> None:
    """Remove a feed from the config (stored articles stay)."""
    from monitor.feeds_admin import delete_feed

    path = _config_path(ctx)
    removed = _edit(lambda: delete_feed(path, name, validate_channel=_validator()))
    click.echo(f'Removed feed "{name}" ({removed.get("url")}) from {path}; '
               "its stored articles are kept.")
    _reload_daemon(ctx)


@feeds.command("pause")
@click.argument("name")
@click.pass_context
def pause_command(ctx: click.Context, name: str) -> None:
    """Stop polling a feed (writes enabled = false)."""
    from monitor.feeds_admin import set_enabled

    path = _config_path(ctx)
    changed = _edit(lambda: set_enabled(path, name, False, validate_channel=_validator()))
    click.echo(f'Paused feed "{name}" (enabled = false in {path}).' if changed
               else f'Feed "{name}" was already paused.')
    if changed:
        _reload_daemon(ctx)


@feeds.command("resume")
@click.argument("name")
@click.pass_context
def resume_command(ctx: click.Context, name: str) -> None:
    """Poll a paused feed again.

    Re-enables it in the config and lifts an automatic pause (after too many failures, or a
    410) together with its backoff in the database."""
    from monitor.feeds_admin import clear_store_pause, set_enabled

    path = _config_path(ctx)
    changed = _edit(lambda: set_enabled(path, name, True, validate_channel=_validator()))
    lines = [f'Enabled feed "{name}" in {path}.' if changed
             else f'Feed "{name}" is enabled in {path}.']
    store = _open_store(ctx)
    before = clear_store_pause(store, name) if store is not None else None
    if before is not None and before.paused:
        lines.append(f"Lifted the automatic pause ({_plain(before.paused_reason or 'paused')}); "
                     "it is polled on the next cycle.")
    elif before is not None and before.consecutive_failures:
        lines.append(f"Cleared {before.consecutive_failures} failures and the backoff; "
                     "it is polled on the next cycle.")
    click.echo("\n".join(lines))
    if changed:
        _reload_daemon(ctx)


@feeds.command("test")
@click.argument("url")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="Show at most this many entries.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def test_command(ctx: click.Context, url: str, limit: int, fmt: str) -> None:
    """Fetch a feed once; show what rules and matcher say.

    Each entry is shown with the filter rules' decision (the rules of the configured feed with
    this URL, else the global ones) and the matcher's verdict. Stores nothing. Exit 1 when the
    fetch or the parse failed."""
    from monitor.feeds_admin import probe_feed

    app = get_app(ctx)
    probe = probe_feed(url, app.config, app.matcher)
    if fmt == "json":
        click.echo(json.dumps(_probe_json(probe, limit), indent=2, ensure_ascii=False))
    else:
        click.echo(_probe_text(probe, limit))
    if probe.error:
        sys.exit(1)


def _probe_json(probe, limit: int) -> dict:
    from monitor.matching.matcher import match_to_json

    return {
        "url": probe.url, "status": probe.status, "error": probe.error, "title": probe.title,
        "warnings": probe.warnings, "rules_from": probe.rules_from,
        "slow_rules": probe.slow_rules,
        "entries": [{
            "title": e.article.title, "link": e.article.link,
            "published": e.article.published.isoformat(), "kept": e.kept, "filter": e.verdict,
            "match": match_to_json(e.match, e.article.id) if e.match else None,
        } for e in probe.entries[:limit]],
    }


def _probe_text(probe, limit: int) -> str:
    lines = [f"{probe.url}: HTTP {probe.status or '-'}"
             + (f", error: {_plain(probe.error)}" if probe.error else "")]
    if probe.title is not None or probe.entries:
        relevant = sum(1 for e in probe.entries if e.match and e.match.relevant)
        blocked = sum(1 for e in probe.entries if not e.kept)
        lines.append(f"feed: {_plain(probe.title) or '(no title)'} — {len(probe.entries)} entries, "
                     f"{blocked} blocked by filter rules, {relevant} relevant")
    if probe.rules_from:
        lines.append(f'filter rules: global and feed "{probe.rules_from}"')
    lines += [f"warning: {_plain(w)}" for w in probe.warnings]
    lines += [f"warning: filter rule {rule} ran out of time and was skipped (catastrophic "
              "backtracking?); simplify it" for rule in probe.slow_rules]
    for e in probe.entries[:limit]:
        lines.append("")
        lines.append(f"* {_plain(e.article.title, 100)}")
        lines.append(f"  {e.article.published:%Y-%m-%d %H:%M}  {_plain(e.article.link or '', 90)}")
        if not e.kept:
            lines.append(f"  filter: {e.verdict}")
            continue
        m = e.match
        verdict = "relevant" if m.relevant else "not relevant"
        lines.append(f"  matcher: {verdict}, score {m.score:.2f}"
                     + (f", topics: {', '.join(m.topics)}" if m.topics else ""))
        for mention in m.mentions:
            shift = " (SHIFT from " + str(mention.baseline) + ")" if mention.shift else ""
            lines.append(f"    {mention.actor}: {mention.stance or 'no stance'}{shift}"
                         f" — {_plain(mention.evidence, 90)}")
    if len(probe.entries) > limit:
        lines.append(f"\n… {len(probe.entries) - limit} more (use --limit)")
    return "\n".join(lines)


@feeds.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--interval", help="Poll interval for the imported feeds [default: 15m].")
@click.option("--dry-run", is_flag=True, help="Show what would be added; change nothing.")
@click.pass_context
def import_command(ctx: click.Context, file, interval: str | None, dry_run: bool) -> None:
    """Add the feeds of an OPML file (any reader's export).

    Nested categories are followed; feeds already configured (same URL) or repeated in the
    file are skipped and listed; names are made from titles ([a-z0-9-], unique)."""
    from feeds.opml import OpmlError
    from monitor.feeds_admin import import_opml

    path = _config_path(ctx)
    value = int(interval) if interval and interval.isdigit() else interval
    try:
        data = file.read()
        plan = _edit(lambda: import_opml(path, data, interval=value, dry_run=dry_run,
                                         validate_channel=_validator()))
    except OpmlError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    verb = "Would add" if dry_run else "Added"
    click.echo(f"{verb} {len(plan.added)} feeds, skipped {len(plan.skipped)}"
               + ("." if dry_run else f"; {path} updated." if plan.added else "."))
    for name, feed in plan.added:
        where = f"  [{_plain(' / '.join(feed.categories))}]" if feed.categories else ""
        click.echo(f"  + {name:<30} {_plain(feed.xml_url)}{where}")
    for feed, why in plan.skipped:
        click.echo(f"  - {_plain(feed.title or '(untitled)', 40)} ({_plain(feed.xml_url)}): {why}")
    if plan.added and not dry_run:
        _reload_daemon(ctx)


@feeds.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.pass_context
def export_command(ctx: click.Context, output: Path | None) -> None:
    """Print the feeds as OPML 2.0 (for any feed reader)."""
    from feeds.opml import write_opml
    from monitor.config_edit import write_atomically

    text = write_opml([(f.name, f.url) for f in get_app(ctx).config.feeds])
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
        click.echo(f"Wrote {len(get_app(ctx).config.feeds)} feeds to {output}.", err=True)
