"""Load and validate config.toml into typed records (monitor/config_records.py).

Validation is strict and friendly: every problem becomes one line naming the file, the key and
what is wrong (`config.toml: channels[1].smtp_port: expected an integer, got "abc"`), and all
problems are reported at once.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import regex

from monitor.config_records import (
    ChannelConfig,
    Config,
    FeedConfig,
    FetchConfig,
    Rule,
    StorageConfig,
)

ENV_DEFAULT = "KASHMIR_MONITOR_CONFIG"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # feed and channel names
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_DURATION = 366 * 86400  # longer is a typo, and overflows date arithmetic soon after
RULE_FIELDS = ("title", "summary", "link", "author", "category", "age")
CHANNEL_COMMON = {
    "name", "type", "schedule", "immediate", "min_score", "actors", "stances",
    "shifts_only", "active_hours",
}
TOP_LEVEL = {"storage", "fetch", "schedule", "watchlist", "templates", "filters", "feeds", "channels"}

# A hook that checks a channel's own settings (alerts/ provides it; config must not import alerts).
ChannelValidator = Callable[[ChannelConfig, str], list[str]]


class ConfigError(Exception):
    """The config is invalid; `problems` holds one printable line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def default_config_path() -> Path:
    return Path(os.environ.get(ENV_DEFAULT) or "config.toml")


def parse_duration(value: int | str, *, at_most: int | None = MAX_DURATION) -> int:
    """Seconds from an int or "30s" / "15m" / "2h" / "1d", at most `at_most` (a year: an
    interval or backoff beyond that is a typo). Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"expected seconds or a duration like \"15m\", got {value!r}")
    if isinstance(value, int):
        if value <= 0 or (at_most and value > at_most):
            raise ValueError(f"expected a positive duration of at most a year, got {value}")
        return value
    m = DURATION.match(str(value))
    if not m or int(m.group(1)) <= 0:
        raise ValueError(f'expected seconds or a duration like "15m", got "{value}"')
    seconds = int(m.group(1)) * UNITS[m.group(2)]
    if at_most and seconds > at_most:
        raise ValueError(f'expected at most a year, got "{value}"')
    return seconds


def parse_rule(text: str) -> Rule:
    """`field=regex` or `age>30d` / `age<2h`. Raises ValueError with the reason."""
    if not isinstance(text, str):
        raise ValueError(f'expected "field=regex", got {text!r}')
    if text.startswith("age"):
        m = re.fullmatch(r"age\s*([<>])\s*(\S+)", text)
        if not m:
            raise ValueError(f'expected "age>30d" or "age<2h", got "{text}"')
        parse_duration(m.group(2), at_most=None)  # any age; feeds/filters caps the arithmetic
        return Rule("age", m.group(1) + m.group(2))
    name, sep, pattern = text.partition("=")
    name = name.strip()
    if not sep:
        raise ValueError(f'expected "field=regex", got "{text}"')
    if name not in RULE_FIELDS:
        raise ValueError(f'unknown field "{name}"{_suggest(name, RULE_FIELDS)}')
    try:  # the engine filter rules run on (feeds/filters.py), so both agree on what is valid
        regex.compile(pattern, regex.VERSION0)
    except regex.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
    return Rule(name, pattern)


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _show(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


class _Reader:
    """Reads typed values out of one TOML table, collecting problems instead of raising."""

    def __init__(self, problems: list[str], label: str):
        self.problems = problems
        self.label = label  # the file name every problem line starts with

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.label}: {key}: {message}")

    def check_keys(self, table: dict, where: str, allowed) -> None:
        for key in table:
            if key not in allowed:
                self.problem(f"{where}.{key}" if where else key,
                             f"unknown key{_suggest(key, allowed)}")

    def entries(self, raw: dict, key: str):
        """(index, "key[i]", table) for each table of an array of tables like [[feeds]]."""
        for i, table in enumerate(self.get(raw, key, "", list, [])):
            where = f"{key}[{i}]"
            if isinstance(table, dict):
                yield i, where, table
            else:
                self.problem(where, f"expected a table, got {_show(table)}")

    def unique_name(self, table: dict, where: str, seen: set[str], kind: str,
                    missing: str = "missing") -> str | None:
        """The entry's `name`: present, plain ([a-z0-9-]: it names files and ids) and unique."""
        name = self.get(table, "name", where, str, None)
        if name is None:
            self.problem(f"{where}.name", missing)
        elif not NAME.match(name):
            self.problem(f"{where}.name",
                         f"expected lower-case letters, digits and '-', got {_show(name)}")
        elif name in seen:
            self.problem(f"{where}.name", f'duplicate {kind} name "{name}"')
        seen.add(name)
        return name

    def get(self, table: dict, key: str, where: str, kind: type | tuple, default: Any) -> Any:
        if key not in table:
            return default
        value = table[key]
        ok = isinstance(value, kind) and not (isinstance(value, bool) and kind in (int, float))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not ok:
            names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
                     list: "a list", dict: "a table"}
            want = names.get(kind, getattr(kind, "__name__", str(kind)))
            self.problem(f"{where}.{key}" if where else key, f"expected {want}, got {_show(value)}")
            return default
        return value


