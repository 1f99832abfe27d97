"""Store benchmark: bulk ingest, then search / filtered search / timeline / digest selection at
N articles, each side by side with the same query written naively (LIKE scans, no indexes).

    python bench/store_bench.py --articles 1000000          # builds bench/out/store-1000000.db
    python bench/store_bench.py --articles 1000000 --reuse  # query an existing one again

Results print as a markdown table (for BENCHMARKS.md `## Store`) and go to bench/out/*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_corpus import FEEDS, generate, load_headlines  # noqa: E402

from db import queries  # noqa: E402
from db.store import Store  # noqa: E402
from db.timeutil import to_iso  # noqa: E402
from feeds.records import FeedState  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
POLL_SIZE = 100  # articles per save_poll, a large feed's poll


def ingest(store: Store, n: int) -> dict:
    """Save n generated articles as polls of POLL_SIZE per feed. `per_second` counts only the
    time spent in Store.save_poll (text generation excluded); `wall_per_second` includes it."""
    store.sync_feeds((f, f"https://{f}.example/feed") for f in FEEDS)
    pending: dict[str, list] = {f: [] for f in FEEDS}
    in_store = 0.0
    done, first_50k = 0, None
    last = None

    def save(feed: str, batch: list) -> None:
        nonlocal in_store, done, first_50k
        state = FeedState(feed, f"https://{feed}.example/feed", last_status="ok",
                          last_polled=batch[-1][0].fetched_at)
        t = time.perf_counter()
        store.save_poll(state, batch)
        in_store += time.perf_counter() - t
        done += len(batch)
        if first_50k is None and done >= 50_000:
            first_50k = done / in_store

    t0 = time.perf_counter()
    for article, match in generate(n):
        batch = pending[article.feed]
        batch.append((article, match))
        if len(batch) == POLL_SIZE:
            save(article.feed, batch)
            batch.clear()
        last = article
    for feed, batch in pending.items():
        if batch:
            save(feed, batch)
    wall = time.perf_counter() - t0
    return {"articles": n, "seconds_in_store": round(in_store, 1),
            "per_second": round(n / in_store), "wall_per_second": round(n / wall),
            "per_second_first_50k": round(first_50k) if first_50k else None,
            "last_fetched": to_iso(last.fetched_at)}


def mark_delivered(store: Store, until: str) -> int:
    """Every relevant article fetched before `until` went out in a 'daily' digest."""
    db = store.db
    with db.conn:
        db.conn.execute("INSERT OR IGNORE INTO deliveries (id, channel, kind, created_at, status) "
                        "VALUES ('bench-past', 'daily', 'digest', ?, 'delivered')", [until])
        n = db.conn.execute(
            "INSERT OR IGNORE INTO delivery_items (delivery_id, channel, article_id, kind) "
            "SELECT 'bench-past', 'daily', id, 'digest' FROM articles "
            "WHERE relevant = 1 AND fetched_at < ?", [until]).rowcount
    return n


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)] if len(times) > 1 else times[0]


def query_words(rng: random.Random, count: int) -> list[str]:
    """Realistic queries: words an analyst types (mid-frequency corpus words, 1-2 per query)
    plus the topic's own terms."""
    counts = Counter(w.lower() for t, _ in load_headlines() for w in re.findall(r"[A-Za-z]{4,}", t))
    common = [w for w, _ in counts.most_common(2000)[50:]]
    fixed = ["kashmir", "mediation", "india pakistan", "\"third-party mediation\"", "mediat*",
             "trump kashmir", "ceasefire", "Line of Control", "india", "pakistan", "said"]
    out = list(fixed)
    while len(out) < count:
        out.append(" ".join(rng.sample(common, rng.choice((1, 1, 2)))))
    return out


def naive_search(store: Store, words: str) -> list:
    terms = [w.strip('"*') for w in words.split()]
    where = " AND ".join("(title LIKE ? OR summary LIKE ?)" for _ in terms)
    params = [p for w in terms for p in (f"%{w}%", f"%{w}%")]
    return store.db.execute(f"SELECT id, title FROM articles NOT INDEXED WHERE {where} "
                            "ORDER BY published DESC LIMIT 50", params).fetchall()


def naive_filtered(store: Store, words: str, actor: str, stance: str) -> list:
    terms = [w.strip('"*') for w in words.split()]
    where = " AND ".join("(a.title LIKE ? OR a.summary LIKE ?)" for _ in terms)
    params = [actor, stance] + [p for w in terms for p in (f"%{w}%", f"%{w}%")]
    return store.db.execute(
        "SELECT DISTINCT a.id, a.title, a.published FROM mentions m NOT INDEXED "
        "JOIN articles a ON a.id = m.article_id WHERE m.actor = ? AND m.stance = ? "
        f"AND {where} ORDER BY a.published DESC LIMIT 50", params).fetchall()


