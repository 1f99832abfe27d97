"""Digests and alerts: select, render, deliver exactly once."""
