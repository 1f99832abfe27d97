"""The stance timeline as a PNG or SVG chart (`timeline --plot FILE`).

matplotlib is imported lazily with the Agg backend: no display needed, and commands that do not
plot do not pay its import time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from db.records import TimelineRow

MAX_SERIES = 10  # more lines than this is unreadable; the rest are summed into "other"


def plot_timeline(rows: Sequence[TimelineRow], path: Path | str, *,
                  title: str = "Stances on Kashmir mediation") -> Path:
    """Write one line per actor:stance (counts per period) to `path` (.png or .svg)."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"plot file must end in .png or .svg, not {path.name!r}")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    periods = sorted({r.period for r in rows})
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        key = f"{r.actor}: {r.stance.replace('_', ' ')}"
        series[key][r.period] = series[key].get(r.period, 0) + r.count
    ranked = sorted(series, key=lambda k: -sum(series[k].values()))
    if len(ranked) > MAX_SERIES:
        other: dict[str, int] = defaultdict(int)
        for key in ranked[MAX_SERIES - 1 :]:
            for period, n in series[key].items():
                other[period] += n
        ranked = ranked[: MAX_SERIES - 1] + ["other"]
        series["other"] = dict(other)
    fig = Figure(figsize=(10, 5), layout="constrained")  # no pyplot: no global state
    ax = fig.add_subplot()
    x = range(len(periods))
    for key in ranked:
        ax.plot(x, [series[key].get(p, 0) for p in periods], marker="o", label=key)
    step = max(1, len(periods) // 12)
    ax.set_xticks(list(x)[::step], periods[::step], rotation=45, ha="right")
    ax.set_ylabel("mentions")
    ax.set_title(title if periods else f"{title} (no data)")
    if ranked:
        ax.legend(fontsize="small", loc="upper left")
    fig.savefig(path)
    return path
