"""Delivery channels, each a small class registered by its type name (importing this package
registers the shipped ones)."""

from alerts.channels import apprise, email, file, rss, webhook  # noqa: F401  (registers)
from alerts.channels.base import (
    REGISTRY,
    Channel,
    DeliveryError,
    Outgoing,
    make_channel,
    validate_channel,
)

__all__ = ["REGISTRY", "Channel", "DeliveryError", "Outgoing", "make_channel",
           "validate_channel"]


def build_channels(configs, *, templates_dir=None, base_dir=None) -> dict[str, Channel]:
    """Channel objects by name for the configured channels (`base_dir`: the config's folder,
    against which relative paths resolve; `templates_dir`: the user's templates, for channels
    that render at send time, as the rss channel does its Atom file)."""
    return {c.name: make_channel(c, base_dir=base_dir, templates_dir=templates_dir)
            for c in configs}
