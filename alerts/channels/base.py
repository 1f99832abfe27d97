"""The channel interface, the registry of channel types, and settings validation.

A channel type is one small class in its own file: it names itself with `type_name`, declares
its settings in `SETTINGS`, and implements `send`. Defining the class registers it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from alerts.records import RenderedMessage
from monitor.config_records import ChannelConfig

REGISTRY: dict[str, type[Channel]] = {}


@dataclass(frozen=True)
class Setting:
    """One key a channel type accepts in its `[[channels]]` table."""

    kind: type | tuple[type, ...]
    required: bool = False
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class Outgoing:
    """One delivery as a channel sees it: the idempotency key and the frozen message."""

    id: str  # stable across retries: Message-ID, webhook-id and file names derive from it
    channel: str
    kind: str  # digest | alert
    message: RenderedMessage
    created_at: datetime
    attempt: int = 1


class DeliveryError(Exception):
    """A send that did not get confirmed. `retryable` False: retrying will not help (dead at
    once); `gone`: the endpoint says it no longer exists (the channel is disabled)."""

    def __init__(self, detail: str, *, retryable: bool = True, retry_after: float | None = None,
                 gone: bool = False):
        super().__init__(detail)
        self.detail = detail
        self.retryable = retryable and not gone
        self.retry_after = retry_after
        self.gone = gone


# Keys every channel type accepts besides ChannelConfig's own fields.
COMMON_SETTINGS = {
    "max_attempts": Setting(int, default=8, help="attempts before a delivery is dead"),
    "retry_base": Setting((int, float), default=60, help="seconds before the first retry"),
}


class Channel:
    """Base class: subclasses set `type_name`, `SETTINGS` and implement `send`."""

    type_name: ClassVar[str] = ""
    SETTINGS: ClassVar[dict[str, Setting]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.type_name:
            REGISTRY[cls.type_name] = cls

    def __init__(self, config: ChannelConfig, *, base_dir: Path | None = None,
                 templates_dir: Path | None = None):
        self.config = config
        self.name = config.name
        self.base_dir = base_dir or Path.cwd()
        self.templates_dir = templates_dir
        spec = {**COMMON_SETTINGS, **self.SETTINGS}
        self.settings = {k: config.settings.get(k, s.default) for k, s in spec.items()}

    @property
    def max_attempts(self) -> int:
        return int(self.settings["max_attempts"])

    @property
    def retry_base(self) -> float:
        return float(self.settings["retry_base"])

    def path(self, value: str) -> Path:
        """A configured path, relative to the config file's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    @classmethod
    def check(cls, settings: dict[str, Any]) -> list[tuple[str, str]]:
        """Type-specific problems as (key, problem); the base checks keys and types."""
        return []

    def send(self, outgoing: Outgoing) -> str:
        """Deliver and return a short confirmation once the far end accepted it; raise
        DeliveryError otherwise. Must be safe to repeat with the same `outgoing.id`."""
        raise NotImplementedError


def _type_label(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false",
             list: "a list"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def validate_channel(config: ChannelConfig, where: str | int) -> list[str]:
    """Problems with a channel's type and settings, one line each:
    `channels[1].smtp_port: expected an integer, got "abc"`."""
    where = f"channels[{where}]" if isinstance(where, int) else where
    cls = REGISTRY.get(config.type)
    if cls is None:
        close = difflib.get_close_matches(config.type, REGISTRY, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return [f'{where}.type: unknown channel type "{config.type}"{hint}; '
                f"known: {', '.join(sorted(REGISTRY))}"]
    spec = {**COMMON_SETTINGS, **cls.SETTINGS}
    problems = []
    for key, value in config.settings.items():
        if key not in spec:
            close = difflib.get_close_matches(key, spec, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(f"{where}.{key}: unknown key for the {config.type} channel{hint}")
            continue
        kind = spec[key].kind
        kinds = kind if isinstance(kind, tuple) else (kind,)
        bad_bool = isinstance(value, bool) and bool not in kinds
        if bad_bool or not isinstance(value, kinds):
            shown = f'"{value}"' if isinstance(value, str) else repr(value)
            problems.append(f"{where}.{key}: expected {_type_label(kind)}, got {shown}")
    for key, setting in spec.items():
        if setting.required and key not in config.settings:
            problems.append(f"{where}.{key}: missing (required for the {config.type} channel)")
    if problems:  # type checks first; the specific checks assume the right types
        return problems
    if config.settings.get("max_attempts", 1) < 1:
        problems.append(f"{where}.max_attempts: expected at least 1")
    return problems + [f"{where}.{k}: {p}" for k, p in cls.check(config.settings)]


def make_channel(config: ChannelConfig, *, base_dir: Path | None = None,
                 templates_dir: Path | None = None) -> Channel:
    """The channel object for a (validated) config."""
    try:
        cls = REGISTRY[config.type]
    except KeyError:
        raise ValueError(f'unknown channel type "{config.type}"') from None
    return cls(config, base_dir=base_dir, templates_dir=templates_dir)
