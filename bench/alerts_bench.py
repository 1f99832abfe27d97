"""How long building, rendering and delivering digests and alerts takes.

    python bench/alerts_bench.py [--stories 2000] [--alerts 300]

Seeds a fresh SQLite store (real Store.save_poll) with relevant stories (a third of them
near-duplicates of another outlet's story), then times, side by side in one run:
  select+render  one channel's pending digest, without the chart;
  chart          the 30-day stance chart (matplotlib, Agg), first draw includes the import;
  enqueue        enqueue_digests for one channel (select, render, chart, freeze, claim items);
  deliver        deliver_due of N alert deliveries through the file channel (html+txt+eml each).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alerts.channels import build_channels  # noqa: E402
from alerts.chart import stance_chart_png  # noqa: E402
from alerts.enqueue import build_pending_digest  # noqa: E402
from alerts.outbox import deliver_due, enqueue_alerts, enqueue_digests  # noqa: E402
from alerts.select import stance_counts  # noqa: E402
from db.store import Store  # noqa: E402
from feeds.records import Article, FeedState  # noqa: E402
from monitor.config_records import ChannelConfig  # noqa: E402
from monitor.matching.records import Match, Mention  # noqa: E402

NOW = datetime(2025, 5, 11, 7, 0, tzinfo=UTC)
ACTORS = ["india", "pakistan", "united_states", "china", "united_nations", "turkey"]
STANCES = ["offers_mediation", "welcomes_mediation", "rejects_mediation", "urges_dialogue"]


def seed(store: Store, n: int) -> list:
    saves = []
    feeds = ["dawn", "the-hindu", "al-jazeera", "express-tribune"]
    for f, feed in enumerate(feeds):
        store.sync_feeds([(feed, f"https://{feed}.example/rss")])
        items = []
        for i in range(f, n, len(feeds)):
            actor, stance = ACTORS[i % len(ACTORS)], STANCES[i % len(STANCES)]
            shift = actor == "india" and stance != "rejects_mediation"
            mention = Mention(actor, stance, f"Evidence sentence number {i} about {actor}.", 0.8,
                              baseline="rejects_mediation" if actor == "india" else stance,
                              in_watchlist=actor != "turkey", shift=shift)
            title = f"Story {i}: {actor} {stance.replace('_', ' ')} over Kashmir"
            simhash = int(hashlib.sha1(str(i - i % 3).encode()).hexdigest()[:15], 16)
            a = Article(id=f"{feed}-{i}", feed=feed, title=title, summary=f"Summary {i}.",
                        link=f"https://{feed}.example/{i}", guid=str(i),
                        published=NOW - timedelta(minutes=i), fetched_at=NOW,
                        content_hash=hashlib.sha1(title.encode()).hexdigest(), simhash=simhash)
            items.append((a, Match(True, 0.8, (mention,))))
        saves.append(store.save_poll(FeedState(feed, f"https://{feed}.example/rss"), items,
                                     now=NOW))
    return saves


def timed(label: str, fn, results: dict) -> object:
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=2000)
    ap.add_argument("--alerts", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        saves = seed(store, args.stories)
        digest_ch = ChannelConfig("daily", "file", settings={"directory": f"{tmp}/d"})
        alert_ch = ChannelConfig("alerts", "file", schedule=None, immediate=True,
                                 settings={"directory": f"{tmp}/a"})
        r: dict[str, float] = {}
        built = timed("select+render", lambda: build_pending_digest(
            store, digest_ch, NOW, chart=False), r)
        digest, message = built
        counts = stance_counts(store, NOW)
        timed("chart (1st, incl. import)", lambda: stance_chart_png(counts), r)
        timed("chart (2nd)", lambda: stance_chart_png(counts), r)
        timed("enqueue_digests", lambda: enqueue_digests(store, [digest_ch], NOW), r)
        n_alerts = 0
        for saved in saves:
            n_alerts += enqueue_alerts(store, saved, [alert_ch], NOW)
        channels = build_channels([alert_ch, digest_ch])
        report = timed("deliver_due (alerts)", lambda: deliver_due(store, channels, NOW), r)
        print(f"stories seeded: {args.stories}; digest: {len(digest.stories)} stories after "
              f"near-duplicate clustering; html {len(message.html) // 1024} KiB")
        print(f"deliveries sent: {len(report.delivered)} ({n_alerts} alerts + 1 digest)")
        base = r["select+render"]
        for label, secs in r.items():
            print(f"{label:28s} {secs * 1000:9.1f} ms   x{secs / base:5.2f} of select+render")
        per = r["deliver_due (alerts)"] / max(1, len(report.delivered))
        print(f"{'per delivery (file channel)':28s} {per * 1000:9.2f} ms")


if __name__ == "__main__":
    main()
