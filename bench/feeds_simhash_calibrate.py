"""Calibrating feeds.dedup.NEAR_DUPLICATE_BITS on real headlines (read from ../shared, never
copied into the repo).

Pairs, all from the five headline sets (~24k headlines, 5 outlets/aggregators):
- edits: a real headline against the forms wire copy takes when another outlet carries it:
  outlet tag added ("- Reuters", "PTI |"), case/quote/punctuation changed, one word changed
  ("says" -> "said"), a word dropped or added;
- close: two different URLs whose headlines share >= 80 % of their words (mostly the same
  story carried twice; some are daily live-blog titles of different days);
- related: different URLs sharing 40-60 % of their words (mostly different stories on one topic,
  the hard case: "X offers to mediate" vs "Y rejects X's offer");
- random: 20,000 random pairs of different headlines.

For each threshold k it prints the share of each kind flagged as near-duplicate (Hamming <= k).

    .venv/bin/python bench/feeds_simhash_calibrate.py
"""

from __future__ import annotations

import collections
import gzip
import json
import random
import re
from pathlib import Path

from feeds.dedup import hamming, simhash

FOLDER = Path("/work/shared/corpora/headlines")
WORD = re.compile(r"\w+")
TAGS = ["{} - Reuters", "{} | Dawn", "PTI | {}", "{} (AP)", "UPDATE 1-{}", "{} - The Hindu"]
SWAPS = {"says": "said", "to": "will", "over": "on", "after": "following", "US": "U.S.",
         "India's": "Indian", "amid": "as", "in": "at"}


def headlines() -> list[tuple[str, str]]:
    """(title, url) pairs from every headline set."""
    rows = []
    for name in ("thehindu_national_rss_2025-07-14_to_21.jsonl",
                 "news_dumpster_headlines_2025-05-11_to_06-15.jsonl",
                 "indianexpress_headlines_chotu-news_2025-08_onward.jsonl"):
        for line in (FOLDER / name).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            rows.append((r["title"], r.get("link") or r.get("url")))
    blob = json.loads((FOLDER / "blazzzeee_rssfeed_multi_outlet_2025-05-28.json").read_text())
    rows += [(r["title"], r["link"]) for r in blob["items"]]
    with gzip.open(FOLDER / "fwd_news_headlines_2021-22_full.json.gz") as handle:
        rows += [(r["title"], r["link"]) for r in json.load(handle)]
    return [(t.strip(), u) for t, u in rows if t and len(WORD.findall(t)) >= 4]


def wire_edit(title: str, rng: random.Random) -> str:
    kind = rng.randrange(5)
    words = title.split()
    if kind == 0:
        return rng.choice(TAGS).format(title)
    if kind == 1:
        return title.upper() if rng.random() < 0.3 else title.replace("‘", "'").replace("’", "'").rstrip(".") + "."
    if kind == 2:
        swaps = [i for i, w in enumerate(words) if w in SWAPS]
        if swaps:
            i = rng.choice(swaps)
            words[i] = SWAPS[words[i]]
            return " ".join(words)
        return rng.choice(TAGS).format(title)
    if kind == 3 and len(words) > 6:
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    words.insert(rng.randrange(len(words)), rng.choice(["new", "latest", "now", "report:"]))
    return " ".join(words)


def mined_pairs(rows, low: float, high: float) -> list[tuple[str, str]]:
    tokens = [frozenset(WORD.findall(t.lower())) for t, _ in rows]
    df = collections.Counter(w for s in tokens for w in s)
    index = collections.defaultdict(list)
    for i, s in enumerate(tokens):
        for w in s:
            if df[w] <= 30:  # rare words only: candidates, not all pairs
                index[w].append(i)
    seen, out = set(), []
    for ids in index.values():
        for a_pos, a in enumerate(ids):
            for b in ids[a_pos + 1:]:
                if (a, b) in seen or rows[a][1] == rows[b][1]:
                    continue
                seen.add((a, b))
                if rows[a][0].lower() == rows[b][0].lower():
                    continue
                jaccard = len(tokens[a] & tokens[b]) / len(tokens[a] | tokens[b])
                if low <= jaccard < high:
                    out.append((rows[a][0], rows[b][0]))
    return out


def main() -> None:
    rng = random.Random(20250512)
    rows = headlines()
    sample = rng.sample(rows, 5000)
    kinds = {
        "edits": [(t, wire_edit(t, rng)) for t, _ in sample],
        "close": mined_pairs(rows, 0.8, 1.01),
        "related": mined_pairs(rows, 0.4, 0.6),
        "random": [(a[0], b[0]) for a, b in (rng.sample(rows, 2) for _ in range(20000))
                   if a[0] != b[0]],
    }
    distances = {k: [hamming(simhash(a), simhash(b)) for a, b in pairs] for k, pairs in kinds.items()}
    print(f"{len(rows)} headlines; pairs: " + ", ".join(f"{k} {len(v)}" for k, v in kinds.items()))
    print("k   " + "  ".join(f"{k:>8}" for k in kinds))
    for k in range(0, 21):
        shares = [sum(d <= k for d in ds) / len(ds) for ds in distances.values()]
        print(f"{k:<3} " + "  ".join(f"{s:8.2%}" for s in shares))


if __name__ == "__main__":
    main()
