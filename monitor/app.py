"""Wiring shared by the CLI and the daemon: load the config, open the store, build the matcher.

Nothing here holds business logic; it only puts the packages together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from monitor.config import ConfigError, default_config_path, load_config
from monitor.config_records import Config

BUILTIN_CONFIG = "default_config.toml"


def builtin_config_text() -> str:
    """The embedded default config (a copy of the repository's config.toml)."""
    return resources.files("monitor").joinpath(BUILTIN_CONFIG).read_text(encoding="utf-8")


def channel_validator():
    """alerts/ knows each channel type's own keys; config asks it through this hook."""
    from alerts.channels import validate_channel

    return validate_channel


def read_config(path: Path | None) -> Config:
    """Load and fully validate the config, the watchlist included.

    With no path given and no ./config.toml (nor $KASHMIR_MONITOR_CONFIG), the embedded default
    is used, with relative paths resolved against the current folder.
    """
    from monitor.matching.watchlist import WatchlistError, load_watchlist

    text = None
    if path is None:
        path = default_config_path()
        if not path.exists() and "KASHMIR_MONITOR_CONFIG" not in os.environ:
            text = builtin_config_text()
    config = load_config(path, validate_channel=channel_validator(), text=text)
    try:
        load_watchlist(config.watchlist_path)
    except WatchlistError as exc:
        raise ConfigError(list(exc.problems)) from None
    return config


@dataclass
class App:
    """The loaded config plus lazily opened store and matcher."""

    config: Config
    db_path: Path | None = None  # --db overrides [storage] path

    @cached_property
    def store(self):
        from db.store import Store

        return Store(self.db_path or self.config.storage.path)

    @cached_property
    def matcher(self):
        from monitor.matching.matcher import Matcher
        from monitor.matching.watchlist import load_watchlist

        return Matcher(load_watchlist(self.config.watchlist_path))

    @cached_property
    def channels(self):
        from alerts.channels import build_channels

        return build_channels(self.config.channels, templates_dir=self.config.templates_dir,
                              base_dir=self.config.path.parent)
