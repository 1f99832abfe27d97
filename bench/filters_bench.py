"""What the filter rules cost a poll: the `regex` engine with a per-search time limit (what
feeds/filters.py uses) side by side with stdlib `re` on the same rules, plus the worst case of a
runaway rule, and the OPML import and config edit paths.

Run: python bench/filters_bench.py   (one run, every figure from the same process)
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds.filters import MATCH_TIMEOUT, apply_rules  # noqa: E402
from feeds.records import Article  # noqa: E402
from monitor.config import load_config  # noqa: E402

ENTRIES = 5000
NOW = datetime(2025, 5, 12, tzinfo=UTC)
RULES = """
[filters]
block = ["title=(?i)\\\\b(cricket|football|bollywood)\\\\b", "category=^(Sport|Entertainment)$",
         "age>30d", "link=/(sport|lifestyle)/"]
keep = ["title=(?i)(kashmir|pakistan|india|mediat)", "summary=(?i)(kashmir|line of control)"]

[[feeds]]
name = "wire"
url = "https://wire.example.org/rss"
block = ["author=(?i)^sponsored"]
"""


def entries(n: int) -> list[Article]:
    words = ["India", "Pakistan", "talks", "Kashmir", "mediation", "offer", "cricket", "final", "weather", "markets", "Srinagar", "Islamabad", "Delhi", "summit", "envoy", "ceasefire", "line", "of", "control"]
    out = []
    for i in range(n):
        title = " ".join(words[(i * 7 + k) % len(words)] for k in range(9))
        summary = " ".join(words[(i * 3 + k) % len(words)] for k in range(60))
        out.append(Article(id=str(i), feed="wire", title=title, summary=summary,
                           link=f"https://wire.example.org/{'sport' if i % 13 == 0 else 'news'}/{i}",
                           guid=None, published=NOW - timedelta(days=i % 40), fetched_at=NOW,
                           author="Staff", categories=("World",) if i % 11 else ("Sport",)))
    return out


def stdlib_apply(articles, config, feed) -> tuple[list, int]:
    """The same order and semantics on plain `re`, without any time bound (the baseline)."""
    from feeds.filters import RuleSet

    compiled = {}

    def matches(rule, a):
        if rule.field == "age":
            return RuleSet().matches(rule, a, NOW)
        pat = compiled.setdefault(rule.pattern, re.compile(rule.pattern))
        values = a.categories if rule.field == "category" else (getattr(a, rule.field) or "",)
        return any(pat.search(v) for v in values if v)

    kept = []
    for a in articles:
        if any(matches(r, a) for r in (*config.block, *feed.block)):
            continue
        if any(matches(r, a) for r in (*config.keep, *feed.keep)):
            kept.append(a)
    return kept, len(articles) - len(kept)


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    logging.getLogger("kashmir_monitor.filters").setLevel(logging.ERROR)  # the expected warning
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(RULES)
        config = load_config(path)
        feed = config.feeds[0]
        items = entries(ENTRIES)
        t_regex, (kept_a, blocked_a) = timed(lambda: apply_rules(items, config, feed, now=NOW))
        t_re, (kept_b, blocked_b) = timed(lambda: stdlib_apply(items, config, feed))
        assert [a.id for a in kept_a] == [a.id for a in kept_b], "engines disagree"

        hostile_path = Path(tmp) / "hostile.toml"
        hostile_path.write_text(RULES.replace('block = ["author', 'block = ["title=(a+)+$", "author'))
        hostile = load_config(hostile_path)
        bad = [Article(id=f"h{i}", feed="wire", title="a" * 5000 + "!", summary="", link=None,
                       guid=None, published=NOW, fetched_at=NOW) for i in range(ENTRIES)]
        t_hostile, _ = timed(lambda: apply_rules(bad, hostile, hostile.feeds[0], now=NOW), 1)

        t_import = bench_import(Path(tmp))

    print(f"apply_rules, {ENTRIES} entries, 7 rules (regex engine, {MATCH_TIMEOUT * 1000:.0f} ms "
          f"limit per search): {t_regex * 1000:.1f} ms ({t_regex / ENTRIES * 1e6:.1f} µs/entry), "
          f"kept {len(kept_a)}, blocked {blocked_a}")
    print(f"same rules on stdlib re, no limit: {t_re * 1000:.1f} ms "
          f"({t_re / ENTRIES * 1e6:.1f} µs/entry); ratio regex/re = {t_regex / t_re:.2f}")
    print(f"runaway rule (a+)+$ on {ENTRIES} hostile 5000-char titles: {t_hostile * 1000:.0f} ms "
          "for the whole poll (stdlib re: does not finish)")
    print(f"feeds import of a 500-feed OPML into a config (parse, plan, edit, validate, "
          f"fsync, rename): {t_import * 1000:.0f} ms")


def bench_import(tmp: Path) -> float:
    from monitor.feeds_admin import import_opml

    outlines = "\n".join(f'<outline text="Cat {c}">' + "".join(
        f'<outline type="rss" text="Feed {c}-{i}" xmlUrl="https://f{c}.example.org/{i}.xml"/>'
        for i in range(50)) + "</outline>" for c in range(10))
    opml = f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()
    config = tmp / "import.toml"
    config.write_text('# mine\n[storage]\npath = "x.db"\n')
    start = time.perf_counter()
    plan = import_opml(config, opml)
    elapsed = time.perf_counter() - start
    assert len(plan.added) == 500
    return elapsed


if __name__ == "__main__":
    main()
