"""Render query results as a text table, JSON or CSV, for the CLI to print.

Feed text is hostile: table output strips control characters (no terminal escape injection);
only our own highlight markers become ANSI bold, and only when `color` is set.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from db.records import SearchHit, Stats

FORMATS = ("table", "json", "csv")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_CELL = 60


def render(records: Sequence[Any], fmt: str = "table", *, columns: Sequence[str] | None = None,
           color: bool = False) -> str:
    """Records (dataclasses or dicts) as `fmt`. `columns` picks and orders table/CSV columns."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if records and isinstance(records[0], SearchHit):
        return render_search(records, fmt, color=color)
    rows = [_as_dict(r) for r in records]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        return _csv(rows, columns)
    return _table(rows, columns)


def render_search(hits: Sequence[SearchHit], fmt: str = "table", *, color: bool = False) -> str:
    """Search hits: the table shows the highlighted snippet (bold on a colour terminal, *x*
    otherwise) and each hit's actor:stance list; JSON/CSV mark highlights as **x**."""
    if fmt == "json":
        return json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2) + "\n"
    rows = []
    for h in hits:
        row = {"published": h.published[:16].replace("T", " "), "feed": h.feed,
               "title": h.title, "stances": _stances(h), "link": h.link or ""}
        if fmt == "csv":
            row.update(id=h.id, score=h.score, rank=h.rank, snippet=h.highlighted())
        else:
            start, end = ("\x1b[1m", "\x1b[0m") if color else ("*", "*")
            row["snippet"] = _clean(h.highlighted("\ue000", "\ue001")).replace(
                "\ue000", start).replace("\ue001", end)
        rows.append(row)
    if fmt == "csv":
        return _csv(rows, ["id", "published", "feed", "title", "stances", "score", "rank",
                           "snippet", "link"])
    lines = []
    for row in rows:
        lines.append(f"{row['published']}  {_clean(row['feed'])}  {_clean(row['title'])}")
        if row["stances"]:
            lines.append(f"    {_clean(row['stances'])}")
        if row["snippet"]:
            lines.append(f"    {row['snippet']}")
        lines.append(f"    {_clean(row['link'])}")
    return "\n".join(lines) + ("\n" if lines else "no matches\n")


def render_stats(stats: Stats, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(asdict(stats), ensure_ascii=False, indent=2) + "\n"
    rows = [{"group": "total", "key": "articles", "count": stats.articles},
            {"group": "total", "key": "relevant", "count": stats.relevant},
            {"group": "storage", "key": "db_bytes", "count": stats.db_bytes},
            {"group": "storage", "key": "wal_bytes", "count": stats.wal_bytes}]
    for group, counts in (("feed", stats.by_feed), ("actor", stats.by_actor),
                          ("stance", stats.by_stance)):
        rows += [{"group": group, "key": k, "count": v} for k, v in counts.items()]
    return _csv(rows, ["group", "key", "count"]) if fmt == "csv" else _table(
        rows, ["group", "key", "count"])


def _stances(hit: SearchHit) -> str:
    return ", ".join(f"{m.actor}:{m.stance or 'mentioned'}" for m in hit.mentions)


def _as_dict(record: Any) -> dict[str, Any]:
    return asdict(record) if is_dataclass(record) else dict(record)


def _csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell_value(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict, tuple)) else value


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "(none)\n"
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.2f}"
    text = _clean(str(_cell_value(value)))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)
