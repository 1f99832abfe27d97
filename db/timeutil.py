"""Times in the database are ISO-8601 UTC strings ("2025-05-11T07:00:00+00:00"), which sort
as text in time order; these helpers convert at the boundary."""

from __future__ import annotations

from datetime import UTC, date, datetime


def to_iso(value: datetime | date | str | None) -> str | None:
    """A datetime (naive = UTC), a date (midnight UTC) or an ISO string → the stored form."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_when(value)
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def parse_when(text: str) -> datetime:
    """'2025-05-11', '2025-05-11T07:00', '2025-05-11T07:00:00+05:00' → aware UTC datetime.
    Raises ValueError with the offending text otherwise."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date or ISO-8601 time: {text!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
