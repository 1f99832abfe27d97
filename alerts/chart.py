"""The digest chart: the last 30 days' stance counts per actor, one stacked bar per actor.
matplotlib is imported only when a chart is drawn (it is slow to import) and uses Agg."""

from __future__ import annotations

import io

from alerts.labels import STANCE_ORDER, actor_name, stance_phrase

# Colour-blind-safe (Okabe–Ito) colours, one per stance.
_COLOURS = {
    "offers_mediation": "#0072B2",
    "welcomes_mediation": "#009E73",
    "rejects_mediation": "#D55E00",
    "urges_dialogue": "#CC79A7",
}
MAX_ACTORS = 12  # the rest would make the chart unreadable


def stance_chart_png(counts: dict[str, dict[str, int]], *, days: int = 30) -> bytes | None:
    """A PNG of stance counts per actor (actor -> stance -> count); None when there is nothing."""
    rows = [(a, {s: n for s, n in by.items() if s in _COLOURS and n > 0})
            for a, by in counts.items()]
    rows = [(a, by) for a, by in rows if by]
    if not rows:
        return None
    rows.sort(key=lambda r: -sum(r[1].values()))
    rows = rows[:MAX_ACTORS][::-1]  # the busiest actor on top

    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure  # no pyplot: no global state, thread-safe

    fig = Figure(figsize=(6.4, 0.45 * len(rows) + 1.3), dpi=100)
    ax = fig.add_subplot()
    labels = [actor_name(a) for a, _ in rows]
    left = [0] * len(rows)
    for stance in STANCE_ORDER:
        values = [by.get(stance, 0) for _, by in rows]
        if any(values):
            ax.barh(labels, values, left=left, color=_COLOURS[stance], label=stance_phrase(stance))
            left = [x + v for x, v in zip(left, values, strict=True)]
    ax.set_title(f"Stances reported, last {days} days", fontsize=11, loc="left")
    ax.set_xlabel("mentions")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