def _expand_env(value: Any, path: str, problems: list[str], label: str) -> Any:
    """Replace ${VAR} in every string; a missing variable is a problem naming it."""
    if isinstance(value, str):
        def sub(m: re.Match) -> str:
            name = m.group(1)
            if name not in os.environ:
                problems.append(f"{label}: {path}: environment variable {name} is not set")
                return ""
            return os.environ[name]
        return ENV_REF.sub(sub, value)
    if isinstance(value, list):
        return [_expand_env(v, f"{path}[{i}]", problems, label) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _expand_env(v, f"{path}.{k}" if path else k, problems, label)
                for k, v in value.items()}
    return value


def _check_url(url: str, allow_file: bool = True) -> str | None:
    parsed = urlparse(url)
    schemes = ("http", "https", "file") if allow_file else ("http", "https")
    if parsed.scheme not in schemes:
        return f"expected an http(s){' or file://' if allow_file else ''} URL, got {_show(url)}"
    if parsed.scheme != "file" and not parsed.netloc:
        return f"expected a URL with a host, got {_show(url)}"
    return None


def _rules(r: _Reader, table: dict, where: str, key: str) -> tuple[Rule, ...]:
    out = []
    for i, text in enumerate(r.get(table, key, where, list, [])):
        try:
            out.append(parse_rule(text))
        except ValueError as exc:
            r.problem(f"{where}.{key}[{i}]" if where else f"{key}[{i}]", str(exc))
    return tuple(out)


def _storage(r: _Reader, raw: dict, base: Path) -> StorageConfig:
    table = r.get(raw, "storage", "", dict, {})
    r.check_keys(table, "storage", {"path", "keep_days", "keep_days_irrelevant"})
    path = Path(r.get(table, "path", "storage", str, "kashmir-monitor.db")).expanduser()
    keep = r.get(table, "keep_days", "storage", int, None)
    keep_irrelevant = r.get(table, "keep_days_irrelevant", "storage", int, 30)
    for key, value in (("keep_days", keep), ("keep_days_irrelevant", keep_irrelevant)):
        if value is not None and value <= 0:
            r.problem(f"storage.{key}", f"expected a positive number of days, got {value}")
    return StorageConfig(path if path.is_absolute() else base / path, keep, keep_irrelevant)


def _fetch(r: _Reader, raw: dict) -> FetchConfig:
    table = r.get(raw, "fetch", "", dict, {})
    known = {f.name: f for f in fields(FetchConfig)}
    r.check_keys(table, "fetch", known)
    values = {}
    for name, value in table.items():
        if name not in known:
            continue
        default = getattr(FetchConfig(), name)
        if name in ("backoff_cap", "min_interval", "max_interval"):
            try:
                values[name] = parse_duration(value)
            except ValueError as exc:
                r.problem(f"fetch.{name}", str(exc))
            continue
        kind = str if name == "user_agent" else type(default)
        got = r.get(table, name, "fetch", kind, default)
        if isinstance(got, int | float) and got <= 0:
            r.problem(f"fetch.{name}", f"expected a positive value, got {got}")
            continue
        values[name] = got
    return FetchConfig(**values)


def _feeds(r: _Reader, raw: dict) -> tuple[FeedConfig, ...]:
    allowed = {"name", "url", "interval", "user_agent", "enabled", "block", "keep"}
    feeds, seen = [], set()
    for i, where, table in r.entries(raw, "feeds"):
        r.check_keys(table, where, allowed)
        name = r.unique_name(table, where, seen, "feed",
                             missing='missing (a unique name like "dawn-pakistan")')
        url = r.get(table, "url", where, str, None)
        if url is None:
            r.problem(f"{where}.url", "missing")
        elif (bad := _check_url(url)):
            r.problem(f"{where}.url", bad)
        interval = 900
        if "interval" in table:
            try:
                interval = parse_duration(table["interval"])
            except ValueError as exc:
                r.problem(f"{where}.interval", str(exc))
        feeds.append(FeedConfig(
            name=name or f"feed-{i}", url=url or "", interval=interval,
            user_agent=r.get(table, "user_agent", where, str, None),
            enabled=r.get(table, "enabled", where, bool, True),
            block=_rules(r, table, where, "block"), keep=_rules(r, table, where, "keep"),
        ))
    return tuple(feeds)


