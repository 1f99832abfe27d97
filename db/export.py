"""Streaming export of articles with their mentions as CSV, JSON or JSON Lines.

Rows are read through one cursor in batches and mentions fetched per batch, so memory stays
constant however many articles are stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING

from db.search import mentions_for
from db.timeutil import to_iso

if TYPE_CHECKING:
    from db.store import Store

EXPORT_COLUMNS = (
    "id", "feed", "published", "fetched_at", "updated_at", "title", "summary", "link", "guid",
    "author", "relevant", "score", "cluster_id", "revision",
)  # fmt: skip
FORMATS = ("csv", "json", "jsonl")
BATCH = 500


def export(
    store: Store, format: str = "jsonl", *, since: datetime | date | str | None = None,
    until: datetime | date | str | None = None, relevant_only: bool = False,
) -> Iterator[str]:  # fmt: skip
    """Yield the export as text chunks (write each as is), oldest publication first.
    In CSV the mentions are one column holding a JSON list."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    records = _records(store, since, until, relevant_only)
    if format == "jsonl":
        for record in records:
            yield json.dumps(record, ensure_ascii=False) + "\n"
    elif format == "json":
        yield "["
        for i, record in enumerate(records):
            yield ("\n" if i == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
        yield "\n]\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*EXPORT_COLUMNS, "mentions"])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        for record in records:
            mentions = json.dumps(record.pop("mentions"), ensure_ascii=False)
            writer.writerow([*record.values(), mentions])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def _records(store: Store, since, until, relevant_only: bool) -> Iterator[dict]:
    where, params = [], []
    if since is not None:
        where.append("published >= ?")
        params.append(to_iso(since))
    if until is not None:
        where.append("published <= ?")
        params.append(to_iso(until))
    if relevant_only:
        where.append("relevant = 1")
    cursor = store.db.conn.execute(
        f"SELECT {', '.join(EXPORT_COLUMNS)} FROM articles "
        + ("WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY published, rowid",
        params,
    )
    while batch := cursor.fetchmany(BATCH):
        mentions = mentions_for(store.db, [row[0] for row in batch])
        for row in batch:
            record = dict(zip(EXPORT_COLUMNS, row, strict=True))
            record["relevant"] = bool(record["relevant"])
            record["mentions"] = [asdict(m) for m in mentions.get(row[0], [])]
            yield record
