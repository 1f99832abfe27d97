"""Robustness run: feedparser's whole test corpus (2,106 XML files: well-formed, ill-formed,
encodings, entities, sanitiser cases) served over local HTTP, through fetch + parse + normalise
+ after_fetch. Counts crashes (exceptions out of our code: target 0), per-feed errors, warnings
and articles.

    .venv/bin/python bench/feeds_corpus.py [--corpus ../shared/corpora/feedparser-tests/tests]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from feeds.fetch import Fetcher
from feeds.parse import parse_feed
from feeds.records import FeedState
from feeds.state import after_fetch
from monitor.config_records import FetchConfig

DEFAULT_CORPUS = Path("/work/shared/corpora/feedparser-tests/tests")
SERVER = Path(__file__).with_name("feeds_farm_server.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    files = sorted(args.corpus.rglob("*.xml"))
    server = subprocess.Popen([sys.executable, str(SERVER), "corpus", str(args.corpus)],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        states = [FeedState(f"c{i}", f"http://127.0.0.1:{port}/{p.relative_to(args.corpus).as_posix()}")
                  for i, p in enumerate(files)]
        fetch = FetchConfig(max_concurrency=8, max_per_host=8, host_gap=0.0, read_timeout=10)
        crashes: list[str] = []
        fetch_errors: Counter[str] = Counter()
        parse_errors: Counter[str] = Counter()
        warned = articles = feeds_with_articles = 0
        started = time.perf_counter()
        now = datetime.now(UTC)
        for state, result in Fetcher(fetch).fetch_all(states):
            try:
                parsed = None
                if result.error:
                    fetch_errors[result.error] += 1
                elif not result.not_modified:
                    parsed = parse_feed(result, state.name, now=now)
                    if parsed.error:
                        parse_errors[parsed.error] += 1
                    warned += bool(parsed.warnings)
                    articles += len(parsed.articles)
                    feeds_with_articles += bool(parsed.articles)
                after_fetch(state, result, parsed, interval=900, fetch=fetch, now=now)
            except Exception:
                crashes.append(f"{state.url}\n{traceback.format_exc()}")
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    print(f"files: {len(files)}  time: {elapsed:.1f} s  ({len(files) / elapsed:.0f} feeds/s)")
    print(f"crashes: {len(crashes)}")
    print(f"fetch errors: {sum(fetch_errors.values())} {dict(fetch_errors)}")
    print(f"parse errors: {sum(parse_errors.values())} {dict(parse_errors)}")
    print(f"feeds with warnings: {warned}")
    print(f"articles: {articles} from {feeds_with_articles} feeds")
    for crash in crashes[:5]:
        print(crash)


if __name__ == "__main__":
    main()