def naive_timeline(store: Store) -> list:
    return store.db.execute(
        "SELECT substr(a.published, 1, 10), m.actor, m.stance, count(*) FROM mentions m "
        "NOT INDEXED JOIN articles a ON a.id = m.article_id WHERE m.stance IS NOT NULL "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()


def naive_digest(store: Store, since: str) -> list:
    return store.db.execute(
        "SELECT a.* FROM articles a NOT INDEXED WHERE a.relevant = 1 AND a.score >= 0.5 "
        "AND a.fetched_at >= ? AND a.id NOT IN (SELECT article_id FROM delivery_items "
        "WHERE channel = 'daily' AND kind = 'digest') ORDER BY a.fetched_at", [since]).fetchall()


def export_rss(store: Store, limit: int) -> dict:
    """Stream `limit` export records to /dev/null, sampling RSS every 10,000 records: the growth
    stays flat if the export streams."""
    import psutil

    proc = psutil.Process()
    start = peak = proc.memory_info().rss
    t0 = time.perf_counter()
    n = 0
    with open(os.devnull, "w") as sink:
        for chunk in islice(queries.export(store, "jsonl"), limit):
            sink.write(chunk)
            n += 1
            if n % 10_000 == 0:
                peak = max(peak, proc.memory_info().rss)
    seconds = time.perf_counter() - t0
    return {"records": n, "per_second": round(n / seconds),
            "rss_growth_mb": round((peak - start) / 2**20, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--reuse", action="store_true", help="query an existing DB of that size")
    ap.add_argument("--repeat", type=int, default=100, help="runs per fast query")
    ap.add_argument("--naive-repeat", type=int, default=5, help="runs per naive query")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"store-{args.articles}.db"
    results: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores, "
                                f"Python {platform.python_version()}, SQLite "
                                f"{__import__('sqlite3').sqlite_version}"}
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(path)
    if not args.reuse:
        results["ingest"] = ingest(store, args.articles)
        print("ingest", results["ingest"], flush=True)
        store.db.execute("ANALYZE")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    last = store.db.execute("SELECT max(fetched_at) FROM articles").fetchone()[0]
    day_before = to_iso(__import__("datetime").datetime.fromisoformat(last) - timedelta(days=1))
    results["delivered_before_last_day"] = mark_delivered(store, day_before)
    size = path.stat().st_size
    results["db_bytes"] = size
    results["bytes_per_article"] = round(size / args.articles)

    rng = random.Random(1)
    words = query_words(rng, args.repeat)
    pairs = [("india", "rejects_mediation"), ("united_states", "offers_mediation"),
             ("pakistan", "welcomes_mediation"), ("china", "urges_dialogue")]
    it = iter(range(10**9))

    def run_search():
        queries.search(store, words[next(it) % len(words)])

    def run_filtered():
        i = next(it)
        actor, stance = pairs[i % len(pairs)]
        queries.search(store, words[i % len(words)], actor=actor, stance=stance)

    def run_filter_only():
        actor, stance = pairs[next(it) % len(pairs)]
        queries.search(store, "", actor=actor, stance=stance)

    rows = [
        ("search (FTS5, bm25)", timed(run_search, args.repeat),
         timed(lambda: naive_search(store, words[next(it) % len(words)]), args.naive_repeat)),
        ("search + actor + stance", timed(run_filtered, args.repeat),
         timed(lambda: naive_filtered(store, words[next(it) % len(words)], *pairs[0]),
               args.naive_repeat)),
        ("actor + stance, no text", timed(run_filter_only, args.repeat), None),
        ("timeline by day, all actors", timed(lambda: queries.timeline(store), 20),
         timed(lambda: naive_timeline(store), args.naive_repeat)),
        ("timeline by week, one actor", timed(lambda: queries.timeline(store, "india",
                                                                        by="week"), 20), None),
        ("digest selection, one day", timed(lambda: queries.stories_for_digest(
            store, "daily", min_score=0.5, since=day_before), 20),
         timed(lambda: naive_digest(store, day_before), args.naive_repeat)),
        ("digest selection, all pending", timed(lambda: queries.stories_for_digest(
            store, "daily", min_score=0.5), 5), None),
        ("stats", timed(lambda: queries.stats(store), 5), None),
        ("feed_status", timed(lambda: queries.feed_status(store), 20), None),
    ]
    results["queries"] = {}
    print(f"\n{results['machine']}; {args.articles:,} articles; "
          f"DB {size / 1e6:.0f} MB ({results['bytes_per_article']} B/article)\n")
    print("| query | p50 ms | p95 ms | naive p50 ms | naive / indexed |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, fast, naive in rows:
        entry = {"p50": round(statistics.median(fast), 2), "p95": round(p95(fast), 2)}
        if naive:
            entry["naive_p50"] = round(statistics.median(naive), 1)
            entry["ratio"] = round(entry["naive_p50"] / max(entry["p50"], 0.01))
        results["queries"][name] = entry
        print(f"| {name} | {entry['p50']} | {entry['p95']} | {entry.get('naive_p50', '–')} | "
              f"{str(entry['ratio']) + '×' if naive else '–'} |")
    results["export"] = export_rss(store, min(args.articles, 1_000_000))
    print("\nexport jsonl", results["export"])
    if "ingest" in results:
        print("ingest", results["ingest"])
    (OUT / f"store-bench-{args.articles}.json").write_text(json.dumps(results, indent=2))
    store.close()


if __name__ == "__main__":
    main()
