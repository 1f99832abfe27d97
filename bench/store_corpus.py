"""Generated articles for the store benchmark, built from the real headline corpora.

Irrelevant articles are real headlines (a headline + another item's summary or headline as the
summary); about 5% are relevant stories written from templates about Kashmir mediation, with
mentions as the matcher would give them. Read from ../shared/corpora at run time only.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feeds.records import Article
from monitor.matching.records import STANCES, Match, Mention

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "headlines"
FEEDS = [
    "dawn", "the-hindu", "express-tribune", "al-jazeera", "bbc-world", "reuters-asia",
    "google-news-kashmir", "times-of-india", "indian-express", "geo-news", "dw", "cnn",
    "nyt-world", "guardian-world", "scmp-asia",
]  # fmt: skip
ACTORS = {
    "india": "rejects_mediation", "pakistan": "welcomes_mediation",
    "united_states": "offers_mediation", "china": "urges_dialogue", "russia": "urges_dialogue",
    "united_kingdom": "urges_dialogue", "saudi_arabia": "offers_mediation",
    "united_nations": "urges_dialogue", "iran": "offers_mediation", "uae": "offers_mediation",
}  # fmt: skip
OUTSIDERS = ["turkey", "qatar", "norway", "egypt"]
NAMES = {"india": "India", "pakistan": "Pakistan", "united_states": "the US", "china": "China",
         "russia": "Russia", "united_kingdom": "Britain", "saudi_arabia": "Saudi Arabia",
         "united_nations": "the UN", "iran": "Iran", "uae": "the UAE", "turkey": "Turkey",
         "qatar": "Qatar", "norway": "Norway", "egypt": "Egypt"}
VERBS = {
    "offers_mediation": ["offers to mediate between India and Pakistan on Kashmir",
                         "says it is ready to broker Kashmir talks"],
    "welcomes_mediation": ["welcomes third-party mediation on Kashmir",
                           "backs an international role in resolving the Kashmir dispute"],
    "rejects_mediation": ["rejects third-party mediation on Kashmir, calls it a bilateral issue",
                          "says no to outside mediation over Kashmir"],
    "urges_dialogue": ["urges India and Pakistan to resolve Kashmir through dialogue",
                       "calls for restraint and bilateral talks on Kashmir"],
}


def load_headlines() -> list[tuple[str, str]]:
    """(title, summary) pairs from every corpus; summary may be empty."""
    items: list[tuple[str, str]] = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                items.append((d.get("title") or "", d.get("summary") or ""))
    for path in CORPORA.glob("*.json"):
        for d in json.loads(path.read_text(encoding="utf-8"))["items"]:
            items.append((d.get("title") or "", html.unescape(d.get("description") or "")))
    for path in CORPORA.glob("*.json.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            items.extend((d.get("title") or "", "") for d in json.load(f))
    return [(t.strip(), s.strip()) for t, s in items if t.strip()]


def generate(n: int, *, seed: int = 7, start: datetime = datetime(2024, 6, 1, tzinfo=UTC),
             span_days: int = 730) -> Iterator[tuple[Article, Match]]:
    """n (Article, Match) pairs in time order, spread evenly over span_days."""
    rng = random.Random(seed)
    headlines = load_headlines()
    summaries = [s for _, s in headlines if s]
    step = span_days * 86400 / max(n, 1)
    recent_relevant: list[tuple[str, int]] = []  # (feed, simhash) for near-duplicates
    for i in range(n):
        feed = FEEDS[rng.randrange(len(FEEDS))]
        published = start + timedelta(seconds=i * step)
        fetched = published + timedelta(minutes=rng.randrange(1, 60))
        if rng.random() < 0.05:
            title, summary, match, simhash = _relevant(rng, recent_relevant, feed)
        else:
            title, summary = headlines[rng.randrange(len(headlines))]
            if not summary:
                summary = summaries[rng.randrange(len(summaries))]
            mentions = ()
            if rng.random() < 0.1:  # an actor named without a stance (cricket, weather...)
                actor = rng.choice(list(ACTORS))
                mentions = (Mention(actor, None, title, 0.3, ACTORS[actor]),)
            match = Match(relevant=False, score=rng.random() * 0.4, mentions=mentions)
            simhash = rng.getrandbits(64)
        digest = hashlib.sha1(f"{i}".encode()).hexdigest()[:16]
        yield Article(
            id=f"{feed}:{digest}", feed=feed, title=title, summary=summary,
            link=f"https://{feed}.example/{digest}", guid=digest, published=published,
            fetched_at=fetched, content_hash=hashlib.sha1(f"{title}{summary}".encode()).hexdigest(),
            simhash=simhash,
        ), match  # fmt: skip


def _relevant(rng: random.Random, recent: list[tuple[str, int]], feed: str):
    actor = rng.choice(list(ACTORS) + OUTSIDERS)
    stance = rng.choice(STANCES)
    title = f"{NAMES[actor][0].upper()}{NAMES[actor][1:]} {rng.choice(VERBS[stance])}"
    other = rng.choice([a for a in ACTORS if a != actor])
    other_stance = ACTORS[other] if rng.random() < 0.8 else rng.choice(STANCES)
    summary = (f"{title}. Meanwhile {NAMES[other]} {rng.choice(VERBS[other_stance])}, "
               "officials said on Tuesday amid tension along the Line of Control.")
    mentions = tuple(
        Mention(a, s, title, round(rng.uniform(0.5, 1.0), 2), ACTORS.get(a), a in ACTORS,
                a in ACTORS and s != ACTORS[a])
        for a, s in ((actor, stance), (other, other_stance))
    )
    if recent and rng.random() < 0.3:  # the same story from another outlet
        other_feed, base = recent[rng.randrange(len(recent))]
        simhash = base ^ (1 << rng.randrange(64)) if other_feed != feed else rng.getrandbits(64)
    else:
        simhash = rng.getrandbits(64)
    recent.append((feed, simhash))
    del recent[:-50]
    return title, summary, Match(True, round(rng.uniform(0.5, 1.0), 3), mentions), simhash
