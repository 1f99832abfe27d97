"""Matcher throughput on the real headline corpora, side by side with a naive keyword baseline.

    python bench/matcher_throughput.py [--repeat 3] [--dev ../shared/eval/dev.jsonl]

The baseline flags an item when it says "Kashmir" and a word starting "mediat". Both are timed on
the same items in one process (one core), best of --repeat runs; the baseline is also scored on
the labelled dev set next to the matcher.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matcher_corpora import corpus_items  # noqa: E402

from monitor.matching.evaluate import evaluate, read_labelled  # noqa: E402
from monitor.matching.matcher import Matcher  # noqa: E402
from monitor.matching.records import Match  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
_KASHMIR = re.compile(r"kashmir", re.I)
_MEDIAT = re.compile(r"\bmediat", re.I)


class KeywordBaseline:
    """The naive matcher: "Kashmir" and "mediat*" anywhere in title + summary, no stances."""

    def match(self, title: str, summary: str = "") -> Match:
        text = f"{title} {summary}"
        hit = bool(_KASHMIR.search(text) and _MEDIAT.search(text))
        return Match(relevant=hit, score=1.0 if hit else 0.0)


def _rate(matcher, items: list[tuple[str, str]], repeat: int) -> tuple[float, int]:
    best = float("inf")
    flagged = 0
    for _ in range(repeat):
        start = time.perf_counter()
        flagged = sum(matcher.match(title, summary).relevant for title, summary in items)
        best = min(best, time.perf_counter() - start)
    return len(items) / best, flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dev", type=Path, default=DEV)
    args = parser.parse_args()
    items = [(title, summary) for _, title, summary in corpus_items()]
    matcher, baseline = Matcher(), KeywordBaseline()
    ours, ours_flagged = _rate(matcher, items, args.repeat)
    naive, naive_flagged = _rate(baseline, items, args.repeat)
    print(f"items: {len(items)} (title + summary), best of {args.repeat}, one process")
    print(f"{'':24}{'items/s':>10}{'flagged':>9}")
    print(f"{'matcher (default)':24}{ours:>10,.0f}{ours_flagged:>9}")
    print(f"{'keyword baseline':24}{naive:>10,.0f}{naive_flagged:>9}")
    print(f"matcher / baseline speed: {ours / naive:.2f}x")
    if args.dev.exists():
        labelled = read_labelled(args.dev)
        print(f"\ndev set ({len(labelled)} items):")
        print(f"{'':24}{'rel P':>7}{'rel R':>7}{'rel F1':>8}{'st acc':>8}{'st prec':>8}")
        for name, each in (("matcher (default)", matcher), ("keyword baseline", baseline)):
            report = evaluate(each, labelled)
            print(f"{name:24}{report.precision:>7.3f}{report.recall:>7.3f}{report.f1:>8.3f}"
                  f"{report.stance_accuracy:>8.3f}{report.stance_precision:>8.3f}")


if __name__ == "__main__":
    main()
