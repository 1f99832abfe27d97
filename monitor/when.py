"""Reading the CLI's time arguments: a date, an ISO time, or an age counted back from now."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from db.timeutil import parse_when as parse_iso

AGE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
AGE_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """`2025-05-01`, `2025-05-01T07:00`, an ISO time with offset, or an age (`7d`, `12h`).

    Raises ValueError naming the text when it is none of these.
    """
    if not text:
        return None
    if m := AGE.match(text):
        return (now or datetime.now(UTC)) - timedelta(**{AGE_UNITS[m.group(2)]: int(m.group(1))})
    try:
        return parse_iso(text)
    except ValueError:
        raise ValueError(f'expected a date like 2025-05-01 or an age like 7d, got "{text}"') from None
