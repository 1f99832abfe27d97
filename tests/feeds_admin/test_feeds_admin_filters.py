"""Block/keep rules: order, keep as an allow-list, fields, age, and bounded regex time."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feeds.filters import MATCH_TIMEOUT, RuleSet, apply_rules, rule_text
from feeds.records import Article
from monitor.config import ConfigError, load_config

NOW = datetime(2025, 5, 12, 12, 0, tzinfo=UTC)


def article(title: str, summary: str = "", *, link: str = "https://n.example.org/a",
            author: str | None = None, categories: tuple[str, ...] = (), age_days: float = 1,
            id: str | None = None) -> Article:
    return Article(id=id or title, feed="wire", title=title, summary=summary, link=link,
                   guid=None, published=NOW - timedelta(days=age_days), fetched_at=NOW,
                   author=author, categories=categories)


def config(tmp_path: Path, *, block=(), keep=(), feed_block=(), feed_keep=()):
    def toml_list(rules) -> str:
        return "[" + ", ".join("'" + r + "'" for r in rules) + "]"

    path = tmp_path / "config.toml"
    path.write_text(f"""
[filters]
block = {toml_list(block)}
keep = {toml_list(keep)}

[[feeds]]
name = "wire"
url = "https://wire.example.org/rss"
block = {toml_list(feed_block)}
keep = {toml_list(feed_keep)}
""")
    cfg = load_config(path)
    return cfg, cfg.feeds[0]


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def test_no_rules_keep_everything(tmp_path):
    cfg, feed = config(tmp_path)
    items = [article("a"), article("b")]
    assert apply_rules(items, cfg, feed, now=NOW) == (items, 0)


def test_block_rules_global_and_per_feed(tmp_path):
    cfg, feed = config(tmp_path, block=["title=(?i)cricket"], feed_block=["author=^Sports desk$"])
    items = [article("India beat Pakistan in CRICKET final"),
             article("Lavrov offers mediation", author="Sports desk"),
             article("Lavrov offers mediation again", author="Sports desk, Delhi"),
             article("Kashmir talks")]
    kept, blocked = apply_rules(items, cfg, feed, now=NOW)
    assert titles(kept) == ["Lavrov offers mediation again", "Kashmir talks"]
    assert blocked == 2


def test_rules_are_case_sensitive_unless_asked(tmp_path):
    cfg, feed = config(tmp_path, block=["title=cricket"])
    kept, blocked = apply_rules([article("Cricket"), article("cricket")], cfg, feed, now=NOW)
    assert titles(kept) == ["Cricket"] and blocked == 1


def test_keep_rules_are_an_allow_list(tmp_path):
    """With any keep rule, an entry must match one to stay; block beats keep."""
    cfg, feed = config(tmp_path, keep=["title=(?i)kashmir"], feed_keep=["summary=mediat"])
    items = [article("Kashmir talks resume"),
             article("Talks", "Russia offers mediation"),
             article("Snow in Srinagar", "Flights cancelled")]
    kept, blocked = apply_rules(items, cfg, feed, now=NOW)
    assert titles(kept) == ["Kashmir talks resume", "Talks"] and blocked == 1


@pytest.mark.parametrize("entry, stage, kept", [
    (article("Kashmir cricket"), "global-block", False),  # global block beats every keep
    (article("Kashmir wire", author="agency"), "feed-block", False),  # feed block beats keep
    (article("Kashmir talks", author="Staff"), "global-keep", True),
    (article("Talks", "mediation", author="Staff"), "feed-keep", True),
    (article("Talks", "weather", author="Staff"), "no-keep-match", False),
])
def test_order_global_block_feed_block_global_keep_feed_keep(tmp_path, entry, stage, kept):
    cfg, feed = config(tmp_path, block=["title=cricket"], feed_block=["author=agency"],
                       keep=["title=Kashmir"], feed_keep=["summary=mediation"])
    verdict = RuleSet.for_feed(cfg, feed).verdict(entry, NOW)
    assert (verdict.stage, verdict.kept) == (stage, kept)


def test_first_matching_rule_is_the_one_reported(tmp_path):
    cfg, feed = config(tmp_path, block=["title=a", "title=b"])
    verdict = RuleSet.for_feed(cfg, feed).verdict(article("ab"), NOW)
    assert rule_text(verdict.rule) == "title=a"
    assert verdict.describe() == "blocked by global-block rule title=a"


def test_link_author_and_any_category(tmp_path):
    cfg, feed = config(tmp_path, block=["link=/sport/", "category=^(Sport|Cricket)$",
                                        "author=(?i)^bot$"])
    items = [article("1", link="https://n.example.org/sport/1"),
             article("2", categories=("World", "Cricket")),
             article("3", categories=("Cricket news",)),
             article("4", author="BOT"),
             article("5", author=None)]
    kept, blocked = apply_rules(items, cfg, feed, now=NOW)
    assert titles(kept) == ["3", "5"] and blocked == 3


def test_age_rules(tmp_path):
    cfg, feed = config(tmp_path, block=["age>30d"])
    kept, blocked = apply_rules([article("old", age_days=31), article("new", age_days=29)],
                                cfg, feed, now=NOW)
    assert titles(kept) == ["new"] and blocked == 1
    cfg, feed = config(tmp_path, keep=["age<2h"])
    kept, _ = apply_rules([article("fresh", age_days=1 / 24), article("stale", age_days=1)],
                          cfg, feed, now=NOW)
    assert titles(kept) == ["fresh"]


def test_an_age_beyond_any_date_is_forever_not_a_crash(tmp_path):
    # config validation accepts any number of days; timedelta stops at 999,999,999 days
    cfg, feed = config(tmp_path, block=["age>99999999999999999d"], keep=["age<99999999999d"])
    kept, blocked = apply_rules([article("ancient", age_days=50_000)], cfg, feed, now=NOW)
    assert titles(kept) == ["ancient"] and blocked == 0


@pytest.mark.parametrize("rule, problem", [
    ("titel=x", 'filters.block[0]: unknown field "titel" (did you mean "title"?)'),
    ("title=(unclosed", "filters.block[0]: invalid regex '(unclosed'"),
    ("age>soon", 'filters.block[0]: expected seconds or a duration like "15m", got "soon"'),
    ("just text", 'filters.block[0]: expected "field=regex", got "just text"'),
])
def test_bad_rules_are_one_line_config_errors(tmp_path, rule, problem):
    with pytest.raises(ConfigError) as err:
        config(tmp_path, block=[rule])
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith(f"config.toml: {problem}")


HOSTILE = "a" * 5000 + "!"  # `(a+)+$` backtracks exponentially on this


def test_catastrophic_backtracking_is_bounded(tmp_path):
    """A runaway rule costs at most one MATCH_TIMEOUT per poll, then is switched off."""
    cfg, feed = config(tmp_path, block=["title=(a+)+$", "title=(?i)cricket"])
    items = [article(HOSTILE, id=f"h{i}") for i in range(200)] + [article("cricket")]
    start = time.monotonic()
    kept, blocked = apply_rules(items, cfg, feed, now=NOW)
    elapsed = time.monotonic() - start
    assert elapsed < 20 * MATCH_TIMEOUT + 1.0  # the unbounded engine would not finish at all
    assert blocked == 1 and len(kept) == 200  # the good rule still worked on the last entry

    rules = RuleSet.for_feed(cfg, feed)
    rules.verdict(article(HOSTILE), NOW)
    assert [rule_text(r) for r in rules.timed_out] == ["title=(a+)+$"]


def test_the_same_pattern_really_runs_away_on_the_plain_re_engine():
    """Proof the test above tests something: stdlib `re` does not come back within 3 s."""
    code = "import re; re.search(r'(a+)+$', 'a' * 5000 + '!')"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", code], timeout=3)


def test_a_runaway_keep_rule_blocks_rather_than_stalls(tmp_path):
    cfg, feed = config(tmp_path, keep=["summary=(x+x+)+y"])
    entry = article("t", "x" * 3000)
    start = time.monotonic()
    kept, blocked = apply_rules([entry, article("u", "xxy")], cfg, feed, now=NOW)
    assert time.monotonic() - start < 1.0 + MATCH_TIMEOUT
    assert (len(kept), blocked) == (0, 2)  # rule off after the timeout: nothing matches it


def test_a_rule_the_engine_cannot_compile_is_switched_off_not_fatal():
    from monitor.config_records import Rule

    # `\p{…}` with an unknown property: an error only the `regex` engine raises at compile time
    broken = RuleSet(global_block=(Rule("title", "\\p{NoSuchProperty}"),))
    assert broken.verdict(article("x"), NOW).kept
    assert [rule_text(r) for r in broken.timed_out] == ["title=\\p{NoSuchProperty}"]
