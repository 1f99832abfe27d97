"""Printing records as a table, JSON or CSV, and reading the CLI's time arguments."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import click

AGE = re.compile(r"^(\d+)([mhdw])$")
AGE_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """`2025-05-01`, `2025-05-01T07:00`, an ISO time with offset, or an age (`7d`, `12h`)."""
    if not text:
        return None
    if m := AGE.match(text.strip()):
        delta = timedelta(**{AGE_UNITS[m.group(2)]: int(m.group(1))})
        return (now or datetime.now(UTC)) - delta
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f'expected a date like 2025-05-01 or an age like 7d, got "{text}"')
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def as_row(record: Any) -> dict[str, Any]:
    """A record (dataclass or mapping) as a flat dict of JSON-able values."""
    row = dataclasses.asdict(record) if dataclasses.is_dataclass(record) else dict(record)
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def emit(records: Iterable[Any], fmt: str, *, columns: list[str] | None = None,
         highlight: bool = False, out=None) -> None:
    """Print records in `fmt` (table | json | jsonl | csv), streaming where the format allows."""
    out = out or sys.stdout
    rows = (as_row(r) for r in records)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if fmt == "json":
        out.write("[")
        for i, row in enumerate(rows):
            out.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False, default=str))
        out.write("\n]\n")
        return
    if fmt == "csv":
        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=columns or list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: json.dumps(v) if isinstance(v, list | dict) else v
                             for k, v in row.items()})
        return
    table = list(rows)
    if not table:
        out.write("(no rows)\n")
        return
    columns = columns or [c for c in table[0] if not isinstance(table[0][c], list | dict)]
    widths = {c: min(60, max(len(c), *(len(_cell(r.get(c), 60)) for r in table))) for c in columns}
    out.write("  ".join(c.ljust(widths[c]) for c in columns).rstrip() + "\n")
    out.write("  ".join("-" * widths[c] for c in columns) + "\n")
    for r in table:
        line = "  ".join(_cell(r.get(c), widths[c]).ljust(widths[c]) for c in columns).rstrip()
        if highlight:  # FTS snippets mark matches with [ ]; bold them on a terminal
            line = line.replace("[", "\x1b[1m").replace("]", "\x1b[0m") if out.isatty() else line
        out.write(line + "\n")
