"""Miniflux-style block/keep filter rules, applied to a feed's entries before they are matched.

A rule is `field=regex` (fields: title, summary, link, author, category) or `age>30d` /
`age<2h`. The regex is searched anywhere in the field and is case-sensitive, as in Miniflux;
write `(?i)` for case-insensitive. `category` matches when any of the entry's categories does.

Order, first match wins:
1. a global block rule ([filters] block) matches → blocked;
2. a feed block rule (that feed's `block`) matches → blocked;
3. a global keep rule matches → kept;
4. a feed keep rule matches → kept;
5. otherwise: blocked if any keep rule applies to this feed (global or its own), else kept.
So keep rules are an allow-list: once there is one, an entry must match one of them to stay,
and a block rule beats every keep rule. Blocked entries are counted, not stored.

Hostile titles must not stall a poll, so rules run on the `regex` engine with a time limit per
match (MATCH_TIMEOUT): plain `re` cannot be interrupted, and `(a+)+$` against 40 `a`s and a `!`
runs for minutes. A search that times out counts as "no match" and the rule is switched off for
the rest of that feed's poll (logged), so a bad rule costs at most MATCH_TIMEOUT per feed per
poll. Fields are also cut to MAX_FIELD_CHARS before matching.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import regex

from feeds.records import Article
from monitor.config_records import Config, FeedConfig, Rule

log = logging.getLogger("kashmir_monitor.filters")

MATCH_TIMEOUT = 0.05  # seconds per search; a sane rule on a feed entry needs microseconds
MAX_FIELD_CHARS = 20_000
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_FOREVER_SECONDS = timedelta.max.days * 86400
_AGE = regex.compile(r"([<>])\s*(\d+)\s*([smhdw]?)")


def rule_text(rule: Rule) -> str:
    """The rule as written in config.toml: `title=(?i)cricket`, `age>30d`."""
    return f"age{rule.pattern}" if rule.field == "age" else f"{rule.field}={rule.pattern}"


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> regex.Pattern:
    """The compiled rule regex (raises regex.error; config validation already ran `re`)."""
    return regex.compile(pattern, regex.VERSION0)


def age_limit(rule: Rule) -> tuple[str, timedelta]:
    """`>30d` → (">", 30 days)."""
    m = _AGE.fullmatch(rule.pattern.strip())
    if not m:
        raise ValueError(f"bad age rule {rule_text(rule)!r}")
    # clamped: a limit past timedelta's range (about 2.7 million years) means "forever"
    seconds = int(m.group(2)) * _UNITS[m.group(3)]
    return m.group(1), timedelta.max if seconds >= _FOREVER_SECONDS else timedelta(seconds=seconds)


def _field_values(article: Article, name: str) -> Iterable[str]:
    if name == "category":
        return article.categories
    value = getattr(article, name, None)
    return (value,) if value else ()


@dataclass(frozen=True)
class Verdict:
    """What the rules decided for one entry, and why."""

    kept: bool
    rule: Rule | None = None  # the rule that decided; None when no rule matched
    stage: str = "default"  # global-block | feed-block | global-keep | feed-keep | no-keep-match | default

    def describe(self) -> str:
        if self.rule is not None:
            return f"{'kept' if self.kept else 'blocked'} by {self.stage} rule {rule_text(self.rule)}"
        return "blocked: matches no keep rule" if not self.kept else "kept (no rule matched)"


@dataclass
class RuleSet:
    """The rules that apply to one feed, in the order they are tried. One per feed per poll."""

    global_block: tuple[Rule, ...] = ()
    feed_block: tuple[Rule, ...] = ()
    global_keep: tuple[Rule, ...] = ()
    feed_keep: tuple[Rule, ...] = ()
    timed_out: set[Rule] = field(default_factory=set)  # rules switched off for this poll

    @classmethod
    def for_feed(cls, config: Config, feed: FeedConfig | None) -> RuleSet:
        return cls(config.block, feed.block if feed else (), config.keep,
                   feed.keep if feed else ())

    @property
    def empty(self) -> bool:
        return not (self.global_block or self.feed_block or self.global_keep or self.feed_keep)

    def verdict(self, article: Article, now: datetime) -> Verdict:
        """Block → keep, global before feed, first match wins (see the module docstring)."""
        for stage, rules, kept in (("global-block", self.global_block, False),
                                   ("feed-block", self.feed_block, False),
                                   ("global-keep", self.global_keep, True),
                                   ("feed-keep", self.feed_keep, True)):
            for rule in rules:
                if self.matches(rule, article, now):
                    return Verdict(kept, rule, stage)
        if self.global_keep or self.feed_keep:
            return Verdict(False, None, "no-keep-match")
        return Verdict(True)

    def matches(self, rule: Rule, article: Article, now: datetime) -> bool:
        """Whether `rule` matches `article`; a rule that runs out of time matches nothing."""
        if rule.field == "age":
            op, limit = age_limit(rule)
            age = now - article.published
            return age > limit if op == ">" else age < limit
        if rule in self.timed_out:
            return False
        try:
            pattern = compile_pattern(rule.pattern)
        except regex.error as exc:  # config validation compiled it with `re`; engines differ
            self.timed_out.add(rule)
            log.warning("filter rule %r cannot be used: %s", rule_text(rule), exc)
            return False
        for value in _field_values(article, rule.field):
            try:
                if pattern.search(value[:MAX_FIELD_CHARS], timeout=MATCH_TIMEOUT):
                    return True
            except TimeoutError:
                self.timed_out.add(rule)
                log.warning("filter rule %r took over %.0f ms on entry %s of feed %s; "
                            "skipping it for the rest of this poll", rule_text(rule),
                            MATCH_TIMEOUT * 1000, article.id, article.feed)
                return False
        return False


def apply_rules(articles: list[Article], config: Config, feed: FeedConfig | None, *,
                now: datetime | None = None) -> tuple[list[Article], int]:
    """The entries the rules keep, in order, and how many they blocked."""
    rules = RuleSet.for_feed(config, feed)
    if rules.empty:
        return list(articles), 0
    now = now or datetime.now(UTC)
    kept = [a for a in articles if rules.verdict(a, now).kept]
    return kept, len(articles) - len(kept)
