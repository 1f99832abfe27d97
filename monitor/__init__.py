"""Kashmir Mediation Monitor: CLI, daemon, scheduling, configuration and the matcher."""

__version__ = "0.1.0"
