"""Lists every corpus item the matcher flags relevant, for a human to read (false-alarm review).

    python bench/matcher_corpus_review.py [--watchlist FILE] [--all-dispute]

Prints one block per flagged item (source, score, topics, stances, title, summary) and a summary
line with the flagged count and share of all items. --all-dispute also lists items that passed the
dispute gate but were judged not relevant, to look for misses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matcher_corpora import corpus_items  # noqa: E402

from monitor.matching.matcher import Matcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchlist", default=None)
    parser.add_argument("--all-dispute", action="store_true")
    args = parser.parse_args()
    matcher = Matcher(args.watchlist)
    total = flagged = 0
    for source, title, summary in corpus_items():
        total += 1
        match = matcher.match(title, summary)
        if not match.relevant and not (args.all_dispute and match.topics):
            continue
        flagged += match.relevant
        stances = ", ".join(f"{m.actor}={m.stance}" for m in match.mentions if m.stance)
        mark = "RELEVANT" if match.relevant else "not relevant"
        print(f"[{mark} {match.score:.2f}] {source}  topics={','.join(match.topics)}")
        print(f"  stances: {stances or '-'}")
        print(f"  title:   {title}")
        if summary:
            print(f"  summary: {summary[:300]}")
        print()
    print(f"flagged relevant: {flagged} of {total} items ({flagged / total:.4%})")


if __name__ == "__main__":
    main()
