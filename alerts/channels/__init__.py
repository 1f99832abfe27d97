"""Delivery channels, each a small class registered by its type name."""
