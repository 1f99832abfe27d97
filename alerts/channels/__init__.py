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