def _check_cron(expr: str, timezone: str) -> str | None:
    from monitor.jobs import cron_trigger  # the daemon's reading of cron, Sunday = 0 or 7

    if len(expr.split()) != 5:
        return f'expected a 5-field cron expression like "0 7 * * *", got {_show(expr)}'
    try:
        cron_trigger(expr, ZoneInfo(timezone))
    except (ValueError, KeyError, ZoneInfoNotFoundError) as exc:
        return f"invalid cron expression {_show(expr)}: {exc}"
    return None


def _channels(r: _Reader, raw: dict, timezone: str,
              validate: ChannelValidator | None) -> tuple[ChannelConfig, ...]:
    channels, seen = [], set()
    for i, where, table in r.entries(raw, "channels"):
        name = r.unique_name(table, where, seen, "channel")
        ctype = r.get(table, "type", where, str, None)
        if ctype is None:
            r.problem(f"{where}.type", "missing (file | email | webhook | rss | apprise)")
        schedule = r.get(table, "schedule", where, str, "0 7 * * *")
        if schedule and (bad := _check_cron(schedule, timezone)):
            r.problem(f"{where}.schedule", bad)
        min_score = r.get(table, "min_score", where, float, 0.5)
        if not 0.0 <= min_score <= 1.0:
            r.problem(f"{where}.min_score", f"expected a number from 0 to 1, got {min_score}")
        active = r.get(table, "active_hours", where, str, None)
        if active and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", active):
            r.problem(f"{where}.active_hours", f'expected "HH:MM-HH:MM", got {_show(active)}')
        channel = ChannelConfig(
            name=name or f"channel-{i}", type=ctype or "",
            schedule=schedule or None,
            immediate=r.get(table, "immediate", where, bool, False),
            min_score=min_score,
            actors=tuple(r.get(table, "actors", where, list, [])),
            stances=tuple(r.get(table, "stances", where, list, [])),
            shifts_only=r.get(table, "shifts_only", where, bool, False),
            active_hours=active,
            settings={k: v for k, v in table.items() if k not in CHANNEL_COMMON},
        )
        if validate is not None and ctype is not None:
            for line in validate(channel, where):
                r.problems.append(f"{r.label}: {line}")
        channels.append(channel)
    return tuple(channels)


def _timezone(r: _Reader, raw: dict) -> str:
    table = r.get(raw, "schedule", "", dict, {})
    r.check_keys(table, "schedule", {"timezone"})
    tz = r.get(table, "timezone", "schedule", str, "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        r.problem("schedule.timezone", f"unknown time zone {_show(tz)}")
        return "UTC"
    return tz


def _watchlist_path(r: _Reader, raw: dict, base: Path) -> Path:
    from monitor.matching.watchlist import DEFAULT_WATCHLIST

    table = r.get(raw, "watchlist", "", dict, {})
    r.check_keys(table, "watchlist", {"file"})
    file = r.get(table, "file", "watchlist", str, None)
    if file is None or file == "builtin:kashmir-mediation":
        return DEFAULT_WATCHLIST
    path = Path(file).expanduser()
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        r.problem("watchlist.file", f"no such file: {path}")
    return path


def load_config(path: Path | str, *, validate_channel: ChannelValidator | None = None,
                text: str | None = None) -> Config:
    """Read, expand ${ENV} references, validate and type the config at `path`.

    With `text`, that is the config and `path` only says where it stands (relative paths are
    resolved against its folder). Raises ConfigError listing every problem, each one line.
    """
    path = Path(path)
    label = path.name
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError([f"{path}: cannot read config: {exc.strerror or exc}"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{label}: invalid TOML: {exc}"]) from None
    problems: list[str] = []
    raw = _expand_env(raw, "", problems, label)
    r = _Reader(problems, label)
    r.check_keys(raw, "", TOP_LEVEL)
    base = path.resolve().parent
    timezone = _timezone(r, raw)
    templates = r.get(r.get(raw, "templates", "", dict, {}), "directory", "templates", str, None)
    r.check_keys(r.get(raw, "templates", "", dict, {}), "templates", {"directory"})
    filters = r.get(raw, "filters", "", dict, {})
    r.check_keys(filters, "filters", {"block", "keep"})
    config = Config(
        path=path.resolve(),
        storage=_storage(r, raw, base),
        feeds=_feeds(r, raw),
        channels=_channels(r, raw, timezone, validate_channel),
        watchlist_path=_watchlist_path(r, raw, base),
        fetch=_fetch(r, raw),
        timezone=timezone,
        templates_dir=(base / templates) if templates else None,
        block=_rules(r, filters, "filters", "block"),
        keep=_rules(r, filters, "filters", "keep"),
    )
    if problems:
        raise ConfigError(problems)
    return config
