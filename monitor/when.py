"""Reading the CLI's time arguments: a date, an ISO time, or an age counted back from now."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from db.timeutil import parse_when as parse_iso

AGE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
AGE_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str | None, *, now: datetime | None = None,
               end_of_day: bool = False) -> datetime | None:
    """`2025-05-01`, `2025-05-01T07:00`, an ISO time with offset, or an age (`7d`, `12h`).

    With `end_of_day` (for --until), a bare date means the end of that day, so the day is
    included. Raises ValueError naming the text when it is none of these.
    """
    if not text:
        return None
    if m := AGE.match(text):
        return (now or datetime.now(UTC)) - timedelta(**{AGE_UNITS[m.group(2)]: int(m.group(1))})
    try:
        when = parse_iso(text)
        if end_of_day and DATE_ONLY.match(text):
            when += timedelta(days=1, seconds=-1)
        return when
    except ValueError:
        raise ValueError(f'expected a date like 2025-05-01 or an age like 7d, got "{text}"') from None
